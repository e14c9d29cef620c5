from datetime import UTC, datetime

import pytest

from evals.gate import (
    BASELINES_DIR,
    Baseline,
    Gate,
    GateError,
    GatePolicy,
    Tolerance,
    baseline_path,
    load_baseline,
    save_baseline,
    this_machine,
)
from evals.results import MetricScore, RunInfo, RunResult


def run(values: dict[str, float | None], version: int = 1, provider: str = "none", workers: int = 1) -> RunResult:
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
        workers=workers,
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


SAME = {"recall_at_5": 0.80, "scope_accuracy": 1.0, "latency_p95_ms": 100.0}


def test_latencies_of_runs_with_other_workers_are_skipped_with_a_note_and_never_fail():
    slow = Gate(POLICY).check(run({**SAME, "latency_p95_ms": 10_000.0}, workers=2), BASE)
    assert slow.passed and not slow.problems, slow
    (latency,) = [c for c in slow.checks if c.name == "latency_p95_ms"]
    assert latency.skipped and latency.passed and latency.limit is None
    assert latency.reason == "skipped: baseline recorded with --workers 1, this run with 2"
    assert slow.notes == [
        "latency checks skipped: baseline recorded with --workers 1, this run with 2, so timings are not comparable"
    ]
    worse = Gate(POLICY).check(run({**SAME, "recall_at_5": 0.70}, workers=2), BASE)
    assert not worse.passed and worse.failure() == "beyond tolerance: recall_at_5", "quality metrics still gate"


def test_latencies_are_compared_on_the_same_machine_only_when_the_baseline_names_one():
    here = BASE.model_copy(update={"machine": "CPU A x2"})
    assert Baseline.from_run(run(SAME)).machine == this_machine()
    elsewhere = Gate(POLICY).check(run({**SAME, "latency_p95_ms": 10_000.0}), here, machine="CPU B x8")
    assert elsewhere.passed and "baseline recorded on CPU A x2, this run on CPU B x8" in elsewhere.notes[0]
    same = Gate(POLICY).check(run({**SAME, "latency_p95_ms": 10_000.0}), here, machine="CPU A x2")
    assert not same.passed and same.failure() == "beyond tolerance: latency_p95_ms" and not same.notes
    unnamed = BASE.model_copy(update={"machine": None})  # like the stored baselines: no machine recorded
    unnamed = Gate(POLICY).check(run({**SAME, "latency_p95_ms": 10_000.0}), unnamed, machine="CPU B x8")
    assert not unnamed.passed, "a baseline without a machine is compared on workers alone"


def test_the_stored_full_baseline_passes_an_unchanged_run_with_the_default_workers():
    """``advisor eval`` (one worker) against evals/baselines/full.json, recorded with --workers 2."""
    stored = load_baseline(BASELINES_DIR / "full.json")
    assert stored is not None
    values = {m.name: (m.value * 3 if m.unit == "ms" and m.value else m.value) for m in stored.metrics}
    unchanged = run(values, version=stored.set_version, workers=1)
    report = Gate(GatePolicy.load()).check(unchanged, stored)
    assert report.passed, report.failure()
    assert stored.workers == 1 or report.notes[0].startswith("latency checks skipped")


def test_the_eval_command_prints_the_skipped_latency_line_and_exits_0(monkeypatch, tmp_path):
    from click.testing import CliRunner

    import evals.session
    from advisor.cli.main import cli
    from evals.answers import render
    from evals.report import ReportFiles
    from evals.session import EvalOutcome

    result = run(SAME, workers=1)
    gate = Gate(POLICY).check(result, BASE.model_copy(update={"workers": 2}), "full.json")
    files = ReportFiles(**{k: tmp_path / k for k in ("results_json", "markdown", "html", "chart")})
    outcome = EvalOutcome(
        run=result,
        gate=gate,
        files=files,
        baseline_file=tmp_path,
        baseline_written=False,
        message="gate passed",
        text=render(result, gate),
    )
    monkeypatch.setattr(evals.session, "run_eval", lambda settings, options, diagnoser=None: outcome)
    done = CliRunner().invoke(cli, ["eval"])
    assert done.exit_code == 0, done.output
    assert "gate: latency checks skipped: baseline recorded with --workers 2, this run with 1" in done.output
    assert any(line.startswith("latency_p95_ms") and line.endswith("skipped") for line in done.output.splitlines())


def test_a_run_with_parts_is_gated_under_qualified_names():
    from evals.results import Part

    def part(name: str, value: float) -> Part:
        metric = MetricScore(name="recall_at_5", description="d", value=value, n=3)
        return Part(name=name, metrics=[metric])

    base = run({})
    recorded = RunResult.from_parts(base.info, [part("bm25", 0.7), part("hybrid", 0.75)], [])
    assert [m.name for m in recorded.metrics] == ["bm25/recall_at_5", "hybrid/recall_at_5"]
    baseline = Baseline.from_run(recorded)
    worse = RunResult.from_parts(base.info, [part("bm25", 0.7), part("hybrid", 0.70)], [])
    report = Gate(POLICY).check(worse, baseline)
    assert not report.passed and report.failure() == "beyond tolerance: hybrid/recall_at_5"
    assert Gate(POLICY).check(recorded, baseline).passed


def test_every_stored_baseline_loads_for_a_set_of_its_version():
    from evals.loader import load_set

    stored = sorted(BASELINES_DIR.glob("*.json"))
    assert {p.name for p in stored} >= {"full.json", "smoke.json", "retrieval.json", "diagnosis.json", "wild-cv.json"}
    for path in stored:
        baseline = load_baseline(path)
        assert baseline is not None and baseline.metrics, path
        assert path.name.split(".")[0] == baseline.set_name
        assert load_set(baseline.set_name).version == baseline.set_version, path
