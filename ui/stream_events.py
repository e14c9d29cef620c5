"""Read the Advisor's stream events into what a view needs: text, a reset, the diagnosis, the Answer.

The chat consumes ``Advisor.ask_stream`` through this one reader, so a new event type is handled in
one place. ``final`` is the source of truth: whatever text was streamed is replaced by its Answer.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from advisor.answer.events import DiagnosisEvent, FinalEvent, ResetEvent, TextEvent
from advisor.schema import Answer, Diagnosis


class StreamStep(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str = ""
    reset: bool = False
    diagnosis: Diagnosis | None = None
    answer: Answer | None = None


def read_event(event: object) -> StreamStep:
    """Classify one event; notices and citations are ignored here because ``final`` carries them."""
    if isinstance(event, FinalEvent):
        return StreamStep(answer=event.answer)
    if isinstance(event, TextEvent):
        return StreamStep(text=event.text)
    if isinstance(event, ResetEvent):
        return StreamStep(reset=True)
    if isinstance(event, DiagnosisEvent):
        return StreamStep(diagnosis=event.diagnosis)
    return StreamStep()
