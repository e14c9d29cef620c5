"""The one entry point every harness calls: ``Advisor(settings).ask(message, history)``.

Pipeline: input checks → instruction guard → follow-up resolution → first retrieval → scope → diagnosis
(for a situation) → section retrieval → offline composition → citation check → (optionally) the LLM
answer, checked the same way, falling back to the offline answer with a notice. Follow-ups are resolved
before the scope check so "what about for a bank?" is judged with its context.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext, suppress
from functools import cached_property

from pydantic import BaseModel, ConfigDict

from advisor.answer.citations import CitationChecker, CitationReport
from advisor.answer.events import (
    AnswerEvent,
    CitationsEvent,
    DiagnosisEvent,
    FinalEvent,
    NoticeEvent,
    ResetEvent,
    StepEvent,
    TextEvent,
)
from advisor.answer.evidence import Evidence
from advisor.answer.followup import FollowupResolver
from advisor.answer.gather import EvidenceGatherer, scaling_table_cells
from advisor.answer.guard import InjectionGuard
from advisor.answer.intent import Intent, classify_intent
from advisor.answer.lists import default_lists
from advisor.answer.llm_composer import Accepted, FellBack, LLMComposer, LLMOutcome
from advisor.answer.offline_composer import OfflineComposer
from advisor.answer.prompts import load_prompts
from advisor.answer.query import QueryBuilder
from advisor.answer.scope import ScopeClassifier, ScopeDecision
from advisor.answer.sentences import SentencePicker, quoted_sentences
from advisor.answer.shapes import SENTINEL, situation_texts
from advisor.answer.text import split_sentences
from advisor.llm import ChatBackend, LLMUnavailableError, backend_name, build_backend
from advisor.llm.limiter import GenerationSlots
from advisor.schema import Answer, ChatTurn, Diagnosis, Scope
from advisor.settings import Settings
from advisor.text_input import clean_text, input_notices
from knowledge.embedding import Embedder
from knowledge.index.codec import to_hit
from knowledge.schema import Quote, SearchFilters

OFFLINE = "offline"
EMPTY_TEXT = "_Please type a question or describe your situation; the message was empty._"
TOO_LONG_TEXT = "_Your message is {n} characters long; the limit is {limit}. Please shorten it and ask again._"
ONLY_INSTRUCTIONS_TEXT = (
    "_I answer questions about implementing and scaling AI from cited sources. Your message only held "
    "instructions about how I should work, and those I do not follow._"
)


class Prepared(BaseModel):
    """Everything decided before composition, shared by ``ask`` and ``ask_stream``."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    question: str
    scope: ScopeDecision | None
    intent: Intent
    diagnosis: Diagnosis | None
    evidence: Evidence
    offline: CitationReport
    notices: list[str]


class Response(BaseModel):
    """An Answer plus the LLM path's outcome (None when no LLM was asked)."""

    model_config = ConfigDict(frozen=True)

    answer: Answer
    outcome: LLMOutcome | None


