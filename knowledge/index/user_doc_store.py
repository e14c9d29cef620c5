"""Users' own documents: add a batch, list them, remove one; the register lives in Chroma (``user_doc_registry.py``).

A batch is parsed completely before anything is written, and bad files are reported, not
raised, so the good files still go in and nothing already in the index changes.

Users' chunks join the corpus in one collection, so the first document added to a missing index
builds the corpus part first. How is the caller's choice, handed in as ``ensure_index`` (the CLI hands
in :func:`knowledge.index.ensure.ensure_index`, which also checks the index's health); by default the
:class:`~knowledge.index.ingest.Ingestor` builds it (:func:`build_corpus`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from knowledge.embedding import Embedder
from knowledge.index.config import IndexConfig
from knowledge.index.ingest import Ingestor
from knowledge.index.user_doc_loader import SUPPORTED_SUFFIXES, UserDocError, UserDocLoader
from knowledge.index.user_doc_registry import DocRegister, UserDocEntry
from knowledge.schema import UserDocChunk


class UserDocFailure(BaseModel):
    model_config = ConfigDict(frozen=True)

    file: str
    reason: str

    def line(self) -> str:
        return f"{self.file}: {self.reason}"


class UserDocBatchReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    added: list[UserDocEntry]
    already_present: list[UserDocEntry]
    failed: list[UserDocFailure]
    seconds: float


class EnsureIndex(Protocol):
    """Make sure the corpus part of the index exists before users' chunks are added to it."""

    def __call__(self, config: IndexConfig, embedder: Embedder, *, progress: bool) -> object: ...


def build_corpus(config: IndexConfig, embedder: Embedder, *, progress: bool) -> None:
    """Build the corpus part of a missing index, its summary on stderr: the default :class:`EnsureIndex`."""
    report = Ingestor(config, embedder, progress=progress).run()
    if progress:
        print(report.summary(), file=sys.stderr)


class UnknownDocError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown document"


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Replace each folder by the supported files inside it (recursively); keep files as given."""
    expanded: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            expanded.extend(sorted(found))
        else:
            expanded.append(path)
    return expanded


class UserDocStore:
    def __init__(
        self,
        config: IndexConfig,
        embedder: Embedder | None = None,
        *,
        progress: bool = True,
        ensure_index: EnsureIndex = build_corpus,
    ) -> None:
        self.config = config
        self.embedder = embedder or Embedder(config.embedding_model_path)
        self.progress = progress
        self.ensure_index = ensure_index
        self.registry = DocRegister(config)

    def _count_word_pieces(self, text: str) -> int:
        return len(self.embedder.tokenizer().tokenize(text))

    def add(self, paths: Iterable[Path], *, progress: bool | None = None) -> UserDocBatchReport:
        """Add every readable file; report each unreadable one with its reason instead of raising."""
        show = self.progress if progress is None else progress
        started = time.perf_counter()
        loader = UserDocLoader(self.config.max_upload_bytes, self._count_word_pieces)
        known = {entry.doc_id: entry for entry in self.registry.load()}
        added: list[UserDocEntry] = []
        present: list[UserDocEntry] = []
        failed: list[UserDocFailure] = []
        chunks: list[UserDocChunk] = []
        for path in expand_paths(paths):
            try:
                doc = loader.load(path)
            except UserDocError as exc:
                failed.append(UserDocFailure(file=exc.file_name, reason=exc.reason))
                if show:
                    print(f"skipped {exc}", file=sys.stderr)
                continue
            if doc.doc_id in known or any(entry.doc_id == doc.doc_id for entry in added):
                present.append(known.get(doc.doc_id) or next(e for e in added if e.doc_id == doc.doc_id))
                continue
            chunks.extend(doc.chunks)
            added.append(
                UserDocEntry(
                    doc_id=doc.doc_id,
                    file_name=doc.file_name,
                    path=doc.path,
                    size_bytes=doc.size_bytes,
                    sha256=doc.sha256,
                    pages=doc.pages,
                    chunks=len(doc.chunks),
                    added_at=datetime.now(UTC),
                )
            )
        if chunks:
            ingestor = Ingestor(self.config, self.embedder, progress=show)
            if not ingestor.exists():  # build the corpus part first; a stale one is left for `advisor ingest`
                self.ensure_index(self.config, self.embedder, progress=show)
            ingestor.add_user_chunks(chunks)
            self.registry.put(added)
        return UserDocBatchReport(
            added=added, already_present=present, failed=failed, seconds=time.perf_counter() - started
        )

    def list(self) -> list[UserDocEntry]:
        """Every added document, oldest first, as the shared register holds it now."""
        return self.registry.load()

    def remove(self, doc_id: str) -> UserDocEntry | None:
        """Delete a document's chunks and its register entry; ``None`` if it was only in the index."""
        entry = self.registry.get(doc_id)
        removed_chunks = Ingestor(self.config, self.embedder, progress=False).delete_user_doc(doc_id)
        if entry is None and not removed_chunks:
            raise UnknownDocError(f"no user document with id {doc_id!r} (see `advisor docs list`)")
        if entry is not None:
            self.registry.delete(doc_id)
        return entry
