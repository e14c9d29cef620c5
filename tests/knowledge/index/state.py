"""Read an index's raw state straight from Chroma, to compare before and after an operation."""

from __future__ import annotations

from knowledge.embedding import Embedder
from knowledge.index.chroma_store import make_client, open_collection
from knowledge.index.config import IndexConfig
from knowledge.index.manifest import Manifest


def stored_hashes(config: IndexConfig) -> dict[str, str]:
    collection = open_collection(make_client(config), config, Embedder(), create=False)
    assert collection is not None, "no collection"
    got = collection.get(include=["metadatas"])
    return {rid: meta["content_hash"] for rid, meta in zip(got["ids"], got["metadatas"], strict=True)}


def stored_manifest(config: IndexConfig) -> Manifest | None:
    collection = open_collection(make_client(config), config, Embedder(), create=False)
    assert collection is not None, "no collection"
    return Manifest.from_metadata(collection.metadata)
