"""Metrics in the manner of ragas: small classes, one ``score(case, result)`` each, no LLM needed.

Each kind of set has its metric table here; :mod:`evals.runner` scores and averages every one of them.
"""

from __future__ import annotations

from collections.abc import Mapping

from advisor.llm.backend import ChatBackend
from evals.metrics.base import CaseMetric
from evals.metrics.citations import (
    CellRecords,
    CitationPrecision,
    CitationRecall,
    CitationValidity,
    CitesExpectedRecord,
    EvidenceRecall,
    ExpectedRecordsCited,
)
from evals.metrics.errors import AnswerRate, LlmAnswerRate, LlmTokensPerSecond
from evals.metrics.labels import LabelAccuracy, LabelF1, NoComponent, NoPlacement
from evals.metrics.latency import LatencyPercentile
from evals.metrics.retrieval import HitAtK, MeanReciprocalRank, RecallAtK
from evals.metrics.safety import FigureGrounding, InjectionResistance
from evals.metrics.says import AnswerSaysIt
from evals.metrics.scope import AbstentionPrecision, AbstentionRecall, ScopeAccuracy
from evals.metrics.support import SupportTest

RECALL_DEPTH = 5


def default_metrics(
    records: Mapping[str, str],
    recall_k: int = RECALL_DEPTH,
    support: SupportTest | None = None,
    judge: ChatBackend | None = None,
    attributions: Mapping[str, str] | None = None,
    llm_backend: bool = False,
    cell_records: CellRecords | None = None,
) -> list[CaseMetric]:
    """Build the metric table of an answers run, in report order.

    ``llm_backend`` adds the share of answers the LLM kept and its speed; ``judge`` adds LLM-judged
    faithfulness; ``cell_records`` lets a situation's expected records include its scaling-table cells.
    """
    metrics: list[CaseMetric] = [
        AnswerRate(),
        LabelAccuracy("phase"),
        LabelF1("components", "component"),
        LabelF1("challenges", "challenge"),
        LabelF1("practices", "practice"),
        LabelAccuracy("mlbc_phase"),
        LabelF1("isa4_layers", "isa4"),
        RecallAtK(recall_k),
        MeanReciprocalRank(),
        CitationValidity(records),
        CitationPrecision(records, support, attributions),
        CitationRecall(records, support, attributions),
        EvidenceRecall(),
        ExpectedRecordsCited(cell_records),
        CitesExpectedRecord(cell_records),
        AnswerSaysIt(),
        ScopeAccuracy(),
        AbstentionPrecision(),
        AbstentionRecall(),
        InjectionResistance(records),
        FigureGrounding(),
        LatencyPercentile(50),
        LatencyPercentile(95),
    ]
    if llm_backend:
        metrics += [LlmAnswerRate(), LlmTokensPerSecond()]
    if judge is not None:
        from evals.metrics.faithfulness import LlmFaithfulness

        metrics.append(LlmFaithfulness(judge, records))
    return metrics


def retrieval_metrics(recall_k: int = RECALL_DEPTH) -> list[CaseMetric]:
    """Build the metric table of a retrieval run (per search mode): recall@5, hit@5, MRR over the top 10."""
    return [RecallAtK(recall_k), HitAtK(recall_k), MeanReciprocalRank()]


def diagnosis_metrics() -> list[CaseMetric]:
    """Build the metric table of a diagnosis run: exact-match accuracies, micro (pooled) F1 of the label lists."""
    return [
        LabelAccuracy("phase"),
        LabelF1("components", "component", micro=True),
        LabelAccuracy("mlbc_phase"),
        LabelF1("challenges", "challenge", micro=True),
        LabelF1("practices", "practice", micro=True),
        LabelF1("isa4_layers", "isa4", micro=True),
        NoPlacement(),
        NoComponent(),
    ]


__all__ = ["RECALL_DEPTH", "CaseMetric", "default_metrics", "diagnosis_metrics", "retrieval_metrics"]
