"""Eval cases: what a consultant writes down as the right behaviour, one JSON object per line.

This is the one case schema of every set (``evals/sets/*.jsonl``). A case is one of a few typed kinds,
discriminated by ``type``, each with the fields that kind needs (required where a case is useless
without them): an answers case (situation, factual, scope, injection) is asked through the advisor, a
``retrieval`` case through the search modes, a ``diagnosis`` case through the diagnoser. Set membership,
versions and what a set runs live in ``sets/sets.yaml``, so a change to a set is deliberate and visible
in the baseline it is gated against.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, RootModel, StringConstraints, model_validator

from advisor.schema import (
    Challenge,
    ChatTurn,
    Component,
    Isa4Layer,
    MlbcPhase,
    Phase,
    Practice,
    Scope,
)
from knowledge.datafile import Strict

CASE_ID_PATTERN = r"^[a-z0-9][a-z0-9_.:-]*$"

Split = Literal["calibration", "held_out", "cv", "test"]
"""Where a development case may be used: tuned on (calibration, cv) or only scored (held_out, test)."""

QueryStyle = Literal["manager", "consultant", "quote"]
"""How a retrieval query is worded: a manager's own words, practitioner terms, a half-remembered quote."""


class CaseType(StrEnum):
    SITUATION = "situation"
    FACTUAL = "factual"
    RETRIEVAL = "retrieval"
    DIAGNOSIS = "diagnosis"
    IN_SCOPE = "in_scope"
    OUT_OF_SCOPE = "out_of_scope"
    UNANSWERABLE = "unanswerable"
    INJECTION = "injection"


class ExpectedDiagnosis(Strict):
    """Labels a reader of the papers would defend for a situation.

    A field left out (null) is not judged for this case; at least one field must be judged. Lists
    that are given are exact expectations: an empty list means "none of these apply".
    """

    phase: Phase | None = None
    components: list[Component] | None = Field(default=None, max_length=3)
    challenges: list[Challenge] | None = None
    practices: list[Practice] | None = None
    mlbc_phase: MlbcPhase | None = None
    isa4_layers: list[Isa4Layer] | None = None

    @model_validator(mode="after")
    def _judges_something(self) -> ExpectedDiagnosis:
        if not any(getattr(self, name) is not None for name in type(self).model_fields):
            raise ValueError("expected diagnosis judges nothing: give at least one of phase, components, ...")
        return self


class DiagnosisLabels(ExpectedDiagnosis):
    """The full labels of a diagnosis case: every field is given (``mlbc_phase`` null = no gold MLbC phase)."""

    phase: Phase
    components: list[Component] = Field(min_length=1, max_length=3)
    mlbc_phase: MlbcPhase | None
    challenges: list[Challenge]
    practices: list[Practice]
    isa4_layers: list[Isa4Layer]


class Evidence(Strict):
    """A verbatim string the answer should rest on, and the records that hold it (any one is enough)."""

    text: str = Field(min_length=8)
    record_ids: list[str] = Field(min_length=1)


def _as_alternatives(value: object) -> object:
    """Let a key term with a single spelling be written as a plain string."""
    return [value] if isinstance(value, str) else value


KeyTerm = Annotated[
    list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"\w")]],
    BeforeValidator(_as_alternatives),
    Field(min_length=1, description="One fact the answer must state; any one of these spellings counts."),
]
"""A ``must_say`` entry: ``"productionizing"`` or ``["proving the concept", "proof of concept"]``."""


class _CaseCore(Strict):
    id: str = Field(pattern=CASE_ID_PATTERN)
    message: str = Field(min_length=1)
    history: list[ChatTurn] = Field(
        default_factory=list, description="Earlier turns; a non-empty history makes this a follow-up case."
    )
    tags: list[str] = Field(default_factory=list, description="Free labels for slicing a report.")
    split: Split | None = Field(default=None, description="Development split: tune on calibration/cv only.")

    @property
    def is_follow_up(self) -> bool:
        return bool(self.history)

    @property
    def expected_scope(self) -> Scope | None:
        return Scope.IN_SCOPE


class _CaseBase(_CaseCore):
    rationale: str = Field(min_length=1, description="Why this expectation is right, pointing at the sources.")


class SituationCase(_CaseBase):
    """A manager describes their organization; the advisor must place it and answer in scope."""

    type: Literal["situation"] = "situation"
    expected: ExpectedDiagnosis
    evidence: list[Evidence] = Field(default_factory=list)


class FactualCase(_CaseBase):
    """A question the sources answer; the answer must cite records holding the evidence."""

    type: Literal["factual"] = "factual"
    evidence: list[Evidence] = Field(min_length=1)
    expected_diagnosis: ExpectedDiagnosis | None = Field(
        default=None, description="For follow-ups that continue a situation: labels that must survive."
    )
    must_say: list[KeyTerm] | None = Field(
        default=None,
        min_length=1,
        max_length=6,
        description="The facts asked for, as key terms the answer text must contain (scored by answer_says_it).",
    )


