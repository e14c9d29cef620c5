"""Sentence boundaries in raw text, so chunks never cut a sentence in half.

A boundary is end punctuation (plus closing quotes/brackets) followed by whitespace and a
capital, a digit or an opening quote; abbreviations that end in a full stop (e.g., et al., p.)
are not boundaries.  The OCR'd "AL Such" (a swallowed full stop) also counts, mirroring the
cleaning rule that restores that full stop.  Blank lines always end a sentence.
"""

from __future__ import annotations

import re

from knowledge.corpus.layout import Region, paragraphs, trim

ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "al", "p", "pp", "vol", "no", "dr", "vs", "cf", "fig", "mr", "ms", "inc", "st"}
)

_BOUNDARY_RE = re.compile(r"(?:[.!?…]|\b(?:AL|Al)\b)[”’\"')\]]*(?=\s+[“‘\"(\[]?[A-Z0-9])")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z.]+)\.$")


def _is_abbreviation(raw: str, dot: int) -> bool:
    match = _WORD_BEFORE_RE.search(raw, max(0, dot - 12), dot + 1)
    if not match:
        return False
    word = match.group(1).lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(raw: str, region: Region) -> list[Region]:
    """Trimmed sentence regions covering the region's paragraphs in order."""
    out: list[Region] = []
    for para in paragraphs(raw, region):
        cursor = para.start
        for match in _BOUNDARY_RE.finditer(raw, para.start, para.end):
            end = match.end()
            if raw[match.start()] == "." and _is_abbreviation(raw, match.start()):
                continue
            part = trim(raw, Region(cursor, end))
            if len(part):
                out.append(part)
            cursor = end
        last = trim(raw, Region(cursor, para.end))
        if len(last):
            out.append(last)
    return out


def split_clauses(raw: str, region: Region) -> list[Region]:
    """Fallback for an over-long sentence: cut after semicolons, colons or commas."""
    out = []
    cursor = region.start
    for match in re.finditer(r"[;:,](?=\s)", raw[region.start : region.end]):
        end = region.start + match.end()
        out.append(trim(raw, Region(cursor, end)))
        cursor = end
    out.append(trim(raw, Region(cursor, region.end)))
    return [part for part in out if len(part)]
