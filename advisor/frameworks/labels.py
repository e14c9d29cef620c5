"""Plain-language names for the framework labels, shared by the chat, the chart, the report and the queries.

Managers read these, not the snake_case contract strings, so every view takes its wording from here. None
of it is written here: every name comes from the frameworks' YAML files (``advisor/frameworks/*.yaml``),
the element's ``display_name`` where it has one, else its ``name``. The label ids themselves are the enums
in :mod:`advisor.schema`; ``tests/advisor/frameworks/test_labels.py`` checks the two agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from advisor.frameworks.loader import default_frameworks
from advisor.messages import messages
from advisor.schema import Challenge, Component, Isa4Layer, MlbcPhase, Phase, Practice
from knowledge.schema import RecordKind

L = TypeVar("L", Phase, Component, Isa4Layer, MlbcPhase, Challenge, Practice)

_FRAMEWORKS = default_frameworks()


class _Labelled(Protocol):
    """A framework element as :func:`_names` reads it: every concrete element has an ``id`` of its kind."""

    @property
    def id(self) -> str: ...

    @property
    def label(self) -> str: ...


def _names(label: type[L], elements: Iterable[_Labelled]) -> dict[L, str]:
    """Map each element's id to the name a manager reads, in the file's order."""
    return {label(e.id): e.label for e in elements}


def running_text(name: str) -> str:
    """Write a display name the way the papers use it in running text: lower case, but an acronym stays (AI)."""
    return " ".join(word if word.isupper() else word.lower() for word in name.split())


PHASE_ORDER: list[Phase] = [Phase(p.id) for p in _FRAMEWORKS.impl_scaling.phases]  # validated to be level order
COMPONENT_ORDER: list[Component] = [Component(c.id) for c in _FRAMEWORKS.impl_scaling.components]

PHASE_NAMES: dict[Phase, str] = _names(Phase, _FRAMEWORKS.impl_scaling.phases)
COMPONENT_NAMES: dict[Component, str] = _names(Component, _FRAMEWORKS.impl_scaling.components)
ISA4_NAMES: dict[Isa4Layer, str] = _names(Isa4Layer, _FRAMEWORKS.isa4.layers)
MLBC_NAMES: dict[MlbcPhase, str] = _names(MlbcPhase, _FRAMEWORKS.mlbc.phases)
CHALLENGE_NAMES: dict[Challenge, str] = _names(Challenge, _FRAMEWORKS.mlbc.challenges)
CHALLENGE_HINTS: dict[Challenge, str] = {Challenge(c.id): c.hint for c in _FRAMEWORKS.mlbc.challenges}
PRACTICE_NAMES: dict[Practice, str] = _names(Practice, _FRAMEWORKS.mlbc.practices)

# The same names in running text, for retrieval queries and the answers' framing sentences.
PHASE_WORDS: dict[Phase, str] = {k: running_text(v) for k, v in PHASE_NAMES.items()}
COMPONENT_WORDS: dict[Component, str] = {k: running_text(v) for k, v in COMPONENT_NAMES.items()}
PRACTICE_WORDS: dict[Practice, str] = {k: running_text(v) for k, v in PRACTICE_NAMES.items()}
CHALLENGE_WORDS: dict[Challenge, str] = {k: running_text(v) for k, v in CHALLENGE_NAMES.items()}

# The phase after each one (the last phase has none after it, so it is its own target).
NEXT_PHASE: dict[Phase, Phase] = {p: PHASE_ORDER[min(i + 1, len(PHASE_ORDER) - 1)] for i, p in enumerate(PHASE_ORDER)}
# What a section heading of the implementing-and-scaling paper says when it is about a phase.
PHASE_SECTION_KEYS: dict[Phase, tuple[str, ...]] = {
    Phase(p.id): (f"level {p.level}", running_text(p.label)) for p in _FRAMEWORKS.impl_scaling.phases
}

KIND_NAMES: dict[RecordKind, str] = {
    RecordKind.PASSAGE: "Research paper",
    RecordKind.QUOTE: "Practitioner quote",
    RecordKind.PLAYBOOK_STEP: "Playbook step",
    RecordKind.USER_DOC: "Your document",
}


def phase_name(phase: Phase | None) -> str:
    return PHASE_NAMES[phase] if phase is not None else messages().text("no_phase")
