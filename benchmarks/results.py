"""Keep benchmark runs in the repo: ``benchmarks/results.json`` (every labelled run) and ``RESULTS.md``.

Runs are stored by label (``before``, ``after``, ``latest``...), so an optimization's effect is a
comparison of two labelled runs of the same command; writing a label again replaces that run only.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from benchmarks.render import comparison_table, render_run
from benchmarks.report import BenchReport

RESULTS_JSON = "results.json"
RESULTS_MD = "RESULTS.md"
NOTES_MD = "OPTIMIZATIONS.md"


class ResultsFileError(ValueError):
    """results.json cannot be read; the message names the file."""


class BenchResults(BaseModel):
    latest: str
    runs: dict[str, BenchReport]


def load_results(path: Path) -> BenchResults | None:
    if not path.is_file():
        return None
    try:
        return BenchResults.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError, ValueError) as exc:
        raise ResultsFileError(f"{path}: not a benchmark results file ({str(exc).splitlines()[0]})") from exc


def render_results(results: BenchResults, notes: str | None = None) -> str:
    latest = results.runs[results.latest]
    parts = [
        "# Benchmarks",
        "",
        "Written by `advisor bench` (see `advisor bench --help`); every figure below comes from one run of "
        "the command shown with it, on the machine described with it. Timings are wall-clock; p50/p95 are "
        "percentiles over the repetitions; ratios are taken against the floor measured in the same run.",
        "",
    ]
    if notes:
        parts += [notes.strip(), ""]
    before = results.runs.get("before")
    if before is not None and results.latest != "before":
        parts += [
            f"## Before and after (`{before.label}` vs `{latest.label}`)",
            "",
            comparison_table(before, latest),
            "",
        ]
    parts.append(render_run(latest))
    for label, run in results.runs.items():
        if label != results.latest:
            parts += ["", render_run(run)]
    return "\n".join(parts)


def write_results(report: BenchReport, out_dir: Path) -> tuple[Path, Path]:
    """Merge ``report`` into ``out_dir/results.json`` under its label and regenerate ``RESULTS.md``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / RESULTS_JSON, out_dir / RESULTS_MD
    existing = load_results(json_path)
    runs = dict(existing.runs) if existing else {}
    runs[report.label] = report
    results = BenchResults(latest=report.label, runs=runs)
    json_path.write_text(results.model_dump_json(indent=2) + "\n", encoding="utf-8")
    notes_path = out_dir / NOTES_MD
    notes = f"What was changed to meet the targets: see [{NOTES_MD}]({NOTES_MD})." if notes_path.is_file() else None
    md_path.write_text(render_results(results, notes), encoding="utf-8")
    return json_path, md_path
