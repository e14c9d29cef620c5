from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.embedding import Embedder
from knowledge.index import HybridRetriever, IndexConfig, Ingestor
from knowledge.index.user_doc_store import UnknownDocError, UserDocStore
from knowledge.index.user_docs import UserDocError, UserDocLoader, sentence_spans
from knowledge.schema import SearchFilters, UserDocChunk
from tests.knowledge.index.pdfs import broken_pdf, encrypted_pdf, text_pdf, truncated_pdf
from tests.knowledge.index.records import small_corpus
from tests.knowledge.index.state import stored_hashes

GOOD_TXT = "Our churn model never left the pilot. Nobody owned the feature pipeline after the vendor left."
GOOD_MD = "# Retro\n\n## What went wrong\n\nThe steering committee met once a quarter, far too rarely.\n"
PDF_PAGES = ["Warehouse robots were piloted in Lyon.", "Page two: the union asked for retraining budgets."]


def word_pieces(text: str) -> int:
    return len(Embedder().tokenizer().tokenize(text))


@pytest.fixture
def loader() -> UserDocLoader:
    return UserDocLoader(max_bytes=200_000, count_word_pieces=word_pieces)


@pytest.fixture
def indexed(index_config: IndexConfig) -> IndexConfig:
    Ingestor(index_config, progress=False).run(small_corpus(), "v1")
    return index_config


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


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


BAD_FILES = [
    ("empty.txt", b"", "empty file (0 bytes)"),
    ("blank.md", b"   \n\n  \n", "no text in it"),
    ("photo.txt", bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(range(256)), "binary content"),
    ("locked.pdf", encrypted_pdf(PDF_PAGES), "encrypted PDF (password protected)"),
    ("garbage.pdf", broken_pdf(), "broken PDF"),
    ("cut.pdf", truncated_pdf(PDF_PAGES), "broken PDF"),
    ("renamed.pdf", b"just some text, not a pdf", "not a PDF (no %PDF header)"),
    ("huge.txt", b"word " * 50_000, "too large: 0.2 MB, the upload limit is 0.2 MB"),
    ("notes.docx", b"PK\x03\x04 not supported", "unsupported file type .docx"),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_each_bad_file_gets_a_one_line_error_naming_it(
    loader: UserDocLoader, tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    with pytest.raises(UserDocError) as caught:
        loader.load(write(tmp_path, name, data))
    message = str(caught.value)
    assert message.startswith(f"{name}: ") and reason in message
    assert "\n" not in message


def test_a_mixed_batch_adds_the_good_files_and_changes_nothing_else(indexed: IndexConfig, tmp_path: Path) -> None:
    before = stored_hashes(indexed)
    good = [
        write(tmp_path, "churn.txt", GOOD_TXT),
        write(tmp_path, "retro.md", GOOD_MD),
        write(tmp_path, "visit.pdf", text_pdf(PDF_PAGES)),
    ]
    bad = [write(tmp_path, name, data) for name, data, _ in BAD_FILES]
    report = UserDocStore(indexed, progress=False).add([bad[0], good[0], *bad[1:5], good[1], *bad[5:], good[2]])
    assert sorted(e.file_name for e in report.added) == ["churn.txt", "retro.md", "visit.pdf"]
    assert sorted(f.file for f in report.failed) == sorted(name for name, _, _ in BAD_FILES)
    after = stored_hashes(indexed)
    assert {rid: after[rid] for rid in before} == before, "records already in the index must not change"
    new_ids = set(after) - set(before)
    assert new_ids and all(rid.startswith("user:") for rid in new_ids)
    assert len(new_ids) == sum(e.chunks for e in report.added) == 4

    retriever = HybridRetriever(indexed)
    hit = retriever.search("who owned the feature pipeline", k=3).hits[0]
    assert (hit.kind, hit.title) == ("user_doc", "churn.txt")
    record = retriever.get_record(hit.passage_id)
    assert isinstance(record, UserDocChunk) and record.file_name == "churn.txt" and record.page is None
    without = retriever.search("who owned the feature pipeline", k=8, filters=SearchFilters(include_user_docs=False))
    assert all(h.kind != "user_doc" for h in without.hits)
    page_two = retriever.search("union retraining budgets", k=1).hits[0]
    assert retriever.get_record(page_two.passage_id).page == 2


def test_an_all_bad_batch_leaves_index_and_registry_untouched(indexed: IndexConfig, tmp_path: Path) -> None:
    store = UserDocStore(indexed, progress=False)
    store.add([write(tmp_path, "keep.txt", GOOD_TXT)])
    before, listed = stored_hashes(indexed), store.list()
    report = store.add([write(tmp_path, name, data) for name, data, _ in BAD_FILES])
    assert not report.added and len(report.failed) == len(BAD_FILES)
    assert stored_hashes(indexed) == before
    assert store.list() == listed


def test_adding_the_same_file_twice_is_reported_not_duplicated(indexed: IndexConfig, tmp_path: Path) -> None:
    store = UserDocStore(indexed, progress=False)
    first = store.add([write(tmp_path, "churn.txt", GOOD_TXT)])
    before = stored_hashes(indexed)
    again = store.add([write(tmp_path, "copy of churn.txt", GOOD_TXT)])
    assert not again.added and [e.doc_id for e in again.already_present] == [first.added[0].doc_id]
    assert stored_hashes(indexed) == before


def test_list_and_remove(indexed: IndexConfig, tmp_path: Path) -> None:
    store = UserDocStore(indexed, progress=False)
    corpus_before = stored_hashes(indexed)
    added = store.add([write(tmp_path, "churn.txt", GOOD_TXT), write(tmp_path, "retro.md", GOOD_MD)]).added
    assert [e.file_name for e in store.list()] == ["churn.txt", "retro.md"]
    removed = store.remove(added[0].doc_id)
    assert removed is not None and removed.file_name == "churn.txt"
    assert [e.file_name for e in store.list()] == ["retro.md"]
    remaining = set(stored_hashes(indexed)) - set(corpus_before)
    assert remaining and all(rid.startswith(f"user:{added[1].doc_id}:") for rid in remaining)
    with pytest.raises(UnknownDocError, match="no user document with id 'nope'"):
        store.remove("nope")


def test_user_docs_survive_a_corpus_rebuild(indexed: IndexConfig, tmp_path: Path) -> None:
    UserDocStore(indexed, progress=False).add([write(tmp_path, "churn.txt", GOOD_TXT)])
    user_before = {rid: h for rid, h in stored_hashes(indexed).items() if rid.startswith("user:")}
    report = Ingestor(indexed, progress=False).run(small_corpus(), "v1", rebuild=True)
    assert report.rebuilt
    after = stored_hashes(indexed)
    assert {rid: after[rid] for rid in user_before} == user_before


def test_adding_to_a_missing_index_refuses_without_a_corpus(index_config: IndexConfig, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="run `advisor ingest` first"):
        Ingestor(index_config, progress=False).add_user_chunks(
            UserDocLoader(200_000, word_pieces).load(write(tmp_path, "a.txt", GOOD_TXT)).chunks
        )
