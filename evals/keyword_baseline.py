"""A keyword-only diagnoser, the yardstick the rule-backed one is compared with in the diagnosis task.

Its keyword lists are ``keyword_baseline.yaml`` beside this module; it is no part of the product.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from advisor.schema import (
    Challenge,
    Component,
    Confidence,
    Diagnosis,
    Isa4Layer,
    MatchedSpan,
    MlbcPhase,
    Phase,
    Practice,
    RuleFired,
)
from knowledge.datafile import load_yaml_model

KEYWORDS_FILE = Path(__file__).with_name("keyword_baseline.yaml")
E = TypeVar("E", bound=StrEnum)


class KeywordLists(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    phase: dict[Phase, list[str]]
    mlbc_phase: dict[MlbcPhase, list[str]]
    components: dict[Component, list[str]]
    challenges: dict[Challenge, list[str]]
    practices: dict[Practice, list[str]]
    isa4_layers: dict[Isa4Layer, list[str]]


def load_keywords(path: Path | None = None) -> KeywordLists:
    path = Path(path or KEYWORDS_FILE)
    return load_yaml_model(path, KeywordLists, kind="keywords")


class KeywordDiagnoser:
    """Counts keyword occurrences per label; most hits wins for single labels, any hit lists a label."""

    def __init__(self, keywords: KeywordLists | None = None) -> None:
        self.keywords = keywords or load_keywords()

    @staticmethod
    def _spans(message: str, words: list[str]) -> list[MatchedSpan]:
        spans = []
        for word in words:
            for m in re.finditer(r"\b" + re.escape(word), message, re.IGNORECASE):
                spans.append(MatchedSpan(text=m.group(0), start=m.start(), end=m.end()))
        return spans

    def _counts(self, message: str, table: dict[E, list[str]], fired: list[RuleFired], field: str) -> dict[E, int]:
        counts: dict[E, int] = {}
        for label, words in table.items():
            spans = self._spans(message, words)
            if spans:
                counts[label] = len(spans)
                fired.append(
                    RuleFired(
                        rule_id=f"keyword.{field}.{label.value}",
                        conclusion=f"{field}={label.value}",
                        matched=sorted(spans, key=lambda s: s.start),
                    )
                )
        return counts

    @staticmethod
    def _best(counts: dict[E, int], order: list[E]) -> E | None:
        if not counts:
            return None
        return sorted(counts, key=lambda k: (-counts[k], order.index(k)))[0]

    @staticmethod
    def _listed(counts: dict[E, int], order: list[E], limit: int | None = None) -> list[E]:
        ranked = sorted(counts, key=lambda k: (-counts[k], order.index(k)))
        return ranked[:limit] if limit else ranked

    def diagnose(self, message: str, questionnaire: object | None = None) -> Diagnosis:
        """Keyword placement; ``questionnaire`` is accepted for interface parity and ignored."""
        fired: list[RuleFired] = []
        phase_counts = self._counts(message, self.keywords.phase, fired, "phase")
        mlbc_counts = self._counts(message, self.keywords.mlbc_phase, fired, "mlbc_phase")
        comp_counts = self._counts(message, self.keywords.components, fired, "component")
        ch_counts = self._counts(message, self.keywords.challenges, fired, "challenge")
        pr_counts = self._counts(message, self.keywords.practices, fired, "practice")
        isa_counts = self._counts(message, self.keywords.isa4_layers, fired, "isa4")
        phase = self._best(phase_counts, list(Phase))
        components = self._listed(comp_counts, list(Component), 3)
        return Diagnosis(
            phase=phase,
            component_phases={c: (phase if c in components else None) for c in Component},
            components=components,
            weakest_components=[],
            isa4_layers=self._listed(isa_counts, list(Isa4Layer)),
            mlbc_phase=self._best(mlbc_counts, list(MlbcPhase)),
            challenges=self._listed(ch_counts, list(Challenge)),
            practices=self._listed(pr_counts, list(Practice), 3),
            confidence=Confidence(
                phase=0.5 if phase else 0.0,
                components=0.5 if components else 0.0,
                isa4_layers=0.5 if isa_counts else 0.0,
                mlbc_phase=0.5 if mlbc_counts else 0.0,
                challenges=0.5 if ch_counts else 0.0,
                practices=0.5 if pr_counts else 0.0,
            ),
            rules_fired=fired,
            missing_information=[],
            clarifying_questions=[],
        )
