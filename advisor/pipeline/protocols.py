"""What the pipeline needs from its heavier parts; tests and other implementations meet these shapes.

``SearchIndex`` lives beside the retriever (``knowledge.index.retriever``); the pipeline adds warm-up.
"""

from __future__ import annotations

from typing import Protocol

from advisor.schema import Diagnosis
from knowledge.index.retriever import SearchIndex

__all__ = ["SearchIndex", "SituationDiagnoser", "Step", "WarmIndex"]


class Step(Protocol):
    """Every pipeline step: heavy loading in ``warm_up()``; its typed ``run(...)`` differs per step."""

    def warm_up(self) -> None: ...


class WarmIndex(SearchIndex, Protocol):
    def warm_up(self) -> None: ...


class SituationDiagnoser(Protocol):
    """Places a situation in the frameworks (``advisor.diagnosis.Diagnoser``)."""

    def warm_up(self) -> None: ...

    def diagnose(self, message: str) -> Diagnosis: ...

    def embedded_texts(self, message: str) -> list[str]: ...
