"""``advisor docs``: list and remove the documents users added with ``advisor ingest PATH``."""

from __future__ import annotations

import json

import click

from advisor.cli.index_access import index_errors
from advisor.index_config import index_config
from advisor.settings import Settings


@click.group("docs")
def docs() -> None:
    """Manage your own documents in the index (added with `advisor ingest PATH...`)."""


@docs.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.pass_obj
def list_docs(settings: Settings, as_json: bool) -> None:
    """List added documents: id, file name, pages, chunks, when added."""
    from knowledge.index.user_doc_store import UserDocStore

    with index_errors():
        entries = UserDocStore(index_config(settings), progress=False).list()
    if as_json:
        click.echo(json.dumps([e.model_dump(mode="json") for e in entries], indent=2))
        return
    if not entries:
        click.echo("no documents added yet (add some with `advisor ingest PATH...`)")
        return
    click.echo(f"{'ID':<13} {'PAGES':>5} {'CHUNKS':>6}  {'ADDED (UTC)':<16}  FILE")
    for e in entries:
        pages = str(e.pages) if e.pages is not None else "-"
        added = e.added_at.strftime("%Y-%m-%d %H:%M")
        click.echo(f"{e.doc_id:<13} {pages:>5} {e.chunks:>6}  {added:<16}  {e.file_name}")


@docs.command("remove")
@click.argument("doc_id")
@click.pass_obj
def remove_doc(settings: Settings, doc_id: str) -> None:
    """Remove one document (by the ID `advisor docs list` shows) from the index and the registry."""
    from knowledge.index.user_doc_store import UnknownDocError, UserDocStore

    with index_errors():
        try:
            entry = UserDocStore(index_config(settings), progress=False).remove(doc_id)
        except UnknownDocError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"removed {entry.file_name if entry else doc_id} ({doc_id})")


def register(group: click.Group) -> None:
    group.add_command(docs)
