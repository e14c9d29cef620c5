"""Optional LLM-judged faithfulness: a chat model reads the cited passages and each claim, yes or no.

Only built when a backend is configured (``advisor eval --judge``); the deterministic metrics never need
it. The judge sees the claim with markers removed and the verbatim text of the passages the claim cites,
and must answer YES or NO; anything else counts as NO, so a confused judge lowers the score rather than
inflating it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from advisor.llm.backend import ChatBackend, ChatMessage, ChatRequest
from advisor.schema import Scope
from evals.metrics.base import CaseMetric
from evals.metrics.text import is_claim, markers, split_sentences, strip_markers
from evals.results import CaseResult
from evals.schema import EvalCase

_SYSTEM = (
    "You check whether a statement is supported by passages. Answer with exactly one word: YES if every "
    "part of the statement is stated or directly implied by the passages, otherwise NO."
)


_VERDICT = {
    "type": "object",
    "properties": {"verdict": {"type": "string", "enum": ["YES", "NO"]}},
    "required": ["verdict"],
}


class LlmFaithfulness(CaseMetric):
    name = "llm_faithfulness"
    description = "Share of claim sentences an LLM judge finds supported by the passages they cite."

    def __init__(self, judge: ChatBackend, records: Mapping[str, str], max_claims_per_answer: int = 6) -> None:
        if max_claims_per_answer < 1:
            raise ValueError("max_claims_per_answer must be >= 1")
        self.judge = judge
        self.records = records
        self.max_claims = max_claims_per_answer
        self._last: tuple[CaseResult, tuple[int, int] | None] | None = None

    def verdict(self, claim: str, passages: Sequence[str]) -> bool:
        numbered = "\n\n".join(f"Passage {i}: {text}" for i, text in enumerate(passages, start=1))
        prompt = f"{numbered}\n\nStatement: {strip_markers(claim)}\n\nIs the statement supported? YES or NO."
        request = ChatRequest(
            messages=[ChatMessage(role="system", content=_SYSTEM), ChatMessage(role="user", content=prompt)],
            json_schema=_VERDICT,
            max_tokens=12,
        )
        text = self.judge.complete(request).text.strip()
        if text.startswith("{"):  # structured: {"verdict": "YES"}; free text otherwise
            text = text.split(":", 1)[-1].strip(' "}')
        return text.upper().startswith("YES")

    def _judged(self, result: CaseResult) -> tuple[int, int] | None:
        """(supported, judged) claims of an in-scope cited answer; judged once per case (the judge is slow)."""
        if self._last is not None and self._last[0] is result:
            return self._last[1]
        answer = result.answer
        judged: tuple[int, int] | None = None
        if answer is not None and answer.scope is Scope.IN_SCOPE and answer.citations:
            by_marker = {int(c.marker[1:-1]): c for c in answer.citations}
            claims = [s for s in split_sentences(answer.answer) if is_claim(s)][: self.max_claims]
            if claims:
                supported = 0
                for claim in claims:
                    cited = [by_marker[n] for n in markers(claim) if n in by_marker]
                    passages = [self.records.get(c.passage_id, c.text) for c in cited]
                    supported += bool(passages) and self.verdict(claim, passages)
                judged = (supported, len(claims))
        self._last = (result, judged)
        return judged

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        judged = self._judged(result)
        return None if judged is None else judged[0] / judged[1]

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        judged = self._judged(result)
        return "" if judged is None else f"{judged[0]}/{judged[1]}"
