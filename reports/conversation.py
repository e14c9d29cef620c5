"""One browser session's conversation: what the user asked and the full Answer each time.

Kept whole (citations, diagnosis) rather than as chat text, because the report is drawn from it.
A Conversation lives in a ``gr.State``, so each browser session has its own and none is shared.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, Field

from advisor.schema import Answer, ChatTurn, Diagnosis


class Exchange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str
    answer: Answer


class Conversation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exchanges: list[Exchange] = Field(default_factory=list)
    doc_ids: list[str] = Field(default_factory=list, description="Documents this session uploaded.")

    def history(self) -> list[ChatTurn]:
        turns: list[ChatTurn] = []
        for exchange in self.exchanges:
            turns.append(ChatTurn(role="user", content=exchange.message))
            turns.append(ChatTurn(role="assistant", content=exchange.answer.answer))
        return turns

    def with_exchange(self, message: str, answer: Answer) -> Conversation:
        """Return a new Conversation with one more exchange; the old one is left untouched."""
        return self.model_copy(update={"exchanges": [*self.exchanges, Exchange(message=message, answer=answer)]})

    def latest_diagnosis(self) -> tuple[Diagnosis, str] | None:
        """Find the most recent diagnosis and the message it was read from."""
        for exchange in reversed(self.exchanges):
            if exchange.answer.diagnosis is not None:
                return exchange.answer.diagnosis, exchange.message
        return None

    def to_jsonl(self) -> str:
        """Write the report input format (see ``reports/REPORT_FORMAT.md``): one exchange per line."""
        return "".join(
            json.dumps({"message": e.message, **e.answer.model_dump(mode="json")}, ensure_ascii=False) + "\n"
            for e in self.exchanges
        )
