"""Rank the sentences of retrieved records against a query, for the offline composer.

Whole records are too long to quote in an answer; the best one or two sentences of each, verbatim,
make the answer readable while every word stays traceable to its record.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from pydantic import BaseModel, ConfigDict

from advisor.answer.guard import InjectionGuard
from advisor.answer.text import content_terms, split_sentences, words
from knowledge.embedding import Embedder
from knowledge.schema import SearchHit


class ScoredSentence(BaseModel):
    model_config = ConfigDict(frozen=True)

    hit: SearchHit
    sentence: str
    score: float


class SentencePicker:
    """Score = cosine(query, sentence) + ``lexical_weight`` x share of the query's content words it holds."""

    def __init__(
        self,
        embedder: Embedder,
        lexical_weight: float = 0.2,
        min_words: int = 6,
        max_words: int = 60,
        guard: InjectionGuard | None = None,
    ) -> None:
        if min_words < 1 or max_words < min_words:
            raise ValueError("need 1 <= min_words <= max_words")
        self.embedder = embedder
        self.lexical_weight = lexical_weight
        self.min_words = min_words
        self.max_words = max_words
        self.guard = guard or InjectionGuard()
        self._cache: dict[str, np.ndarray] = {}

    def _vectors(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            for text, vector in zip(missing, self.embedder.embed(missing), strict=True):
                self._cache[text] = vector
        return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)

    def candidates(self, hit: SearchHit) -> list[str]:
        """Quotable sentences of a record: whole, not too short or long, and giving no orders to the advisor."""
        out = []
        for sentence in _sentences(hit.text):
            n = len(words(sentence))
            if self.min_words <= n <= self.max_words and not self.guard.is_instruction(sentence):
                out.append(sentence)
        whole = hit.text.strip()
        if not out and whole and len(words(whole)) <= self.max_words and not self.guard.is_instruction(whole):
            out.append(" ".join(hit.text.split()))
        return out

    def rank(self, query: str, hits: list[SearchHit], per_hit: int = 1) -> list[ScoredSentence]:
        pairs = [(hit, s) for hit in hits for s in self.candidates(hit)]
        if not pairs:
            return []
        vectors = self._vectors([query] + [s for _, s in pairs])
        sims = vectors[1:] @ vectors[0]
        asked = content_terms(query)
        scored = []
        for (hit, sentence), sim in zip(pairs, sims, strict=True):
            overlap = len(asked & content_terms(sentence)) / len(asked) if asked else 0.0
            scored.append(ScoredSentence(hit=hit, sentence=sentence, score=float(sim) + self.lexical_weight * overlap))
        scored.sort(key=lambda s: s.score, reverse=True)
        taken: dict[str, int] = {}
        out = []
        for item in scored:
            if taken.get(item.hit.passage_id, 0) < per_hit:
                taken[item.hit.passage_id] = taken.get(item.hit.passage_id, 0) + 1
                out.append(item)
        return out

    def best(self, query: str, hit: SearchHit) -> ScoredSentence | None:
        ranked = self.rank(query, [hit])
        return ranked[0] if ranked else None


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(split_sentences(text))
