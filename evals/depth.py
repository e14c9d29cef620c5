"""Cap how deep the advisor may retrieve, so a test can cut retrieval on purpose (``--k``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from knowledge.index.retriever import Mode
from knowledge.schema import SearchFilters, SearchResult


class DepthCappedRetriever:
    """Wrap a retriever so no search returns more than ``max_k`` hits; everything else passes through.

    The view the pipeline pins for one answer (``pinned()``) is capped the same way.
    """

    def __init__(self, inner: Any, max_k: int) -> None:
        if max_k < 1:
            raise ValueError("max_k must be >= 1")
        self.inner = inner
        self.max_k = max_k

    def search(
        self,
        query: str,
        k: int = 5,
        filters: SearchFilters | None = None,
        mode: Mode = "hybrid",
        query_vector: np.ndarray | None = None,
    ) -> SearchResult:
        capped = min(k, self.max_k)
        if query_vector is None:
            return self.inner.search(query, k=capped, filters=filters, mode=mode)
        return self.inner.search(query, k=capped, filters=filters, mode=mode, query_vector=query_vector)

    def pinned(self) -> DepthCappedRetriever:
        return DepthCappedRetriever(self.inner.pinned(), self.max_k)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
