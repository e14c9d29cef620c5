"""Parser for isa4_abstract.txt (the ISA-4 article's web abstract page).

Body: the four abstract paragraphs.  Not body: the author affiliation, journal, DOI and dates
lines above them, and the keywords, "Preview Article PDF" link text and citation line below
(bibliographic data, carried by the Source entry instead).
"""

from __future__ import annotations

from knowledge.corpus.layout import Region, find_unique
from knowledge.corpus.parsers.common import runs_between
from knowledge.corpus.segments import ParsedSource

SOURCE_ID = "isa4"
FIRST_WORDS = "Organizations continue to struggle with scaling"
KEYWORDS_LINE = "Scaling Architecture; AI Analytics; MLOps; Model Lifecycle"


def parse(raw: str) -> ParsedSource:
    body = Region(find_unique(raw, FIRST_WORDS), find_unique(raw, KEYWORDS_LINE))
    return ParsedSource(
        source_id=SOURCE_ID,
        raw=raw,
        headings=[],
        runs=runs_between(raw, body, ("Abstract",)),
        body=[body],
    )
