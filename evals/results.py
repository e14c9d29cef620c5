"""What a run produces: per-case results and per-metric scores, as models the report and gate read back."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.schema import Answer
from evals.schema import EvalCase


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseResult(Strict):
    """One case as it was asked and answered (or failed)."""

    case: EvalCase
    answer: Answer | None
    error: str | None = Field(description="Why Advisor.ask raised, if it did; the case then fails every metric.")
    latency_ms: float = Field(ge=0)
    retrieved_ids: list[str] = Field(description="Record IDs the retriever ranked for this case, best first.")

    @property
    def case_id(self) -> str:
        return self.case.id


class CaseScore(Strict):
    case_id: str
    value: float
    passed: bool
    detail: str = ""


class MetricScore(Strict):
    """One metric over a run: the aggregate, how many cases it applied to, and each case's share."""

    name: str
    description: str
    value: float | None = Field(description="None when no case in the set applies to this metric.")
    n: int = Field(ge=0)
    unit: Literal["ratio", "ms"] = "ratio"
    higher_is_better: bool = True
    cases: list[CaseScore] = Field(default_factory=list)


class RunInfo(Strict):
    set_name: str
    set_version: int
    provider: str
    k: int | None
    started_at: datetime
    duration_s: float
    git_commit: str | None
    cases: int
    errors: int
    workers: int = Field(default=1, ge=1, description="Cases asked in parallel; latencies depend on it.")


class RunResult(Strict):
    """Everything one ``advisor eval`` run measured; written as ``results.json``."""

    info: RunInfo
    metrics: list[MetricScore]
    results: list[CaseResult]

    def metric(self, name: str) -> MetricScore | None:
        return next((m for m in self.metrics if m.name == name), None)

    def failed_case_ids(self) -> set[str]:
        failed = {r.case_id for r in self.results if r.error}
        for metric in self.metrics:
            failed.update(c.case_id for c in metric.cases if not c.passed)
        return failed
