"""Whose words a sentence is: a practitioner's or the authors' "we" is shown as their quotation.

A small model shown a quote often copies it into the answer: "We launched our original proof of concept
with AWS Transcribe." In an advisor's answer that reads as the advisor's own experience, or the
manager's. A model sentence that speaks in the first person ("we", "our", "I", "my", "us", "me") and
whose words stand verbatim in the passage it cites is therefore shown as what it is, a quotation:
in quotation marks, with its speaker where the cited record names one, as the offline answer shows a
quote (``“…” — Heather Nolis, T-Mobile``). A first-person sentence the passage does not hold word for
word is left as written: quotation marks around a paraphrase would misquote.
"""

from __future__ import annotations

import re

from advisor.answer.text import speaks_first_person, words
from advisor.schema import Citation, RecordKind

_QUOTE_CHARS = '“”" '


def stands_in(text: str, passage: str) -> bool:
    """Tell whether the words of ``text`` occur, in order and adjacent, in ``passage`` (case and marks aside)."""
    said = words(text)
    if not said:
        return False
    return f" {' '.join(said)} " in f" {' '.join(words(passage))} "


def unless_named(company: str | None, role: str | None) -> str | None:
    """Leave the company out when the role already names it ("head of research at LinkedIn, LinkedIn")."""
    if not company or not role:
        return company
    return None if _squeezed(company) in _squeezed(role) else company


def _squeezed(text: str) -> str:
    """Compare names without spaces and punctuation: "Clear ML" in a role names the company "ClearML"."""
    return re.sub(r"\W+", "", text).lower()


def speaker_line(speaker: str | None, role: str | None, company: str | None) -> str:
    """Who said a quote, as an answer names them ("Heather Nolis, T-Mobile"); empty for an anonymous one."""
    return ", ".join(p for p in (speaker, role, unless_named(company, role)) if p)


def quoted(text: str, who: str) -> str:
    """Render ``text`` as a quotation, attributed when ``who`` names someone (markers go after it)."""
    body = text.strip().strip(_QUOTE_CHARS)
    return f"“{body}” — {who}." if who else f"“{body}”"


def in_their_voice(text: str, cited: list[Citation]) -> str:
    """Return ``text`` as a quotation when it speaks as "we" or "I" in the words of the one passage it cites.

    The quotation names the speaker when the cited record is a quote with a speaker or role; a passage of
    a paper (an interviewee quoted inside it, or the authors' "our findings") gets the quotation marks
    alone, as the offline answer shows an anonymous quote: the source card says whose words they are.
    """
    if len(cited) != 1 or not speaks_first_person(text) or not stands_in(text, cited[0].text):
        return text
    record = cited[0]
    who = speaker_line(record.speaker, record.role, record.company) if record.kind is RecordKind.QUOTE else ""
    return quoted(text, who)
