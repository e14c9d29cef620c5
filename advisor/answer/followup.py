"""Turn an elliptical follow-up ("and the second one?", "what about for a bank?") into a full question.

Retrieval and diagnosis only see one message, so a follow-up must carry its context: an ordinal
reference picks the n-th item of the last answer's list; a "what about X" swaps the new context into
the previous question; a short pronoun question ("why does it matter?") is joined to the previous one.
Anything else passes through untouched.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from advisor.answer.text import strip_markers
from advisor.schema import ChatTurn

_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "last": -1, "final": -1, "previous": -1,
}  # fmt: skip
_ORDINAL_RE = re.compile(
    r"\b(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last|final)\s+(?:one|point|item|step|"
    r"recommendation|option|idea|quote|source|thing|bit)?\b|\b(?:number|no\.?|item|point|step)\s*#?(\d)\b",
    re.I,
)
_WHAT_ABOUT_RE = re.compile(
    r"^\s*(?:and\s+|but\s+|ok(?:ay)?,?\s+|so\s+)?(?:what|how)\s+about\s+(?:for\s+|in\s+|with\s+|at\s+)?(?P<rest>.+?)\s*[?.!]*\s*$|"
    r"^\s*(?:and|but)\s+(?:for|in|with|at)\s+(?P<rest2>.+?)\s*[?.!]*\s*$|"
    r"^\s*(?:same|and)\s+(?:question\s+)?for\s+(?P<rest3>.+?)\s*[?.!]*\s*$",
    re.I,
)
_PRONOUN_RE = re.compile(r"\b(it|that|this|those|these|them|they|there|one)\b", re.I)
_LIST_ITEM_RE = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+(?P<item>.+)$")
_ARTICLE_SUBJECT_RE = re.compile(r"^(?:a|an|the|our|my)\s+", re.I)


class ResolvedMessage(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    original: str
    kind: Literal["standalone", "ordinal", "what_about", "pronoun"]
    previous_question: str | None


class FollowupResolver:
    def __init__(self, max_followup_words: int = 12) -> None:
        if max_followup_words < 1:
            raise ValueError("max_followup_words must be >= 1")
        self.max_followup_words = max_followup_words

    def resolve(self, message: str, history: list[ChatTurn] | None = None) -> ResolvedMessage:
        history = history or []
        previous_at = next((i for i in range(len(history) - 1, -1, -1) if history[i].role == "user"), None)
        previous_user = None
        if previous_at is not None:
            # The previous question may itself have been a follow-up: resolve it against its own past first.
            previous_user = self.resolve(history[previous_at].content, history[:previous_at]).text
        last_answer = next((t.content for t in reversed(history) if t.role == "assistant"), None)
        stripped = message.strip()
        short = len(stripped.split()) <= self.max_followup_words
        if previous_user is None or not short:
            return ResolvedMessage(text=stripped, original=message, kind="standalone", previous_question=None)

        ordinal = _ORDINAL_RE.search(stripped)
        if ordinal and last_answer:
            items = list_items(last_answer) or prose_items(last_answer)
            index = _ORDINALS.get((ordinal.group(1) or "").lower()) or int(ordinal.group(2) or 0)
            if items and index and -len(items) <= (index - 1 if index > 0 else index) < len(items):
                item = items[index - 1] if index > 0 else items[index]
                text = f"{previous_user.rstrip(' ?.!')} — tell me more about: {item}"
                return ResolvedMessage(text=text, original=message, kind="ordinal", previous_question=previous_user)

        about = _WHAT_ABOUT_RE.match(stripped)
        if about:
            rest = next(g for g in (about.group("rest"), about.group("rest2"), about.group("rest3")) if g)
            subject = _ARTICLE_SUBJECT_RE.sub("", rest)
            base = re.sub(r" — and what about for .*$", "", previous_user)  # a new context replaces the last one
            text = f"{base.rstrip(' ?.!')} — and what about for {_article(subject)}{subject}?"
            return ResolvedMessage(text=text, original=message, kind="what_about", previous_question=previous_user)

        if _PRONOUN_RE.search(stripped) and len(stripped.split()) <= 8:
            text = f"{previous_user.rstrip(' ?.!')} — {stripped}"
            return ResolvedMessage(text=text, original=message, kind="pronoun", previous_question=previous_user)
        return ResolvedMessage(text=stripped, original=message, kind="standalone", previous_question=None)


def list_items(answer: str) -> list[str]:
    """Return the numbered or bulleted items of an earlier answer, markers removed."""
    items = []
    for line in answer.splitlines():
        match = _LIST_ITEM_RE.match(line)
        if match:
            items.append(strip_markers(match.group("item")).strip())
    return items


_PROSE_SPLIT_RE = re.compile(
    r",\s*(?:and\s+)?(?:then\s+|finally\s+|lastly\s+)?|;\s*|\s+(?:and\s+)?then\s+|\s+and finally\s+"
)


def prose_items(answer: str) -> list[str]:
    """Return the steps of an enumeration written as prose ("first X, then Y, and finally Z"), if any."""
    best: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", strip_markers(answer)):
        parts = [p.strip(" .") for p in _PROSE_SPLIT_RE.split(sentence) if p and p.strip(" .")]
        if len(parts) >= 3 and len(parts) > len(best):
            best = parts
    return best


def _article(subject: str) -> str:
    if subject[:1].isupper() and not subject.isupper():
        return ""  # a proper name ("Siemens") or an acronym-like term needs no article
    if subject.lower().endswith("s") and not subject.lower().endswith("ss"):
        return ""
    return "an " if subject[:1].lower() in "aeiou" else "a "
