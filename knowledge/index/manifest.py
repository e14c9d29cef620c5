"""What an index was built from, kept in the collection's own metadata.

Living inside the collection (not in a local file) means a ``chroma run`` server shared by
several machines carries its own manifest, and every client sees the same one.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

_PREFIX = "manifest:"


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    embedding_model: str
    corpus_version: str
    schema_version: str
    generation: int = 0
    """Changed on every write (:func:`next_generation`), so an open retriever knows to reload its records and BM25."""

    def to_metadata(self) -> dict[str, Any]:
        return {f"{_PREFIX}{key}": value for key, value in self.model_dump().items()}

    @classmethod
    def from_metadata(cls, metadata: dict[str, Any] | None) -> Manifest | None:
        values = {key[len(_PREFIX) :]: value for key, value in (metadata or {}).items() if key.startswith(_PREFIX)}
        if not values:
            return None
        try:
            return cls.model_validate(values)
        except ValidationError:
            return None

    def incompatibility(self, expected: Manifest) -> str | None:
        """Explain why vectors built under ``self`` cannot serve ``expected`` (a rebuild is needed)."""
        return self._compare(
            expected, (("schema_version", "index schema version"), ("embedding_model", "embedding model"))
        )

    def corpus_change(self, expected: Manifest) -> str | None:
        return self._compare(expected, (("corpus_version", "corpus version"),))

    def mismatch(self, expected: Manifest) -> str | None:
        """Explain why the index does not match ``expected`` at all; ``None`` if it does."""
        return self.incompatibility(expected) or self.corpus_change(expected)

    def _compare(self, expected: Manifest, fields: tuple[tuple[str, str], ...]) -> str | None:
        for field, label in fields:
            have, want = getattr(self, field), getattr(expected, field)
            if have != want:
                return f"{label} changed: index has {have!r}, now {want!r}"
        return None


def next_generation(current: int) -> int:
    """Return the generation to write after a change: new even when two replicas bump the same one at once.

    The bump is a read-modify-write of the collection's metadata, which a Chroma server does not lock: with
    ``current + 1`` two replicas adding documents at the same moment could both write the same number, and
    a third replica that had loaded the first write would never see the second. A clock reading in
    nanoseconds plus a random tail makes such a collision practically impossible, and the value still grows
    with every bump (readers only compare it for equality).
    """
    return max(current, time.time_ns()) + 1 + secrets.randbelow(1 << 16)
