"""The one runner: hand every case of a set to the system under test, score every metric per case, average.

The system under test is a *subject*: a callable from a case to a :class:`CaseResult` (the advisor's
answer, a search mode's ranking, a diagnoser's placement; see :mod:`evals.subjects`). The runner asks it
every case (on ``workers`` threads: the scores are the same, latencies then include the contention,
so compare latencies only between runs with the same number of workers), records a case whose subject
raised with its error, and scores the results with :func:`score_metric`: each metric's per-case values,
averaged here and nowhere else. Every kind of set, the cross-validation folds and the calibration
search are scored through this function.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from tqdm import tqdm

from evals.metrics.base import CaseMetric, percentile
from evals.results import CaseResult, CaseScore, MetricScore, Part, RunInfo, RunResult
from evals.schema import EvalCase, EvalSet


class Subject(Protocol):
    """The system under test: one case in, its result out (may raise; the runner records the error)."""

    def __call__(self, case: EvalCase) -> CaseResult: ...


def score_metric(metric: CaseMetric, results: Sequence[CaseResult]) -> MetricScore:
    """Score ``metric`` on every result it applies to and aggregate: the (weighted) mean, or a percentile."""
    cases: list[CaseScore] = []
    numerator = weights = 0.0
    for result in results:
        weighed = metric.weigh(result.case, result)
        if weighed is None:
            continue
        part, weight = weighed
        value = part / weight if weight else metric.score(result.case, result)
        assert value is not None  # a metric that weighs a case also scores it
        passed = metric.passed(value)
        detail = "" if passed else metric.explain(result.case, result)
        cases.append(CaseScore(case_id=result.case_id, value=value, passed=passed, detail=detail, weight=weight))
        numerator += part
        weights += weight
    if not cases:
        aggregate = None
    elif metric.percentile is not None:
        aggregate = percentile([c.value for c in cases], metric.percentile)
    elif weights:
        aggregate = numerator / weights
    else:  # every case weighs nothing (a micro F1 where no case expects or gets a label): all agree
        aggregate = sum(c.value for c in cases) / len(cases)
    return MetricScore(
        name=metric.name,
        description=metric.description,
        value=aggregate,
        n=len(cases),
        unit=metric.unit,
        higher_is_better=metric.higher_is_better,
        cases=cases,
    )


def average(scores: Sequence[CaseScore]) -> float | None:
    """Average some case scores (a slice of a metric, e.g. one query style) as ``score_metric`` does."""
    weights = sum(s.weight for s in scores)
    if not scores:
        return None
    if not weights:
        return sum(s.value for s in scores) / len(scores)
    return sum(s.value * s.weight for s in scores) / weights


def git_commit(repo: Path | None = None) -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=repo or Path(__file__).parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


class Runner:
    """Ask a subject every case and score the results with one metric table."""

    def __init__(self, metrics: Sequence[CaseMetric], progress: bool = False, workers: int = 1) -> None:
        if workers < 1:
            raise ValueError("workers must be >= 1")
        if not metrics:
            raise ValueError("give at least one metric")
        self.metrics = list(metrics)
        self.progress = progress
        self.workers = workers

    def score(self, results: Sequence[CaseResult]) -> list[MetricScore]:
        return [score_metric(metric, results) for metric in self.metrics]

    def collect(
        self, cases: Sequence[EvalCase], subject: Subject, part: str = "", label: str = "eval"
    ) -> list[CaseResult]:
        """Every case's result in case order; a case whose subject raised carries the error."""
        warm_up: Callable[[], object] | None = getattr(subject, "warm_up", None)
        if callable(warm_up):
            warm_up()  # load indexes and models before any clock runs, and before threads race to do it
        bar = tqdm(total=len(cases), desc=label, unit="case", disable=not self.progress)

        def one(case: EvalCase) -> CaseResult:
            started = time.perf_counter()
            try:
                result = subject(case)
            except Exception as exc:  # one broken case must not hide the rest of the run
                result = CaseResult(case=case, error=f"{type(exc).__name__}: {exc}")
            latency = result.latency_ms or (time.perf_counter() - started) * 1000
            return result.model_copy(update={"part": part, "latency_ms": latency})

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            futures = [pool.submit(one, case) for case in cases]
            for future in futures:
                future.add_done_callback(lambda _: bar.update())
            results = [future.result() for future in futures]
        bar.close()
        return results

    def run_part(
        self, cases: Sequence[EvalCase], subject: Subject, name: str = "", title: str = "", label: str = "eval"
    ) -> tuple[Part, list[CaseResult]]:
        results = self.collect(cases, subject, part=name, label=label)
        return Part(name=name, title=title, metrics=self.score(results)), results

    def run(self, eval_set: EvalSet, subject: Subject, provider: str, k: int | None = None) -> RunResult:
        """Run a one-part set (an answers set): its scores under the metrics' own names."""
        started_at, clock = datetime.now(UTC), time.perf_counter()
        results = self.collect(eval_set.cases, subject, label=f"eval {eval_set.name}")
        info = run_info(eval_set, provider, started_at, time.perf_counter() - clock, results, self.workers, k)
        return RunResult(info=info, metrics=self.score(results), results=results)


def run_info(
    eval_set: EvalSet,
    provider: str,
    started_at: datetime,
    duration_s: float,
    results: Sequence[CaseResult],
    workers: int = 1,
    k: int | None = None,
) -> RunInfo:
    return RunInfo(
        set_name=eval_set.name,
        set_version=eval_set.version,
        provider=provider,
        k=k,
        started_at=started_at,
        duration_s=duration_s,
        git_commit=git_commit(),
        cases=len(eval_set.cases),
        errors=sum(1 for r in results if r.error),
        workers=workers,
        task=eval_set.task,
    )
