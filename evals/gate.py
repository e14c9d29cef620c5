"""The regression gate: compare a run with the baseline recorded for its set and provider.

A baseline is recorded on purpose (``advisor eval --update-baseline``) and stored as JSON in
``evals/baselines/``; tolerances are data (``gate.yaml``). The gate fails when a metric is worse than its
baseline beyond tolerance, when a metric the baseline has is missing, or when the set's version changed
since the baseline was recorded (changed cases need a deliberately re-recorded baseline).

Latencies (metrics in ``ms``) are compared only between runs that can be compared: the same ``--workers``
and, when the baseline names it, the same machine. Otherwise those checks are skipped and the report says
why in a note; the quality metrics still gate. A timing never fails the gate for a difference of set-up.
"""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evals.results import RunResult

BASELINES_DIR = Path(__file__).parent / "baselines"
POLICY_FILE = Path(__file__).parent / "gate.yaml"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GateError(ValueError):
    """The baseline or the policy file cannot be read; the message names the file."""


class Tolerance(Strict):
    absolute: float = Field(default=0.0, ge=0)
    relative: float = Field(default=0.0, ge=0)


class GatePolicy(Strict):
    default: Tolerance
    metrics: dict[str, Tolerance] = Field(default_factory=dict)

    def for_metric(self, name: str) -> Tolerance:
        return self.metrics.get(name, self.default)

    @classmethod
    def load(cls, path: Path = POLICY_FILE) -> GatePolicy:
        try:
            return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise GateError(f"{path}: invalid gate policy: {exc}") from exc


class BaselineMetric(Strict):
    name: str
    value: float | None
    higher_is_better: bool
    unit: str


class Baseline(Strict):
    set_name: str
    set_version: int
    provider: str
    k: int | None
    recorded_at: datetime
    git_commit: str | None
    cases: int
    workers: int = 1
    machine: str | None = Field(default=None, description="CPU and core count it was recorded on (this_machine).")
    metrics: list[BaselineMetric]

    @classmethod
    def from_run(cls, run: RunResult) -> Baseline:
        info = run.info
        return cls(
            set_name=info.set_name,
            set_version=info.set_version,
            provider=info.provider,
            k=info.k,
            recorded_at=datetime.now(UTC),
            git_commit=info.git_commit,
            cases=info.cases,
            workers=info.workers,
            machine=this_machine(),
            metrics=[
                BaselineMetric(name=m.name, value=m.value, higher_is_better=m.higher_is_better, unit=m.unit)
                for m in run.metrics
            ],
        )


