"""`advisor diagnose`: JSON and readable views, batch JSONL, questionnaire files, evaluation table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli.main import cli
from advisor.diagnosis import Diagnoser
from advisor.schema import Diagnosis
from advisor.settings import Settings

DEV_SET = Path(__file__).resolve().parents[3] / "evals" / "sets" / "diagnosis_dev.jsonl"
MESSAGE = "We are a telecom operator with eleven models in production, and nobody knows who should fix them."


@pytest.fixture(scope="module", autouse=True)
def _warm_model() -> None:
    Diagnoser().warm_up()  # the embedding model is cached per process; CLI calls reuse it


def run(settings: Settings, *args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def test_json_output_is_the_contract(settings: Settings) -> None:
    result = run(settings, "diagnose", MESSAGE, "--json")
    assert result.exit_code == 0, result.output
    diagnosis = Diagnosis.model_validate_json(result.output)
    assert diagnosis.phase == "productionizing"
    for fired in diagnosis.rules_fired:
        for span in fired.matched:
            assert MESSAGE[span.start : span.end] == span.text


def test_readable_view_shows_rules_with_the_users_words(settings: Settings) -> None:
    result = run(settings, "diagnose", MESSAGE)
    assert result.exit_code == 0, result.output
    assert "Phase:            productionizing" in result.output
    assert "Component phases:" in result.output
    assert "pr.some_models_live" in result.output
    assert '"eleven models in production"' in result.output
    assert "roles.no_owner" in result.output


def test_message_from_stdin(settings: Settings) -> None:
    result = run(settings, "diagnose", "-", "--json", stdin="Nothing is live yet and we don't have a data team.")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["phase"] == "proving_concept"


def test_batch_writes_one_line_per_item_and_reports_bad_lines(settings: Settings, tmp_path: Path) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_text(
        json.dumps({"id": "a", "message": MESSAGE})
        + "\n"
        + "{not json\n"
        + json.dumps({"id": "c", "message": "We ran 2 pilots with a consultancy; nothing is live."})
        + "\n"
    )
    result = CliRunner().invoke(cli, ["diagnose", "--batch", str(batch)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", None, "c"]
    assert Diagnosis.model_validate(lines[0]["diagnosis"]).phase == "productionizing"
    assert "in.jsonl:2" in lines[1]["error"]
    assert Diagnosis.model_validate(lines[2]["diagnosis"]).phase == "proving_concept"
    assert "line 2" in result.stderr


def test_questionnaire_file_alone_and_with_text(settings: Settings, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"live_models": "more_than_thirty", "main_solution_stage": "running"}))
    alone = run(settings, "diagnose", "--questionnaire", str(answers), "--json")
    assert alone.exit_code == 0, alone.output
    assert json.loads(alone.output)["phase"] == "platformizing"
    combined = run(settings, "diagnose", MESSAGE, "--questionnaire", str(answers), "--json")
    ids = {f["rule_id"] for f in json.loads(combined.output)["rules_fired"]}
    assert "questionnaire.live_models" in ids and "pr.some_models_live" in ids
    answers.write_text(json.dumps({"live_models": "plenty"}))
    bad = run(settings, "diagnose", "--questionnaire", str(answers))
    assert bad.exit_code != 0 and "valid options" in bad.output


def test_evaluate_prints_side_by_side_table(settings: Settings, tmp_path: Path) -> None:
    lines = DEV_SET.read_text().splitlines()
    small = tmp_path / "dev.jsonl"
    small.write_text("\n".join(lines[:4]) + "\n")
    result = run(settings, "diagnose", "--evaluate", str(small), "--split", "all")
    assert result.exit_code == 0, result.output
    for label in ("phase accuracy", "component F1", "mlbc accuracy", "challenge F1", "practice F1", "ISA-4 F1"):
        assert label in result.output
    assert "rules+embeddings" in result.output and "keyword baseline" in result.output
    assert "rules, lexical only" in result.output
    assert result.output.count("phase confusion") == 3


WILD = DEV_SET.with_name("situations_wild.jsonl")


def test_evaluate_cv_is_an_alias_of_eval_and_scores_only_the_cv_split(settings: Settings, tmp_path: Path) -> None:
    lines = WILD.read_text().splitlines()
    small = tmp_path / "wild.jsonl"
    small.write_text("\n".join(lines[:9]) + "\n")  # wild-001..009: six cv cases, three test cases
    args = ["--evaluate", str(small), "--split", "cv", "--folds", "2", "--tune", "none"]
    result = run(settings, "diagnose", *args)
    assert result.exit_code == 0, result.output
    assert "split=cv, 2-fold (shipped calibration)" in result.output
    rows = [line.split()[:2] for line in result.output.splitlines() if line.startswith(("fold ", "mean"))]
    assert rows == [["fold", "0"], ["fold", "1"], ["mean", "6"]]
    assert "reliability - main component, held-out folds" in result.output
    direct = CliRunner().invoke(cli, ["eval", "--file", str(small), "--task", "diagnosis", *args[2:]])
    assert direct.output == result.output
    test = run(settings, "diagnose", "--evaluate", str(small), "--split", "test")
    assert test.exit_code == 0 and "all          3" in test.output and "split=test (frozen" in test.output
    wrong = run(settings, "diagnose", "--evaluate", str(DEV_SET), "--split", "cv")
    assert wrong.exit_code != 0 and "no cases in split 'cv'" in wrong.output


def test_evaluate_scores_the_diagnoser_this_command_built(settings: Settings, tmp_path: Path) -> None:
    small = tmp_path / "dev.jsonl"
    small.write_text("\n".join(DEV_SET.read_text().splitlines()[:3]) + "\n")
    result = run(settings, "diagnose", "--evaluate", str(small), "--split", "all", "--no-embeddings")
    assert result.exit_code == 0, result.output
    assert "rules, lexical only" not in result.output and result.output.count("phase confusion") == 2


def test_usage_errors_are_clear(settings: Settings) -> None:
    none = run(settings, "diagnose")
    assert none.exit_code != 0 and "give a MESSAGE" in none.output
    both = run(settings, "diagnose", MESSAGE, "--evaluate", str(DEV_SET))
    assert both.exit_code != 0 and "give one of" in both.output
