import json

from advisor.schema import Scope
from evals.gate import Baseline, Gate, GatePolicy, Tolerance
from evals.metrics.labels import LabelAccuracy
from evals.metrics.latency import LatencyPercentile
from evals.metrics.scope import ScopeAccuracy
from evals.report import case_rows, write_report
from evals.results import RunInfo, RunResult
from evals.runner import score_metric
from tests.evals.builders import answer, case, diagnosis, result


def make_run(phase: str) -> RunResult:
    results = [
        result(case(id="a-ok", type="out_of_scope", message="poem"), answer("No.", scope=Scope.OUT_OF_SCOPE)),
        result(
            case(id="z-sit", type="situation", message="pilot only", expected={"phase": "proving_concept"}),
            answer("You are early.", diag=diagnosis(phase=phase)),
        ),
        result(case(id="m-err", type="out_of_scope", message="fish"), None),
    ]
    metrics = [LabelAccuracy("phase"), ScopeAccuracy(), LatencyPercentile(95)]
    info = RunInfo(
        set_name="t",
        set_version=1,
        provider="none",
        k=None,
        started_at="2026-01-01T00:00:00Z",
        duration_s=0.1,
        git_commit="abc",
        cases=3,
        errors=1,
    )
    return RunResult(info=info, metrics=[score_metric(m, results) for m in metrics], results=results)


def test_failures_come_first_and_errors_are_shown():
    rows = case_rows(make_run("platformizing"))
    assert [r.case_id for r in rows] == ["m-err", "z-sit", "a-ok"]
    assert rows[0].failed[0].startswith("error: boom")
    assert "phase_accuracy: expected proving_concept, got platformizing" in rows[1].failed


def test_report_files_hold_summary_cases_chart_and_gate(tmp_path):
    baseline = Baseline.from_run(make_run("proving_concept"))
    current = make_run("platformizing")
    gate = Gate(GatePolicy(default=Tolerance(absolute=0.02))).check(current, baseline, "base.json")
    files = write_report(current, gate, tmp_path / "out")
    markdown = files.markdown.read_text()
    assert "**Gate: FAILED**" in markdown
    assert "| phase_accuracy | 0.000 | 1 | 1.000 | REGRESSED |" in markdown
    assert markdown.index("m-err") < markdown.index("a-ok")
    html = files.html.read_text()
    assert "Gate FAILED" in html and "<img src='metrics.png'" in html
    assert files.chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    payload = json.loads(files.results_json.read_text())
    assert payload["gate"]["passed"] is False
    assert RunResult.model_validate({k: v for k, v in payload.items() if k != "gate"}) == current
