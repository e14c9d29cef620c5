"""Typed events of a streamed answer (for the chat UI and the SSE endpoint).

Text arrives first, in pieces; a ``reset`` tells the client to discard the pieces shown so far (the
language model's answer failed the check and the offline answer follows); ``final`` always closes the
stream and carries the complete Answer, which is the source of truth.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.schema import Answer, Citation, Diagnosis


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True)


class TextEvent(_Event):
    type: Literal["text"] = "text"
    text: str


class NoticeEvent(_Event):
    type: Literal["notice"] = "notice"
    text: str


class ResetEvent(_Event):
    type: Literal["reset"] = "reset"
    reason: str


class DiagnosisEvent(_Event):
    type: Literal["diagnosis"] = "diagnosis"
    diagnosis: Diagnosis


class CitationsEvent(_Event):
    type: Literal["citations"] = "citations"
    citations: list[Citation]


class StepEvent(_Event):
    """What runs now, in words for the user (sent before a language model starts writing)."""

    type: Literal["step"] = "step"
    step: Literal["writing"]
    text: str


class FinalEvent(_Event):
    type: Literal["final"] = "final"
    answer: Answer


AnswerEvent = Annotated[
    TextEvent | NoticeEvent | ResetEvent | DiagnosisEvent | CitationsEvent | StepEvent | FinalEvent,
    Field(discriminator="type"),
]
