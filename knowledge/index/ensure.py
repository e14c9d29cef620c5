"""Open the index for searching, building or rebuilding it first when it is missing or stale.

This is how "the first command that needs the index builds it": every command goes through
:func:`open_index` rather than constructing a retriever directly.
"""

from __future__ import annotations

import sys

from knowledge.embedding import Embedder
from knowledge.index.config import IndexConfig
from knowledge.index.ingest import Ingestor
from knowledge.index.integrity import check_index
from knowledge.index.retriever import HybridRetriever


def open_index(config: IndexConfig, embedder: Embedder | None = None, *, progress: bool = True) -> HybridRetriever:
    from knowledge import corpus

    embedder = embedder or Embedder(config.embedding_model_path)
    check_index(config, embedder)  # a damaged or half-built index stops here, naming `advisor ingest --rebuild`
    ingestor = Ingestor(config, embedder, progress=progress)
    reason = ingestor.pending_reason(corpus.corpus_version())
    if reason:
        report = ingestor.run()
        if progress:
            print(report.summary(), file=sys.stderr)
    return HybridRetriever(config, embedder)
