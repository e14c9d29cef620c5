"""HybridRetriever.pinned: one generation check for a whole answer, the same results as without it."""

from __future__ import annotations

from knowledge.index import HybridRetriever, IndexConfig, Ingestor
from tests.knowledge.index.records import small_corpus


def test_pinned_block_checks_the_collection_once(index_config: IndexConfig, monkeypatch) -> None:
    Ingestor(index_config, progress=False).run(small_corpus(), "v1")
    retriever = HybridRetriever(index_config)
    unpinned = [retriever.search(q, k=3).hits for q in ("customer monitoring", "MLOps engineers hired early")]
    calls = []
    original = retriever._collection
    monkeypatch.setattr(retriever, "_collection", lambda: calls.append(1) or original())
    with retriever.pinned():
        with retriever.pinned():  # nested: still the outer snapshot
            pinned = [retriever.search(q, k=3).hits for q in ("customer monitoring", "MLOps engineers hired early")]
        retriever.get_record("b.p2")
    assert len(calls) == 1
    assert pinned == unpinned
    retriever.search("customer monitoring", k=3)
    assert len(calls) == 2  # outside the block every call checks again
