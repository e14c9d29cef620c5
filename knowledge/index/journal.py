"""The rebuild journal: users' chunks saved to a file while a rebuild has the collection dropped.

Chroma has no transaction spanning "drop the collection" and "write it again"; the journal bridges that
gap. :class:`~knowledge.index.ingest.Ingestor` writes it before the drop and removes it only after the
rebuilt collection carries its manifest, so a rebuild killed halfway loses no user chunk: the next run
finds the journal and writes its chunks back.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from pydantic import ValidationError

from knowledge.index.config import IndexConfig
from knowledge.schema import Record, UserDocChunk


class RebuildJournal:
    """Users' chunks written to a file before a rebuild drops the collection, so a killed rebuild loses none."""

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
