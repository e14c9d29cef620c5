"""Fire rules on detected signals; every fired rule keeps the user's words that satisfied it."""

from __future__ import annotations

import operator

from pydantic import BaseModel, ConfigDict, Field

from advisor.diagnosis.hits import SignalHit
from advisor.rules.models import ComponentConclusion, Conclusion, Condition, Rule, RuleSet
from advisor.schema import MatchedSpan

_OPS = {">=": operator.ge, "<=": operator.le, "==": operator.eq, ">": operator.gt, "<": operator.lt}
HEDGE_FACTOR = 0.6
SEMANTIC_BASE = 0.55
FALLBACK_STRENGTH = 0.3
FALLBACK_NOTE = " (closest description, low confidence)"


class FiredRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule_id: str
    conclusion: str
    conclusions: list[Conclusion]
    weight: float = Field(gt=0)
    strength: float = Field(ge=0, le=1, description="How firmly the message showed the signals (hedges lower it)")
    hedged: bool
    matched: list[MatchedSpan]
    paraphrase_only: bool = Field(
        default=False, description="Every hit behind it came from embeddings, none from words"
    )

    extra: float = Field(default=0.0, ge=0, le=1, description="Bonus share from further distinct matches")

    @property
    def evidence(self) -> float:
        return self.weight * self.strength * (1.0 + self.extra)


def hit_strength(hit: SignalHit, threshold: float) -> float:
    """Lexical hits count fully; semantic ones scale with how far above the threshold they are."""
    if hit.method == "semantic":
        span = max(1e-6, 1.0 - threshold)
        base = SEMANTIC_BASE + (1 - SEMANTIC_BASE) * max(0.0, hit.similarity - threshold) / span
    else:
        base = 1.0
    return min(1.0, base * (HEDGE_FACTOR if hit.hedged else 1.0))


class RuleEngine:
    """Evaluates ``when.all`` / ``when.any`` over signal hits; rules are data, so this stays generic."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules

    @staticmethod
    def _satisfying(condition: Condition, hits: list[SignalHit]) -> list[SignalHit]:
        out = []
        for hit in hits:
            if hit.signal != condition.signal or hit.negated != condition.negated:
                continue
            if condition.op is not None and (
                hit.count is None or condition.value is None or not _OPS[condition.op](hit.count, condition.value)
            ):
                continue
            out.append(hit)
        return out

    def _fire(self, rule: Rule, hits: list[SignalHit], threshold: float) -> FiredRule | None:
        used: list[SignalHit] = []
        strengths: list[float] = []
        if any(self._satisfying(condition, hits) for condition in rule.when.none):
            return None
        for condition in rule.when.all:
            found = self._satisfying(condition, hits)
            if not found:
                return None
            used.extend(found)
            strengths.append(max(hit_strength(h, threshold) for h in found))
        if rule.when.any:
            any_found = [(c, self._satisfying(c, hits)) for c in rule.when.any]
            any_found = [(c, f) for c, f in any_found if f]
            if not any_found:
                return None
            for _, found in any_found:
                used.extend(found)
            strengths.append(max(hit_strength(h, threshold) for _, f in any_found for h in f))
        spans = sorted({(h.span.start, h.span.end): h.span for h in used}.values(), key=lambda s: (s.start, s.end))
        return FiredRule(
            rule_id=rule.id,
            conclusion=rule.conclusion_text(),
            conclusions=list(rule.then),
            weight=rule.weight,
            strength=min(strengths),
            hedged=any(h.hedged for h in used),
            matched=spans,
            paraphrase_only=all(h.method == "semantic" for h in used),
            extra=min(1.0, rule.per_extra_match * max(0, len({h.span.text.lower() for h in used}) - 1)),
        )

    def run(self, hits: list[SignalHit], threshold: float) -> list[FiredRule]:
        fired = [self._fire(rule, hits, threshold) for rule in self.rules.rules]
        return [f for f in fired if f is not None]

    def fallback(self, hits: list[SignalHit], floor: float = 0.3) -> FiredRule | None:
        """Return the ``fallback`` rule whose signal came closest to the message (any similarity above the floor).

        Used only when no component was placed: the situation still gets the component it is most
        plausibly about, marked as a closest match, with its words shown like any other rule's.
        """
        rules = {r.when.all[0].signal: r for r in self.rules.rules if r.fallback}
        scale = {s.id for s in self.rules.signals if s.describes_scale}
        scale_clauses = {h.clause for h in hits if h.signal in scale and h.method == "lexical"}
        by_clause: dict[int, dict[str, SignalHit]] = {}
        for hit in hits:
            if hit.signal in rules and not hit.negated and hit.clause not in scale_clauses:
                kept = by_clause.setdefault(hit.clause, {})
                if hit.signal not in kept or hit.similarity > kept[hit.signal].similarity:
                    kept[hit.signal] = hit
        # A clause close to every description ("six models run in production") says little; what counts
        # is how much closer it is to one component's description than to the others'.
        best: tuple[float, Rule, SignalHit] | None = None
        for found in by_clause.values():
            for signal, hit in found.items():
                others = [found[o].similarity if o in found else floor for o in rules if o != signal]
                margin = hit.similarity - (sum(others) / len(others) if others else 0.0)
                if best is None or margin > best[0]:
                    best = (margin, rules[signal], hit)
        if best is None:
            return None
        _, rule, hit = best
        components = [c for c in rule.then if isinstance(c, ComponentConclusion)]
        conclusions: list[Conclusion] = list(components)
        return FiredRule(
            rule_id=rule.id,
            conclusion="; ".join(f"component={c.component.value}" for c in components) + FALLBACK_NOTE,
            conclusions=conclusions,
            weight=rule.weight,
            strength=FALLBACK_STRENGTH,
            hedged=hit.hedged,
            matched=[hit.span],
        )
