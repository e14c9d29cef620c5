"""The report as a Word document (python-docx): what a consultant edits and sends to a client."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Inches, Pt, RGBColor

from advisor.frameworks.labels import (
    CHALLENGE_NAMES,
    COMPONENT_NAMES,
    ISA4_NAMES,
    MLBC_NAMES,
    PRACTICE_NAMES,
    phase_name,
)
from reports.builder import Report
from reports.chart import PhaseChart
from reports.references import attribution, reference_line


class DocxReportWriter:
    """Lays a Report out as DOCX bytes or a file."""

    def __init__(self, chart: PhaseChart | None = None) -> None:
        self.chart = chart or PhaseChart()

    def render(self, report: Report) -> bytes:
        doc = Document()
        doc.styles["Normal"].font.name = "Calibri"
        doc.styles["Normal"].font.size = Pt(10.5)
        doc.add_heading(report.title, level=0)
        note = doc.add_paragraph(f"Drafted {report.created:%Y-%m-%d %H:%M} UTC")
        note.runs[0].italic = True
        doc.add_heading("1. Situation", level=1)
        for text in report.situation or ["No situation described."]:
            doc.add_paragraph(text, style="Intense Quote" if report.situation else None)
        self._diagnosis(doc, report)
        doc.add_heading("3. Recommendations", level=1)
        for rec in report.recommendations or ["No recommendations yet."]:
            doc.add_paragraph(rec, style="List Number" if report.recommendations else None)
        if report.watch_for:
            doc.add_heading("Watch for", level=2)
            for item in report.watch_for:
                doc.add_paragraph(item, style="List Bullet")
        doc.add_heading("4. What practitioners said", level=1)
        if not report.quotes:
            doc.add_paragraph("No practitioner quotes were cited.")
        for q in report.quotes:
            para = doc.add_paragraph(style="Quote")
            para.add_run(f"“{q.text}”")
            who = doc.add_paragraph(f"— {attribution(q)} [{q.number}]")
            who.runs[0].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        if report.questions:
            doc.add_heading("5. Questions discussed", level=1)
            for qa in report.questions:
                doc.add_paragraph().add_run(f"Q: {qa.question}").bold = True
                doc.add_paragraph(qa.answer)
        doc.add_heading("References", level=1)
        for ref in report.references:
            para = doc.add_paragraph()
            para.add_run(f"[{ref.number}] ").bold = True
            para.add_run(reference_line(ref))
            para.paragraph_format.space_after = Pt(4)
        if report.notices:
            doc.add_heading("Notices", level=2)
            for notice in report.notices:
                doc.add_paragraph(notice, style="List Bullet")
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()

    def write(self, report: Report, path: Path) -> Path:
        path.write_bytes(self.render(report))
        return path

    def _diagnosis(self, doc: DocxDocument, report: Report) -> None:
        doc.add_heading("2. Diagnosis", level=1)
        d = report.diagnosis
        if d is None:
            doc.add_paragraph("The conversation did not describe a situation to diagnose.")
            return
        doc.add_picture(io.BytesIO(self.chart.png(d)), width=Inches(6.2))
        rows = [("Overall phase", f"{phase_name(d.phase)} ({d.confidence.phase:.0%} confidence)")]
        rows += [(COMPONENT_NAMES[c], phase_name(p)) for c, p in d.component_phases.items()]
        rows.append(("Weakest", ", ".join(COMPONENT_NAMES[c] for c in d.weakest_components) or "—"))
        rows.append(("ISA-4 layers", ", ".join(ISA4_NAMES[x] for x in d.isa4_layers) or "—"))
        rows.append(("ML capability cycle", MLBC_NAMES[d.mlbc_phase] if d.mlbc_phase else "—"))
        rows.append(("Challenges", ", ".join(CHALLENGE_NAMES[c] for c in d.challenges) or "—"))
        rows.append(("Practices", ", ".join(PRACTICE_NAMES[p] for p in d.practices) or "—"))
        table = doc.add_table(rows=len(rows), cols=2)
        table.style = "Light List Accent 1"
        for row, (key, value) in zip(table.rows, rows, strict=True):
            row.cells[0].text = key
            row.cells[1].text = value
        for finding in report.findings:
            doc.add_paragraph(finding)
