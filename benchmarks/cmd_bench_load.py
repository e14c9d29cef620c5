"""``advisor bench load``: many concurrent conversations through the HTTP API, with errors, p95 and memory."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from advisor.settings import Settings


@click.command("load")
@click.option(
    "--conversations", default=50, show_default=True, type=click.IntRange(1, 500), help="Concurrent conversations."
)
@click.option("--duration", default=60.0, show_default=True, type=click.FloatRange(1, 3600), help="Seconds of load.")
@click.option("--timeout", default=300.0, show_default=True, type=click.FloatRange(1), help="Per-request timeout.")
@click.option("--url", default=None, help="Load a server already running here instead of starting one.")
@click.option("--pid", type=int, default=None, help="With --url: the server's pid, to report its memory.")
@click.option(
    "--rounds",
    default=2,
    show_default=True,
    type=click.IntRange(1, 10),
    help="Back-to-back rounds on one server; the memory bound applies to the last (steady state).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def load(
    settings: Settings,
    conversations: int,
    duration: float,
    timeout: float,
    url: str | None,
    pid: int | None,
    rounds: int,
    as_json: bool,
) -> None:
    """Run CONVERSATIONS concurrent conversations against POST /v1/ask for DURATION seconds.

    Without --url it starts `advisor serve` on a free 127.0.0.1 port over ADVISOR_DATA_DIR (building the
    index there if missing), with the rate limit off, and stops it afterwards. Prints errors, p50/p95
    latency, throughput and the server's RSS before/after against a stated bound; exits 1 on any error
    or when memory grew past the bound in the last round. The first round also warms the server's
    allocator and caches, so a second round shows whether memory settles or keeps growing.
    """
    from benchmarks.load import ConversationLoad

    reports = []
    if url is not None:
        load = ConversationLoad(url, conversations, duration, timeout, settings.api_token)
        reports = [load.run(pid) for _ in range(rounds)]
    else:
        from benchmarks.processes import Server
        from benchmarks.workspace import OFFLINE_ENV

        env = {k: v for k, v in os.environ.items() if k not in ("ADVISOR_PORT", "ADVISOR_HOST")}
        env.update(OFFLINE_ENV)
        env.update(ADVISOR_DATA_DIR=str(settings.data_dir), ADVISOR_API_RATE_PER_MINUTE="0")
        env.pop("ADVISOR_API_TOKEN", None)
        logs = Path(tempfile.mkdtemp(prefix="advisor-load-"))
        click.echo(f"starting `advisor serve` over {settings.data_dir} (logs in {logs})…", err=True)
        with Server(env, logs) as server:
            click.echo(f"server ready at {server.url}; {conversations} conversations for {duration:.0f} s…", err=True)
            load = ConversationLoad(server.url, conversations, duration, timeout)
            reports = [load.run(server.pid) for _ in range(rounds)]
    for number, report in enumerate(reports, 1):
        click.echo(report.model_dump_json(indent=2) if as_json else f"round {number} of {rounds}\n{report.table()}\n")
    if any(r.errors for r in reports) or reports[-1].memory_ok is False:
        raise click.exceptions.Exit(1)


def register(group: click.Group) -> None:
    """Add ``load`` to the ``bench`` group, creating the group if no other module has yet."""
    existing = group.commands.get("bench")
    if isinstance(existing, click.Group):
        bench = existing
    else:

        @group.group("bench")
        def bench_group() -> None:
            """Benchmarks: retrieval quality and the product's speed."""

        bench = bench_group
    bench.add_command(load)
