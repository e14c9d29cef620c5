"""Typed shape of signals and rules; the validators carry the checks a consultant's edit can break."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from advisor.rules.lexicon import NEGATION_RE, NUM_REGEX, ORD_REGEX
from advisor.schema import Challenge, Component, Isa4Layer, MlbcPhase, Phase, Practice
from knowledge.datafile import Strict

SignalId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


def expand_pattern(pattern: str) -> str:
    """Substitute ``{NUM}`` (digits, number words, "dozens") and ``{ORD}`` ("third", "seventh") into a regex."""
    return pattern.replace("{NUM}", NUM_REGEX).replace("{ORD}", ORD_REGEX)


def phrase_pattern(phrase: str) -> str:
    """Turn a plain phrase into a case-insensitive, word-bounded, whitespace-tolerant regex."""
    escaped = re.escape(phrase.strip()).replace(r"\ ", r"\s+").replace(r"\{NUM\}", NUM_REGEX)
    escaped = escaped.replace("'", "['’]")
    left = r"\b" if phrase[:1].isalnum() else ""
    right = r"\b" if phrase[-1:].isalnum() else ""
    return left + escaped + right


class SignalDef(Strict):
    id: SignalId
    description: str = Field(min_length=5)
    negatable: bool = True
    phrases: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    negated_patterns: list[str] = Field(default_factory=list)
    prototypes: list[str] = Field(min_length=1)
    negated_prototypes: list[str] = Field(default_factory=list)
    # Signals that mean the opposite in the same clause: a semantic hit of this signal is dropped where one
    # of them matched the clause better (lexically, or with a higher similarity).
    excludes: list[SignalId] = Field(default_factory=list)
    # A clause where this signal matched by its words says where the organization stands (how many models,
    # on what), not what the situation is about; the closest-description fallback skips such clauses.
    describes_scale: bool = False

    @field_validator("patterns", "negated_patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(expand_pattern(pattern), re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} is not a valid regular expression: {exc}") from exc
        return value

    @model_validator(mode="after")
    def _negation_consistent(self) -> SignalDef:
        if not self.negatable and (self.negated_patterns or self.negated_prototypes):
            raise ValueError("a signal with negatable: false cannot have negated patterns or prototypes")
        if self.negatable:
            # Polarity of an embedding match is read from the clause's negation cues, so the
            # examples it is compared with must themselves be affirmative.
            for sentence in self.prototypes:
                if NEGATION_RE.search(sentence):
                    raise ValueError(
                        f"prototype {sentence!r} contains a negation; phrase prototypes of a negatable "
                        "signal affirmatively and put negative examples under negated_prototypes"
                    )
        return self

    def regexes(self) -> list[re.Pattern[str]]:
        sources = [expand_pattern(p) for p in self.patterns] + [phrase_pattern(p) for p in self.phrases]
        return [re.compile(s, re.IGNORECASE) for s in sources]

    def negated_regexes(self) -> list[re.Pattern[str]]:
        return [re.compile(expand_pattern(p), re.IGNORECASE) for p in self.negated_patterns]


_CONDITION = re.compile(r"^\s*(not\s+)?([a-z][a-z0-9_]*)\s*(?:(>=|<=|==|>|<)\s*(\d+))?\s*$")


class Condition(Strict):
    """One signal requirement, written in the rules file as ``"not data_team"`` or ``"models_live >= 30"``."""

    signal: SignalId
    negated: bool = False
    op: Literal[">=", "<=", "==", ">", "<"] | None = None
    value: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, data: object) -> object:
        if isinstance(data, str):
            match = _CONDITION.match(data)
            if not match:
                raise ValueError(f"condition {data!r} must look like 'signal', 'not signal' or 'signal >= 3'")
            neg, signal, op, value = match.groups()
            if neg and op:
                raise ValueError(f"condition {data!r}: a negated signal carries no number to compare")
            return {"signal": signal, "negated": bool(neg), "op": op, "value": int(value) if value else None}
        return data

    def __str__(self) -> str:
        text = ("not " if self.negated else "") + self.signal
        return f"{text} {self.op} {self.value}" if self.op else text


class When(Strict):
    all: list[Condition] = Field(default_factory=list)
    any: list[Condition] = Field(default_factory=list)
    # Signals that rule the conclusion out: "every team builds its own way" is not democratized access.
    none: list[Condition] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> When:
        if not self.all and not self.any:
            raise ValueError("a rule needs at least one condition under `all` or `any`")
        return self

    def conditions(self) -> list[Condition]:
        return [*self.all, *self.any, *self.none]


class PhaseConclusion(Strict):
    phase: Phase


class ComponentConclusion(Strict):
    component: Component


class ComponentPhaseConclusion(Strict):
    component_phase: tuple[Component, Phase]


class WeakConclusion(Strict):
    weak: Component


class MlbcConclusion(Strict):
    mlbc_phase: MlbcPhase


class ChallengeConclusion(Strict):
    challenge: Challenge


class PracticeConclusion(Strict):
    practice: Practice


class Isa4Conclusion(Strict):
    isa4: Isa4Layer


Conclusion = (
    PhaseConclusion
    | ComponentConclusion
    | ComponentPhaseConclusion
    | WeakConclusion
    | MlbcConclusion
    | ChallengeConclusion
    | PracticeConclusion
    | Isa4Conclusion
)
CONCLUSION_KEYS: dict[str, type[Conclusion]] = {
    "phase": PhaseConclusion,
    "component": ComponentConclusion,
    "component_phase": ComponentPhaseConclusion,
    "weak": WeakConclusion,
    "mlbc_phase": MlbcConclusion,
    "challenge": ChallengeConclusion,
    "practice": PracticeConclusion,
    "isa4": Isa4Conclusion,
}


def describe(conclusion: Conclusion) -> str:
    """Render a conclusion the way the rules file writes it (``phase=proving_concept``)."""
    ((key, value),) = conclusion.model_dump(mode="json").items()
    return f"{key}={'/'.join(value) if isinstance(value, list) else value}"


def typed_conclusions(value: object) -> list[Conclusion]:
    """Read a rule's ``then`` list (one-key items such as ``- phase: proving_concept``) into conclusions."""
    if not isinstance(value, list):
        raise ValueError("`then` must be a list of one-key items such as '- phase: proving_concept'")
    out = []
    for item in value:
        if not isinstance(item, dict) or len(item) != 1:
            raise ValueError(f"conclusion {item!r} must be one key and its value")
        ((key, _),) = item.items()
        if key not in CONCLUSION_KEYS:
            raise ValueError(f"unknown conclusion {key!r}; use one of {sorted(CONCLUSION_KEYS)}")
        out.append(CONCLUSION_KEYS[key].model_validate(item))
    return out


