"""What the pipeline needs from its heavier parts; tests and other implementations meet these shapes."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from advisor.schema import Diagnosis
from knowledge.index.retriever import Mode
from knowledge.schema import Record, SearchFilters, SearchResult


class SearchIndex(Protocol):
    """The search index: ``HybridRetriever`` and the one-generation ``IndexView`` it pins for an answer."""

    def search(
        self,
        query: str,
        k: int = 5,
        filters: SearchFilters | None = None,
        mode: Mode = "hybrid",
        query_vector: np.ndarray | None = None,
    ) -> SearchResult: ...

    def get_record(self, record_id: str) -> Record: ...

    def records(self) -> list[Record]: ...

    def pinned(self) -> SearchIndex: ...


class WarmIndex(SearchIndex, Protocol):
    def warm_up(self) -> None: ...


class SituationDiagnoser(Protocol):
    """Places a situation in the frameworks (``advisor.diagnosis.Diagnoser``)."""

    def warm_up(self) -> None: ...

    def diagnose(self, message: str) -> Diagnosis: ...

    def embedded_texts(self, message: str) -> list[str]: ...
