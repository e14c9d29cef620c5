"""Latency percentiles of ``Advisor.ask`` per case (nearest-rank, in milliseconds)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from evals.results import CaseResult, MetricScore


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: the smallest value with at least q% of the values at or below it."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


class LatencyPercentile:
    def __init__(self, q: float) -> None:
        if not 0 < q <= 100:
            raise ValueError("q must be in (0, 100]")
        self.q = q
        self.name = f"latency_p{q:g}_ms"
        self.description = f"{q:g}th percentile of Advisor.ask wall time per case, in ms."

    def score(self, results: Sequence[CaseResult]) -> MetricScore:
        values = [r.latency_ms for r in results if r.answer is not None]
        value = percentile(values, self.q) if values else None
        return MetricScore(
            name=self.name, description=self.description, value=value, n=len(values), unit="ms", higher_is_better=False
        )
