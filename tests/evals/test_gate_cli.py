"""The gate end to end through the real CLI, the real Advisor and a real index in a tmp dir (slow)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from evals.gate import BASELINES_DIR

ADVISOR = str(Path(sys.executable).parent / "advisor")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("eval-data")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    environ.update(ADVISOR_DATA_DIR=str(data), ADVISOR_LLM_PROVIDER="none", HF_HUB_OFFLINE="1")
    return environ


def advisor_eval(env: dict[str, str], out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [ADVISOR, "eval", "--provider", "none", "--quiet", "--out", str(out), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600, check=False)


def test_offline_full_set_passes_the_stored_baseline(env, tmp_path):
    assert (BASELINES_DIR / "full.json").exists(), "record it with: advisor eval --set full --update-baseline"
    done = advisor_eval(env, tmp_path / "full", "--set", "full", "--workers", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "gate passed" in done.stdout
    results = json.loads((tmp_path / "full" / "results.json").read_text())
    assert results["gate"]["passed"] is True
    assert (tmp_path / "full" / "report.html").exists() and (tmp_path / "full" / "metrics.png").exists()


def test_retrieval_cut_to_k1_fails_the_gate(env, tmp_path):
    assert (BASELINES_DIR / "smoke.json").exists(), "record it with: advisor eval --set smoke --update-baseline"
    done = advisor_eval(env, tmp_path / "k1", "--set", "smoke", "--k", "1")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "gate FAILED" in done.stdout
    gate = json.loads((tmp_path / "k1" / "results.json").read_text())["gate"]
    regressed = {c["name"] for c in gate["checks"] if not c["passed"]}
    assert "recall_at_5" in regressed, regressed
