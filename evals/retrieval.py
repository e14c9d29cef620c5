"""The retrieval task: every query through each search mode, recall@5, hit@5 and MRR@10 per mode.

What ``advisor eval --set retrieval`` runs, and ``advisor search --evaluate FILE`` (the same task on one
case file). The view is the modes side by side with recall@5 per query style, or (``--json``) the
evaluation as JSON: per mode the figures and every query's ranking.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict

from advisor.settings import Settings
from evals.loader import require_kind
from evals.metrics import retrieval_metrics
from evals.metrics.retrieval import relevance_groups
from evals.options import EvalOptions
from evals.results import CaseResult, RunResult
from evals.runner import Runner, average, run_info
from evals.schema import EvalSet, RetrievalCase
from evals.subjects import SearchSubject

MODES = ("dense", "bm25", "hybrid")
RANKING_DEPTH = 10


def run(
    settings: Settings, eval_set: EvalSet, options: EvalOptions, retriever=None, modes: Sequence[str] = MODES
) -> RunResult:
    """Rank every case with each mode of one retriever (the advisor's index, opened and built on first use)."""
    require_kind(eval_set, RetrievalCase, "retrieval")
    if retriever is None:
        from advisor.answer.index_access import open_retriever

        retriever = open_retriever(settings)
    started_at, clock = datetime.now(UTC), time.perf_counter()
    runner = Runner(retrieval_metrics(), progress=options.progress)
    parts, results = [], []
    for mode in modes:
        part, mode_results = runner.run_part(
            eval_set.cases, SearchSubject(retriever, mode, k=RANKING_DEPTH), name=mode, label=f"retrieval {mode}"
        )
        parts.append(part)
        results += mode_results
    info = run_info(eval_set, "none", started_at, time.perf_counter() - clock, results)
    return RunResult.from_parts(info, parts, results)


class QueryOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    style: str
    found: list[str]
    recall: float
    reciprocal_rank: float


class ModeScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    mode: str
    recall_at_5: float
    hit_at_5: float
    mrr_at_10: float
    recall_by_style: dict[str, float]
    outcomes: list[QueryOutcome]


class RetrievalEvaluation(BaseModel):
    """The run as ``advisor search --evaluate --json`` prints it."""

    model_config = ConfigDict(frozen=True)

    dev_set: str
    queries: int
    scores: list[ModeScore]

    def table(self) -> str:
        styles = sorted({o.style for s in self.scores for o in s.outcomes})
        head = f"{'mode':<8} {'recall@5':>9} {'hit@5':>7} {'MRR@10':>7}" + "".join(f" {'R@5 ' + s:>15}" for s in styles)
        lines = [f"{self.dev_set}: {self.queries} queries", head, "-" * len(head)]
        for score in self.scores:
            row = f"{score.mode:<8} {score.recall_at_5:>9.3f} {score.hit_at_5:>7.3f} {score.mrr_at_10:>7.3f}"
            lines.append(row + "".join(f" {score.recall_by_style.get(s, 0.0):>15.3f}" for s in styles))
        return "\n".join(lines)


def evaluation(run: RunResult) -> RetrievalEvaluation:
    """Read the run's per-mode scores (and each query's, for recall by style) into the evaluation."""
    scores = []
    for part in run.parts:
        recall, hit, mrr = (part.metric(name) for name in ("recall_at_5", "hit_at_5", "mrr"))
        assert recall is not None and hit is not None and mrr is not None
        results = {r.case_id: r for r in run.results_of(part.name)}
        style = {cid: _style(r) for cid, r in results.items()}
        by_style = {
            s: average([c for c in recall.cases if style[c.case_id] == s]) or 0.0 for s in sorted(set(style.values()))
        }
        rr = {c.case_id: c.value for c in mrr.cases}
        outcomes = [
            QueryOutcome(
                id=c.case_id,
                style=style[c.case_id],
                found=results[c.case_id].retrieved_ids[:RANKING_DEPTH],
                recall=c.value,
                reciprocal_rank=rr[c.case_id],
            )
            for c in recall.cases
        ]
        scores.append(
            ModeScore(
                mode=part.name,
                recall_at_5=recall.value or 0.0,
                hit_at_5=hit.value or 0.0,
                mrr_at_10=mrr.value or 0.0,
                recall_by_style=by_style,
                outcomes=outcomes,
            )
        )
    return RetrievalEvaluation(dev_set=run.info.set_name, queries=run.info.cases, scores=scores)


def _style(result: CaseResult) -> str:
    case = result.case
    return case.style if isinstance(case, RetrievalCase) else "-"


def render(run: RunResult, as_json: bool = False) -> str:
    view = evaluation(run)
    return view.model_dump_json(indent=2) if as_json else view.table()


def queries(cases: Sequence[RetrievalCase]) -> list[str]:
    """Return the query texts of retrieval cases (what a benchmark times)."""
    return [case.message for case in cases if relevance_groups(case)]
