"""Diagnosis of a situation: the rule-backed placement in the frameworks."""

from __future__ import annotations

from advisor.pipeline.protocols import SituationDiagnoser
from advisor.schema import Diagnosis
from knowledge.embedding import Embedder


class DiagnosisStep:
    """Place the situation; its message and the clauses the diagnoser reads are embedded in one batch first."""

    def __init__(self, diagnoser: SituationDiagnoser, embedder: Embedder) -> None:
        self.diagnoser = diagnoser
        self.embedder = embedder

    def warm_up(self) -> None:
        self.diagnoser.warm_up()

    def prefetch(self, question: str) -> None:
        """Embed the question with the diagnoser's clauses in one forward pass (it costs about one text's)."""
        self.embedder.embed([question.strip(), *self.diagnoser.embedded_texts(question)])

    def run(self, question: str) -> Diagnosis:
        return self.diagnoser.diagnose(question)
