from datetime import UTC, datetime

import pytest

from evals.gate import Baseline, Gate, GateError, GatePolicy, Tolerance, baseline_path, load_baseline, save_baseline
from evals.results import MetricScore, RunInfo, RunResult


def run(values: dict[str, float | None], version: int = 1, provider: str = "none") -> RunResult:
    info = RunInfo(
        set_name="full",
        set_version=version,
        provider=provider,
        k=None,
        started_at=datetime.now(UTC),
        duration_s=1.0,
        git_commit=None,
        cases=3,
        errors=0,
    )
    metrics = [
        MetricScore(
            name=name,
            description="d",
            value=value,
            n=3,
            unit="ms" if name.endswith("_ms") else "ratio",
            higher_is_better=not name.endswith("_ms"),
        )
        for name, value in values.items()
    ]
    return RunResult(info=info, metrics=metrics, results=[])


POLICY = GatePolicy(default=Tolerance(absolute=0.02), metrics={"latency_p95_ms": Tolerance(relative=1.0, absolute=50)})
BASE = Baseline.from_run(run({"recall_at_5": 0.80, "scope_accuracy": 1.0, "latency_p95_ms": 100.0, "mrr": None}))


def test_unchanged_run_passes_and_small_drops_are_tolerated():
    report = Gate(POLICY).check(run({"recall_at_5": 0.79, "scope_accuracy": 1.0, "latency_p95_ms": 240.0}), BASE)
    assert report.passed, report
    by_name = {c.name: c for c in report.checks}
    assert by_name["recall_at_5"].limit == pytest.approx(0.78)
    assert by_name["latency_p95_ms"].limit == pytest.approx(250.0)  # 100 + 1.0 * 100 + 50
    assert by_name["mrr"].passed  # no baseline value: nothing to defend


def test_drops_beyond_tolerance_fail_each_metric_on_its_own():
    report = Gate(POLICY).check(run({"recall_at_5": 0.70, "scope_accuracy": 1.0, "latency_p95_ms": 260.0}), BASE)
    assert not report.passed
    failed = {c.name for c in report.checks if not c.passed}
    assert failed == {"recall_at_5", "latency_p95_ms"}
    assert "beyond tolerance" in next(c.reason for c in report.checks if c.name == "recall_at_5")
    assert report.failure() == "beyond tolerance: recall_at_5, latency_p95_ms"


def test_missing_metric_version_or_provider_change_fails():
    missing = Gate(POLICY).check(run({"recall_at_5": 0.8, "latency_p95_ms": 100.0}), BASE)
    assert not missing.passed and any(c.reason == "missing from this run" for c in missing.checks)
    same = {"recall_at_5": 0.8, "scope_accuracy": 1.0, "latency_p95_ms": 100.0}
    bumped = Gate(POLICY).check(run(same, version=2), BASE)
    assert not bumped.passed and "--update-baseline" in bumped.problems[0]
    other = Gate(POLICY).check(run(same, provider="local"), BASE)
    assert not other.passed and "provider" in other.problems[0]
    assert "provider" in other.failure() and "tolerance" not in other.failure()


def test_baseline_round_trip_and_paths(tmp_path):
    path = baseline_path("full", "none", tmp_path)
    assert path.name == "full.json" and baseline_path("full", "local", tmp_path).name == "full.local.json"
    assert load_baseline(path) is None
    save_baseline(BASE, path)
    assert load_baseline(path) == BASE
    path.write_text("{}")
    with pytest.raises(GateError, match=r"full\.json: invalid baseline"):
        load_baseline(path)


def test_policy_file_loads_and_bad_policy_names_file(tmp_path):
    policy = GatePolicy.load()
    assert policy.for_metric("recall_at_5").absolute > 0
    assert policy.for_metric("latency_p95_ms").relative > 0
    bad = tmp_path / "gate.yaml"
    bad.write_text("default: {absolute: -1}\n")
    with pytest.raises(GateError, match=r"gate\.yaml: invalid gate policy"):
        GatePolicy.load(bad)
