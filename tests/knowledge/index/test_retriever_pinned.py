"""HybridRetriever.pinned: a view on one generation, checked once for a whole answer, same results as without it."""

from __future__ import annotations

import pytest

from knowledge.index import HybridRetriever, IndexConfig, Ingestor
from knowledge.index.retriever import RecordNotFoundError
from tests.knowledge.index.records import small_corpus


def test_a_pinned_view_checks_the_collection_once(index_config: IndexConfig, monkeypatch) -> None:
    Ingestor(index_config, progress=False).run(small_corpus(), "v1")
    retriever = HybridRetriever(index_config)
    queries = ("customer monitoring", "MLOps engineers hired early")
    unpinned = [retriever.search(q, k=3).hits for q in queries]
    calls = []
    original = retriever._collection
    monkeypatch.setattr(retriever, "_collection", lambda: calls.append(1) or original())
    view = retriever.pinned()
    assert view.pinned() is view  # pinning a view again keeps its generation
    pinned = [view.search(q, k=3).hits for q in queries]
    view.get_record("b.p2")
    assert len(calls) == 1
    assert pinned == unpinned
    retriever.search("customer monitoring", k=3)
    assert len(calls) == 2  # the retriever itself checks on every call


def test_a_given_query_vector_replaces_the_embedding(index_config: IndexConfig) -> None:
    Ingestor(index_config, progress=False).run(small_corpus(), "v1")
    retriever = HybridRetriever(index_config)
    embedded = retriever.search("customer monitoring", k=3, mode="dense")
    vector = retriever.embedder.embed_one("customer monitoring")
    given = retriever.search("customer monitoring", k=3, mode="dense", query_vector=vector)
    assert given.hits == embedded.hits
    other = retriever.embedder.embed_one("MLOps engineers hired early")
    steered = retriever.search("customer monitoring", k=3, mode="dense", query_vector=other)
    assert [h.passage_id for h in steered.hits] == [
        h.passage_id for h in retriever.search("MLOps engineers hired early", k=3, mode="dense").hits
    ]


def test_a_view_names_a_missing_record(index_config: IndexConfig) -> None:
    Ingestor(index_config, progress=False).run(small_corpus(), "v1")
    with pytest.raises(RecordNotFoundError, match="no record 'nope'"):
        HybridRetriever(index_config).pinned().get_record("nope")
