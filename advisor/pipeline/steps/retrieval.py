"""The first search for the question, and the scope decision that reads it."""

from __future__ import annotations

from advisor.answer.scope import ScopeClassifier, ScopeDecision
from advisor.pipeline.protocols import SearchIndex
from knowledge.schema import SearchFilters, SearchHit, SearchResult


class RetrievalStep:
    """Search the question in the index generation the answer is pinned to."""

    def __init__(self, k: int = 6) -> None:
        if k < 1:
            raise ValueError("k must be at least 1")
        self.k = k

    def warm_up(self) -> None:
        """Nothing to load: the index is warmed by its owner (``PipelineBuilder``)."""

    def run(self, question: str, index: SearchIndex, filters: SearchFilters | None = None) -> SearchResult:
        return index.search(question, k=self.k, filters=filters)


class ScopeStep:
    """Decide whether the sources can answer: in scope, out of scope, or in scope but holding no such fact."""

    def __init__(self, classifier: ScopeClassifier) -> None:
        self.classifier = classifier

    def warm_up(self) -> None:
        self.classifier.warm_up()

    def run(self, question: str, hits: list[SearchHit]) -> ScopeDecision:
        return self.classifier.classify(question, hits)
