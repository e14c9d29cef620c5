"""The diagnosis panel's words: where the organization stands, what to watch, and why we think so.

The "why" shows the user's own message with the words each rule read marked, so a consultant can
check the reasoning against what was actually said.
"""

from __future__ import annotations

from advisor.frameworks.labels import (
    CHALLENGE_HINTS,
    CHALLENGE_NAMES,
    COMPONENT_NAMES,
    ISA4_NAMES,
    MLBC_NAMES,
    PRACTICE_NAMES,
    phase_name,
)
from advisor.schema import Diagnosis, MatchedSpan
from ui.rule_words import conclusion_words
from ui.safe_html import esc, esc_multiline


def locate_spans(message: str, spans: list[MatchedSpan]) -> list[tuple[int, int]]:
    """Positions of the spans in this message, trusting offsets only when the words agree."""
    found: list[tuple[int, int]] = []
    for span in spans:
        if span.end > span.start and message[span.start : span.end] == span.text:
            found.append((span.start, span.end))
            continue
        at = message.lower().find(span.text.lower()) if span.text else -1
        if at >= 0:
            found.append((at, at + len(span.text)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(message: str, spans: list[MatchedSpan]) -> str:
    """Escape the message and wrap the matched words in ``<mark>``."""
    out: list[str] = []
    pos = 0
    for start, end in locate_spans(message, spans):
        out.append(esc_multiline(message[pos:start]))
        out.append(f"<mark>{esc_multiline(message[start:end])}</mark>")
        pos = end
    out.append(esc_multiline(message[pos:]))
    return "".join(out)


class DiagnosisRenderer:
    """Renders a Diagnosis (and the message it was read from) as panel HTML."""

    def render(self, diagnosis: Diagnosis | None, message: str = "") -> str:
        if diagnosis is None:
            return (
                '<div class="diag-empty">Describe your organization\'s situation in the chat (or fill in the '
                "questionnaire) and the diagnosis appears here: your phase per component, the challenges to "
                "watch and the practices that help.</div>"
            )
        parts = ['<div class="diag-panel">', self._summary(diagnosis)]
        parts.append(self._list("Challenges to watch", [self._challenge(c) for c in diagnosis.challenges]))
        parts.append(self._list("Practices that help", [esc(PRACTICE_NAMES[p]) for p in diagnosis.practices]))
        parts.append(self._why(diagnosis, message))
        if diagnosis.clarifying_questions:
            parts.append(self._list("To sharpen this, tell me", [esc(q) for q in diagnosis.clarifying_questions]))
        if diagnosis.missing_information:
            parts.append(self._list("Not yet known", [esc(m) for m in diagnosis.missing_information]))
        parts.append("</div>")
        return "".join(parts)

    def _summary(self, d: Diagnosis) -> str:
        rows = [
            ("Overall phase", f"{phase_name(d.phase)} ({d.confidence.phase:.0%} confidence)"),
            ("Mainly about", ", ".join(COMPONENT_NAMES[c] for c in d.components) or "—"),
            ("Weakest", ", ".join(COMPONENT_NAMES[c] for c in d.weakest_components) or "—"),
            ("ISA-4 layers", ", ".join(ISA4_NAMES[x] for x in d.isa4_layers) or "—"),
            ("ML capability cycle", MLBC_NAMES[d.mlbc_phase] if d.mlbc_phase else "—"),
        ]
        cells = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
        return f'<table class="diag-summary">{cells}</table>'

    @staticmethod
    def _challenge(challenge: object) -> str:
        return f"<strong>{esc(CHALLENGE_NAMES[challenge])}</strong> — {esc(CHALLENGE_HINTS[challenge])}"  # type: ignore[index]

    @staticmethod
    def _list(title: str, items: list[str]) -> str:
        if not items:
            return ""
        lis = "".join(f"<li>{item}</li>" for item in items)
        return f'<div class="diag-section"><h4>{esc(title)}</h4><ul>{lis}</ul></div>'

    def _why(self, d: Diagnosis, message: str) -> str:
        if not d.rules_fired:
            return ""
        all_spans = [span for rule in d.rules_fired for span in rule.matched]
        parts = ['<div class="diag-section diag-why"><h4>Why: the rules that fired on your words</h4>']
        if message and all_spans:
            parts.append(f'<div class="diag-message">{highlight(message, all_spans)}</div>')
        parts.append('<ul class="diag-rules">')
        for rule in d.rules_fired:
            words = ", ".join(f"“{esc(s.text)}”" for s in rule.matched) or "the questionnaire"
            parts.append(
                f'<li>{esc(conclusion_words(rule.conclusion))} <code class="rule-id">{esc(rule.rule_id)}</code>'
                f'<div class="rule-words">read from: {words}</div></li>'
            )
        parts.append("</ul></div>")
        return "".join(parts)
