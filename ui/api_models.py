"""Request and error bodies of the HTTP API (responses reuse the advisor and knowledge contracts).

The OpenAI-compatible bodies (``/v1/models``, ``/v1/chat/completions``) follow OpenAI's field names;
their requests accept unknown fields, as OpenAI clients send many options the advisor has no use for.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from advisor.schema import Answer, ChatTurn
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


# -- OpenAI-compatible bodies ----------------------------------------------------------------------------
class Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")


class ContentPart(Lenient):
    type: str = Field(description='Only "text" parts are read.')
    text: str | None = None


class OpenAIMessage(Lenient):
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        """Return the text: the string itself, or the text parts joined by newlines."""
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(part.text or "" for part in self.content if part.type == "text")

    def other_part_types(self) -> list[str]:
        parts = self.content if isinstance(self.content, list) else []
        return sorted({part.type for part in parts if part.type != "text"})


class StreamOptions(Lenient):
    include_usage: bool = False


class ChatCompletionRequest(Lenient):
    """OpenAI's chat request; temperature, max_tokens, tools and the like are accepted and ignored."""

    model: str = Field(description='The advisor\'s model id, "scaling-advisor" (see GET /v1/models).')
    messages: list[OpenAIMessage] = Field(min_length=1, description="The last user message is the question.")
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    n: int | None = Field(default=None, ge=1, le=1, description="Only one choice is produced.")


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class Usage(BaseModel):
    """Rough counts: words, not model tokens (the offline advisor has no tokenizer)."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str
    refusal: None = None


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    logprobs: None = None
    finish_reason: Literal["stop"] = "stop"


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    advisor: Answer = Field(description="The structured Answer: citations, diagnosis, scope, backend, notices.")


class OpenAIErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class OpenAIErrorBody(BaseModel):
    """Every refusal of the OpenAI-compatible routes, in OpenAI's error shape."""

    error: OpenAIErrorDetail
