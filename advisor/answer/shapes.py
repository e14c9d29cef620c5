"""Every shape a diagnosis can give a situation answer's framework words, so their vectors exist before a request.

A situation answer searches and ranks with texts made of the manager's message plus framework words
("… platformizing data pipeline forging new roles"), and with texts of framework words alone. The
message part comes from its own vector (``Embedder.anchored``); the framework words depend only on the
phase and the top two components, practices and challenges, written in the frameworks' order
(``framework_words``). That is a few thousand short texts in all. Embedding them at warm-up, in batches,
costs seconds once; embedding them when a diagnosis shape is first met cost every such answer a second
forward pass (about as long as the first), which set the answer's p95 latency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import Enum
from itertools import combinations, product
from typing import TypeVar

from advisor.answer.focus import SituationFocus
from advisor.answer.query import QueryPlan
from advisor.schema import Challenge, Component, Confidence, Diagnosis, Phase, Practice

SENTINEL = "MESSAGE"
"""Stands in for the manager's message; under ``Embedder.anchored(SENTINEL)`` only the words around it are
embedded by the model, which are exactly the texts a real answer then finds in the cache."""

T = TypeVar("T", bound=Enum)


def top_two(kind: type[T]) -> list[tuple[T, ...]]:
    """No item, one, or two of ``kind``: the texts name at most the top two, in a fixed order."""
    members = list(kind)
    return [combo for size in (0, 1, 2) for combo in combinations(members, size)]


def shape(
    phase: Phase | None,
    components: tuple[Component, ...] = (),
    practices: tuple[Practice, ...] = (),
    challenges: tuple[Challenge, ...] = (),
) -> Diagnosis:
    """Build a diagnosis holding only the fields that framework words are made from."""
    return Diagnosis(
        phase=phase,
        component_phases={},
        components=list(components),
        weakest_components=[],
        isa4_layers=[],
        mlbc_phase=None,
        challenges=list(challenges),
        practices=list(practices),
        confidence=Confidence(phase=0, components=0, isa4_layers=0, mlbc_phase=0, challenges=0, practices=0),
        rules_fired=[],
        missing_information=[],
        clarifying_questions=[],
    )


def diagnosis_shapes() -> Iterator[Diagnosis]:
    """Every phase (or none) with every choice of top components, practices and challenges."""
    for phase, components, practices, challenges in product(
        (None, *Phase), top_two(Component), top_two(Practice), top_two(Challenge)
    ):
        yield shape(phase, components, practices, challenges)


def situation_texts(
    plan: Callable[[str, Diagnosis], QueryPlan], focus: Callable[[str, Diagnosis], SituationFocus]
) -> list[str]:
    """Every text a situation answer embeds, over all diagnosis shapes, with ``SENTINEL`` as the message."""
    texts: set[str] = set()
    for diagnosis in diagnosis_shapes():
        texts.update(spec.text for spec in plan(SENTINEL, diagnosis).specs)
        texts.update(focus(SENTINEL, diagnosis).texts())
    return sorted(texts)
