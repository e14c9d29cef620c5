"""Evidence gathering: a spec whose kinds find nothing widens to every kind, unless it says not to."""

from __future__ import annotations

from advisor.answer.gather import EvidenceGatherer
from advisor.answer.query import QueryPlan, QuerySpec
from knowledge.schema import RecordKind, SearchFilters, SearchResult
from tests.advisor.helpers import PIPELINE


class OnlyPassages:
    """An index holding one passage and nothing of any other kind."""

    def search(self, query, k=5, filters=None, mode="hybrid", query_vector=None) -> SearchResult:
        kinds = filters.kinds if filters is not None else None
        hits = [PIPELINE] if kinds is None or RecordKind.PASSAGE in kinds else []
        return SearchResult(query=query, mode=mode, hits=hits)

    def get_record(self, record_id):
        raise KeyError(record_id)

    def records(self):
        return []


def _gathered(widen: bool) -> list[str]:
    spec = QuerySpec(
        purpose="recommendation",
        text="next steps",
        k=3,
        filters=SearchFilters(kinds=[RecordKind.USER_DOC]),
        widen=widen,
    )
    quotes = QuerySpec(purpose="answer", text="q", k=3, filters=SearchFilters(kinds=[RecordKind.QUOTE]), widen=False)
    evidence = EvidenceGatherer(OnlyPassages()).gather(QueryPlan(specs=[quotes, spec]))
    assert evidence.answer == []
    return [h.passage_id for h in evidence.recommendation]


def test_a_spec_finding_nothing_of_its_kinds_widens_to_every_kind():
    assert _gathered(widen=True) == [PIPELINE.passage_id]


def test_a_spec_that_must_not_widen_stays_empty():
    assert _gathered(widen=False) == []
