"""Search over the corpus and users' documents: Chroma (dense) + BM25 (lexical), fused.

The public entry points are :func:`open_index` (builds the index on first use), :class:`Ingestor`
and :class:`HybridRetriever`; everything is configured by an :class:`IndexConfig` handed in.
"""

from knowledge.index.config import IndexConfig
from knowledge.index.ensure import open_index
from knowledge.index.ingest import Ingestor, IngestReport
from knowledge.index.retriever import HybridRetriever

__all__ = ["HybridRetriever", "IndexConfig", "IngestReport", "Ingestor", "open_index"]
