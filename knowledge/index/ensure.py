"""Open the index for searching, building or rebuilding it first when it is missing or stale.

This is how "the first command that needs the index builds it": every command goes through
:func:`open_index` rather than constructing a retriever directly. A damaged index is refused here
(:func:`~knowledge.index.integrity.check_index`), never repaired: repairing is
:func:`knowledge.index.recovery.rebuild_index`, which only ``advisor ingest --rebuild`` runs.
"""

from __future__ import annotations

import sys

from knowledge import corpus
from knowledge.embedding import Embedder
from knowledge.index.config import IndexConfig
from knowledge.index.ingest import Ingestor
from knowledge.index.integrity import check_index
from knowledge.index.retriever import HybridRetriever


def ensure_index(config: IndexConfig, embedder: Embedder, *, progress: bool = True) -> None:
    """Make sure a sound index of the current corpus exists: refuse a damaged one, build or sync a missing or stale one.

    This is the ``ensure_index`` step :class:`~knowledge.index.user_doc_store.UserDocStore` is handed.
    """
    check_index(config, embedder)  # a damaged or half-built index stops here, naming `advisor ingest --rebuild`
    ingestor = Ingestor(config, embedder, progress=progress)
    if ingestor.pending_reason(corpus.corpus_version()):
        report = ingestor.run()
        if progress:
            print(report.summary(), file=sys.stderr)


def open_index(config: IndexConfig, embedder: Embedder | None = None, *, progress: bool = True) -> HybridRetriever:
    embedder = embedder or Embedder(config.embedding_model_path)
    ensure_index(config, embedder, progress=progress)
    return HybridRetriever(config, embedder)
