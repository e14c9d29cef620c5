"""What happens when a user sends a message in the chat: stream the answer, then show its evidence.

Gradio-independent on purpose (plain lists and models in, tuples out) so the flow can be tested
without a browser; ``views.py`` wires it to components. The user's text is never lost: on any
refusal or failure it stays in the input box and the reason is shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from matplotlib.figure import Figure

from advisor.schema import Answer
from reports.chart import PhaseChart
from reports.conversation import Conversation
from ui.render_answer import AnswerRenderer, render_user_message
from ui.render_diagnosis import DiagnosisRenderer
from ui.safe_html import esc, render_rich_text
from ui.services import Services
from ui.session_filters import NoSourcesSelectedError, SessionFilterBuilder
from ui.stream_events import StreamProgress, read_event

ChatMessages = list[dict[str, str]]


def pending_html(progress: StreamProgress) -> str:
    """Render the answer in the making: the text so far, then a status line naming the step that runs."""
    status = f'<div class="answer-status"><span class="answer-spinner"></span>{esc(progress.status)}</div>'
    return render_rich_text(progress.text) + status if progress.text else status


@dataclass
class ChatUpdate:
    """One refresh of the chat view; ``None`` fields leave that component as it is."""

    chat: ChatMessages
    conversation: Conversation
    pending_text: str
    diagnosis_html: str | None = None
    figure: Figure | None = None
    warning: str | None = None


class ChatController:
    """Runs one message through the Advisor for one session's conversation."""

    def __init__(self, services: Services, chart: PhaseChart | None = None) -> None:
        self.services = services
        self.chart = chart or PhaseChart()
        self.diagnosis_renderer = DiagnosisRenderer()
        self._filter_builder: SessionFilterBuilder | None = None

    def filter_builder(self) -> SessionFilterBuilder:
        if self._filter_builder is None:
            records = self.services.retriever.records()
            corpus = sorted({r.source_id for r in records if not r.source_id.startswith("user:")})
            self._filter_builder = SessionFilterBuilder(corpus)
        return self._filter_builder

    def respond(
        self, message: str, chat: ChatMessages, conversation: Conversation, sources: list[str] | None
    ) -> Iterator[ChatUpdate]:
        chat = list(chat or [])
        limit = self.services.settings.max_message_chars
        if not message or not message.strip():
            yield ChatUpdate(chat, conversation, message or "", warning="Type a question or describe your situation.")
            return
        if len(message) > limit:
            warning = (
                f"Your message is {len(message):,} characters; the limit is {limit:,}. It is still in the box: "
                "shorten it to the situation and the question, then send again."
            )
            yield ChatUpdate(chat, conversation, message, warning=warning)
            return
        try:
            filters = self.filter_builder().build(sources, conversation.doc_ids)
        except NoSourcesSelectedError as exc:
            yield ChatUpdate(chat, conversation, message, warning=str(exc))
            return
        chat.append({"role": "user", "content": render_user_message(message)})
        progress = StreamProgress()
        chat.append({"role": "assistant", "content": pending_html(progress)})
        yield ChatUpdate(chat, conversation, "")
        answer: Answer | None = None
        try:
            for event in self.services.ask_stream(message, conversation.history(), filters):
                step = read_event(event)
                if step.answer is not None:
                    answer = step.answer
                    break
                update = ChatUpdate(chat, conversation, "")
                changed = progress.apply(step)
                if changed:
                    chat[-1] = {"role": "assistant", "content": pending_html(progress)}
                if step.diagnosis is not None:  # show where they stand while the words still arrive
                    update.diagnosis_html = self.diagnosis_renderer.render(step.diagnosis, message)
                    update.figure = self.chart.figure(step.diagnosis)
                if changed or step.diagnosis is not None:
                    yield update
        except Exception as exc:  # the user must see why, and keep their question
            chat[-1] = {"role": "assistant", "content": self._failure(exc)}
            yield ChatUpdate(chat, conversation, message, warning="The advisor could not answer; your text is kept.")
            return
        if answer is None:
            chat[-1] = {"role": "assistant", "content": self._failure(RuntimeError("the answer stream ended early"))}
            yield ChatUpdate(chat, conversation, message)
            return
        turn_key = f"t{len(conversation.exchanges) + 1}"
        chat[-1] = {"role": "assistant", "content": AnswerRenderer().render(answer, turn_key)}
        conversation = conversation.with_exchange(message, answer)
        update = ChatUpdate(chat, conversation, "")
        if answer.diagnosis is not None:
            update.diagnosis_html = self.diagnosis_renderer.render(answer.diagnosis, message)
            update.figure = self.chart.figure(answer.diagnosis)
        yield update

    @staticmethod
    def _failure(exc: Exception) -> str:
        return (
            '<div class="advisor-answer"><div class="answer-notice">Sorry — this question could not be answered '
            f"({esc(type(exc).__name__)}: {esc(str(exc))[:400]}). Your question is back in the input box; "
            "try again or rephrase it.</div></div>"
        )
