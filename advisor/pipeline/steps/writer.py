"""The language model's answer, written from the passages and held to the same citation check."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.answer.llm_composer import LLMComposer, LLMOutcome
from advisor.pipeline.schema import Prepared


class WriterStep:
    """Ask the configured model to write the answer; the outcome is ``Accepted`` or ``FellBack`` with why."""

    def __init__(self, composer: LLMComposer) -> None:
        self.composer = composer

    @property
    def name(self) -> str:
        return self.composer.backend.name

    def warm_up(self) -> None:
        """Load the model (the bundled one: join and verify the file once, then start its server)."""
        self.composer.warm_up()

    def run(self, prepared: Prepared) -> LLMOutcome:
        return self.composer.compose(
            prepared.question, prepared.evidence, prepared.diagnosis, prepared.offline, prepared.listing
        )

    def stream(self, prepared: Prepared) -> Iterator[str | LLMOutcome]:
        """Yield checked pieces of the answer as the model writes them, then the outcome."""
        yield from self.composer.stream(
            prepared.question, prepared.evidence, prepared.diagnosis, prepared.offline, prepared.listing
        )
