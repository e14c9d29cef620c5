"""Cut a message into sentences and clauses while keeping exact character offsets.

Offsets matter: every span a rule reports must satisfy ``message[start:end] == text``, so nothing
here normalizes or rewrites the text; it only finds boundaries.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from advisor.rules.lexicon import HEDGE_RE, NEGATION_RE

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+|;\s*")
# Clause boundaries limit the scope of a negation: "we have a team, but nobody owns the model".
_CLAUSE_BREAK = re.compile(
    r",?\s+(?:but|however|although|though|whereas|while|because|yet|so that|and then)\s+|\s+[-–—]\s+|,\s+and\s+|:\s+",
    re.IGNORECASE,
)
NEGATION_WINDOW_WORDS = 7


class Clause(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    sentence: int = Field(ge=0)
    sentence_start: int = Field(ge=0)
    sentence_end: int = Field(ge=0)


def _pieces(text: str, offset: int, splitter: re.Pattern[str]) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for match in splitter.finditer(text):
        out.append((pos, match.start()))
        pos = match.end()
    out.append((pos, len(text)))
    spans = []
    for a, b in out:
        piece = text[a:b]
        stripped_left = len(piece) - len(piece.lstrip())
        stripped_right = len(piece) - len(piece.rstrip())
        a2, b2 = a + stripped_left, b - stripped_right
        if b2 > a2:
            spans.append((offset + a2, offset + b2))
    return spans


class Segmenter:
    """Split a message into clauses; each clause knows its sentence for hedge scope."""

    def clauses(self, message: str) -> list[Clause]:
        out: list[Clause] = []
        for index, (s_start, s_end) in enumerate(_pieces(message, 0, _SENTENCE_END)):
            sentence = message[s_start:s_end]
            for c_start, c_end in _pieces(sentence, s_start, _CLAUSE_BREAK):
                out.append(
                    Clause(
                        text=message[c_start:c_end],
                        start=c_start,
                        end=c_end,
                        sentence=index,
                        sentence_start=s_start,
                        sentence_end=s_end,
                    )
                )
        return out


def negation_before(message: str, clause: Clause, match_start: int) -> int | None:
    """Return where a negation cue starts if one governs a match (same clause, a few words before)."""
    window = message[clause.start : match_start]
    cues = list(NEGATION_RE.finditer(window))
    if not cues:
        return None
    cue = cues[-1]
    words_between = len(window[cue.end() :].split())
    if words_between > NEGATION_WINDOW_WORDS:
        return None
    # "n't" sits inside a word ("don't"): report the span from the start of that word.
    start = cue.start()
    while start > 0 and window[start - 1].isalpha():
        start -= 1
    return clause.start + start


def has_negation(text: str) -> bool:
    return NEGATION_RE.search(text) is not None


def hedge_in(message: str, clause: Clause) -> bool:
    """Tell whether the clause's sentence hedges: a hedge softens every claim in it ("we think ..., but ...")."""
    return HEDGE_RE.search(message[clause.sentence_start : clause.sentence_end]) is not None
