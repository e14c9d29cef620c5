from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.embedding import Embedder, bundled_model_path
from knowledge.index import IndexConfig, Ingestor
from knowledge.index.codec import content_hash
from knowledge.index.config import INDEX_SCHEMA_VERSION
from knowledge.index.user_doc_loader import UserDocLoader
from knowledge.index.user_doc_store import UserDocStore
from tests.knowledge.index.records import passage, small_corpus
from tests.knowledge.index.state import stored_hashes, stored_manifest
from tests.knowledge.index.userdocs import GOOD_TXT, word_pieces, write


def test_first_run_adds_everything_and_records_the_manifest(index_config: IndexConfig) -> None:
    records = small_corpus()
    report = Ingestor(index_config, progress=False).run(records, "v1")
    assert (report.added, report.updated, report.deleted, report.unchanged) == (len(records), 0, 0, 0)
    assert report.created and not report.rebuilt
    assert stored_hashes(index_config) == {r.id: content_hash(r) for r in records}
    manifest = stored_manifest(index_config)
    assert manifest is not None
    assert (manifest.embedding_model, manifest.corpus_version, manifest.schema_version) == (
        "all-MiniLM-L6-v2",
        "v1",
        INDEX_SCHEMA_VERSION,
    )


def test_rerun_without_changes_touches_nothing(index_config: IndexConfig) -> None:
    ingestor = Ingestor(index_config, progress=False)
    ingestor.run(small_corpus(), "v1")
    before_manifest = stored_manifest(index_config)
    report = ingestor.run(small_corpus(), "v1")
    assert (report.added, report.updated, report.deleted) == (0, 0, 0)
    assert report.unchanged == len(small_corpus())
    assert not report.changed
    assert stored_manifest(index_config) == before_manifest, "a no-change run must not bump the generation"


def test_changing_one_record_updates_exactly_that_record(index_config: IndexConfig) -> None:
    ingestor = Ingestor(index_config, progress=False)
    records = small_corpus()
    ingestor.run(records, "v1")
    before = stored_hashes(index_config)
    edited = passage("a.p2", "Executive sponsorship keeps AI programs funded through the first hard year.", start=500)
    records = [edited if r.id == "a.p2" else r for r in records]
    report = ingestor.run(records, "v1")
    assert (report.added, report.updated, report.deleted, report.unchanged) == (0, 1, 0, len(records) - 1)
    after = stored_hashes(index_config)
    assert {rid for rid in after if after[rid] != before[rid]} == {"a.p2"}
    assert after["a.p2"] == content_hash(edited)


def test_removed_and_new_records_are_deleted_and_added(index_config: IndexConfig) -> None:
    ingestor = Ingestor(index_config, progress=False)
    records = small_corpus()
    ingestor.run(records, "v1")
    newcomer = passage("c.p1", "Change management matters as much as the model itself.", source="paper_c")
    report = ingestor.run([*records[1:], newcomer], "v1")
    assert (report.added, report.updated, report.deleted) == (1, 0, 1)
    assert set(stored_hashes(index_config)) == {r.id for r in records[1:]} | {"c.p1"}


def test_new_corpus_version_syncs_only_the_changed_records_and_says_why(
    index_config: IndexConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    records = small_corpus()
    Ingestor(index_config, progress=False).run(records, "v1")
    edited = passage("a.p2", "Executive sponsorship keeps AI programs alive.", start=500)
    report = Ingestor(index_config, progress=True).run([edited if r.id == "a.p2" else r for r in records], "v2")
    assert not report.rebuilt
    assert report.reason == "corpus version changed: index has 'v1', now 'v2'"
    assert (report.added, report.updated, report.deleted) == (0, 1, 0)
    assert "updating the index: corpus version changed: index has 'v1', now 'v2'" in capsys.readouterr().err
    assert stored_manifest(index_config).corpus_version == "v2"
    assert Ingestor(index_config, progress=False).pending_reason("v2") is None


def test_new_corpus_version_rebuilds_everything_when_asked_to(
    index_config: IndexConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    Ingestor(index_config, progress=False).run(small_corpus(), "v1")
    report = Ingestor(index_config, progress=True, on_corpus_change="rebuild").run(small_corpus(), "v2")
    assert report.rebuilt
    assert report.reason == "corpus version changed: index has 'v1', now 'v2'"
    assert report.added == len(small_corpus())
    err = capsys.readouterr().err
    assert "rebuilding the index: corpus version changed" in err
    assert "embedding: 100%" in err, "the progress bar goes to stderr"
    manifest = stored_manifest(index_config)
    assert manifest is not None and manifest.corpus_version == "v2"


def test_embedding_model_change_rebuilds_and_says_why(index_config: IndexConfig, tmp_path: Path) -> None:
    Ingestor(index_config, progress=False).run(small_corpus(), "v1")
    other = tmp_path / "minilm-copy"
    other.symlink_to(bundled_model_path(), target_is_directory=True)
    report = Ingestor(index_config, Embedder(other), progress=False).run(small_corpus(), "v1")
    assert report.rebuilt
    assert report.reason == "embedding model changed: index has 'all-MiniLM-L6-v2', now 'minilm-copy'"
    assert stored_manifest(index_config).embedding_model == "minilm-copy"


def test_pending_reason_reports_missing_and_stale_index(index_config: IndexConfig) -> None:
    ingestor = Ingestor(index_config, progress=False)
    assert ingestor.pending_reason("v1").startswith("no index yet")
    ingestor.run(small_corpus(), "v1")
    assert ingestor.pending_reason("v1") is None
    assert ingestor.pending_reason("v9") == "corpus version changed: index has 'v1', now 'v9'"


def test_explicit_rebuild(index_config: IndexConfig) -> None:
    ingestor = Ingestor(index_config, progress=False)
    ingestor.run(small_corpus(), "v1")
    report = ingestor.run(small_corpus(), "v1", rebuild=True)
    assert report.rebuilt and report.reason == "rebuild requested"
    assert report.added == len(small_corpus())


def test_duplicate_ids_are_refused_before_writing(index_config: IndexConfig) -> None:
    records = small_corpus()
    with pytest.raises(ValueError, match=r"duplicate record id 'a\.p1'"):
        Ingestor(index_config, progress=False).run([*records, records[0]], "v1")
    assert not (index_config.index_dir / "chroma.sqlite3").exists() or not stored_hashes_safe(index_config)


def stored_hashes_safe(config: IndexConfig) -> dict[str, str]:
    try:
        return stored_hashes(config)
    except AssertionError:
        return {}


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
