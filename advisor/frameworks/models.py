"""Typed shape of the three frameworks, so a typo in a YAML file fails at load, not at answer time."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from advisor.schema import Challenge, Component, Isa4Layer, MlbcPhase, Phase, Practice
from knowledge.datafile import Strict


class Element(Strict):
    """Anything a consultant can point at: a name, our short definition, and the records behind it."""

    name: str = Field(min_length=1)
    definition: str = Field(min_length=10)
    records: list[str] = Field(min_length=1, description="Corpus record IDs whose words define the element")


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

    @model_validator(mode="after")
    def _complete(self) -> ImplScalingFramework:
        if sorted(p.id for p in self.phases) != sorted(Phase):
            raise ValueError(f"phases must be exactly {[p.value for p in Phase]}")
        if sorted(c.id for c in self.components) != sorted(Component):
            raise ValueError(f"components must be exactly {[c.value for c in Component]}")
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

    @model_validator(mode="after")
    def _complete(self) -> Isa4Framework:
        if sorted(layer.id for layer in self.layers) != sorted(Isa4Layer):
            raise ValueError(f"layers must be exactly {[x.value for x in Isa4Layer]}")
        if sorted(c.id for c in self.coupling_types) != ["artifact", "normative", "process"]:
            raise ValueError("coupling_types must be exactly artifact, process, normative")
        return self


PracticeGroupId = Literal["fostering_temporal_congruence", "cultivating_organizational_meta_learning"]


class MlbcCycle(Element):
    id: Literal["ml_organization", "ml_technology", "ml_user"]


class MlbcPhaseDef(Strict):
    id: MlbcPhase
    alignment_phase: Literal["reinitiating", "effectuating", "sustaining"]
    alignment_name: str
    definition: str = Field(min_length=10)
    records: list[str] = Field(min_length=1)


class MlbcChallenge(Element):
    id: Challenge
    addressed_by: PracticeGroupId


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

    @model_validator(mode="after")
    def _complete(self) -> MlbcFramework:
        if len(self.cycles) != 3 or len({c.id for c in self.cycles}) != 3:
            raise ValueError("cycles must be the three cycles, each once")
        if sorted(p.id for p in self.phases) != sorted(MlbcPhase):
            raise ValueError(f"phases must be exactly {[x.value for x in MlbcPhase]}")
        if sorted(c.id for c in self.challenges) != sorted(Challenge):
            raise ValueError(f"challenges must be exactly {[x.value for x in Challenge]}")
        if sorted(p.id for p in self.practices) != sorted(Practice):
            raise ValueError(f"practices must be exactly {[x.value for x in Practice]}")
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