@lru_cache(maxsize=1)
def this_machine() -> str:
    """Name the CPU model and core count this process runs on: timings compare only on one such machine."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:
        pass
    model = " ".join((model or platform.processor() or platform.machine() or "unknown CPU").split())
    return f"{model} x{os.cpu_count() or 1}"


def latency_blockers(baseline: Baseline, run: RunResult, machine: str) -> list[str]:
    """Say why this run's latencies cannot be compared with the baseline's; empty when they can."""
    blockers = []
    if baseline.workers != run.info.workers:
        blockers.append(f"baseline recorded with --workers {baseline.workers}, this run with {run.info.workers}")
    if baseline.machine is not None and baseline.machine != machine:
        blockers.append(f"baseline recorded on {baseline.machine}, this run on {machine}")
    return blockers


def baseline_path(set_name: str, provider: str, directory: Path = BASELINES_DIR) -> Path:
    """``<set>.json`` for the offline provider (the CI gate), ``<set>.<provider>.json`` for the others."""
    suffix = "" if provider == "none" else f".{provider}"
    return directory / f"{set_name}{suffix}.json"


def load_baseline(path: Path) -> Baseline | None:
    if not path.exists():
        return None
    try:
        return Baseline.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        raise GateError(f"{path}: invalid baseline: {exc}") from exc


def save_baseline(baseline: Baseline, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(baseline.model_dump_json(indent=2) + "\n", encoding="utf-8")


class MetricCheck(Strict):
    name: str
    baseline: float | None
    current: float | None
    limit: float | None = Field(description="The worst value still accepted.")
    passed: bool
    reason: str
    skipped: bool = Field(default=False, description="Not compared (latencies of runs that cannot be compared).")


class GateReport(Strict):
    passed: bool
    baseline_file: str
    problems: list[str]
    checks: list[MetricCheck]
    notes: list[str] = Field(default_factory=list, description="What the gate did not check, and why.")

    def failure(self) -> str:
        """Say why the gate failed in one line (a CI log's last line): runs that cannot be compared, or metrics."""
        if self.problems:
            return "; ".join(self.problems)
        dropped = [check.name for check in self.checks if not check.passed]
        return f"beyond tolerance: {', '.join(dropped)}" if dropped else ""


class Gate:
    def __init__(self, policy: GatePolicy) -> None:
        self.policy = policy

    def check(
        self, run: RunResult, baseline: Baseline, baseline_file: str = "", machine: str | None = None
    ) -> GateReport:
        """Compare ``run`` with ``baseline``; ``machine`` is where the run ran (default: here, see ``this_machine``)."""
        problems = []
        if baseline.set_name != run.info.set_name:
            problems.append(f"baseline is for set {baseline.set_name!r}, run is {run.info.set_name!r}")
        if baseline.set_version != run.info.set_version:
            problems.append(
                f"set {run.info.set_name!r} is version {run.info.set_version} but the baseline was recorded for "
                f"version {baseline.set_version}: re-record it on purpose with --update-baseline"
            )
        if baseline.provider != run.info.provider:
            problems.append(
                f"baseline was recorded with provider {baseline.provider!r}, run used {run.info.provider!r}"
            )
        blockers = latency_blockers(baseline, run, machine or this_machine())
        notes = []
        if blockers and any(m.unit == "ms" for m in baseline.metrics):
            notes.append(f"latency checks skipped: {'; '.join(blockers)}, so timings are not comparable")
        checks = [
            self._skipped(m, run, blockers) if blockers and m.unit == "ms" else self._check_metric(run, m)
            for m in baseline.metrics
        ]
        passed = not problems and all(c.passed for c in checks)
        return GateReport(passed=passed, baseline_file=baseline_file, problems=problems, checks=checks, notes=notes)

    @staticmethod
    def _skipped(expected: BaselineMetric, run: RunResult, blockers: list[str]) -> MetricCheck:
        current = run.metric(expected.name)
        return MetricCheck(
            name=expected.name,
            baseline=expected.value,
            current=current.value if current else None,
            limit=None,
            passed=True,
            reason=f"skipped: {'; '.join(blockers)}",
            skipped=True,
        )

    def _check_metric(self, run: RunResult, expected: BaselineMetric) -> MetricCheck:
        current = run.metric(expected.name)
        value = current.value if current else None
        if expected.value is None:
            return MetricCheck(
                name=expected.name, baseline=None, current=value, limit=None, passed=True, reason="not in baseline"
            )
        if value is None:
            return MetricCheck(
                name=expected.name,
                baseline=expected.value,
                current=None,
                limit=None,
                passed=False,
                reason="missing from this run",
            )
        tolerance = self.policy.for_metric(expected.name)
        slack = tolerance.absolute + tolerance.relative * abs(expected.value)
        if expected.higher_is_better:
            limit = expected.value - slack
            passed = value >= limit - 1e-9
        else:
            limit = expected.value + slack
            passed = value <= limit + 1e-9
        delta = value - expected.value
        reason = f"{delta:+.4g} vs baseline" + ("" if passed else f", beyond tolerance (limit {limit:.4g})")
        return MetricCheck(
            name=expected.name, baseline=expected.value, current=value, limit=limit, passed=passed, reason=reason
        )
