"""One answer from message to checked, cited text: the steps in order, nothing else.

Order: input check → instruction guard → follow-up resolution → first retrieval → scope → diagnosis (for a
situation) → evidence (query plan, vectors, searches) → offline composition → citation check → (when a
model is configured) the model's answer, checked the same way, falling back to the offline answer with a
notice. Follow-ups are resolved before the scope check so "what about for a bank?" is judged with its
context. One index generation serves the whole answer (``SearchIndex.pinned``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from advisor.answer.citations import CitationReport
from advisor.answer.events import AnswerEvent, DiagnosisEvent, StepEvent, TextEvent
from advisor.answer.evidence import Evidence
from advisor.answer.intent import Intent, classify_intent
from advisor.answer.llm_composer import Accepted as WriterAccepted
from advisor.answer.llm_composer import FellBack, LLMOutcome
from advisor.messages import messages
from advisor.pipeline.protocols import SearchIndex, Step
from advisor.pipeline.schema import Final, Prepared, Response, WriterUnavailable
from advisor.pipeline.steps.composition import CitationCheckStep, CompositionStep, DeclineStep
from advisor.pipeline.steps.diagnosis import DiagnosisStep
from advisor.pipeline.steps.evidence import EvidenceStep
from advisor.pipeline.steps.message import OFFLINE, FollowupStep, GuardStep, InputCheck
from advisor.pipeline.steps.retrieval import RetrievalStep, ScopeStep
from advisor.pipeline.steps.writer import WriterStep
from advisor.pipeline.stream import FAILED_CHECK, closing, replay
from advisor.schema import Answer, ChatTurn, Diagnosis, Scope
from knowledge.schema import SearchFilters


@dataclass(frozen=True)
class Steps:
    """The pipeline's steps, one of each, as the builder made them."""

    input_check: InputCheck
    guard: GuardStep
    followup: FollowupStep
    retrieval: RetrievalStep
    scope: ScopeStep
    diagnosis: DiagnosisStep
    evidence: EvidenceStep
    decline: DeclineStep
    composition: CompositionStep
    check: CitationCheckStep

    def all(self) -> list[Step]:
        return [getattr(self, name) for name in self.__dataclass_fields__]


def _answer(
    report: CitationReport, scope: Scope, diagnosis: Diagnosis | None, backend: str, notices: list[str]
) -> Answer:
    return Answer(
        answer=report.text,
        scope=scope,
        diagnosis=diagnosis,
        citations=report.citations,
        backend=backend,
        notices=notices,
    )


