"""``advisor`` subcommands contributed by the ui package (loaded through an entry point)."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Attach this package's subcommands to the ``advisor`` group."""
