"""Retrieval metrics over the ranked record IDs a subject collected for each case.

A factual case's evidence items are the relevance units: an item is found when any record holding it is
ranked (the same words can sit in a passage and in the quote record cut from it). A retrieval case's
relevant IDs are one unit each.
"""

from __future__ import annotations

from evals.metrics.base import CaseMetric
from evals.results import CaseResult
from evals.schema import EvalCase, FactualCase, RetrievalCase


def relevance_groups(case: EvalCase) -> list[set[str]]:
    if isinstance(case, FactualCase):
        return [set(item.record_ids) for item in case.evidence]
    if isinstance(case, RetrievalCase):
        return [{rid} for rid in dict.fromkeys(case.relevant_ids)]
    return []


class RecallAtK(CaseMetric):
    def __init__(self, k: int) -> None:
        if k < 1:
            raise ValueError("k must be >= 1")
        self.k = k
        self.name = f"recall_at_{k}"
        self.description = f"Share of a case's relevant records (evidence groups) in the top {k} retrieved."

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        groups = relevance_groups(case)
        if not groups:
            return None
        top = set(result.retrieved_ids[: self.k])
        return sum(1 for group in groups if group & top) / len(groups)

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        groups = relevance_groups(case)
        top = set(result.retrieved_ids[: self.k])
        return f"{sum(1 for group in groups if group & top)}/{len(groups)}"


class HitAtK(CaseMetric):
    def __init__(self, k: int) -> None:
        if k < 1:
            raise ValueError("k must be >= 1")
        self.k = k
        self.name = f"hit_at_{k}"
        self.description = f"Share of cases with at least one relevant record in the top {k} retrieved."

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        groups = relevance_groups(case)
        if not groups:
            return None
        top = set(result.retrieved_ids[: self.k])
        return float(any(group & top for group in groups))


class MeanReciprocalRank(CaseMetric):
    name = "mrr"
    description = "Mean of 1/rank of the first relevant record retrieved (0 when none is retrieved)."

    def _rank(self, case: EvalCase, result: CaseResult) -> int | None:
        relevant = set().union(*relevance_groups(case))
        return next((i for i, rid in enumerate(result.retrieved_ids, start=1) if rid in relevant), None)

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        if not relevance_groups(case):
            return None
        rank = self._rank(case, result)
        return 1 / rank if rank else 0.0

    def passed(self, value: float) -> bool:
        return value > 0

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        return f"first hit at {self._rank(case, result)}"
