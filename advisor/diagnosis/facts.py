"""Situation facts: what a model reads from a manager's message, each fact with the words that show it.

The model fills ``FactsReply`` (its JSON schema is sent as the constraint): for each fact a short quote
copied from the message and one value from a closed list, or ``null`` when the message does not say.
Only facts whose quote is found in the message (case, whitespace and typographic quotes/dashes
normalised) survive ``verify``; each kept fact carries the span of the user's words, so a rule that fires
on it shows those words like any lexical rule. A number in a count's quote decides when it lies outside
the value's band ("two models" read as ``dozens`` is kept as ``one_or_two``), and a count without one is
kept as merely implied. The model reads; the rules in ``advisor/rules/facts.yaml`` decide.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from advisor.rules.lexicon import NUM_REGEX, parse_number
from advisor.schema import MatchedSpan

FactName = Literal["models", "build", "help", "obstacle", "blocked_on", "decide"]
FACT_NAMES: tuple[str, ...] = get_args(FactName)
MAX_QUOTE_CHARS = 48
MIN_QUOTE_CHARS = 5

ModelsValue = Literal["none", "one_or_two", "several", "dozens"]
BuildValue = Literal["each_team_own_way", "shared_tools", "one_platform"]
HelpValue = Literal["vendor", "consultancy"]
ObstacleValue = Literal["data", "infrastructure", "modelling", "ai_strategy", "skills", "team_structure"]
BlockedOnValue = Literal["it", "legal", "users", "leadership", "vendor", "data_owners"]
DecideValue = Literal[
    "which_use", "build_or_buy", "hiring_training", "team_setup", "tools_platform", "model_choice", "data"
]
# Counts a quote may name for each ``models`` value; overlapping edges ("two dozen") pass either way.
COUNT_BANDS: dict[str, tuple[int, int]] = {
    "none": (0, 0),
    "one_or_two": (1, 2),
    "several": (3, 29),
    "dozens": (20, 1_000_000),
}
# A number outside the model's band is read the way the signal rules read a stated count (30+ is scale).
COUNT_EDGES: tuple[tuple[int, str], ...] = ((0, "none"), (2, "one_or_two"), (29, "several"))
_NUMBER_RE = re.compile(r"\b" + NUM_REGEX + r"\b", re.IGNORECASE)
# "one" is more often a determiner ("on one cloud", "one of the forty") than a count of models.
_NOT_COUNTS = frozenset({"one"})
_QuoteField = Field(default="", max_length=MAX_QUOTE_CHARS, description="The manager's own words, copied exactly.")


class _Read(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelsRead(_Read):
    quote: str = _QuoteField
    value: ModelsValue = Field(description="How many models or AI systems run in day-to-day use.")


class BuildRead(_Read):
    quote: str = _QuoteField
    value: BuildValue = Field(description="How models are built and deployed.")


class HelpRead(_Read):
    quote: str = _QuoteField
    value: HelpValue = Field(description="Outside help the organization relies on.")


class ObstacleRead(_Read):
    quote: str = _QuoteField
    value: ObstacleValue = Field(description="The main obstacle.")


class BlockedOnRead(_Read):
    quote: str = _QuoteField
    value: BlockedOnValue = Field(description="Who the work is waiting for.")


class DecideRead(_Read):
    quote: str = _QuoteField
    value: DecideValue = Field(description="What the manager asks to decide.")


class FactsReply(_Read):
    """What the model writes: one quote and one value per fact (``unknown`` with an empty quote if unsaid)."""

    models: ModelsRead | None
    build: BuildRead | None
    help: HelpRead | None
    obstacle: ObstacleRead | None
    blocked_on: BlockedOnRead | None
    decide: DecideRead | None


def _read_model(name: str) -> type[_Read]:
    read, _none = get_args(FactsReply.model_fields[name].annotation)
    return read


def fact_values(name: str) -> tuple[str, ...]:
    """Return the values a fact may take (an unstated fact is ``null`` in the reply, not a value)."""
    return get_args(_read_model(name).model_fields["value"].annotation)


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline(copy.deepcopy(defs[node["$ref"].rsplit("/", 1)[-1]]), defs)
        return {k: _inline(v, defs) for k, v in node.items() if k not in ("title", "description", "$defs")}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def reply_schema() -> dict[str, Any]:
    """``FactsReply``'s JSON schema with references inlined and titles dropped (a compact grammar)."""
    schema = FactsReply.model_json_schema()
    out = _inline(schema, schema.get("$defs", {}))
    for prop in out["properties"].values():  # each fact: its object, or null when the message does not say
        read = next(branch for branch in prop["anyOf"] if branch.get("type") == "object")
        read["required"] = list(read["properties"])  # every key, in order: no optional branches
        read.pop("additionalProperties", None)
        read["properties"]["quote"].pop("default", None)
    return out


