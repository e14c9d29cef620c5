"""Search over the corpus and users' documents: Chroma (dense) + BM25 (lexical), fused.

The public entry points are :func:`open_index` (builds the index on first use), :func:`rebuild_index`
(``advisor ingest``: sync, rebuild, recover), :class:`Ingestor` and :class:`HybridRetriever`; everything
is configured by an :class:`IndexConfig` handed in. They are imported on first access, so importing this
package (or its light ``config`` module) does not pay for chromadb until an index is really used:
``advisor --help`` stays quick.

The modules in layers, top first. A module imports only modules of lower layers, and modules of one
layer are independent of each other (``tests/knowledge/index/test_layers.py`` checks this, imports inside
functions included):

1. ``ensure`` (:func:`open_index`: check, then build on first use), ``recovery`` (:func:`rebuild_index`, the
   one owner of the recovery order), ``user_doc_store`` (add, list, remove users' documents; the "ensure the
   index" step is handed in).
2. ``ingest`` (:class:`Ingestor`, the only writer of the index), ``integrity`` (health checks and
   fingerprints; reads only), ``user_doc_registry`` (the register of users' documents), ``retriever``.
3. ``chroma_store`` (client and collection), ``journal`` (users' chunks kept across a rebuild), ``lock``
   (one writer per machine), ``user_doc_loader`` (a user's file into chunks), ``lexical``.
4. ``config``, ``manifest``, ``codec``, ``fusion``, ``langchain_adapter``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from knowledge.index.config import IndexConfig
    from knowledge.index.ensure import open_index
    from knowledge.index.ingest import Ingestor, IngestReport
    from knowledge.index.recovery import rebuild_index
    from knowledge.index.retriever import HybridRetriever

_WHERE = {
    "HybridRetriever": "knowledge.index.retriever",
    "IndexConfig": "knowledge.index.config",
    "IngestReport": "knowledge.index.ingest",
    "Ingestor": "knowledge.index.ingest",
    "open_index": "knowledge.index.ensure",
    "rebuild_index": "knowledge.index.recovery",
}

__all__ = ["HybridRetriever", "IndexConfig", "IngestReport", "Ingestor", "open_index", "rebuild_index"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'knowledge.index' has no attribute {name!r}")
