"""Shared plumbing of the index commands: open the index from Settings and turn failures into one line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from advisor.settings import Settings

if TYPE_CHECKING:
    from knowledge.index import HybridRetriever


@contextmanager
def index_errors() -> Iterator[None]:
    """Show an unreachable server, a damaged corpus file or a bad registry as a CLI error, not a traceback."""
    from knowledge.index.chroma_store import IndexUnavailableError

    try:
        yield
    except IndexUnavailableError as exc:
        raise click.ClickException(str(exc)) from exc
    except (ValueError, RuntimeError, OSError) as exc:
        if isinstance(exc, click.ClickException):
            raise
        raise click.ClickException(f"{type(exc).__name__}: {exc}") from exc


def open_retriever(settings: Settings) -> HybridRetriever:
    """Open (and on first use build) the index the way the advisor does; progress and reasons go to stderr."""
    from advisor.answer.index_access import open_retriever as open_for_answers

    return open_for_answers(settings)
