"""Map the advisor's Settings onto the knowledge layer's IndexConfig (knowledge never sees Settings)."""

from __future__ import annotations

from advisor.settings import Settings
from knowledge.index.config import IndexConfig


def index_config(settings: Settings) -> IndexConfig:
    return IndexConfig(
        data_dir=settings.data_dir,
        chroma_url=settings.chroma_url,
        collection=settings.collection,
        embedding_model_path=settings.embedding_model_path,
        max_upload_bytes=settings.max_upload_bytes,
    )
