"""The small closed word lists the detector needs: negation cues, hedges and number words.

Kept in one place because both the rule-file validation (prototypes must be affirmative) and the
signal detector read them.
"""

from __future__ import annotations

import re

NEGATION_CUES = (
    "no one",
    "nobody",
    "nothing",
    "none",
    "never",
    "neither",
    "nor",
    "not",
    "no",
    "without",
    "lack",
    "lacks",
    "lacking",
    "zero",
    "n't",
)

HEDGE_CUES = (
    "maybe",
    "perhaps",
    "probably",
    "possibly",
    "might",
    "we think",
    "i think",
    "we believe",
    "i believe",
    "sort of",
    "kind of",
    "not sure",
    "i guess",
    "we guess",
    "somewhat",
    "it seems",
    "seems",
    "apparently",
    "likely",
    "could be",
    "i suppose",
)

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Vague quantities a manager uses instead of a number; the value is a deliberately modest reading.
QUANTIFIERS = {
    "a couple of": 2,
    "a couple": 2,
    "a few": 3,
    "a handful of": 4,
    "a handful": 4,
    "several": 4,
    "a dozen": 12,
    "dozens of": 30,
    "dozens": 30,
    "a hundred": 100,
    "hundreds of": 200,
    "hundreds": 200,
    "thousands of": 2000,
    "thousands": 2000,
}

_QUALIFIER = r"(?:(?:about|around|roughly|over|more than|almost|nearly|some|at least|just|only)\s+)?"
_WORD_NUM = (
    r"(?:(?:" + "|".join(TENS) + r")(?:[- ](?:" + "|".join(k for k in UNITS if UNITS[k] < 10) + r"))?"
    r"|" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")"
    r"(?:\s+hundred)?"
)
_QUANT = "|".join(re.escape(q) for q in sorted(QUANTIFIERS, key=len, reverse=True))
NUM_REGEX = _QUALIFIER + r"(?:\d[\d,]*(?:\.\d+)?|" + _QUANT + r"|" + _WORD_NUM + r")"


def parse_number(text: str) -> int | None:
    """Read a count written as digits, number words or a vague quantifier ("dozens")."""
    t = text.lower().strip()
    t = re.sub(r"^(?:about|around|roughly|over|more than|almost|nearly|some|at least|just|only)\s+", "", t)
    digits = re.fullmatch(r"\d[\d,]*(?:\.\d+)?", t)
    if digits:
        return int(float(t.replace(",", "")))
    if t in QUANTIFIERS:
        return QUANTIFIERS[t]
    total = 0
    found = False
    for part in re.split(r"[\s-]+", t):
        if part in UNITS:
            total += UNITS[part]
            found = True
        elif part in TENS:
            total += TENS[part]
            found = True
        elif part == "hundred" and found:
            total *= 100
    return total if found else None


def _cue_regex(cues: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for cue in sorted(cues, key=len, reverse=True):
        if cue == "n't":
            parts.append(r"n't\b|n’t\b")
        else:
            parts.append(r"\b" + re.escape(cue).replace(r"\ ", r"\s+") + r"\b")
    return re.compile("|".join(parts), re.IGNORECASE)


NEGATION_RE = _cue_regex(NEGATION_CUES)
HEDGE_RE = _cue_regex(HEDGE_CUES)
