"""The report as PDF: the same content as HTML, printed by weasyprint (no browser needed)."""

from __future__ import annotations

import base64
import html
from pathlib import Path

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
from reports.references import attribution, reference_text

CSS = """
@page { size: A4; margin: 2cm 1.8cm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; line-height: 1.45; color: #1d2733; }
h1 { font-size: 19pt; color: #14425a; margin-bottom: 2pt; }
h2 { font-size: 13pt; color: #14425a; border-bottom: 1px solid #c9d6df; padding-bottom: 2pt; margin-top: 16pt; }
.meta { color: #667; font-style: italic; }
blockquote.situation { border-left: 3px solid #1f6f8b; margin: 6pt 0; padding: 2pt 10pt; background: #f3f7f9; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; }
th, td { text-align: left; padding: 3pt 6pt; border-bottom: 1px solid #e2e8ec; vertical-align: top; }
th { width: 36%; color: #334; }
img.chart { width: 100%; }
.quote { margin: 8pt 0; padding-left: 10pt; border-left: 3px solid #b9d7e3; font-style: italic; }
.who { font-style: normal; color: #556; font-size: 9pt; }
ol.refs li { margin-bottom: 4pt; font-size: 9pt; }
.rid { white-space: nowrap; color: #556; }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


class PdfReportWriter:
    """Lays a Report out as HTML and prints it to PDF bytes."""

    def __init__(self, chart: PhaseChart | None = None) -> None:
        self.chart = chart or PhaseChart()

    def html(self, report: Report) -> str:
        out = [f"<html><head><meta charset='utf-8'><style>{CSS}</style></head><body>"]
        out.append(f"<h1>{_e(report.title)}</h1><p class='meta'>Drafted {report.created:%Y-%m-%d %H:%M} UTC</p>")
        out.append("<h2>1. Situation</h2>")
        out += [f"<blockquote class='situation'>{_e(s)}</blockquote>" for s in report.situation] or [
            "<p>No situation described.</p>"
        ]
        out.append("<h2>2. Diagnosis</h2>")
        d = report.diagnosis
        if d is None:
            out.append("<p>The conversation did not describe a situation to diagnose.</p>")
        else:
            png = base64.b64encode(self.chart.png(d)).decode("ascii")
            out.append(f"<img class='chart' alt='Phase per component' src='data:image/png;base64,{png}'>")
            rows = [("Overall phase", f"{phase_name(d.phase)} ({d.confidence.phase:.0%} confidence)")]
            rows.append(("Weakest", ", ".join(COMPONENT_NAMES[c] for c in d.weakest_components) or "—"))
            rows.append(("ISA-4 layers", ", ".join(ISA4_NAMES[x] for x in d.isa4_layers) or "—"))
            rows.append(("ML capability cycle", MLBC_NAMES[d.mlbc_phase] if d.mlbc_phase else "—"))
            rows.append(("Challenges", ", ".join(CHALLENGE_NAMES[c] for c in d.challenges) or "—"))
            rows.append(("Practices", ", ".join(PRACTICE_NAMES[p] for p in d.practices) or "—"))
            out.append("<table>" + "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows) + "</table>")
            out += [f"<p>{_e(f)}</p>" for f in report.findings]
        out.append("<h2>3. Recommendations</h2>")
        if report.recommendations:
            out.append("<ol>" + "".join(f"<li>{_e(r)}</li>" for r in report.recommendations) + "</ol>")
        else:
            out.append("<p>No recommendations yet.</p>")
        if report.watch_for:
            out.append("<h3>Watch for</h3><ul>" + "".join(f"<li>{_e(w)}</li>" for w in report.watch_for) + "</ul>")
        out.append("<h2>4. What practitioners said</h2>")
        out += [
            f"<div class='quote'>“{_e(q.text)}”<div class='who'>— {_e(attribution(q))} [{q.number}]</div></div>"
            for q in report.quotes
        ] or ["<p>No practitioner quotes were cited.</p>"]
        if report.questions:
            out.append("<h2>5. Questions discussed</h2>")
            for qa in report.questions:
                out.append(f"<p><strong>Q: {_e(qa.question)}</strong></p><p>{_e(qa.answer)}</p>")
        out.append("<h2>References</h2><ol class='refs'>")
        out += [
            f"<li value='{ref.number}'>{_e(reference_text(ref))} "
            f"<span class='rid'>(record {_e(ref.citation.passage_id)})</span></li>"
            for ref in report.references
        ]
        out.append("</ol>")
        if report.notices:
            out.append("<h2>Notices</h2><ul>" + "".join(f"<li>{_e(n)}</li>" for n in report.notices) + "</ul>")
        out.append("</body></html>")
        return "".join(out)

    def render(self, report: Report) -> bytes:
        from weasyprint import HTML  # slow import (~1 s): only when a PDF is asked for

        return HTML(string=self.html(report)).write_pdf()

    def write(self, report: Report, path: Path) -> Path:
        path.write_bytes(self.render(report))
        return path
