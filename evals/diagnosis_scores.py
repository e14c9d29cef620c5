"""One system's figures over diagnosis cases, read off the runner's scores (shared by every diagnosis view)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from advisor.schema import Diagnosis, Phase
from evals.loader import require_kind
from evals.metrics import diagnosis_metrics
from evals.results import CaseResult, Part
from evals.runner import Runner
from evals.schema import DiagnosisCase, EvalCase, EvalSet

NONE_LABEL = "none"


class Scores(BaseModel):
    """One system's figures over some diagnosis cases, as the tables print them."""

    model_config = ConfigDict(frozen=True)

    n: int
    phase_accuracy: float
    component_f1: float
    mlbc_accuracy: float
    mlbc_n: int
    challenge_f1: float
    practice_f1: float
    isa4_f1: float
    empty: int = Field(description="Diagnoses with no component and no clarifying question.")
    no_component: int
    confusion: dict[str, dict[str, int]] = Field(description="gold phase -> predicted phase (or 'none') -> count")

    @classmethod
    def of(cls, part: Part, results: Sequence[CaseResult]) -> Scores:
        def value(name: str) -> float:
            metric = part.metric(name)
            return metric.value if metric is not None and metric.value is not None else 0.0

        def count(name: str) -> int:
            metric = part.metric(name)
            return int(sum(c.value for c in metric.cases)) if metric is not None else 0

        mlbc = part.metric("mlbc_phase_accuracy")
        return cls(
            n=len(results),
            phase_accuracy=value("phase_accuracy"),
            component_f1=value("component_micro_f1"),
            mlbc_accuracy=value("mlbc_phase_accuracy"),
            mlbc_n=mlbc.n if mlbc is not None else 0,
            challenge_f1=value("challenge_micro_f1"),
            practice_f1=value("practice_micro_f1"),
            isa4_f1=value("isa4_micro_f1"),
            empty=count("no_placement"),
            no_component=count("no_component"),
            confusion=confusion(results),
        )


def confusion(results: Sequence[CaseResult]) -> dict[str, dict[str, int]]:
    labels = [p.value for p in Phase]
    table = {gold: {pred: 0 for pred in [*labels, NONE_LABEL]} for gold in labels}
    for result in results:
        case, placed = result.case, result.placed
        if isinstance(case, DiagnosisCase):
            predicted = placed.phase.value if placed is not None and placed.phase else NONE_LABEL
            table[case.expected.phase.value][predicted] += 1
    return table


def score(cases: Sequence[EvalCase], predictions: Sequence[Diagnosis], part: str = "") -> Scores:
    """Score given placements of some diagnosis cases through the runner (the calibration search does)."""
    results = [CaseResult(case=c, diagnosis=p, part=part) for c, p in zip(cases, predictions, strict=True)]
    metrics = Runner(diagnosis_metrics()).score(results)
    return Scores.of(Part(name=part, metrics=metrics), results)


def require_diagnosis_cases(eval_set: EvalSet) -> list[DiagnosisCase]:
    """Return the set's cases, refusing a set with a case that is not a diagnosis case."""
    require_kind(eval_set, DiagnosisCase, "diagnosis")
    return [c for c in eval_set.cases if isinstance(c, DiagnosisCase)]
