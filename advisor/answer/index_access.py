"""Open the search index from the advisor's Settings (building it on first use)."""

from __future__ import annotations

from advisor.settings import Settings
from knowledge.embedding import Embedder


def open_retriever(settings: Settings, embedder: Embedder | None = None):
    from knowledge.index import open_index

    try:
        from advisor.index_config import index_config  # the retrieval work's mapping, once it exists
    except ImportError:
        from knowledge.index import IndexConfig

        def index_config(s: Settings) -> IndexConfig:
            return IndexConfig(
                data_dir=s.data_dir,
                chroma_url=s.chroma_url,
                collection=s.collection,
                embedding_model_path=s.embedding_model_path,
                max_upload_bytes=s.max_upload_bytes,
            )

    return open_index(index_config(settings), embedder)
