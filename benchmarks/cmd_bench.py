"""``advisor bench``: measurements that print figures (timing targets live here, never in tests)."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli.index_access import index_errors
from advisor.settings import Settings

DEFAULT_QUERIES = Path("evals/sets/retrieval_dev.jsonl")


@click.group("bench")
def bench() -> None:
    """Benchmarks that print timings on this machine."""


@click.command("retrieval")
@click.option(
    "--queries",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEFAULT_QUERIES,
    show_default=True,
    help="Retrieval dev set whose queries are timed.",
)
@click.option("--repeats", default=3, show_default=True, type=click.IntRange(1, 50), help="Passes over the queries.")
@click.option("--no-cli", is_flag=True, help="Skip timing a fresh `advisor ingest` process.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def retrieval(settings: Settings, queries: Path, repeats: int, no_cli: bool, as_json: bool) -> None:
    """Time cold ingest, no-change re-ingest and search p50/p95 on a throw-away index.

    Uses a tmp dir, or a temporary collection on ADVISOR_CHROMA_URL when that is set; your own
    index is never touched.
    """
    from benchmarks.retrieval import RetrievalBenchmark
    from evals.loader import load_cases

    with index_errors():
        texts = [case.message for case in load_cases(queries)]
        report = RetrievalBenchmark(settings.chroma_url, settings.embedding_model_path).run(
            texts, repeats=repeats, cli=not no_cli
        )
    click.echo(report.model_dump_json(indent=2) if as_json else report.table())


def register(group: click.Group) -> None:
    """Add ``bench retrieval``, joining a ``bench`` group another module may have registered first."""
    existing = group.commands.get("bench")
    target = existing if isinstance(existing, click.Group) else bench
    target.add_command(retrieval)
    if target is bench:
        group.add_command(bench)
