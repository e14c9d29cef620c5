"""Turn fired rules into a Diagnosis: sum evidence per label, pick, and say how sure we are."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from advisor.diagnosis.engine import FiredRule
from advisor.rules.models import (
    ChallengeConclusion,
    ComponentConclusion,
    ComponentPhaseConclusion,
    Isa4Conclusion,
    MlbcConclusion,
    PhaseConclusion,
    PracticeConclusion,
    WeakConclusion,
)
from advisor.schema import Challenge, Component, Isa4Layer, MlbcPhase, Phase, Practice

E = TypeVar("E", bound=StrEnum)
PHASE_LEVEL = {Phase.PROVING_CONCEPT: 1, Phase.PRODUCTIONIZING: 2, Phase.PLATFORMIZING: 3}
# When nothing says where the MLbC cycle stands, the overall phase implies the likely one.
MLBC_FROM_PHASE = {
    Phase.PROVING_CONCEPT: MlbcPhase.DEVELOPMENT,
    Phase.PRODUCTIONIZING: MlbcPhase.OPERATION,
    Phase.PLATFORMIZING: MlbcPhase.OPERATION,
}


class AggregationParams(BaseModel):
    """The knobs calibration may move; defaults are the calibrated values shipped in calibration.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_phase_evidence: float = Field(default=0.8, ge=0)
    component_relative: float = Field(default=0.45, gt=0, le=1)
    component_min: float = Field(default=0.5, ge=0)
    isa4_relative: float = Field(default=0.45, gt=0, le=1)
    isa4_min: float = Field(default=0.6, ge=0)
    challenge_min: float = Field(default=1.0, ge=0)
    practice_min: float = Field(default=0.9, ge=0)
    max_practices: int = Field(default=3, ge=1, le=5)


class Tally(BaseModel):
    """Evidence per label, before any threshold; kept for the readable view and for calibration."""

    model_config = ConfigDict(frozen=True)

    phase: dict[Phase, float]
    component: dict[Component, float]
    component_phase: dict[Component, dict[Phase, float]]
    weak: dict[Component, float]
    mlbc: dict[MlbcPhase, float]
    challenge: dict[Challenge, float]
    practice: dict[Practice, float]
    isa4: dict[Isa4Layer, float]


def tally(fired: Iterable[FiredRule]) -> Tally:
    phase: dict[Phase, float] = defaultdict(float)
    component: dict[Component, float] = defaultdict(float)
    component_phase: dict[Component, dict[Phase, float]] = defaultdict(lambda: defaultdict(float))
    weak: dict[Component, float] = defaultdict(float)
    mlbc: dict[MlbcPhase, float] = defaultdict(float)
    challenge: dict[Challenge, float] = defaultdict(float)
    practice: dict[Practice, float] = defaultdict(float)
    isa4: dict[Isa4Layer, float] = defaultdict(float)
    for rule in fired:
        ev = rule.evidence
        for c in rule.conclusions:
            if isinstance(c, PhaseConclusion):
                phase[c.phase] += ev
            elif isinstance(c, ComponentConclusion):
                component[c.component] += ev
            elif isinstance(c, ComponentPhaseConclusion):
                comp, ph = c.component_phase
                component_phase[comp][ph] += ev
                component[comp] += 0.5 * ev
            elif isinstance(c, WeakConclusion):
                weak[c.weak] += ev
                component[c.weak] += 0.5 * ev
            elif isinstance(c, MlbcConclusion):
                mlbc[c.mlbc_phase] += ev
            elif isinstance(c, ChallengeConclusion):
                challenge[c.challenge] += ev
            elif isinstance(c, PracticeConclusion):
                practice[c.practice] += ev
            elif isinstance(c, Isa4Conclusion):
                isa4[c.isa4] += ev
    return Tally(
        phase=dict(phase),
        component=dict(component),
        component_phase={k: dict(v) for k, v in component_phase.items()},
        weak=dict(weak),
        mlbc=dict(mlbc),
        challenge=dict(challenge),
        practice=dict(practice),
        isa4=dict(isa4),
    )


def _ranked(scores: dict[E, float], order: list[E]) -> list[tuple[E, float]]:
    """Highest first; ties keep the framework's own order so results are deterministic."""
    return sorted(scores.items(), key=lambda kv: (-kv[1], order.index(kv[0])))


