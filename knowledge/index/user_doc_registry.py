"""The register of users' documents, kept in Chroma next to the index, so every replica reads the same one.

One entry per document in the companion collection ``<collection>__registry``: the id is the document's id,
the metadata carries the entry as JSON (the source of truth) and its fields one by one (for people reading
the collection). Chroma stores a vector per row; this collection is never searched, so every row gets the
same one-number placeholder, passed explicitly (Chroma's default embedding function would try to download
a model). Because the register lives where the index lives, replicas of ``advisor serve`` on one
``chroma run`` server list, add and remove the same documents.

The local file ``user_docs/registry.json`` (where the register lived before) still matters:

- **embedded Chroma**: it is a mirror, rewritten after every change, because a damaged sqlite file takes
  the register collection down with the index. When the register collection is missing (the first run of
  this version, or after ``advisor ingest --rebuild`` moved a damaged store aside) it is filled from the
  file, so nobody loses a document and a rebuild can still re-add documents from their files.
- **a Chroma server**: the file is merged into the server's register once (entries it does not have yet)
  and renamed ``registry.json.migrated``, so a stale copy can never bring back a document another replica
  removed.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import PyEmbedding
from chromadb.errors import NotFoundError
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from knowledge.index.chroma_store import get_all, make_client
from knowledge.index.config import IndexConfig
from knowledge.index.lock import index_lock

REGISTER_SUFFIX = "__registry"
LEGACY_FILE = "registry.json"
_ROLE = "scaling-advisor document register"
_PLACEHOLDER: PyEmbedding = [0.0]
"""The one vector every register row carries: Chroma needs an embedding, nothing ever queries this one."""


class UserDocEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: str
    file_name: str
    path: str
    size_bytes: int
    sha256: str
    pages: int | None
    chunks: int
    added_at: datetime


_ENTRIES = TypeAdapter(list[UserDocEntry])


class RegisterFile:
    """The JSON list of entries on local disk; written atomically so a crash never leaves half a file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> list[UserDocEntry]:
        if not self.path.exists():
            return []
        try:
            return _ENTRIES.validate_json(self.path.read_bytes())
        except ValidationError as exc:
            raise ValueError(f"{self.path}: the document registry is damaged ({exc.errors()[0]['msg']})") from exc

    def save(self, entries: list[UserDocEntry]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_suffix(".tmp")
        scratch.write_bytes(_ENTRIES.dump_json(entries, indent=2))
        os.replace(scratch, self.path)


def register_collection_name(config: IndexConfig) -> str:
    return f"{config.collection}{REGISTER_SUFFIX}"


def _metadata(entry: UserDocEntry) -> dict[str, str | int]:
    meta: dict[str, str | int] = {
        "entry": entry.model_dump_json(),
        "doc_id": entry.doc_id,
        "file_name": entry.file_name,
        "size_bytes": entry.size_bytes,
        "sha256": entry.sha256,
        "chunks": entry.chunks,
        "added_at": entry.added_at.isoformat(),
    }
    if entry.pages is not None:
        meta["pages"] = entry.pages
    return meta


class DocRegister:
    """Read and change the register; every call asks Chroma, so it always shows the other replicas' changes.

    Writes are per-entry upserts and deletes keyed by the document id, so two replicas never overwrite each
    other's entries. On one machine the writes and the mirror file are serialised by ``index_lock``, which
    the methods take themselves: never call them while holding it (a second ``flock`` would wait forever).
    """

    def __init__(self, config: IndexConfig, client: ClientAPI | None = None) -> None:
        self.config = config
        self.file = RegisterFile(config.user_docs_dir / LEGACY_FILE)
        self._client = client
        self._ready: Collection | None = None

    def _collection(self) -> Collection:
        if self._ready is not None:
            return self._ready
        if self._client is None:
            self._client = make_client(self.config)
        name = register_collection_name(self.config)
        try:
            collection = self._client.get_collection(name, embedding_function=None)
        except (NotFoundError, ValueError):
            collection = self._client.get_or_create_collection(name, embedding_function=None, metadata={"role": _ROLE})
        if self.config.chroma_url:
            self._merge_local_file(collection)
        elif not (collection.metadata or {}).get("filled"):
            with index_lock(self.config):  # marked only once filled: a crash halfway fills it again next time
                self._upsert(collection, self.file.load())
                collection.modify(metadata={"role": _ROLE, "filled": True})
        self._ready = collection
        return collection

    def _merge_local_file(self, collection: Collection) -> None:
        """Server mode: move an old local register into the shared one, once."""
        if not self.file.exists():
            return
        entries = self.file.load()
        have = set(collection.get(ids=[e.doc_id for e in entries], include=[])["ids"]) if entries else set()
        missing = [entry for entry in entries if entry.doc_id not in have]
        self._upsert(collection, missing)
        moved = self.file.path.with_name(f"{LEGACY_FILE}.migrated")
        os.replace(self.file.path, moved)
        print(
            f"moved {len(missing)} entr{'y' if len(missing) == 1 else 'ies'} of your documents' register from "
            f"{self.file.path} into {self.config.where} (the old file is kept as {moved.name})",
            file=sys.stderr,
        )

    @staticmethod
    def _upsert(collection: Collection, entries: list[UserDocEntry]) -> None:
        if entries:
            collection.upsert(
                ids=[e.doc_id for e in entries],
                embeddings=[_PLACEHOLDER] * len(entries),
                documents=[e.file_name for e in entries],
                metadatas=[_metadata(e) for e in entries],
            )

    def load(self) -> list[UserDocEntry]:
        got = get_all(self._collection(), include=["metadatas"])
        entries = []
        for doc_id, meta in zip(got["ids"], got["metadatas"], strict=True):
            try:
                entries.append(UserDocEntry.model_validate_json(str((meta or {})["entry"])))
            except (KeyError, ValidationError) as exc:
                where = self.config.where
                raise ValueError(f"the document register in {where} has a damaged entry {doc_id!r}") from exc
        return sorted(entries, key=lambda entry: (entry.added_at, entry.doc_id))

    def get(self, doc_id: str) -> UserDocEntry | None:
        got = self._collection().get(ids=[doc_id], include=["metadatas"])
        metas = got["metadatas"] or []
        return UserDocEntry.model_validate_json(str(metas[0]["entry"])) if metas else None

    def put(self, entries: list[UserDocEntry]) -> None:
        if entries:
            collection = self._collection()
            with index_lock(self.config):
                self._upsert(collection, entries)
                self._mirror()

    def delete(self, doc_id: str) -> None:
        collection = self._collection()
        with index_lock(self.config):
            collection.delete(ids=[doc_id])
            self._mirror()

    def _mirror(self) -> None:
        """Embedded mode: keep the local copy that survives a damaged sqlite file (see the module docstring)."""
        if not self.config.chroma_url:
            self.file.save(self.load())
