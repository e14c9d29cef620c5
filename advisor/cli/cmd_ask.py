"""``advisor ask``: one cited answer, a batch of them, or the answer-quality measurement."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import click
from pydantic import ValidationError

from advisor.cli.aliases import run_command
from advisor.cli.index_access import index_errors
from advisor.llm import provider_names
from advisor.schema import Answer, ChatTurn
from advisor.settings import Settings

PROVIDERS = provider_names()
EMPTY_MESSAGE = "MESSAGE is empty: describe your situation or ask a question in words"


class EmptyMessageError(click.ClickException):
    """A usage error (exit 2, as click's) shown as its one ``Error:`` line, without the usage block."""

    exit_code = 2


def render_answer(answer: Answer) -> str:
    """Show an answer the way a consultant reads it: the text, then the numbered sources."""
    lines = [answer.answer.strip(), ""]
    if answer.citations:
        lines.append("Sources")
        for c in answer.citations:
            who = ", ".join(p for p in (c.speaker, c.company) if p)
            where = " — ".join(p for p in (c.title, c.section, who) if p)
            lines.append(f"{c.marker} {where}  ({c.kind}: {c.passage_id})")
            lines.append(textwrap.indent(textwrap.fill(c.text, width=96), "      "))
        lines.append("")
    for notice in answer.notices:
        lines.append(f"Note: {notice}")
    lines.append(f"[scope: {answer.scope} · backend: {answer.backend}]")
    return "\n".join(lines)


def _settings(settings: Settings, provider: str | None) -> Settings:
    return settings.model_copy(update={"llm_provider": provider}) if provider else settings


def _parse_line(number: int, raw: str) -> tuple[str | None, str, list[ChatTurn]]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {number}: not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise ValueError(f"line {number}: expected an object with 'id' and 'message'")
    item_id = data.get("id")
    message = data.get("message")
    if not isinstance(message, str):
        raise ValueError(f"line {number}: 'message' must be a string")
    try:
        history = [ChatTurn.model_validate(turn) for turn in data.get("history") or []]
    except ValidationError as exc:
        raise ValueError(
            f"line {number}: 'history' must be a list of {{role, content}}: {exc.errors()[0]['msg']}"
        ) from exc
    return item_id, message, history


def run_batch(advisor, path: Path, out) -> int:
    """Answer every line of a JSONL file; a bad line gets an error line and the batch goes on."""
    failures = 0
    with path.open(encoding="utf-8", errors="surrogateescape") as handle:  # bad bytes: replaced, with a notice
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                item_id, message, history = _parse_line(number, raw)
            except ValueError as exc:
                failures += 1
                click.echo(f"{path}: {exc}", err=True)
                out.write(json.dumps({"id": None, "error": str(exc)}) + "\n")
                continue
            answer = advisor.ask(message, history)
            out.write(json.dumps({"id": item_id, **answer.model_dump(mode="json")}, ensure_ascii=False) + "\n")
            out.flush()
    return failures


def register(group: click.Group) -> None:
    @group.command("ask")
    @click.argument("message", required=False)
    @click.option("--json", "as_json", is_flag=True, help="Print the Answer as JSON (--batch always does).")
    @click.option(
        "--batch",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help='JSONL of {"id", "message", "history"?} lines; prints one Answer JSON line each.',
    )
    @click.option(
        "--evaluate",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Measure answer quality on a case file (any kinds): the same as advisor eval --file FILE.",
    )
    @click.option(
        "--calibrate",
        is_flag=True,
        help="With --evaluate on a scope set: search the scope thresholds (advisor calibrate scope FILE).",
    )
    @click.option("--limit", type=int, default=None, help="With --evaluate: only the first N cases.")
    @click.option("--provider", type=click.Choice(PROVIDERS), default=None, help="Override ADVISOR_LLM_PROVIDER.")
    @click.pass_obj
    def ask(
        settings: Settings,
        message: str | None,
        as_json: bool,
        batch: Path | None,
        evaluate: Path | None,
        calibrate: bool,
        limit: int | None,
        provider: str | None,
    ) -> None:
        """Answer MESSAGE with cited sources (or a --batch file, or --evaluate a dev set)."""
        from advisor.service import Advisor

        chosen = [x for x in (message is not None, batch is not None, evaluate is not None) if x]
        if len(chosen) != 1:
            raise click.UsageError("give exactly one of MESSAGE, --batch FILE or --evaluate FILE")
        if message is not None and not message.strip():  # refused before any model or index is loaded
            raise EmptyMessageError(EMPTY_MESSAGE)
        advisor = Advisor(_settings(settings, provider))
        with index_errors():  # a damaged index or unreachable server: one line and the recovery, not a traceback
            if batch is not None:
                failures = run_batch(advisor, batch, sys.stdout)
                if failures:
                    raise SystemExit(1)
                return
            if evaluate is not None:  # aliases of `advisor eval --file FILE` and `advisor calibrate scope FILE`
                ctx = click.get_current_context()
                if calibrate:
                    run_command(ctx, ["calibrate", "scope"], file=evaluate, limit=limit, provider=provider)
                else:
                    chosen_provider = provider or settings.llm_provider
                    run_command(ctx, ["eval"], case_file=evaluate, limit=limit, provider=chosen_provider, quiet=True)
                return
            answer = advisor.ask(message or "")
        if as_json:
            click.echo(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False, indent=2))
        else:
            click.echo(render_answer(answer))
