"""One ``advisor eval`` run from settings to exit code: build the advisor, run, report, gate.

Kept apart from the click command so tests drive exactly what the CLI does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.settings import Settings
from evals.depth import DepthCappedRetriever
from evals.gate import (
    Baseline,
    Gate,
    GatePolicy,
    GateReport,
    baseline_path,
    load_baseline,
    save_baseline,
)
from evals.loader import load_set
from evals.metrics import RECALL_DEPTH, default_metrics
from evals.report import ReportFiles, write_report
from evals.results import RunResult
from evals.runner import EvalRunner

Provider = Literal["none", "local", "openai", "ollama"]
RANKING_DEPTH = 10
"""How many hits the runner asks the retriever for, for MRR; recall is read at ``RECALL_DEPTH``."""


class EvalOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    set_name: str = "full"
    provider: Provider | None = Field(default=None, description="None = the provider the settings name.")
    out_dir: Path | None = None
    update_baseline: bool = False
    k: int | None = Field(default=None, ge=1, description="Cap on every retrieval depth (advisor and metrics).")
    judge: bool = False
    gate: bool = True
    progress: bool = True
    workers: int = Field(default=1, ge=1)
    baselines_dir: Path | None = None


class EvalOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    run: RunResult
    gate: GateReport | None
    files: ReportFiles
    baseline_file: Path
    baseline_written: bool
    message: str

    @property
    def exit_code(self) -> int:
        return 1 if self.gate is not None and not self.gate.passed else 0


def default_out_dir(settings: Settings, set_name: str, provider: str) -> Path:
    """Keep reports with the rest of the local state, never in the source tree."""
    return settings.data_dir / "eval-reports" / f"{set_name}-{provider}"


def _corpus() -> tuple[dict[str, str], dict[str, str]]:
    """Record texts (what citations must carry verbatim) and attributions (who said it, where)."""
    from knowledge.corpus import load_records

    texts, attributions = {}, {}
    for record in load_records():
        texts[record.id] = record.text
        parts = [record.title, *record.authors, *record.section]
        parts += [getattr(record, name, None) or "" for name in ("speaker", "role", "company", "industry")]
        attributions[record.id] = " ".join(p for p in parts if p)
    return texts, attributions


def build_runner(settings: Settings, options: EvalOptions) -> EvalRunner:
    from advisor.service import Advisor

    base = Advisor(settings)
    retriever = base.retriever
    if options.k is not None:
        retriever = DepthCappedRetriever(retriever, options.k)
    advisor = Advisor(settings, retriever=retriever)
    judge = None
    if options.judge:
        from advisor.llm import build_backend

        judge = build_backend(settings)
        if judge is None:
            raise ValueError("--judge needs an LLM backend: pass --provider local|openai|ollama")
    texts, attributions = _corpus()
    metrics = default_metrics(
        texts, RECALL_DEPTH, judge=judge, attributions=attributions, llm_backend=settings.llm_provider != "none"
    )
    return EvalRunner(
        advisor,
        metrics,
        retriever=retriever,
        retrieval_k=RANKING_DEPTH,
        progress=options.progress,
        workers=options.workers,
    )


def run_eval(settings: Settings, options: EvalOptions) -> EvalOutcome:
    if options.provider is not None:
        settings = settings.model_copy(update={"llm_provider": options.provider})
    provider = settings.llm_provider
    eval_set = load_set(options.set_name)
    run = build_runner(settings, options).run(eval_set, provider, k=options.k)
    path = baseline_path(eval_set.name, provider, *([options.baselines_dir] if options.baselines_dir else []))
    gate, written, message = None, False, ""
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
    files = write_report(run, gate, options.out_dir or default_out_dir(settings, eval_set.name, provider))
    return EvalOutcome(run=run, gate=gate, files=files, baseline_file=path, baseline_written=written, message=message)
