"""What a run produces: per-case results and per-metric scores, as models the report and gate read back.

A run scores one or more *parts*: the one system of an answers run, each search mode of a retrieval run,
each diagnoser of a diagnosis run, each fold of a cross-validation. Every case result says which part it
belongs to; :attr:`RunResult.metrics` holds every part's scores under qualified names (``hybrid/mrr``),
the unnamed part's under the metric's own name, so the gate compares any run the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.schema import Answer, Diagnosis, Scope
from evals.schema import EvalCase, Task

Unit = Literal["ratio", "ms", "tokens/s"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseResult(Strict):
    """One case as the system under test handled it: an answer, a ranking or a diagnosis (or an error)."""

    case: EvalCase
    part: str = Field(default="", description="Which part of the run (system or fold) produced this result.")
    answer: Answer | None = None
    diagnosis: Diagnosis | None = Field(default=None, description="A diagnoser's own placement (diagnosis runs).")
    error: str | None = Field(default=None, description="Why the system raised, if it did; the case then fails.")
    latency_ms: float = Field(default=0.0, ge=0)
    retrieved_ids: list[str] = Field(default_factory=list, description="Record IDs ranked for this case, best first.")
    decided_scope: Scope | None = Field(default=None, description="A scope decided without an answer (calibration).")
    llm_accepted: bool | None = Field(default=None, description="LLM answer kept (True) or fell back; None: not asked.")
    tokens_per_second: float | None = None

    @property
    def case_id(self) -> str:
        return self.case.id

    @property
    def placed(self) -> Diagnosis | None:
        """Return the diagnosis this result shows: the diagnoser's, or the one inside the answer."""
        if self.diagnosis is not None:
            return self.diagnosis
        return self.answer.diagnosis if self.answer is not None else None

    @property
    def scope(self) -> Scope | None:
        return self.answer.scope if self.answer is not None else self.decided_scope


class CaseScore(Strict):
    case_id: str
    value: float
    passed: bool
    detail: str = ""
    weight: float = Field(default=1.0, ge=0, description="Its weight in the mean (1; a micro average: its size).")


class MetricScore(Strict):
    """One metric over a part of a run: the aggregate, how many cases it applied to, and each case's share."""

    name: str
    description: str
    value: float | None = Field(description="None when no case in the set applies to this metric.")
    n: int = Field(ge=0)
    unit: Unit = "ratio"
    higher_is_better: bool = True
    cases: list[CaseScore] = Field(default_factory=list)


class Part(Strict):
    """The scores of one system or fold (its results carry its name in ``part``)."""

    name: str
    title: str = ""
    metrics: list[MetricScore]

    def metric(self, name: str) -> MetricScore | None:
        return next((m for m in self.metrics if m.name == name), None)


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
    task: Task = "answers"


class RunResult(Strict):
    """Everything one run measured; written as ``results.json``.

    ``metrics`` is what the gate compares: the unnamed part's scores as they are, a named part's under
    ``part/metric``. ``parts`` keeps each part's own scores for the views (empty for a one-part run).
    """

    info: RunInfo
    metrics: list[MetricScore]
    results: list[CaseResult]
    parts: list[Part] = Field(default_factory=list)

    @classmethod
    def from_parts(cls, info: RunInfo, parts: list[Part], results: list[CaseResult]) -> RunResult:
        """Flatten the parts' scores under qualified names (a part named "" keeps the plain names)."""
        flat = [
            m if not part.name else m.model_copy(update={"name": f"{part.name}/{m.name}"})
            for part in parts
            for m in part.metrics
        ]
        return cls(info=info, metrics=flat, results=results, parts=parts)

    def metric(self, name: str) -> MetricScore | None:
        return next((m for m in self.metrics if m.name == name), None)

    def part(self, name: str) -> Part | None:
        return next((p for p in self.parts if p.name == name), None)

    def results_of(self, part: str) -> list[CaseResult]:
        return [r for r in self.results if r.part == part]

    def failed_case_ids(self) -> set[str]:
        failed = {r.case_id for r in self.results if r.error}
        for metric in self.metrics:
            failed.update(c.case_id for c in metric.cases if not c.passed)
        return failed