def _argmax(scores: dict[E, float], order: list[E]) -> tuple[E | None, float, float]:
    """Return the best label, its share of all evidence, and its raw score."""
    ranked = [kv for kv in _ranked(scores, order) if kv[1] > 0]
    if not ranked:
        return None, 0.0, 0.0
    total = sum(v for _, v in ranked)
    return ranked[0][0], ranked[0][1] / total, ranked[0][1]


def _saturate(score: float, full: float) -> float:
    return max(0.0, min(1.0, score / full))


class Placement(BaseModel):
    """The labels and per-field confidences, before questions are added."""

    model_config = ConfigDict(frozen=True)

    phase: Phase | None
    phase_confidence: float
    component_phases: dict[Component, Phase | None]
    components: list[Component]
    components_confidence: float
    weakest_components: list[Component]
    isa4_layers: list[Isa4Layer]
    isa4_confidence: float
    mlbc_phase: MlbcPhase | None
    mlbc_confidence: float
    challenges: list[Challenge]
    challenges_confidence: float
    practices: list[Practice]
    practices_confidence: float


class Aggregator:
    def __init__(self, params: AggregationParams | None = None) -> None:
        self.params = params or AggregationParams()

    def place(self, t: Tally, params: AggregationParams | None = None) -> Placement:
        p = params or self.params
        phases, comps = list(Phase), list(Component)

        phase, share, score = _argmax(t.phase, phases)
        if score < p.min_phase_evidence:
            phase = None
        phase_conf = share * _saturate(score, 3.0) if phase else 0.0

        component_phases: dict[Component, Phase | None] = {}
        for comp in comps:
            best, _, _ = _argmax(t.component_phase.get(comp, {}), phases)
            component_phases[comp] = best

        ranked = [(c, v) for c, v in _ranked(t.component, comps) if v >= p.component_min]
        top = ranked[0][1] if ranked else 0.0
        components = [c for c, v in ranked if v >= p.component_relative * top][:3]
        comp_conf = _saturate(top, 2.5) if components else 0.0

        weakest = [c for c, v in _ranked(t.weak, comps) if v > 0]
        if phase is not None:
            for comp in comps:
                cp = component_phases[comp]
                if cp is not None and PHASE_LEVEL[cp] < PHASE_LEVEL[phase] and comp not in weakest:
                    weakest.append(comp)

        layers = list(Isa4Layer)
        ranked_layers = [(x, v) for x, v in _ranked(t.isa4, layers) if v >= p.isa4_min]
        top_layer = ranked_layers[0][1] if ranked_layers else 0.0
        isa4 = [x for x, v in ranked_layers if v >= p.isa4_relative * top_layer]
        isa4_conf = _saturate(top_layer, 2.5) if isa4 else 0.0

        mlbc, mlbc_share, mlbc_score = _argmax(t.mlbc, list(MlbcPhase))
        mlbc_conf = mlbc_share * _saturate(mlbc_score, 2.5) if mlbc else 0.0
        if mlbc is None and phase is not None:
            mlbc, mlbc_conf = MLBC_FROM_PHASE[phase], 0.3 * phase_conf

        challenges = [c for c, v in _ranked(t.challenge, list(Challenge)) if v >= p.challenge_min]
        ch_top = max(t.challenge.values(), default=0.0)
        practices = [x for x, v in _ranked(t.practice, list(Practice)) if v >= p.practice_min][: p.max_practices]
        pr_top = max(t.practice.values(), default=0.0)

        return Placement(
            phase=phase,
            phase_confidence=round(phase_conf, 3),
            component_phases=component_phases,
            components=components,
            components_confidence=round(comp_conf, 3),
            weakest_components=weakest,
            isa4_layers=isa4,
            isa4_confidence=round(isa4_conf, 3),
            mlbc_phase=mlbc,
            mlbc_confidence=round(mlbc_conf, 3),
            challenges=challenges,
            challenges_confidence=round(_saturate(ch_top, 2.0), 3),
            practices=practices,
            practices_confidence=round(_saturate(pr_top, 2.0), 3),
        )
