"""The records an answer may draw on, grouped by the answer section they serve.

Composers never search: they receive this bundle, so the offline and LLM composers see the same
evidence and tests can hand in small hand-made bundles.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from advisor.schema import Citation
from knowledge.schema import SearchHit


class Evidence(BaseModel):
    model_config = ConfigDict(frozen=True)

    answer: list[SearchHit]
    definition: list[SearchHit] = []
    # The records that define the next phase's table cells for the diagnosed components, and those
    # defining the recommended practices: the frameworks' own advice, ahead of anything retrieval finds.
    next_step: list[SearchHit] = []
    practice: list[SearchHit] = []
    recommendation: list[SearchHit] = []
    quote: list[SearchHit] = []
    challenge: list[SearchHit] = []

    def all_hits(self) -> list[SearchHit]:
        """Every distinct record, taking turns between sections (the numbering an LLM prompt uses).

        Taking turns means a prompt cut to its first few passages still holds the best match for the
        question itself and the best record of every section.
        """
        seen: dict[str, SearchHit] = {}
        groups = [getattr(self, name) for name in type(self).model_fields]  # in declaration order
        for rank in range(max((len(g) for g in groups), default=0)):
            for group in groups:
                if rank < len(group):
                    seen.setdefault(group[rank].passage_id, group[rank])
        return list(seen.values())


def to_citation(hit: SearchHit, number: int) -> Citation:
    return Citation(
        marker=f"[{number}]",
        passage_id=hit.passage_id,
        kind=hit.kind,
        source=hit.source,
        title=hit.title,
        section=hit.section,
        speaker=hit.speaker,
        role=hit.role,
        company=hit.company,
        text=hit.text,
    )


class PassageList:
    """Numbers records in order of first use, so a draft's [n] always names an entry of ``citations``."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self.citations: list[Citation] = []

    def number(self, hit: SearchHit) -> int:
        if hit.passage_id not in self._numbers:
            self._numbers[hit.passage_id] = len(self.citations) + 1
            self.citations.append(to_citation(hit, len(self.citations) + 1))
        return self._numbers[hit.passage_id]

    def marker(self, *hits: SearchHit) -> str:
        return "".join(f"[{n}]" for n in dict.fromkeys(self.number(h) for h in hits))
