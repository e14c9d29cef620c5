"""``advisor`` subcommands contributed by the evals package (loaded through an entry point).

``advisor eval`` runs every kind of set; ``advisor calibrate diagnosis|scope`` fits thresholds on the
tunable split. ``advisor ask|search|diagnose --evaluate`` and ``--calibrate`` are aliases of these
(``advisor.cli.aliases``), so there is one implementation of each.
"""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli.aliases import DIAGNOSER_KEY
from advisor.llm import provider_names
from advisor.settings import Settings

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def register(group: click.Group) -> None:
    """Attach this package's subcommands to the ``advisor`` group."""
    group.add_command(eval_command)
    group.add_command(calibrate)


@click.command("eval")
@click.option("--set", "set_name", default=None, help="Eval set from evals/sets/sets.yaml.  [default: full]")
@click.option("--file", "case_file", type=FILE, default=None, help="Score this case file instead (never gated).")
@click.option(
    "--task",
    type=click.Choice(["answers", "retrieval", "diagnosis"]),
    default=None,
    help="With --file: what to run (default answers); a named set says its own.",
)
@click.option(
    "--provider",
    type=click.Choice(provider_names()),
    default="none",
    show_default=True,
    help="Who writes the answers: none (the offline composer, the gate's default), local (the bundled model), "
    "openai or ollama. ADVISOR_LLM_PROVIDER does not change this default: a gate compares like with like.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Report folder (default: $ADVISOR_DATA_DIR/eval-reports/<set>-<provider>; with --file: none).",
)
@click.option(
    "--update-baseline", is_flag=True, help="Record this run as the new baseline (on purpose); no gate check."
)
@click.option("--k", type=click.IntRange(min=1), default=None, help="Cap every retrieval depth at N.")
@click.option("--judge", is_flag=True, help="Add LLM-judged faithfulness using the provider's model.")
@click.option("--no-gate", is_flag=True, help="Report only; do not compare with the baseline.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Cases asked in parallel.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N cases.")
@click.option(
    "--split",
    type=click.Choice(["held_out", "calibration", "all", "cv", "test"]),
    default=None,
    help="With --file: the split to score; cv cross-validates, test scores the frozen split once.",
)
@click.option("--folds", type=click.IntRange(2, 20), default=None, help="Diagnosis cv: folds (default 5).")
@click.option(
    "--tune",
    type=click.Choice(["maps", "knobs", "all", "none"]),
    default=None,
    help="Diagnosis cv: what the training folds fit (default maps).",
)
@click.option("--dev-set", type=FILE, default=None, help="Diagnosis cv: also score this file (shipped calibration).")
@click.option("--no-embeddings", is_flag=True, help="Diagnosis: lexical signals only (no ablation column).")
@click.option("--json", "as_json", is_flag=True, help="Retrieval: print the evaluation as JSON.")
@click.pass_context
def eval_command(
    ctx: click.Context,
    set_name: str | None,
    case_file: Path | None,
    task: str | None,
    provider: str,
    out_dir: Path | None,
    update_baseline: bool,
    k: int | None,
    judge: bool,
    no_gate: bool,
    quiet: bool,
    workers: int,
    limit: int | None,
    split: str | None,
    folds: int | None,
    tune: str | None,
    dev_set: Path | None,
    no_embeddings: bool,
    as_json: bool,
) -> None:
    """Run an eval set (answers, retrieval or diagnosis), write a report, and gate on the stored baseline.

    Exits 1 when any metric drops beyond its tolerance (evals/gate.yaml) against
    evals/baselines/<set>.json (or <set>.<provider>.json for LLM providers).
    """
    from evals.options import EvalOptions
    from evals.session import run_eval
    from knowledge.datafile import DataFileError

    if set_name is not None and case_file is not None:
        raise click.UsageError("give --set NAME or --file FILE, not both")
    settings: Settings = ctx.obj
    options = EvalOptions(
        set_name=set_name or "full",
        file=case_file,
        task=task,  # type: ignore[arg-type]
        provider=provider,
        out_dir=out_dir,
        update_baseline=update_baseline,
        k=k,
        judge=judge,
        gate=not no_gate,
        progress=not quiet,
        workers=workers,
        limit=limit,
        split=split,  # type: ignore[arg-type]
        folds=folds,
        tune=tune,  # type: ignore[arg-type]
        dev_set=dev_set,
        embeddings=not no_embeddings,
        as_json=as_json,
    )
    from evals.gate import GateError

    try:
        outcome = run_eval(settings, options, diagnoser=ctx.meta.get(DIAGNOSER_KEY))
    except (DataFileError, GateError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(outcome.text)
    notes = [f"gate: {line}" for line in [*outcome.gate.problems, *outcome.gate.notes]] if outcome.gate else []
    if outcome.files is not None:
        files = outcome.files
        also = f"{files.markdown.name}, {files.results_json.name}, {files.chart.name}"
        notes.append(f"report: {files.html} (also {also})")
    if outcome.message:
        notes.append(outcome.message)
    for line in notes:
        click.echo(line, err=as_json)
    if outcome.exit_code:
        raise SystemExit(outcome.exit_code)


@click.group("calibrate")
def calibrate() -> None:
    """Fit thresholds on a set's tunable split (calibration; of the wild set: cv) and never on the rest."""


@calibrate.command("diagnosis")
@click.argument("files", nargs=-1, required=True, type=FILE)
@click.option(
    "--search/--maps-only",
    default=True,
    show_default=True,
    help="Search the threshold and knobs, or keep them and refit the confidence maps only.",
)
@click.option("--no-embeddings", is_flag=True, help="Lexical signals only.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here instead of advisor/diagnosis/calibration.yaml (the file the diagnoser reads).",
)
@click.pass_context
def calibrate_diagnosis(
    ctx: click.Context, files: tuple[Path, ...], search: bool, no_embeddings: bool, out: Path | None
) -> None:
    """Tune the diagnoser on the files' calibration/cv cases and write advisor/diagnosis/calibration.yaml."""
    from advisor.diagnosis import Diagnoser
    from evals.diagnosis_calibration import calibrate_and_write
    from knowledge.datafile import DataFileError

    diagnoser = ctx.meta.get(DIAGNOSER_KEY) or Diagnoser(ctx.obj, use_embeddings=not no_embeddings)
    try:
        click.echo(calibrate_and_write(diagnoser, list(files), out=out, search=search))
    except (DataFileError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


@calibrate.command("scope")
@click.argument("file", type=FILE)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N cases.")
@click.option("--provider", type=click.Choice(provider_names()), default=None, help="Override ADVISOR_LLM_PROVIDER.")
@click.pass_obj
def calibrate_scope(settings: Settings, file: Path, limit: int | None, provider: str | None) -> None:
    """Search the scope thresholds on the file's calibration split; print both splits and every decision."""
    from advisor.service import Advisor
    from evals.loader import load_cases
    from evals.scope_calibration import calibrate_scope as search_thresholds
    from knowledge.datafile import DataFileError

    if provider:
        settings = settings.model_copy(update={"llm_provider": provider})
    try:
        click.echo(search_thresholds(Advisor(settings), load_cases(file)[:limit]))
    except (DataFileError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
