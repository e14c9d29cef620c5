"""The one place that reads ``Settings`` and wires the parts: every harness asks this builder for them.

Parts load on first use and are then shared (the embedding model, the index, the diagnoser's rules); a
caller may hand in its own index, diagnoser, backend or embedder (tests share one loaded model this way).
The UI and benchmarks ask the builder for a part (``builder.retriever``), never the pipeline.
"""

from __future__ import annotations

import threading
from functools import cached_property

from advisor.answer.citations import CitationChecker
from advisor.answer.followup import FollowupResolver
from advisor.answer.gather import CellLookup, scaling_table_cells
from advisor.answer.guard import InjectionGuard
from advisor.answer.lists import FrameworkLists, default_lists
from advisor.answer.llm_composer import LLMComposer
from advisor.answer.offline_composer import OfflineComposer
from advisor.answer.prompts import load_prompts
from advisor.answer.query import QueryBuilder
from advisor.answer.scope import ScopeClassifier
from advisor.answer.sentences import SentencePicker, quoted_sentences
from advisor.llm import ChatBackend, LLMUnavailableError, backend_name, build_backend
from advisor.llm.limiter import GenerationSlots
from advisor.messages import messages
from advisor.pipeline.pipeline import Pipeline, Steps
from advisor.pipeline.protocols import SituationDiagnoser, WarmIndex
from advisor.pipeline.schema import WriterUnavailable
from advisor.pipeline.steps.composition import CitationCheckStep, CompositionStep, DeclineStep
from advisor.pipeline.steps.diagnosis import DiagnosisStep
from advisor.pipeline.steps.evidence import EvidenceStep
from advisor.pipeline.steps.message import FollowupStep, GuardStep, InputCheck
from advisor.pipeline.steps.retrieval import RetrievalStep, ScopeStep
from advisor.pipeline.steps.writer import WriterStep
from advisor.pipeline.warmup import WarmUp
from advisor.settings import Settings
from knowledge.embedding import Embedder
from knowledge.schema import Quote
from knowledge.vectors import QueryVectorizer


class PipelineBuilder:
    """Cheap to construct; each part is built on first use and then shared by every answer."""

    def __init__(
        self,
        settings: Settings,
        *,
        retriever: WarmIndex | None = None,
        diagnoser: SituationDiagnoser | None = None,
        backend: ChatBackend | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.settings = settings
        self._retriever = retriever
        self._diagnoser = diagnoser
        self._backend = backend
        self._embedder = embedder
        self._lock = threading.RLock()

    # -- shared parts ------------------------------------------------------------------------------------
    @cached_property
    def embedder(self) -> Embedder:
        return self._embedder or Embedder(self.settings.embedding_model_path)

    @property
    def retriever(self) -> WarmIndex:
        """The search index, opened (and built on the first run) when first asked for."""
        with self._lock:
            if self._retriever is None:
                from advisor.answer.index_access import open_retriever

                self._retriever = open_retriever(self.settings, self.embedder)
            return self._retriever

    @property
    def diagnoser(self) -> SituationDiagnoser:
        with self._lock:
            if self._diagnoser is None:
                from advisor.diagnosis import Diagnoser

                self._diagnoser = Diagnoser(self.settings, embedder=self.embedder)
            return self._diagnoser

    @cached_property
    def guard(self) -> InjectionGuard:
        return InjectionGuard()

    @cached_property
    def followups(self) -> FollowupResolver:
        return FollowupResolver()

    @cached_property
    def queries(self) -> QueryBuilder:
        return QueryBuilder()

    @cached_property
    def scope(self) -> ScopeClassifier:
        return ScopeClassifier(self.embedder)

    @cached_property
    def checker(self) -> CitationChecker:
        return CitationChecker(self.embedder)

    @cached_property
    def vectorizer(self) -> QueryVectorizer:
        return QueryVectorizer(self.embedder)

    @cached_property
    def composer(self) -> OfflineComposer:
        from knowledge.corpus import load_records

        quotes = [r.text for r in load_records() if isinstance(r, Quote)]
        return OfflineComposer(SentencePicker(self.embedder, guard=self.guard, quoted=quoted_sentences(quotes)))

    @cached_property
    def lists(self) -> FrameworkLists:
        return default_lists()

    @cached_property
    def slots(self) -> GenerationSlots:
        return GenerationSlots(self.settings.llm_max_concurrent)

    @cached_property
    def writer(self) -> WriterStep | WriterUnavailable | None:
        """The LLM writer for ``settings.llm_provider``: None for ``none``, or why it cannot be built."""
        if self.settings.llm_provider == "none":
            return None
        try:
            backend = self._backend or build_backend(self.settings)
        except LLMUnavailableError as exc:
            return WriterUnavailable(problem=messages().text("writer_unavailable", problem=str(exc)))
        if backend is None:
            return None
        composer = LLMComposer(
            backend,
            self.checker,
            load_prompts(),
            provider=self.settings.llm_provider,
            max_tokens=self.settings.llm_max_tokens,
            slots=self.slots,
        )
        return WriterStep(composer)

    def _cells(self) -> CellLookup | None:
        try:
            return scaling_table_cells()
        except (ImportError, FileNotFoundError, ValueError):
            return None

    # -- what the builder makes --------------------------------------------------------------------------
    def steps(self) -> Steps:
        from advisor.frameworks import default_frameworks

        return Steps(
            input_check=InputCheck(self.settings.max_message_chars),
            guard=GuardStep(self.guard),
            followup=FollowupStep(self.followups),
            retrieval=RetrievalStep(k=6),
            scope=ScopeStep(self.scope),
            diagnosis=DiagnosisStep(self.diagnoser, self.embedder),
            evidence=EvidenceStep(
                self.queries, self.vectorizer, self.composer, frameworks=default_frameworks(), cells=self._cells()
            ),
            decline=DeclineStep(self.composer),
            composition=CompositionStep(self.composer, self.lists),
            check=CitationCheckStep(self.checker),
        )

    def build(self) -> Pipeline:
        """Wire the steps over the index (opening it, and building it on the first run)."""
        return Pipeline(self.steps(), self.retriever, self.writer, backend_name(self.settings))

    def warm_up(self) -> WarmUp:
        return WarmUp(self.retriever, self.composer, self.queries, self.vectorizer)
