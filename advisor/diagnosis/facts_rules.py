"""Rules from situation facts (``advisor/rules/facts.yaml``): IF the model read these facts THEN this evidence.

A facts rule names fact values (``models: [several]``) and, like a signal rule, concludes labels with a
weight and the corpus records that justify it. A rule that fires is a ``FiredRule`` whose ``matched`` spans
are the verified quotes of the facts it read, so it merges into the Diagnoser's rule firing and its trace
shows the user's words like any other rule. Facts are checked against the reply schema when loaded: an
unknown fact or value names the file and the line.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator

from advisor.diagnosis.engine import HEDGE_FACTOR, FiredRule
from advisor.diagnosis.facts import FACT_NAMES, SituationFacts, fact_values
from advisor.rules.lexicon import HEDGE_RE
from advisor.rules.models import Conclusion, describe, typed_conclusions
from knowledge.datafile import DataFileError, Strict, load_yaml, validate

FACTS_RULES_FILE = Path(__file__).resolve().parents[1] / "rules" / "facts.yaml"
FactCondition = dict[str, list[str]]


class FactsRule(Strict):
    id: str = Field(pattern=r"^facts(\.[a-z0-9_]+)+$")
    description: str = Field(min_length=5)
    when: FactCondition = Field(min_length=1, description="Every fact named must hold one of its listed values.")
    unless: FactCondition = Field(default={}, description="The rule does not fire when any of these holds.")
    stated_count: bool = Field(
        default=False, description="Fire only when the models count rests on a number the user wrote."
    )
    then: list[Conclusion] = Field(min_length=1)
    weight: float = Field(gt=0, le=6)
    records: list[str] = Field(min_length=1, description="Corpus record IDs that justify the rule")

    @field_validator("when", "unless")
    @classmethod
    def _known_facts(cls, value: FactCondition) -> FactCondition:
        for fact, values in value.items():
            if fact not in FACT_NAMES:
                raise ValueError(f"unknown fact {fact!r}; use one of {list(FACT_NAMES)}")
            legal = list(fact_values(fact))
            wrong = [v for v in values if v not in legal]
            if not values or wrong:
                raise ValueError(f"fact {fact!r} takes values from {legal}, got {values}")
        return value

    @field_validator("then", mode="before")
    @classmethod
    def _typed(cls, value: object) -> object:
        return typed_conclusions(value)

    def conclusion_text(self) -> str:
        return "; ".join(describe(c) for c in self.then)


class FactsRuleFile(Strict):
    rules: list[FactsRule] = Field(min_length=1)


def load_facts_rules(path: Path | None = None) -> list[FactsRule]:
    """Read and check the facts rules; a duplicate id names its line."""
    path = Path(path or FACTS_RULES_FILE)
    data, lines = load_yaml(path)
    parsed = validate(FactsRuleFile, data, path, lines, kind="facts rule")
    seen: set[str] = set()
    for i, rule in enumerate(parsed.rules):
        if rule.id in seen:
            raise DataFileError(path, lines.line(("rules", i, "id")), f"facts rule {rule.id}", "duplicate id")
        seen.add(rule.id)
    return parsed.rules


@lru_cache(maxsize=1)
def default_facts_rules() -> tuple[FactsRule, ...]:
    return tuple(load_facts_rules())


class FactsRuleEngine:
    """Fires facts rules on one message's verified facts; each fired rule carries the quotes it read."""

    def __init__(self, rules: list[FactsRule] | tuple[FactsRule, ...] | None = None) -> None:
        self.rules = tuple(default_facts_rules() if rules is None else rules)

    @staticmethod
    def _holds(condition: FactCondition, facts: SituationFacts) -> bool:
        return all(facts.value(fact) in values for fact, values in condition.items())

    def _fire(self, rule: FactsRule, facts: SituationFacts) -> FiredRule | None:
        if not self._holds(rule.when, facts):
            return None
        if any(facts.value(fact) in values for fact, values in rule.unless.items()):
            return None
        if rule.stated_count and getattr(facts.get("models"), "number", None) is None:
            return None
        spans = [f.span for name in rule.when if (f := facts.get(name)) is not None]
        spans = sorted({(s.start, s.end): s for s in spans}.values(), key=lambda s: (s.start, s.end))
        hedged = any(HEDGE_RE.search(s.text) for s in spans)
        return FiredRule(
            rule_id=rule.id,
            conclusion=rule.conclusion_text(),
            conclusions=list(rule.then),
            weight=rule.weight,
            strength=HEDGE_FACTOR if hedged else 1.0,
            hedged=hedged,
            matched=spans,
        )

    def run(self, facts: SituationFacts) -> list[FiredRule]:
        if not facts.facts:
            return []
        fired = [self._fire(rule, facts) for rule in self.rules]
        return [f for f in fired if f is not None]
