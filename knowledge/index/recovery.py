"""Recovery: :func:`rebuild_index` is ``advisor ingest`` (and ``--rebuild``), in the one order that loses nothing.

1. **The store.** A damaged sqlite file (:func:`~knowledge.index.integrity.sqlite_problem`) is refused
   with :class:`~knowledge.index.integrity.IndexDamagedError`, or, when a rebuild was asked for, moved
   aside (kept for inspection, :func:`quarantine_damaged_store`) so the rebuild starts clean.
2. **The corpus.** :class:`~knowledge.index.ingest.Ingestor` syncs or re-embeds it; users' chunks still
   in the index survive through the rebuild journal (:mod:`knowledge.index.journal`).
3. **Users' documents.** Registered documents whose chunks are gone (a store moved aside takes them with
   it) are re-added from their files (:func:`restore_user_docs`).

The CLI prints the report; nothing else needs to know the order.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from knowledge.embedding import Embedder
from knowledge.index import codec
from knowledge.index.chroma_store import get_all, make_client, open_collection
from knowledge.index.config import IndexConfig
from knowledge.index.ingest import Ingestor, IngestReport
from knowledge.index.integrity import IndexDamagedError, sqlite_problem
from knowledge.index.user_doc_loader import UserDocError, UserDocLoader
from knowledge.index.user_doc_registry import DocRegister


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


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


class RebuildReport(BaseModel):
    """What :func:`rebuild_index` did, step by step."""

    model_config = ConfigDict(frozen=True)

    moved_aside: Path | None
    """Where a damaged store was moved (step 1); ``None`` when the store was sound."""
    ingest: IngestReport
    restore: RestoreReport

    def lines(self) -> list[str]:
        """Return what ``advisor ingest`` prints on stdout: the ingest summary, then each re-added document."""
        return [self.ingest.summary(), *self.restore.lines()]


def quarantine_damaged_store(config: IndexConfig) -> Path | None:
    """Move a damaged embedded index aside (kept for inspection) so a rebuild starts clean; return where."""
    if sqlite_problem(config) is None:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = config.index_dir.with_name(f"{config.index_dir.name}.damaged-{stamp}")
    shutil.move(str(config.index_dir), str(target))
    return target


def restore_user_docs(config: IndexConfig, embedder: Embedder) -> RestoreReport:
    """Re-add registered documents whose chunks are missing from the index (after a damaged store was replaced)."""
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


def rebuild_index(
    config: IndexConfig,
    embedder: Embedder | None = None,
    *,
    rebuild: bool = False,
    progress: bool = True,
    echo: Callable[[str], None] = _to_stderr,
) -> RebuildReport:
    """Bring the index to the curated corpus and back to every registered document, recovering on the way.

    Without ``rebuild`` only changed records are re-embedded and a damaged store raises
    :class:`IndexDamagedError` untouched; with it the corpus is re-embedded whole and a damaged store is
    moved aside first (``echo`` says so). Progress goes to stderr when ``progress`` is set.
    """
    reason = sqlite_problem(config)
    moved = None
    if reason is not None:
        if not rebuild:
            raise IndexDamagedError(config.where, reason)
        moved = quarantine_damaged_store(config)
        echo(f"the index was damaged ({reason}); moved it aside to {moved} and rebuilding from scratch")
    ingestor = Ingestor(config, embedder, progress=progress)
    report = ingestor.run(rebuild=rebuild)
    return RebuildReport(moved_aside=moved, ingest=report, restore=restore_user_docs(config, ingestor.embedder))
