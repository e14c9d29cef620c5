from evals.adapters import from_retrieval_dev, from_scope_dev
from evals.depth import DepthCappedRetriever
from evals.loader import SETS_DIR, load_file, parse_case
from evals.runner import retrieval_query
from evals.schema import InScopeCase, RetrievalCase, UnanswerableCase
from knowledge.schema import SearchHit, SearchResult


class TenHits:
    """A retriever over ten fixed records, so the cap can be read off the result."""

    label = "ten"

    def search(self, query, k=5, filters=None, mode="hybrid"):
        hits = [
            SearchHit(
                passage_id=f"r{i}",
                kind="passage",
                source="s",
                title="t",
                section="x",
                speaker=None,
                role=None,
                company=None,
                text="t",
                score=1.0 / (i + 1),
            )
            for i in range(min(k, 10))
        ]
        return SearchResult(query=query, mode=mode, hits=hits)


def test_depth_cap_limits_every_search_and_passes_the_rest_through():
    capped = DepthCappedRetriever(TenHits(), 1)
    assert [h.passage_id for h in capped.search("q", k=6).hits] == ["r0"]
    assert len(DepthCappedRetriever(TenHits(), 3).search("q", k=2).hits) == 2
    assert capped.label == "ten"


def test_dev_set_adapters_convert_their_owners_formats():
    retrieval = parse_case(
        from_retrieval_dev({"id": "m1", "query": "q", "expected": ["a", "b"], "style": "manager"}), "x"
    )
    assert isinstance(retrieval, RetrievalCase) and retrieval.relevant_ids == ["a", "b"]
    assert "style:manager" in retrieval.tags
    raw = {"id": "u1", "split": "held_out", "expected_scope": "unanswerable", "message": "budget?", "rationale": "r"}
    assert isinstance(parse_case(from_scope_dev(raw), "x"), UnanswerableCase)
    raw_in = {**raw, "expected_scope": "in_scope"}
    assert isinstance(parse_case(from_scope_dev(raw_in), "x"), InScopeCase)
    assert len(load_file(SETS_DIR / "retrieval_dev.jsonl", "retrieval_dev")) >= 40
    assert len(load_file(SETS_DIR / "scope_dev.jsonl", "scope_dev")) >= 40


def test_follow_up_retrieval_query_carries_the_last_user_turn():
    case = parse_case(
        {
            "id": "f",
            "type": "factual",
            "message": "And the second one?",
            "rationale": "r",
            "history": [{"role": "user", "content": "Three phases?"}, {"role": "assistant", "content": "A, B, C."}],
            "evidence": [{"text": "evidence words", "record_ids": ["x"]}],
        },
        "x",
    )
    assert retrieval_query(case) == "Three phases? And the second one?"
