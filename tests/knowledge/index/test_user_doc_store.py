"""Users' documents as a batch: good files go in, bad ones are reported, nothing else in the index changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import corpus
from knowledge.embedding import Embedder
from knowledge.index import HybridRetriever, IndexConfig, Ingestor
from knowledge.index.user_doc_store import UnknownDocError, UserDocStore
from knowledge.schema import SearchFilters, UserDocChunk
from tests.knowledge.index.pdfs import text_pdf
from tests.knowledge.index.records import small_corpus
from tests.knowledge.index.state import stored_hashes, stored_manifest
from tests.knowledge.index.userdocs import BAD_FILES, GOOD_MD, GOOD_TXT, PDF_PAGES, write

NOTE = "Our Quillmore depot pilot stalled: the night shift never trusted the forklift routes the model proposed."


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


def test_a_document_added_by_one_process_is_listed_found_and_removed_for_another(indexed: IndexConfig, tmp_path: Path):
    """Two stores and a retriever opened before the change stand for two replicas on one index."""
    here, there = UserDocStore(indexed, progress=False), UserDocStore(indexed, progress=False)
    watching = HybridRetriever(indexed)
    assert not [h for h in watching.search("Quillmore forklift routes", k=3).hits if h.kind == "user_doc"]
    before = stored_manifest(indexed)
    note = tmp_path / "depot.txt"
    note.write_text(NOTE)
    (added,) = here.add([note]).added
    assert [e.doc_id for e in there.list()] == [added.doc_id]
    after = stored_manifest(indexed)
    assert before is not None and after is not None and after.generation != before.generation
    assert watching.search("Quillmore forklift routes", k=1).hits[0].title == "depot.txt"
    there.remove(added.doc_id)
    assert here.list() == []
    assert not [h for h in watching.search("Quillmore forklift routes", k=3).hits if h.kind == "user_doc"]


def test_the_first_document_builds_a_missing_index_with_the_step_handed_in(
    index_config: IndexConfig, tmp_path: Path
) -> None:
    calls: list[tuple[IndexConfig, bool]] = []

    def ensure_index(config: IndexConfig, embedder: Embedder, *, progress: bool) -> None:
        calls.append((config, progress))
        Ingestor(config, embedder, progress=False).run(small_corpus(), "v1")

    store = UserDocStore(index_config, progress=False, ensure_index=ensure_index)
    assert not store.add([write(tmp_path, "empty.txt", "")]).added
    assert not calls, "no good file, nothing built"
    (first,) = store.add([write(tmp_path, "churn.txt", GOOD_TXT)]).added
    (second,) = store.add([write(tmp_path, "retro.md", GOOD_MD)]).added
    assert calls == [(index_config, False)], "built once, for the first document; an existing index is left alone"
    stored = stored_hashes(index_config)
    assert {r.id for r in small_corpus()} <= set(stored)
    assert {rid.split(":")[1] for rid in stored if rid.startswith("user:")} == {first.doc_id, second.doc_id}


def test_by_default_the_ingestor_builds_the_curated_corpus_first(
    index_config: IndexConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus, "load_records", small_corpus)  # the curated corpus, made small
    monkeypatch.setattr(corpus, "corpus_version", lambda: "v1")
    store = UserDocStore(index_config, progress=False)
    (added,) = store.add([write(tmp_path, "churn.txt", GOOD_TXT)]).added
    assert store.list() == [added]
    assert {r.id for r in small_corpus()} <= set(stored_hashes(index_config))
