"""Keep the Chroma collection in step with the records, re-embedding only what changed.

Each stored record carries a hash of its content; a run compares hashes, so adding, editing or
removing one record costs one embedding and a no-change run loads no model at all.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from chromadb.api.models.Collection import Collection
from pydantic import BaseModel, ConfigDict
from tqdm import tqdm

from knowledge import corpus
from knowledge.embedding import Embedder
from knowledge.index import codec
from knowledge.index.chroma_store import drop_collection, get_all, make_client, open_collection
from knowledge.index.config import INDEX_SCHEMA_VERSION, IndexConfig
from knowledge.index.journal import RebuildJournal
from knowledge.index.lock import index_lock
from knowledge.index.manifest import Manifest, next_generation
from knowledge.schema import Record, UserDocChunk

_WRITE_BATCH = 256


@dataclass(frozen=True)
class _Plan:
    reason: str | None = None
    rebuild: bool = False
    generation: int = 0


class IngestReport(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    where: str
    added: int
    updated: int
    deleted: int
    unchanged: int
    created: bool
    rebuilt: bool
    reason: str | None
    """Why the index was rebuilt or re-synced (new corpus version, other model, --rebuild)."""
    corpus_version: str
    embedding_model: str
    seconds: float

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.deleted or self.created or self.reason)

    def summary(self) -> str:
        if self.created:
            head = "created"
        elif self.reason:
            head = f"{'rebuilt' if self.rebuilt else 'updated'} ({self.reason})"
        else:
            head = "updated" if self.changed else "up to date"
        return (
            f"index {head}: {self.added} added, {self.updated} updated, {self.deleted} deleted, "
            f"{self.unchanged} unchanged in {self.seconds:.1f} s ({self.where})"
        )


class Ingestor:
    """Writes records into the collection; the only code that changes the index."""

    def __init__(
        self,
        config: IndexConfig,
        embedder: Embedder | None = None,
        *,
        progress: bool = True,
        on_corpus_change: Literal["sync", "rebuild"] = "sync",
    ) -> None:
        if on_corpus_change not in ("sync", "rebuild"):
            raise ValueError("on_corpus_change must be 'sync' or 'rebuild'")
        self.config = config
        self.embedder = embedder or Embedder(config.embedding_model_path)
        self.progress = progress
        self.on_corpus_change = on_corpus_change

    def _expected(self, corpus_version: str, generation: int = 0) -> Manifest:
        return Manifest(
            embedding_model=self.embedder.name,
            corpus_version=corpus_version,
            schema_version=INDEX_SCHEMA_VERSION,
            generation=generation,
        )

    def exists(self) -> bool:
        return open_collection(make_client(self.config), self.config, self.embedder, create=False) is not None

    def pending_reason(self, corpus_version: str) -> str | None:
        """Say why the corpus must be (re)ingested before searching, or ``None`` if the index is usable."""
        collection = open_collection(make_client(self.config), self.config, self.embedder, create=False)
        if collection is None:
            return f"no index yet ({self.config.where})"
        manifest = Manifest.from_metadata(collection.metadata)
        if manifest is None:
            return "the index has no manifest (an interrupted build?)"
        return manifest.mismatch(self._expected(corpus_version))

    def run(
        self,
        records: Sequence[Record] | None = None,
        corpus_version: str | None = None,
        *,
        rebuild: bool = False,
        progress: bool | None = None,
    ) -> IngestReport:
        """Bring the corpus part of the index to ``records`` (default: the curated corpus)."""
        if records is None or corpus_version is None:
            records = corpus.load_records() if records is None else records
            corpus_version = corpus.corpus_version() if corpus_version is None else corpus_version
        _check_corpus_records(records)
        show = self.progress if progress is None else progress
        started = time.perf_counter()
        with index_lock(self.config):
            client = make_client(self.config)
            collection = open_collection(client, self.config, self.embedder, create=False)
            created = collection is None
            plan = _Plan() if collection is None else self._plan(collection, corpus_version, rebuild)
            if plan.reason and show:
                print(f"{'rebuilding' if plan.rebuild else 'updating'} the index: {plan.reason}", file=sys.stderr)
            preserved: list[Record] = []
            journal = RebuildJournal(self.config)  # users' chunks survive a rebuild killed after the drop
            if collection is not None and plan.rebuild:
                preserved = _stored_records(collection, codec.USER)
                journal.save(preserved)
                drop_collection(client, self.config)
                collection = None
            preserved = journal.merged(preserved)
            if collection is None:
                if created and show:
                    print(f"building a new search index: {self.config.where}", file=sys.stderr)
                collection = open_collection(client, self.config, self.embedder, create=True)
                assert collection is not None
            stored = _stored_hashes(collection, codec.CORPUS)
            wanted = {record.id: record for record in records}
            new = [r for rid, r in wanted.items() if rid not in stored]
            changed = [r for rid, r in wanted.items() if rid in stored and stored[rid] != codec.content_hash(r)]
            gone = [rid for rid in stored if rid not in wanted]
            self._write(collection, [*new, *preserved], changed, show)
            if gone:
                collection.delete(ids=gone)
            touched = bool(new or changed or gone or preserved or created or plan.reason)
            expected = self._expected(corpus_version, next_generation(plan.generation) if touched else plan.generation)
            if touched or Manifest.from_metadata(collection.metadata) != expected:
                collection.modify(metadata=expected.to_metadata())
            journal.clear()
        return IngestReport(
            where=self.config.where,
            added=len(new),
            updated=len(changed),
            deleted=len(gone),
            unchanged=len(wanted) - len(new) - len(changed),
            created=created,
            rebuilt=plan.rebuild,
            reason=plan.reason,
            corpus_version=corpus_version,
            embedding_model=self.embedder.name,
            seconds=time.perf_counter() - started,
        )

    def _plan(self, collection: Collection, corpus_version: str, rebuild: bool) -> _Plan:
        """Decide between a full rebuild and a hash-by-hash sync of an existing collection.

        Vectors from another model or metadata layout are useless, so those force a rebuild.
        A new corpus version only means some records changed: by default the hashes find them
        (the version is a fingerprint of records.jsonl, so a full rebuild would re-embed
        hundreds of records for a one-word fix); ``on_corpus_change="rebuild"`` re-embeds all.
        """
        manifest = Manifest.from_metadata(collection.metadata)
        if manifest is None:
            return _Plan(reason="the index has no manifest (an interrupted build?)", rebuild=True)
        expected = self._expected(corpus_version)
        if rebuild:
            return _Plan(reason="rebuild requested", rebuild=True, generation=manifest.generation)
        if reason := manifest.incompatibility(expected):
            return _Plan(reason=reason, rebuild=True, generation=manifest.generation)
        if reason := manifest.corpus_change(expected):
            return _Plan(reason=reason, rebuild=self.on_corpus_change == "rebuild", generation=manifest.generation)
        return _Plan(generation=manifest.generation)

    def add_user_chunks(self, chunks: Sequence[UserDocChunk], *, progress: bool | None = None) -> int:
        """Store users' chunks next to the corpus; the corpus part is never touched here."""
        if not chunks:
            return 0
        show = self.progress if progress is None else progress
        with index_lock(self.config):
            collection = self._require_collection()
            self._write(collection, [], list(chunks), show)
            self._bump(collection)
        return len(chunks)

    def delete_user_doc(self, doc_id: str) -> int:
        with index_lock(self.config):
            collection = self._require_collection()
            found = collection.get(where={"doc_id": doc_id}, include=[])["ids"]
            if found:
                collection.delete(ids=found)
                self._bump(collection)
        return len(found)

    def _require_collection(self) -> Collection:
        collection = open_collection(make_client(self.config), self.config, self.embedder, create=False)
        if collection is None:
            raise RuntimeError(f"no index at {self.config.where}: run `advisor ingest` first")
        return collection

    def _bump(self, collection: Collection) -> None:
        manifest = Manifest.from_metadata(collection.metadata)
        if manifest is not None:
            bumped = manifest.model_copy(update={"generation": next_generation(manifest.generation)})
            collection.modify(metadata=bumped.to_metadata())

    def _write(self, collection: Collection, new: Sequence[Record], changed: Sequence[Record], show: bool) -> None:
        todo = [*new, *changed]
        if not todo:
            return
        with tqdm(total=len(todo), desc="embedding", unit="rec", file=sys.stderr, disable=not show) as bar:
            for start in range(0, len(todo), _WRITE_BATCH):
                batch = todo[start : start + _WRITE_BATCH]
                vectors = self.embedder.embed([codec.embedding_text(r) for r in batch])
                collection.upsert(
                    ids=[r.id for r in batch],
                    embeddings=vectors,
                    documents=[r.text for r in batch],
                    metadatas=[codec.to_metadata(r) for r in batch],
                )
                bar.update(len(batch))


def _check_corpus_records(records: Sequence[Record]) -> None:
    seen: set[str] = set()
    for record in records:
        if isinstance(record, UserDocChunk):
            raise ValueError(f"record {record.id} is a user document chunk; add those with `advisor ingest PATH`")
        if record.id in seen:
            raise ValueError(f"duplicate record id {record.id!r} in the corpus")
        seen.add(record.id)


def _stored_hashes(collection: Collection, namespace: str) -> dict[str, str]:
    got = get_all(collection, include=["metadatas"], where={"namespace": namespace})
    return {rid: str(meta["content_hash"]) for rid, meta in zip(got["ids"], got["metadatas"], strict=True)}


def _stored_records(collection: Collection, namespace: str) -> list[Record]:
    got = get_all(collection, include=["metadatas"], where={"namespace": namespace})
    return [codec.from_metadata(meta) for meta in got["metadatas"]]
