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


def replay(answer: Answer, diagnosis_sent: bool = False, final: Answer | None = None) -> Iterator[AnswerEvent]:
    """Yield a finished answer line by line, then its citations, diagnosis, notices and the final event.

    ``final`` is the complete answer when ``answer`` holds only the part not streamed yet.
    """
    for line in answer.answer.splitlines(keepends=True):
        yield TextEvent(text=line)
    yield CitationsEvent(citations=answer.citations)
    if answer.diagnosis is not None and not diagnosis_sent:
        yield DiagnosisEvent(diagnosis=answer.diagnosis)
    for notice in answer.notices:
        yield NoticeEvent(text=notice)
    yield FinalEvent(answer=final or answer)


def closing(answer: Answer, outcome: LLMOutcome, streamed: str, offline: bool) -> Iterator[AnswerEvent]:
    """Close a model's stream: its citations and notices, or the offline answer it fell back to.

    When what was streamed (a situation's "Where you stand") is how the offline answer begins, the rest of
    the offline answer follows it; otherwise a reset tells the client to discard what it showed.
    """
    if offline:
        shown = streamed.strip()
        if shown and answer.answer.startswith(shown):
            rest = answer.answer[len(shown) :]
            trailing = streamed[len(streamed.rstrip()) :]  # the blank line already sent after the lead
            if rest.startswith(trailing):
                rest = rest[len(trailing) :]
            yield from replay(answer.model_copy(update={"answer": rest}), diagnosis_sent=True, final=answer)
            return
        if shown:
            yield ResetEvent(reason=outcome.reason if isinstance(outcome, FellBack) else FAILED_CHECK)
        yield from replay(answer, diagnosis_sent=True)
        return
    yield CitationsEvent(citations=answer.citations)
    for notice in answer.notices:
        yield NoticeEvent(text=notice)
    yield FinalEvent(answer=answer)
