"""A damaged, half-written or half-rebuilt index: detected at start, recovered by `advisor ingest --rebuild`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge import corpus
from knowledge.embedding import Embedder
from knowledge.index import IndexConfig, open_index
from knowledge.index.integrity import RECOVERY_COMMAND, IndexDamagedError, check_index, fingerprint
from knowledge.index.journal import RebuildJournal
from knowledge.index.user_doc_store import UserDocStore
from knowledge.schema import SearchFilters

from .faults import (
    advisor_env,
    empty_sqlite,
    forget_cached_client,
    garble_sqlite,
    kill_when,
    run_advisor,
    set_collection_metadata,
    truncate_sqlite,
)

DOC_TEXT = (
    "Our forklift-routing model at the Tilburg depot stayed a pilot for two years. "
    "The night shift never trusted the routes, and nobody owned retraining after the vendor left."
)
DOC_QUERY = "forklift routing Tilburg depot night shift"


def _manifest_without(config: IndexConfig, embedder: Embedder) -> None:
    set_collection_metadata(config, embedder, {"note": "manifest lost"})


def _half_manifest(config: IndexConfig, embedder: Embedder) -> None:
    set_collection_metadata(config, embedder, {"manifest:embedding_model": embedder.name})


def _garbled_manifest(config: IndexConfig, embedder: Embedder) -> None:
    set_collection_metadata(
        config,
        embedder,
        {
            "manifest:embedding_model": embedder.name,
            "manifest:corpus_version": corpus.corpus_version(),
            "manifest:schema_version": "2",
            "manifest:generation": "not-a-number",
        },
    )


DAMAGE: dict[str, Callable[[IndexConfig, Embedder], None]] = {
    "sqlite truncated to half": lambda c, e: truncate_sqlite(c),
    "sqlite header and a page garbled": lambda c, e: garble_sqlite(c),
    "sqlite emptied to 0 bytes": lambda c, e: empty_sqlite(c),
    "manifest deleted": _manifest_without,
    "manifest half-written": _half_manifest,
    "manifest garbled": _garbled_manifest,
}


def test_a_healthy_copy_passes_the_check(index_copy: IndexConfig, embedder: Embedder) -> None:
    check_index(index_copy, embedder)
    assert fingerprint(index_copy, embedder).entries


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damage_is_detected_at_start_with_the_recovery_named(
    index_copy: IndexConfig, embedder: Embedder, damage: str
) -> None:
    DAMAGE[damage](index_copy, embedder)
    with pytest.raises(IndexDamagedError) as caught:
        open_index(index_copy, embedder, progress=False)
    message = str(caught.value)
    assert RECOVERY_COMMAND in message
    assert str(index_copy.index_dir) in message
    assert "damaged" in message


@pytest.mark.slow
def test_cli_and_server_refuse_a_damaged_index_with_one_clear_line(index_copy: IndexConfig) -> None:
    garble_sqlite(index_copy)
    env = advisor_env(index_copy)
    for args in (
        ["search", "pilot stuck", "--k", "1"],
        ["ask", "How do we move pilots to production?"],
        ["serve", "--port", "1"],
    ):
        done = run_advisor(args, env, timeout_s=300)
        assert done.returncode != 0, args
        assert RECOVERY_COMMAND in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr, (args, done.stderr)
    plain = run_advisor(["ingest"], env, timeout_s=300)  # without --rebuild nothing is touched
    assert plain.returncode != 0 and RECOVERY_COMMAND in plain.stderr
    assert not list(index_copy.data_dir.glob("index.damaged-*"))
    with_path = run_advisor(["ingest", "--rebuild", str(index_copy.data_dir)], env, timeout_s=300)
    assert with_path.returncode == 2 and "without PATH" in with_path.stderr  # refused before moving anything
    assert not list(index_copy.data_dir.glob("index.damaged-*"))


def _add_user_doc(config: IndexConfig, embedder: Embedder, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "depot-retro.txt"
    path.write_text(DOC_TEXT, encoding="utf-8")
    report = UserDocStore(config, embedder, progress=False).add([path])
    assert len(report.added) == 1, report
    return path


@pytest.mark.slow
def test_rebuild_killed_halfway_loses_and_duplicates_nothing(
    index_copy: IndexConfig, embedder: Embedder, tmp_path: Path
) -> None:
    doc = _add_user_doc(index_copy, embedder, tmp_path / "mine")
    before = fingerprint(index_copy, embedder)
    doc.unlink()  # only the rebuild journal can bring the user's chunks back now
    env = advisor_env(index_copy)

    seen = kill_when(["ingest", "--rebuild"], env, b"256/", tmp_path / "killed.log")
    assert b"rebuilding the index" in seen
    half = fingerprint(index_copy, embedder)
    assert 0 < len(half.entries) < len(before.entries), "the kill should land mid-way"
    assert not half.manifest, "a half-built index must not carry a manifest"
    assert RebuildJournal(index_copy).path.exists()
    with pytest.raises(IndexDamagedError, match="advisor ingest --rebuild"):
        open_index(index_copy, embedder, progress=False)

    done = run_advisor(["ingest"], env)
    assert done.returncode == 0, done.stderr
    after = fingerprint(index_copy, embedder)
    assert after.entries == before.entries  # same ids, same text and metadata: nothing lost, nothing extra
    assert not RebuildJournal(index_copy).path.exists()
    retriever = open_index(index_copy, embedder, progress=False)
    hits = retriever.search(DOC_QUERY, k=3, filters=SearchFilters(include_user_docs=True)).hits
    assert any(hit.passage_id.startswith("user:") for hit in hits)


@pytest.mark.slow
def test_rebuild_recovers_a_garbled_store_and_re_adds_documents(
    index_copy: IndexConfig, embedder: Embedder, tmp_path: Path
) -> None:
    _add_user_doc(index_copy, embedder, tmp_path / "mine")
    before = fingerprint(index_copy, embedder)
    garble_sqlite(index_copy)
    env = advisor_env(index_copy)

    done = run_advisor(["ingest", "--rebuild"], env)
    assert done.returncode == 0, done.stderr
    assert "moved it aside" in done.stderr
    assert "re-added your document depot-retro.txt" in done.stdout
    assert len(list(index_copy.data_dir.glob("index.damaged-*"))) == 1
    forget_cached_client(index_copy)  # this process still holds the garbled file's handle
    check_index(index_copy, embedder)
    after = fingerprint(index_copy, embedder)
    assert after.entries == before.entries
