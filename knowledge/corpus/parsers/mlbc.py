"""Parser for mlbc_alignment.txt (the Internet Research article as exported from the web page).

Body: the structured abstract, the article sections 1-7, the three tables (literature review,
data collection, key-term definitions; chunked line by line), the appendix table's two lists of
informant titles, and the note.  Not body (not records): the title block, ISSN/dates, keywords,
citation, publisher and licence lines; the list of figure captions (each caption only repeats a
figure title, the figures themselves are not in the text); the appendix table's garbled rows of
participant ids and event counts; the references; acknowledgements, corresponding-author line
and author biographies (no content on the topic).
Quotes: every paragraph ending in a ``∼Role`` tag is an informant quote; the tag is the role
(the paper never names informants or their companies).
"""

from __future__ import annotations

import re

from knowledge.corpus.layout import LineIndex, Region, find_unique, paragraphs
from knowledge.corpus.parsers.common import numbered_headings, runs_between, section_paths
from knowledge.corpus.segments import Heading, ParsedSource, QuoteSegment

SOURCE_ID = "mlbc"
ROLE_TAG_RE = re.compile(r"\s*∼\s*([^∼\n]+?)\.?$")
ABSTRACT_HEADINGS = ("Purpose", "Design/methodology/approach", "Findings", "Originality/value")
TABLE_TITLES = ("Literature review summary table", "Data collection", "Definitions of key terms")


def _line_at(index: LineIndex, text: str, after: int = 0) -> Region:
    """Return the whole line that is exactly ``text`` (first one after ``after``)."""
    match = re.compile(rf"^{re.escape(text)}[ \t]*$", re.MULTILINE).search(index.raw, after)
    if match is None:
        raise ValueError(f"mlbc: line {text!r} not found")
    return Region(match.start(), match.end())


def parse(raw: str) -> ParsedSource:
    index = LineIndex(raw)
    abstract = _line_at(index, "Abstract")
    keywords = _line_at(index, "Keywords", abstract.end)
    intro = _line_at(index, "1. Introduction", keywords.end)
    figures = _line_at(index, "Figures", intro.end)
    first_table = _line_at(index, TABLE_TITLES[0], figures.end)
    profiles = _line_at(index, "Summary of participants' profiles", first_table.end)
    note = _line_at(index, "Note", profiles.end)
    appendix = _line_at(index, "Appendix", note.end)

    runs = []
    headings: list[Heading] = []
    structural: list[Region] = [abstract]

    # Structured abstract: four titled parts.
    titles = [_line_at(index, t, abstract.end) for t in ABSTRACT_HEADINGS]
    for i, title in enumerate(titles):
        end = titles[i + 1].start if i + 1 < len(titles) else keywords.start
        headings.append(Heading(title, 2, raw[title.start : title.end]))
        runs += runs_between(raw, Region(title.end, end), ("Abstract", raw[title.start : title.end]))
        structural.append(title)

    # Article sections 1-7.
    main = Region(intro.start, figures.start)
    numbered = numbered_headings(raw, [main])
    for i, (heading, path) in enumerate(zip(numbered, section_paths(numbered), strict=True)):
        end = numbered[i + 1].region.start if i + 1 < len(numbered) else main.end
        runs += runs_between(raw, Region(heading.region.end, end), path)
    headings += numbered
    structural += [h.region for h in numbered]

    # Tables 1-3, line by line.
    table_lines = [_line_at(index, t, first_table.start) for t in TABLE_TITLES]
    for i, title in enumerate(table_lines):
        end = table_lines[i + 1].start if i + 1 < len(table_lines) else profiles.start
        name = f"Table {i + 1}. {TABLE_TITLES[i]}"
        headings.append(Heading(title, 1, name))
        runs += runs_between(raw, Region(title.start, end), ("Tables", name), line_mode=True)

    # Appendix table: its title/header with the FAIA informant titles, then the confirmatory ones.
    fai_titles = Region(profiles.start, index.line_region(index.line_of(find_unique(raw, "P1117Accelerator Lead"))).end)
    confirm_start = find_unique(raw, "PHASE: Confirmatory data")
    confirm = Region(
        confirm_start, index.line_region(index.line_of(find_unique(raw, "P795CEO (AI consulting firm)"))).end
    )
    appendix_section = ("Appendix", "Summary of participants' profiles")
    headings.append(Heading(profiles, 1, appendix_section[1]))
    runs += runs_between(raw, fai_titles, appendix_section, line_mode=True)
    runs += runs_between(raw, confirm, appendix_section, line_mode=True)

    # The note (footnote 1).
    runs += runs_between(raw, Region(note.end, appendix.start), ("Note",))
    structural.append(note)
    headings.append(Heading(note, 1, "Note"))

    quotes = []
    for run in runs:
        if run.line_mode:
            continue
        for para in run.paragraphs:
            for line in paragraphs(raw, para):
                match = ROLE_TAG_RE.search(raw, line.start, line.end)
                if match is None:
                    continue
                role = match.group(1).strip()
                quotes.append(
                    QuoteSegment(Region(line.start, match.start()), run.section, role, None, role, None, None)
                )

    body = [
        Region(abstract.start, keywords.start),
        main,
        Region(first_table.start, profiles.start),
        fai_titles,
        confirm,
        Region(note.start, appendix.start),
    ]
    return ParsedSource(
        source_id=SOURCE_ID,
        raw=raw,
        headings=sorted(headings, key=lambda h: h.region.start),
        runs=sorted(runs, key=lambda r: r.paragraphs[0].start),
        quotes=quotes,
        body=body,
        structural=structural,
    )
