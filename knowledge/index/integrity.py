"""Tell a damaged index from a missing one before anything reads it, and lose no user chunk in a rebuild.

A laptop that crashes or a disk that fills can leave Chroma's sqlite file truncated or garbled, or a
build without its manifest. Chroma itself then fails deep inside its Rust bindings with a bare
"database disk image is malformed"; :func:`check_index` finds these states first and raises
:class:`IndexDamagedError`, whose message names the one recovery: ``advisor ingest --rebuild``.
That recovery moves the damaged files aside (:func:`quarantine_damaged_store`), re-embeds the corpus,
and re-adds users' documents from the rebuild journal or, failing that, from their files
(:func:`restore_user_docs`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from knowledge.embedding import Embedder
from knowledge.index import codec
from knowledge.index.chroma_store import get_all, make_client, open_collection
from knowledge.index.config import IndexConfig
from knowledge.index.manifest import Manifest
from knowledge.schema import Record, UserDocChunk

RECOVERY_COMMAND = "advisor ingest --rebuild"
SQLITE_FILE = "chroma.sqlite3"


class IndexDamagedError(RuntimeError):
    """The index exists but cannot be trusted; ``str()`` says why and how to recover."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(
            f"the search index is damaged: {reason} ({where}). Recover with `{RECOVERY_COMMAND}`: it moves the "
            "damaged files aside, re-embeds the corpus and re-adds your own documents."
        )


def sqlite_problem(config: IndexConfig) -> str | None:
    """Say what is wrong with the embedded index's sqlite file, or ``None`` (also when there is none yet)."""
    if config.chroma_url:
        return None
    path = config.index_dir / SQLITE_FILE
    if not path.exists():
        return None
    if path.stat().st_size == 0:
        return f"{SQLITE_FILE} is empty (0 bytes), probably cut off by a crash"
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        return f"{SQLITE_FILE} cannot be opened ({exc})"
    try:
        rows = connection.execute("PRAGMA quick_check").fetchall()
        connection.execute("SELECT count(*) FROM collections").fetchone()
    except sqlite3.DatabaseError as exc:
        return f"{SQLITE_FILE} cannot be read ({exc})"
    finally:
        connection.close()
    if rows != [("ok",)]:
        return f"{SQLITE_FILE} failed its integrity check ({rows[0][0] if rows else 'no result'})"
    return None


def manifest_problem(config: IndexConfig, embedder: Embedder) -> str | None:
    """Say why an existing collection is incomplete (no or a half-written manifest); ``None`` if fine or absent."""
    collection = open_collection(make_client(config), config, embedder, create=False)
    if collection is None:
        return None
    metadata = collection.metadata or {}
    if not any(str(key).startswith("manifest:") for key in metadata):
        return "it has no manifest, so a build was interrupted before it finished"
    if Manifest.from_metadata(metadata) is None:
        return "its manifest is incomplete or garbled (a half-written build?)"
    return None


def check_index(config: IndexConfig, embedder: Embedder) -> None:
    """Raise :class:`IndexDamagedError` for a damaged or half-built index; a missing one is fine (it gets built)."""
    reason = sqlite_problem(config)
    if reason is None:
        try:
            reason = manifest_problem(config, embedder)
        except Exception as exc:  # chromadb raises InternalError/ValueError subclasses for broken stores
            if type(exc).__name__ == "IndexUnavailableError":
                raise
            reason = f"Chroma cannot open it ({type(exc).__name__}: {exc})"
    if reason:
        raise IndexDamagedError(config.where, reason)


def quarantine_damaged_store(config: IndexConfig) -> Path | None:
    """Move a damaged embedded index aside (kept for inspection) so a rebuild starts clean; return where."""
    if sqlite_problem(config) is None:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = config.index_dir.with_name(f"{config.index_dir.name}.damaged-{stamp}")
    shutil.move(str(config.index_dir), str(target))
    return target


