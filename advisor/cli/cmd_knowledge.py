"""``advisor knowledge``: inspect and rebuild the curated corpus (counts, one record, rebuild)."""

from __future__ import annotations

import textwrap
from collections import Counter
from typing import TYPE_CHECKING

import click

from knowledge.schema import PlaybookStep, Quote, Record, Source

if TYPE_CHECKING:
    from knowledge.corpus.coverage import SourceCoverage

KINDS = ("passage", "quote", "playbook_step")


def render_stats(records: list[Record], sources: list[Source], coverage: list[SourceCoverage] | None = None) -> str:
    """Render records per source and kind as a plain-text table (plus coverage when measured)."""
    counts: Counter[tuple[str, str]] = Counter((r.source_id, r.kind) for r in records)
    header = ["source", *KINDS, "total"]
    rows = [header]
    for source in sources:
        per_kind = [counts[(source.id, k)] for k in KINDS]
        rows.append([source.id, *map(str, per_kind), str(sum(per_kind))])
    totals = [sum(counts[(s.id, k)] for s in sources) for k in KINDS]
    rows.append(["all", *map(str, totals), str(sum(totals))])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )

    out = [line(rows[0]), "  ".join("-" * w for w in widths), *(line(r) for r in rows[1:-1])]
    out += ["  ".join("-" * w for w in widths), line(rows[-1])]
    if coverage:
        out += ["", "coverage (letters and digits of each source's body; see knowledge/corpus/coverage.py)"]
        for c in coverage:
            out.append(
                f"  {c.source_id:<13} spans cover {c.span_coverage:7.2%} of body prose"
                f" ({c.covered_chars}/{c.prose_chars})"
                f" and {c.strict_coverage:7.2%} of the whole body ({c.covered_chars}/{c.body_chars}; the rest is"
                f" {c.structural_chars} heading/label chars and {c.table_chars} rebuilt-table chars)"
            )
    return "\n".join(out)


def render_record(record: Record, source: Source) -> str:
    """Render one record with everything needed to cite it."""
    authors = ", ".join(source.authors) or "no authors given"
    lines = [
        f"{record.id}",
        f"  kind:     {record.kind}",
        f"  source:   {source.title} ({authors}; {source.year or 'n.d.'})"
        + (f", {source.venue}" if source.venue else ""),
        f"  file:     knowledge/sources/{source.filename}, lines {record.span.line_start}-{record.span.line_end}"
        f" (chars {record.span.start}-{record.span.end})",
        f"  section:  {' > '.join(record.section) or '-'}",
    ]
    if isinstance(record, Quote):
        lines += [
            f"  speaker:  {record.speaker or '-'}",
            f"  role:     {record.role or '-'}",
            f"  company:  {record.company or '-'}",
            f"  industry: {record.industry or '-'}",
        ]
    if isinstance(record, PlaybookStep):
        lines += [
            f"  phase:    {record.phase}",
            f"  months:   {record.months or '-'}",
            f"  owner:    {record.owner or '-'}",
            f"  kpi:      {record.kpi or '-'}",
        ]
    lines.append(f"  tags:     {', '.join(record.tags) or '-'}")
    lines.append("")
    lines.append(textwrap.indent(textwrap.fill(record.text, width=96), "  "))
    return "\n".join(lines)


@click.group("knowledge")
def knowledge_group() -> None:
    """Inspect and rebuild the curated corpus (knowledge/data/records.jsonl)."""


@knowledge_group.command("stats")
@click.option("--coverage/--no-coverage", default=True, help="Also measure how much of each source is covered.")
def stats_cmd(coverage: bool) -> None:
    """Count records per source and kind."""
    from knowledge.corpus import CorpusFileError, corpus_version, load_records, load_sources

    try:
        records = load_records()
    except CorpusFileError as exc:
        raise click.ClickException(str(exc)) from exc
    measured = None
    if coverage:
        from knowledge.corpus.coverage import measure_all

        measured = measure_all(records)
    click.echo(render_stats(records, load_sources(), measured))
    click.echo(f"\ncorpus version {corpus_version()}")


@knowledge_group.command("show")
@click.argument("record_id")
def show_cmd(record_id: str) -> None:
    """Print one record (by ID) with its attribution and location in the source."""
    from knowledge.corpus import CorpusFileError, get_record
    from knowledge.corpus.sources import source_by_id

    try:
        record = get_record(record_id)
    except KeyError as exc:
        raise click.ClickException(exc.args[0]) from exc
    except CorpusFileError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(render_record(record, source_by_id(record.source_id)))


@knowledge_group.command("build")
@click.option("--check", is_flag=True, help="Only compare; exit 1 if the committed records.jsonl is stale.")
def build_cmd(check: bool) -> None:
    """Rebuild records.jsonl from knowledge/sources (deterministic)."""
    from knowledge.corpus import build_records
    from knowledge.corpus.paths import RECORDS_FILE
    from knowledge.corpus.store import dump_records

    fresh = dump_records(build_records())
    current = RECORDS_FILE.read_text(encoding="utf-8") if RECORDS_FILE.is_file() else ""
    if check:
        if fresh == current:
            click.echo(f"{RECORDS_FILE} is up to date ({fresh.count(chr(10))} records)")
            return
        old, new = set(current.splitlines()), set(fresh.splitlines())
        click.echo(
            f"{RECORDS_FILE} is stale: {len(new - old)} records would change or be added, {len(old - new)} replaced"
            " or removed; run `advisor knowledge build`",
            err=True,
        )
        raise SystemExit(1)
    RECORDS_FILE.write_text(fresh, encoding="utf-8")
    click.echo(f"wrote {fresh.count(chr(10))} records to {RECORDS_FILE}")


def register(group: click.Group) -> None:
    group.add_command(knowledge_group)
