"""Typed shape of the three frameworks, so a typo in a YAML file fails at load, not at answer time."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, Protocol, TypeVar

from pydantic import Field, field_validator, model_validator

from advisor.schema import Challenge, Component, Isa4Layer, MlbcPhase, Phase, Practice
from knowledge.datafile import Strict


class Element(Strict):
    """Anything a consultant can point at: a name, our short definition, and the records behind it.

    ``name`` is the paper's own name; ``display_name`` is how the chat, the chart and the reports name
    the element where that differs (sentence case). :mod:`advisor.frameworks.labels` reads both.
    """

    name: str = Field(min_length=1)
    display_name: str | None = Field(default=None, min_length=1)
    definition: str = Field(min_length=10)
    records: list[str] = Field(min_length=1, description="Corpus record IDs whose words define the element")

    @property
    def label(self) -> str:
        """Return the name a manager reads: ``display_name`` when given, else ``name``."""
        return self.display_name or self.name


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_HasId)


def same_ids(items: list[T], enum: type[StrEnum]) -> list[T]:
    """Refuse a list whose ids are not exactly the schema enum's values, in the enum's order.

    The ids are the product's contract (``advisor/schema.py``); the display names and definitions live
    here, so the two must list the same labels. The message says which side lacks which id.
    """
    ids, wanted = [str(i.id) for i in items], [m.value for m in enum]
    if ids != wanted:
        lacking, extra = [w for w in wanted if w not in ids], [i for i in ids if i not in wanted]
        detail = f"the file lacks {lacking}" if lacking else f"advisor/schema.py lacks {extra}" if extra else ""
        raise ValueError(
            f"the ids must be advisor/schema.py {enum.__name__}'s, in its order {wanted}; "
            + (detail or f"the file lists {ids}")
        )
    return items


class ImplPhase(Element):
    id: Phase
    level: int = Field(ge=1, le=3)


class ImplComponent(Element):
    id: Component
    kind: Literal["technical", "social"]


class ImplScalingFramework(Strict):
    source_id: str
    title: str
    phases: list[ImplPhase]
    components: list[ImplComponent]

    @field_validator("phases")
    @classmethod
    def _phase_ids(cls, value: list[ImplPhase]) -> list[ImplPhase]:
        return same_ids(value, Phase)

    @field_validator("components")
    @classmethod
    def _component_ids(cls, value: list[ImplComponent]) -> list[ImplComponent]:
        return same_ids(value, Component)

    @model_validator(mode="after")
    def _complete(self) -> ImplScalingFramework:
        if [p.level for p in self.phases] != [1, 2, 3]:
            raise ValueError("phases must be listed in level order 1, 2, 3")
        return self

    def phase(self, phase: Phase) -> ImplPhase:
        return next(p for p in self.phases if p.id == phase)

    def component(self, component: Component) -> ImplComponent:
        return next(c for c in self.components if c.id == component)


class Isa4LayerDef(Element):
    id: Isa4Layer
    stream: Literal["technical", "managerial"]
    basis: str


class CouplingType(Element):
    id: Literal["artifact", "process", "normative"]
    basis: str


class Isa4Framework(Strict):
    source_id: str
    title: str
    layers: list[Isa4LayerDef]
    coupling_types: list[CouplingType]

    @field_validator("layers")
    @classmethod
    def _layer_ids(cls, value: list[Isa4LayerDef]) -> list[Isa4LayerDef]:
        return same_ids(value, Isa4Layer)

    @model_validator(mode="after")
    def _complete(self) -> Isa4Framework:
        if sorted(c.id for c in self.coupling_types) != ["artifact", "normative", "process"]:
            raise ValueError("coupling_types must be exactly artifact, process, normative")
        return self


PracticeGroupId = Literal["fostering_temporal_congruence", "cultivating_organizational_meta_learning"]


class MlbcCycle(Element):
    id: Literal["ml_organization", "ml_technology", "ml_user"]


class MlbcPhaseDef(Element):
    id: MlbcPhase
    alignment_phase: Literal["reinitiating", "effectuating", "sustaining"]
    alignment_name: str


class MlbcChallenge(Element):
    id: Challenge
    addressed_by: PracticeGroupId
    hint: str = Field(min_length=10, description="One plain sentence saying what the challenge means for a manager")


class PracticeGroup(Element):
    id: PracticeGroupId
    addresses: Challenge


class MlbcPractice(Element):
    id: Practice
    group: PracticeGroupId


class MlbcFramework(Strict):
    source_id: str
    title: str
    cycles: list[MlbcCycle]
    phases: list[MlbcPhaseDef]
    challenges: list[MlbcChallenge]
    practice_groups: list[PracticeGroup]
    practices: list[MlbcPractice]

    @field_validator("phases")
    @classmethod
    def _phase_ids(cls, value: list[MlbcPhaseDef]) -> list[MlbcPhaseDef]:
        return same_ids(value, MlbcPhase)

    @field_validator("challenges")
    @classmethod
    def _challenge_ids(cls, value: list[MlbcChallenge]) -> list[MlbcChallenge]:
        return same_ids(value, Challenge)

    @field_validator("practices")
    @classmethod
    def _practice_ids(cls, value: list[MlbcPractice]) -> list[MlbcPractice]:
        return same_ids(value, Practice)

    @model_validator(mode="after")
    def _complete(self) -> MlbcFramework:
        if len(self.cycles) != 3 or len({c.id for c in self.cycles}) != 3:
            raise ValueError("cycles must be the three cycles, each once")
        groups = {g.id: g for g in self.practice_groups}
        for challenge in self.challenges:
            if challenge.addressed_by not in groups or groups[challenge.addressed_by].addresses != challenge.id:
                raise ValueError(f"challenge {challenge.id} and practice group {challenge.addressed_by} disagree")
        return self

    def practices_for(self, challenge: Challenge) -> list[Practice]:
        """Return the practices of the group the paper pairs with this challenge."""
        group = next(c.addressed_by for c in self.challenges if c.id == challenge)
        return [p.id for p in self.practices if p.group == group]


class Frameworks(Strict):
    impl_scaling: ImplScalingFramework
    isa4: Isa4Framework
    mlbc: MlbcFramework

    def record_ids(self) -> dict[str, list[str]]:
        """Every referenced record ID, keyed by the element that references it (for link checks)."""
        out: dict[str, list[str]] = {}
        groups: list[tuple[str, list]] = [
            ("impl_scaling.phase", self.impl_scaling.phases),
            ("impl_scaling.component", self.impl_scaling.components),
            ("isa4.layer", self.isa4.layers),
            ("isa4.coupling", self.isa4.coupling_types),
            ("mlbc.cycle", self.mlbc.cycles),
            ("mlbc.phase", self.mlbc.phases),
            ("mlbc.challenge", self.mlbc.challenges),
            ("mlbc.practice_group", self.mlbc.practice_groups),
            ("mlbc.practice", self.mlbc.practices),
        ]
        for prefix, elements in groups:
            for element in elements:
                out[f"{prefix}:{element.id}"] = list(element.records)
        return out
