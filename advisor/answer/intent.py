"""Tell a manager's situation ("we have three pilots, nothing is live") from a question about the sources.

A situation gets a diagnosis and the four-part advice; a factual question gets a short answer from the
best sentences. The signal is a first-person description of an organization, unless the message is
plainly asking what a source or a practitioner said. A manager often says who they are before asking
about a source ("I run an analytics programme in a regional agency. The ISA-4 abstract says research split
into two streams. What did each focus on?"): a question that does not speak of "we" or "I" and names a
source, or follows a sentence naming one, asks about the source, whatever the preface says of the firm.
A question that does ("what does the playbook say we should do first?") asks for advice: a situation.
"""

from __future__ import annotations

import re
from enum import StrEnum

from advisor.answer.text import speaks_first_person, split_sentences

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
_SOURCE = (
    r"(?:paper|papers|study|studies|authors?|playbook|sources?|research|article|abstract|isa-4|framework|"
    r"practitioners?)"
)
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


# A source named in a sentence: "the ISA-4 scaling framework", "the playbook's support director", "ISA-4".
_NAMES_SOURCE_RE = re.compile(r"\b(?:the|this|that)\s+(?:[\w’'-]+\s+){0,4}?" + _SOURCE + r"\b|\bisa-4\b", re.I)
_CLAUSE_BREAK_RE = re.compile(r"[:;]\s+|\s+[—–]\s+")


def asks_about_a_source(message: str) -> bool:
    """Tell whether a question in ``message`` asks about a source rather than about the speaker's firm.

    The question is the clause that ends in "?" (after any colon or dash of its sentence); it asks about a
    source when it has no first person and names a source, or the sentence before it does.
    """
    sentences = split_sentences(message)
    for i, sentence in enumerate(sentences):
        clause = _CLAUSE_BREAK_RE.split(sentence.strip())[-1]
        if not clause.rstrip().endswith("?") or speaks_first_person(clause):
            continue
        if _NAMES_SOURCE_RE.search(clause) or (i > 0 and _NAMES_SOURCE_RE.search(sentences[i - 1])):
            return True
    return False


class Intent(StrEnum):
    SITUATION = "situation"
    FACTUAL = "factual"


def classify_intent(message: str) -> Intent:
    if _ABOUT_SOURCES_RE.search(message) or asks_about_a_source(message):
        return Intent.FACTUAL
    return Intent.SITUATION if _DESCRIBES_RE.search(message) else Intent.FACTUAL
