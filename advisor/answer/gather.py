"""Collect the evidence for one answer: framework records first, then what retrieval finds.

The frameworks and the rebuilt scaling table name the records that *define* a phase, a component,
a practice or a challenge; those are the most faithful support for "where you stand" and "what to do
next", so they lead each section, and retrieval fills in what matches the manager's own words.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from advisor.answer.evidence import Evidence
from advisor.answer.query import NEXT_PHASE, QueryPlan
from advisor.frameworks.models import Frameworks
from advisor.schema import Component, Diagnosis, Phase
from knowledge.index.codec import matches, to_hit
from knowledge.index.retriever import SearchIndex
from knowledge.schema import SearchFilters, SearchHit
from knowledge.vectors import QueryVectors

log = logging.getLogger(__name__)


CellLookup = Callable[[Component, Phase], list[str]]


def scaling_table_cells() -> CellLookup:
    """Map (component, phase) to the record IDs the rebuilt scaling table gives for that cell."""
    from knowledge.corpus import load_scaling_table

    table = load_scaling_table()

    def lookup(component: Component, phase: Phase) -> list[str]:
        try:
            return list(table.cell(phase.value, component.value).supporting_records)
        except KeyError:
            return []

    return lookup


class EvidenceGatherer:
    def __init__(
        self, retriever: SearchIndex, cells: CellLookup | None = None, frameworks: Frameworks | None = None
    ) -> None:
        self.retriever = retriever
        self.cells = cells
        self.frameworks = frameworks

    def _records(self, ids: Iterable[str], allowed: SearchFilters | None) -> list[SearchHit]:
        hits = []
        for record_id in dict.fromkeys(ids):
            try:
                record = self.retriever.get_record(record_id)
            except KeyError:
                log.warning("framework or table names record %s, which the index does not hold", record_id)
                continue
            if not matches(record, allowed):
                continue
            hits.append(to_hit(record, 1.0))
        return hits

    def _search(
        self, text: str, k: int, filters: SearchFilters | None, vectors: QueryVectors | None, widen: bool = True
    ) -> list[SearchHit]:
        vector = vectors.get(text) if vectors is not None else None
        hits = self.retriever.search(text, k=k, filters=filters, query_vector=vector).hits
        if not hits and widen and filters is not None and filters.kinds:
            # A kind restriction that finds nothing (e.g. no quotes on a topic) must not empty the section.
            unkinded = filters.model_copy(update={"kinds": None})
            hits = self.retriever.search(text, k=k, filters=unkinded, query_vector=vector).hits
        return hits

    def gather(
        self,
        plan: QueryPlan,
        diagnosis: Diagnosis | None = None,
        first_hits: list[SearchHit] | None = None,
        vectors: QueryVectors | None = None,
    ) -> Evidence:
        """Run the plan's searches and add the framework's own records for the diagnosis.

        ``vectors`` hold the dense vectors of the plan's texts when the caller made them.
        """
        groups: dict[str, list[SearchHit]] = {}
        for spec in plan.specs:
            if spec.purpose == "answer" and first_hits is not None:
                found = first_hits
            else:
                found = self._search(spec.text, spec.k, spec.filters, vectors, spec.widen)
            groups.setdefault(spec.purpose, []).extend(found)
        if diagnosis is not None:
            framework = self._framework_hits(diagnosis, plan)
            for purpose, hits in framework.items():
                groups[purpose] = hits + groups.get(purpose, [])
        return Evidence(**{purpose: _dedupe(hits) for purpose, hits in groups.items()})

    def _framework_hits(self, d: Diagnosis, plan: QueryPlan) -> dict[str, list[SearchHit]]:
        user_filters = plan.specs[0].filters
        definition_ids: list[str] = []
        next_step_ids: list[str] = []
        practice_ids: list[str] = []
        challenge_ids: list[str] = []
        fw = self.frameworks
        if fw is not None:
            impl = fw.impl_scaling
            if d.phase:
                definition_ids += impl.phase(d.phase).records
                if not d.components:
                    # Nothing narrows the advice to a component: the next phase's own records say what to set up.
                    next_step_ids += impl.phase(NEXT_PHASE[d.phase]).records
            for component in d.components[:2]:
                definition_ids += impl.component(component).records
            for practice in d.practices:
                practice_ids += next((p.records for p in fw.mlbc.practices if p.id == practice), [])
            for challenge in d.challenges:
                challenge_ids += next((c.records for c in fw.mlbc.challenges if c.id == challenge), [])
        if self.cells is not None and d.phase:
            for component in d.components[:2]:
                definition_ids += self.cells(component, d.phase)
                next_step_ids += self.cells(component, NEXT_PHASE[d.phase])
        return {
            "definition": self._records(definition_ids, user_filters),
            "next_step": self._records(next_step_ids, user_filters),
            "practice": self._records(practice_ids, user_filters),
            "challenge": self._records(challenge_ids, user_filters),
        }


def _dedupe(hits: list[SearchHit]) -> list[SearchHit]:
    seen: dict[str, SearchHit] = {}
    for hit in hits:
        seen.setdefault(hit.passage_id, hit)
    return list(seen.values())
