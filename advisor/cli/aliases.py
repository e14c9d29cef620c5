"""The ``--evaluate`` and ``--calibrate`` flags of ``ask``, ``search`` and ``diagnose`` are aliases.

Each runs a command the evals package adds to ``advisor`` through the ``scaling_advisor.commands``
entry point (``advisor eval``, ``advisor calibrate ...``): one implementation of every evaluation, and
this package still never imports evals (the layering rule). A system the command has already built
for its other modes (the diagnoser, with its options) is handed over in the click context's ``meta``
under these keys, so the evaluation scores that very system.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

DIAGNOSER_KEY = "scaling_advisor.diagnoser"


def run_command(ctx: click.Context, path: Sequence[str], **params: Any) -> Any:
    """Invoke ``advisor <path...>`` with ``params`` (the options not given take their defaults)."""
    root = ctx.find_root()
    command: click.Command = root.command
    for name in path:
        found = command.get_command(root, name) if isinstance(command, click.Group) else None
        if found is None:
            raise click.ClickException(
                f"`advisor {' '.join(path)}` is not available: it comes with the evals package "
                "(install the project with `pip install -e .`)"
            )
        command = found
    return ctx.invoke(command, **params)
