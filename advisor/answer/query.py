"""Build the retrieval queries for one message: plain for a question, aimed per section for a situation.

Managers describe symptoms; the records that help use the frameworks' words. So a situation's queries add
the diagnosed phase, components, practices and challenges in the papers' vocabulary, one query per answer
section, each restricted to the record kinds that section needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from advisor.frameworks.labels import CHALLENGE_WORDS, COMPONENT_WORDS, NEXT_PHASE, PHASE_WORDS, PRACTICE_WORDS
from advisor.schema import Challenge, Component, Diagnosis, Phase, Practice
from knowledge.schema import RecordKind, SearchFilters

E = TypeVar("E", Component, Practice, Challenge)


def framework_words(items: Sequence[E], words: Mapping[E, str], limit: int = 2) -> str:
    """Join the words of a diagnosis' top ``limit`` items in the frameworks' order, not the ranking's.

    The diagnosis' ranking chooses the items; writing them in a fixed order makes the same elements always
    give the same text, so the texts any diagnosis can produce are few enough to embed once, at warm-up
    (``advisor.answer.shapes``), instead of once per new ranking.
    """
    order = list(words)
    return " ".join(words[item] for item in sorted(items[:limit], key=order.index))


Purpose = Literal["answer", "definition", "recommendation", "quote", "challenge"]


class QuerySpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    purpose: Purpose
    text: str = Field(min_length=1)
    k: int = Field(gt=0)
    filters: SearchFilters | None
    widen: bool = Field(default=True, description="Search every kind when the spec's kinds find nothing.")


class QueryPlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    specs: list[QuerySpec]

    def for_purpose(self, purpose: Purpose) -> list[QuerySpec]:
        return [s for s in self.specs if s.purpose == purpose]


def _merge(
    user: SearchFilters | None, kinds: list[RecordKind] | None, tags: list[str] | None = None
) -> SearchFilters | None:
    """Narrow the user's filters to ``kinds`` and ``tags``; the user's own restriction always wins."""
    base = user or SearchFilters()
    update: dict[str, object] = {}
    if kinds:
        narrowed = [k for k in kinds if base.kinds is None or k in base.kinds]
        update["kinds"] = narrowed or base.kinds
    if tags and base.tags is None:
        update["tags"] = tags
    merged = base.model_copy(update=update)
    return None if merged == SearchFilters() else merged


class QueryBuilder:
    def __init__(self, answer_k: int = 6, section_k: int = 5, max_query_words: int = 80) -> None:
        if min(answer_k, section_k, max_query_words) <= 0:
            raise ValueError("k and max_query_words must be positive")
        self.answer_k = answer_k
        self.section_k = section_k
        self.max_query_words = max_query_words

    def _clip(self, text: str) -> str:
        return " ".join(text.split()[: self.max_query_words])

    def build(
        self, message: str, diagnosis: Diagnosis | None = None, filters: SearchFilters | None = None
    ) -> QueryPlan:
        message = self._clip(message)
        if diagnosis is None:
            return QueryPlan(specs=[QuerySpec(purpose="answer", text=message, k=self.answer_k, filters=filters)])
        phase = PHASE_WORDS[diagnosis.phase] if diagnosis.phase else ""
        nxt_phase = NEXT_PHASE[diagnosis.phase] if diagnosis.phase else None
        components = framework_words(diagnosis.components, COMPONENT_WORDS)
        practices = framework_words(diagnosis.practices, PRACTICE_WORDS)
        challenges = framework_words(diagnosis.challenges, CHALLENGE_WORDS)
        nxt = PHASE_WORDS[nxt_phase] if nxt_phase else ""
        component_tags = [f"component:{c.value}" for c in diagnosis.components[:2]]
        phase_tags = [f"phase:{diagnosis.phase.value}"] if diagnosis.phase else []
        next_tags = [f"phase:{nxt_phase.value}"] if nxt_phase else []
        practice_tags = [f"practice:{p.value}" for p in diagnosis.practices]
        challenge_tags = [f"challenge:{c.value}" for c in diagnosis.challenges] or [
            f"challenge:{c.value}" for c in Challenge
        ]
        passages = [RecordKind.PASSAGE]
        proving = diagnosis.phase is Phase.PROVING_CONCEPT
        specs = [
            QuerySpec(purpose="answer", text=message, k=self.answer_k, filters=filters),
            QuerySpec(
                purpose="definition",
                text=self._clip(f"{phase} phase {components} implementing and scaling AI".strip()),
                k=self.section_k,
                filters=_merge(filters, passages, phase_tags + component_tags or None),
            ),
            QuerySpec(
                purpose="recommendation",
                text=self._clip(f"{message} {nxt} {components} {practices}"),
                k=self.section_k,
                filters=_merge(filters, passages, next_tags + component_tags + practice_tags or None),
            ),
            # The playbook is about scaling operations: a firm proving the concept has none to scale, so its next
            # steps come from the papers (and the manager's own documents), never from the playbook's stages.
            QuerySpec(
                purpose="recommendation",
                text=self._clip(f"{message} {components} {practices}"),
                k=4,
                filters=_merge(
                    filters, [RecordKind.USER_DOC] if proving else [RecordKind.PLAYBOOK_STEP, RecordKind.USER_DOC]
                ),
                widen=not proving,
            ),
            QuerySpec(
                purpose="quote",
                text=self._clip(f"{message} {components}"),
                k=self.section_k,
                filters=_merge(filters, [RecordKind.QUOTE]),
            ),
            QuerySpec(
                purpose="challenge",
                text=self._clip(f"{challenges or 'challenge'} {message}"),
                k=4,
                filters=_merge(filters, passages, challenge_tags),
            ),
        ]
        return QueryPlan(specs=specs)
