"""Read the Advisor's stream events into the two things a view needs: a text piece or the final Answer.

The chat and the SSE route both consume ``Advisor.ask_stream``; keeping the reading in one place
means a new event type (citations, diagnosis) is handled the same way in both.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from advisor.schema import Answer


class StreamStep(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str = ""
    answer: Answer | None = None


def read_event(event: object) -> StreamStep:
    """Classify one event: the final Answer, a piece of text, or nothing the view must show."""
    if isinstance(event, Answer):
        return StreamStep(answer=event)
    answer = getattr(event, "answer", None)
    if isinstance(answer, Answer):
        return StreamStep(answer=answer)
    for attr in ("text", "delta", "piece"):
        value = getattr(event, attr, None)
        if isinstance(value, str):
            return StreamStep(text=value)
    if isinstance(event, str):
        return StreamStep(text=event)
    return StreamStep()