class Advisor:
    """Cheap to construct; the index, models and data files load on first use and are then shared."""

    def __init__(
        self,
        settings: Settings,
        retriever: object | None = None,
        diagnoser: object | None = None,
        backend: ChatBackend | None = None,
    ) -> None:
        self.settings = settings
        self._retriever = retriever
        self._diagnoser = diagnoser
        self._backend = backend
        self._llm: LLMComposer | None = None
        self.slots = GenerationSlots(settings.llm_max_concurrent)
        self._lock = threading.Lock()
        self.guard = InjectionGuard()
        self.followups = FollowupResolver()
        self.queries = QueryBuilder()

    # -- lazily built parts ------------------------------------------------------------------------------
    @cached_property
    def embedder(self) -> Embedder:
        return Embedder(self.settings.embedding_model_path)

    @property
    def retriever(self):
        with self._lock:
            if self._retriever is None:
                from advisor.answer.index_access import open_retriever

                self._retriever = open_retriever(self.settings, self.embedder)
            return self._retriever

    @property
    def diagnoser(self):
        with self._lock:
            if self._diagnoser is None:
                from advisor.diagnosis import Diagnoser

                self._diagnoser = Diagnoser(self.settings, embedder=self.embedder)
            return self._diagnoser

    @cached_property
    def scope(self) -> ScopeClassifier:
        return ScopeClassifier(self.embedder)

    @cached_property
    def checker(self) -> CitationChecker:
        return CitationChecker(self.embedder)

    @cached_property
    def composer(self) -> OfflineComposer:
        from knowledge.corpus import load_records

        quotes = [r.text for r in load_records() if isinstance(r, Quote)]
        return OfflineComposer(SentencePicker(self.embedder, guard=self.guard, quoted=quoted_sentences(quotes)))

    @cached_property
    def gatherer(self) -> EvidenceGatherer:
        from advisor.frameworks import default_frameworks

        try:
            cells = scaling_table_cells()
        except (ImportError, FileNotFoundError, ValueError):
            cells = None
        return EvidenceGatherer(self.retriever, cells=cells, frameworks=default_frameworks())

    def llm_composer(self) -> tuple[LLMComposer | None, str | None]:
        """Return the LLM composer, or None and the reason it cannot be built (shown as a notice)."""
        if self.settings.llm_provider == "none":
            return None, None
        with self._lock:
            if self._llm is None:
                try:
                    backend = self._backend or build_backend(self.settings)
                except LLMUnavailableError as exc:
                    return None, f"{exc}; this is the offline answer."
                assert backend is not None
                self._llm = LLMComposer(
                    backend,
                    self.checker,
                    load_prompts(),
                    provider=self.settings.llm_provider,
                    max_tokens=self.settings.llm_max_tokens,
                    slots=self.slots,
                )
            return self._llm, None

    def warm_up(self, llm: bool = True) -> None:
        """Load the index and models and embed what every answer needs; with ``llm``, load the writer too."""
        self.retriever.warm_up()
        self.scope.warm_up()
        self.diagnoser.warm_up()
        self._embed_corpus_sentences()
        self._embed_framework_words()
        composer, _ = self.llm_composer() if llm else (None, None)
        if composer is not None:
            # The local model: join/verify the file once and load it (2-3 s, ~2 GB). A backend that cannot be
            # built must not stop the server: every answer then falls back with the reason.
            with suppress(LLMUnavailableError):
                composer.warm_up()

    def _embed_corpus_sentences(self) -> None:
        """Embed every sentence an answer may rank, check or compare, once and in one batch.

        Scope, sentence ranking and the citation check all embed sentences of retrieved records; with
        these in the embedder's shared vector cache, a request embeds only its own new texts. The picker's
        own candidates are asked for too: it may quote a sentence trimmed (a run-in label dropped), and
        that text must be cached as well.
        """
        picker = self.composer.picker
        sentences: set[str] = set()
        for record in self.retriever.records():
            sentences.update(split_sentences(record.text))
            sentences.update(picker.candidates(to_hit(record, 0.0)))
        self.embedder.embed(sorted(sentences))

    def _embed_framework_words(self) -> None:
        """Embed the framework words of every diagnosis shape once (see ``advisor.answer.shapes``).

        Under the sentinel anchor the model sees only the words around the message, as it would in a real
        answer; those land in the shared cache, so a situation answer needs one forward pass, for its message.
        """
        texts = situation_texts(self.queries.build, self.composer.focus)
        with self.embedder.anchored(SENTINEL):
            self.embedder.embed(texts)

    def _pinned(self) -> AbstractContextManager[None]:
        """One index generation for the whole answer (see ``HybridRetriever.pinned``); a stub retriever has none."""
        pinned = getattr(self.retriever, "pinned", None)
        return pinned() if callable(pinned) else nullcontext()

    # -- the pipeline -------------------------------------------------------------------------------------
    def _refusal(self, text: str, notices: list[str]) -> Answer:
        return Answer(
            answer=text, scope=Scope.OUT_OF_SCOPE, diagnosis=None, citations=[], backend=OFFLINE, notices=notices
        )

    def _check_input(self, message: str) -> Answer | None:
        if not isinstance(message, str) or not message.strip():
            return self._refusal(EMPTY_TEXT, ["The message was empty."])
        if len(message) > self.settings.max_message_chars:
            text = TOO_LONG_TEXT.format(n=len(message), limit=self.settings.max_message_chars)
            return self._refusal(text, [f"Message longer than {self.settings.max_message_chars} characters."])
        return None

    def prepare(
        self, message: str, history: list[ChatTurn] | None = None, filters: SearchFilters | None = None
    ) -> Prepared | Answer:
        """Run every step up to the checked offline answer; return a final Answer when nothing more is needed."""
        cleaned = clean_text(message) if isinstance(message, str) else None  # undecodable bytes, control chars
        message = cleaned.text if cleaned is not None else message
        history = [t.model_copy(update={"content": clean_text(t.content).text}) for t in history or []]
        refused = self._check_input(message)
        if refused:
            return refused
        notices: list[str] = input_notices(cleaned) if cleaned is not None else []
        guarded = self.guard.clean(message)
        if guarded.findings:
            kinds = sorted({f.kind.replace("_", " ") for f in guarded.findings})
            notices.append(f"Instructions in your message were ignored ({', '.join(kinds)}): the rules stay the same.")
        if not guarded.clean_text.strip():
            return self._refusal(ONLY_INSTRUCTIONS_TEXT, notices)
        resolved = self.followups.resolve(guarded.clean_text, history)
        question = resolved.text
        if resolved.kind != "standalone":
            notices.append(f"Read as a follow-up: “{question}”")
        with self._pinned():
            return self._prepare_question(question, filters, notices)

    def _prepare_question(self, question: str, filters: SearchFilters | None, notices: list[str]) -> Prepared | Answer:
        intent = classify_intent(question)
        if intent is Intent.SITUATION:
            # One forward pass for the question and the clauses the diagnoser will embed: a pass costs about
            # the same for one short text as for a few (the model's weights are read either way).
            self.embedder.embed([question.strip(), *self.diagnoser.embedded_texts(question)])
        first_hits = self.retriever.search(question, k=6, filters=filters).hits
        decision = self.scope.classify(question, first_hits)
        if decision.scope is Scope.OUT_OF_SCOPE:
            draft = self.composer.out_of_scope()
            return self._answer(self.checker.check(draft.text, draft.passages), decision.scope, None, OFFLINE, notices)
        evidence_plain = Evidence(answer=first_hits)
        if decision.scope is Scope.UNANSWERABLE:
            draft = self.composer.unanswerable(question, _plain_reason(decision), evidence_plain)
            return self._answer(self.checker.check(draft.text, draft.passages), decision.scope, None, OFFLINE, notices)
        diagnosis = self.diagnoser.diagnose(question) if intent is Intent.SITUATION else None
        plan = self.queries.build(question, diagnosis, filters)
        # A situation's section queries and ranking focus texts are the message plus a few framework words:
        # their vectors are derived from the message's (see Embedder.anchored); BM25 still reads the words.
        with self.embedder.anchored(question) if diagnosis is not None else nullcontext():
            # One batch for what is left to embed (framework words not seen before); the searches find the rest.
            focus = self.composer.focus(question, diagnosis) if diagnosis is not None else None
            self.embedder.embed([*(spec.text.strip() for spec in plan.specs), *(focus.texts() if focus else [])])
            evidence = self.gatherer.gather(plan, diagnosis, first_hits=first_hits)
            if diagnosis is not None:
                draft = self.composer.situation(question, diagnosis, evidence, focus=focus)
            else:
                listing = default_lists().evidence(question, self.retriever, filters)  # asks for a list?
                draft = self.composer.factual(question, evidence, listing=listing)
        report = self.checker.check(draft.text, draft.passages)
        if report.dropped:
            notices.append(f"{report.dropped} sentence(s) without support in the sources were left out.")
        return Prepared(
            question=question,
            scope=decision,
            intent=intent,
            diagnosis=diagnosis,
            evidence=evidence,
            offline=report,
            notices=notices,
        )

    def _answer(
        self, report: CitationReport, scope: Scope, diagnosis: Diagnosis | None, backend: str, notices: list[str]
    ) -> Answer:
        return Answer(
            answer=report.text,
            scope=scope,
            diagnosis=diagnosis,
            citations=report.citations,
            backend=backend,
            notices=notices,
        )

    def ask(self, message: str, history: list[ChatTurn] | None = None, filters: SearchFilters | None = None) -> Answer:
        return self.respond(message, history, filters).answer

    def respond(
        self, message: str, history: list[ChatTurn] | None = None, filters: SearchFilters | None = None
    ) -> Response:
        """Answer, and keep what the LLM path did (accepted or why it fell back, tokens/s) for measurement."""
        prepared = self.prepare(message, history, filters)
        if isinstance(prepared, Answer):
            return Response(answer=prepared, outcome=None)
        composer, problem = self.llm_composer()
        notices = list(prepared.notices)
        if problem:
            notices.append(problem)
        if composer is None:
            answer = self._answer(prepared.offline, Scope.IN_SCOPE, prepared.diagnosis, OFFLINE, notices)
            return Response(answer=answer, outcome=None)
        outcome = composer.compose(prepared.question, prepared.evidence, prepared.diagnosis, prepared.offline)
        return Response(answer=self._llm_answer(prepared, outcome, notices), outcome=outcome)

    def _llm_answer(self, prepared: Prepared, outcome: LLMOutcome, notices: list[str]) -> Answer:
        if isinstance(outcome, Accepted):
            if outcome.report.dropped:
                notices.append(
                    f"{outcome.report.dropped} sentence(s) of the language model's answer had no support in the "
                    "sources and were removed."
                )
            return self._answer(
                outcome.report, Scope.IN_SCOPE, prepared.diagnosis, backend_name(self.settings), notices
            )
        notices.append(f"Showing the offline answer: {outcome.reason}.")
        return self._answer(prepared.offline, Scope.IN_SCOPE, prepared.diagnosis, OFFLINE, notices)

    def ask_stream(
        self, message: str, history: list[ChatTurn] | None = None, filters: SearchFilters | None = None
    ) -> Iterator[AnswerEvent]:
        """Yield text pieces as they are ready, then citations, diagnosis, notices and the final Answer."""
        prepared = self.prepare(message, history, filters)
        if isinstance(prepared, Answer):
            yield from _replay(prepared)
            return
        composer, problem = self.llm_composer()
        notices = list(prepared.notices)
        if problem:
            notices.append(problem)
        if composer is None:
            yield from _replay(self._answer(prepared.offline, Scope.IN_SCOPE, prepared.diagnosis, OFFLINE, notices))
            return
        if prepared.diagnosis is not None:
            yield DiagnosisEvent(diagnosis=prepared.diagnosis)
        yield StepEvent(step="writing", text=f"The language model ({composer.backend.name}) is reading the sources…")
        streamed = False
        outcome: LLMOutcome | None = None
        for item in composer.stream(prepared.question, prepared.evidence, prepared.diagnosis, prepared.offline):
            if isinstance(item, str):
                streamed = True
                yield TextEvent(text=item)
            else:
                outcome = item
        assert outcome is not None
        answer = self._llm_answer(prepared, outcome, notices)
        if answer.backend == OFFLINE:
            if streamed:
                failed = "the language model's answer failed the check"
                yield ResetEvent(reason=outcome.reason if isinstance(outcome, FellBack) else failed)
            yield from _replay(answer, diagnosis_sent=True)
            return
        yield CitationsEvent(citations=answer.citations)
        for notice in answer.notices:
            yield NoticeEvent(text=notice)
        yield FinalEvent(answer=answer)


def _replay(answer: Answer, diagnosis_sent: bool = False) -> Iterator[AnswerEvent]:
    for line in answer.answer.splitlines(keepends=True):
        yield TextEvent(text=line)
    yield CitationsEvent(citations=answer.citations)
    if answer.diagnosis is not None and not diagnosis_sent:
        yield DiagnosisEvent(diagnosis=answer.diagnosis)
    for notice in answer.notices:
        yield NoticeEvent(text=notice)
    yield FinalEvent(answer=answer)


def _plain_reason(decision: ScopeDecision) -> str:
    kinds = {"money": "budget or cost figure", "quantity": "such figure", "exact_wording": "such exact words"}
    return f"they hold no {kinds.get(decision.fact_request or '', 'such fact')} on this"