class Pipeline:
    """Run the steps for one message; ``respond`` returns the answer, ``stream`` yields it as events."""

    def __init__(
        self,
        steps: Steps,
        index: SearchIndex,
        writer: WriterStep | WriterUnavailable | None,
        backend_label: str,
    ) -> None:
        self.steps = steps
        self.index = index
        # None: no model configured; WriterUnavailable: configured, not buildable (its problem is a notice)
        self.writer = writer if isinstance(writer, WriterStep) else None
        self.writer_problem = writer.problem if isinstance(writer, WriterUnavailable) else None
        self.backend_label = backend_label

    def warm_up(self) -> None:
        for step in self.steps.all():
            step.warm_up()

    # -- up to the checked offline answer ----------------------------------------------------------------
    def prepare(
        self, message: str, history: list[ChatTurn] | None = None, filters: SearchFilters | None = None
    ) -> Prepared | Final:
        """Run every step up to the checked offline answer; ``Final`` when the answer is settled before that."""
        checked = self.steps.input_check.run(message, history)
        if isinstance(checked, Final):
            return checked
        guarded = self.steps.guard.run(checked)
        if isinstance(guarded, Final):
            return guarded
        resolved = self.steps.followup.run(guarded)
        return self._prepare_question(resolved.question, filters, resolved.notices, self.index.pinned())

    def _prepare_question(
        self, question: str, filters: SearchFilters | None, notices: list[str], index: SearchIndex
    ) -> Prepared | Final:
        intent = classify_intent(question)
        if intent is Intent.SITUATION:
            self.steps.diagnosis.prefetch(question)
        first_hits = self.steps.retrieval.run(question, index, filters).hits
        decision = self.steps.scope.run(question, first_hits)
        if decision.scope is not Scope.IN_SCOPE:
            draft = self.steps.decline.run(question, decision, Evidence(answer=first_hits))
            report = self.steps.check.run(draft)
            return Final(answer=_answer(report, decision.scope, None, OFFLINE, notices))
        diagnosis = self.steps.diagnosis.run(question) if intent is Intent.SITUATION else None
        gathered = self.steps.evidence.run(question, diagnosis, index, first_hits, filters)
        composed = self.steps.composition.run(question, diagnosis, gathered, index, filters)
        report = self.steps.check.run(composed.draft)
        if report.dropped:
            notices = [*notices, messages().text("sentences_left_out", n=report.dropped)]
        return Prepared(
            question=question,
            scope=decision,
            intent=intent,
            diagnosis=diagnosis,
            evidence=gathered.evidence,
            offline=report,
            notices=notices,
            listing=composed.listing,
            stage=composed.stage,
        )

    # -- the answer ----------------------------------------------------------------------------------------
    def _notices(self, prepared: Prepared) -> list[str]:
        return [*prepared.notices, *([self.writer_problem] if self.writer_problem else [])]

    def _offline(self, prepared: Prepared, notices: list[str]) -> Answer:
        return _answer(prepared.offline, Scope.IN_SCOPE, prepared.diagnosis, OFFLINE, notices)

    def respond(
        self, message: str, history: list[ChatTurn] | None = None, filters: SearchFilters | None = None
    ) -> Response:
        """Answer, and keep what the LLM path did (accepted or why it fell back) for measurement."""
        prepared = self.prepare(message, history, filters)
        if isinstance(prepared, Final):
            return Response(answer=prepared.answer, outcome=None)
        notices = self._notices(prepared)
        if self.writer is None or prepared.stage is not None:
            return Response(answer=self._offline(prepared, notices), outcome=None)
        outcome = self.writer.run(prepared)
        return Response(answer=self._written(prepared, outcome, notices), outcome=outcome)

    def _written(self, prepared: Prepared, outcome: LLMOutcome, notices: list[str]) -> Answer:
        if isinstance(outcome, WriterAccepted):
            removed = outcome.report.dropped + outcome.withheld
            if removed:
                notices = [*notices, messages().text("model_sentences_removed", n=removed)]
            return _answer(outcome.report, Scope.IN_SCOPE, prepared.diagnosis, self.backend_label, notices)
        return self._offline(prepared, [*notices, messages().text("showing_offline", reason=outcome.reason)])

    def stream(
        self, message: str, history: list[ChatTurn] | None = None, filters: SearchFilters | None = None
    ) -> Iterator[AnswerEvent]:
        """Yield text pieces as they are ready, then citations, diagnosis, notices and the final Answer."""
        prepared = self.prepare(message, history, filters)
        if isinstance(prepared, Final):
            yield from replay(prepared.answer)
            return
        notices = self._notices(prepared)
        if self.writer is None or prepared.stage is not None:  # a stage's steps are given verbatim
            yield from replay(self._offline(prepared, notices))
            return
        if prepared.diagnosis is not None:
            yield DiagnosisEvent(diagnosis=prepared.diagnosis)
        yield StepEvent(step="writing", text=messages().text("model_reading", model=self.writer.name))
        streamed = ""
        outcome: LLMOutcome | None = None
        for item in self.writer.stream(prepared):
            if isinstance(item, str):
                streamed += item
                yield TextEvent(text=item)
            else:
                outcome = item
        if outcome is None:  # a writer must end with its outcome; without one, the offline answer stands
            outcome = FellBack(reason=FAILED_CHECK, raw_output="", seconds=0, tokens_per_second=None)
        answer = self._written(prepared, outcome, notices)
        yield from closing(answer, outcome, streamed, offline=answer.backend == OFFLINE)
