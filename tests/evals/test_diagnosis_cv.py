"""The wild-set cross-validation harness: folds, the frozen split never read by accident, reliability bins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.diagnosis.diagnoser import map_confidence
from evals.diagnosis_calibration import reliability_bins
from evals.diagnosis_cv import folds_of, reliability
from evals.loader import load_cases

WILD = Path(__file__).resolve().parents[2] / "evals" / "sets" / "situations_wild.jsonl"
DEV = Path(__file__).resolve().parents[2] / "evals" / "sets" / "diagnosis_dev.jsonl"
EXPECTED = {
    "phase": "proving_concept",
    "components": ["data_pipeline"],
    "mlbc_phase": None,
    "challenges": [],
    "practices": [],
    "isa4_layers": [],
}


def _line(case_id: str, split: str, message: str = "We keep our data in spreadsheets.") -> str:
    row = {"id": case_id, "type": "diagnosis", "split": split, "voice": "CFO", "industry": "retail",
           "size": "small", "message": message, "expected": EXPECTED, "rationale": "r"}  # fmt: skip
    return json.dumps(row)


def test_loading_one_split_skips_the_others_unparsed(tmp_path: Path) -> None:
    path = tmp_path / "wild.jsonl"
    # The test line is not even valid as a case: reading cv must skip it before parsing its message.
    path.write_text("\n".join([_line("wild-001", "cv"), _line("wild-003", "test", "x"), _line("wild-002", "cv")]))
    cases = load_cases(path, "cv")
    assert [c.id for c in cases] == ["wild-001", "wild-002"]
    assert all(c.split == "cv" for c in cases)
    assert not load_cases(DEV, "cv") and load_cases(DEV, "calibration")


def test_folds_follow_the_sets_rule(tmp_path: Path) -> None:
    path = tmp_path / "wild.jsonl"
    ids = [f"wild-{n:03d}" for n in range(1, 40) if n % 3]
    path.write_text("\n".join(_line(i, "cv") for i in reversed(ids)))
    folds = folds_of(load_cases(path, "cv"), 5)
    assert [len(f) for f in folds] == [6, 5, 5, 5, 5]
    ordered = sorted(ids)
    for k, fold in enumerate(folds):
        assert [i.id for i in fold] == [x for pos, x in enumerate(ordered) if pos % 5 == k]


def test_real_wild_cv_split_has_123_cases_and_no_test_case() -> None:
    cases = load_cases(WILD, "cv")
    assert len(cases) == 123
    assert all(int(c.id.split("-")[1]) % 3 for c in cases)


def test_reliability_bins_are_smoothed_and_monotone() -> None:
    pairs = [(0.1, False)] * 8 + [(0.5, True)] * 3 + [(0.5, False)] + [(0.9, True)] * 10
    bins = reliability_bins(pairs)
    values = [v for _, v in bins]
    assert values == sorted(values)
    assert bins[0][1] == pytest.approx(0.1)  # (0 + 1) / (8 + 2)
    assert map_confidence(0.95, bins) == pytest.approx(11 / 12, abs=1e-3)
    assert map_confidence(0.3, None) == 0.3
    table = reliability("phase", pairs)
    assert "expected calibration error" in table and "0.8-1.0" in table
