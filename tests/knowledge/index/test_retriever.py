from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_core.runnables import RunnableLambda

from knowledge.index import HybridRetriever, IndexConfig, Ingestor
from knowledge.index.codec import matches
from knowledge.index.retriever import IndexMissingError, RecordNotFoundError
from knowledge.schema import Quote, RecordKind, SearchFilters
from tests.knowledge.index.records import small_corpus


@pytest.fixture
def retriever(index_config: IndexConfig) -> HybridRetriever:
    Ingestor(index_config, progress=False).run(small_corpus(), "v1")
    return HybridRetriever(index_config)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_each_mode_finds_the_obvious_record(retriever: HybridRetriever, mode: str) -> None:
    result = retriever.search("MLOps engineers hired early", k=3, mode=mode)
    assert result.mode == mode
    assert result.hits[0].passage_id == "b.p2"
    assert len({hit.passage_id for hit in result.hits}) == len(result.hits) <= 3


def test_dense_finds_a_paraphrase_with_no_shared_words(retriever: HybridRetriever) -> None:
    assert retriever.search("bosses backing the budget", k=2, mode="bm25").hits == []
    dense = retriever.search("senior leaders backing the budget", k=2, mode="dense")
    assert dense.hits[0].passage_id == "a.p2"


def test_hybrid_hit_scores_are_rrf_scores_and_sorted(retriever: HybridRetriever) -> None:
    hits = retriever.search("customer monitoring", k=5).hits
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    top = 2 / (retriever.fusion.k + 1)
    assert all(0 < h.score <= top + 1e-9 for h in hits)


def test_a_quoted_phrase_lifts_the_record_holding_it(retriever: HybridRetriever) -> None:
    hits = retriever.search("what did they mean by 'first difficult year'?", k=3).hits
    assert hits[0].passage_id == "a.p2"
    assert hits[0].score > 2 / (retriever.fusion.k + 1)  # a third ranking, the phrase's, counted


@pytest.mark.parametrize(
    "filters",
    [
        SearchFilters(kinds=[RecordKind.QUOTE]),
        SearchFilters(sources=["paper_b"]),
        SearchFilters(companies=["jasper ai"]),
        SearchFilters(tags=["t:ops"]),
        SearchFilters(kinds=[RecordKind.PASSAGE, RecordKind.PLAYBOOK_STEP], tags=["t:data", "t:ops"]),
    ],
)
@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_filters_hold_in_every_mode(retriever: HybridRetriever, filters: SearchFilters, mode: str) -> None:
    query = "monitoring customer data quality production"
    hits = retriever.search(query, k=8, filters=filters, mode=mode).hits
    assert hits, "the filter should leave something to find"
    eligible = {r.id for r in small_corpus() if matches(r, filters)}
    assert {h.passage_id for h in hits} <= eligible


def test_filter_values(retriever: HybridRetriever) -> None:
    quotes = retriever.search("scale", k=8, filters=SearchFilters(kinds=[RecordKind.QUOTE])).hits
    assert {h.passage_id for h in quotes} == {"q.chen", "q.rodriguez"}
    chen = retriever.search("scale", k=8, filters=SearchFilters(companies=["Jasper AI"])).hits
    assert [(h.passage_id, h.speaker, h.company) for h in chen] == [("q.chen", "Sarah Chen", "Jasper AI")]
    assert retriever.search("scale", k=8, filters=SearchFilters(kinds=[])).hits == []


def test_get_record_returns_the_full_record(retriever: HybridRetriever) -> None:
    record = retriever.get_record("q.chen")
    assert isinstance(record, Quote) and record == next(r for r in small_corpus() if r.id == "q.chen")
    with pytest.raises(RecordNotFoundError, match="no record 'nope'"):
        retriever.get_record("nope")


def test_bad_arguments_and_missing_index(retriever: HybridRetriever, tmp_path) -> None:
    with pytest.raises(ValueError, match="mode must be one of"):
        retriever.search("x", mode="fuzzy")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="k must be at least 1"):
        retriever.search("x", k=0)
    assert retriever.search("   ").hits == []
    with pytest.raises(IndexMissingError, match="run `advisor ingest` first"):
        HybridRetriever(IndexConfig(data_dir=tmp_path / "empty")).search("x")


def test_open_retriever_sees_records_written_later(index_config: IndexConfig, retriever: HybridRetriever) -> None:
    assert retriever.search("capacity planning predictive", k=1).hits[0].passage_id == "s.opt"
    Ingestor(index_config, progress=False).run([r for r in small_corpus() if r.id != "s.opt"], "v1")
    assert all(h.passage_id != "s.opt" for h in retriever.search("capacity planning predictive", k=8).hits)


def test_langchain_adapter_is_a_runnable_retriever(retriever: HybridRetriever) -> None:
    lc = retriever.as_langchain(k=2, filters=SearchFilters(kinds=[RecordKind.QUOTE]))
    docs = lc.invoke("customer monitoring before scaling")
    assert all(isinstance(d, Document) for d in docs) and len(docs) == 2
    assert docs[0].id == "q.chen" and docs[0].metadata["speaker"] == "Sarah Chen"
    assert docs[0].page_content.startswith("You need robust customer monitoring")
    chain = lc | RunnableLambda(lambda found: [d.metadata["passage_id"] for d in found])
    assert chain.invoke("customer monitoring before scaling")[0] == "q.chen"
