"""Every framework label is written once: its id in advisor/schema.py, everything else in advisor/frameworks/*.yaml.

A consultant who adds, renames or reorders a label in one place gets a failure naming the file, the list
and the line to fix in the other.
"""

from __future__ import annotations

from enum import StrEnum

import pytest

from advisor.frameworks import labels
from advisor.frameworks.loader import FRAMEWORK_DIR, default_frameworks
from advisor.schema import Challenge, Component, Isa4Layer, MlbcPhase, Phase, Practice
from knowledge.datafile import load_yaml

LISTS: list[tuple[str, str, type[StrEnum]]] = [
    ("impl_scaling.yaml", "phases", Phase),
    ("impl_scaling.yaml", "components", Component),
    ("isa4.yaml", "layers", Isa4Layer),
    ("mlbc.yaml", "phases", MlbcPhase),
    ("mlbc.yaml", "challenges", Challenge),
    ("mlbc.yaml", "practices", Practice),
]


@pytest.mark.parametrize(("filename", "key", "enum"), LISTS, ids=[f"{f}:{k}" for f, k, _ in LISTS])
def test_schema_enums_and_framework_ids_agree(filename: str, key: str, enum: type[StrEnum]) -> None:
    path = FRAMEWORK_DIR / filename
    data, lines = load_yaml(path)  # raw data: a typed load would already refuse an unknown id
    in_file = [entry["id"] for entry in data[key]]
    in_schema = [member.value for member in enum]
    where = f"{path}:{lines.line((key,))} ({key})"
    only_file = [i for i in in_file if i not in in_schema]
    only_schema = [i for i in in_schema if i not in in_file]
    assert not only_file, f"{where} has ids that advisor/schema.py {enum.__name__} lacks: {only_file}"
    assert not only_schema, f"advisor/schema.py {enum.__name__} has values that {where} lacks: {only_schema}"
    assert in_file == in_schema, f"{where} lists {in_file}; advisor/schema.py {enum.__name__} lists {in_schema}"


def test_display_names_come_from_the_framework_files() -> None:
    fw = default_frameworks()
    assert {p.id: p.display_name or p.name for p in fw.impl_scaling.phases} == labels.PHASE_NAMES
    assert labels.ISA4_NAMES[Isa4Layer.DATA_INFRASTRUCTURE] == "Data infrastructure"  # the file's display_name
    assert fw.isa4.layers[0].name == "Data Infrastructure"  # the paper's name, used where the paper is quoted
    assert {p.id: p.name for p in fw.mlbc.phases} == labels.MLBC_NAMES
    assert {c.id: c.hint for c in fw.mlbc.challenges} == labels.CHALLENGE_HINTS
    assert labels.COMPONENT_WORDS[Component.AI_MODELS] == "AI models"  # acronyms stay in running text
    assert labels.NEXT_PHASE[Phase.PLATFORMIZING] == Phase.PLATFORMIZING
    assert labels.PHASE_SECTION_KEYS[Phase.PRODUCTIONIZING] == ("level 2", "productionizing")
    assert labels.phase_name(None) == "Not enough information"


def test_labels_module_writes_no_framework_name() -> None:
    source = (FRAMEWORK_DIR / "labels.py").read_text(encoding="utf-8")
    for names in (labels.PHASE_NAMES, labels.COMPONENT_NAMES, labels.PRACTICE_NAMES, labels.CHALLENGE_NAMES):
        assert not [n for n in names.values() if f'"{n}"' in source]
