"""Cap how deep the advisor may retrieve, so a test can cut retrieval on purpose (``--k``)."""

from __future__ import annotations

from typing import Any

from knowledge.schema import SearchFilters, SearchResult


class DepthCappedRetriever:
    """Wrap a retriever so no search returns more than ``max_k`` hits; everything else passes through."""

    def __init__(self, inner: Any, max_k: int) -> None:
        if max_k < 1:
            raise ValueError("max_k must be >= 1")
        self.inner = inner
        self.max_k = max_k

    def search(
        self, query: str, k: int = 5, filters: SearchFilters | None = None, mode: str = "hybrid"
    ) -> SearchResult:
        return self.inner.search(query, k=min(k, self.max_k), filters=filters, mode=mode)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
