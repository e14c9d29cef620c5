"""Say a fired rule's conclusion in words (``phase=proving_concept`` -> "phase: Proving the concept").

The rules file writes conclusions as ``key=value`` for consultants who edit it; managers reading the
diagnosis panel get the same content with the framework labels spelled out. Anything not in that
form is shown as it is.
"""

from __future__ import annotations

from advisor.frameworks.labels import (
    CHALLENGE_NAMES,
    COMPONENT_NAMES,
    ISA4_NAMES,
    MLBC_NAMES,
    PHASE_NAMES,
    PRACTICE_NAMES,
)

_NAMES: dict[str, str] = {}
for table in (PHASE_NAMES, COMPONENT_NAMES, ISA4_NAMES, MLBC_NAMES, CHALLENGE_NAMES, PRACTICE_NAMES):
    _NAMES.update({str(k): v for k, v in table.items()})

_KEYS = {
    "phase": "overall phase",
    "component": "about",
    "component_phase": "",
    "weak": "weak spot",
    "mlbc_phase": "ML capability cycle",
    "challenge": "challenge",
    "practice": "helpful practice",
    "isa4": "ISA-4 layer",
}


def _label(value: str) -> str:
    return _NAMES.get(value, value.replace("_", " "))


def conclusion_words(conclusion: str) -> str:
    """Spell out each ``key=value`` part of a conclusion; other text passes through."""
    parts = []
    for piece in conclusion.split("; "):
        key, sep, value = piece.partition("=")
        if not sep or key not in _KEYS:
            parts.append(piece)
            continue
        value, _, tail = value.partition(" ")
        tail = f" {tail}" if tail else ""
        if key == "component_phase" and "/" in value:
            component, phase = value.split("/", 1)
            parts.append(f"{_label(component)} at {_label(phase)}{tail}")
        else:
            parts.append(f"{_KEYS[key]}: {_label(value)}{tail}")
    return "; ".join(parts)
