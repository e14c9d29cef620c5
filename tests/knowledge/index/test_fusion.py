from __future__ import annotations

import numpy as np
import pytest

from knowledge.index.fusion import NearDuplicateFilter, RankFusion
from tests.knowledge.index.records import passage


def test_rrf_scores_are_the_sum_of_weighted_reciprocal_ranks() -> None:
    fused = RankFusion(k=60).fuse({"dense": ["a", "b", "c"], "bm25": ["c", "a"]})
    scores = {item.id: item.score for item in fused}
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert scores["b"] == pytest.approx(1 / 62)
    assert scores["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert [item.id for item in fused] == ["a", "c", "b"]
    assert fused[1].ranks == {"dense": 3, "bm25": 1}


def test_rrf_weights_and_k_change_the_order() -> None:
    rankings = {"dense": ["a", "b"], "bm25": ["b", "a"]}
    assert RankFusion(k=1, weights={"bm25": 2.0}).fuse(rankings)[0].id == "b"
    assert RankFusion(k=1, weights={"dense": 2.0}).fuse(rankings)[0].id == "a"
    item = RankFusion(k=1, weights={"dense": 0.5}).fuse({"dense": ["x"]})[0]
    assert item.score == pytest.approx(0.5 / 2)


def test_rrf_ignores_repeated_ids_within_a_ranking_and_rejects_negative_weights() -> None:
    fused = RankFusion(k=10).fuse({"dense": ["a", "a", "b"]})
    assert [(i.id, i.ranks["dense"]) for i in fused] == [("a", 1), ("b", 2)]
    with pytest.raises(ValueError, match="must not be negative"):
        RankFusion(weights={"dense": -1}).fuse({"dense": ["a"]})


def test_a_paragraph_keeps_at_most_per_paragraph_chunks_but_separate_paragraphs_all_stay() -> None:
    first = passage("p.1", "First part of a long paragraph.", start=0)
    second = passage("p.2", "Second part of that paragraph.", start=first.span.end + 1)
    third = passage("p.3", "Third part of that paragraph.", start=second.span.end + 1)
    later = passage("p.5", "A new paragraph after a blank line.", start=third.span.end + 2)
    other_section = passage("p.4", "Same offsets, other section.", start=first.span.end + 1, section=("Other",))
    records = {r.id: r for r in (first, second, third, later, other_section)}
    order = ["p.1", "p.2", "p.3", "p.5", "p.4"]
    # the second chunk often holds what the first only leads up to: it stays; the third chained to them does not
    assert NearDuplicateFilter(max_gap=1).select(order, records, {}, k=5) == ["p.1", "p.2", "p.5", "p.4"]
    one_each = NearDuplicateFilter(max_gap=1, per_paragraph=1)
    assert one_each.select(order, records, {}, k=5) == ["p.1", "p.3", "p.5", "p.4"]
    assert NearDuplicateFilter(max_gap=1).select(["p.1", "p.3", "p.2"], records, {}, k=5) == ["p.1", "p.3"]


def test_near_identical_vectors_are_suppressed_and_k_is_respected() -> None:
    records = {rid: passage(rid, f"text {rid}", source=f"src_{rid}") for rid in ("x", "y", "z", "w")}
    base = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    close = np.array([0.99, 0.14, 0.0], dtype=np.float32)
    close /= np.linalg.norm(close)
    far = np.array([0.0, 1.0, 0.0], dtype=np.float32)
    vectors = {"x": base, "y": close, "z": far, "w": np.array([0.0, 0.0, 1.0], dtype=np.float32)}
    dedup = NearDuplicateFilter(cosine_threshold=0.95)
    assert dedup.select(["x", "y", "z", "w"], records, vectors, k=5) == ["x", "z", "w"]
    assert dedup.select(["x", "y", "z", "w"], records, vectors, k=2) == ["x", "z"]
    assert NearDuplicateFilter(cosine_threshold=1.0).select(["x", "y"], records, vectors, k=5) == ["x", "y"]