class VerifiedFact(BaseModel):
    """A fact whose quote was found in the message; ``span`` is where (offsets into the message)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fact: FactName
    value: str
    span: MatchedSpan
    number: int | None = Field(default=None, description="A count the user wrote in the quote (models only).")


class SituationFacts(BaseModel):
    """The facts kept for one message, what was dropped and why, and (when empty) why nothing was read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    facts: list[VerifiedFact] = []
    dropped: list[str] = Field(default=[], description="Facts the model gave that failed verification, and why.")
    adjusted: list[str] = Field(default=[], description="Counts re-read from the number in the user's words.")
    reason: str | None = Field(default=None, description="Why no facts were read (the backend failed, ...).")
    source: str = Field(default="", description="The backend that read them (or 'cache:<backend>').")
    seconds: float = Field(default=0.0, ge=0, description="Time the model took (0 from the cache).")

    @classmethod
    def empty(cls, reason: str, source: str = "") -> SituationFacts:
        return cls(reason=reason, source=source)

    def get(self, name: str) -> VerifiedFact | None:
        return next((f for f in self.facts if f.fact == name), None)

    def value(self, name: str) -> str | None:
        fact = self.get(name)
        return fact.value if fact else None


_TRANSLATE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_EDGE = " \t\n\"'.,;:!?()[]…"


def _normalised(text: str) -> tuple[str, list[int]]:
    """Lowercase, typographic marks made plain, whitespace runs made one space; index of each kept char."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text.translate(_TRANSLATE).lower()):
        if ch.isspace():
            if chars and chars[-1] == " ":
                continue
            ch = " "
        chars.append(ch)
        index.append(i)
    return "".join(chars), index


def find_quote(message: str, quote: str) -> MatchedSpan | None:
    """Return the span of ``message`` that ``quote`` copies, or None (too short, or not in the message)."""
    wanted, _ = _normalised(quote.strip(_EDGE))
    wanted = wanted.strip()
    if len(wanted) < MIN_QUOTE_CHARS or not any(c.isalnum() for c in wanted):
        return None
    text, index = _normalised(message)
    at = text.find(wanted)
    if at < 0:
        return None
    start, end = index[at], index[at + len(wanted) - 1] + 1
    return MatchedSpan(text=message[start:end], start=start, end=end)


def counted_value(value: str, quote: str) -> tuple[str, int | None]:
    """Return the ``models`` value the quote's own number supports, and that number (None if it has none).

    A number the user wrote ("nine models", "a handful", "dozens") decides when it lies outside the
    model's value; without one the model's value stands, as a count the rules weigh as merely implied.
    """
    numbers = [
        n
        for m in _NUMBER_RE.finditer(quote)
        if m.group(0).lower() not in _NOT_COUNTS and (n := parse_number(m.group(0))) is not None
    ]
    if not numbers:
        return value, None
    low, high = COUNT_BANDS[value]
    fitting = [n for n in numbers if low <= n <= high]
    if fitting:
        return value, max(fitting)
    largest = max(numbers)
    return next((name for edge, name in COUNT_EDGES if largest <= edge), "dozens"), largest


def verify(message: str, reply: FactsReply, source: str = "", seconds: float = 0.0) -> SituationFacts:
    """Keep the facts whose quote is in ``message`` (a count re-read from its number); say why others went."""
    kept: list[VerifiedFact] = []
    dropped: list[str] = []
    adjusted: list[str] = []
    for name in FACT_NAMES:
        read = getattr(reply, name)
        if read is None:
            continue
        value, quote = read.value, read.quote
        span = find_quote(message, quote)
        if span is None:
            dropped.append(f"{name}={value}: the quote {quote!r} is not in the message")
            continue
        number = None
        if name == "models":
            counted, number = counted_value(value, span.text)
            if counted != value:
                adjusted.append(f"{name}={value}: read as {counted}, the number in {span.text!r}")
                value = counted
        kept.append(VerifiedFact(fact=name, value=value, span=span, number=number))  # type: ignore[arg-type]
    return SituationFacts(facts=kept, dropped=dropped, adjusted=adjusted, source=source, seconds=round(seconds, 3))
