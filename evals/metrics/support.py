"""The support test behind citation precision and recall: do the cited texts back a sentence.

Overlap test (the default, deterministic and cheap): the sentence's content words (stopwords removed,
crudely stemmed, markers stripped) are looked up in the cited texts; the sentence is supported when the
share found, its *coverage*, is at least ``threshold`` (0.6 by default) and every figure it states also
appears in the cited texts. A copied or lightly trimmed sentence scores ~1.0; a sentence that adds claims
of its own falls below the threshold.

Embedding test (optional, for paraphrasing LLM backends): the sentence is also supported when its
coverage is at least ``min_coverage`` and its cosine similarity to the closest sentence of the cited texts
(all-MiniLM-L6-v2, normalized) reaches ``min_similarity``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from evals.metrics.text import content_terms, figures, split_sentences, strip_markers


class SupportTest(Protocol):
    def supports(self, sentence: str, texts: Sequence[str]) -> bool: ...


def coverage(sentence: str, texts: Sequence[str]) -> float:
    terms = content_terms(sentence)
    if not terms:
        return 0.0
    available: set[str] = set()
    for text in texts:
        available |= content_terms(text)
    return len(terms & available) / len(terms)


def figures_backed(sentence: str, texts: Sequence[str]) -> bool:
    stated = figures(sentence)
    if not stated:
        return True
    available: set[str] = set()
    for text in texts:
        available |= figures(text)
    return stated <= available


class OverlapSupport:
    def __init__(self, threshold: float = 0.6) -> None:
        if not 0 < threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold

    def supports(self, sentence: str, texts: Sequence[str]) -> bool:
        if not texts:
            return False
        return figures_backed(sentence, texts) and coverage(sentence, texts) >= self.threshold


Encoder = Callable[[list[str]], Sequence[Sequence[float]]]


class EmbeddingSupport:
    """Overlap, or meaning plus a floor of shared words; ``encode`` returns unit-length vectors."""

    def __init__(
        self, encode: Encoder, threshold: float = 0.6, min_coverage: float = 0.3, min_similarity: float = 0.6
    ) -> None:
        if not 0 < min_coverage <= threshold <= 1 or not 0 < min_similarity <= 1:
            raise ValueError("need 0 < min_coverage <= threshold <= 1 and 0 < min_similarity <= 1")
        self.overlap = OverlapSupport(threshold)
        self.encode = encode
        self.min_coverage = min_coverage
        self.min_similarity = min_similarity

    def supports(self, sentence: str, texts: Sequence[str]) -> bool:
        if self.overlap.supports(sentence, texts):
            return True
        if not texts or not figures_backed(sentence, texts) or coverage(sentence, texts) < self.min_coverage:
            return False
        candidates = [s for text in texts for s in split_sentences(text)] or list(texts)
        vectors = self.encode([strip_markers(sentence), *candidates])
        head, rest = vectors[0], vectors[1:]
        best = max(sum(a * b for a, b in zip(head, v, strict=True)) for v in rest)
        return best >= self.min_similarity
