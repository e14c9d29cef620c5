"""The questionnaire tab (filled in once the diagnosis questionnaire lands)."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ui.chart import PhaseChart
from ui.services import Services


class QuestionnaireView:
    def __init__(self, services: Services, chart: PhaseChart) -> None:
        self.services = services
        self.chart = chart

    def build(self) -> dict[str, Any]:
        gr.Markdown("The questionnaire is not available yet.")
        return {}

    def wire(self, parts: dict[str, Any], **targets: Any) -> None:
        return None
