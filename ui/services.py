"""The advisor parts one server shares between the chat and the API, built once and lazily.

Building the Advisor loads the embedding model and opens (or first builds) the index, which takes
seconds; doing it on first use keeps ``create_app`` instant for tests, and ``warm_up`` lets
``advisor serve`` do it up front, before it prints the URL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from advisor.schema import Answer, ChatTurn, Diagnosis
from advisor.settings import Settings
from knowledge.schema import Record, SearchFilters, SearchResult

if TYPE_CHECKING:
    from advisor.service import Advisor


class Services:
    """Holds the one Advisor (and what it is built on) for a server process."""

    def __init__(self, settings: Settings, advisor: Advisor | None = None) -> None:
        self.settings = settings
        self._advisor = advisor
        self._doc_store: Any = None
        self._lock = threading.Lock()

    @property
    def advisor(self) -> Advisor:
        if self._advisor is None:
            with self._lock:
                if self._advisor is None:
                    from advisor.service import Advisor

                    self._advisor = Advisor(self.settings)
        return self._advisor

    def warm_up(self) -> None:
        """Build the index if missing and load the models, so the first question is answered fast."""
        advisor = self.advisor
        warm = getattr(advisor, "warm_up", None)
        if callable(warm):
            warm()

    # The calls the views and routes make -------------------------------------------------------------
    def ask(self, message: str, history: list[ChatTurn], filters: SearchFilters | None) -> Answer:
        return self.advisor.ask(message, history=history, filters=filters)

    def ask_stream(self, message: str, history: list[ChatTurn], filters: SearchFilters | None) -> Iterator[Any]:
        return iter(self.advisor.ask_stream(message, history=history, filters=filters))

    def diagnose(self, message: str, questionnaire: dict[str, str] | None = None) -> Diagnosis:
        """Diagnose free text and/or questionnaire answers (question id -> option id)."""
        from advisor.diagnosis import QuestionnaireAnswers
        from advisor.text_input import clean_text

        answers = QuestionnaireAnswers(answers=questionnaire) if questionnaire else None
        message = clean_text(message).text  # lone surrogates from JSON escapes would crash the tokenizer
        return self.diagnoser.diagnose(message, questionnaire=answers)

    @property
    def diagnoser(self) -> Any:
        return self.advisor.parts.diagnoser

    def index_config(self) -> Any:
        try:
            from advisor.index_config import index_config  # the retrieval work's mapping, when present
        except ImportError:
            from knowledge.index import IndexConfig

            s = self.settings
            return IndexConfig(
                data_dir=s.data_dir,
                chroma_url=s.chroma_url,
                collection=s.collection,
                embedding_model_path=s.embedding_model_path,
                max_upload_bytes=s.max_upload_bytes,
            )
        return index_config(self.settings)

    @property
    def doc_store(self) -> Any:
        """The users'-documents store, sharing the advisor's embedder so the model loads once."""
        if self._doc_store is None:
            with self._lock:
                if self._doc_store is None:
                    from knowledge.index.user_doc_store import UserDocStore

                    embedder = self.advisor.parts.embedder
                    self._doc_store = UserDocStore(self.index_config(), embedder, progress=False)
        return self._doc_store

    @property
    def retriever(self) -> Any:
        return self.advisor.parts.retriever

    def search(self, query: str, k: int, filters: SearchFilters | None) -> SearchResult:
        return self.retriever.search(query, k=k, filters=filters)

    def get_record(self, record_id: str) -> Record:
        return self.retriever.get_record(record_id)
