"""The pipeline layer's contract: what each step hands to the next, and what an answer run returns.

Every step's ``run`` returns one of these models (or a domain model it already has: ``SearchResult``,
``ScopeDecision``, ``Diagnosis``, ``Draft``, ``CitationReport``, ``LLMOutcome``). A choice between
outcomes is a union: a message is either ``Accepted`` for answering or ``Final`` with its settled answer.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.answer.citations import CitationReport
from advisor.answer.evidence import Evidence
from advisor.answer.focus import SituationFocus
from advisor.answer.intent import Intent
from advisor.answer.lists import ListEvidence
from advisor.answer.llm_composer import LLMOutcome
from advisor.answer.offline_composer import Draft
from advisor.answer.scope import ScopeDecision
from advisor.answer.stages import StageEvidence
from advisor.schema import Answer, ChatTurn, Diagnosis
from knowledge.vectors import QueryVectors


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Final(_Frozen):
    """The answer is settled before composition.

    A refusal (empty, too long, only instructions), or the decline of a question out of scope or asking a
    fact the sources do not hold.
    """

    outcome: Literal["final"] = "final"
    answer: Answer


class Accepted(_Frozen):
    """The message as the next step reads it, with what the user should be told about how it was read."""

    outcome: Literal["accepted"] = "accepted"
    text: str
    history: list[ChatTurn] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)


class Resolved(_Frozen):
    """The question to answer: a follow-up rewritten with its context, or the message as it was."""

    question: str
    kind: str
    notices: list[str] = Field(default_factory=list)


class Gathered(_Frozen):
    """The evidence of one answer and the query vectors it was searched (and will be ranked) with."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    evidence: Evidence
    focus: SituationFocus | None
    vectors: QueryVectors | None


class Composed(_Frozen):
    """The offline draft, and the framework list or playbook stage it answers when the question asked for one."""

    draft: Draft
    listing: ListEvidence | None = None
    stage: StageEvidence | None = None  # a playbook stage's steps, verbatim: no model rewrites them


class WriterUnavailable(_Frozen):
    """A model is configured but its backend cannot be built: every answer is the offline one, with ``problem``."""

    problem: str


class Prepared(_Frozen):
    """Everything decided before a language model writes: the checked offline answer is the fallback."""

    question: str
    scope: ScopeDecision
    intent: Intent
    diagnosis: Diagnosis | None
    evidence: Evidence
    offline: CitationReport
    notices: list[str]
    listing: ListEvidence | None = None  # a list question: the model's answer must name every item
    stage: StageEvidence | None = None  # a playbook stage question: the answer is its steps, verbatim


class Response(_Frozen):
    """An Answer plus the LLM path's outcome (None when no LLM was asked)."""

    answer: Answer
    outcome: LLMOutcome | None
