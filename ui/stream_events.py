"""Read the Advisor's stream events into what a view needs: text, a reset, the diagnosis, the Answer.

The chat consumes ``Advisor.ask_stream`` through this one reader, so a new event type is handled in
one place. ``final`` is the source of truth: whatever text was streamed is replaced by its Answer.

``StreamProgress`` also names the step that runs, from the events that exist: nothing has arrived
while the advisor reads the message and searches (one step, with no event between its parts); a
diagnosis before any text means a language model is now writing; text means the answer is being
written, and a reset that the model's draft failed the citation check. A ``step`` event (sent before a
language model starts) names the model that is now reading the sources.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from advisor.answer.events import DiagnosisEvent, FinalEvent, ResetEvent, StepEvent, TextEvent
from advisor.schema import Answer, Diagnosis


class StreamStep(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str = ""
    status: str = ""
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
    if isinstance(event, StepEvent):
        return StreamStep(status=event.text)
    return StreamStep()


READING = "Reading your situation and searching the sources…"
WRITING = "Writing the answer…"
WRITING_AFTER_DIAGNOSIS = "Diagnosis ready — writing the answer…"
CHECKED_OUT = "The draft of the language model did not pass the citation check — writing the offline answer…"


class StreamProgress:
    """The text streamed so far and the step the user is told about, updated one event at a time."""

    def __init__(self) -> None:
        self.text = ""
        self.status = READING

    def apply(self, step: StreamStep) -> bool:
        """Take one step in; return True when what the user sees changed."""
        before = (self.text, self.status)
        if step.reset:
            self.text, self.status = "", CHECKED_OUT
        if step.diagnosis is not None and not self.text:
            self.status = WRITING_AFTER_DIAGNOSIS
        if step.status and not self.text:
            self.status = step.status
        if step.text:
            self.text += step.text
            self.status = WRITING
        return (self.text, self.status) != before
