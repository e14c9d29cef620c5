"""Write a run to disk: ``results.json``, ``report.md``, ``report.html`` and ``metrics.png``.

The summary table lists every metric with its baseline and gate verdict; the per-case table puts failing
cases first so a reviewer reads the regressions before the successes.
"""

from __future__ import annotations

import html
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from evals.gate import GateReport
from evals.results import CaseResult, MetricScore, RunResult


class ReportFiles(BaseModel):
    model_config = ConfigDict(frozen=True)

    results_json: Path
    markdown: Path
    html: Path
    chart: Path


class CaseRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    case_id: str
    part: str = ""
    type: str
    follow_up: bool
    scope: str
    phase: str
    failed: list[str]
    latency_ms: float
    message: str


def _fmt(value: float | None, unit: str = "ratio") -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if unit == "ms" else f"{value:.3f}"


def case_rows(run: RunResult) -> list[CaseRow]:
    """One row per result (per part of a run with parts), with the checks it failed."""
    failed_by_case: dict[tuple[str, str], list[str]] = {}
    parts = run.parts or []
    scored = [(p.name, p.metrics) for p in parts] if parts else [("", run.metrics)]
    for part, metrics in scored:
        for metric in metrics:
            for score in metric.cases:
                if not score.passed:
                    failed = f"{metric.name}: {score.detail}".strip()
                    failed_by_case.setdefault((part, score.case_id), []).append(failed)
    rows = [_row(result, failed_by_case.get((result.part, result.case_id), [])) for result in run.results]
    # Errors first, then the cases failing most checks, then the passing ones.
    return sorted(rows, key=lambda r: (not r.failed, r.scope != "error", -len(r.failed), r.case_id))


def _row(result: CaseResult, failed: list[str]) -> CaseRow:
    if result.error:
        failed = [f"error: {result.error}", *failed]
    placed = result.placed
    phase = placed.phase if placed and placed.phase else None
    scope = result.scope.value if result.scope else ("error" if result.error else "–")
    return CaseRow(
        case_id=result.case_id,
        part=result.part,
        type=result.case.type,
        follow_up=result.case.is_follow_up,
        scope=scope,
        phase=phase.value if phase else "–",
        failed=failed,
        latency_ms=result.latency_ms,
        message=result.case.message,
    )


def _case(row: CaseRow) -> str:
    return f"{row.case_id} ({row.part})" if row.part else row.case_id


def summary_lines(run: RunResult, gate: GateReport | None) -> list[tuple[MetricScore, str, str]]:
    """(metric, baseline, verdict) per metric, in run order."""
    checks = {c.name: c for c in gate.checks} if gate else {}
    lines = []
    for metric in run.metrics:
        check = checks.get(metric.name)
        baseline = _fmt(check.baseline, metric.unit) if check else "–"
        verdict = ("skipped" if check.skipped else "ok" if check.passed else "REGRESSED") if check else "–"
        lines.append((metric, baseline, verdict))
    return lines


def render_markdown(run: RunResult, gate: GateReport | None, chart_name: str) -> str:
    info = run.info
    out = [
        f"# Eval report: set `{info.set_name}` v{info.set_version}, provider `{info.provider}`",
        "",
        f"{info.cases} cases, {info.errors} errors, {info.duration_s:.1f} s, commit {info.git_commit or '?'}, "
        f"retrieval k={info.k or 'default'}, started {info.started_at:%Y-%m-%d %H:%M:%S} UTC.",
        "",
    ]
    if gate is not None:
        verdict = "PASSED" if gate.passed else "FAILED"
        out += [f"**Gate: {verdict}** against `{gate.baseline_file}`.", ""]
        out += [f"- {p}" for p in gate.problems]
        out += [f"- {note}" for note in gate.notes]
        if gate.problems:
            out.append("")
    out += ["## Summary", "", "| metric | value | n | baseline | gate |", "|---|---:|---:|---:|---|"]
    for metric, baseline, verdict in summary_lines(run, gate):
        out.append(f"| {metric.name} | {_fmt(metric.value, metric.unit)} | {metric.n} | {baseline} | {verdict} |")
    out += ["", f"![metrics]({chart_name})", "", "## Cases (failures first)", ""]
    out += ["| case | type | scope | phase | ms | failed checks |", "|---|---|---|---|---:|---|"]
    for row in case_rows(run):
        kind = row.type + (" (follow-up)" if row.follow_up else "")
        failed = "<br>".join(f.replace("|", "\\|") for f in row.failed) or "–"
        out.append(f"| {_case(row)} | {kind} | {row.scope} | {row.phase} | {row.latency_ms:.0f} | {failed} |")
    out += ["", "## Metric definitions", ""]
    out += [f"- **{m.name}**: {m.description}" for m in run.metrics]
    return "\n".join(out) + "\n"


