"""The advisor layer's public contract: diagnoses and answers.

Harnesses (CLI ``--json``, the HTTP API, the evals) dump these models as they are, so the field
names and label strings below are part of the product's interface.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from knowledge.schema import RecordKind


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


# The framework labels. A value is the contract string harnesses see; the same ids, with the names a
# manager reads, the definitions and the records behind them, are listed in advisor/frameworks/*.yaml.
# Both must list the same ids in the same order: the frameworks loader refuses a mismatch, naming the
# file and line, and tests/advisor/frameworks/test_labels.py says which side lacks which id.
class Phase(StrEnum):
    """An implementing-and-scaling phase, in level order (advisor/frameworks/impl_scaling.yaml, `phases`)."""

    PROVING_CONCEPT = "proving_concept"
    PRODUCTIONIZING = "productionizing"
    PLATFORMIZING = "platformizing"


class Component(StrEnum):
    """A socio-technical component (advisor/frameworks/impl_scaling.yaml, `components`)."""

    DATA_PIPELINE = "data_pipeline"
    TECHNICAL_INFRASTRUCTURE = "technical_infrastructure"
    AI_MODELS = "ai_models"
    AI_GROWTH_VISION = "ai_growth_vision"
    AI_CAPABILITIES = "ai_capabilities"
    ORGANIZATIONAL_STRUCTURE = "organizational_structure"


class Isa4Layer(StrEnum):
    """An ISA-4 layer (advisor/frameworks/isa4.yaml, `layers`)."""

    DATA_INFRASTRUCTURE = "data_infrastructure"
    MODEL_OPERATIONS = "model_operations"
    GOVERNANCE = "governance"
    ORGANIZATIONAL_ALIGNMENT = "organizational_alignment"


class MlbcPhase(StrEnum):
    """A phase of the ML-based capability cycle (advisor/frameworks/mlbc.yaml, `phases`)."""

    DEVELOPMENT = "development"
    RELEASE = "release"
    OPERATION = "operation"


class Challenge(StrEnum):
    """An MLbC alignment challenge (advisor/frameworks/mlbc.yaml, `challenges`)."""

    TEMPORAL_COMPLEXITY = "temporal_complexity"
    CONTEXT_SENSITIVITY = "context_sensitivity"


class Practice(StrEnum):
    """An MLbC alignment practice (advisor/frameworks/mlbc.yaml, `practices`)."""

    SYNCHRONIZING_EFFORTS = "synchronizing_efforts"
    FORGING_NEW_ROLES = "forging_new_roles"
    MANAGING_EXPECTATIONS = "managing_expectations"
    LEARNING_TO_LEARN = "learning_to_learn"
    EMBRACING_DATA_WORK = "embracing_data_work"


class MatchedSpan(Contract):
    """A piece of the user's own message, so the UI can highlight exactly what a rule read."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class RuleFired(Contract):
    rule_id: str
    conclusion: str
    matched: list[MatchedSpan]


class Confidence(Contract):
    phase: float = Field(ge=0, le=1)
    components: float = Field(ge=0, le=1)
    isa4_layers: float = Field(ge=0, le=1)
    mlbc_phase: float = Field(ge=0, le=1)
    challenges: float = Field(ge=0, le=1)
    practices: float = Field(ge=0, le=1)


class Diagnosis(Contract):
    phase: Phase | None
    component_phases: dict[Component, Phase | None]
    components: list[Component] = Field(max_length=3)
    weakest_components: list[Component]
    isa4_layers: list[Isa4Layer]
    mlbc_phase: MlbcPhase | None
    challenges: list[Challenge]
    practices: list[Practice]
    confidence: Confidence
    rules_fired: list[RuleFired]
    missing_information: list[str]
    clarifying_questions: list[str]


class Scope(StrEnum):
    IN_SCOPE = "in_scope"
    OUT_OF_SCOPE = "out_of_scope"
    UNANSWERABLE = "unanswerable"


class ChatTurn(Contract):
    role: Literal["user", "assistant"]
    content: str


class Citation(Contract):
    """A marker in the answer and the verbatim record behind it."""

    marker: str = Field(pattern=r"^\[\d+\]$")
    passage_id: str
    kind: RecordKind
    source: str
    title: str
    section: str
    speaker: str | None
    role: str | None
    company: str | None
    text: str


class Answer(Contract):
    answer: str
    scope: Scope
    diagnosis: Diagnosis | None
    citations: list[Citation]
    backend: str
    notices: list[str]
