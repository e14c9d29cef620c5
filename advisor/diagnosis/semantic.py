"""Find signals by meaning: cosine similarity between each clause and the signals' prototype sentences.

Managers rarely use the papers' words, so a clause such as "the forecasts went haywire" must reach
the ``performance_drop`` signal even when no phrase matches. Prototype vectors are computed once
per process (they only change when signals.yaml does) and shared by every matcher instance.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import ClassVar

import numpy as np

from advisor.diagnosis.hits import SignalHit
from advisor.diagnosis.text import Clause, has_negation, hedge_in
from advisor.rules.models import RuleSet
from advisor.schema import MatchedSpan
from knowledge.embedding import Embedder


class _Prototypes:
    def __init__(self, vectors: np.ndarray, owners: list[tuple[str, bool]]) -> None:
        self.vectors = vectors
        self.owners = owners  # (signal id, is_negated_prototype) per row
        # Built once with the vectors, not per message: (prototype rows, negated prototype rows) per signal.
        self.signal_ids = list(dict.fromkeys(owner for owner, _ in owners))
        self.rows_for = {
            sid: (
                [i for i, (o, neg) in enumerate(owners) if o == sid and not neg],
                [i for i, (o, neg) in enumerate(owners) if o == sid and neg],
            )
            for sid in self.signal_ids
        }


class SemanticMatcher:
    """Returns every clause/signal pair at or above ``floor``; the calibrated threshold is applied later."""

    _prototype_cache: ClassVar[dict[tuple, _Prototypes]] = {}
    _lock = threading.Lock()

    def __init__(self, rules: RuleSet, embedder: Embedder, floor: float = 0.3, cache_size: int = 2048) -> None:
        if not -1.0 <= floor <= 1.0:
            raise ValueError("floor must be a cosine similarity in [-1, 1]")
        self.rules = rules
        self.embedder = embedder
        self.floor = floor
        self._negatable = {s.id: s.negatable for s in rules.signals}
        self._has_negated_prototypes = {s.id: bool(s.negated_prototypes) for s in rules.signals}
        self._clause_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cache_size = cache_size

    def _key(self) -> tuple:
        texts = tuple((s.id, tuple(s.prototypes), tuple(s.negated_prototypes)) for s in self.rules.signals)
        return (str(self.embedder.model_path), self.embedder.name, texts)

    def prototypes(self) -> _Prototypes:
        key = self._key()
        with self._lock:
            cached = self._prototype_cache.get(key)
        if cached is not None:
            return cached
        texts: list[str] = []
        owners: list[tuple[str, bool]] = []
        for signal in self.rules.signals:
            for sentence in signal.prototypes:
                texts.append(sentence)
                owners.append((signal.id, False))
            for sentence in signal.negated_prototypes:
                texts.append(sentence)
                owners.append((signal.id, True))
        built = _Prototypes(self.embedder.embed(texts), owners)
        with self._lock:
            self._prototype_cache[key] = built
        return built

    def warm_up(self) -> None:
        self.prototypes()

    def _embed_clauses(self, texts: list[str]) -> np.ndarray:
        """Embed clauses, reusing recent ones; safe when a server diagnoses from several threads."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        local: dict[str, np.ndarray] = {}
        with self._cache_lock:
            for text in texts:
                if text in self._clause_cache:
                    local[text] = self._clause_cache[text]
        missing = [t for t in dict.fromkeys(texts) if t not in local]
        if missing:
            fresh = dict(zip(missing, self.embedder.embed(missing), strict=True))
            local.update(fresh)
            with self._cache_lock:
                for text, vector in fresh.items():
                    self._clause_cache[text] = vector
                while len(self._clause_cache) > self._cache_size:
                    self._clause_cache.popitem(last=False)
        return np.stack([local[t] for t in texts])

    def match(self, message: str, clauses: list[Clause]) -> list[SignalHit]:
        if not clauses:
            return []
        protos = self.prototypes()
        sims = self._embed_clauses([c.text for c in clauses]) @ protos.vectors.T
        hits: list[SignalHit] = []
        signal_ids, rows_for = protos.signal_ids, protos.rows_for
        for ci, clause in enumerate(clauses):
            hedged = hedge_in(message, clause)
            for sid in signal_ids:
                pos_rows, neg_rows = rows_for[sid]
                pos = float(sims[ci, pos_rows].max()) if pos_rows else -1.0
                neg = float(sims[ci, neg_rows].max()) if neg_rows else -1.0
                best = max(pos, neg)
                if best < self.floor:
                    continue
                if not self._negatable[sid]:
                    negated = False
                elif self._has_negated_prototypes[sid]:
                    negated = neg > pos
                else:
                    negated = has_negation(clause.text)
                hits.append(
                    SignalHit(
                        signal=sid,
                        negated=negated,
                        hedged=hedged,
                        method="semantic",
                        similarity=min(1.0, best),
                        count=None,
                        clause=ci,
                        span=MatchedSpan(text=clause.text, start=clause.start, end=clause.end),
                    )
                )
        return hits
