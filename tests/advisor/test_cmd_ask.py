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
