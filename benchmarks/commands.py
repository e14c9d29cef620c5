"""``advisor bench``: the benchmarks package's subcommands (loaded through an entry point)."""

from __future__ import annotations

import click

from benchmarks import cmd_bench, cmd_bench_load, cmd_bench_speed


def register(group: click.Group) -> None:
    """Attach ``bench`` and its sections to the ``advisor`` group."""
    for module in (cmd_bench, cmd_bench_load, cmd_bench_speed):
        module.register(group)
