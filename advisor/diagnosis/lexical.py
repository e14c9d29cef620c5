"""Find signals by their phrases and patterns, with negation, hedges and numbers read around them."""

from __future__ import annotations

import re

from advisor.diagnosis.hits import SignalHit
from advisor.diagnosis.text import Clause, hedge_in, negation_before
from advisor.rules.lexicon import parse_number
from advisor.rules.models import RuleSet, SignalDef
from advisor.schema import MatchedSpan


class LexicalMatcher:
    """Compiles every signal's regexes once; ``match`` is cheap and deterministic."""

    def __init__(self, rules: RuleSet) -> None:
        self._compiled: list[tuple[SignalDef, list[re.Pattern[str]], list[re.Pattern[str]]]] = [
            (s, s.regexes(), s.negated_regexes()) for s in rules.signals
        ]

    def match(self, message: str, clauses: list[Clause]) -> list[SignalHit]:
        hits: list[SignalHit] = []
        for index, clause in enumerate(clauses):
            hedged = hedge_in(message, clause)
            for signal, regexes, negated_regexes in self._compiled:
                hits.extend(self._clause_hits(message, clause, index, hedged, signal, regexes, negated_regexes))
        return hits

    def _clause_hits(
        self,
        message: str,
        clause: Clause,
        index: int,
        hedged: bool,
        signal: SignalDef,
        regexes: list[re.Pattern[str]],
        negated_regexes: list[re.Pattern[str]],
    ) -> list[SignalHit]:
        text = clause.text
        taken: list[tuple[int, int]] = []
        out: list[SignalHit] = []

        def overlaps(a: int, b: int) -> bool:
            return any(a < y and x < b for x, y in taken)

        for regex in negated_regexes:
            for m in regex.finditer(text):
                a, b = clause.start + m.start(), clause.start + m.end()
                if overlaps(a, b):
                    continue
                taken.append((a, b))
                out.append(self._hit(message, signal, True, hedged, None, index, a, b))
        for regex in regexes:
            for m in regex.finditer(text):
                a, b = clause.start + m.start(), clause.start + m.end()
                if overlaps(a, b):
                    continue
                taken.append((a, b))
                count = None
                if "count" in regex.groupindex and m.group("count"):
                    count = parse_number(m.group("count"))
                negated = False
                if signal.negatable:
                    cue = negation_before(message, clause, a)
                    if cue is not None:
                        negated, a = True, cue
                if count == 0:
                    negated, count = True, None
                out.append(self._hit(message, signal, negated, hedged, count, index, a, b))
        return out

    @staticmethod
    def _hit(
        message: str, signal: SignalDef, negated: bool, hedged: bool, count: int | None, clause: int, a: int, b: int
    ) -> SignalHit:
        return SignalHit(
            signal=signal.id,
            negated=negated,
            hedged=hedged,
            method="lexical",
            similarity=1.0,
            count=count,
            clause=clause,
            span=MatchedSpan(text=message[a:b], start=a, end=b),
        )
