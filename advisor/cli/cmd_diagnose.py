"""``advisor diagnose``: place a situation in the frameworks, in batch, or evaluate on the dev set."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from pydantic import ValidationError

from advisor.cli.aliases import DIAGNOSER_KEY, run_command
from advisor.llm import provider_names
from advisor.schema import Component, Diagnosis
from advisor.settings import Settings


def _facts_reader(settings: Settings, provider: str):
    """Build the situation-facts reader for ``--provider`` (None for ``none``: today's offline diagnosis).

    Its readings are cached in the data dir per message, prompt and model, so a re-run asks nothing again.
    """
    if provider == "none":
        return None
    from advisor.diagnosis.facts_reader import SituationFactsReader
    from advisor.llm.backend import LLMUnavailableError
    from advisor.llm.registry import build_backend

    try:
        backend = build_backend(settings.model_copy(update={"llm_provider": provider}))
    except LLMUnavailableError as exc:
        raise click.ClickException(str(exc)) from exc
    assert backend is not None
    return SituationFactsReader.for_data_dir(backend, settings.data_dir)


def _load_answers(path: Path):
    from advisor.diagnosis import QuestionnaireAnswers

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise click.BadParameter(f"{path}: cannot read questionnaire answers: {exc}") from exc
    if isinstance(raw, dict) and "answers" not in raw:
        raw = {"answers": raw}
    try:
        return QuestionnaireAnswers.model_validate(raw)
    except ValidationError as exc:
        raise click.BadParameter(f"{path}: answers must map question ids to option ids: {exc}") from exc


def render(message: str, diagnosis: Diagnosis) -> str:
    """Render the readable view: placement first, then each fired rule with the user's own words."""
    c = diagnosis.confidence

    def val(x) -> str:
        return x.value if x is not None else "unknown"

    def lst(xs) -> str:
        return ", ".join(x.value for x in xs) if xs else "none identified"

    lines = [
        f"Phase:            {val(diagnosis.phase)}  (confidence {c.phase:.2f})",
        f"MLbC phase:       {val(diagnosis.mlbc_phase)}  (confidence {c.mlbc_phase:.2f})",
        f"Main components:  {lst(diagnosis.components)}  (confidence {c.components:.2f})",
        f"Weakest:          {lst(diagnosis.weakest_components)}",
        "Component phases:",
    ]
    for comp in Component:
        phase = diagnosis.component_phases.get(comp)
        lines.append(f"  {comp.value:<26}{val(phase)}")
    lines += [
        f"ISA-4 layers:     {lst(diagnosis.isa4_layers)}  (confidence {c.isa4_layers:.2f})",
        f"Challenges:       {lst(diagnosis.challenges)}  (confidence {c.challenges:.2f})",
        f"Practices:        {lst(diagnosis.practices)}  (confidence {c.practices:.2f})",
        "",
        "Why - rules fired, with your words:",
    ]
    if not diagnosis.rules_fired:
        lines.append("  (no rule fired)")
    for fired in diagnosis.rules_fired:
        lines.append(f"  {fired.rule_id}  ->  {fired.conclusion}")
        if not fired.matched:
            lines.append("      (from the questionnaire)")
        for span in fired.matched:
            lines.append(f'      "{span.text}"  [{span.start}:{span.end}]')
    if diagnosis.missing_information:
        lines += ["", "Not known yet:"] + [f"  - {m}" for m in diagnosis.missing_information]
    if diagnosis.clarifying_questions:
        lines += ["", "Questions for you:"] + [f"  ? {q}" for q in diagnosis.clarifying_questions]
    return "\n".join(lines)


def _batch(diagnoser, path: Path, answers) -> int:
    from advisor.diagnosis import DiagnosisInputError

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise click.BadParameter(f"{path}: {exc}") from exc
    errors = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item_id = None
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("message"), str) or "id" not in item:
                raise ValueError('each line must be an object with "id" and a "message" string')
            item_id = item["id"]
            diagnosis = diagnoser.diagnose(item["message"], answers)
            click.echo(json.dumps({"id": item_id, "diagnosis": diagnosis.model_dump(mode="json")}, ensure_ascii=False))
        except (json.JSONDecodeError, ValueError, DiagnosisInputError) as exc:
            errors += 1
            click.echo(json.dumps({"id": item_id, "error": f"{path}:{number}: {exc}"}, ensure_ascii=False))
            click.echo(f"advisor diagnose: {path} line {number}: {exc}", err=True)
    return errors


