"""The questionnaire tab: place the organization from fixed answers, then carry it into the chat.

The questions come from ``advisor/diagnosis/questionnaire.yaml`` (the consultant-editable file),
so the tab changes when the file does. Placing runs the same Diagnoser as the chat; "Continue in
the chat" writes the answers as a situation message in the chat box, so the cited advice that
follows is grounded in what was ticked here.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from advisor.diagnosis import QuestionnaireError
from advisor.diagnosis.questionnaire import Questionnaire, default_questionnaire
from reports.chart import PhaseChart
from ui.render_diagnosis import DiagnosisRenderer
from ui.services import Services

INTRO = (
    "Answer what you can (every question is optional) and press **Place my organization**. The placement "
    "is deterministic: each answer adds the evidence written next to it in the questionnaire file. "
    "Then **Continue in the chat** to get cited advice for this situation."
)


class QuestionnaireView:
    """Builds the tab's components and wires them to the chat's box, tabs and diagnosis panel."""

    def __init__(self, services: Services, chart: PhaseChart, questionnaire: Questionnaire | None = None) -> None:
        self.services = services
        self.chart = chart
        self.questionnaire = questionnaire or default_questionnaire()
        self.renderer = DiagnosisRenderer()

    def build(self) -> dict[str, Any]:
        gr.Markdown(INTRO)
        radios = []
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                for number, question in enumerate(self.questionnaire.questions, start=1):
                    radios.append(
                        gr.Radio(
                            choices=[(o.text, o.id) for o in question.options],
                            label=f"{number}. {question.text}",
                            elem_id=f"q-{question.id}",
                        )
                    )
                notes = gr.Textbox(
                    label="Anything else about your situation? (optional, in your own words)",
                    lines=3,
                    elem_id="q-notes",
                )
                with gr.Row():
                    place = gr.Button("Place my organization", variant="primary", elem_id="q-place")
                    to_chat = gr.Button("Continue in the chat", elem_id="q-to-chat")
            with gr.Column(scale=2):
                plot = gr.Plot(show_label=False, visible=False, elem_id="q-chart")
                html = gr.HTML(self.renderer.render(None), elem_id="q-diagnosis")
        return {"radios": radios, "notes": notes, "place": place, "to_chat": to_chat, "plot": plot, "html": html}

    def answers(self, values: tuple[str | None, ...]) -> dict[str, str]:
        return {q.id: v for q, v in zip(self.questionnaire.questions, values, strict=True) if v}

    def place(self, notes: str, values: tuple[str | None, ...]) -> tuple[str, Any]:
        """Return the panel HTML and the chart for these answers (or a message saying what is missing)."""
        answers = self.answers(values)
        if not answers and not (notes or "").strip():
            raise gr.Error("Answer at least one question (or describe the situation) first.")
        try:
            diagnosis = self.services.diagnose(notes or "", answers or None)
        except (QuestionnaireError, ValueError) as exc:
            raise gr.Error(str(exc)) from exc
        return self.renderer.render(diagnosis, notes or ""), self.chart.figure(diagnosis)

    def situation_message(self, notes: str, values: tuple[str | None, ...]) -> str:
        """Write the ticked answers as the manager would describe them, for the chat."""
        lines = []
        for question, value in zip(self.questionnaire.questions, values, strict=True):
            option = question.option(value) if value else None
            if option is not None:
                lines.append(f"- {question.text} {option.text}.")
        if notes and notes.strip():
            lines.append(notes.strip())
        if not lines:
            return ""
        return "About our organization:\n" + "\n".join(lines) + "\nWhere do we stand and what should we do next?"

    def wire(self, parts: dict[str, Any], *, box: Any, tabs: Any, chat_tab: str, diag: Any, plot: Any) -> None:
        inputs = [parts["notes"], *parts["radios"]]

        def on_place(notes: str, *values: str | None) -> tuple[Any, ...]:
            html, figure = self.place(notes, values)
            shown = gr.update(value=figure, visible=True)
            return html, shown, html, gr.update(value=figure, visible=True)

        parts["place"].click(
            on_place, inputs, [parts["html"], parts["plot"], diag, plot], concurrency_id="ask", api_visibility="private"
        )

        def on_to_chat(notes: str, *values: str | None) -> tuple[Any, ...]:
            message = self.situation_message(notes, values)
            if not message:
                gr.Warning("Answer at least one question first.")
                return gr.skip(), gr.skip()
            return message, gr.Tabs(selected=chat_tab)

        parts["to_chat"].click(on_to_chat, inputs, [box, tabs], api_visibility="private")
