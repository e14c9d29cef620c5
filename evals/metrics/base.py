"""The shape every metric shares, in the manner of ragas' single-turn metrics.

A metric is a small class with a ``name`` and one ``score(case, result) -> float | None``: the value of
one case (``None`` when the metric does not apply to it). It never averages: the runner
(:func:`evals.runner.score_metric`) scores every case and takes the mean, so every figure of every
kind of set is averaged the same way. A metric may say how much a case weighs in that mean
(``weight``: a micro-averaged F1 weighs a case by its number of labels) or that its figure is a
percentile of the case values rather than their mean (latencies).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from evals.results import CaseResult, Unit
from evals.schema import EvalCase


class CaseMetric:
    """Base of every metric: override ``score``; ``weigh``, ``passed`` and ``explain`` when needed."""

    name: str
    description: str
    unit: Unit = "ratio"
    higher_is_better: bool = True
    percentile: float | None = None
    """Aggregate by this nearest-rank percentile of the case values instead of their mean."""

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        """Return this case's value, or None when the metric does not apply to the case."""
        raise NotImplementedError

    def weigh(self, case: EvalCase, result: CaseResult) -> tuple[float, float] | None:
        """Return (value x weight, weight) of the case in the mean; the default weighs every case 1.

        Overridden by a micro average, which returns exact counts (2 x hits, labels) so the mean is the
        pooled ratio itself and not a float approximation of it.
        """
        value = self.score(case, result)
        return None if value is None else (value, 1.0)

    def passed(self, value: float) -> bool:
        """Tell whether a case's value counts as a pass in the report (default: full marks)."""
        return value >= 1.0 - 1e-9

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        """Say why a case did not pass (asked only for failing cases)."""
        return ""


def f1(expected: set[str], predicted: set[str]) -> float:
    """Set F1; two empty sets agree perfectly (the case expects none and gets none)."""
    if not expected and not predicted:
        return 1.0
    hits = len(expected & predicted)
    if hits == 0:
        return 0.0
    precision = hits / len(predicted)
    recall = hits / len(expected)
    return 2 * precision * recall / (precision + recall)


def f1_counts(expected: set[str], predicted: set[str]) -> tuple[int, int]:
    """(2 x hits, |expected| + |predicted|): F1 is their ratio; summed over cases, the micro F1's."""
    return 2 * len(expected & predicted), len(expected) + len(predicted)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: the smallest value with at least q% of the values at or below it."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]
