"""The one entry point every harness calls: ``Advisor(settings).ask(message, history)``.

``Advisor`` is a thin front: ``PipelineBuilder`` (``advisor.pipeline.builder``) reads the settings and
makes the parts, ``Pipeline`` runs the steps (see ``advisor.pipeline.pipeline`` for their order), and
``WarmUp`` prefetches what every answer needs. Harnesses that need a part (the UI's diagnoser, a
benchmark's retriever) ask ``advisor.parts``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import suppress

from advisor.answer.events import AnswerEvent
from advisor.llm import ChatBackend, LLMUnavailableError
from advisor.pipeline.builder import PipelineBuilder
from advisor.pipeline.pipeline import Pipeline
from advisor.pipeline.protocols import SituationDiagnoser, WarmIndex
from advisor.pipeline.schema import Final, Prepared, Response
from advisor.schema import Answer, ChatTurn
from advisor.settings import Settings
from knowledge.embedding import Embedder
from knowledge.schema import SearchFilters

__all__ = ["Advisor", "Final", "Prepared", "Response"]


class Advisor:
    """Cheap to construct; the index, models and data files load on first use and are then shared."""

    def __init__(
        self,
        settings: Settings,
        retriever: WarmIndex | None = None,
        diagnoser: SituationDiagnoser | None = None,
        backend: ChatBackend | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.settings = settings
        self.parts = PipelineBuilder(
            settings, retriever=retriever, diagnoser=diagnoser, backend=backend, embedder=embedder
        )
        self._pipeline: Pipeline | None = None
        self._lock = threading.Lock()

    @property
    def pipeline(self) -> Pipeline:
        """The wired steps, built on first use (opening the index, building it on the first run)."""
        with self._lock:
            if self._pipeline is None:
                self._pipeline = self.parts.build()
            return self._pipeline

    def warm_up(self, llm: bool = True) -> None:
        """Load the index and models and embed what every answer needs; with ``llm``, load the writer too."""
        pipeline = self.pipeline
        prefetch = self.parts.warm_up()
        prefetch.warm_up()
        pipeline.warm_up()
        prefetch.run()
        if llm and pipeline.writer is not None:
            # The local model: join/verify the file once and start it (2-3 s, ~2 GB). A backend that cannot
            # be built must not stop the server: every answer then falls back with the reason.
            with suppress(LLMUnavailableError):
                pipeline.writer.warm_up()

    def prepare(
        self, message: str, history: list[ChatTurn] | None = None, filters: SearchFilters | None = None
    ) -> Prepared | Final:
        return self.pipeline.prepare(message, history, filters)

    def respond(
        self, message: str, history: list[ChatTurn] | None = None, filters: SearchFilters | None = None
    ) -> Response:
        """Answer, and keep what the LLM path did (accepted or why it fell back) for measurement."""
        return self.pipeline.respond(message, history, filters)

    def ask(self, message: str, history: list[ChatTurn] | None = None, filters: SearchFilters | None = None) -> Answer:
        return self.respond(message, history, filters).answer

    def ask_stream(
        self, message: str, history: list[ChatTurn] | None = None, filters: SearchFilters | None = None
    ) -> Iterator[AnswerEvent]:
        """Yield text pieces as they are ready, then citations, diagnosis, notices and the final Answer."""
        yield from self.pipeline.stream(message, history, filters)
