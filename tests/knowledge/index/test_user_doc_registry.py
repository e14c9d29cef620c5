"""The documents' register lives in Chroma: every process sees the same entries; an old local file is migrated."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings

from knowledge.index import IndexConfig
from knowledge.index.user_doc_registry import (
    LEGACY_FILE,
    DocRegister,
    RegisterFile,
    UserDocEntry,
    register_collection_name,
)


def entry(doc_id: str, name: str, minutes: int = 0) -> UserDocEntry:
    return UserDocEntry(
        doc_id=doc_id,
        file_name=name,
        path=f"/somewhere/{name}",
        size_bytes=42,
        sha256=doc_id * 5,
        pages=None if name.endswith(".txt") else 3,
        chunks=2,
        added_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes),
    )


def legacy_file(config: IndexConfig, entries: list[UserDocEntry]) -> Path:
    RegisterFile(config.user_docs_dir / LEGACY_FILE).save(entries)
    return config.user_docs_dir / LEGACY_FILE


def test_entries_written_by_one_register_are_read_by_another(index_config: IndexConfig) -> None:
    writer, reader = DocRegister(index_config), DocRegister(index_config)
    assert reader.load() == []
    writer.put([entry("bbbbbbbbbbbb", "b.pdf", 1), entry("aaaaaaaaaaaa", "a.txt", 0)])
    assert [e.file_name for e in reader.load()] == ["a.txt", "b.pdf"]  # oldest first
    assert reader.get("bbbbbbbbbbbb") == entry("bbbbbbbbbbbb", "b.pdf", 1)
    writer.delete("aaaaaaaaaaaa")
    assert [e.doc_id for e in reader.load()] == ["bbbbbbbbbbbb"] and reader.get("aaaaaaaaaaaa") is None


def test_the_register_is_a_companion_collection_with_the_fields_as_metadata(index_config: IndexConfig) -> None:
    DocRegister(index_config).put([entry("aaaaaaaaaaaa", "a.pdf")])
    client = chromadb.PersistentClient(str(index_config.index_dir), settings=ChromaSettings(anonymized_telemetry=False))
    got = client.get_collection(register_collection_name(index_config), embedding_function=None).get(
        include=["metadatas", "embeddings"]
    )
    assert register_collection_name(index_config) == f"{index_config.collection}__registry"
    meta = got["metadatas"][0]
    assert (meta["doc_id"], meta["file_name"], meta["pages"], meta["chunks"], meta["size_bytes"]) == (
        "aaaaaaaaaaaa",
        "a.pdf",
        3,
        2,
        42,
    )
    assert meta["sha256"] == "aaaaaaaaaaaa" * 5 and meta["added_at"].startswith("2026-01-01")
    assert list(got["embeddings"][0]) == [0.0]


def test_embedded_mode_migrates_the_old_file_once_and_keeps_it_as_a_mirror(index_config: IndexConfig) -> None:
    path = legacy_file(index_config, [entry("aaaaaaaaaaaa", "old.txt")])
    register = DocRegister(index_config)
    assert [e.file_name for e in register.load()] == ["old.txt"], "an existing user keeps their documents"
    register.put([entry("bbbbbbbbbbbb", "new.pdf", 5)])
    assert [e["file_name"] for e in json.loads(path.read_text())] == ["old.txt", "new.pdf"]
    register.delete("aaaaaaaaaaaa")
    assert [e["file_name"] for e in json.loads(path.read_text())] == ["new.pdf"]
    path.write_text(json.dumps([json.loads(entry("cccccccccccc", "stale.txt").model_dump_json())]))
    assert [e.file_name for e in DocRegister(index_config).load()] == ["new.pdf"], "the file is read once"


def test_a_lost_register_collection_is_refilled_from_the_mirror(index_config: IndexConfig) -> None:
    """What ``advisor ingest --rebuild`` relies on after moving a damaged store aside."""
    DocRegister(index_config).put([entry("aaaaaaaaaaaa", "kept.txt")])
    client = chromadb.PersistentClient(str(index_config.index_dir), settings=ChromaSettings(anonymized_telemetry=False))
    client.delete_collection(register_collection_name(index_config))
    assert [e.file_name for e in DocRegister(index_config).load()] == ["kept.txt"]


def test_server_mode_merges_each_local_file_once_and_renames_it(tmp_path: Path) -> None:
    shared = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False, allow_reset=True))
    shared.reset()
    url = "http://127.0.0.1:1"  # never dialled: the shared client stands in for the server
    a = IndexConfig(data_dir=tmp_path / "a", chroma_url=url, collection="shared_test")
    b = IndexConfig(data_dir=tmp_path / "b", chroma_url=url, collection="shared_test")
    file_a = legacy_file(a, [entry("aaaaaaaaaaaa", "from-a.txt"), entry("cccccccccccc", "both.txt", 2)])
    file_b = legacy_file(b, [entry("bbbbbbbbbbbb", "from-b.txt", 1), entry("cccccccccccc", "both.txt", 2)])
    assert [e.file_name for e in DocRegister(a, shared).load()] == ["from-a.txt", "both.txt"]
    assert not file_a.exists() and file_a.with_name(f"{LEGACY_FILE}.migrated").exists()
    assert [e.file_name for e in DocRegister(b, shared).load()] == ["from-a.txt", "from-b.txt", "both.txt"]
    assert not file_b.exists()
    DocRegister(b, shared).delete("aaaaaaaaaaaa")
    assert [e.file_name for e in DocRegister(a, shared).load()] == ["from-b.txt", "both.txt"]
    assert not (a.user_docs_dir / LEGACY_FILE).exists(), "server mode keeps no local copy to go stale"
