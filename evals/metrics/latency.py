"""Latency percentiles of ``Advisor.ask`` per case (nearest-rank, in milliseconds)."""

from __future__ import annotations

from evals.metrics.base import CaseMetric, percentile
from evals.results import CaseResult
from evals.schema import EvalCase

__all__ = ["LatencyPercentile", "percentile"]


class LatencyPercentile(CaseMetric):
    unit = "ms"
    higher_is_better = False

    def __init__(self, q: float) -> None:
        if not 0 < q <= 100:
            raise ValueError("q must be in (0, 100]")
        self.percentile = q
        self.name = f"latency_p{q:g}_ms"
        self.description = f"{q:g}th percentile of Advisor.ask wall time per case, in ms."

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        return result.latency_ms if result.answer is not None else None

    def passed(self, value: float) -> bool:
        return True
