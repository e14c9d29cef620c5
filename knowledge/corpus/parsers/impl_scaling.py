"""Parser for implementing_scaling_ai.txt (an OCR'd two-column journal article, no references).

Body: the whole file.  Table 1 (case description) stays prose, chunked line by line.  Table 2
(phases x components) is OCR-garbled beyond reading order; it is excluded from passages and
rebuilt by hand in knowledge/data/scaling_table.yaml (counted as a ``tables`` region).
Quotes: every “…” passage in a paragraph where an interviewee from Table 1 was named before it
(same or previous paragraph), at least three words long and not followed by a literature
citation; block quotes are the same thing opening a paragraph.
"""

from __future__ import annotations

import re

from knowledge.corpus.interviewees import Interviewee, load_interviewees
from knowledge.corpus.layout import LineIndex, Region
from knowledge.corpus.parsers.common import lines_region, numbered_headings, runs_between, section_paths
from knowledge.corpus.quote_marks import quoted_regions
from knowledge.corpus.segments import ParsedSource, QuoteSegment

SOURCE_ID = "impl_scaling"
TABLE1_ANCHORS = ("Table 1\nCase description.", "22 Gojek Willem Pienaar Multi-service platform")
TABLE2_ANCHORS = ("Table 2\nImplementing and scaling Al with socio-technical", "to support lines of business")
_CITATION_AFTER_RE = re.compile(r"^[”\s]*\((?:[A-Z][^()]*\d{4}|[A-Z][a-z]+-)")
MIN_QUOTE_WORDS = 3


def _speaker_before(raw: str, paras: list[Region], quote: Region, people: list[Interviewee]) -> Interviewee | None:
    """Return the interviewee named last before the quote, in its paragraph or the one before."""
    k = next(i for i, p in enumerate(paras) if p.start <= quote.start < p.end)
    window_start = paras[k - 1].start if k else paras[k].start
    best: tuple[int, Interviewee] | None = None
    for person in people:
        for match in person.pattern().finditer(raw, window_start, quote.start):
            if best is None or match.start() > best[0]:
                best = (match.start(), person)
    return best[1] if best else None


def parse(raw: str) -> ParsedSource:
    index = LineIndex(raw)
    body = Region(0, len(raw))
    table1 = lines_region(index, *TABLE1_ANCHORS)
    table2 = lines_region(index, *TABLE2_ANCHORS)
    headings = numbered_headings(
        raw, [Region(0, table1.start), Region(table1.end, table2.start), Region(table2.end, len(raw))]
    )
    paths = section_paths(headings)

    runs = runs_between(raw, Region(0, headings[0].region.start), ("Abstract",))
    for i, heading in enumerate(headings):
        end = headings[i + 1].region.start if i + 1 < len(headings) else len(raw)
        section = Region(heading.region.end, end)
        runs += runs_between(raw, section, paths[i], holes=[table1, table2])
        if section.start <= table1.start < section.end:
            runs.append(runs_between(raw, table1, (*paths[i], "Table 1. Case description"), line_mode=True)[0])
    runs.sort(key=lambda r: r.paragraphs[0].start)

    people = load_interviewees()
    quotes = []
    for run in runs:
        if run.line_mode:
            continue
        paras = list(run.paragraphs)
        for quote in quoted_regions(raw, Region(paras[0].start, paras[-1].end)):
            text = raw[quote.start : quote.end]
            if len(text.split()) < MIN_QUOTE_WORDS or _CITATION_AFTER_RE.match(raw[quote.end : quote.end + 60]):
                continue
            person = _speaker_before(raw, paras, quote, people)
            if person is None:
                continue
            quotes.append(
                QuoteSegment(quote, run.section, person.name, person.name, person.role, person.company, person.industry)
            )

    return ParsedSource(
        source_id=SOURCE_ID,
        raw=raw,
        headings=headings,
        runs=runs,
        quotes=quotes,
        body=[body],
        structural=[h.region for h in headings],
        tables=[table2],
    )