class Rule(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
    description: str = Field(min_length=5)
    when: When
    then: list[Conclusion] = Field(min_length=1)
    weight: float = Field(gt=0, le=5)
    records: list[str] = Field(min_length=1, description="Corpus record IDs that justify the rule")
    per_extra_match: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="Extra share of the weight for each further distinct phrase of the user's that matched "
        "(at most doubling it): a message that talks about servers, cloud and compute is more about "
        "infrastructure than one that mentions a server once",
    )
    fallback: bool = Field(
        default=False,
        description="When no component is placed, this rule may fire on its signal's closest prototype even "
        "below the semantic threshold (one `all` signal, component conclusions only, low confidence)",
    )

    @field_validator("then", mode="before")
    @classmethod
    def _typed(cls, value: object) -> object:
        return typed_conclusions(value)

    @model_validator(mode="after")
    def _fallback_shape(self) -> Rule:
        if self.fallback and (len(self.when.all) != 1 or self.when.any or self.when.all[0].negated):
            raise ValueError("a fallback rule reads exactly one affirmed signal under `all`")
        if self.fallback and not any(isinstance(c, ComponentConclusion) for c in self.then):
            raise ValueError("a fallback rule must conclude a component")
        return self

    def conclusion_text(self) -> str:
        return "; ".join(describe(c) for c in self.then)


class SignalFile(Strict):
    signals: list[SignalDef] = Field(min_length=1)


class RuleFile(Strict):
    rules: list[Rule] = Field(min_length=1)


class RuleSet(Strict):
    """Signals and the rules that read them, cross-checked when loaded."""

    signals: list[SignalDef]
    rules: list[Rule]

    def signal(self, signal_id: str) -> SignalDef:
        return next(s for s in self.signals if s.id == signal_id)

    def record_ids(self) -> dict[str, list[str]]:
        return {f"rule:{r.id}": list(r.records) for r in self.rules}
