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
    "a couple of hundred": 200,
    "a couple hundred": 200,
    "a few hundred": 300,
    "several hundred": 400,
    "a hundred-plus": 100,
    "hundred-plus": 100,
    "a hundred or so": 100,
    "a couple of dozen": 24,
    "a few dozen": 36,
    "a couple of": 2,
    "a couple": 2,
    "a few": 3,
    "a handful of": 4,
    "a handful": 4,
    "several": 4,
    "a dozen": 12,
    "half a dozen": 6,
    "dozens of": 30,
    "dozens": 30,
    "a hundred": 100,
    "hundreds of": 200,
    "hundreds": 200,
    "thousands of": 2000,
    "thousands": 2000,
}

_QUALIFIER_WORDS = (
    r"(?:about|around|roughly|over|well over|more than|almost|nearly|some|at least|just|only|close to|"
    r"something like|upwards of|north of|approximately)"
)
_QUALIFIER = r"(?:" + _QUALIFIER_WORDS + r"\s+)?"
ORDINALS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "fifteenth": 15,
    "twentieth": 20,
}
_WORD_NUM = (
    r"(?:(?:" + "|".join(TENS) + r")(?:[- ](?:" + "|".join(k for k in UNITS if UNITS[k] < 10) + r"))?"
    r"|" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")"
    r"(?:\s+(?:hundred|dozen))?"
    r"(?:\s+and\s+(?:" + "|".join(TENS) + r"|" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")"
    r"(?:[- ](?:" + "|".join(k for k in UNITS if UNITS[k] < 10) + r"))?)?"
)
# "sixty-odd", "forty-something", "200-plus", "two hundred or so": the trailing vagueness keeps the number.
_VAGUE_TAIL = r"(?:[- ](?:odd|something|plus|ish)|\s+or\s+so)?"
_QUANT = "|".join(re.escape(q) for q in sorted(QUANTIFIERS, key=len, reverse=True))
_ORD = "|".join(sorted(ORDINALS, key=len, reverse=True))
_A_HUNDRED_AND = (
    r"an?\s+hundred\s+and\s+(?:(?:"
    + "|".join(TENS)
    + r")(?:[- ](?:"
    + "|".join(k for k in UNITS if UNITS[k] < 10)
    + r"))?|"
    + "|".join(sorted(UNITS, key=len, reverse=True))
    + r")"
)
_NUMBER = r"(?:\d[\d,]*(?:\.\d+)?|" + _A_HUNDRED_AND + r"|" + _QUANT + r"|" + _WORD_NUM + r")"
NUM_REGEX = _QUALIFIER + _NUMBER + _VAGUE_TAIL
ORD_REGEX = r"(?:" + _ORD + r")"


def parse_number(text: str) -> int | None:
    """Read a count written as digits, number words or a vague quantifier ("dozens")."""
    t = " ".join(text.lower().split())
    t = re.sub(r"^" + _QUALIFIER_WORDS + r"\s+", "", t)
    t = re.sub(r"(?:[- ](?:odd|something|plus|ish)|\s+or\s+so)$", "", t)
    if t in ORDINALS:
        return ORDINALS[t]
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
        elif part in ("a", "an") and not found:
            total, found = 1, True
        elif part == "hundred":
            total, found = (total or 1) * 100, True
        elif part == "dozen":
            total, found = (total or 1) * 12, True
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
