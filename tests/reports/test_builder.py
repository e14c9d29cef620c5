import subprocess
from pathlib import Path

import pytest
from docx import Document

from reports.builder import ReportBuilder, renumber, split_sections
from reports.conversation import Conversation
from reports.export import ReportExporter
from reports.reader import ConversationReader, ReportInputError
from tests.ui.samples import SITUATION, citations, situation_answer


def _conversation() -> Conversation:
    first = situation_answer()
    # A second answer citing the playbook step again (as its [1]) and one new source.
    again = citations()[2].model_copy(update={"marker": "[1]"})
    new = citations()[0].model_copy(update={"marker": "[2]", "passage_id": "impl.other", "text": "Other words."})
    second = first.model_copy(
        update={"answer": "Owners matter. [1] Other words. [2]", "citations": [again, new], "diagnosis": None}
    )
    return Conversation().with_exchange(SITUATION, first).with_exchange("Who owns models?", second)


def test_references_are_numbered_once_across_answers() -> None:
    report = ReportBuilder().build(_conversation())
    ids = [r.citation.passage_id for r in report.references]
    assert ids == ["impl.phases.proving", "mlbc.quote.7", "playbook.step.2", "impl.other"]
    assert report.recommendations[0].endswith("[3]")  # the playbook step keeps number 3 everywhere
    assert report.questions[0].answer == "Owners matter. [3] Other words. [4]"
    assert report.quotes[0].speaker == "Head of Data" and report.quotes[0].number == 2
    assert report.situation == [SITUATION]


def test_sections_and_renumbering() -> None:
    sections = split_sections("**Where you stand**\nA. [1]\n**What to do next**\n1. B [2]\n_a note_")
    assert sections == {"findings": ["A. [1]"], "recommendations": ["B [2]", "a note"]}
    assert renumber("A [1] and [9].", {"[1]": 4}) == "A [4] and."


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
def test_every_format_carries_the_citations(fmt: str, tmp_path: Path) -> None:
    report = ReportBuilder().build(_conversation())
    path = ReportExporter().write(report, fmt, tmp_path / f"report.{fmt}")
    if fmt == "md":
        text = path.read_text()
        assert (tmp_path / "report-chart.png").read_bytes().startswith(b"\x89PNG")
    elif fmt == "docx":
        doc = Document(str(path))
        text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
            c.text for t in doc.tables for row in t.rows for c in row.cells
        )
        assert doc.inline_shapes, "the diagnosis chart is embedded"
    else:
        done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
        text = done.stdout
        text = " ".join(text.split())
    for ref in report.references:
        assert ref.citation.passage_id in text
    assert "Head of Data" in text and "RetailCo" in text
    assert "Recommendations" in text and "References" in text
    assert "Proving the concept" in text


def test_reader_accepts_chat_export_and_batch_lines(tmp_path: Path) -> None:
    conversation = _conversation()
    path = tmp_path / "c.jsonl"
    path.write_text(conversation.to_jsonl())
    assert ConversationReader().read(path) == conversation
    batch = situation_answer().model_dump(mode="json")
    lines = [
        '{"role": "user", "content": "Our pilots stall."}',
        __import__("json").dumps({"id": "q1", **batch}),
    ]
    path.write_text("\n".join(lines))
    read = ConversationReader().read(path)
    assert read.exchanges[0].message == "Our pilots stall."


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("not json\n", "c.jsonl:1: not valid JSON"),
        ('{"answer": "x"}\n', "c.jsonl:1: scope"),
        ('{"role": "user", "content": "hi"}\n', "no answers found"),
        ('{"answer": "x", "bogus": 1}\n', "unknown key(s) bogus"),
    ],
)
def test_reader_errors_name_file_and_line(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(content)
    with pytest.raises(ReportInputError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        ConversationReader().read(path)
