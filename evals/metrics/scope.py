"""Scope metrics: was the message placed in the right scope, and were declines justified and complete."""

from __future__ import annotations

from collections.abc import Sequence

from advisor.schema import Scope
from evals.metrics.base import mean_of
from evals.results import CaseResult, CaseScore, MetricScore


def _expected(result: CaseResult) -> Scope | None:
    return result.case.expected_scope


def _got(result: CaseResult) -> Scope | None:
    return result.answer.scope if result.answer else None


class ScopeAccuracy:
    name = "scope_accuracy"
    description = "Share of cases answered with the expected scope (in scope, out of scope, unanswerable)."

    def score(self, results: Sequence[CaseResult]) -> MetricScore:
        cases = []
        for result in results:
            want = _expected(result)
            if want is None:
                continue
            got = _got(result)
            ok = got == want
            detail = f"expected {want.value}, got {got.value if got else None}"
            cases.append(CaseScore(case_id=result.case_id, value=float(ok), passed=ok, detail=detail))
        return mean_of(self.name, self.description, cases)


class AbstentionPrecision:
    """Of the answers that declined (out of scope or unanswerable), how many should have."""

    name = "abstention_precision"
    description = "Share of declining answers (out of scope / unanswerable) where declining was expected."

    def score(self, results: Sequence[CaseResult]) -> MetricScore:
        cases = []
        for result in results:
            want, got = _expected(result), _got(result)
            if want is None or got in (None, Scope.IN_SCOPE):
                continue
            ok = want is not Scope.IN_SCOPE
            cases.append(CaseScore(case_id=result.case_id, value=float(ok), passed=ok, detail=f"expected {want.value}"))
        return mean_of(self.name, self.description, cases)


class AbstentionRecall:
    """Of the cases that should be declined, how many were."""

    name = "abstention_recall"
    description = "Share of cases expected to be declined (out of scope / unanswerable) that were declined."

    def score(self, results: Sequence[CaseResult]) -> MetricScore:
        cases = []
        for result in results:
            want, got = _expected(result), _got(result)
            if want is None or want is Scope.IN_SCOPE:
                continue
            ok = got not in (None, Scope.IN_SCOPE)
            detail = f"got {got.value if got else None}"
            cases.append(CaseScore(case_id=result.case_id, value=float(ok), passed=ok, detail=detail))
        return mean_of(self.name, self.description, cases)