_CSS = """body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}
table{border-collapse:collapse;margin:1rem 0}
td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;font-size:.9rem}th{background:#f3f3f3}
.fail{background:#fde8e8}.ok{color:#176317}.bad{color:#a40000;font-weight:bold}td.num{text-align:right}"""


def render_html(run: RunResult, gate: GateReport | None, chart_name: str) -> str:
    e = html.escape
    info = run.info
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>Eval {e(info.set_name)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Eval report: set {e(info.set_name)} v{info.set_version}, provider {e(info.provider)}</h1>",
        f"<p>{info.cases} cases, {info.errors} errors, {info.duration_s:.1f} s, commit {e(info.git_commit or '?')},"
        f" retrieval k={info.k or 'default'}.</p>",
    ]
    if gate is not None:
        css = "ok" if gate.passed else "bad"
        parts.append(
            f"<p class='{css}'>Gate {'PASSED' if gate.passed else 'FAILED'} against {e(gate.baseline_file)}</p>"
        )
        parts += [f"<p class='bad'>{e(p)}</p>" for p in gate.problems]
        parts += [f"<p>{e(note)}</p>" for note in gate.notes]
    parts.append(
        "<h2>Summary</h2><table><tr><th>metric</th><th>value</th><th>n</th><th>baseline</th><th>gate</th></tr>"
    )
    for metric, baseline, verdict in summary_lines(run, gate):
        css = " class='fail'" if verdict == "REGRESSED" else ""
        parts.append(
            f"<tr{css}><td title='{e(metric.description)}'>{e(metric.name)}</td>"
            f"<td class='num'>{_fmt(metric.value, metric.unit)}</td><td class='num'>{metric.n}</td>"
            f"<td class='num'>{baseline}</td><td>{verdict}</td></tr>"
        )
    parts.append(f"</table><img src='{e(chart_name)}' alt='metric chart' width='800'>")
    parts.append("<h2>Cases (failures first)</h2><table><tr><th>case</th><th>type</th><th>scope</th><th>phase</th>")
    parts.append("<th>ms</th><th>message</th><th>failed checks</th></tr>")
    for row in case_rows(run):
        css = " class='fail'" if row.failed else ""
        kind = row.type + (" (follow-up)" if row.follow_up else "")
        failed = "<br>".join(e(f) for f in row.failed) or "–"
        parts.append(
            f"<tr{css}><td>{e(_case(row))}</td><td>{e(kind)}</td><td>{e(row.scope)}</td><td>{e(row.phase)}</td>"
            f"<td class='num'>{row.latency_ms:.0f}</td><td>{e(row.message)}</td><td>{failed}</td></tr>"
        )
    parts.append("</table></body></html>")
    return "\n".join(parts)


def render_chart(run: RunResult, gate: GateReport | None, path: Path) -> None:
    """Horizontal bars of every ratio metric, with the baseline as a tick when there is one."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ratios = [m for m in run.metrics if m.unit == "ratio" and m.value is not None]
    baselines = {c.name: c.baseline for c in gate.checks} if gate else {}
    failed = {c.name for c in gate.checks if not c.passed} if gate else set()
    fig, ax = plt.subplots(figsize=(8, min(0.35 * len(ratios) + 1.2, 60)))
    names = [m.name for m in ratios][::-1]
    values = [m.value or 0.0 for m in ratios][::-1]
    colors = ["#c0392b" if n in failed else "#2e86c1" for n in names]
    ax.barh(names, values, color=colors)
    for y, name in enumerate(names):
        base = baselines.get(name)
        if base is not None:
            ax.plot([base, base], [y - 0.4, y + 0.4], color="black", linewidth=2)
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("score (black tick = baseline, red = regressed)")
    ax.set_title(f"{run.info.set_name} v{run.info.set_version} / {run.info.provider}")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_report(run: RunResult, gate: GateReport | None, out_dir: Path) -> ReportFiles:
    out_dir.mkdir(parents=True, exist_ok=True)
    files = ReportFiles(
        results_json=out_dir / "results.json",
        markdown=out_dir / "report.md",
        html=out_dir / "report.html",
        chart=out_dir / "metrics.png",
    )
    payload = run.model_dump(mode="json")
    payload["gate"] = gate.model_dump(mode="json") if gate else None
    import json

    files.results_json.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    render_chart(run, gate, files.chart)
    files.markdown.write_text(render_markdown(run, gate, files.chart.name), encoding="utf-8")
    files.html.write_text(render_html(run, gate, files.chart.name), encoding="utf-8")
    return files
