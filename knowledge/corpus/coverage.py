"""How much of each source's body the records cover, counted in letters and digits.

Body and exclusions are defined by each source's parser (see the parser docstrings): front and
back matter, references, figure-caption lists and garbled id rows are not body.  Inside the
body, two kinds of text are not expected to sit in a record span and are counted apart:
``structural`` lines (headings, list titles, roadmap phase lines, code fences, markdown rules),
whose words reach records as section paths, phases and month ranges; and ``tables`` rebuilt as
structured data (impl_scaling's Table 2 -> knowledge/data/scaling_table.yaml).  Only letters and
digits count: whitespace, punctuation and mark-up (list dashes, quote marks, tree glyphs) are not
text a record could be missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from knowledge.corpus.layout import Region
from knowledge.corpus.segments import ParsedSource
from knowledge.schema import Record


class SourceCoverage(BaseModel):
    model_config = ConfigDict(frozen=True)

    source_id: str
    body_chars: int
    structural_chars: int
    table_chars: int
    prose_chars: int  # body minus structural minus tables: what record spans must cover
    covered_chars: int  # prose characters inside at least one record span

    @property
    def span_coverage(self) -> float:
        """Share of the body's prose that lies inside record spans (the >= 95% requirement)."""
        return self.covered_chars / self.prose_chars if self.prose_chars else 1.0

    @property
    def strict_coverage(self) -> float:
        """Share of the whole body (headings and rebuilt tables included) inside record spans."""
        return self.covered_chars / self.body_chars if self.body_chars else 1.0

    @property
    def body_coverage(self) -> float:
        """Share of the whole body in spans, structural lines or rebuilt tables."""
        if not self.body_chars:
            return 1.0
        return (self.covered_chars + self.structural_chars + self.table_chars) / self.body_chars


def _mask(length: int, regions: Iterable[Region]) -> bytearray:
    mask = bytearray(length)
    for region in regions:
        mask[region.start : region.end] = b"\x01" * (region.end - region.start)
    return mask


def measure(parsed: ParsedSource, records: Sequence[Record]) -> SourceCoverage:
    raw = parsed.raw
    body = _mask(len(raw), parsed.body)
    structural = _mask(len(raw), parsed.structural)
    tables = _mask(len(raw), parsed.tables)
    spans = _mask(len(raw), (Region(r.span.start, r.span.end) for r in records if r.source_id == parsed.source_id))
    counts = {"body": 0, "structural": 0, "tables": 0, "prose": 0, "covered": 0}
    for i, ch in enumerate(raw):
        if not body[i] or not ch.isalnum():
            continue
        counts["body"] += 1
        if tables[i]:
            counts["tables"] += 1
        elif structural[i]:
            counts["structural"] += 1
        else:
            counts["prose"] += 1
            counts["covered"] += spans[i]
    return SourceCoverage(
        source_id=parsed.source_id,
        body_chars=counts["body"],
        structural_chars=counts["structural"],
        table_chars=counts["tables"],
        prose_chars=counts["prose"],
        covered_chars=counts["covered"],
    )


def measure_all(records: Sequence[Record]) -> list[SourceCoverage]:
    from knowledge.corpus.build import parse_source
    from knowledge.corpus.sources import load_sources

    return [measure(parse_source(source), records) for source in load_sources()]
