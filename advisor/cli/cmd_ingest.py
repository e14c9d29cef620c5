"""``advisor ingest``: sync the corpus into the index, or add users' own documents."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli.index_access import index_errors
from advisor.index_config import index_config
from advisor.settings import Settings


@click.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--rebuild",
    is_flag=True,
    help="Re-embed the whole corpus (keeps your documents); a damaged index is moved aside first.",
)
@click.pass_obj
def ingest(settings: Settings, paths: tuple[Path, ...], rebuild: bool) -> None:
    """Index the curated corpus (no PATH), or add your own .txt/.md/.pdf files (PATH...; folders too).

    Without PATH only changed records are re-embedded, so a re-run is quick; the index is rebuilt
    when the embedding model or index layout changed or an earlier build was interrupted. With PATH
    each file is added under its own name; a file that cannot be read is reported on one line and
    the others still go in.
    """
    from knowledge.index import rebuild_index
    from knowledge.index.ensure import ensure_index
    from knowledge.index.integrity import check_store
    from knowledge.index.user_doc_store import UserDocStore

    if rebuild and paths:  # refuse before anything is moved aside
        raise click.UsageError("--rebuild applies to the corpus: run `advisor ingest --rebuild` without PATH")
    config = index_config(settings)
    with index_errors():
        if not paths:
            report = rebuild_index(config, rebuild=rebuild, echo=lambda line: click.echo(line, err=True))
            for line in report.lines():
                click.echo(line)
            return
        check_store(config)  # a damaged store is refused before any file is read
        batch = UserDocStore(config, progress=True, ensure_index=ensure_index).add(paths, progress=True)
    for entry in batch.added:
        pages = f", {entry.pages} pages" if entry.pages else ""
        click.echo(f"added {entry.file_name} as {entry.doc_id} ({entry.chunks} chunks{pages})")
    for entry in batch.already_present:
        click.echo(f"already indexed: {entry.file_name} as {entry.doc_id}")
    for failure in batch.failed:
        click.echo(f"error: {failure.line()}", err=True)
    if batch.failed:
        raise click.exceptions.Exit(1)


def register(group: click.Group) -> None:
    group.add_command(ingest)
