"""The Gradio page: chat with cited answers, the diagnosis panel, questionnaire, documents, report.

Only layout and wiring live here; the behaviour is in ``chat.py``, ``uploads.py``,
``questionnaire_view.py`` and ``report_draft.py``. Every per-user value is a ``gr.State``, so
each browser session has its own conversation and documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from reports.conversation import Conversation
from reports.draft import EmptyConversationError, ReportDrafter
from ui.chat import ChatController, ChatMessages
from ui.questionnaire_view import QuestionnaireView
from ui.render_diagnosis import DiagnosisRenderer
from ui.services import Services
from ui.session_filters import SOURCE_CHOICES
from ui.uploads import DocumentUploads

EXAMPLES = [
    "We have run three AI pilots in claims handling, but nothing is live yet and every team builds models its own "
    "way. Where do we stand and what should we do next?",
    "Our fraud model has been in production for a year, but retraining takes months and nobody owns the data "
    "pipeline. What should we fix first?",
    "Which roles do companies create when they move AI from pilots to production?",
    "What did practitioners say about managing expectations with business stakeholders?",
]

HEADER = """
<div id="advisor-header">
<h1>Scaling Advisor</h1>
<p>Advice on implementing and scaling AI in your organization. Every statement cites the research paper,
practitioner interview or playbook step it comes from; click a marker like <b>[1]</b> to read the source.
Other systems can ask the same advisor over the <a href="/docs" target="_blank">HTTP API</a>.</p>
</div>
"""


def build_blocks(services: Services) -> gr.Blocks:
    controller = ChatController(services)
    uploads = DocumentUploads(services)
    drafter = ReportDrafter()
    questionnaire = QuestionnaireView(services, controller.chart)
    empty_diagnosis = DiagnosisRenderer().render(None)

    with gr.Blocks(title="Scaling Advisor", analytics_enabled=False) as blocks:
        conversation = gr.State(Conversation())
        gr.HTML(HEADER)
        with gr.Tabs(elem_id="tabs") as tabs:
            with gr.Tab("Advisor", id="chat-tab", elem_id="chat-tab"), gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(
                        elem_id="chat",
                        height=640,
                        show_label=False,
                        sanitize_html=True,
                        group_consecutive_messages=False,
                        feedback_options=None,
                        buttons=["copy"],
                        placeholder="<b>Describe your situation or ask a question.</b><br>"
                        "Try one of the examples below to see how the advisor works.",
                        examples=[{"text": e} for e in EXAMPLES],
                    )
                    with gr.Row():
                        # Gradio 6 submits a Textbox on Enter only when lines=1 (with lines>1 it is Shift+Enter);
                        # with max_lines>1 it is still a textarea that grows, and Shift+Enter adds a line.
                        box = gr.Textbox(
                            show_label=False,
                            placeholder="E.g. “We have two models in production but every new one takes a year…”",
                            lines=1,
                            max_lines=10,
                            scale=6,
                            elem_id="message",
                        )
                        send = gr.Button("Ask", variant="primary", scale=1, elem_id="send")
                    gr.HTML(
                        '<div class="message-hint">Enter sends · Shift+Enter starts a new line</div>',
                        elem_id="message-hint",
                    )
                    with gr.Row():
                        sources = gr.CheckboxGroup(
                            SOURCE_CHOICES,
                            value=SOURCE_CHOICES,
                            label="Sources the answer may cite",
                            elem_id="sources",
                            scale=5,
                        )
                        clear = gr.Button("New conversation", size="sm", scale=1, elem_id="new-conversation")
                with gr.Column(scale=2, elem_id="diagnosis-column"):
                    gr.Markdown("### Your diagnosis")
                    plot = gr.Plot(show_label=False, visible=False, elem_id="diag-chart")
                    diag = gr.HTML(empty_diagnosis, elem_id="diag-panel")
                    gr.Markdown("### Report for your client")
                    draft = gr.Button("Draft report", elem_id="draft-report")
                    files = gr.File(
                        label="Downloads (DOCX, PDF, Markdown)",
                        file_count="multiple",
                        interactive=False,
                        visible=False,
                        elem_id="report-files",
                    )
            with gr.Tab("Questionnaire", id="questionnaire-tab", elem_id="questionnaire-tab"):
                q_parts = questionnaire.build()
            with gr.Tab("Your documents", id="docs-tab", elem_id="docs-tab"):
                gr.Markdown(
                    "Add your own strategy papers or notes (.txt, .md, .pdf). They are searched alongside the "
                    "research when **Your documents** is ticked, cited by file and page, and visible only in "
                    "this browser session."
                )
                upload = gr.File(
                    label="Documents", file_count="multiple", file_types=[".txt", ".md", ".pdf"], elem_id="upload"
                )
                add_docs = gr.Button("Add to my sources", variant="primary", elem_id="add-docs")
                doc_report = gr.HTML(elem_id="doc-report")
                doc_list = gr.HTML(uploads.listing(Conversation()), elem_id="doc-list")

        def on_send(
            message: str, chat: ChatMessages, conv: Conversation, chosen: list[str]
        ) -> Iterator[tuple[Any, ...]]:
            stale = True  # a drafted report no longer matches once the conversation moves on
            for update in controller.respond(message, chat, conv, chosen):
                if update.warning:
                    gr.Warning(update.warning)
                answered = update.conversation is not conv
                yield (
                    update.chat,
                    update.conversation,
                    update.pending_text,
                    update.diagnosis_html if update.diagnosis_html is not None else gr.skip(),
                    gr.update(value=update.figure, visible=True) if update.figure is not None else gr.skip(),
                    gr.update(value=None, visible=False) if answered and stale else gr.skip(),
                )
                stale = stale and not answered

        chat_io: dict[str, Any] = {
            "inputs": [box, chatbot, conversation, sources],
            "outputs": [chatbot, conversation, box, diag, plot, files],
        }
        box.submit(on_send, **chat_io, concurrency_id="ask", api_visibility="private")
        send.click(on_send, **chat_io, concurrency_id="ask", api_visibility="private")

        def on_example(event: gr.SelectData) -> str:
            value = event.value
            return value.get("text", "") if isinstance(value, dict) else str(value)

        chatbot.example_select(on_example, None, box, api_visibility="private").then(
            on_send, **chat_io, concurrency_id="ask", api_visibility="private"
        )

        def on_clear(conv: Conversation) -> tuple[Any, ...]:
            fresh = Conversation(doc_ids=conv.doc_ids)
            hidden = gr.update(value=None, visible=False)
            return [], fresh, empty_diagnosis, hidden, hidden

        clear.click(on_clear, [conversation], [chatbot, conversation, diag, plot, files], api_visibility="private")

        def on_draft(conv: Conversation) -> Any:
            try:
                paths = drafter.draft(conv)
            except EmptyConversationError as exc:
                gr.Warning(str(exc))
                return gr.skip()
            return gr.update(value=[str(p) for p in paths], visible=True)

        draft.click(on_draft, [conversation], [files], concurrency_id="report", api_visibility="private")

        def on_upload(paths: list[str] | None, conv: Conversation) -> tuple[str, Conversation, str]:
            html, conv = uploads.add(paths, conv)
            return html, conv, uploads.listing(conv)

        add_docs.click(
            on_upload,
            [upload, conversation],
            [doc_report, conversation, doc_list],
            concurrency_id="ingest",
            api_visibility="private",
        )

        questionnaire.wire(q_parts, box=box, tabs=tabs, chat_tab="chat-tab", diag=diag, plot=plot)
    return blocks
