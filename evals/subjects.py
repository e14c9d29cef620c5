"""The systems a run puts the cases to: the advisor, one search mode, one diagnoser.

Each subject turns a case into a :class:`CaseResult` with what the system produced; the metrics read
those results and never call a system themselves.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from advisor.schema import Answer, ChatTurn, Diagnosis
from evals.metrics.retrieval import relevance_groups
from evals.results import CaseResult
from evals.schema import EvalCase
from knowledge.schema import SearchFilters, SearchResult


class Asker(Protocol):
    def ask(self, message: str, history: list[ChatTurn] | None = None) -> Answer: ...


class Searcher(Protocol):
    def search(self, query: str, k: int = 5) -> SearchResult: ...


def retrieval_query(case: EvalCase) -> str:
    """Prefix a follow-up with the last earlier user turn: a plain, documented way to resolve it."""
    earlier = [turn.content for turn in case.history if turn.role == "user"]
    return " ".join([*earlier[-1:], case.message])


class AdvisorSubject:
    """Ask the case exactly as a user would (message plus history) through ``Advisor.ask``.

    Cases that name relevant records are also sent to the retriever, so retrieval quality is measured
    on its own and not only through what the composer chose to cite. When the advisor can say what its
    LLM path did (``respond``), the result keeps whether the model's answer was kept and its speed.
    ``latency_ms`` is the wall time of the ask alone.
    """

    def __init__(self, advisor: Asker, retriever: Searcher | None = None, retrieval_k: int = 10) -> None:
        if retrieval_k < 1:
            raise ValueError("retrieval_k must be >= 1")
        self.advisor = advisor
        self.retriever = retriever
        self.retrieval_k = retrieval_k

    def warm_up(self) -> None:
        warm_up = getattr(self.advisor, "warm_up", None)
        if callable(warm_up):
            warm_up()

    def __call__(self, case: EvalCase) -> CaseResult:
        started = time.perf_counter()
        answer: Answer | None = None
        error: str | None = None
        accepted: bool | None = None
        speed: float | None = None
        history = list(case.history) or None
        try:
            respond = getattr(self.advisor, "respond", None)
            if callable(respond):
                response = respond(case.message, history)
                answer, outcome = response.answer, response.outcome
                if outcome is not None:
                    accepted = outcome.kind == "accepted"
                    speed = outcome.tokens_per_second or None
            else:
                answer = self.advisor.ask(case.message, history)
        except Exception as exc:  # the case fails, the retrieval below is still measured
            error = f"{type(exc).__name__}: {exc}"
        latency_ms = (time.perf_counter() - started) * 1000
        retrieved: list[str] = []
        if self.retriever is not None and relevance_groups(case):
            hits = self.retriever.search(retrieval_query(case), k=self.retrieval_k).hits
            retrieved = [hit.passage_id for hit in hits]
        return CaseResult(
            case=case,
            answer=answer,
            error=error,
            latency_ms=latency_ms,
            retrieved_ids=retrieved,
            llm_accepted=accepted,
            tokens_per_second=speed,
        )


class SearchSubject:
    """Rank the case's message with one search mode of the retriever (the corpus only, no user documents)."""

    def __init__(self, retriever, mode: str, k: int = 10, filters: SearchFilters | None = None) -> None:
        self.retriever = retriever
        self.mode = mode
        self.k = k
        self.filters = filters or SearchFilters(include_user_docs=False)

    def __call__(self, case: EvalCase) -> CaseResult:
        hits = self.retriever.search(case.message, k=self.k, filters=self.filters, mode=self.mode).hits
        return CaseResult(case=case, retrieved_ids=[hit.passage_id for hit in hits])


class DiagnoserSubject:
    """Place the case's message with one diagnoser (any ``message -> Diagnosis`` callable)."""

    def __init__(self, diagnose: Callable[[EvalCase], Diagnosis]) -> None:
        self.diagnose = diagnose

    @classmethod
    def of(cls, diagnoser) -> DiagnoserSubject:
        """Diagnose the message text, as ``diagnoser.diagnose(message)`` does for a user."""
        return cls(lambda case: diagnoser.diagnose(case.message))

    def __call__(self, case: EvalCase) -> CaseResult:
        return CaseResult(case=case, diagnosis=self.diagnose(case))
