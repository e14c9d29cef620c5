"""Load the three framework files once per process and give typed access to them.

The phase x component cells are not repeated here: they come from the knowledge layer's rebuilt
scaling table, which carries each cell's text and the records that support it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from advisor.frameworks.models import (
    Frameworks,
    ImplScalingFramework,
    Isa4Framework,
    MlbcFramework,
)
from advisor.schema import Component, Phase
from knowledge.datafile import load_yaml_model

if TYPE_CHECKING:
    from knowledge.corpus.scaling_table import ScalingCell, ScalingTable

FRAMEWORK_DIR = Path(__file__).parent
FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "impl_scaling": ("impl_scaling.yaml", ImplScalingFramework),
    "isa4": ("isa4.yaml", Isa4Framework),
    "mlbc": ("mlbc.yaml", MlbcFramework),
}


def load_frameworks(directory: Path | None = None) -> Frameworks:
    """Read and validate the three framework files; errors name the file, line and element."""
    folder = Path(directory) if directory else FRAMEWORK_DIR
    parts: dict[str, Any] = {}
    for key, (filename, model) in FILES.items():
        path = folder / filename
        parts[key] = load_yaml_model(path, model, kind="element")
    return Frameworks(**parts)


@lru_cache(maxsize=1)
def default_frameworks() -> Frameworks:
    return load_frameworks()


@lru_cache(maxsize=1)
def _scaling_table() -> ScalingTable:
    from knowledge.corpus import load_scaling_table

    return load_scaling_table()


def scaling_cell(component: Component, phase: Phase) -> ScalingCell:
    """Return the table cell (text + supporting records) for a component in a phase.

    The cell wording lives only in the knowledge layer's rebuilt Table 2, so the frameworks and
    the corpus can never disagree about it.
    """
    return _scaling_table().cell(Phase(phase).value, Component(component).value)
