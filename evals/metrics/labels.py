"""Diagnosis metrics: accuracy for single labels (phase, MLbC phase), set F1 for label lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from advisor.schema import Diagnosis
from evals.metrics.base import f1, mean_of
from evals.results import CaseResult, CaseScore, MetricScore
from evals.schema import ExpectedDiagnosis, FactualCase, SituationCase

SingleField = Literal["phase", "mlbc_phase"]
ListField = Literal["components", "challenges", "practices", "isa4_layers"]


def expected_of(result: CaseResult) -> ExpectedDiagnosis | None:
    case = result.case
    if isinstance(case, SituationCase):
        return case.expected
    if isinstance(case, FactualCase):
        return case.expected_diagnosis
    return None


def diagnosis_of(result: CaseResult) -> Diagnosis | None:
    return result.answer.diagnosis if result.answer else None


class LabelAccuracy:
    """Exact match of one single-valued field, over cases that judge it."""

    def __init__(self, field: SingleField) -> None:
        self.field = field
        self.name = f"{field}_accuracy"
        self.description = f"Share of situations whose diagnosed {field} equals the expected one."

    def score(self, results: Sequence[CaseResult]) -> MetricScore:
        cases = []
        for result in results:
            expected = expected_of(result)
            want = getattr(expected, self.field) if expected else None
            if want is None:
                continue
            diagnosis = diagnosis_of(result)
            got = getattr(diagnosis, self.field) if diagnosis else None
            ok = got == want
            detail = f"expected {want}, got {got.value if got else None}"
            cases.append(CaseScore(case_id=result.case_id, value=float(ok), passed=ok, detail=detail))
        return mean_of(self.name, self.description, cases)


class LabelF1:
    """Set F1 between expected and diagnosed labels of one list field, averaged over cases that judge it.

    ``components`` is compared with the diagnosis' main components (at most three), the others with the
    lists of the same name. A case passes at F1 >= 0.5 (at least half right both ways).
    """

    def __init__(self, field: ListField, short_name: str | None = None) -> None:
        self.field = field
        self.name = f"{short_name or field}_f1"
        self.description = f"Mean per-case F1 of diagnosed vs expected {field}."

    def score(self, results: Sequence[CaseResult]) -> MetricScore:
        cases = []
        for result in results:
            expected = expected_of(result)
            want = getattr(expected, self.field) if expected else None
            if want is None:
                continue
            diagnosis = diagnosis_of(result)
            got = getattr(diagnosis, self.field) if diagnosis else []
            value = f1({str(v) for v in want}, {str(v) for v in got})
            detail = f"expected {sorted(str(v) for v in want)}, got {sorted(str(v) for v in got)}"
            cases.append(CaseScore(case_id=result.case_id, value=value, passed=value >= 0.5, detail=detail))
        return mean_of(self.name, self.description, cases)
