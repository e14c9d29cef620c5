"""``advisor ask`` as a user and a harness run it: readable, --json, --batch (the output contract)."""

import json

import pytest
from click.testing import CliRunner

from advisor.cli.main import cli

CITATION_KEYS = {"marker", "passage_id", "kind", "source", "title", "section", "speaker", "role", "company", "text"}
ANSWER_KEYS = {"id", "answer", "scope", "diagnosis", "citations", "backend", "notices"}


@pytest.fixture
def runner(built_index, monkeypatch) -> CliRunner:
    config, _ = built_index
    monkeypatch.delenv("ADVISOR_CHROMA_URL", raising=False)
    monkeypatch.setenv("ADVISOR_LLM_PROVIDER", "none")  # the offline answer, whatever the product's default writer
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(config.data_dir))
    monkeypatch.setenv("ADVISOR_COLLECTION", config.collection)
    return CliRunner()


def test_readable_answer_with_numbered_sources(runner):
    result = runner.invoke(cli, ["ask", "What are the three phases of implementing and scaling AI?"])
    assert result.exit_code == 0, result.output
    assert "Sources" in result.output and "\n[1] " in result.output
    assert "[scope: in_scope · backend: offline]" in result.output


def test_json_is_the_answer_model(runner):
    result = runner.invoke(cli, ["ask", "--json", "How do I scale my sourdough recipe for a party?"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == ANSWER_KEYS - {"id"}
    assert data["scope"] == "out_of_scope" and data["citations"] == []


def test_batch_follows_the_contract_and_survives_bad_lines(runner, tmp_path):
    batch = tmp_path / "in.jsonl"
    lines = [
        {"id": "a", "message": "What does the paper say about the productionizing phase?"},
        {
            "id": "b",
            "message": "what about for a bank?",
            "history": [
                {"role": "user", "content": "How should we organize data access when models go to production?"},
                {"role": "assistant", "content": "Organize data for reuse. [1]"},
            ],
        },
        {"id": "c", "message": "   "},
    ]
    batch.write_text(
        "\n".join([json.dumps(lines[0]), "{not json", json.dumps(lines[1]), json.dumps(lines[2])]) + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["ask", "--batch", str(batch)])
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", None, "b", "c"]
    assert "line 2" in out[1]["error"] and "line 2" in result.stderr
    assert result.exit_code == 1
    for o in (out[0], out[2], out[3]):
        assert set(o) == ANSWER_KEYS
        for c in o["citations"]:
            assert set(c) == CITATION_KEYS and c["marker"] in o["answer"]
    assert out[0]["citations"] and out[2]["citations"]
    assert out[3]["citations"] == [] and "The message was empty." in out[3]["notices"]  # its own line, no abort


def test_exactly_one_input(runner, tmp_path):
    result = runner.invoke(cli, ["ask"])
    assert result.exit_code == 2 and "exactly one" in result.output


@pytest.mark.parametrize("message", ["", "   ", "\n\t \n"], ids=["empty", "spaces", "whitespace"])
def test_an_empty_message_is_a_usage_error_on_one_line(message, tmp_path, monkeypatch):
    monkeypatch.delenv("ADVISOR_CHROMA_URL", raising=False)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(cli, ["ask", message])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["Error: MESSAGE is empty: describe your situation or ask a question in words"]
    assert not (tmp_path / "data").exists(), "refused before any index is opened or built"


EVAL_CASES = [
    {"id": "o", "type": "out_of_scope", "message": "How do I scale my sourdough recipe?", "rationale": "r"},
    {"id": "i", "type": "in_scope", "message": "How do we get our ML pilots into production?", "rationale": "r"},
]


def _cases(tmp_path, rows, name="cases.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _figures(output: str) -> list[str]:
    """The metric rows without the timings (which differ between two runs)."""
    return [line for line in output.splitlines() if line.split(" ")[0] and not line.startswith(("set ", "latency"))]


def test_evaluate_is_an_alias_of_eval_file(runner, tmp_path):
    path = _cases(tmp_path, EVAL_CASES)
    alias = runner.invoke(cli, ["ask", "--evaluate", str(path)])
    assert alias.exit_code == 0, alias.output
    direct = runner.invoke(cli, ["eval", "--file", str(path), "--quiet"])
    assert direct.exit_code == 0, direct.output
    assert "scope_accuracy" in alias.stdout and "scope, expected -> got:" in alias.stdout
    assert _figures(alias.stdout) == _figures(direct.stdout)
    assert "report:" not in alias.stdout  # a case file is printed, not reported or gated


def test_evaluate_calibrate_searches_the_scope_thresholds(runner, tmp_path):
    rows = [{**EVAL_CASES[0], "split": "calibration"}, {**EVAL_CASES[1], "split": "held_out"}]
    result = runner.invoke(cli, ["ask", "--evaluate", str(_cases(tmp_path, rows)), "--calibrate"])
    assert result.exit_code == 0, result.output
    assert "best on calibration" in result.output and "held_out:" in result.output
    factual = {"id": "f", "type": "factual", "message": "q?", "rationale": "r",
               "evidence": [{"text": "some evidence words", "record_ids": ["x"]}]}  # fmt: skip
    refused = runner.invoke(cli, ["ask", "--evaluate", str(_cases(tmp_path, [factual], "f.jsonl")), "--calibrate"])
    assert refused.exit_code != 0 and "needs a scope set" in refused.output
