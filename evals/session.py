"""One evaluation run from settings to exit code: load the set, run its task, report, gate.

Kept apart from the click commands so tests drive exactly what the CLI does. A named set
(``advisor eval --set NAME``) is reported and gated against its baseline; a case file (``--file``,
what the ``--evaluate`` aliases pass) is an ad-hoc set: printed, reported only with ``--out``, never
gated (it has no version a baseline could be recorded for).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from advisor.settings import Settings
from evals.gate import Baseline, Gate, GatePolicy, GateReport, baseline_path, load_baseline, save_baseline
from evals.loader import load_eval_set
from evals.options import EvalOptions
from evals.report import ReportFiles, write_report
from evals.results import RunResult
from evals.schema import EvalSet

__all__ = ["EvalOptions", "EvalOutcome", "load_eval_set", "run_eval"]


class EvalOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    run: RunResult
    gate: GateReport | None
    files: ReportFiles | None
    baseline_file: Path | None
    baseline_written: bool
    message: str
    text: str

    @property
    def exit_code(self) -> int:
        return 1 if self.gate is not None and not self.gate.passed else 0


def default_out_dir(settings: Settings, set_name: str, provider: str) -> Path:
    """Keep reports with the rest of the local state, never in the source tree."""
    return settings.data_dir / "eval-reports" / f"{set_name}-{provider}"


def run_task(settings: Settings, eval_set: EvalSet, options: EvalOptions, diagnoser=None) -> RunResult:
    if eval_set.task == "retrieval":
        from evals import retrieval

        return retrieval.run(settings, eval_set, options)
    if eval_set.task == "diagnosis":
        from evals import diagnosis

        return diagnosis.run(settings, eval_set, options, diagnoser)
    from evals import answers

    return answers.run(settings, eval_set, options)


def render(run: RunResult, gate: GateReport | None, eval_set: EvalSet, options: EvalOptions) -> str:
    """Show the task's own view of the run: the metric table, the modes side by side, the systems or folds."""
    if eval_set.task == "retrieval":
        from evals import retrieval

        return retrieval.render(run, options.as_json)
    if eval_set.task == "diagnosis":
        from evals import diagnosis

        return diagnosis.render(run, eval_set.split)
    from evals import answers

    return answers.render(run, gate)


def run_eval(settings: Settings, options: EvalOptions, diagnoser=None) -> EvalOutcome:
    """Run, gate and report; ``diagnoser`` is the one a diagnosis task scores (default: the shipped one)."""
    if options.provider is not None:
        settings = settings.model_copy(update={"llm_provider": options.provider})
    eval_set = load_eval_set(options)
    if options.update_baseline and not eval_set.gated:
        raise ValueError(f"set {eval_set.name} is never gated: no baseline is recorded for it")
    run = run_task(settings, eval_set, options, diagnoser)
    provider = run.info.provider
    gate, written, message, path = None, False, "", None
    if options.file is None and not eval_set.gated:
        message = f"set {eval_set.name} is never gated (sets.yaml): its figures are read, not tuned against"
    elif options.file is None:
        path = baseline_path(eval_set.name, provider, *([options.baselines_dir] if options.baselines_dir else []))
        if options.update_baseline:
            save_baseline(Baseline.from_run(run), path)
            written, message = True, f"baseline recorded in {path}"
        elif options.gate:
            baseline = load_baseline(path)
            if baseline is None:
                message = f"no baseline at {path}: record one on purpose with --update-baseline"
            else:
                gate = Gate(GatePolicy.load()).check(run, baseline, str(path))
                message = "gate passed" if gate.passed else f"gate FAILED: {gate.failure()}"
    files = None
    if options.file is None or options.out_dir is not None:
        out = options.out_dir or default_out_dir(settings, eval_set.name, provider)
        files = write_report(run, gate, out)
    return EvalOutcome(
        run=run,
        gate=gate,
        files=files,
        baseline_file=path,
        baseline_written=written,
        message=message,
        text=render(run, gate, eval_set, options),
    )
