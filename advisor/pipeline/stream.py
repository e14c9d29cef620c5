"""The stream adapter: a finished Answer, or a model's checked pieces, as the events a chat client reads."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.answer.events import (
    AnswerEvent,
    CitationsEvent,
    DiagnosisEvent,
    FinalEvent,
    NoticeEvent,
    ResetEvent,
    TextEvent,
)
from advisor.answer.llm_composer import FellBack, LLMOutcome
from advisor.schema import Answer

FAILED_CHECK = "the language model's answer failed the check"


def replay(answer: Answer, diagnosis_sent: bool = False) -> Iterator[AnswerEvent]:
    """Yield a finished answer line by line, then its citations, diagnosis, notices and the final event."""
    for line in answer.answer.splitlines(keepends=True):
        yield TextEvent(text=line)
    yield CitationsEvent(citations=answer.citations)
    if answer.diagnosis is not None and not diagnosis_sent:
        yield DiagnosisEvent(diagnosis=answer.diagnosis)
    for notice in answer.notices:
        yield NoticeEvent(text=notice)
    yield FinalEvent(answer=answer)


def closing(answer: Answer, outcome: LLMOutcome, streamed: bool, offline: bool) -> Iterator[AnswerEvent]:
    """Close a model's stream: its citations and notices, or a reset and the offline answer it fell back to."""
    if offline:
        if streamed:
            yield ResetEvent(reason=outcome.reason if isinstance(outcome, FellBack) else FAILED_CHECK)
        yield from replay(answer, diagnosis_sent=True)
        return
    yield CitationsEvent(citations=answer.citations)
    for notice in answer.notices:
        yield NoticeEvent(text=notice)
    yield FinalEvent(answer=answer)
