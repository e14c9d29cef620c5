import json
from pathlib import Path

import pytest

from benchmarks.render import main_table, render_run, seconds
from benchmarks.results import RESULTS_JSON, RESULTS_MD, ResultsFileError, load_results, write_results

from .builders import report


def _verdicts(r) -> dict[str, bool | None]:
    return {t.name: t.met for t in r.targets}


def test_ratios_to_the_floor_come_from_the_same_run() -> None:
    r = report(ask_scale=2.0)
    ask = r.row("ask")
    assert ask is not None
    assert ask.p50_ratio_to_floor == pytest.approx(2.0)
    assert ask.p95_ratio_to_floor == pytest.approx(2.0)
    assert r.row("floor").p95_ratio_to_floor == pytest.approx(1.0)


def test_targets_met_and_missed() -> None:
    good = _verdicts(report(ask_scale=2.0))
    assert good["ask p95 vs floor p95"] is True
    assert good["first streamed piece p50"] is True
    assert good["errors at 16 parallel clients"] is True
    assert good["search p95 at ×10 vs ×1"] is True  # ×100 failed, so the largest measured size is used
    bad = _verdicts(report(ask_scale=4.0, errors_at_16=3, first_piece=1.5))
    assert bad["ask p95 vs floor p95"] is False
    assert bad["first streamed piece p50"] is False
    assert bad["errors at 16 parallel clients"] is False


def test_sections_not_run_are_not_measured_rather_than_passed() -> None:
    r = report()
    r.stream = None
    r.concurrency = []
    r.scale = []
    from benchmarks.report import check_targets

    verdicts = {t.name: t.met for t in check_targets(r)}
    assert verdicts["first streamed piece p50"] is None
    assert verdicts["errors at 16 parallel clients"] is None
    assert verdicts["search p95 at ×100 vs ×1"] is None


def test_markdown_holds_machine_tables_and_failures() -> None:
    text = render_run(report())
    assert "Test CPU 9000; 2 logical cores (2 usable); 24.0 GiB RAM" in text
    assert "torch 2.13.0" in text
    assert "| **ask** |" in text and "| **floor** |" in text
    assert "| 16 |" in text
    assert "×100 | failed: ran over 3600 s" in text
    assert "local:Qwen2.5-Coder-1.5B-Instruct" in text
    table = main_table(report())
    cold = next(line for line in table.splitlines() if line.startswith("| **cold start**"))
    assert cold.endswith("| — | — |")  # a process start is not compared with a request
    first = next(line for line in table.splitlines() if line.startswith("| **first streamed piece**"))
    assert "| 400 ms | 400 ms |" in first and not first.endswith("| — | — |")
    header, rule, *rows = table.splitlines()
    assert all(row.count("|") == header.count("|") for row in rows)
    assert rule.count("---") == header.count("|") - 1


def test_the_llm_section_gives_the_first_sentence_per_question_kind() -> None:
    text = render_run(report())
    kinds = text[text.index("| question kind") :].splitlines()
    assert kinds[2].startswith("| situation | 1 |") and "100 ms" in kinds[2]
    assert kinds[3].startswith("| factual | 1 |") and "6,500 ms" in kinds[3]


def test_seconds_format() -> None:
    assert seconds(0.0123) == "12 ms"
    assert seconds(12.34) == "12.3 s"
    assert seconds(None) == "—"


def test_write_merges_runs_by_label_and_compares_before_after(tmp_path: Path) -> None:
    write_results(report("before", ask_scale=5.0), tmp_path)
    json_path, md_path = write_results(report("after", ask_scale=2.0), tmp_path)
    assert json_path == tmp_path / RESULTS_JSON and md_path == tmp_path / RESULTS_MD
    stored = load_results(json_path)
    assert stored is not None
    assert stored.latest == "after"
    assert set(stored.runs) == {"before", "after"}
    assert stored.runs["before"].row("ask").p95_ratio_to_floor == pytest.approx(5.0)
    md = md_path.read_text()
    assert "## Before and after (`before` vs `after`)" in md
    assert "| ask p95 / floor p95 | 5.00× | 2.00× |" in md
    # Writing a label again replaces only that run.
    write_results(report("after", ask_scale=2.5), tmp_path)
    again = load_results(json_path)
    assert set(again.runs) == {"before", "after"}
    assert again.runs["after"].row("ask").p95_ratio_to_floor == pytest.approx(2.5)


def test_json_round_trips(tmp_path: Path) -> None:
    original = report()
    json_path, _ = write_results(original, tmp_path)
    data = json.loads(json_path.read_text())
    assert data["runs"]["after"]["machine"]["cpu_model"] == "Test CPU 9000"
    assert load_results(json_path).runs["after"] == original


def test_unreadable_results_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / RESULTS_JSON).write_text("{not json")
    with pytest.raises(ResultsFileError, match=r"results\.json"):
        write_results(report(), tmp_path)
    assert (tmp_path / RESULTS_JSON).read_text() == "{not json"  # nothing lost