class RetrievalCase(_CaseCore):
    """A query in a user's words with the records a good retriever should find (the retrieval dev set)."""

    type: Literal["retrieval"] = "retrieval"
    message: str = Field(min_length=3)
    relevant_ids: list[str] = Field(min_length=1, description="IDs of records that answer the query.")
    style: QueryStyle
    rationale: str | None = Field(default=None, min_length=1, description="The relevant IDs are the rationale.")


class DiagnosisCase(_CaseBase):
    """A situation fully labelled for the diagnoser (the diagnosis dev set and the wild set)."""

    type: Literal["diagnosis"] = "diagnosis"
    message: str = Field(min_length=10)
    split: Split
    industry: str
    size: str
    voice: str | None = Field(default=None, description="Who speaks (the wild set): 'R&D manager', ...")
    expected: DiagnosisLabels


class InScopeCase(_CaseBase):
    """On topic with no fixed evidence (the scope dev set): it must be answered, not declined."""

    type: Literal["in_scope"] = "in_scope"


class OutOfScopeCase(_CaseBase):
    """Unrelated to implementing or scaling AI in organizations: a polite decline, no citations."""

    type: Literal["out_of_scope"] = "out_of_scope"

    @property
    def expected_scope(self) -> Scope:
        return Scope.OUT_OF_SCOPE


class UnanswerableCase(_CaseBase):
    """On topic, but the sources do not hold the fact: say so, invent nothing."""

    type: Literal["unanswerable"] = "unanswerable"
    forbidden: list[str] = Field(
        default_factory=list, description="Strings an honest answer must not contain (e.g. an invented figure)."
    )

    @property
    def expected_scope(self) -> Scope:
        return Scope.UNANSWERABLE


class InjectionAttack(StrEnum):
    INVENTED_ID = "invented_id"
    PROMPT_DUMP = "prompt_dump"
    FORCED_DIAGNOSIS = "forced_diagnosis"
    INVENTED_FIGURE = "invented_figure"
    ROLE_OVERRIDE = "role_override"


class InjectionCase(_CaseBase):
    """A message that tries to change the rules; the answer must keep them."""

    type: Literal["injection"] = "injection"
    attack: InjectionAttack
    forbidden: list[str] = Field(
        min_length=1, description="Strings that appear in the answer or its citations only if the attack worked."
    )
    forced_phase: Phase | None = Field(default=None, description="The phase the attack tries to force, if any.")
    allowed_scopes: list[Scope] = Field(min_length=1)

    @model_validator(mode="after")
    def _forced_needs_phase(self) -> InjectionCase:
        if self.attack is InjectionAttack.FORCED_DIAGNOSIS and self.forced_phase is None:
            raise ValueError("a forced_diagnosis attack must name the forced_phase")
        return self

    @property
    def expected_scope(self) -> Scope | None:
        return self.allowed_scopes[0] if len(self.allowed_scopes) == 1 else None


EvalCase = Annotated[
    SituationCase
    | FactualCase
    | RetrievalCase
    | DiagnosisCase
    | InScopeCase
    | OutOfScopeCase
    | UnanswerableCase
    | InjectionCase,
    Field(discriminator="type"),
]


class CaseLine(RootModel[EvalCase]):
    """One line of a set file: any case kind, chosen by its ``type``."""


def expected_labels(case: EvalCase) -> ExpectedDiagnosis | None:
    """Return the labels a case judges a diagnosis by, if any (a follow-up's labels that must survive)."""
    if isinstance(case, SituationCase | DiagnosisCase):
        return case.expected
    if isinstance(case, FactualCase):
        return case.expected_diagnosis
    return None


Task = Literal["answers", "retrieval", "diagnosis"]
"""What a set runs: every case through ``Advisor.ask``, through each search mode, or through the diagnoser."""

Tuning = Literal["none", "maps", "knobs", "all"]
"""What cross-validation fits on the training folds: nothing, the confidence maps, also the aggregation
knobs, also the semantic threshold."""


class SetFile(Strict):
    """One file of a set; every file is in the one case format of this module."""

    path: str
    optional: bool = Field(default=False, description="Skip quietly when the file does not exist yet.")


class SetSpec(Strict):
    """A named, versioned set: bump ``version`` whenever cases change, so baselines are re-recorded on purpose."""

    version: int = Field(ge=1)
    description: str
    task: Task = "answers"
    files: list[SetFile] = Field(min_length=1)
    split: Split | None = Field(default=None, description="Keep only cases of this split (others are not parsed).")
    case_ids: list[str] | None = Field(default=None, description="Keep only these cases (a subset set).")
    folds: int | None = Field(default=None, ge=2, le=20, description="Diagnosis: k-fold cross-validation.")
    tune: Tuning = Field(default="maps", description="Diagnosis with folds: what the training folds fit.")
    gated: bool = Field(default=True, description="False: never compared with a baseline (a frozen test split).")


class SetsManifest(Strict):
    sets: dict[str, SetSpec]


class EvalSet(Strict):
    """A loaded set: its name, version, what it runs and its validated cases."""

    name: str
    version: int
    description: str
    cases: list[EvalCase]
    task: Task = "answers"
    split: Split | None = None
    folds: int | None = None
    tune: Tuning = "maps"
    gated: bool = True
