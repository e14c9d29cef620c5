"""Scope metrics: was the message placed in the right scope, and were declines justified and complete."""

from __future__ import annotations

from advisor.schema import Scope
from evals.metrics.base import CaseMetric
from evals.results import CaseResult
from evals.schema import EvalCase


def _label(scope: Scope | None) -> str | None:
    return scope.value if scope else None


class ScopeAccuracy(CaseMetric):
    name = "scope_accuracy"
    description = "Share of cases answered with the expected scope (in scope, out of scope, unanswerable)."

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        want = case.expected_scope
        return None if want is None else float(result.scope == want)

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        return f"expected {_label(case.expected_scope)}, got {_label(result.scope)}"


class AbstentionPrecision(CaseMetric):
    """Of the answers that declined (out of scope or unanswerable), how many should have."""

    name = "abstention_precision"
    description = "Share of declining answers (out of scope / unanswerable) where declining was expected."

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        want = case.expected_scope
        if want is None or result.scope in (None, Scope.IN_SCOPE):
            return None
        return float(want is not Scope.IN_SCOPE)

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        return f"expected {_label(case.expected_scope)}"


class AbstentionRecall(CaseMetric):
    """Of the cases that should be declined, how many were."""

    name = "abstention_recall"
    description = "Share of cases expected to be declined (out of scope / unanswerable) that were declined."

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        want = case.expected_scope
        if want is None or want is Scope.IN_SCOPE:
            return None
        return float(result.scope not in (None, Scope.IN_SCOPE))

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        return f"got {_label(result.scope)}"
