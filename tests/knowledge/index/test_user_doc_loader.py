"""A user's .txt, .md or .pdf file becomes attributed, sentence-bounded chunks, or a one-line error."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.index.user_doc_loader import UserDocError, UserDocLoader, sentence_spans
from tests.knowledge.index.pdfs import text_pdf
from tests.knowledge.index.userdocs import BAD_FILES, GOOD_MD, PDF_PAGES, word_pieces, write


@pytest.fixture
def loader() -> UserDocLoader:
    return UserDocLoader(max_bytes=200_000, count_word_pieces=word_pieces)


def test_sentence_spans_split_at_sentence_ends_blank_lines_and_list_items() -> None:
    text = "First one. Second one?  Third!\n\nNew para\n- item one\n- item two"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "First one.",
        "Second one?",
        "Third!",
        "New para",
        "- item one",
        "- item two",
    ]


def test_long_text_becomes_sentence_bounded_chunks_within_the_model_window(
    loader: UserDocLoader, tmp_path: Path
) -> None:
    sentences = [f"Sentence number {i} talks about pilot {i} and why it stalled in review." for i in range(120)]
    path = write(tmp_path, "long.txt", " ".join(sentences))
    doc = loader.load(path)
    assert len(doc.chunks) > 3
    text = path.read_text()
    for chunk in doc.chunks:
        assert word_pieces(chunk.text) <= 256
        assert chunk.text.endswith("stalled in review.") and chunk.text.startswith("Sentence number")
        assert text[chunk.span.start : chunk.span.end] == chunk.text
    assert " ".join(c.text for c in doc.chunks) == text


def test_an_overlong_sentence_is_split_by_words(loader: UserDocLoader, tmp_path: Path) -> None:
    doc = loader.load(write(tmp_path, "run_on.txt", " ".join(["operationalisation"] * 400)))
    assert len(doc.chunks) >= 2 and all(word_pieces(c.text) <= 256 for c in doc.chunks)


def test_markdown_sections_and_pdf_pages_are_attributed(loader: UserDocLoader, tmp_path: Path) -> None:
    md = loader.load(write(tmp_path, "retro.md", GOOD_MD))
    assert [c.section for c in md.chunks] == [["Retro", "What went wrong"]]
    assert md.chunks[0].span.line_start == 5
    pdf = loader.load(write(tmp_path, "site visit.pdf", text_pdf(PDF_PAGES)))
    assert pdf.pages == 2
    assert [(c.page, c.file_name, c.text) for c in pdf.chunks] == [
        (1, "site visit.pdf", PDF_PAGES[0]),
        (2, "site visit.pdf", PDF_PAGES[1]),
    ]
    assert all(c.id.startswith(f"user:{pdf.doc_id}:") and c.source_id == f"user:{pdf.doc_id}" for c in pdf.chunks)


@pytest.mark.parametrize(("name", "data", "reason"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_each_bad_file_gets_a_one_line_error_naming_it(
    loader: UserDocLoader, tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    with pytest.raises(UserDocError) as caught:
        loader.load(write(tmp_path, name, data))
    message = str(caught.value)
    assert message.startswith(f"{name}: ") and reason in message
    assert "\n" not in message
