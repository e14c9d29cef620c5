"""Calibration scores through the evals metrics and refuses anything but the tunable splits."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from advisor.cli.main import cli
from advisor.diagnosis import Diagnoser
from advisor.diagnosis.diagnoser import Calibration
from evals.diagnosis_calibration import calibrate, calibration_cases, objective
from evals.diagnosis_scores import score
from evals.loader import load_cases

SETS = Path(__file__).resolve().parents[2] / "evals" / "sets"


@pytest.fixture(scope="module")
def diagnoser() -> Diagnoser:
    return Diagnoser(use_embeddings=False)  # lexical signals: fast, and enough to exercise the search


def test_only_calibration_and_cv_cases_are_tunable(tmp_path: Path, diagnoser: Diagnoser) -> None:
    cases = calibration_cases([SETS / "diagnosis_dev.jsonl", SETS / "situations_wild.jsonl"])
    assert {c.split for c in cases} == {"calibration", "cv"}
    with pytest.raises(ValueError, match="calibration split"):
        calibrate(diagnoser, load_cases(SETS / "diagnosis_dev.jsonl", "held_out")[:1])


def test_the_objective_is_the_runners_scores(diagnoser: Diagnoser) -> None:
    cases = load_cases(SETS / "diagnosis_dev.jsonl", "calibration")[:6]
    calibration, final = calibrate(diagnoser, cases, search=False)
    again = score(cases, [diagnoser.diagnose_report(diagnoser.detect(c.message)) for c in cases])
    assert calibration.objective == round(objective(final), 4)
    assert final.n == 6 and 0 <= final.phase_accuracy <= 1 and again.n == 6
    assert set(calibration.confidence_map) == {"phase", "components"}


def test_calibrate_diagnosis_writes_the_file_it_is_given(tmp_path: Path) -> None:
    small = tmp_path / "dev.jsonl"
    small.write_text("\n".join((SETS / "diagnosis_dev.jsonl").read_text().splitlines()[:8]) + "\n")
    out = tmp_path / "calibration.yaml"
    args = ["calibrate", "diagnosis", str(small), "--maps-only", "--no-embeddings", "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out}: semantic_threshold=")
    written = Calibration.model_validate(yaml.safe_load(out.read_text()))
    assert str(small) in written.calibrated_on
