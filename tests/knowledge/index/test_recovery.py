"""``rebuild_index`` owns the recovery order: the store (refuse or move aside), the corpus, users' documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import corpus
from knowledge.embedding import Embedder
from knowledge.index import IndexConfig, rebuild_index
from knowledge.index.integrity import IndexDamagedError, check_index
from knowledge.index.recovery import RestoreReport, restore_user_docs
from knowledge.index.user_doc_store import UserDocStore
from tests.knowledge.index.records import small_corpus
from tests.knowledge.index.state import stored_hashes
from tests.knowledge.index.userdocs import GOOD_MD, GOOD_TXT, write
from tests.reliability.faults import forget_cached_client, garble_sqlite


@pytest.fixture(autouse=True)
def small_curated_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "load_records", small_corpus)
    monkeypatch.setattr(corpus, "corpus_version", lambda: "v1")


def test_a_sound_index_is_synced_and_nothing_is_moved(indexed: IndexConfig) -> None:
    said: list[str] = []
    report = rebuild_index(indexed, progress=False, echo=said.append)
    assert report.moved_aside is None and not said
    assert report.lines() == [report.ingest.summary()]
    assert report.lines()[0].startswith("index up to date: 0 added, 0 updated, 0 deleted")


def test_without_rebuild_a_damaged_store_is_refused_and_left_where_it_is(indexed: IndexConfig) -> None:
    garble_sqlite(indexed)
    damaged = (indexed.index_dir / "chroma.sqlite3").read_bytes()
    with pytest.raises(IndexDamagedError, match="advisor ingest --rebuild"):
        rebuild_index(indexed, progress=False)
    assert (indexed.index_dir / "chroma.sqlite3").read_bytes() == damaged
    assert not list(indexed.data_dir.glob("index.damaged-*"))


def test_rebuild_moves_a_damaged_store_aside_then_re_adds_documents_from_their_files(
    indexed: IndexConfig, tmp_path: Path
) -> None:
    kept, gone = write(tmp_path, "churn.txt", GOOD_TXT), write(tmp_path, "retro.md", GOOD_MD)
    added = UserDocStore(indexed, progress=False).add([kept, gone]).added
    user_before = {rid: h for rid, h in stored_hashes(indexed).items() if rid.startswith(f"user:{added[0].doc_id}:")}
    gone.unlink()
    garble_sqlite(indexed)
    forget_cached_client(indexed)  # this process still holds the garbled file open
    said: list[str] = []

    report = rebuild_index(indexed, rebuild=True, progress=False, echo=said.append)

    assert report.moved_aside is not None and report.moved_aside.name.startswith("index.damaged-")
    assert len(said) == 1 and f"moved it aside to {report.moved_aside}" in said[0]
    assert report.ingest.created and report.ingest.added == len(small_corpus())
    assert report.lines() == [
        report.ingest.summary(),
        "re-added your document churn.txt from its file",
        "could not re-add retro.md: file not found; add it again with `advisor ingest PATH`",
    ]
    check_index(indexed, Embedder())
    after = stored_hashes(indexed)
    assert {rid: after[rid] for rid in user_before} == user_before
    assert not [rid for rid in after if rid.startswith(f"user:{added[1].doc_id}:")]


def test_restore_leaves_documents_that_are_still_indexed(indexed: IndexConfig, tmp_path: Path) -> None:
    UserDocStore(indexed, progress=False).add([write(tmp_path, "churn.txt", GOOD_TXT)])
    assert restore_user_docs(indexed, Embedder()) == RestoreReport(restored=[], missing=[])
