"""Sentence, marker and word handling for the citation metrics.

Deliberately independent of the advisor's own citation checker: an eval that reused the product's
tokenizer would share its blind spots.
"""

from __future__ import annotations

import re

MARKER_RE = re.compile(r"\[(\d+)\]")
_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NUMBER_RE = re.compile(r"(?<![\w.\[])(\d+(?:[.,]\d+)*)(?:\s?(%|percent))?(?![\w\]])")
_HEADING_RE = re.compile(r"^\s*(#{1,6}\s+.*|\*\*[^*]+\*\*:?|__[^_]+__:?|[^.!?]{1,60}:)\s*$")
_BULLET_RE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_SENTENCE_RE = re.compile(r"(?<=[.!?])(?:[\"”’)]*)((?:\s*\[\d+\])*)\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "vs.", "etc.", "Dr.", "Mr.", "Ms.", "Inc.", "cf.", "No.")

_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once
    only or other our ours out over own same she should so some such than that the their theirs them then there
    these they this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours one may might must us via within without upon whether yet still even
    much many often every said says say according"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def normalize(text: str) -> str:
    """Lower case, straight quotes, single spaces: how evidence strings are matched against record text."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip().lower()


def contains(haystack: str, needle: str) -> bool:
    return normalize(needle) in normalize(haystack)


def markers(sentence: str) -> list[int]:
    """Marker numbers in order of appearance, without repeats."""
    seen: list[int] = []
    for match in MARKER_RE.finditer(sentence):
        number = int(match.group(1))
        if number not in seen:
            seen.append(number)
    return seen


def strip_markers(text: str) -> str:
    return re.sub(r"\s*\[\d+\]", "", text)


def split_sentences(text: str) -> list[str]:
    """Sentences with their trailing markers kept, line by line (headings and bullets are separate lines)."""
    sentences: list[str] = []
    for line in text.splitlines():
        line = _BULLET_RE.sub("", line).strip()
        if not line:
            continue
        protected = line
        for i, abbreviation in enumerate(_ABBREVIATIONS):
            protected = protected.replace(abbreviation, f"\x00{i}\x00")
        parts = _SENTENCE_RE.split(protected)
        # re.split returns [sentence, markers, sentence, markers, ...]: glue each marker run to its sentence.
        pieces = [parts[0]]
        for index in range(1, len(parts), 2):
            pieces[-1] = pieces[-1] + (parts[index] or "")
            pieces.append(parts[index + 1])
        for piece in pieces:
            for i, abbreviation in enumerate(_ABBREVIATIONS):
                piece = piece.replace(f"\x00{i}\x00", abbreviation)
            if piece.strip():
                sentences.append(piece.strip())
    return sentences


def is_heading(sentence: str) -> bool:
    return bool(_HEADING_RE.match(strip_markers(sentence)))


def words(text: str) -> list[str]:
    return _WORD_RE.findall(normalize(text))


def stem(word: str) -> str:
    """Crude suffix folding so 'pipelines'/'pipeline' and 'scaling'/'scaled' meet."""
    for suffix in ("izing", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s", "ly", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_terms(text: str) -> set[str]:
    return {stem(w) for w in words(strip_markers(text)) if w not in STOPWORDS and not w.isdigit()}


def is_claim(sentence: str, min_terms: int = 3) -> bool:
    """Tell a statement of fact from a heading, a question to the user or a fragment."""
    bare = strip_markers(sentence).strip()
    if not bare or is_heading(sentence) or bare.endswith("?"):
        return False
    return len(content_terms(bare)) >= min_terms


def figures(text: str) -> set[str]:
    """Numbers stated in a text ('40 %' and '40 percent' become '40%'); markers and list numbers excluded."""
    found: set[str] = set()
    unlisted = "\n".join(_BULLET_RE.sub("", line) for line in text.splitlines())  # "2. Standardize" is no figure
    for number, percent in _NUMBER_RE.findall(strip_markers(unlisted)):
        found.add(number.replace(",", "") + ("%" if percent else ""))
    return found
