"""Signal detection: lexical patterns first, sentence embeddings for what the patterns miss."""

from __future__ import annotations

from advisor.diagnosis.hits import SignalHit, SignalReport
from advisor.diagnosis.lexical import LexicalMatcher
from advisor.diagnosis.semantic import SemanticMatcher
from advisor.diagnosis.text import Segmenter
from advisor.rules.models import RuleSet
from knowledge.embedding import Embedder


class SignalDetector:
    """Combines both matchers; a semantic hit is dropped where a lexical hit already explains the clause.

    ``use_embeddings=False`` gives a purely lexical detector (used by tests and as an ablation).
    """

    def __init__(
        self,
        rules: RuleSet,
        embedder: Embedder | None = None,
        use_embeddings: bool = True,
        floor: float = 0.2,
    ) -> None:
        self.rules = rules
        self.floor = floor
        self.segmenter = Segmenter()
        self.lexical = LexicalMatcher(rules)
        self.semantic = SemanticMatcher(rules, embedder or Embedder(), floor=floor) if use_embeddings else None

    def warm_up(self) -> None:
        if self.semantic is not None:
            self.semantic.warm_up()

    def embedded_texts(self, message: str) -> list[str]:
        """Return the clauses ``detect`` will embed (none without the semantic matcher), to batch them early."""
        return [c.text for c in self.segmenter.clauses(message)] if self.semantic is not None else []

    def _exclusive(self, hits: list[SignalHit]) -> list[SignalHit]:
        """Drop a semantic hit where a signal it excludes explains the same clause better."""
        excludes = {s.id: set(s.excludes) for s in self.rules.signals if s.excludes}
        if not excludes:
            return hits

        def beaten(h: SignalHit) -> bool:
            rivals = excludes.get(h.signal)
            if h.method != "semantic" or not rivals:
                return False
            return any(
                o.signal in rivals and o.clause == h.clause and (o.method == "lexical" or o.similarity > h.similarity)
                for o in hits
            )

        return [h for h in hits if not beaten(h)]

    def detect(self, message: str) -> SignalReport:
        clauses = self.segmenter.clauses(message)
        lexical = self.lexical.match(message, clauses)
        hits: list[SignalHit] = list(lexical)
        if self.semantic is not None:
            explained = {(h.signal, h.clause) for h in lexical}
            hits.extend(h for h in self.semantic.match(message, clauses) if (h.signal, h.clause) not in explained)
        hits = self._exclusive(hits)
        hits.sort(key=lambda h: (h.span.start, h.signal))
        return SignalReport(message=message, clause_count=len(clauses), hits=hits)
