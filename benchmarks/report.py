"""One benchmark run as data: what was measured, on which machine, against which targets.

The run is written as JSON (``results.json`` and ``runs/<label>.json``) so a later run can be compared
with it, and rendered as Markdown tables (``RESULTS.md``) a manager can read.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from benchmarks.http_load import ConcurrencyLevel, StreamResult
from benchmarks.latency import ASK, FLOOR, LatencyRow
from benchmarks.llm_speed import LLMSpeed
from benchmarks.machine import Machine
from benchmarks.processes import ColdStartResult, IngestResult
from benchmarks.scale import ScaleFailure, ScalePoint

SECTIONS = ("ingest", "latency", "cold", "stream", "concurrency", "scale", "llm")


class RunOptions(BaseModel):
    """How big the run was; kept with the figures so they are read in context."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sections: list[str]
    quick: bool
    repetitions: int = Field(ge=1)
    cold_runs: int = Field(ge=1)
    stream_repetitions: int = Field(ge=1)
    clients: list[int]
    requests_per_client: int = Field(ge=1)
    level_time_limit_s: float = Field(gt=0)
    scales: list[int]
    scale_repetitions: int = Field(ge=1)
    llm_prompts: int = Field(ge=1)
    llm_max_new_tokens: int = Field(ge=1)
    questions: int = Field(ge=1)


class ServerStart(BaseModel):
    model_config = ConfigDict(frozen=True)

    ready_s: float
    rate_limit: str
    description: str = "`advisor serve` process start (models loaded, index opened) to GET /healthz = 200"


class TargetCheck(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    target: str
    measured: str
    met: bool | None = Field(description="None when the section was not run or failed")


class BenchReport(BaseModel):
    label: str
    command: str
    started_at: str
    finished_at: str = ""
    machine: Machine
    load_average_end: tuple[float, float, float] | None = None
    options: RunOptions
    ingest: IngestResult | None = None
    latency: list[LatencyRow] = Field(default_factory=list)
    cold_start: ColdStartResult | None = None
    server: ServerStart | None = None
    stream: StreamResult | None = None
    concurrency: list[ConcurrencyLevel] = Field(default_factory=list)
    scale: list[ScalePoint | ScaleFailure] = Field(default_factory=list)
    llm: LLMSpeed | None = None
    problems: list[str] = Field(default_factory=list, description="Sections that failed, and why")
    targets: list[TargetCheck] = Field(default_factory=list)

    @field_validator("llm", mode="before")
    @classmethod
    def _retired_llm_figures(cls, value: object) -> object:
        """Drop the LLM figures of runs that measured the retired SmolLM2 in another shape (not comparable)."""
        if isinstance(value, dict) and "first_sentence" not in value:
            return None
        return value

    def row(self, name: str) -> LatencyRow | None:
        return next((r for r in self.latency if r.name == name), None)


def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def check_targets(report: BenchReport) -> list[TargetCheck]:
    """Compare the run with the issue's targets; a section not run gives an unknown (None) verdict."""
    checks = []
    ask, floor = report.row(ASK), report.row(FLOOR)
    if ask and floor and ask.p95_ratio_to_floor is not None:
        checks.append(
            TargetCheck(
                name="ask p95 vs floor p95",
                target="≤ 3×",
                measured=f"{ask.p95_ratio_to_floor:.2f}× ({_ms(ask.latency.p95)} vs {_ms(floor.latency.p95)})",
                met=ask.p95_ratio_to_floor <= 3.0,
            )
        )
    else:
        checks.append(TargetCheck(name="ask p95 vs floor p95", target="≤ 3×", measured="not measured", met=None))
    points = {p.factor: p for p in report.scale if isinstance(p, ScalePoint)}
    top = max((f for f in points if f > 1), default=None)
    r = points[top].search_p95_ratio_to_x1 if 1 in points and top is not None else None
    if top is not None and r is not None:
        checks.append(
            TargetCheck(
                name=f"search p95 at ×{top} vs ×1",
                target="≤ 2×",
                measured=f"{r:.2f}× ({_ms(points[top].search.p95)} vs {_ms(points[1].search.p95)})",
                met=r <= 2.0,
            )
        )
    else:
        checks.append(TargetCheck(name="search p95 at ×100 vs ×1", target="≤ 2×", measured="not measured", met=None))
    first = report.stream.first_piece if report.stream else None
    checks.append(
        TargetCheck(
            name="first streamed piece p50",
            target="≤ 1 s",
            measured=_ms(first.p50) if first else "not measured",
            met=None if first is None else first.p50 <= 1.0,
        )
    )
    checks.extend(_llm_targets(report.llm))
    sixteen = next((c for c in report.concurrency if c.clients == 16), None)
    checks.append(
        TargetCheck(
            name="errors at 16 parallel clients",
            target="0",
            measured="not measured" if sixteen is None else f"{sixteen.errors} of {sixteen.completed + sixteen.errors}",
            met=None if sixteen is None else sixteen.errors == 0 and sixteen.completed > 0,
        )
    )
    return checks


def _llm_targets(llm: LLMSpeed | None) -> list[TargetCheck]:
    """Check the bundled model's targets (issue 15): load, first checked sentence, whole answer, memory."""
    specs = [
        ("local model load", "≤ 5 s", lambda m: m.load_s, 5.0, _ms),
        ("first checked sentence p50", "≤ 4 s", lambda m: m.first_sentence.p50, 4.0, _ms),
        ("whole answer p50", "≤ 15 s", lambda m: m.whole_answer.p50, 15.0, _ms),
        ("peak RSS with the local model", "≤ 3.5 GB", lambda m: m.peak_rss_mb / 1024, 3.5, lambda v: f"{v:.2f} GB"),
    ]
    return [
        TargetCheck(
            name=name,
            target=target,
            measured="not measured" if llm is None else show(get(llm)),
            met=None if llm is None else get(llm) <= limit,
        )
        for name, target, get, limit, show in specs
    ]
