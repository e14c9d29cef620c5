"""The chat's "Draft report" button: write Markdown, DOCX and PDF of this session's conversation.

Files go to a fresh temporary folder per draft (Gradio serves them from there to this session
only); the conversation's JSON lines go alongside so ``advisor report --from`` can redo it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from reports.builder import ReportBuilder
from reports.conversation import Conversation
from reports.export import ReportExporter, ReportFormat


class EmptyConversationError(ValueError):
    """Nothing was asked yet, so there is nothing to report."""


class ReportDrafter:
    def __init__(self, exporter: ReportExporter | None = None) -> None:
        self.exporter = exporter or ReportExporter()
        self.builder = ReportBuilder()

    def draft(self, conversation: Conversation, formats: list[ReportFormat] | None = None) -> list[Path]:
        if not conversation.exchanges:
            raise EmptyConversationError("Ask the advisor something first: the report is drawn from the conversation.")
        report = self.builder.build(conversation)
        folder = Path(tempfile.mkdtemp(prefix="advisor-report-"))
        for fmt in formats or list(ReportFormat):
            self.exporter.write(report, fmt, folder / f"advisory-report.{fmt.value}")
        (folder / "conversation.jsonl").write_text(conversation.to_jsonl(), encoding="utf-8")
        order = {".docx": 0, ".pdf": 1, ".md": 2, ".png": 3, ".jsonl": 4}
        return sorted(folder.iterdir(), key=lambda p: order.get(p.suffix, 9))
