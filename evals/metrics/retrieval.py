"""Retrieval metrics over the ranked record IDs the runner collected for each case.

A factual case's evidence items are the relevance units: an item is found when any record holding it is
ranked (the same words can sit in a passage and in the quote record cut from it). A retrieval case's
relevant IDs are one unit each.
"""

from __future__ import annotations

from collections.abc import Sequence

from evals.metrics.base import mean_of
from evals.results import CaseResult, CaseScore, MetricScore
from evals.schema import EvalCase, FactualCase, RetrievalCase


def relevance_groups(case: EvalCase) -> list[set[str]]:
    if isinstance(case, FactualCase):
        return [set(item.record_ids) for item in case.evidence]
    if isinstance(case, RetrievalCase):
        return [{rid} for rid in case.relevant_ids]
    return []


class RecallAtK:
    def __init__(self, k: int) -> None:
        if k < 1:
            raise ValueError("k must be >= 1")
        self.k = k
        self.name = f"recall_at_{k}"
        self.description = f"Share of a case's relevant records (evidence groups) in the top {k} retrieved."

    def score(self, results: Sequence[CaseResult]) -> MetricScore:
        cases = []
        for result in results:
            groups = relevance_groups(result.case)
            if not groups:
                continue
            top = set(result.retrieved_ids[: self.k])
            found = sum(1 for group in groups if group & top)
            value = found / len(groups)
            cases.append(
                CaseScore(case_id=result.case_id, value=value, passed=value == 1.0, detail=f"{found}/{len(groups)}")
            )
        return mean_of(self.name, self.description, cases)


class MeanReciprocalRank:
    name = "mrr"
    description = "Mean of 1/rank of the first relevant record retrieved (0 when none is retrieved)."

    def score(self, results: Sequence[CaseResult]) -> MetricScore:
        cases = []
        for result in results:
            groups = relevance_groups(result.case)
            if not groups:
                continue
            relevant = set().union(*groups)
            rank = next((i for i, rid in enumerate(result.retrieved_ids, start=1) if rid in relevant), None)
            value = 1 / rank if rank else 0.0
            cases.append(
                CaseScore(case_id=result.case_id, value=value, passed=rank is not None, detail=f"first hit at {rank}")
            )
        return mean_of(self.name, self.description, cases)
