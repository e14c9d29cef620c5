"""The offline answer: composed from the best sentences of the evidence, then held to the citation check."""

from __future__ import annotations

from advisor.answer.citations import CitationChecker, CitationReport
from advisor.answer.evidence import Evidence
from advisor.answer.lists import FrameworkLists
from advisor.answer.offline_composer import Draft, OfflineComposer
from advisor.answer.scope import ScopeDecision
from advisor.answer.stages import PlaybookStages
from advisor.pipeline.protocols import SearchIndex
from advisor.pipeline.schema import Composed, Gathered
from advisor.schema import Diagnosis, Scope
from knowledge.schema import SearchFilters

_FACT_KINDS = {"money": "budget or cost figure", "quantity": "such figure", "exact_wording": "such exact words"}


def plain_reason(decision: ScopeDecision) -> str:
    """Say in words what the sources lack, for an in-scope question asking a fact they do not hold."""
    return f"they hold no {_FACT_KINDS.get(decision.fact_request or '', 'such fact')} on this"


class DeclineStep:
    """The answer to a question the sources cannot take on: out of scope, or asking a fact they lack."""

    def __init__(self, composer: OfflineComposer) -> None:
        self.composer = composer

    def warm_up(self) -> None:
        """Nothing to load: the composer's picker shares the embedder."""

    def run(self, question: str, decision: ScopeDecision, evidence: Evidence) -> Draft:
        if decision.scope is Scope.OUT_OF_SCOPE:
            return self.composer.out_of_scope()
        return self.composer.unanswerable(question, plain_reason(decision), evidence)


class CompositionStep:
    """Compose the offline answer: the four sections of a situation, or the best sentences of a fact.

    A question asking for a framework's list gets the list; one asking for a stage of a playbook plan
    ("the first three months") gets that stage's steps.
    """

    def __init__(self, composer: OfflineComposer, lists: FrameworkLists, stages: PlaybookStages | None = None) -> None:
        self.composer = composer
        self.lists = lists
        self.stages = stages or PlaybookStages()

    def warm_up(self) -> None:
        """Nothing to load: the composer's picker shares the embedder."""

    def run(
        self,
        question: str,
        diagnosis: Diagnosis | None,
        gathered: Gathered,
        index: SearchIndex,
        filters: SearchFilters | None = None,
    ) -> Composed:
        if diagnosis is not None:
            draft = self.composer.situation(
                question, diagnosis, gathered.evidence, focus=gathered.focus, vectors=gathered.vectors
            )
            return Composed(draft=draft)
        listing = self.lists.evidence(question, index, filters)  # does the question ask for a list?
        if listing is None:
            named = self.lists.sources_named(question)
            ranked = gathered.evidence.answer
            staged = self.stages.evidence(question, ranked, index.records(), named, filters)
            if staged is not None:
                return Composed(draft=staged.draft(), stage=staged)
        return Composed(draft=self.composer.factual(question, gathered.evidence, listing=listing), listing=listing)


class CitationCheckStep:
    """Keep each sentence only where the passage it cites supports it (re-attributing or dropping it)."""

    def __init__(self, checker: CitationChecker) -> None:
        self.checker = checker

    def warm_up(self) -> None:
        """Nothing to load: the checker shares the embedder."""

    def run(self, draft: Draft) -> CitationReport:
        return self.checker.check(draft.text, draft.passages)
