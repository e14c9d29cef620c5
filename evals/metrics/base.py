"""The shape every metric shares: one ``score`` method from case results to a typed :class:`MetricScore`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from evals.results import CaseResult, CaseScore, MetricScore


class Metric(Protocol):
    name: str
    description: str

    def score(self, results: Sequence[CaseResult]) -> MetricScore: ...


def mean_of(name: str, description: str, cases: list[CaseScore]) -> MetricScore:
    """Macro average over the cases a metric applies to (each case weighs the same, as in ragas)."""
    value = sum(c.value for c in cases) / len(cases) if cases else None
    return MetricScore(name=name, description=description, value=value, n=len(cases), cases=cases)


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
