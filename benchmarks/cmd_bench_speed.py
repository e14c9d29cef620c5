"""``advisor bench all|latency|cold|stream|concurrency|ingest|scale|llm``: the speed benchmarks.

They join the ``bench`` group of the retrieval benchmarks (``cmd_bench``, registered just before this
module) or create it when that module is absent. Every command prints the tables and writes
``results.json`` and ``RESULTS.md`` under ``--out`` (default ``benchmarks/``).
"""

from __future__ import annotations

import functools
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from advisor.settings import Settings

SINGLE = {
    "latency": "The floor, the LangChain baseline, hybrid search and `ask`, interleaved on one index.",
    "cold": "Cold start: `advisor ask` in a new process, to the printed answer.",
    "stream": "`advisor serve` on a loopback port: time to the first streamed SSE piece.",
    "concurrency": "`advisor serve` on a loopback port: 1, 4 and 16 parallel clients on POST /v1/ask.",
    "ingest": "`advisor ingest` into an empty data dir, then again with nothing changed.",
    "scale": "The corpus grown ×10 and ×100 with synthetic records: ingest, search p95, disk, peak memory.",
    "llm": "The bundled model through the chat path: load, first checked sentence, whole answer, peak RSS.",
}


def _int_list(ctx: click.Context, param: click.Parameter, value: str | None) -> list[int] | None:
    if value is None:
        return None
    try:
        numbers = [int(part) for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise click.BadParameter("give comma-separated whole numbers, e.g. 1,10,100") from exc
    if not numbers or any(n < 1 for n in numbers):
        raise click.BadParameter("give one or more numbers >= 1")
    return numbers


def _common(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--quick", is_flag=True, help="Fewer repetitions, ×1/×10 only, short LLM replies."),
        click.option("--reps", type=click.IntRange(1, 100), default=None, help="Repetitions of each question."),
        click.option("--questions", type=click.IntRange(1, 1000), default=12, show_default=True),
        click.option(
            "--llm-prompts",
            type=click.IntRange(1, 1000),
            default=None,
            help="Questions the llm section asks, the kinds in turn (default 4; --quick 2).",
        ),
        click.option("--scales", callback=_int_list, default=None, help="Corpus sizes, e.g. 1,10,100."),
        click.option("--clients", callback=_int_list, default=None, help="Parallel clients, e.g. 1,4,16."),
        click.option("--label", default="latest", show_default=True, help="Name of this run in results.json."),
        click.option(
            "--out",
            type=click.Path(file_okay=False, path_type=Path),
            default=Path("benchmarks"),
            show_default=True,
            help="Where results.json and RESULTS.md go.",
        ),
        click.option("--no-write", is_flag=True, help="Print only; write nothing."),
        click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=None),
        click.option("--keep", is_flag=True, help="Keep the tmp workspace (index, logs) for inspection."),
        click.option(
            "--scale-dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help="Keep the scale indexes here and reuse them in later runs (their cold build is timed once).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _run(settings: Settings, sections: list[str], **kw: Any) -> None:
    from benchmarks.render import render_run
    from benchmarks.results import ResultsFileError, write_results
    from benchmarks.runner import BenchRunner, options_for

    try:
        options = options_for(
            kw["quick"],
            sections=sections,
            repetitions=kw["reps"],
            scales=kw["scales"],
            clients=kw["clients"],
            questions=kw["questions"],
            llm_prompts=kw["llm_prompts"],
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    command = "advisor " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    runner = BenchRunner(
        settings,
        options,
        label=kw["label"],
        command=command,
        workdir=kw["workdir"],
        keep=kw["keep"],
        say=lambda line: click.echo(line, err=True),
        scale_dir=kw["scale_dir"],
    )
    report = runner.run()
    click.echo(render_run(report))
    if not kw["no_write"]:
        try:
            json_path, md_path = write_results(report, kw["out"])
        except ResultsFileError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"wrote {json_path} and {md_path}", err=True)
    if report.problems:
        raise click.exceptions.Exit(1)


def _single(name: str) -> click.Command:
    @click.pass_obj
    def command(settings: Settings, **kw: Any) -> None:
        _run(settings, [name], **kw)

    command.__doc__ = SINGLE[name]
    return click.command(name)(_common(functools.wraps(command)(command)))


@click.command("all")
@_common
@click.option(
    "--skip",
    multiple=True,
    type=click.Choice(list(SINGLE)),
    help="Leave a section out (repeatable).",
)
@click.pass_obj
def bench_all(settings: Settings, skip: tuple[str, ...], **kw: Any) -> None:
    """Every speed section in one run on one index: the table of p50/p95 and ratios, and the targets."""
    _run(settings, [s for s in SINGLE if s not in skip], **kw)


def _bench_group(group: click.Group) -> click.Group:
    existing = group.commands.get("bench")
    if isinstance(existing, click.Group):
        return existing

    @group.group("bench")
    def bench() -> None:
        """Benchmarks that print timings on this machine."""

    return bench


def register(group: click.Group) -> None:
    bench = _bench_group(group)
    for command in [bench_all, *(_single(name) for name in SINGLE)]:
        if command.name in bench.commands:
            print(f"advisor: `bench {command.name}` already exists; the speed one is left out", file=sys.stderr)
            continue
        bench.add_command(command)
