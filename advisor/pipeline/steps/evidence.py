"""The evidence of one answer: the query plan's searches, with the vectors they need made explicitly."""

from __future__ import annotations

from advisor.answer.gather import CellLookup, EvidenceGatherer
from advisor.answer.offline_composer import OfflineComposer
from advisor.answer.query import QueryBuilder
from advisor.frameworks.models import Frameworks
from advisor.pipeline.protocols import SearchIndex
from advisor.pipeline.schema import Gathered
from advisor.schema import Diagnosis
from knowledge.schema import SearchFilters, SearchHit
from knowledge.vectors import QueryVectorizer


class EvidenceStep:
    """Build the query plan, make its vectors, run its searches and add the frameworks' defining records.

    A situation's section queries and ranking focus texts are the message plus a few framework words: their
    vectors are derived from the message's (``QueryVectorizer`` with the message as anchor) and handed to
    the searches and to the composer; BM25 still reads the words. A factual question searches its own text.
    """

    def __init__(
        self,
        queries: QueryBuilder,
        vectorizer: QueryVectorizer,
        composer: OfflineComposer,
        frameworks: Frameworks | None = None,
        cells: CellLookup | None = None,
    ) -> None:
        self.queries = queries
        self.vectorizer = vectorizer
        self.composer = composer
        self.frameworks = frameworks
        self.cells = cells

    def warm_up(self) -> None:
        self.vectorizer.warm_up()

    def run(
        self,
        question: str,
        diagnosis: Diagnosis | None,
        index: SearchIndex,
        first_hits: list[SearchHit],
        filters: SearchFilters | None = None,
    ) -> Gathered:
        plan = self.queries.build(question, diagnosis, filters)
        focus = self.composer.focus(question, diagnosis) if diagnosis is not None else None
        texts = [spec.text.strip() for spec in plan.specs] + (focus.texts() if focus else [])
        anchor = question if diagnosis is not None else None
        vectors = self.vectorizer.run(texts, anchor=anchor)
        gatherer = EvidenceGatherer(index, cells=self.cells, frameworks=self.frameworks)
        evidence = gatherer.gather(plan, diagnosis, first_hits=first_hits, vectors=vectors)
        return Gathered(evidence=evidence, focus=focus, vectors=vectors)
