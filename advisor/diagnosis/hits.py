"""What signal detection returns: each hit with its polarity, hedge, number and the user's words."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.schema import MatchedSpan


class SignalHit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    signal: str
    negated: bool
    hedged: bool
    method: Literal["lexical", "semantic", "questionnaire"]
    similarity: float = Field(ge=-1, le=1, description="1.0 for lexical hits; cosine for semantic ones")
    count: int | None = Field(default=None, description="A number the manager gave with it ('eleven models')")
    clause: int = Field(ge=0, description="Index of the clause the hit sits in")
    span: MatchedSpan


class SignalReport(BaseModel):
    """All candidate hits for one message; semantic ones below the active threshold are dropped later."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    message: str
    clause_count: int
    hits: list[SignalHit]

    def active(self, threshold: float) -> list[SignalHit]:
        """Hits that count at this semantic threshold (lexical hits always count)."""
        return [h for h in self.hits if h.method != "semantic" or h.similarity >= threshold]
