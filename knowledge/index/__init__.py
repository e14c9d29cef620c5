"""Search over the corpus and users' documents: Chroma (dense) + BM25 (lexical), fused.

The public entry points are :func:`open_index` (builds the index on first use), :class:`Ingestor`
and :class:`HybridRetriever`; everything is configured by an :class:`IndexConfig` handed in.
They are imported on first access, so importing this package (or its light ``config`` module)
does not pay for chromadb until an index is really used: ``advisor --help`` stays quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from knowledge.index.config import IndexConfig
    from knowledge.index.ensure import open_index
    from knowledge.index.ingest import Ingestor, IngestReport
    from knowledge.index.retriever import HybridRetriever

_WHERE = {
    "HybridRetriever": "knowledge.index.retriever",
    "IndexConfig": "knowledge.index.config",
    "IngestReport": "knowledge.index.ingest",
    "Ingestor": "knowledge.index.ingest",
    "open_index": "knowledge.index.ensure",
}

__all__ = ["HybridRetriever", "IndexConfig", "IngestReport", "Ingestor", "open_index"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'knowledge.index' has no attribute {name!r}")
