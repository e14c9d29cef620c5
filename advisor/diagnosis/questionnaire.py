"""The structured questionnaire: answers map deterministically to the same evidence rules produce."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from advisor.diagnosis.engine import FiredRule
from advisor.rules.models import CONCLUSION_KEYS, Conclusion, describe
from knowledge.datafile import load_yaml_model

QUESTIONNAIRE_FILE = Path(__file__).with_name("questionnaire.yaml")
ID = r"^[a-z][a-z0-9_]*$"


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID)
    text: str = Field(min_length=1)
    weight: float = Field(gt=0, le=5)
    then: list[Conclusion]

    @field_validator("then", mode="before")
    @classmethod
    def _typed(cls, value: object) -> object:
        if not isinstance(value, list):
            raise ValueError("`then` must be a list of one-key items")
        out = []
        for item in value:
            if not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in CONCLUSION_KEYS:
                raise ValueError(f"conclusion {item!r} must be one of {sorted(CONCLUSION_KEYS)} and its value")
            out.append(CONCLUSION_KEYS[next(iter(item))].model_validate(item))
        return out


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID)
    derived_from: str
    text: str = Field(min_length=5)
    options: list[Option] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique(self) -> Question:
        ids = [o.id for o in self.options]
        if len(ids) != len(set(ids)):
            raise ValueError(f"question {self.id} has duplicate option ids")
        return self

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class Questionnaire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    questions: list[Question] = Field(min_length=10, max_length=15)

    @model_validator(mode="after")
    def _unique(self) -> Questionnaire:
        ids = [q.id for q in self.questions]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate question ids")
        return self

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


class QuestionnaireAnswers(BaseModel):
    """What the UI or a JSON file sends: question id -> chosen option id (unanswered questions omitted)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    answers: dict[str, str]


class QuestionnaireError(ValueError):
    """An answer names a question or option that does not exist; the message lists the valid ones."""


def load_questionnaire(path: Path | None = None) -> Questionnaire:
    path = Path(path or QUESTIONNAIRE_FILE)
    return load_yaml_model(path, Questionnaire, kind="question")


@lru_cache(maxsize=1)
def default_questionnaire() -> Questionnaire:
    return load_questionnaire()


class QuestionnaireScorer:
    """Turns answers into fired pseudo-rules (``questionnaire.<question>``) with full strength."""

    def __init__(self, questionnaire: Questionnaire | None = None) -> None:
        self.questionnaire = questionnaire or default_questionnaire()

    def score(self, answers: QuestionnaireAnswers) -> list[FiredRule]:
        fired: list[FiredRule] = []
        for question_id, option_id in sorted(answers.answers.items(), key=lambda kv: self._order(kv[0])):
            question = self.questionnaire.question(question_id)
            if question is None:
                valid = ", ".join(q.id for q in self.questionnaire.questions)
                raise QuestionnaireError(f"unknown question {question_id!r}; valid questions: {valid}")
            option = question.option(option_id)
            if option is None:
                valid = ", ".join(o.id for o in question.options)
                raise QuestionnaireError(
                    f"question {question_id!r} has no option {option_id!r}; valid options: {valid}"
                )
            if not option.then:
                continue
            fired.append(
                FiredRule(
                    rule_id=f"questionnaire.{question.id}",
                    conclusion="; ".join(describe(c) for c in option.then) + f" (answer: {option.text})",
                    conclusions=list(option.then),
                    weight=option.weight,
                    strength=1.0,
                    hedged=False,
                    matched=[],
                )
            )
        return fired

    def _order(self, question_id: str) -> int:
        ids = [q.id for q in self.questionnaire.questions]
        return ids.index(question_id) if question_id in ids else len(ids)
