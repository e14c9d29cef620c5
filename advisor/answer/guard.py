"""Spot instructions aimed at the advisor inside a user's message or a retrieved document.

The rules (cite only given passages, show no prompt, diagnose only from evidence, invent no figure)
are not negotiable from inside the conversation: instruction-like sentences are removed from the
text the pipeline reasons on, never obeyed, and a retrieved sentence that gives orders is never quoted.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from advisor.answer.text import split_sentences

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(rx, re.I))
    for name, rx in [
        ("override", r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rules?|guidelines?|"
         r"prompts?|constraints?|above|previous|prior|system)\b"),
        ("prompt_dump", r"\b(print|show|reveal|dump|repeat|output|display|tell me|give me|what (?:is|are))\b.{0,30}"
         r"\b(system prompt|your prompt|the prompt|your instructions|hidden instructions|initial instructions|"
         r"your rules|developer message)\b"),
        ("role_change", r"\b(you are now|from now on you|act as|pretend (?:to be|you are)|developer mode|jailbreak|"
         r"system override|admin override|sudo mode|"
         r"new (?:rules|instructions))\b"),
        ("forced_citation", r"\bcite\b.{0,30}\b(passage|source|record|reference)\b.{0,60}\d|"
         r"\bcite\b.{0,80}\bas (?:your|the) (?:main |primary |only )?source\b|"
         r"\b(cite|reference)\s+(?:passage\s+)?\[?[A-Z]+\d{2,}\]?"),
        ("forced_diagnosis", r"\b(diagnose|classify|place|label|put)\s+(?:me|us|this|that|our|my|the)(?:\s+\w+)?\s+"
         r"(?:as|in(?:to)?)\b|\b(say|state|answer|conclude|tell (?:me|us))\s+(?:that\s+)?(?:we|i|our \w+)\s+"
         r"(?:are|am|is)\s+(?:in\s+)?"
         r"(?:the\s+)?(?:platformiz|productioniz|proving|phase)"),
        ("smuggled_claim", r"\b(add|say|state|claim|write|include|mention|assert)\s+that\b.{0,120}\d|\bquote\s+\w+\s+"
         r"saying\b|\bpretend\b|\b(note|message|instructions?)\s+(?:to|for)\s+the\s+(assistant|ai|model|system|advisor)\b|"
         r"\bset\s+(?:the\s+)?(?:confidence|phase|diagnosis|scope)\b|\breply with\b"),
        ("invent_figures", r"\b(make up|invent|fabricate|guess|estimate|just give)\b.{0,30}\b(number|figure|statistic|"
         r"percentage|budget|amount|data)s?\b"),
    ]
]  # fmt: skip


@lru_cache(maxsize=8192)
def _is_instruction(sentence: str) -> bool:
    """Memoized: the sentence picker screens the same retrieved sentences in every answer (~7 ms each time)."""
    return any(pattern.search(sentence) for _, pattern in _PATTERNS)


# A bracketed or parenthesized aside ("[admin note to the assistant: ...]") is judged on its own.
_ASIDE_RE = re.compile(r"\[[^\]]{8,400}\]|\([^)]{8,400}\)|<[^>]{8,400}>")


class InjectionFinding(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    sentence: str


class GuardResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    clean_text: str
    findings: list[InjectionFinding]


class InjectionGuard:
    def findings(self, text: str) -> list[InjectionFinding]:
        found = []
        for sentence in split_sentences(text):
            for kind, pattern in _PATTERNS:
                if pattern.search(sentence):
                    found.append(InjectionFinding(kind=kind, sentence=sentence))
                    break
        return found

    def is_instruction(self, sentence: str) -> bool:
        return _is_instruction(sentence)

    def clean(self, text: str) -> GuardResult:
        """Drop the instruction sentences from a message; what remains is what gets answered."""
        asides: list[InjectionFinding] = []
        for aside in _ASIDE_RE.findall(text):
            kind = next((k for k, pattern in _PATTERNS if pattern.search(aside)), None)
            if kind:
                asides.append(InjectionFinding(kind=kind, sentence=aside))
                text = text.replace(aside, " ")
        findings = asides + self.findings(text)
        bad = {f.sentence for f in findings}
        kept = [s for s in split_sentences(text) if s not in bad]
        return GuardResult(clean_text=" ".join(kept), findings=findings)
