"""Recognize a question about one stage of a playbook's staged plan, and collect that stage's steps.

The operations playbook lays much of its advice out as staged plans ("Foundation First (Months 1-3)",
then "Systematic Scaling (Months 4-9)", ...), one record per step. A question asking what to do in the
first three months, or in a named stage, wants that stage's steps, all of them and in order; ranking
sentences by similarity to the question gives a step of another plan that shares its words ("Avoid rapid
scaling ..."), which is not what was asked.

A question asks for a stage when it names a time window ("the first three months", "months four to
nine", "the first weeks") that a stage covers, or names a stage ("the systematic scaling stage"), and it
is about the playbook (it names it, or the evidence already holds a playbook record). Several plans may
cover the same window (the operations plan, the customer-success plan and the roadmap all start with
months 1-3): the one whose headings and steps share most words with the question wins, then the one whose
steps retrieval ranked highest. The offline composer answers with the stage's steps, verbatim and cited.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from advisor.answer.evidence import PassageList
from advisor.answer.offline_composer import Draft
from advisor.answer.text import content_terms
from advisor.messages import messages
from advisor.rules.lexicon import parse_number
from knowledge.index.codec import matches, to_hit
from knowledge.schema import PlaybookStep, Record, SearchFilters, SearchHit

WEEKS_PER_MONTH = 52 / 12
# A time window in a question: "first three months", "first months", "months 4-9", "months four to nine",
# "weeks 5 to 8", "the first quarter", "first few weeks". Numbers may be digits or words (up to twelve).
_N = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_UNIT = r"(?P<unit>months?|weeks?)"
_FIRST_RE = re.compile(r"\bfirst\s+(?:(?P<n>" + _N + r")|few|couple of)?\s*" + _UNIT + r"\b", re.I)
_RANGE_RE = re.compile(
    r"\b" + _UNIT + r"\s+(?P<a>" + _N + r")\s*(?:-|–|to|through|and)\s*(?P<b>" + _N + r")\b"
    r"|\b(?P<a2>" + _N + r")\s*(?:-|–|to|and)\s*(?P<b2>" + _N + r")\s+(?P<unit2>months?|weeks?)\b",
    re.I,
)
_QUARTER_RE = re.compile(r"\bfirst\s+quarter\b", re.I)
_NUMBERING_RE = re.compile(r"^\d+(?:\.\d+)*\.?\s+")  # "3.1 Customer Success ..." -> "Customer Success ..."
# "Week 1-4", "Months 1-3", "3-6 months", "6-18 months": the window a stage's heading gives.
_STAGE_RANGE_RE = re.compile(r"(?P<a>\d+)\s*-\s*(?P<b>\d+)")


class Window(BaseModel):
    """A span of time in weeks from the start: [start, end)."""

    model_config = ConfigDict(frozen=True)

    start: float = Field(ge=0)
    end: float = Field(ge=0)

    def overlap(self, other: Window) -> float:
        """Share of the union the two windows have in common (1.0: the same window).

        An open window (``end == start == 0``: "the first months") is the opening stage of any plan.
        """
        if self.end == self.start == 0:
            return 1.0 if other.start == 0 else 0.0
        common = max(0.0, min(self.end, other.end) - max(self.start, other.start))
        union = max(self.end, other.end) - min(self.start, other.start)
        return common / union if union > 0 else 0.0


def _weeks(unit: str, a: int, b: int) -> Window:
    scale = WEEKS_PER_MONTH if unit.lower().startswith("month") else 1.0
    return Window(start=(a - 1) * scale, end=b * scale)


def asked_window(question: str) -> Window | None:
    """Return the time window a question asks about, or None when it names none."""
    if (m := _RANGE_RE.search(question)) is not None:
        a, b = parse_number(m.group("a") or m.group("a2")), parse_number(m.group("b") or m.group("b2"))
        unit = m.group("unit") or m.group("unit2")
        if a and b and a <= b:
            return _weeks(unit, a, b)
    if (m := _FIRST_RE.search(question)) is not None:
        n = parse_number(m.group("n")) if m.group("n") else None
        unit = m.group("unit")
        if n is None:  # "the first months": the opening stage, whatever its length
            return Window(start=0, end=0)
        return _weeks(unit, 1, n)
    if _QUARTER_RE.search(question):
        return _weeks("months", 1, 3)
    return None


class Stage(BaseModel):
    """One stage of a staged plan: its heading, time window and steps in the playbook's order."""

    model_config = ConfigDict(frozen=True)

    source: str
    name: str
    months: str | None
    plan: list[str] = Field(description="The section path of the plan the stage belongs to.")
    window: Window | None
    steps: list[str] = Field(min_length=2, description="Record ids of the steps, in order.")
    heading_words: frozenset[str] = Field(description="Content words of the plan's headings and the stage's name.")
    step_words: frozenset[str] = Field(description="Content words of the stage's steps.")

    def shared(self, terms: set[str]) -> int:
        """How much the stage shares with a question's words: its headings count double."""
        return 2 * len(terms & self.heading_words) + len(terms & self.step_words)

    @property
    def heading(self) -> str:
        return f"{self.name} ({self.months})" if self.months else self.name


