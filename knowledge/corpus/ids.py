"""Readable record IDs that stay put when unrelated text changes.

IDs number records within their own section (passages), speaker (quotes) or phase (steps), so
an edit elsewhere never renumbers them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

ID_RE = re.compile(r"^[a-z0-9_.:-]+$")
_LEVEL_RE = re.compile(r"\bLevel \d+\.\s*", re.IGNORECASE)


def slugify(text: str, max_words: int = 8) -> str:
    """Lower-case ASCII words joined by hyphens; section numbers keep their digits (4.2.1 -> 4-2-1)."""
    text = _LEVEL_RE.sub("", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:max_words]) or "untitled"


class IdAllocator:
    """Hands out ``source:kind:key:NN`` with NN counting up per (kind, key)."""

    def __init__(self, source_id: str) -> None:
        self.source_id = source_id
        self._counts: dict[tuple[str, str], int] = defaultdict(int)

    def next(self, kind: str, key: str) -> str:
        self._counts[(kind, key)] += 1
        record_id = f"{self.source_id}:{kind}:{key}:{self._counts[(kind, key)]:02d}"
        if not ID_RE.match(record_id):
            raise ValueError(f"record id {record_id!r} does not match {ID_RE.pattern}")
        return record_id
