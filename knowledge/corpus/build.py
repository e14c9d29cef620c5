"""The deterministic rebuild: raw sources -> parsed pieces -> validated records, in stable order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from knowledge.corpus.chunking import Chunker
from knowledge.corpus.cleaning import clean
from knowledge.corpus.ids import IdAllocator, slugify
from knowledge.corpus.layout import LineIndex, Region
from knowledge.corpus.parsers import impl_scaling, isa4, mlbc, playbook
from knowledge.corpus.paths import SOURCES_DIR, SOURCES_FILE, TAG_RULES_FILE
from knowledge.corpus.segments import ParsedSource
from knowledge.corpus.sources import load_sources, read_raw
from knowledge.corpus.tagging import Tagger, load_tag_rules
from knowledge.corpus.tokens import TokenCounter
from knowledge.schema import Passage, PlaybookStep, Quote, Record, Source, Span

PARSERS: dict[str, Callable[[str], ParsedSource]] = {
    "isa4": isa4.parse,
    "impl_scaling": impl_scaling.parse,
    "mlbc": mlbc.parse,
    "ops_playbook": playbook.parse,
}


def parse_source(source: Source, sources_dir: Path = SOURCES_DIR) -> ParsedSource:
    if source.id not in PARSERS:
        raise KeyError(f"no parser for source {source.id!r}; known: {sorted(PARSERS)}")
    return PARSERS[source.id](read_raw(source, sources_dir))


class RecordBuilder:
    """Builds every record of every registered source; cheap to create, tokenizer loaded on use."""

    def __init__(
        self,
        sources_file: Path = SOURCES_FILE,
        sources_dir: Path = SOURCES_DIR,
        tag_rules_file: Path = TAG_RULES_FILE,
        counter: TokenCounter | None = None,
    ) -> None:
        self.sources_file = sources_file
        self.sources_dir = sources_dir
        self.tag_rules_file = tag_rules_file
        self.counter = counter or TokenCounter()

    def build(self) -> list[Record]:
        rules = load_tag_rules(self.tag_rules_file)
        chunker = Chunker(self.counter)
        records: list[Record] = []
        for source in load_sources(self.sources_file):
            parsed = parse_source(source, self.sources_dir)
            tagger = Tagger(rules, source.id, parsed.raw, parsed.headings)
            records += self._records(source, parsed, chunker, tagger)
        ids = [r.id for r in records]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate record ids: {duplicates}")
        return records

    def _records(self, source: Source, parsed: ParsedSource, chunker: Chunker, tagger: Tagger) -> list[Record]:
        raw = parsed.raw
        lines = LineIndex(raw)
        ids = IdAllocator(source.id)

        def common(region: Region, section: tuple[str, ...]) -> dict:
            text = clean(raw[region.start : region.end])
            span = Span(
                start=region.start,
                end=region.end,
                line_start=lines.line_of(region.start),
                line_end=lines.line_of(region.end - 1),
            )
            return {
                "source_id": source.id,
                "title": source.title,
                "authors": list(source.authors),
                "year": source.year,
                "section": list(section),
                "text": text,
                "span": span,
                "tags": tagger.tags(section, region, text),
            }

        out: list[Record] = []
        for run in parsed.runs:
            for region in chunker.chunk(raw, run.paragraphs, line_mode=run.line_mode):
                out.append(Passage(id=ids.next("passage", run.slug), **common(region, run.section)))
        for quote in parsed.quotes:
            out.append(
                Quote(
                    id=ids.next("quote", slugify(quote.key)),
                    speaker=quote.speaker,
                    role=quote.role,
                    company=quote.company,
                    industry=quote.industry,
                    **common(quote.region, quote.section),
                )
            )
        for step in parsed.steps:
            out.append(
                PlaybookStep(
                    id=ids.next("step", slugify(step.phase)),
                    phase=step.phase,
                    months=step.months,
                    owner=step.owner,
                    kpi=step.kpi,
                    **common(step.region, step.section),
                )
            )
        return out


def build_records() -> list[Record]:
    """Rebuild all records from knowledge/sources (deterministic: same inputs, same output)."""
    return RecordBuilder().build()