class StageEvidence(BaseModel):
    """The stage a question asks for, with its steps as hits (fetched by id), in order."""

    model_config = ConfigDict(frozen=True)

    stage: Stage
    hits: list[SearchHit] = Field(min_length=2)

    def draft(self) -> Draft:
        """Write the answer: the plan and stage as a heading, then every step in order, each cited to its record."""
        passages = PassageList()
        plan = " — ".join(_NUMBERING_RE.sub("", part) for part in self.stage.plan[-2:]) or self.stage.source
        lines = [messages().text("stage_heading", plan=plan, stage=self.stage.heading)]
        for n, hit in enumerate(self.hits, start=1):
            step = hit.text.strip()
            step = step if step.endswith((".", "!", "?")) else step + "."
            lines.append(f"{n}. {step} {passages.marker(hit)}")
        return Draft(text="\n".join(lines), passages=passages.citations)


def stage_window(months: str | None) -> Window | None:
    if not months or (m := _STAGE_RANGE_RE.search(months)) is None:
        return None
    a, b = int(m.group("a")), int(m.group("b"))
    return _weeks("weeks" if "week" in months.lower() else "months", a, b) if 0 < a <= b else None


def stages_of(records: Sequence[Record]) -> list[Stage]:
    """Group the playbook's step records into stages (a stage needs two steps or more)."""
    groups: dict[tuple[str, tuple[str, ...], str], list[PlaybookStep]] = {}
    for record in records:
        if isinstance(record, PlaybookStep):
            groups.setdefault((record.source_id, tuple(record.section), record.phase), []).append(record)
    stages = []
    for (source, section, phase), steps in groups.items():
        if len(steps) < 2:
            continue
        steps.sort(key=lambda s: s.span.start if s.span else 0)
        months = steps[0].months
        stages.append(
            Stage(
                source=source,
                name=phase,
                months=months,
                plan=list(section),
                window=stage_window(months),
                steps=[s.id for s in steps],
                heading_words=frozenset(content_terms(" ".join([*section, phase]))),
                step_words=frozenset(content_terms(" ".join(s.text for s in steps))),
            )
        )
    return stages


def _names(question_words: list[str], stage: Stage) -> bool:
    """Tell whether the question names the stage ("the systematic scaling stage"): two words or more."""
    wanted = [w.lower() for w in re.findall(r"[A-Za-z0-9]+", stage.name)]
    width = len(wanted)
    return width >= 2 and any(question_words[i : i + width] == wanted for i in range(len(question_words)))


def find_stage(
    question: str, stages: Sequence[Stage], ranked: Sequence[SearchHit], named_sources: set[str], top: int = 3
) -> Stage | None:
    """Return the stage a question asks for, or None.

    ``ranked`` is the evidence, best first, and ``named_sources`` the sources the question names: a stage
    counts only when the question names its source or one of the ``top`` hits comes from it. A tie
    between plans covering the same window goes to the one whose steps retrieval ranked highest.
    """
    about = named_sources | {hit.source for hit in ranked[:top]}
    stages = [s for s in stages if s.source in about]
    window = asked_window(question)
    question_words = [w.lower() for w in re.findall(r"[A-Za-z0-9]+", question)]
    named = [s for s in stages if _names(question_words, s)]
    if named:
        candidates = [(1.0, s) for s in named]
    elif window is not None:
        candidates = [(window.overlap(s.window), s) for s in stages if s.window is not None]
        candidates = [(o, s) for o, s in candidates if o >= 0.5]
    else:
        return None
    if not candidates:
        return None
    terms = content_terms(question)
    rank = {hit.passage_id: i for i, hit in reversed(list(enumerate(ranked)))}

    def best_rank(stage: Stage) -> int:
        return min((rank[rid] for rid in stage.steps if rid in rank), default=len(rank) + 1)

    return max(candidates, key=lambda c: (c[0], c[1].shared(terms), -best_rank(c[1])))[1]


class PlaybookStages:
    """Find the stage a question asks for among the index's playbook steps, and fetch its steps."""

    def evidence(
        self,
        question: str,
        ranked: Sequence[SearchHit],
        records: Sequence[Record],
        named_sources: set[str],
        filters: SearchFilters | None = None,
    ) -> StageEvidence | None:
        """Return the asked stage with its steps; None when no stage is asked or the filters hide a step."""
        allowed = [r for r in records if matches(r, filters)]
        stage = find_stage(question, stages_of(allowed), ranked, named_sources)
        if stage is None:
            return None
        by_id = {r.id: r for r in allowed}
        hits = [to_hit(by_id[rid], 1.0) for rid in stage.steps if rid in by_id]
        return StageEvidence(stage=stage, hits=hits) if len(hits) == len(stage.steps) else None
