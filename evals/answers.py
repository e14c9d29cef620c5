"""The answers task: every case asked through ``Advisor.ask`` and scored by the answers metric table.

What ``advisor eval --set full|core|smoke|scope`` runs, and ``advisor ask --evaluate FILE`` (the same
task on one case file).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import cast

from advisor.pipeline.protocols import WarmIndex
from advisor.settings import Settings
from evals.depth import DepthCappedRetriever
from evals.gate import GateReport
from evals.metrics import RECALL_DEPTH, default_metrics
from evals.metrics.citations import CellRecords
from evals.options import EvalOptions
from evals.results import RunResult
from evals.runner import Runner
from evals.schema import EvalSet
from evals.subjects import AdvisorSubject

RANKING_DEPTH = 10
"""How many hits the subject asks the retriever for, for MRR; recall is read at ``RECALL_DEPTH``."""


@lru_cache(maxsize=1)
def corpus_texts() -> tuple[dict[str, str], dict[str, str]]:
    """Record texts (what citations must carry verbatim) and attributions (who said it, where)."""
    from knowledge.corpus import load_records

    texts, attributions = {}, {}
    for record in load_records():
        texts[record.id] = record.text
        parts = [record.title, *record.authors, *record.section]
        parts += [getattr(record, name, None) or "" for name in ("speaker", "role", "company", "industry")]
        attributions[record.id] = " ".join(p for p in parts if p)
    return texts, attributions


def cell_records() -> CellRecords:
    """Look up the scaling table's supporting records of a (phase, component) cell."""
    from knowledge.corpus import load_scaling_table

    table = load_scaling_table()
    return lambda phase, component: list(table.cell(phase, component).supporting_records)


def build(settings: Settings, options: EvalOptions) -> tuple[Runner, AdvisorSubject]:
    from advisor.service import Advisor

    retriever = Advisor(settings).parts.retriever
    if options.k is not None:
        retriever = cast("WarmIndex", DepthCappedRetriever(retriever, options.k))
    advisor = Advisor(settings, retriever=retriever)
    judge = None
    if options.judge:
        from advisor.llm import build_backend

        judge = build_backend(settings)
        if judge is None:
            raise ValueError("--judge needs an LLM backend: pass --provider local|openai|ollama")
    texts, attributions = corpus_texts()
    metrics = default_metrics(
        texts,
        RECALL_DEPTH,
        judge=judge,
        attributions=attributions,
        llm_backend=settings.llm_provider != "none",
        cell_records=cell_records(),
    )
    runner = Runner(metrics, progress=options.progress, workers=options.workers)
    return runner, AdvisorSubject(advisor, retriever=retriever, retrieval_k=RANKING_DEPTH)


def run(settings: Settings, eval_set: EvalSet, options: EvalOptions) -> RunResult:
    runner, subject = build(settings, options)
    return runner.run(eval_set, subject, settings.llm_provider, k=options.k)


def render(run: RunResult, gate: GateReport | None) -> str:
    """Show the metric table (value, cases it applied to, baseline and verdict) and the scope confusion."""
    info = run.info
    lines = [
        f"set {info.set_name} v{info.set_version}, provider {info.provider}, {info.cases} cases, "
        f"{info.errors} errors, {info.duration_s:.1f} s",
        metric_table(run, gate),
    ]
    confusion = Counter(
        (r.case.expected_scope.value, r.scope.value if r.scope else "error")
        for r in run.results
        if r.case.expected_scope is not None
    )
    if confusion:
        pairs = ", ".join(f"{want}->{got}: {n}" for (want, got), n in sorted(confusion.items()))
        lines.append(f"scope, expected -> got: {pairs}")
    return "\n".join(lines)


def metric_table(run: RunResult, gate: GateReport | None) -> str:
    checks = {c.name: c for c in gate.checks} if gate else {}
    width = max([24, *(len(m.name) + 2 for m in run.metrics)])
    lines = [f"{'metric':<{width}}{'value':>10}{'n':>6}{'baseline':>10}  gate"]
    for metric in run.metrics:
        unit_fmt = "{:.0f}" if metric.unit == "ms" else "{:.3f}"
        value = unit_fmt.format(metric.value) if metric.value is not None else "-"
        check = checks.get(metric.name)
        base = unit_fmt.format(check.baseline) if check and check.baseline is not None else "-"
        verdict = ("skipped" if check.skipped else "ok" if check.passed else "REGRESSED") if check else ""
        lines.append(f"{metric.name:<{width}}{value:>10}{metric.n:>6}{base:>10}  {verdict}")
    return "\n".join(lines)
