"""An LLM answer's plan and draft: the prompt's parts, and the answer laid out as the offline one is.

``Plan`` is what one answer sends (passages, messages, sections) plus the offline answer's quotes and
clarifying questions re-marked onto the plan's passages; ``render_draft`` lays the model's sentences out
in the offline answer's sections so the citation checker reads both the same way.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from advisor.answer.citations import CitationReport
from advisor.answer.lists import ListEvidence
from advisor.answer.llm_output import FACTUAL_SECTIONS, SITUATION_SECTIONS, WrittenSentence
from advisor.answer.query import CHALLENGE_WORDS, COMPONENT_WORDS, PHASE_WORDS, PRACTICE_WORDS
from advisor.answer.text import MARKER_RE, content_terms
from advisor.llm.backend import ChatMessage, ChatRequest
from advisor.schema import Citation, Diagnosis

WHERE_HEADING = "**Where you stand**"
QUOTES_HEADING = "**What practitioners said**"
SHARPEN_HEADING = "**To sharpen this**"


def describe_diagnosis(diagnosis: Diagnosis | None) -> str:
    if diagnosis is None:
        return "none (a factual question)"
    parts = []
    if diagnosis.phase:
        parts.append(f"phase: {PHASE_WORDS[diagnosis.phase]}")
    if diagnosis.components:
        parts.append("main components: " + ", ".join(COMPONENT_WORDS[c] for c in diagnosis.components))
    if diagnosis.challenges:
        parts.append("challenges: " + ", ".join(CHALLENGE_WORDS[c] for c in diagnosis.challenges))
    if diagnosis.practices:
        parts.append("recommended practices: " + ", ".join(PRACTICE_WORDS[p] for p in diagnosis.practices))
    return "; ".join(parts) or "unclear (too little information)"


class FollowOn(BaseModel):
    """The second turn of a two-turn answer: the other passages, asked after the model's first sentence."""

    model_config = ConfigDict(frozen=True)

    content: str
    json_schema: dict[str, Any]
    max_tokens: int = Field(gt=0)

    def after(self, first: ChatRequest, reply: str) -> ChatRequest:
        """Return the same conversation one turn on (the KV cache of the first turn is read again, not recomputed)."""
        messages = [
            *first.messages,
            ChatMessage(role="assistant", content=reply),
            ChatMessage(role="user", content=self.content),
        ]
        return ChatRequest(messages=messages, json_schema=self.json_schema, max_tokens=self.max_tokens)


class Plan(BaseModel):
    """One answer's prompt: the passages shown, the messages, the sections asked for.

    ``rest`` is set for an answer asked in two turns (``lead_first``): ``request`` then asks for the first
    sentence from the best passage alone, and ``rest`` for the remaining sentences from all of them.
    """

    model_config = ConfigDict(frozen=True)

    passages: list[Citation]
    request: ChatRequest
    rest: FollowOn | None = None
    sections: tuple[str, ...]
    offline_lead: str = ""
    offline_extra: str = ""
    listing: ListEvidence | None = None  # the framework list the question asks for: its items must be named


def distinct(sentences: list[WrittenSentence], overlap: float = 0.7) -> list[WrittenSentence]:
    """Drop a sentence that repeats an earlier one (a small model can loop): Jaccard of content words >= overlap."""
    kept: list[tuple[WrittenSentence, set[str]]] = []
    for sentence in sentences:
        terms = set(content_terms(sentence.text))
        if any(terms and len(terms & seen) / len(terms | seen) >= overlap for _, seen in kept):
            continue
        kept.append((sentence, terms))
    return [s for s, _ in kept]


def render_draft(plan: Plan, sentences: list[WrittenSentence], extra: bool = True) -> str:
    """Render the whole answer in the offline answer's layout, markers indexing ``plan.passages``."""
    plain = [s for s in sentences if s.section not in SITUATION_SECTIONS]  # a factual answer, or free text
    blocks = [plan.offline_lead] if extra and plan.offline_lead else []  # a situation's "Where you stand"
    if plan.sections == FACTUAL_SECTIONS or plain:
        return "\n\n".join(
            [*blocks, *(s.draft() for s in plain), *([plan.offline_extra] if extra and plan.offline_extra else [])]
        )
    for name, heading in SITUATION_SECTIONS.items():
        mine = [s for s in sentences if s.section == name]
        if not mine:
            continue
        if name == "what_to_do_next":
            lines = [f"{i}. {s.draft()}" for i, s in enumerate(mine, start=1)]
        else:  # watch_for
            lines = [f"- {s.draft()}" for s in mine]
        blocks.append("\n".join([heading, *lines]))
        if name == "what_to_do_next" and extra and plan.offline_extra:  # quotes sit where the offline answer has them
            blocks.append(plan.offline_extra)
    if extra and plan.offline_extra and not any(s.section == "what_to_do_next" for s in sentences):
        blocks.append(plan.offline_extra)
    return "\n\n".join(blocks)


def heading_name(line: str) -> str:
    """Return a bold heading's name: "**Where you stand: the … phase**" -> "Where you stand"."""
    return line.strip().removeprefix("**").removesuffix("**").split(":", 1)[0].strip()


def adopt_offline_sections(
    offline: CitationReport, passages: list[Citation], headings: tuple[str, ...]
) -> tuple[str, list[Citation]]:
    """Return the offline answer's sections under ``headings``, re-marked to index ``passages``.

    A record they cite that the model was not shown is appended to the passages (past the numbers the
    schema lets the model cite), so the checker can verify those sentences against it.
    """
    names = {heading_name(h) for h in headings}
    keep, lines = False, []
    for line in offline.text.splitlines():
        if line.startswith("**"):
            keep = heading_name(line) in names
        if keep:
            lines.append(line)
    passages = list(passages)
    numbers = {p.passage_id: i for i, p in enumerate(passages, start=1)}

    def mark(match: re.Match[str]) -> str:
        cited = offline.citations[int(match.group(1)) - 1]
        if cited.passage_id not in numbers:
            passages.append(cited.model_copy(update={"marker": f"[{len(passages) + 1}]"}))
            numbers[cited.passage_id] = len(passages)
        return f"[{numbers[cited.passage_id]}]"

    return MARKER_RE.sub(mark, "\n".join(lines).strip()), passages
