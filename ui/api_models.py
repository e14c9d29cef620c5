"""Request and error bodies of the HTTP API (responses reuse the advisor and knowledge contracts)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from advisor.schema import ChatTurn
from knowledge.schema import SearchFilters


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AskRequest(Request):
    message: str = Field(description="The manager's question or situation, in their own words.")
    history: list[ChatTurn] = Field(default_factory=list, description="Earlier turns, oldest first.")
    filters: SearchFilters | None = Field(default=None, description="Restrict the sources the answer may cite.")

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("message must not be empty or only whitespace")
        return value


class DiagnoseRequest(Request):
    message: str = Field(default="", description="The situation in free text (may be empty with a questionnaire).")
    questionnaire: dict[str, str] | None = Field(
        default=None,
        description="Questionnaire answers: question id -> option id (advisor/diagnosis/questionnaire.yaml).",
    )

    def has_input(self) -> bool:
        return bool(self.message.strip()) or bool(self.questionnaire)


class ErrorBody(BaseModel):
    """Every 4xx/5xx of the API: a stable code and a sentence saying what to change."""

    error: str
    detail: str
    fields: list[dict[str, Any]] | None = None


class Health(BaseModel):
    status: str
    version: str
    llm_provider: str
    index: str
