"""The chat's status line names the step that runs, from the stream events, until the answer replaces it."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

from advisor.answer.events import DiagnosisEvent, FinalEvent, ResetEvent, TextEvent
from reports.conversation import Conversation
from tests.ui.samples import diagnosis, situation_answer
from ui.chat import ChatController, ChatUpdate
from ui.stream_events import CHECKED_OUT, READING, WRITING, WRITING_AFTER_DIAGNOSIS, StreamProgress, read_event


class ScriptedServices:
    def __init__(self, events: list[object]) -> None:
        self.settings = SimpleNamespace(max_message_chars=8000)
        self.events = events

    def ask_stream(self, message: str, history: list, filters: object) -> Iterator[object]:
        return iter(self.events)


def _run(events: list[object]) -> tuple[list[ChatUpdate], list[str]]:
    """Return every update and what the answer bubble showed at that moment (the chat list is reused)."""
    controller = ChatController(ScriptedServices(events))  # type: ignore[arg-type]
    controller._filter_builder = SimpleNamespace(build=lambda choices, doc_ids: None)  # type: ignore[assignment]
    updates, shown = [], []
    for update in controller.respond("Where do we stand?", [], Conversation(), None):
        updates.append(update)
        shown.append(update.chat[-1]["content"])
    return updates, shown


def test_progress_follows_the_events() -> None:
    progress = StreamProgress()
    assert progress.status == READING and progress.text == ""
    assert progress.apply(read_event(DiagnosisEvent(diagnosis=diagnosis())))
    assert progress.status == WRITING_AFTER_DIAGNOSIS
    assert progress.apply(read_event(TextEvent(text="Draft. [1] ")))
    assert (progress.text, progress.status) == ("Draft. [1] ", WRITING)
    assert progress.apply(read_event(ResetEvent(reason="unsupported")))
    assert (progress.text, progress.status) == ("", CHECKED_OUT)
    assert not progress.apply(read_event(TextEvent(text="")))


def test_the_chat_shows_each_step_then_only_the_answer() -> None:
    answer = situation_answer()
    events = [
        DiagnosisEvent(diagnosis=answer.diagnosis),
        TextEvent(text="A draft the check will refuse. [1] "),
        ResetEvent(reason="too little was supported"),
        *(TextEvent(text=line) for line in answer.answer.splitlines(keepends=True)),
        FinalEvent(answer=answer),
    ]
    updates, shown = _run(events)
    assert READING in shown[0] and 'class="answer-status"' in shown[0]
    assert updates[0].chat[-2]["role"] == "user"
    assert WRITING_AFTER_DIAGNOSIS in shown[1] and updates[1].diagnosis_html is not None
    assert "A draft the check will refuse." in shown[2] and WRITING in shown[2]
    assert CHECKED_OUT in shown[3] and "A draft the check will refuse." not in shown[3]
    assert "proving-the-concept phase" in shown[-2] and WRITING in shown[-2]
    final = shown[-1]
    assert "answer-status" not in final and 'class="cite-card"' in final
    assert updates[-1].conversation.exchanges[-1].answer == answer
    assert all(u.pending_text == "" for u in updates)


def test_the_offline_answer_goes_from_reading_straight_to_text() -> None:
    answer = situation_answer()
    events = [TextEvent(text=line) for line in answer.answer.splitlines(keepends=True)]
    _, shown = _run([*events, FinalEvent(answer=answer)])
    assert READING in shown[0]
    assert all(WRITING_AFTER_DIAGNOSIS not in html for html in shown)
    assert "answer-status" not in shown[-1]


def test_a_step_event_names_the_model_that_is_writing() -> None:
    from advisor.answer.events import StepEvent

    progress = StreamProgress()
    assert progress.apply(read_event(StepEvent(step="writing", text="The language model (local:x) is reading…")))
    assert progress.status == "The language model (local:x) is reading…"
    progress.apply(read_event(TextEvent(text="First sentence. [1] ")))
    assert progress.status == WRITING
