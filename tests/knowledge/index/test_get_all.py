"""Paged reads: one get() of a ~50 000-record collection exceeds SQLite's variable limit, so reads page."""

from pathlib import Path

import numpy as np

from knowledge.embedding import Embedder
from knowledge.index import IndexConfig
from knowledge.index.chroma_store import get_all, make_client, open_collection


def test_get_all_reads_every_page(tmp_path: Path) -> None:
    config = IndexConfig(data_dir=tmp_path / "data", collection="paging_test")
    collection = open_collection(make_client(config), config, Embedder(), create=True)
    ids = [f"r{i:02d}" for i in range(11)]
    vectors = np.eye(11, 384, dtype=np.float32)
    metas = [{"namespace": "corpus" if i % 3 else "user", "n": i} for i in range(11)]
    collection.add(ids=ids, embeddings=vectors, metadatas=metas)
    got = get_all(collection, include=["metadatas", "embeddings"], page=4)
    assert sorted(got["ids"]) == ids
    by_id = dict(zip(got["ids"], got["metadatas"], strict=True))
    assert all(by_id[f"r{i:02d}"]["n"] == i for i in range(11))
    assert len(got["embeddings"]) == 11
    corpus = get_all(collection, include=["metadatas"], where={"namespace": "corpus"}, page=3)
    assert sorted(corpus["ids"]) == [f"r{i:02d}" for i in range(11) if i % 3]
    exact = get_all(collection, include=[], page=11)  # a last page that is exactly full
    assert sorted(exact["ids"]) == ids
