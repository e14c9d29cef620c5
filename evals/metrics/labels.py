"""Diagnosis metrics: accuracy for single labels (phase, MLbC phase), set F1 for label lists.

Label F1 is either macro (every case weighs the same: the answers sets) or micro (a case weighs by its
number of expected and given labels, so the mean is the pooled F1 of the diagnosis dev sets); both are
scored per case and averaged by the runner.
"""

from __future__ import annotations

from typing import Literal

from advisor.schema import Diagnosis
from evals.metrics.base import CaseMetric, f1, f1_counts
from evals.results import CaseResult
from evals.schema import EvalCase, expected_labels

SingleField = Literal["phase", "mlbc_phase"]
ListField = Literal["components", "challenges", "practices", "isa4_layers"]


def _names(values: object) -> set[str]:
    return {str(v) for v in values or []}  # type: ignore[attr-defined]


class LabelAccuracy(CaseMetric):
    """Exact match of one single-valued field, over cases that judge it."""

    def __init__(self, field: SingleField) -> None:
        self.field = field
        self.name = f"{field}_accuracy"
        self.description = f"Share of situations whose diagnosed {field} equals the expected one."

    def _pair(self, case: EvalCase, result: CaseResult) -> tuple[object, object] | None:
        expected = expected_labels(case)
        want = getattr(expected, self.field) if expected else None
        if want is None:
            return None
        diagnosis: Diagnosis | None = result.placed
        return want, getattr(diagnosis, self.field) if diagnosis else None

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        pair = self._pair(case, result)
        return None if pair is None else float(pair[0] == pair[1])

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        pair = self._pair(case, result)
        if pair is None:
            return ""
        want, got = pair
        return f"expected {want}, got {getattr(got, 'value', None) if got else None}"


class LabelF1(CaseMetric):
    """Set F1 between expected and diagnosed labels of one list field, over cases that judge it.

    ``components`` is compared with the diagnosis' main components (at most three), the others with the
    lists of the same name. A case passes at F1 >= 0.5 (at least half right both ways). ``micro``
    weighs each case by its number of expected plus given labels (the pooled F1).
    """

    def __init__(self, field: ListField, short_name: str | None = None, micro: bool = False) -> None:
        self.field = field
        self.micro = micro
        self.name = f"{short_name or field}_{'micro_' if micro else ''}f1"
        kind = "Micro (pooled)" if micro else "Mean per-case"
        self.description = f"{kind} F1 of diagnosed vs expected {field}."

    def _sets(self, case: EvalCase, result: CaseResult) -> tuple[set[str], set[str]] | None:
        expected = expected_labels(case)
        want = getattr(expected, self.field) if expected else None
        if want is None:
            return None
        diagnosis = result.placed
        return _names(want), _names(getattr(diagnosis, self.field) if diagnosis else [])

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        sets = self._sets(case, result)
        return None if sets is None else f1(*sets)

    def weigh(self, case: EvalCase, result: CaseResult) -> tuple[float, float] | None:
        if not self.micro:
            return super().weigh(case, result)
        sets = self._sets(case, result)
        return None if sets is None else f1_counts(*sets)

    def passed(self, value: float) -> bool:
        return value >= 0.5

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        sets = self._sets(case, result)
        return "" if sets is None else f"expected {sorted(sets[0])}, got {sorted(sets[1])}"


class NoPlacement(CaseMetric):
    """A diagnosis that names no component and asks no clarifying question leaves the manager with nothing."""

    name = "no_placement"
    description = "Share of diagnoses with no component and no clarifying question."
    higher_is_better = False

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        diagnosis = result.placed
        if diagnosis is None:
            return None
        return float(not diagnosis.components and not diagnosis.clarifying_questions)

    def passed(self, value: float) -> bool:
        return value == 0.0


class NoComponent(CaseMetric):
    name = "no_component"
    description = "Share of diagnoses with no component at all."
    higher_is_better = False

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        diagnosis = result.placed
        return None if diagnosis is None else float(not diagnosis.components)

    def passed(self, value: float) -> bool:
        return value == 0.0


def micro_f1(gold: list[set], pred: list[set]) -> float:
    """Pool the F1 of paired label sets, as the runner averages ``LabelF1(micro=True)``."""
    doubled = size = 0
    for expected, predicted in zip(gold, pred, strict=True):
        d, s = f1_counts({str(v) for v in expected}, {str(v) for v in predicted})
        doubled, size = doubled + d, size + s
    return 1.0 if size == 0 else doubled / size
