"""Metrics in the manner of ragas: small classes, one ``score(results) -> MetricScore`` each, no LLM needed."""

from __future__ import annotations

from collections.abc import Mapping

from advisor.llm.backend import ChatBackend
from evals.metrics.base import Metric
from evals.metrics.citations import CitationPrecision, CitationRecall, CitationValidity, EvidenceRecall
from evals.metrics.errors import AnswerRate, LlmAnswerRate
from evals.metrics.labels import LabelAccuracy, LabelF1
from evals.metrics.latency import LatencyPercentile
from evals.metrics.retrieval import MeanReciprocalRank, RecallAtK
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
) -> list[Metric]:
    """Build the metric table of a run, in report order.

    ``llm_backend`` adds the share of answers the LLM kept; ``judge`` adds LLM-judged faithfulness.
    """
    metrics: list[Metric] = [
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
        metrics.append(LlmAnswerRate())
    if judge is not None:
        from evals.metrics.faithfulness import LlmFaithfulness

        metrics.append(LlmFaithfulness(judge, records))
    return metrics


__all__ = ["RECALL_DEPTH", "Metric", "default_metrics"]
