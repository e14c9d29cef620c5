"""The contract every answer-writing model meets: one request shape, one reply shape, typed failures.

A backend is a small step (cheap ``__init__``, heavy loading in ``warm_up()``) whose ``complete`` sends
chat messages, optionally constrained by a JSON schema, and streams the text it receives to ``on_text``.
Failures are typed exceptions, so the composer's fallback names the cause without reading class names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Literal["system", "user", "assistant"]
    content: str


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    messages: list[ChatMessage] = Field(min_length=1)
    json_schema: dict[str, Any] | None = Field(
        default=None, description="Constrain the reply to this JSON schema where the backend can."
    )
    max_tokens: int = Field(gt=0)
    free_text_rule: str | None = Field(
        default=None, description="Appended to the last message when the schema cannot be used (markers in words)."
    )


class ChatReply(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    structured: bool = Field(description="True when the reply was constrained by the request's JSON schema.")
    seconds: float = Field(ge=0)
    first_text_s: float | None = Field(default=None, ge=0, description="Seconds until the first text arrived.")
    output_tokens: int | None = Field(default=None, ge=0)

    @property
    def tokens_per_second(self) -> float | None:
        if not self.output_tokens or self.seconds <= 0:
            return None
        return round(self.output_tokens / self.seconds, 2)


OnText = Callable[[str], None]


class ChatBackend(Protocol):
    @property
    def name(self) -> str: ...

    def warm_up(self) -> None: ...

    def complete(self, request: ChatRequest, on_text: OnText | None = None) -> ChatReply: ...


class LLMError(RuntimeError):
    """A backend failed; ``reason`` says why in words a user understands."""

    reason = "the language model failed"

    def __str__(self) -> str:
        detail = super().__str__()
        return f"{self.reason} ({detail})" if detail else self.reason


class LLMUnavailableError(LLMError):
    reason = "the language model backend is not available"


class LLMUnreachableError(LLMError):
    reason = "the language model endpoint cannot be reached"


class LLMTimeoutError(LLMError):
    reason = "the language model endpoint did not answer in time"


class LLMRateLimitedError(LLMError):
    reason = "the language model endpoint is rate-limiting requests (HTTP 429)"


class LLMBadResponseError(LLMError):
    reason = "the language model endpoint returned a response that is not valid"


class LLMBusyError(LLMError):
    reason = "the language model is busy with other answers"


class GenerationCancelledError(Exception):
    """Raised from ``on_text`` when the reader stopped: a backend stops generating and re-raises nothing."""
