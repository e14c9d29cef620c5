"""Health checks tell a damaged index from a missing one, and an unreachable server from both."""

from __future__ import annotations

import pytest

from knowledge.embedding import Embedder
from knowledge.index import IndexConfig, Ingestor
from knowledge.index import integrity as integrity_module
from knowledge.index.chroma_store import IndexUnavailableError
from knowledge.index.integrity import (
    RECOVERY_COMMAND,
    IndexDamagedError,
    check_index,
    check_store,
    fingerprint,
    sqlite_problem,
)
from tests.knowledge.index.records import small_corpus
from tests.reliability.faults import empty_sqlite, set_collection_metadata


def test_a_missing_index_is_fine_it_gets_built(index_config: IndexConfig) -> None:
    check_store(index_config)
    check_index(index_config, Embedder())
    assert fingerprint(index_config, Embedder()).entries == {}


def test_a_sound_index_passes_and_a_no_change_run_keeps_its_fingerprint(indexed: IndexConfig) -> None:
    check_store(indexed)
    check_index(indexed, Embedder())
    before = fingerprint(indexed, Embedder())
    assert before.ids == {r.id for r in small_corpus()} and before.manifest
    Ingestor(indexed, progress=False).run(small_corpus(), "v1")
    assert fingerprint(indexed, Embedder()) == before


def test_a_lost_manifest_fails_the_index_check_but_not_the_store_check(indexed: IndexConfig) -> None:
    set_collection_metadata(indexed, Embedder(), {"note": "manifest lost"})
    check_store(indexed)  # `advisor ingest` finishes an interrupted build itself
    with pytest.raises(IndexDamagedError, match="no manifest") as caught:
        check_index(indexed, Embedder())
    assert RECOVERY_COMMAND in str(caught.value) and caught.value.where == indexed.where


def test_an_emptied_sqlite_file_fails_both_checks(indexed: IndexConfig) -> None:
    empty_sqlite(indexed)
    assert sqlite_problem(indexed) == "chroma.sqlite3 is empty (0 bytes), probably cut off by a crash"
    for check in (lambda: check_store(indexed), lambda: check_index(indexed, Embedder())):
        with pytest.raises(IndexDamagedError, match=r"empty \(0 bytes\)"):
            check()


def test_an_unreachable_server_is_reported_as_such_not_as_damage(
    index_config: IndexConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(config: IndexConfig) -> None:
        raise IndexUnavailableError("cannot reach the Chroma server at http://127.0.0.1:1")

    monkeypatch.setattr(integrity_module, "make_client", unreachable)
    with pytest.raises(IndexUnavailableError, match="cannot reach"):
        check_index(index_config, Embedder())


def test_any_other_failure_to_open_it_is_damage(index_config: IndexConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(config: IndexConfig) -> None:
        raise ValueError("Could not connect to tenant default_tenant")

    monkeypatch.setattr(integrity_module, "make_client", broken)
    with pytest.raises(IndexDamagedError, match=r"Chroma cannot open it \(ValueError: Could not connect"):
        check_index(index_config, Embedder())
