"""``advisor report``: the reports package's subcommand (loaded through an entry point)."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.settings import Settings


def register(group: click.Group) -> None:
    """Attach ``report`` to the ``advisor`` group."""
    group.add_command(report)


@click.command()
@click.option(
    "--from",
    "source",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="Conversation as JSON lines: the chat's conversation.jsonl (from Draft report) or `advisor ask --batch` "
    'output (whose lines carry no question; add "message" to show it).',
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["docx", "pdf", "md"]),
    default="docx",
    show_default=True,
    help="Output format.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Output file (default: next to --from).")
@click.option("--title", default=None, help="Report title.")
@click.pass_obj
def report(settings: Settings, source: Path, fmt: str, out: Path | None, title: str | None) -> None:
    """Draft a consultant's report (situation, diagnosis with chart, recommendations, quotes, references).

    FILE.jsonl lines are either answers (the Answer JSON as `advisor ask --json/--batch` prints it,
    optionally with the "message" asked) or chat turns {"role": "user"|"assistant", "content"};
    a user turn is the question of the answer that follows it. See reports/REPORT_FORMAT.md.
    """
    from reports.builder import ReportBuilder
    from reports.export import ReportExporter
    from reports.reader import ConversationReader, ReportInputError

    try:
        conversation = ConversationReader().read(source)
    except ReportInputError as exc:
        raise click.ClickException(str(exc)) from exc
    path = out or source.with_suffix(f".{fmt}")
    built = ReportBuilder().build(conversation, title=title)
    written = ReportExporter().write(built, fmt, path)
    click.echo(f"wrote {written} ({len(built.references)} references, {len(built.recommendations)} recommendations)")
