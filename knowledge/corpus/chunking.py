"""Packs sentences into passages that the embedding model reads without truncation.

A passage grows sentence by sentence; it is closed before it would pass ``target`` word pieces,
or at a paragraph end once it holds at least ``minimum``.  A sentence that alone exceeds the
hard limit is cut at clause punctuation (never mid-word).  Tables and lists are chunked in
``line`` mode, where every line counts as a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.corpus.cleaning import clean
from knowledge.corpus.layout import LineIndex, Region
from knowledge.corpus.sentences import split_clauses, split_sentences
from knowledge.corpus.tokens import TokenCounter


class Chunker:
    """Turns runs of paragraphs into passage regions sized for all-MiniLM-L6-v2."""

    def __init__(self, counter: TokenCounter, target: int = 200, minimum: int = 120) -> None:
        if not 0 < minimum <= target <= counter.limit:
            raise ValueError(f"need 0 < minimum <= target <= {counter.limit}")
        self.counter = counter
        self.target = target
        self.minimum = minimum

    def _units(self, raw: str, paragraphs: Sequence[Region], line_mode: bool) -> list[tuple[Region, bool]]:
        """Return (unit, ends_paragraph) pairs; over-long units are split at clauses."""
        units: list[tuple[Region, bool]] = []
        index = LineIndex(raw) if line_mode else None
        for para in paragraphs:
            parts = index.lines(para) if index else split_sentences(raw, para)
            for i, part in enumerate(parts):
                pieces = [part]
                if self.counter.count(clean(raw[part.start : part.end])) > self.counter.limit:
                    pieces = split_clauses(raw, part)
                for j, piece in enumerate(pieces):
                    units.append((piece, i == len(parts) - 1 and j == len(pieces) - 1))
        return units

    def chunk(self, raw: str, paragraphs: Sequence[Region], line_mode: bool = False) -> list[Region]:
        """Contiguous passage regions over the paragraphs (which must be in order and adjacent)."""
        chunks: list[Region] = []
        start: int | None = None
        end = 0
        for unit, ends_paragraph in self._units(raw, paragraphs, line_mode):
            if start is not None:
                size = self.counter.count(clean(raw[start : unit.end]))
                if size > self.target:
                    chunks.append(Region(start, end))
                    start = None
            if start is None:
                start = unit.start
            end = unit.end
            if ends_paragraph and self.counter.count(clean(raw[start:end])) >= self.minimum:
                chunks.append(Region(start, end))
                start = None
        if start is not None:
            chunks.append(Region(start, end))
        return chunks
