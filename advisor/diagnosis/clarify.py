"""Ask instead of guess: pick one or two targeted questions for the fields we are unsure about."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.diagnosis.aggregate import Placement
from knowledge.datafile import load_yaml_model

CLARIFY_FILE = Path(__file__).with_name("clarify.yaml")
MAX_QUESTIONS = 2


class ClarifyingQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    field: Literal["phase", "components", "mlbc_phase"]
    below: float = Field(ge=0, le=1)
    priority: int = Field(ge=1)
    missing: str = Field(min_length=5)
    question: str = Field(min_length=5)


class ClarifyFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    questions: list[ClarifyingQuestion] = Field(min_length=1)


class Clarification(BaseModel):
    model_config = ConfigDict(frozen=True)

    missing_information: list[str]
    clarifying_questions: list[str]


class Clarifier:
    def __init__(self, path: Path | None = None) -> None:
        path = Path(path or CLARIFY_FILE)
        self.questions = sorted(load_yaml_model(path, ClarifyFile, kind="question").questions, key=lambda q: q.priority)

    def clarify(self, placement: Placement) -> Clarification:
        confidence = {
            "phase": placement.phase_confidence,
            "components": placement.components_confidence,
            "mlbc_phase": placement.mlbc_confidence,
        }
        unknown = [q for q in self.questions if confidence[q.field] < q.below]
        return Clarification(
            missing_information=[q.missing for q in unknown],
            clarifying_questions=[q.question for q in unknown[:MAX_QUESTIONS]],
        )
