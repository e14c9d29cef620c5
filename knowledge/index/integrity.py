"""Health checks: tell a damaged index from a missing one before anything reads it.

A laptop that crashes or a disk that fills can leave Chroma's sqlite file truncated or garbled, or a
build without its manifest. Chroma itself then fails deep inside its Rust bindings with a bare
"database disk image is malformed"; :func:`check_index` finds these states first and raises
:class:`IndexDamagedError`, whose message names the one recovery: ``advisor ingest --rebuild``
(:func:`knowledge.index.recovery.rebuild_index`). :func:`fingerprint` reads the whole collection into
one comparable value, to prove that something changed nothing.

This module only reads; nothing here writes to the index.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from pydantic import BaseModel, ConfigDict

from knowledge.embedding import Embedder
from knowledge.index.chroma_store import IndexUnavailableError, get_all, make_client, open_collection
from knowledge.index.config import IndexConfig
from knowledge.index.manifest import Manifest

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


def check_store(config: IndexConfig) -> None:
    """Raise :class:`IndexDamagedError` when the embedded store's sqlite file is damaged; a missing one is fine.

    This is the check before writing (``advisor ingest``): a missing manifest is not fatal there, because the
    ingest itself finishes an interrupted build.
    """
    reason = sqlite_problem(config)
    if reason:
        raise IndexDamagedError(config.where, reason)


def check_index(config: IndexConfig, embedder: Embedder) -> None:
    """Raise :class:`IndexDamagedError` for a damaged or half-built index; a missing one is fine (it gets built)."""
    reason = sqlite_problem(config)
    if reason is None:
        try:
            reason = manifest_problem(config, embedder)
        except IndexUnavailableError:
            raise  # an unreachable server is not a damaged index: its own message says what to do
        except Exception as exc:  # chromadb raises InternalError/ValueError subclasses for broken stores
            reason = f"Chroma cannot open it ({type(exc).__name__}: {exc})"
    if reason:
        raise IndexDamagedError(config.where, reason)


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
