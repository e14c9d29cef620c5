"""What a source parser hands to the record builder: typed pieces of one raw source.

Parsers know a source's layout (headings, tables, quote conventions); the builder knows
nothing of layouts and only turns these pieces into records, so each new source needs a
parser and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.corpus.layout import Region


@dataclass(frozen=True)
class Heading:
    region: Region
    level: int
    title: str  # cleaned heading text, as shown in a record's section path


@dataclass(frozen=True)
class ProseRun:
    """Adjacent paragraphs under one heading that may be packed into passages together."""

    section: tuple[str, ...]
    slug: str
    paragraphs: tuple[Region, ...]
    line_mode: bool = False


@dataclass(frozen=True)
class QuoteSegment:
    region: Region
    section: tuple[str, ...]
    key: str  # what the ID numbers quotes by: the speaker's name or, without one, the role
    speaker: str | None
    role: str | None
    company: str | None
    industry: str | None


@dataclass(frozen=True)
class StepSegment:
    region: Region
    section: tuple[str, ...]
    phase: str
    months: str | None
    owner: str | None
    kpi: str | None


@dataclass(frozen=True)
class ParsedSource:
    """A parsed source plus the regions that define its body for the coverage check.

    ``body`` is the text the corpus must cover; ``structural`` are body lines whose content is
    carried as record metadata (headings become section paths, expert-profile and label lines
    become attribution); ``tables`` are garbled regions rebuilt as structured data files.
    """

    source_id: str
    raw: str
    headings: list[Heading]
    runs: list[ProseRun] = field(default_factory=list)
    quotes: list[QuoteSegment] = field(default_factory=list)
    steps: list[StepSegment] = field(default_factory=list)
    body: list[Region] = field(default_factory=list)
    structural: list[Region] = field(default_factory=list)
    tables: list[Region] = field(default_factory=list)
