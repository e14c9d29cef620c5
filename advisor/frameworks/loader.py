"""Load the three framework files once per process and give typed access to them.

The phase x component cells are not repeated here: they come from the knowledge layer's rebuilt
scaling table, which carries each cell's text and the records that support it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from advisor.frameworks.datafile import load_yaml, validate_file
from advisor.frameworks.models import (
    Frameworks,
    ImplScalingFramework,
    Isa4Framework,
    MlbcFramework,
)
from advisor.schema import Component, Phase

FRAMEWORK_DIR = Path(__file__).parent
FILES = {
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
        data, lines = load_yaml(path)
        parts[key] = validate_file(model, path, data, lines, kind="element")
    return Frameworks(**parts)


@lru_cache(maxsize=1)
def default_frameworks() -> Frameworks:
    return load_frameworks()


def scaling_cell(component: Component, phase: Phase) -> Any:
    """Return the table cell for a component in a phase, as the knowledge layer rebuilt it."""
    from knowledge.corpus import load_scaling_table

    table = load_scaling_table()
    return table.cell(component.value, phase.value)
