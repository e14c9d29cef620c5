from evals.depth import DepthCappedRetriever
from evals.loader import SETS_DIR, load_cases, parse_case
from evals.schema import DiagnosisCase, InScopeCase, OutOfScopeCase, RetrievalCase, UnanswerableCase
from evals.subjects import retrieval_query
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


def test_the_dev_sets_are_in_the_one_case_format():
    retrieval = load_cases(SETS_DIR / "retrieval_dev.jsonl")
    assert len(retrieval) >= 40 and all(isinstance(c, RetrievalCase) for c in retrieval)
    assert {c.style for c in retrieval} == {"manager", "consultant", "quote"}
    scope = load_cases(SETS_DIR / "scope_dev.jsonl")
    assert len(scope) >= 40 and {type(c) for c in scope} == {InScopeCase, OutOfScopeCase, UnanswerableCase}
    assert {c.split for c in scope} == {"calibration", "held_out"}
    diagnosis = load_cases(SETS_DIR / "diagnosis_dev.jsonl")
    assert len(diagnosis) >= 40 and all(isinstance(c, DiagnosisCase) for c in diagnosis)


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
        "x.jsonl",
    )
    assert retrieval_query(case) == "Three phases? And the second one?"