def register(group: click.Group) -> None:
    @group.command("diagnose")
    @click.argument("message", required=False)
    @click.option("--json", "as_json", is_flag=True, help="Print the Diagnosis as JSON (the public contract).")
    @click.option(
        "--batch",
        type=click.Path(path_type=Path, exists=True, dir_okay=False),
        help='JSONL file of {"id", "message"} lines; prints one {"id", "diagnosis"} line each.',
    )
    @click.option(
        "--questionnaire",
        type=click.Path(path_type=Path, exists=True, dir_okay=False),
        help='JSON file of answers {"question_id": "option_id"} (ids in advisor/diagnosis/questionnaire.yaml); '
        "combined with the text.",
    )
    @click.option(
        "--evaluate",
        "evaluate_path",
        type=click.Path(path_type=Path, exists=True, dir_okay=False),
        help="Dev set JSONL: print rules+embeddings, rules on lexical signals only and the keyword baseline "
        "side by side (the same as advisor eval --file FILE --task diagnosis).",
    )
    @click.option(
        "--split",
        type=click.Choice(["held_out", "calibration", "all", "cv", "test"]),
        default="held_out",
        show_default=True,
        help="Which part of the set --evaluate scores. cv (wild set): k-fold cross-validation with per-fold and "
        "mean figures and reliability tables; test: the wild set's frozen split, aggregate figures only.",
    )
    @click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True, help="Folds for --split cv.")
    @click.option(
        "--tune",
        type=click.Choice(["maps", "all", "none"]),
        default="maps",
        show_default=True,
        help="With --split cv, what is fitted on the training folds of each round: the confidence maps (maps), "
        "also the semantic threshold and aggregation knobs (all), or nothing (none: the shipped calibration).",
    )
    @click.option(
        "--search/--maps-only",
        default=True,
        show_default=True,
        help="With --calibrate: search the threshold and knobs, or keep them and refit the confidence maps only.",
    )
    @click.option(
        "--dev-set",
        type=click.Path(path_type=Path, exists=True, dir_okay=False),
        default=None,
        help="With --split cv: also score this dev set (all splits) with the shipped calibration.",
    )
    @click.option(
        "--calibrate",
        "calibrate_paths",
        multiple=True,
        type=click.Path(path_type=Path, exists=True, dir_okay=False),
        help="Dev set JSONL (repeatable): tune thresholds on its calibration split only (a wild set: its cv "
        "split only) and write advisor/diagnosis/calibration.yaml (advisor calibrate diagnosis FILE...).",
    )
    @click.option("--no-embeddings", is_flag=True, help="Lexical signals only (an ablation; faster).")
    @click.option(
        "--provider",
        type=click.Choice(provider_names()),
        default="none",
        show_default=True,
        help="A model that reads the situation facts (how many models run, how they are built, the main "
        "obstacle, ...) with the user's words for each; the rules then place them. none: words only.",
    )
    @click.pass_obj
    def diagnose(
        settings: Settings,
        message: str | None,
        as_json: bool,
        batch: Path | None,
        questionnaire: Path | None,
        evaluate_path: Path | None,
        split: str,
        folds: int,
        tune: str,
        search: bool,
        dev_set: Path | None,
        calibrate_paths: tuple[Path, ...],
        no_embeddings: bool,
        provider: str,
    ) -> None:
        """Place a manager's situation in the frameworks and show which words led there.

        MESSAGE is the situation in your own words ("-" reads it from stdin). With --questionnaire
        alone (no MESSAGE) the placement comes from the answers only.
        """
        from advisor.diagnosis import Diagnoser, DiagnosisInputError, QuestionnaireError
        from knowledge.datafile import DataFileError

        calibrate_path = list(calibrate_paths) or None
        modes = sum(x is not None for x in (batch, evaluate_path, calibrate_path)) + (message is not None)
        if modes > 1:
            raise click.UsageError("give one of MESSAGE, --batch, --evaluate or --calibrate")
        if modes == 0 and questionnaire is None:
            raise click.UsageError("give a MESSAGE (or --batch FILE, --evaluate FILE, --questionnaire FILE)")
        try:
            reader = _facts_reader(settings, provider)
            diagnoser = Diagnoser(settings, use_embeddings=not no_embeddings, facts_reader=reader)
            answers = _load_answers(questionnaire) if questionnaire else None
            if calibrate_path is not None or evaluate_path is not None:
                # aliases of `advisor calibrate diagnosis FILE...` and `advisor eval --file FILE --task diagnosis`,
                # which score this very diagnoser (handed over in the context)
                ctx = click.get_current_context()
                ctx.meta[DIAGNOSER_KEY] = diagnoser
                if calibrate_path is not None:
                    run_command(ctx, ["calibrate", "diagnosis"], files=tuple(calibrate_path), search=search)
                    return
                run_command(
                    ctx,
                    ["eval"],
                    case_file=evaluate_path,
                    task="diagnosis",
                    split=split,
                    folds=folds,
                    tune=tune,
                    dev_set=dev_set,
                    no_embeddings=no_embeddings,
                    quiet=True,
                )
                return
            if batch is not None:
                if _batch(diagnoser, batch, answers):
                    sys.exit(1)
                return
            text = sys.stdin.read() if message == "-" else (message or "")
            diagnosis = diagnoser.diagnose(text, answers)
        except (DiagnosisInputError, QuestionnaireError, DataFileError) as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(diagnosis.model_dump_json(indent=2) if as_json else render(text, diagnosis))
