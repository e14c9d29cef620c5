"""Wording shared by every report format, so Markdown, DOCX and PDF cite sources identically."""

from __future__ import annotations

from advisor.frameworks.labels import KIND_NAMES
from knowledge.schema import RecordKind
from reports.builder import PractitionerQuote, Reference


def attribution(quote: PractitionerQuote) -> str:
    bits = [b for b in (quote.speaker, quote.role, quote.company) if b]
    return ", ".join(bits) or "Practitioner (unnamed)"


def reference_text(ref: Reference) -> str:
    """Say what a reference is (kind, title, section, who) and quote its opening words."""
    c = ref.citation
    parts = [f"{KIND_NAMES[RecordKind(c.kind)]}: {c.title}"]
    if c.section:
        parts.append(c.section)
    who = ", ".join(b for b in (c.speaker, c.company) if b)
    if who:
        parts.append(who)
    excerpt = " ".join(c.text.split())
    if len(excerpt) > 300:
        excerpt = excerpt[:297].rsplit(" ", 1)[0] + "…"
    return f"{' — '.join(parts)}. “{excerpt}”"


def reference_line(ref: Reference) -> str:
    """One numbered reference: kind, source title, section, who, and the record id to look it up."""
    return f"{reference_text(ref)} (record {ref.citation.passage_id})"
