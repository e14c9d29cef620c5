"""Open the search index from the advisor's Settings (building it on first use)."""

from __future__ import annotations

from advisor.index_config import index_config
from advisor.settings import Settings
from knowledge.embedding import Embedder
from knowledge.index import HybridRetriever, open_index


def open_retriever(settings: Settings, embedder: Embedder | None = None) -> HybridRetriever:
    return open_index(index_config(settings), embedder)
