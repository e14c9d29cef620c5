"""The LLM prompts as an editable data file (``prompts.yaml``), validated when loaded."""

from __future__ import annotations

import string
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from knowledge.datafile import load_yaml_model

DEFAULT_PROMPTS_FILE = Path(__file__).with_name("prompts.yaml")
_TEMPLATE_FIELDS = {
    "factual": {"passages", "question"},
    "factual_lead": {"passage", "question"},
    "factual_rest": {"passages", "question"},
    "situation": {"passages", "diagnosis", "question"},
}


class PromptLimits(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_passages: int = Field(gt=0, le=30)
    max_passage_words: int = Field(gt=10, le=400)
    first_passage_words: int | None = Field(
        default=None, gt=10, le=800, description="Words of the best passage, when it may be longer than the rest."
    )
    max_sentences: int = Field(ge=2, le=12)
    lead_first: bool = Field(
        default=False,
        description="Ask a factual answer's first sentence from the best passage alone, then the rest (two turns).",
    )
    lead_sentences: int = Field(
        default=1, ge=1, le=4, description="With lead_first: at most this many sentences from the best passage."
    )

    @model_validator(mode="after")
    def _room_after_the_lead(self) -> PromptLimits:
        if self.lead_sentences >= self.max_sentences:
            raise ValueError(
                f"lead_sentences ({self.lead_sentences}) must be below max_sentences ({self.max_sentences}): "
                "the second turn needs room"
            )
        return self


class Acceptance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_supported_sentences: int = Field(ge=1)
    min_kept_ratio: float = Field(gt=0, le=1)
    model_min_coverage_with_meaning: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description="A model's paraphrase must share at least this share of its words with the passage it cites.",
    )


class Prompts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    system: str = Field(min_length=20)
    factual: str = Field(min_length=20)
    factual_lead: str = Field(min_length=20)
    factual_rest: str = Field(min_length=20)
    situation: str = Field(min_length=20)
    free_text_rule: str = Field(min_length=10)
    limits: dict[str, PromptLimits]
    acceptance: Acceptance

    @field_validator("factual", "factual_lead", "factual_rest", "situation")
    @classmethod
    def _placeholders(cls, value: str, info: ValidationInfo) -> str:
        wanted = _TEMPLATE_FIELDS[str(info.field_name)]
        fields = {name for _, name, _, _ in string.Formatter().parse(value) if name}
        if fields != wanted:
            raise ValueError(
                f"{info.field_name} template must use exactly the placeholders {sorted(wanted)}, got {sorted(fields)}"
            )
        return value

    def templates(self) -> list[str]:
        """Return the fixed text of every template (what a reply must never repeat)."""
        return [self.system, self.factual, self.factual_lead, self.factual_rest, self.situation, self.free_text_rule]

    @field_validator("limits")
    @classmethod
    def _has_default(cls, value: dict[str, PromptLimits]) -> dict[str, PromptLimits]:
        if "default" not in value:
            raise ValueError("limits needs a 'default' entry")
        return value

    def limits_for(self, provider: str) -> PromptLimits:
        return self.limits.get(provider, self.limits["default"])


def load_prompts(path: Path = DEFAULT_PROMPTS_FILE) -> Prompts:
    return load_yaml_model(Path(path), Prompts)
