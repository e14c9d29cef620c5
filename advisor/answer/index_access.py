"""Open the search index from the advisor's Settings (building it on first use)."""

from __future__ import annotations

from advisor.index_config import index_config
from advisor.settings import Settings
from knowledge.embedding import Embedder
from knowledge.index import HybridRetriever, open_index


def open_retriever(settings: Settings, embedder: Embedder | None = None) -> HybridRetriever:
    """Check the index, build or sync it when missing or stale, and open it (progress on stderr).

    A damaged index raises :class:`~knowledge.index.integrity.IndexDamagedError` naming the repair,
    ``advisor ingest --rebuild`` (:func:`knowledge.index.rebuild_index`); nothing here repairs.
    """
    return open_index(index_config(settings), embedder, progress=True)
