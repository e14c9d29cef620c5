"""Tell a manager's situation ("we have three pilots, nothing is live") from a question about the sources.

A situation gets a diagnosis and the four-part advice; a factual question gets a short answer from the
best sentences. The signal is first-person description of an organization, unless the message is
plainly asking what a source or a practitioner said.
"""

from __future__ import annotations

import re
from enum import StrEnum

_FIRST_PERSON_RE = re.compile(
    r"\b(we|we're|we've|our|ours|us|my (?:team|company|org|organization|organisation|firm|bank|group|department|"
    r"unit|startup|business|employer|client)|i (?:run|lead|manage|head|own|work|am responsible)|i'm (?:the|a|an|"
    r"responsible|leading|running))\b",
    re.I,
)
_ABOUT_SOURCES_RE = re.compile(
    r"^\s*(?:what|who|which|where|when|how)\s+(?:does|do|did|is|are|was|were)\s+(?:the\s+)?(?:paper|papers|study|"
    r"studies|authors?|playbook|sources?|research|article|isa-4|framework|practitioners?)\b|\baccording to\b|"
    r"\b(?:define|definition of|what is meant by|who said|what did \w+ (?:\w+ )?say)\b",
    re.I,
)


class Intent(StrEnum):
    SITUATION = "situation"
    FACTUAL = "factual"


def classify_intent(message: str) -> Intent:
    if _ABOUT_SOURCES_RE.search(message):
        return Intent.FACTUAL
    hits = _FIRST_PERSON_RE.findall(message)
    return Intent.SITUATION if hits else Intent.FACTUAL
