"""The report as Markdown: the format consultants paste into their own documents and wikis.

The chart is written as a PNG next to the Markdown file and linked by its file name, so the pair can
be moved together and opened in any Markdown viewer.
"""

from __future__ import annotations

from pathlib import Path

from advisor.frameworks.labels import (
    CHALLENGE_NAMES,
    COMPONENT_NAMES,
    ISA4_NAMES,
    MLBC_NAMES,
    PRACTICE_NAMES,
    phase_name,
)
from reports.builder import PractitionerQuote, Report
from reports.chart import PhaseChart
from reports.references import attribution, reference_line


class MarkdownReportWriter:
    """Lays a Report out as Markdown text (and its chart as a PNG beside it)."""

    def __init__(self, chart: PhaseChart | None = None) -> None:
        self.chart = chart or PhaseChart()

    def render(self, report: Report, chart_file: str | None = None) -> str:
        out: list[str] = [f"# {report.title}", "", f"_Drafted {report.created:%Y-%m-%d %H:%M} UTC_", ""]
        out += ["## 1. Situation", ""]
        out += [f"> {line}" for s in report.situation for line in s.splitlines()] or ["_No situation described._"]
        out += ["", "## 2. Diagnosis", ""]
        d = report.diagnosis
        if d is None:
            out.append("_The conversation did not describe a situation to diagnose._")
        else:
            if chart_file:
                out += [f"![Phase per component]({chart_file})", ""]
            out.append(f"- **Overall phase:** {phase_name(d.phase)} ({d.confidence.phase:.0%} confidence)")
            for component, phase in d.component_phases.items():
                out.append(f"- {COMPONENT_NAMES[component]}: {phase_name(phase)}")
            if d.weakest_components:
                out.append("- **Weakest:** " + ", ".join(COMPONENT_NAMES[c] for c in d.weakest_components))
            if d.isa4_layers:
                out.append("- **ISA-4 layers concerned:** " + ", ".join(ISA4_NAMES[x] for x in d.isa4_layers))
            if d.mlbc_phase:
                out.append(f"- **ML capability cycle:** {MLBC_NAMES[d.mlbc_phase]}")
            if d.challenges:
                out.append("- **Challenges:** " + ", ".join(CHALLENGE_NAMES[c] for c in d.challenges))
            if d.practices:
                out.append("- **Practices:** " + ", ".join(PRACTICE_NAMES[p] for p in d.practices))
            out += [""] + [f"{f}" for f in report.findings]
        out += ["", "## 3. Recommendations", ""]
        out += [f"{i}. {r}" for i, r in enumerate(report.recommendations, 1)] or ["_No recommendations yet._"]
        if report.watch_for:
            out += ["", "### Watch for", ""] + [f"- {w}" for w in report.watch_for]
        out += ["", "## 4. What practitioners said", ""]
        out += [self._quote(q) for q in report.quotes] or ["_No practitioner quotes were cited._"]
        if report.questions:
            out += ["", "## 5. Questions discussed", ""]
            for qa in report.questions:
                out += [f"**Q: {qa.question}**", "", qa.answer, ""]
        out += ["", "## References", ""]
        out += [f"{ref.number}. {reference_line(ref)}" for ref in report.references] or ["_No sources cited._"]
        if report.notices:
            out += ["", "## Notices", ""] + [f"- {n}" for n in report.notices]
        return "\n".join(out).rstrip() + "\n"

    def write(self, report: Report, path: Path) -> Path:
        chart_file = None
        if report.diagnosis is not None:
            chart_path = path.with_name(path.stem + "-chart.png")
            chart_path.write_bytes(self.chart.png(report.diagnosis))
            chart_file = chart_path.name
        path.write_text(self.render(report, chart_file), encoding="utf-8")
        return path

    @staticmethod
    def _quote(q: PractitionerQuote) -> str:
        lines = [f"> “{line}”" if i == 0 else f"> {line}" for i, line in enumerate(q.text.splitlines())]
        return "\n".join(lines) + f"\n>\n> — {attribution(q)} [{q.number}]\n"
