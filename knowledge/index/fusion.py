"""Reciprocal rank fusion of several rankings, then near-duplicate suppression.

RRF uses ranks only, so BM25 scores (unbounded) and cosine similarities (0..1) never need to be
put on one scale. Suppression keeps the top-k from being five slices of one paragraph.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from knowledge.schema import Record


class FusedItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    score: float
    ranks: dict[str, int] = Field(description="1-based rank of the item in each ranking that holds it")


class RankFusion(BaseModel):
    """score(d) = sum over rankings r of weight_r / (k + rank_r(d)), ranks starting at 1."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    k: float = Field(default=60.0, gt=0)
    weights: dict[str, float] = Field(default_factory=dict, description="Per-ranking weight; missing = 1.0")

    def fuse(self, rankings: Mapping[str, Sequence[str]]) -> list[FusedItem]:
        scores: dict[str, float] = {}
        ranks: dict[str, dict[str, int]] = {}
        for name, ids in rankings.items():
            weight = self.weights.get(name, 1.0)
            if weight < 0:
                raise ValueError(f"weight of ranking {name!r} must not be negative")
            for position, item in enumerate(dict.fromkeys(ids), start=1):
                scores[item] = scores.get(item, 0.0) + weight / (self.k + position)
                ranks.setdefault(item, {})[name] = position
        order = sorted(scores, key=lambda item: (-scores[item], min(ranks[item].values()), item))
        return [FusedItem(id=item, score=scores[item], ranks=ranks[item]) for item in order]


class NearDuplicateFilter(BaseModel):
    """Drop an item that repeats better-ranked ones: a near-copy, or one chunk too many of one paragraph.

    Two records are neighbours when they come from the same source, section and kind and their spans
    touch (at most ``max_gap`` characters apart, i.e. no blank line between them). Neighbouring chunks say
    different things (a paragraph is cut where it runs long): the top-k may hold ``per_paragraph`` of them,
    so the chunk that holds the answer is not lost to the one before it, yet five slices of one paragraph
    do not crowd out every other record.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    cosine_threshold: float = Field(default=0.95, gt=0, le=1)
    max_gap: int = Field(default=1, ge=0)
    per_paragraph: int = Field(default=2, ge=1)

    def neighbours(self, a: Record, b: Record) -> bool:
        if (a.source_id, a.section, a.kind) != (b.source_id, b.section, b.kind):
            return False
        first, second = (a, b) if a.span.start <= b.span.start else (b, a)
        return second.span.start - first.span.end <= self.max_gap

    def copies(self, va: np.ndarray | None, vb: np.ndarray | None) -> bool:
        return va is not None and vb is not None and float(np.dot(va, vb)) >= self.cosine_threshold

    def select(
        self,
        ranked: Sequence[str],
        records: Mapping[str, Record],
        vectors: Mapping[str, np.ndarray],
        k: int,
    ) -> list[str]:
        """Walk ``ranked`` best first and keep up to ``k`` ids that repeat none already kept."""
        kept: list[str] = []
        for item in ranked:
            if len(kept) >= k:
                break
            record, vector = records[item], vectors.get(item)
            if any(self.copies(vectors.get(other), vector) for other in kept):
                continue
            paragraph = [other for other in kept if self.neighbours(records[other], record)]
            if paragraph and self._paragraph_size(paragraph, kept, records) >= self.per_paragraph:
                continue
            kept.append(item)
        return kept

    def _paragraph_size(self, touching: list[str], kept: list[str], records: Mapping[str, Record]) -> int:
        """Count the kept chunks chained to ``touching`` by neighbourhood (the paragraph's chunks kept so far)."""
        seen = set(touching)
        frontier = list(touching)
        while frontier:
            current = records[frontier.pop()]
            for other in kept:
                if other not in seen and self.neighbours(records[other], current):
                    seen.add(other)
                    frontier.append(other)
        return len(seen)
