import pytest

from knowledge.schema import RecordKind
from ui.security import TokenBuckets
from ui.session_filters import OWN_DOCS, PAPERS, QUOTES, SOURCE_CHOICES, NoSourcesSelectedError, SessionFilterBuilder


def test_token_bucket_allows_burst_then_refills() -> None:
    buckets = TokenBuckets(rate_per_minute=60, burst=3)
    assert [buckets.take("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a", now=0.0) == pytest.approx(1.0)
    assert buckets.take("b", now=0.0) == 0.0  # another client is not affected
    assert buckets.take("a", now=1.5) == 0.0


def test_token_bucket_table_is_bounded() -> None:
    buckets = TokenBuckets(rate_per_minute=60, burst=1, max_clients=10)
    for i in range(100):
        buckets.take(f"client{i}", now=0.0)
    assert len(buckets._buckets) == 10


def test_filters_admit_only_this_sessions_documents() -> None:
    builder = SessionFilterBuilder(["implementing_scaling_ai", "mlbc_alignment"])
    none = builder.build(SOURCE_CHOICES, [])
    assert none.include_user_docs is False
    mine = builder.build(SOURCE_CHOICES, ["abc123"])
    assert mine.sources == ["implementing_scaling_ai", "mlbc_alignment", "user:abc123"]
    assert RecordKind.USER_DOC in (mine.kinds or [])
    papers = builder.build([PAPERS, QUOTES], ["abc123"])
    assert papers.kinds == [RecordKind.PASSAGE, RecordKind.QUOTE] and papers.include_user_docs is False
    with pytest.raises(NoSourcesSelectedError):
        builder.build([], [])
    with pytest.raises(NoSourcesSelectedError, match="none are uploaded"):
        builder.build([OWN_DOCS], [])