class RebuildJournal:
    """Users' chunks written to a file before a rebuild drops the collection, so a killed rebuild loses none.

    Chroma has no transaction spanning "drop the collection" and "write it again"; the journal bridges
    that gap. It is removed only after the rebuilt collection carries its manifest.
    """

    def __init__(self, config: IndexConfig) -> None:
        self.path = config.data_dir / f"rebuild-journal.{config.collection}.jsonl"

    def load(self) -> list[UserDocChunk]:
        if not self.path.exists():
            return []
        chunks = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                chunks.append(UserDocChunk.model_validate_json(line))
            except ValidationError as exc:
                raise ValueError(f"{self.path}:{number}: damaged rebuild journal ({exc.errors()[0]['msg']})") from exc
        return chunks

    def save(self, chunks: Sequence[Record]) -> None:
        """Add ``chunks`` (user chunks; others are ignored) to what an earlier, killed rebuild saved."""
        merged = {chunk.id: chunk for chunk in self.load()}
        merged.update({c.id: c for c in chunks if isinstance(c, UserDocChunk)})
        if not merged:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_suffix(".tmp")
        with scratch.open("w", encoding="utf-8") as handle:
            handle.writelines(chunk.model_dump_json() + "\n" for chunk in merged.values())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(scratch, self.path)

    def merged(self, chunks: Sequence[Record]) -> list[Record]:
        """Return ``chunks`` plus the journal's chunks that are not among them."""
        have = {c.id for c in chunks}
        return [*chunks, *(c for c in self.load() if c.id not in have)]

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


class RestoreReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    restored: list[str]
    """File names re-added from their files."""
    missing: list[str]
    """``file name: reason`` for documents whose chunks are gone and whose file cannot be read any more."""

    def lines(self) -> list[str]:
        out = [f"re-added your document {name} from its file" for name in self.restored]
        out += [f"could not re-add {line}; add it again with `advisor ingest PATH`" for line in self.missing]
        return out


def restore_user_docs(config: IndexConfig, embedder: Embedder) -> RestoreReport:
    """Re-add registered documents whose chunks are missing from the index (after a damaged store was replaced)."""
    from knowledge.index.ingest import Ingestor
    from knowledge.index.registry import DocRegister
    from knowledge.index.user_docs import UserDocError, UserDocLoader

    entries = DocRegister(config).load()
    if not entries:
        return RestoreReport(restored=[], missing=[])
    collection = open_collection(make_client(config), config, embedder, create=False)
    if collection is None:
        return RestoreReport(restored=[], missing=[])
    got = get_all(collection, include=["metadatas"], where={"namespace": codec.USER})
    present = {str(meta.get("doc_id")) for meta in got["metadatas"]}
    loader = UserDocLoader(config.max_upload_bytes, lambda text: len(embedder.tokenizer().tokenize(text)))
    restored, missing, chunks = [], [], []
    for entry in entries:
        if entry.doc_id in present:
            continue
        try:
            doc = loader.load(Path(entry.path))
        except UserDocError as exc:
            missing.append(f"{entry.file_name}: {exc.reason}")
            continue
        if doc.doc_id != entry.doc_id:
            missing.append(f"{entry.file_name}: the file at {entry.path} has changed since it was added")
            continue
        chunks.extend(doc.chunks)
        restored.append(entry.file_name)
    if chunks:
        Ingestor(config, embedder, progress=False).add_user_chunks(chunks)
    return RestoreReport(restored=restored, missing=missing)


class IndexFingerprint(BaseModel):
    """Every stored id with a hash of its text and metadata: equal fingerprints mean an unchanged index."""

    model_config = ConfigDict(frozen=True)

    entries: dict[str, str]
    manifest: dict[str, str | int | float | bool]

    @property
    def ids(self) -> set[str]:
        return set(self.entries)


def fingerprint(config: IndexConfig, embedder: Embedder) -> IndexFingerprint:
    """Read the whole collection once; used to prove that a refused input changed nothing."""
    collection = open_collection(make_client(config), config, embedder, create=False)
    if collection is None:
        return IndexFingerprint(entries={}, manifest={})
    got = get_all(collection, include=["documents", "metadatas"])
    entries = {}
    for rid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
        payload = json.dumps([text, dict(sorted((meta or {}).items()))], ensure_ascii=False, default=str)
        entries[rid] = hashlib.sha256(payload.encode()).hexdigest()
    manifest = {k: v for k, v in (collection.metadata or {}).items() if str(k).startswith("manifest:")}
    return IndexFingerprint(entries=entries, manifest=manifest)


def recover_before_ingest(config: IndexConfig, *, rebuild: bool, echo: Callable[[str], None]) -> None:
    """Before ``advisor ingest``: with ``--rebuild`` move a damaged store aside, without it refuse to touch one."""
    reason = sqlite_problem(config)
    if reason is None:
        return
    if not rebuild:
        raise IndexDamagedError(config.where, reason)
    moved = quarantine_damaged_store(config)
    echo(f"the index was damaged ({reason}); moved it aside to {moved} and rebuilding from scratch")
