"""Recall@5 and MRR of each search mode on a development set of user-worded queries.

The set is a JSONL file a consultant can edit: one query per line with the record IDs that
answer it. Every line is validated on load and errors name the file and line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from knowledge.index.retriever import MODES, HybridRetriever, Mode
from knowledge.schema import SearchFilters

RECALL_AT = 5
MRR_AT = 10


class RetrievalDevSetError(ValueError):
    """The dev set file is malformed; the message names the file and the line."""


class RetrievalQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    query: str = Field(min_length=3)
    expected: list[str] = Field(min_length=1, description="IDs of records that answer the query")
    style: Literal["manager", "consultant", "quote"] = Field(
        description="manager: own words; consultant: practitioner terms; quote: a half-remembered quotation"
    )
    note: str | None = None


def load_dev_set(path: Path) -> list[RetrievalQuery]:
    queries: list[RetrievalQuery] = []
    seen: dict[str, int] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RetrievalDevSetError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            item = RetrievalQuery.model_validate_json(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "line"
            raise RetrievalDevSetError(f"{path}:{number}: {where}: {first['msg']}") from exc
        if item.id in seen:
            raise RetrievalDevSetError(f"{path}:{number}: duplicate id {item.id!r} (first on line {seen[item.id]})")
        seen[item.id] = number
        queries.append(item)
    if not queries:
        raise RetrievalDevSetError(f"{path}: no queries in it")
    return queries


class QueryOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    style: str
    found: list[str]
    recall: float
    reciprocal_rank: float


class ModeScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    mode: Mode
    recall_at_5: float
    hit_at_5: float
    mrr_at_10: float
    recall_by_style: dict[str, float]
    outcomes: list[QueryOutcome]


class RetrievalEvaluation(BaseModel):
    model_config = ConfigDict(frozen=True)

    dev_set: str
    queries: int
    scores: list[ModeScore]

    def table(self) -> str:
        styles = sorted({o.style for s in self.scores for o in s.outcomes})
        head = f"{'mode':<8} {'recall@5':>9} {'hit@5':>7} {'MRR@10':>7}" + "".join(f" {'R@5 ' + s:>15}" for s in styles)
        lines = [f"{self.dev_set}: {self.queries} queries", head, "-" * len(head)]
        for score in self.scores:
            row = f"{score.mode:<8} {score.recall_at_5:>9.3f} {score.hit_at_5:>7.3f} {score.mrr_at_10:>7.3f}"
            lines.append(row + "".join(f" {score.recall_by_style.get(s, 0.0):>15.3f}" for s in styles))
        return "\n".join(lines)


def _outcome(item: RetrievalQuery, ranked: Sequence[str]) -> QueryOutcome:
    expected = set(item.expected)
    top = list(ranked[:RECALL_AT])
    first = next((rank for rank, rid in enumerate(ranked[:MRR_AT], start=1) if rid in expected), None)
    return QueryOutcome(
        id=item.id,
        style=item.style,
        found=list(ranked[:MRR_AT]),
        recall=len(expected & set(top)) / len(expected),
        reciprocal_rank=1.0 / first if first else 0.0,
    )


class RetrievalEvaluator:
    """Run every query of a dev set through each mode of one retriever and score the rankings."""

    def __init__(self, retriever: HybridRetriever, filters: SearchFilters | None = None) -> None:
        self.retriever = retriever
        self.filters = filters or SearchFilters(include_user_docs=False)

    def evaluate(
        self,
        queries: Sequence[RetrievalQuery],
        modes: Sequence[Mode] = ("dense", "bm25", "hybrid"),
        dev_set: str = "",
        on_query: Callable[[], None] | None = None,
    ) -> RetrievalEvaluation:
        scores = []
        for mode in modes:
            if mode not in MODES:
                raise ValueError(f"unknown mode {mode!r}")
            outcomes = []
            for item in queries:
                hits = self.retriever.search(item.query, k=MRR_AT, filters=self.filters, mode=mode).hits
                outcomes.append(_outcome(item, [h.passage_id for h in hits]))
                if on_query:
                    on_query()
            scores.append(_score(mode, outcomes))
        return RetrievalEvaluation(dev_set=dev_set, queries=len(queries), scores=scores)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _score(mode: Mode, outcomes: list[QueryOutcome]) -> ModeScore:
    styles = sorted({o.style for o in outcomes})
    return ModeScore(
        mode=mode,
        recall_at_5=_mean([o.recall for o in outcomes]),
        hit_at_5=_mean([1.0 if o.recall > 0 else 0.0 for o in outcomes]),
        mrr_at_10=_mean([o.reciprocal_rank for o in outcomes]),
        recall_by_style={s: _mean([o.recall for o in outcomes if o.style == s]) for s in styles},
        outcomes=outcomes,
    )


def dump_lines(evaluation: RetrievalEvaluation) -> str:
    return json.dumps(evaluation.model_dump(mode="json"), indent=2)
