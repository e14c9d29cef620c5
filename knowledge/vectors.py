"""Query vectors made explicit: which vectors one answer searches and ranks with, and how each was made.

A situation answer searches and ranks with a dozen texts that are the user's message plus a few framework
words ("... productionizing data pipeline"). Each is new, as long as the message, and would cost a forward
pass as long as the message's. ``QueryVectorizer.run(texts, anchor=message)`` gives such a text
normalize(v(message) + ``weight`` x v(extra words)) instead: the message's vector is computed once and
the framework words repeat across requests, so both come from the embedder's cache. The result is a
plain value the caller hands to the retriever (``query_vector=``) and the sentence picker; nothing else
sees a derived vector, and derived vectors never enter the shared cache.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from knowledge.embedding import Embedder

ANCHOR_WEIGHT = 0.5
"""Weight of the extra words against the anchor in a derived vector. On the situation and diagnosis eval
messages, normalize(anchor + 0.5 x extra) is closest to the model's own vector of the whole text among
fixed and length-scaled weights (mean cosine 0.96; its dense top-5 shares 78 % with the model's, the best
any mix of the two vectors reaches being 81 %)."""
ANCHOR_MAX_EXTRA_WORDS = 24
"""Longer additions are no longer "a few words": such a text is embedded whole, by the model."""


def _flat(text: str) -> str:
    return " ".join(text.split())


class QueryVectors(BaseModel):
    """Vectors for the texts of one answer, keyed by text (whitespace-normalized).

    ``derived`` names the texts whose vector was made from the anchor's rather than by the model.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    anchor: str | None = None
    vectors: dict[str, np.ndarray] = Field(default_factory=dict)
    derived: frozenset[str] = frozenset()

    def get(self, text: str) -> np.ndarray | None:
        return self.vectors.get(_flat(text))

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and _flat(text) in self.vectors

    def __len__(self) -> int:
        return len(self.vectors)


def extra_words(anchor: str, text: str, max_extra_words: int = ANCHOR_MAX_EXTRA_WORDS) -> str | None:
    """Return the words ``text`` adds before or after the whole ``anchor``, or None when not built that way."""
    flat, anchor = _flat(text), _flat(anchor)
    if flat == anchor:
        return ""
    if flat.startswith(anchor + " "):
        rest = flat[len(anchor) + 1 :]
    elif flat.endswith(" " + anchor):
        rest = flat[: -len(anchor) - 1]
    else:
        return None
    return rest if len(rest.split()) <= max_extra_words else None


class QueryVectorizer:
    """Make the vectors an answer needs in one embedding batch; texts extending ``anchor`` are derived."""

    def __init__(
        self, embedder: Embedder, weight: float = ANCHOR_WEIGHT, max_extra_words: int = ANCHOR_MAX_EXTRA_WORDS
    ) -> None:
        if weight < 0:
            raise ValueError("weight must not be negative")
        if max_extra_words < 0:
            raise ValueError("max_extra_words must not be negative")
        self.embedder = embedder
        self.weight = weight
        self.max_extra_words = max_extra_words

    def warm_up(self) -> None:
        self.embedder.warm_up()

    def run(self, texts: Sequence[str], anchor: str | None = None) -> QueryVectors:
        """Vectors for ``texts``: cached, derived from ``anchor``, or embedded (all misses in one batch)."""
        unique = [t for t in dict.fromkeys(_flat(t) for t in texts) if t]
        if anchor is None or not _flat(anchor):
            plain = self.embedder.embed(unique) if unique else np.zeros((0, 384), dtype=np.float32)
            return QueryVectors(vectors=dict(zip(unique, plain, strict=True)))
        given, anchor = anchor.strip(), _flat(anchor)
        cached = self.embedder.cached(unique)
        extras: dict[str, str] = {}
        for text in unique:
            if text not in cached and text != anchor:
                extra = extra_words(anchor, text, self.max_extra_words)
                if extra is not None:
                    extras[text] = extra
        # The anchor as the caller embedded it before (the question, stripped): served from the cache.
        plain_texts = [given, *(t for t in unique if t not in extras), *(e for e in extras.values() if e)]
        plain_texts = list(dict.fromkeys(plain_texts))
        known = dict(zip(plain_texts, self.embedder.embed(plain_texts), strict=True))
        vectors = {t: known[t] for t in unique if t not in extras}
        base = known[given]
        for text, extra in extras.items():
            mixed = base + self.weight * known[extra] if extra else base.copy()
            vectors[text] = (mixed / np.linalg.norm(mixed)).astype(np.float32)
        return QueryVectors(anchor=anchor, vectors=vectors, derived=frozenset(extras))
