"""Did ``Advisor.ask`` return at all? A raised error fails the case on every other metric too."""

from __future__ import annotations

from collections.abc import Sequence

from advisor.schema import Scope
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


class LlmAnswerRate:
    """With an LLM backend: how many in-scope answers the model wrote and kept past the citation check.

    The advisor falls back to its offline answer (backend ``offline``) when too little of the model's
    answer survives the check; this is the share that did not fall back.
    """

    name = "llm_answer_rate"
    description = "Share of in-scope answers written by the LLM backend rather than the offline fallback."

    def score(self, results: Sequence[CaseResult]) -> MetricScore:
        cases = []
        for result in results:
            answer = result.answer
            if answer is None or answer.scope is not Scope.IN_SCOPE:
                continue
            kept = answer.backend != "offline"
            detail = answer.backend if kept else "; ".join(answer.notices) or "offline"
            cases.append(CaseScore(case_id=result.case_id, value=float(kept), passed=kept, detail=detail))
        return mean_of(self.name, self.description, cases)
