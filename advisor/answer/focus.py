"""The texts a situation answer ranks sentences against, decided from the message and the diagnosis alone.

Naming them up front lets the advisor embed them all in one batch before composing (one forward pass
instead of one per new text), and keeps the wording of each section's focus in one place.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from advisor.answer.query import (
    CHALLENGE_WORDS,
    COMPONENT_WORDS,
    NEXT_PHASE,
    PHASE_WORDS,
    PRACTICE_WORDS,
    framework_words,
)
from advisor.schema import Diagnosis


class LabelledFocus(BaseModel):
    """A focus text and the framework element it serves (shown as the line's label)."""

    model_config = ConfigDict(frozen=True)

    label: str
    text: str


class SituationFocus(BaseModel):
    model_config = ConfigDict(frozen=True)

    message: str
    where: str
    next_cells: list[LabelledFocus]
    practices: list[LabelledFocus]
    framework: str
    steps: str
    challenges: list[LabelledFocus]
    watch_fallback: str

    @classmethod
    def build(cls, message: str, d: Diagnosis, max_practices: int = 2, max_watch: int = 2) -> SituationFocus:
        phase = PHASE_WORDS[d.phase] if d.phase else ""
        target = PHASE_WORDS[NEXT_PHASE[d.phase]] if d.phase else ""
        components = [COMPONENT_WORDS[c] for c in d.components[:2]]
        practices = [PRACTICE_WORDS[p] for p in d.practices]
        # Joined texts name the same elements in the frameworks' order (see ``framework_words``); the
        # labelled lines keep the diagnosis' ranking, weakest component first.
        joined_components = framework_words(d.components, COMPONENT_WORDS)
        joined = " ".join([joined_components, framework_words(d.practices, PRACTICE_WORDS, limit=max_practices)])
        framework = " ".join(f"{target} {joined}".split())
        next_cells = [LabelledFocus(label=c, text=f"{target} phase {c}: what firms should do") for c in components]
        if not next_cells and target:  # no component named: the next phase as a whole is the move
            next_cells = [LabelledFocus(label=f"{target} phase", text=f"{target} phase: what firms should do")]
        return cls(
            message=message,
            where=f"{phase} phase {joined_components}",
            next_cells=next_cells,
            practices=[
                LabelledFocus(label=p, text=f"{p}: what organizations should do") for p in practices[:max_practices]
            ],
            framework=framework,
            steps=f"{message} {framework}",
            challenges=[
                LabelledFocus(label=CHALLENGE_WORDS[c], text=f"{CHALLENGE_WORDS[c]} {message}")
                for c in d.challenges[:max_watch]
            ],
            watch_fallback=f"challenge risk {message}",
        )

    def texts(self) -> list[str]:
        """Every text the composer will embed for this answer, in the order it uses them."""
        labelled = [f.text for f in (*self.next_cells, *self.practices, *self.challenges)]
        return [self.message, self.where, *labelled, self.framework, self.steps, self.watch_fallback]
