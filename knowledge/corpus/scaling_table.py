"""Table 2 of the implementing-and-scaling paper (phases x socio-technical components) as data.

The table is OCR-garbled in the source (cells interleaved across columns), so it is rebuilt by
hand in knowledge/data/scaling_table.yaml: every cell with its text, the source lines its
fragments sit on, and the passages whose prose supports it.  Validation makes sure the grid is
complete (every phase x component exactly once) and that every cited record exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from knowledge.corpus.paths import RECORDS_FILE, SCALING_TABLE_FILE
from knowledge.datafile import DataFileError, Strict, load_yaml_model

PhaseId = Literal["proving_concept", "productionizing", "platformizing"]
ComponentId = Literal[
    "data_pipeline",
    "technical_infrastructure",
    "ai_models",
    "ai_growth_vision",
    "ai_capabilities",
    "organizational_structure",
]


class TablePhase(Strict):
    id: PhaseId
    label: str
    section: str  # the paper section that describes the phase


class TableComponent(Strict):
    id: ComponentId
    label: str
    group: Literal["technical", "social"]


class ScalingCell(Strict):
    phase: PhaseId
    component: ComponentId
    text: str = Field(min_length=3)
    source_lines: list[int] = Field(
        min_length=1, description="lines of implementing_scaling_ai.txt holding the fragments"
    )
    supporting_records: list[str] = Field(min_length=1)

    @property
    def record_ids(self) -> list[str]:
        """Alias of ``supporting_records`` (the name the answer layer reads)."""
        return list(self.supporting_records)

    @property
    def tags(self) -> tuple[str, str]:
        return f"phase:{self.phase}", f"component:{self.component}"


class ScalingTable(Strict):
    source_id: Literal["impl_scaling"]
    title: str
    source_lines: tuple[int, int]
    phases: list[TablePhase] = Field(min_length=3, max_length=3)
    components: list[TableComponent] = Field(min_length=6, max_length=6)
    cells: list[ScalingCell]

    @model_validator(mode="after")
    def _complete_grid(self) -> ScalingTable:
        seen = [(c.phase, c.component) for c in self.cells]
        wanted = {(p.id, c.id) for p in self.phases for c in self.components}
        duplicates = {pair for pair in seen if seen.count(pair) > 1}
        if duplicates:
            raise ValueError(f"cells given twice: {sorted(duplicates)}")
        if set(seen) != wanted:
            raise ValueError(f"missing cells: {sorted(wanted - set(seen))}")
        return self

    def cell(self, first: str, second: str) -> ScalingCell:
        """Return the cell for a phase and a component, given in either order.

        Phase and component ids never overlap, so the order is unambiguous; callers written as
        ``cell(phase, component)`` and ``cell(component, phase)`` both work.
        """
        phases = {p.id for p in self.phases}
        phase, component = (first, second) if first in phases else (second, first)
        for cell in self.cells:
            if cell.phase == phase and cell.component == component:
                return cell
        raise KeyError(f"no cell for phase {phase!r} x component {component!r}")


def load_scaling_table(path: Path = SCALING_TABLE_FILE, records_file: Path | None = RECORDS_FILE) -> ScalingTable:
    """Load and validate the table; with ``records_file``, every supporting record must exist in it."""
    table = load_yaml_model(path, ScalingTable, kind="cell")
    if records_file is not None:
        from knowledge.corpus.store import load_records

        known = {r.id for r in load_records(records_file)}
        for cell in table.cells:
            missing = [i for i in cell.supporting_records if i not in known]
            if missing:
                raise DataFileError(
                    path, None, f"cell {cell.phase} x {cell.component}", f"cites unknown records {missing}"
                )
    return table
