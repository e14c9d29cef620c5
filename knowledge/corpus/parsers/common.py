"""Layout helpers shared by the paper parsers: numbered headings and section runs."""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.corpus.cleaning import clean
from knowledge.corpus.ids import slugify
from knowledge.corpus.layout import LineIndex, Region, paragraphs, trim
from knowledge.corpus.segments import Heading, ProseRun

NUMBERED_HEADING_RE = re.compile(r"^[ \t]*(\d{1,2}(?:\.\d{1,2})*)\.?[ \t]+([A-Z][^\n]{1,110})$", re.MULTILINE)


def numbered_headings(raw: str, regions: Iterable[Region]) -> list[Heading]:
    """Lines such as ``4.2.1. Level 1. Proving the concept`` or ``2.1 Study settings``.

    A heading line is short, starts with a section number and does not end like a sentence.
    """
    found = []
    for region in regions:
        for match in NUMBERED_HEADING_RE.finditer(raw, region.start, region.end):
            line = match.group(0).strip()
            if line.endswith((".", ",", ";")) or len(line.split()) > 16:
                continue
            level = match.group(1).count(".") + 1
            found.append(Heading(trim(raw, Region(match.start(), match.end())), level, clean(line)))
    return sorted(found, key=lambda h: h.region.start)


def section_paths(headings: list[Heading], root: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Return the heading path of each heading (its ancestors by level, then itself)."""
    stack: list[Heading] = []
    paths = []
    for heading in headings:
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        stack.append(heading)
        paths.append((*root, *(h.title for h in stack)))
    return paths


def merge_broken_paragraphs(raw: str, paras: list[Region]) -> list[Region]:
    """Rejoin paragraphs that a page break split mid-sentence (next one starts lower-case)."""
    out: list[Region] = []
    for para in paras:
        if out and not re.search(r"[.!?:”\"’)]$", raw[out[-1].start : out[-1].end]) and raw[para.start].islower():
            out[-1] = Region(out[-1].start, para.end)
        else:
            out.append(para)
    return out


def runs_between(
    raw: str,
    region: Region,
    section: tuple[str, ...],
    holes: Iterable[Region] = (),
    line_mode: bool = False,
) -> list[ProseRun]:
    """Prose runs over ``region`` minus ``holes`` (tables and such split a run in two)."""
    pieces: list[Region] = []
    cursor = region.start
    for hole in sorted(h for h in holes if h.end > region.start and h.start < region.end):
        pieces.append(Region(cursor, max(cursor, hole.start)))
        cursor = max(cursor, hole.end)
    pieces.append(Region(cursor, region.end))
    slug = slugify(section[-1]) if section else "front"
    runs = []
    for piece in pieces:
        paras = merge_broken_paragraphs(raw, paragraphs(raw, piece))
        if paras:
            runs.append(ProseRun(section, slug, tuple(paras), line_mode))
    return runs


def lines_region(index: LineIndex, first_line_text: str, last_line_text: str, after: int = 0) -> Region:
    """Return the region from the line containing one anchor to the end of the line containing another."""
    from knowledge.corpus.layout import find_unique

    start = find_unique(index.raw, first_line_text, after)
    end = find_unique(index.raw, last_line_text, start)
    return Region(index.line_region(index.line_of(start)).start, index.line_region(index.line_of(end)).end)
