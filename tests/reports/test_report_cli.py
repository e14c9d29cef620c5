"""``advisor report`` on answers from the real Advisor, read back from DOCX, PDF and Markdown."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from advisor.cli.main import cli
from advisor.service import Advisor

pytestmark = pytest.mark.slow
SITUATION = (
    "Our bank has two fraud models in production, but every new model takes a year because each team "
    "builds its own pipeline. What should we do next?"
)
FACTUAL = "Which roles do companies create when they move AI from pilots to production?"


@pytest.fixture(scope="module")
def batch_file(advisor_service: Advisor, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user turn plus `advisor ask --batch`-style output lines (id, no message)."""
    path = tmp_path_factory.mktemp("report") / "conversation.jsonl"
    lines = []
    for number, message in enumerate([SITUATION, FACTUAL], start=1):
        answer = advisor_service.ask(message)
        lines.append(json.dumps({"role": "user", "content": message}))
        lines.append(json.dumps({"id": f"q{number}", **answer.model_dump(mode="json")}))
    path.write_text("\n".join(lines) + "\n")
    return path


def _cited(batch_file: Path) -> list[str]:
    ids = []
    for line in batch_file.read_text().splitlines():
        data = json.loads(line)
        ids += [c["passage_id"] for c in data.get("citations", [])]
    assert ids, "the real answers cite sources"
    return list(dict.fromkeys(ids))


def _text(path: Path, fmt: str) -> str:
    if fmt == "docx":
        doc = Document(str(path))
        return "\n".join(p.text for p in doc.paragraphs)
    if fmt == "pdf":
        raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        return "".join(raw.split())
    return path.read_text()


@pytest.mark.parametrize("fmt", ["docx", "pdf", "md"])
def test_report_cites_every_source_of_the_conversation(batch_file: Path, tmp_path: Path, fmt: str, settings) -> None:
    out = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(cli, ["report", "--from", str(batch_file), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "references" in result.output
    text = _text(out, fmt)
    for passage_id in _cited(batch_file):
        assert passage_id in text, passage_id
    squeezed = text if fmt == "pdf" else "".join(text.split())
    assert "Situation" in squeezed and "Recommendations" in squeezed and "References" in squeezed
    assert "".join(SITUATION.split())[:40] in squeezed


def test_report_refuses_a_bad_line_and_writes_nothing(tmp_path: Path, settings) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"role": "user", "content": "hi"}\n{"answer": "x", "scope": "maybe"}\n')
    out = tmp_path / "r.docx"
    result = CliRunner().invoke(cli, ["report", "--from", str(bad), "--out", str(out)])
    assert result.exit_code != 0
    assert f"{bad}:2" in result.output
    assert not out.exists()
