"""Character-offset helpers over a raw source: lines, paragraphs and trimmed regions.

Everything downstream works in raw offsets (never in cleaned text) so that each record can
point at the exact slice of the source file it came from.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True, order=True)
class Region:
    """A half-open character range ``[start, end)`` of a raw source."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad region {self.start}..{self.end}")

    def __len__(self) -> int:
        return self.end - self.start


class LineIndex:
    """Maps character offsets to 1-based line numbers and back."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.starts = [0] + [i + 1 for i, ch in enumerate(raw) if ch == "\n"]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def line_region(self, line: int) -> Region:
        """Region of a 1-based line without its newline."""
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.raw)
        return Region(start, end)

    def lines_region(self, first: int, last: int) -> Region:
        return Region(self.line_region(first).start, self.line_region(last).end)

    def lines(self, region: Region) -> list[Region]:
        """Return the non-blank lines inside a region, each trimmed of surrounding whitespace."""
        out = []
        for number in range(self.line_of(region.start), self.line_of(max(region.start, region.end - 1)) + 1):
            line = self.line_region(number)
            part = trim(self.raw, Region(max(line.start, region.start), min(line.end, region.end)))
            if len(part):
                out.append(part)
        return out


def trim(raw: str, region: Region) -> Region:
    """Shrink a region so it neither starts nor ends with whitespace."""
    start, end = region.start, region.end
    while start < end and raw[start].isspace():
        start += 1
    while end > start and raw[end - 1].isspace():
        end -= 1
    return Region(start, end)


def paragraphs(raw: str, region: Region) -> list[Region]:
    """Split a region at blank lines into trimmed, non-empty paragraphs."""
    out = []
    cursor = region.start
    for match in _BLANK_LINE_RE.finditer(raw, region.start, region.end):
        part = trim(raw, Region(cursor, match.start()))
        if len(part):
            out.append(part)
        cursor = match.end()
    last = trim(raw, Region(cursor, region.end))
    if len(last):
        out.append(last)
    return out


def find_unique(raw: str, needle: str, start: int = 0, end: int | None = None) -> int:
    """Offset of ``needle`` (whitespace-insensitive), which must occur exactly once in the range."""
    pattern = re.compile(r"\s+".join(re.escape(word) for word in needle.split()))
    hits = [m.start() for m in pattern.finditer(raw, start, len(raw) if end is None else end)]
    if len(hits) != 1:
        raise ValueError(f"expected exactly one occurrence of {needle!r}, found {len(hits)}")
    return hits[0]
