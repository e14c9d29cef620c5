"""An Answer as chat HTML: the text with clickable [n] markers and a card per citation below it.

Cards are ``<details>`` elements so they open without any script; a marker is a link to its
card's id, and the page script (``ui/assets.py``) opens the card and scrolls to it on click.
"""

from __future__ import annotations

from advisor.frameworks.labels import KIND_NAMES
from advisor.schema import Answer, Citation, Scope
from knowledge.schema import RecordKind
from ui.safe_html import esc, esc_multiline, render_rich_text, safe_id

SCOPE_NOTES: dict[Scope, str] = {
    Scope.OUT_OF_SCOPE: "Outside what this advisor covers",
    Scope.UNANSWERABLE: "The sources do not hold this; the nearest evidence is shown",
}


def card_id(turn_key: str, marker: str) -> str:
    return f"cite-{safe_id(turn_key)}-{marker.strip('[]')}"


class AnswerRenderer:
    """Renders answers for one chat as HTML whose every user- or document-supplied string is escaped."""

    def render(self, answer: Answer, turn_key: str) -> str:
        hrefs = {c.marker: card_id(turn_key, c.marker) for c in answer.citations}
        parts = ['<div class="advisor-answer">']
        note = SCOPE_NOTES.get(answer.scope)
        if note:
            parts.append(f'<div class="scope-note scope-{esc(answer.scope.value)}">{esc(note)}</div>')
        parts.append(f'<div class="answer-body">{render_rich_text(answer.answer, hrefs)}</div>')
        for notice in answer.notices:
            parts.append(f'<div class="answer-notice">{esc(notice)}</div>')
        if answer.citations:
            parts.append(self.render_cards(answer.citations, turn_key))
        parts.append(f'<div class="answer-backend">Composed by: {esc(answer.backend)}</div>')
        parts.append("</div>")
        return "".join(parts)

    def render_cards(self, citations: list[Citation], turn_key: str) -> str:
        cards = "".join(self.card(c, turn_key) for c in citations)
        count = len(citations)
        label = f"{count} source{'s' if count != 1 else ''} — open a card to read the exact words"
        return f'<div class="cite-cards"><div class="cite-cards-label">{esc(label)}</div>{cards}</div>'

    def card(self, citation: Citation, turn_key: str) -> str:
        kind = RecordKind(citation.kind)
        who = self._who(citation)
        summary = (
            f'<span class="cite-num">{esc(citation.marker)}</span>'
            f'<span class="cite-kind cite-kind-{esc(kind.value)}">{esc(KIND_NAMES[kind])}</span>'
            f'<span class="cite-title">{esc(citation.title)}</span>'
        )
        if citation.section:
            last = citation.section.split(" > ")[-1]
            summary += f'<span class="cite-section" title="{esc(citation.section)}">{esc(last)}</span>'
        if who:
            summary += f'<span class="cite-who">{esc(who)}</span>'
        body = (
            f'<blockquote class="cite-text">{esc_multiline(citation.text)}</blockquote>'
            f'<div class="cite-meta">Record {esc(citation.passage_id)} · source {esc(citation.source)}</div>'
        )
        return (
            f'<details class="cite-card" id="{card_id(turn_key, citation.marker)}">'
            f"<summary>{summary}</summary>{body}</details>"
        )

    def _who(self, citation: Citation) -> str:
        bits = [b for b in (citation.speaker, citation.role, citation.company) if b]
        return ", ".join(bits)


def render_user_message(text: str) -> str:
    """Show a user's own words exactly as typed, never interpreted."""
    return f'<div class="user-message">{esc_multiline(text)}</div>'
