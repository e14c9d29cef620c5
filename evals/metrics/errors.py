"""Answer metrics: did the system answer at all, and did the LLM write the answer (not the offline fallback)."""

from __future__ import annotations

from advisor.schema import Scope
from evals.metrics.base import CaseMetric
from evals.results import CaseResult
from evals.schema import EvalCase


class AnswerRate(CaseMetric):
    name = "answer_rate"
    description = "Share of cases where Advisor.ask returned an Answer instead of raising."

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        return float(result.error is None)

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        return result.error or ""


class LlmAnswerRate(CaseMetric):
    """With an LLM backend: how many in-scope answers the model wrote and kept past the citation check.

    The advisor falls back to its offline answer (backend ``offline``) when too little of the model's
    answer survives the check; this is the share that did not fall back.
    """

    name = "llm_answer_rate"
    description = "Share of in-scope answers written by the LLM backend rather than the offline fallback."

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        answer = result.answer
        if answer is None or answer.scope is not Scope.IN_SCOPE:
            return None
        return float(answer.backend != "offline")

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        answer = result.answer
        return "; ".join(answer.notices) or "offline" if answer else ""


class LlmTokensPerSecond(CaseMetric):
    """How fast the LLM wrote, over the answers it was asked for (its own generation speed)."""

    name = "llm_tokens_per_second"
    description = "Mean tokens per second of the LLM's generation, over the answers it wrote."
    unit = "tokens/s"

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        return result.tokens_per_second

    def passed(self, value: float) -> bool:
        return True
