"""The phase-per-component chart, drawn once with matplotlib for the chat panel and the report.

A grid of the six components against the three phases reads like the paper's own table: the filled
cell is where a component stands, lighter cells are phases it has been through, and a component the
message says nothing about is greyed out rather than guessed.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from advisor.frameworks.labels import COMPONENT_NAMES, COMPONENT_ORDER, PHASE_NAMES, PHASE_ORDER, phase_name
from advisor.schema import Diagnosis

CURRENT = "#1f6f8b"
PASSED = "#b9d7e3"
AHEAD = "#f4f6f8"
UNKNOWN = "#e3e3e3"
WEAK_EDGE = "#c0392b"


class PhaseChart:
    """Draws a Diagnosis as a component × phase grid; cheap to build, one figure per call."""

    def __init__(self, width_in: float = 7.2, dpi: int = 110) -> None:
        if width_in <= 0 or dpi <= 0:
            raise ValueError("chart width and dpi must be positive")
        self.width_in = width_in
        self.dpi = dpi

    def figure(self, diagnosis: Diagnosis) -> Figure:
        rows = len(COMPONENT_ORDER)
        # A bare Figure (not pyplot) is never kept in a global registry, so a long-running server
        # does not accumulate one figure per answer.
        fig = Figure(figsize=(self.width_in, 0.48 * rows + 1.5), dpi=self.dpi)
        ax = fig.add_axes((0.30, 0.12, 0.68, 0.70))
        for row, component in enumerate(COMPONENT_ORDER):
            y = rows - 1 - row
            phase = diagnosis.component_phases.get(component)
            level = PHASE_ORDER.index(phase) if phase is not None else None
            for col in range(len(PHASE_ORDER)):
                if level is None:
                    color = UNKNOWN
                elif col == level:
                    color = CURRENT
                elif col < level:
                    color = PASSED
                else:
                    color = AHEAD
                ax.add_patch(Rectangle((col, y), 0.96, 0.9, facecolor=color, edgecolor="white", linewidth=1))
            if level is None:
                ax.text(1.5, y + 0.45, "not enough information", ha="center", va="center", fontsize=8, color="#666")
            else:
                ax.text(
                    level + 0.48,
                    y + 0.45,
                    "here",
                    ha="center",
                    va="center",
                    fontsize=8.5,
                    color="white",
                    fontweight="bold",
                )
            if component in diagnosis.weakest_components:
                ax.add_patch(Rectangle((-0.02, y - 0.03), 2.98, 0.96, fill=False, edgecolor=WEAK_EDGE, linewidth=1.6))
        ax.set_xlim(-0.05, len(PHASE_ORDER))
        ax.set_ylim(-0.1, rows)
        ax.set_xticks([c + 0.48 for c in range(len(PHASE_ORDER))])
        ax.set_xticklabels([PHASE_NAMES[p] for p in PHASE_ORDER], fontsize=9)
        ax.xaxis.tick_top()
        ax.set_yticks([rows - 1 - r + 0.45 for r in range(rows)])
        ax.set_yticklabels([self._row_label(c, diagnosis) for c in COMPONENT_ORDER], fontsize=9)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        fig.suptitle(
            f"Overall phase: {phase_name(diagnosis.phase)}", x=0.02, y=0.985, ha="left", fontsize=11, fontweight="bold"
        )
        legend = "Dark: where it stands · light: phases passed · grey: not described"
        if diagnosis.components:
            legend += " · ▶ what your message is mainly about"
        if diagnosis.weakest_components:
            legend += " · red outline: weakest"
        fig.text(0.02, 0.03, legend, fontsize=7.5, color="#555")
        return fig

    def png(self, diagnosis: Diagnosis) -> bytes:
        buffer = io.BytesIO()
        self.figure(diagnosis).savefig(buffer, format="png", dpi=self.dpi * 1.4)
        return buffer.getvalue()

    @staticmethod
    def _row_label(component: object, diagnosis: Diagnosis) -> str:
        name = COMPONENT_NAMES[component]  # type: ignore[index]
        return f"▶ {name}" if component in diagnosis.components else name
