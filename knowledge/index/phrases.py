"""Phrases a query quotes: a manager who puts words in quotation marks means those words.

"What does the paper mean by 'proof-of-concept purgatory'?" names the record that holds the phrase; dense
search reads the question's meaning and BM25 weighs each word apart, so neither is sure to rank that
record first. The records holding a quoted phrase (words in order, case, dashes and quote marks aside)
are a third ranking for the fusion.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from knowledge.schema import Record

# An opening mark after a space, a bracket or the start, a closing one before a space, punctuation or the end:
# the apostrophes of "LinkedIn's" and "don't" open nothing.
_QUOTED_RE = re.compile(r"(?:^|(?<=[\s(\[:,]))[\"“‘']([^\"”’'\n]{3,120}?)[\"”’'](?=$|[\s.,;:!?)\]])")
_WORD_RE = re.compile(r"[a-z0-9]+")
MIN_WORDS = 2


def _words(text: str) -> str:
    return " ".join(_WORD_RE.findall(text.lower().replace("’", "'")))


def quoted_phrases(query: str) -> list[str]:
    """Return the phrases of two or more words the query puts in quotation marks, as folded words."""
    phrases = (_words(m.group(1)) for m in _QUOTED_RE.finditer(query))
    return list(dict.fromkeys(p for p in phrases if len(p.split()) >= MIN_WORDS))


def phrase_ranking(query: str, records: Iterable[Record], allowed: Callable[[Record], bool]) -> list[str]:
    """Rank the records holding a phrase the query quotes: the most phrases first, then by id."""
    phrases = quoted_phrases(query)
    if not phrases:
        return []
    found: list[tuple[int, str]] = []
    for record in records:
        text = f" {_words(record.text)} "
        held = sum(f" {phrase} " in text for phrase in phrases)
        if held and allowed(record):
            found.append((-held, record.id))
    return [rid for _, rid in sorted(found)]
