"""One call for every report format, used by the CLI and the chat's "Draft report" button."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Protocol

from reports.builder import Report
from reports.chart import PhaseChart
from reports.docx_writer import DocxReportWriter
from reports.markdown_writer import MarkdownReportWriter
from reports.pdf_writer import PdfReportWriter


class ReportWriter(Protocol):
    """What every format's writer does: write the report to ``path`` and return the file written."""

    def write(self, report: Report, path: Path) -> Path: ...


class ReportFormat(StrEnum):
    MD = "md"
    DOCX = "docx"
    PDF = "pdf"


class ReportExporter:
    """Writes a Report in the asked format; the chart is drawn by the one PhaseChart given."""

    def __init__(self, chart: PhaseChart | None = None) -> None:
        chart = chart or PhaseChart()
        self.writers: dict[ReportFormat, ReportWriter] = {
            ReportFormat.MD: MarkdownReportWriter(chart),
            ReportFormat.DOCX: DocxReportWriter(chart),
            ReportFormat.PDF: PdfReportWriter(chart),
        }

    def write(self, report: Report, fmt: ReportFormat | str, path: Path) -> Path:
        fmt = ReportFormat(fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
        return self.writers[fmt].write(report, path)
