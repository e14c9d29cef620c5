"""Recognize "what is X" questions, so the answer can open with the sentence that says what X is.

Ranking by similarity alone often puts a sentence that merely *uses* the term first ("Even within the ML
Organization Cycle, temporal complexity was apparent."), while a reader who asked what a term means
expects the defining sentence first ("Temporal Complexity stems from ...").
"""

from __future__ import annotations

import re

_ASKED_RE = re.compile(
    r"^\s*(?:what\s+(?:is|are|does|do)|define|explain|what's|whats)\s+(?:meant\s+by\s+)?(?:an?\s+|the\s+)?"
    r"(?P<term>[\w][\w\s\-/]*?)"
    r"(?:\s+(?:mean|means|stand\s+for|in\s+the\b|in\s+this\b|according\b|and\b|,|for\s+(?:an?|the)\b)|\s*[?.!]|$)",
    re.I,
)
_DEFINING_VERBS = (
    r"is|are|refers?\s+to|relates?\s+to|stems?\s+from|means|describes?|denotes?|is\s+defined\s+as|"
    r"can\s+be\s+(?:defined|understood|described)\s+as|represents?|consists?\s+of|conceptuali[sz]es"
)
MAX_TERM_WORDS = 5
"""Longer "terms" are questions in their own right ("what is the key to scaling MLOps ..."), not a name."""


def definition_term(question: str) -> str | None:
    """Return the term a "what is X" question asks about, or None when the question asks something else."""
    match = _ASKED_RE.match(question)
    if match is None:
        return None
    term = " ".join(match.group("term").split())
    if not term or len(term.split()) > MAX_TERM_WORDS:
        return None
    return term


def defining_pattern(term: str) -> re.Pattern[str]:
    """Match a sentence that names ``term`` and then says what it is, within a few words of it."""
    words = r"[\s\-]+".join(re.escape(w) for w in re.split(r"[\s\-]+", term) if w)
    return re.compile(rf"\b{words}\b(?:\s*\([^)]*\))?[^.;:]{{0,30}}?\b(?:{_DEFINING_VERBS})\b", re.I)
