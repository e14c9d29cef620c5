"""Did ``Advisor.ask`` return at all? A raised error fails the case on every other metric too."""

from __future__ import annotations

from collections.abc import Sequence

from evals.metrics.base import mean_of
from evals.results import CaseResult, CaseScore, MetricScore


class AnswerRate:
    name = "answer_rate"
    description = "Share of cases where Advisor.ask returned an Answer instead of raising."

    def score(self, results: Sequence[CaseResult]) -> MetricScore:
        cases = [
            CaseScore(case_id=r.case_id, value=float(r.error is None), passed=r.error is None, detail=r.error or "")
            for r in results
        ]
        return mean_of(self.name, self.description, cases)
