"""Turn a conversation into a consultant's report: situation, diagnosis, advice, quotes, references.

Each answer numbers its own citations from [1]; the report renumbers them into one reference list
so that a marker in any paragraph points at the same numbered source everywhere in the document.
Nothing is written that the conversation did not contain: the builder only selects, orders and
renumbers. The writers (``report_md``, ``report_docx``, ``report_pdf``) only lay it out.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

from advisor.schema import Answer, Citation, Diagnosis, Scope
from knowledge.schema import RecordKind
from reports.conversation import Conversation

_MARKER_RE = re.compile(r"\[(\d{1,3})\]")
_HEADING_RE = re.compile(r"^\s*(?:#{1,6}\s+(.+?)|\*\*([^*]+?)\*\*:?)\s*$")
_BULLET_RE = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+(.*)$")

SECTION_KEYS: dict[str, tuple[str, ...]] = {
    "findings": ("where you stand", "where you are", "diagnosis", "situation"),
    "recommendations": ("what to do", "next", "recommend", "steps"),
    "watch_for": ("watch", "risk", "challenge"),
    "quotes": ("practitioner", "said", "quote"),
}


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Reference(Model):
    number: int = Field(ge=1)
    citation: Citation


class PractitionerQuote(Model):
    number: int = Field(ge=1)
    text: str
    speaker: str | None
    role: str | None
    company: str | None


class QuestionAnswered(Model):
    question: str
    answer: str


class Report(Model):
    title: str
    created: datetime
    situation: list[str]
    diagnosis: Diagnosis | None
    findings: list[str]
    recommendations: list[str]
    watch_for: list[str]
    quotes: list[PractitionerQuote]
    questions: list[QuestionAnswered]
    references: list[Reference]
    notices: list[str]


class ReportBuilder:
    """Builds a Report from a Conversation; quote attributions come from the citations themselves."""

    def __init__(self, title: str = "AI scaling advisory: situation, diagnosis and recommendations") -> None:
        if not title.strip():
            raise ValueError("a report needs a title")
        self.title = title

    def build(self, conversation: Conversation, title: str | None = None) -> Report:
        numbers: dict[str, int] = {}
        references: list[Reference] = []
        situation: list[str] = []
        findings: list[str] = []
        recommendations: list[str] = []
        watch_for: list[str] = []
        quotes: list[PractitionerQuote] = []
        questions: list[QuestionAnswered] = []
        notices: list[str] = []
        for exchange in conversation.exchanges:
            answer = exchange.answer
            if answer.scope == Scope.OUT_OF_SCOPE:
                continue
            local = self._number(answer, numbers, references)
            if answer.diagnosis is not None and exchange.message.strip():
                situation.append(exchange.message.strip())
            sections = split_sections(answer.answer)
            placed = False
            for key, items in sections.items():
                renumbered = [renumber(item, local) for item in items]
                renumbered = [r for r in renumbered if r]
                if key == "findings" and answer.diagnosis is not None:
                    findings.extend(renumbered)
                    placed = True
                elif key == "recommendations":
                    recommendations.extend(renumbered)
                    placed = True
                elif key == "watch_for":
                    watch_for.extend(renumbered)
                    placed = True
                elif key == "quotes":
                    placed = True
            if not placed or answer.diagnosis is None:
                text = " ".join(renumber(item, local) for key, items in sections.items() for item in items)
                if text.strip():
                    questions.append(QuestionAnswered(question=exchange.message.strip() or "(question)", answer=text))
            for citation in answer.citations:
                if citation.kind == RecordKind.QUOTE and not any(q.text == citation.text for q in quotes):
                    quotes.append(
                        PractitionerQuote(
                            number=numbers[citation.passage_id],
                            text=citation.text,
                            speaker=citation.speaker,
                            role=citation.role,
                            company=citation.company,
                        )
                    )
            notices.extend(n for n in answer.notices if n not in notices)
        latest = conversation.latest_diagnosis()
        return Report(
            title=title or self.title,
            created=datetime.now(UTC),
            situation=_unique(situation),
            diagnosis=latest[0] if latest else None,
            findings=_unique(findings),
            recommendations=_unique(recommendations),
            watch_for=_unique(watch_for),
            quotes=quotes,
            questions=questions,
            references=references,
            notices=notices,
        )

    @staticmethod
    def _number(answer: Answer, numbers: dict[str, int], references: list[Reference]) -> dict[str, int]:
        """Map this answer's markers to report-wide numbers, adding new sources to the list."""
        local: dict[str, int] = {}
        for citation in answer.citations:
            if citation.passage_id not in numbers:
                numbers[citation.passage_id] = len(references) + 1
                references.append(Reference(number=numbers[citation.passage_id], citation=citation))
            local[citation.marker] = numbers[citation.passage_id]
        return local


def split_sections(text: str) -> dict[str, list[str]]:
    """Group an answer's lines under the report section their heading names ("other" otherwise)."""
    sections: dict[str, list[str]] = {}
    current = "other"
    for raw in text.split("\n"):
        if not raw.strip():
            continue
        heading = _HEADING_RE.match(raw)
        if heading:
            current = _section_key(heading.group(1) or heading.group(2))
            continue
        bullet = _BULLET_RE.match(raw)
        item = (bullet.group(1) if bullet else raw).strip()
        if len(item) > 2 and item[0] == "_" and item[-1] == "_":
            item = item[1:-1]
        sections.setdefault(current, []).append(item)
    return sections


def renumber(text: str, local: dict[str, int]) -> str:
    """Rewrite an answer's [n] markers to report numbers; a marker with no citation is dropped."""

    def swap(match: re.Match[str]) -> str:
        number = local.get(match.group(0))
        return f"[{number}]" if number is not None else ""

    return re.sub(r"\s+([.,;:])", r"\1", _MARKER_RE.sub(swap, text)).strip()


def _section_key(title: str) -> str:
    lowered = title.lower()
    for key, words in SECTION_KEYS.items():
        if any(w in lowered for w in words):
            return key
    return "other"


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))  # first occurrence of each, in order
