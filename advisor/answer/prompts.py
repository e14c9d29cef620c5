"""The LLM prompts as an editable data file (``prompts.yaml``), validated when loaded."""

from __future__ import annotations

import string
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from advisor.answer.datafile import load_yaml_model

DEFAULT_PROMPTS_FILE = Path(__file__).with_name("prompts.yaml")
_USER_FIELDS = {"passages", "diagnosis", "question"}


class PromptLimits(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_passages: int = Field(gt=0, le=30)
    max_passage_words: int = Field(gt=10, le=400)


class Acceptance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_supported_sentences: int = Field(ge=1)
    min_kept_ratio: float = Field(gt=0, le=1)


class Prompts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    system: str = Field(min_length=20)
    user: str = Field(min_length=20)
    limits: dict[str, PromptLimits]
    acceptance: Acceptance

    @field_validator("user")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        fields = {name for _, name, _, _ in string.Formatter().parse(value) if name}
        if fields != _USER_FIELDS:
            raise ValueError(
                f"user template must use exactly the placeholders {sorted(_USER_FIELDS)}, got {sorted(fields)}"
            )
        return value

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
