"""Grow the corpus ×N with clearly synthetic records, to see how ingest and search scale.

Each synthetic record recombines a few sentences drawn from the real records, so its length, its
vocabulary and its embeddings look like the corpus's own (a random-word record would sit in an empty
corner of the vector space and flatter the search). Nothing about it can pass for a source: the id
starts with ``synthetic:``, the source is ``synthetic``, the only tag is ``synthetic`` and the title
says what it is. Generation is deterministic for a given seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from knowledge.schema import Passage, Record, Span

SYNTHETIC_SOURCE = "synthetic"
SYNTHETIC_TAG = "synthetic"
SYNTHETIC_TITLE = "Synthetic benchmark record (generated, not a source)"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])")


def synthetic_id(number: int) -> str:
    return f"synthetic:passage:{number:07d}"


def is_synthetic(record: Record) -> bool:
    return record.source_id == SYNTHETIC_SOURCE and record.id.startswith("synthetic:")


def _sentences(records: Sequence[Record], min_words: int) -> list[str]:
    pool: list[str] = []
    for record in records:
        for sentence in _SENTENCE_END.split(" ".join(record.text.split())):
            if len(sentence.split()) >= min_words:
                pool.append(sentence)
    return pool


class SyntheticCorpus:
    """Make synthetic records from a base corpus: ``grow(records, 10)`` returns ten times as many records."""

    def __init__(
        self, seed: int = 20261123, sentences_per_record: tuple[int, int] = (2, 4), min_words: int = 4
    ) -> None:
        low, high = sentences_per_record
        if low < 1 or high < low:
            raise ValueError("sentences_per_record must be (low, high) with 1 <= low <= high")
        if min_words < 1:
            raise ValueError("min_words must be at least 1")
        self.seed = seed
        self.sentences_per_record = sentences_per_record
        self.min_words = min_words

    def generate(self, base: Sequence[Record], count: int, repeat_every: int | None = None) -> list[Passage]:
        """Return ``count`` synthetic passages built from sentences of ``base``.

        With ``repeat_every=n``, record ``i`` repeats the text and section of record ``i % n`` (under its
        own id): the first ``n`` records are those of ``generate(base, n)``, so a bigger corpus can reuse
        a smaller one's vectors and its ingest measures storage and indexing rather than embedding.
        """
        if count < 0:
            raise ValueError("count must not be negative")
        if repeat_every is not None and repeat_every < 1:
            raise ValueError("repeat_every must be at least 1")
        if count == 0:
            return []
        pool = _sentences(base, self.min_words)
        if not pool:
            raise ValueError("the base records hold no sentence long enough to recombine")
        rng = random.Random(self.seed)
        low, high = self.sentences_per_record
        distinct = count if repeat_every is None else min(count, repeat_every)
        contents = []
        for number in range(distinct):
            text = " ".join(rng.choice(pool) for _ in range(rng.randint(low, high)))
            contents.append((["Synthetic", f"Block {number // 1000:03d}"], text))
        out = []
        for number in range(count):
            section, text = contents[number % distinct]
            out.append(
                Passage(
                    id=synthetic_id(number),
                    source_id=SYNTHETIC_SOURCE,
                    title=SYNTHETIC_TITLE,
                    authors=["scaling-advisor benchmark generator"],
                    year=None,
                    section=section,
                    text=text,
                    span=Span(start=0, end=len(text), line_start=1, line_end=1),
                    tags=[SYNTHETIC_TAG],
                )
            )
        return out

    def grow(self, base: Sequence[Record], factor: int, repeat_every: int | None = None) -> list[Record]:
        """Return the base records followed by ``(factor - 1) × len(base)`` synthetic ones."""
        if factor < 1:
            raise ValueError("factor must be at least 1")
        return [*base, *self.generate(base, (factor - 1) * len(base), repeat_every)]
