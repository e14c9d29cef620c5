"""Tell a manager's situation ("we have three pilots, nothing is live") from a question about the sources.

A situation gets a diagnosis and the four-part advice; a factual question gets a short answer from the
best sentences. The signal is a first-person description of an organization, unless the message is
plainly asking what a source or a practitioner said.
"""

from __future__ import annotations

import re
from enum import StrEnum

# First person *describing* the organization ("we have", "our team is", "I run"), not just owning a noun
# ("who should fix our churn model?" is a question, not a situation).
_DESCRIBES_RE = re.compile(
    r"\b(?:we|i)(?:'re|'ve|'m)\b|\b(?:we|i)\s+(?:(?:still|only|just|already|currently|now|also|never|mostly|"
    r"recently|finally)\s+)?(?:have|has|had|are|am|were|was|run|use|used|built|build|ship|shipped|deploy|deployed|"
    r"did|do not|don't|didn't|can't|cannot|struggle|started|launched|hired|tried|want|need|plan|spent|spend|manage|"
    r"lead|head|own|work|employ|operate|sell|serve|got|get|rely|keep|lack|lost)\b|"
    r"\bour\s+(?:[\w-]+\s+){0,3}(?:is|are|was|were|has|have|had|takes?|took|deploys?|ships?|runs?|uses?|sits?|"
    r"lives?|breaks?|keeps?|lacks?|wants?|built|went|started|launched|became|got|moved|performs?|works?|grew|needs?|"
    r"lost|relies|rely|serves?|supports?|handles?|covers?|spans?|includes?|employs?|processes|drifts?|fails?|"
    r"depends?|owns?|makes?|sells?|trains?|produces?|predicts?|contains?|holds?|consists?)\b|"
    r"\bmy (?:team|company|org|organization|organisation|firm|bank|group|"
    r"department|unit|startup|business|employer|client)\b|\b(?:nobody|no one|none of us)\b",
    re.I,
)
_SOURCE = r"(?:paper|papers|study|studies|authors?|playbook|sources?|research|article|isa-4|framework|practitioners?)"
# A question about a source, at the start of the message or of any later sentence ("I run QA. In the playbook's
# quality framework, what are the first weeks for?"), or anywhere "according to" or a definition is asked.
_ABOUT_SOURCES_RE = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:in|from)\s+the\s+" + _SOURCE + r"(?:'s|’s)?\s+(?:[\w-]+\s+){0,4}?[\w-]+,\s+)?"
    r"(?:what|who|which|where|when|how)\s+(?:does|do|did|is|are|was|were)\s+(?:the\s+)?" + _SOURCE + r"\b"
    r"|(?:^|[.!?]\s+)(?:in|from)\s+the\s+" + _SOURCE + r"(?:'s|’s)?\b[^.!?]*\?"
    r"|\baccording to\b|"
    r"\b(?:define|definition of|what is meant by|who said|what did \w+ (?:\w+ )?say)\b",
    re.I,
)


class Intent(StrEnum):
    SITUATION = "situation"
    FACTUAL = "factual"


def classify_intent(message: str) -> Intent:
    if _ABOUT_SOURCES_RE.search(message):
        return Intent.FACTUAL
    return Intent.SITUATION if _DESCRIBES_RE.search(message) else Intent.FACTUAL
