"""Plain-language names for the framework labels, shared by the chat, the chart and the report.

Managers read these, not the snake_case contract strings, so every view takes its wording from here.
"""

from __future__ import annotations

from advisor.schema import Challenge, Component, Isa4Layer, MlbcPhase, Phase, Practice
from knowledge.schema import RecordKind

PHASE_ORDER: list[Phase] = [Phase.PROVING_CONCEPT, Phase.PRODUCTIONIZING, Phase.PLATFORMIZING]
COMPONENT_ORDER: list[Component] = list(Component)

PHASE_NAMES: dict[Phase, str] = {
    Phase.PROVING_CONCEPT: "Proving the concept",
    Phase.PRODUCTIONIZING: "Productionizing",
    Phase.PLATFORMIZING: "Platformizing",
}
COMPONENT_NAMES: dict[Component, str] = {
    Component.DATA_PIPELINE: "Data pipeline",
    Component.TECHNICAL_INFRASTRUCTURE: "Technical infrastructure",
    Component.AI_MODELS: "AI models",
    Component.AI_GROWTH_VISION: "AI growth vision",
    Component.AI_CAPABILITIES: "AI capabilities",
    Component.ORGANIZATIONAL_STRUCTURE: "Organizational structure",
}
ISA4_NAMES: dict[Isa4Layer, str] = {
    Isa4Layer.DATA_INFRASTRUCTURE: "Data infrastructure",
    Isa4Layer.MODEL_OPERATIONS: "Model operations",
    Isa4Layer.GOVERNANCE: "Governance",
    Isa4Layer.ORGANIZATIONAL_ALIGNMENT: "Organizational alignment",
}
MLBC_NAMES: dict[MlbcPhase, str] = {
    MlbcPhase.DEVELOPMENT: "Development",
    MlbcPhase.RELEASE: "Release",
    MlbcPhase.OPERATION: "Operation",
}
CHALLENGE_NAMES: dict[Challenge, str] = {
    Challenge.TEMPORAL_COMPLEXITY: "Temporal complexity",
    Challenge.CONTEXT_SENSITIVITY: "Context sensitivity",
}
CHALLENGE_HINTS: dict[Challenge, str] = {
    Challenge.TEMPORAL_COMPLEXITY: "Models, data and the business change at different speeds and drift apart.",
    Challenge.CONTEXT_SENSITIVITY: "What works in one setting does not carry over unchanged to the next.",
}
PRACTICE_NAMES: dict[Practice, str] = {
    Practice.SYNCHRONIZING_EFFORTS: "Synchronizing efforts",
    Practice.FORGING_NEW_ROLES: "Forging new roles",
    Practice.MANAGING_EXPECTATIONS: "Managing expectations",
    Practice.LEARNING_TO_LEARN: "Learning to learn",
    Practice.EMBRACING_DATA_WORK: "Embracing data work",
}
KIND_NAMES: dict[RecordKind, str] = {
    RecordKind.PASSAGE: "Research paper",
    RecordKind.QUOTE: "Practitioner quote",
    RecordKind.PLAYBOOK_STEP: "Playbook step",
    RecordKind.USER_DOC: "Your document",
}


def phase_name(phase: Phase | None) -> str:
    return PHASE_NAMES[phase] if phase is not None else "Not enough information"
