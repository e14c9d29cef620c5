"""Compose an answer with a language model, then hold it to the same citation rules as the offline one.

The model sees numbered passages and the diagnosis; whatever it writes goes through the citation
checker. When too little survives, or the endpoint is down, slow, rate-limited or returns garbage, the
already-built offline answer is returned with a notice saying why — the user always gets an answer.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict

from advisor.answer.citations import CitationChecker, CitationReport
from advisor.answer.evidence import Evidence, to_citation
from advisor.answer.guard import InjectionGuard
from advisor.answer.prompt_echo import PromptEchoFilter
from advisor.answer.prompts import Prompts
from advisor.answer.query import CHALLENGE_WORDS, COMPONENT_WORDS, PHASE_WORDS, PRACTICE_WORDS
from advisor.answer.text import split_sentences, truncate_words
from advisor.schema import Citation, Diagnosis


class LLMOutcome(BaseModel):
    """What the LLM path produced: a checked answer, or the reason it fell back."""

    model_config = ConfigDict(frozen=True)

    report: CitationReport | None
    raw_output: str
    fallback_reason: str | None
    seconds: float
    tokens_per_second: float | None

    @property
    def accepted(self) -> bool:
        return self.fallback_reason is None and self.report is not None


def describe_diagnosis(diagnosis: Diagnosis | None) -> str:
    if diagnosis is None:
        return "none (a factual question)"
    parts = []
    if diagnosis.phase:
        parts.append(f"phase: {PHASE_WORDS[diagnosis.phase]}")
    if diagnosis.components:
        parts.append("main components: " + ", ".join(COMPONENT_WORDS[c] for c in diagnosis.components))
    if diagnosis.challenges:
        parts.append("challenges: " + ", ".join(CHALLENGE_WORDS[c] for c in diagnosis.challenges))
    if diagnosis.practices:
        parts.append("recommended practices: " + ", ".join(PRACTICE_WORDS[p] for p in diagnosis.practices))
    return "; ".join(parts) or "unclear (too little information)"


def describe_error(exc: BaseException) -> str:
    """Name the failure in words a user understands (outage, timeout, rate limit, bad response)."""
    name = type(exc).__name__
    text = str(exc).lower()
    if "ratelimit" in name.lower() or "429" in text:
        return "the language model endpoint is rate-limiting requests (HTTP 429)"
    if "timeout" in name.lower() or "timed out" in text:
        return "the language model endpoint did not answer in time"
    if "connection" in name.lower() or "connect" in text or "refused" in text:
        return "the language model endpoint cannot be reached"
    if any(w in name.lower() or w in text for w in ("json", "decode", "validation", "parse", "expecting value")):
        return "the language model endpoint returned a response that is not valid"
    return f"the language model failed ({name})"


class LLMComposer:
    def __init__(
        self,
        chat_model: BaseChatModel,
        checker: CitationChecker,
        prompts: Prompts,
        provider: str = "default",
        guard: InjectionGuard | None = None,
    ) -> None:
        self.chat_model = chat_model
        self.checker = checker
        self.prompts = prompts
        self.limits = prompts.limits_for(provider)
        self.guard = guard or InjectionGuard()
        self.echo = PromptEchoFilter(prompts)  # a sentence repeating the prompt never reaches the user

    def passages(self, evidence: Evidence) -> list[Citation]:
        hits = evidence.all_hits()[: self.limits.max_passages]
        return [to_citation(hit, i) for i, hit in enumerate(hits, start=1)]

    def messages(self, question: str, diagnosis: Diagnosis | None, passages: list[Citation]) -> list:
        blocks = []
        for p in passages:
            who = ", ".join(x for x in (p.speaker, p.company) if x)
            head = " — ".join(x for x in (p.title, p.section, who) if x)
            # Instruction-like sentences of a retrieved document are withheld from the model altogether.
            text = " ".join(s for s in split_sentences(p.text) if not self.guard.is_instruction(s))
            blocks.append(f"{p.marker} ({head}) {truncate_words(text, self.limits.max_passage_words)}")
        user = self.prompts.user.format(
            passages="\n".join(blocks), diagnosis=describe_diagnosis(diagnosis), question=question
        )
        return [SystemMessage(self.prompts.system), HumanMessage(user)]

    def accept(self, report: CitationReport) -> str | None:
        """Return why the checked answer is not good enough, or None when it is."""
        kept = report.supported + report.repaired
        a = self.prompts.acceptance
        if kept < a.min_supported_sentences or report.kept_ratio < a.min_kept_ratio:
            return (
                f"only {kept} of {report.claims} sentences of the language model's answer were supported by the "
                "cited passages"
            )
        return None

    def compose(self, question: str, evidence: Evidence, diagnosis: Diagnosis | None) -> LLMOutcome:
        passages = self.passages(evidence)
        if not passages:
            return LLMOutcome(
                report=None,
                raw_output="",
                fallback_reason="no passages to ground on",
                seconds=0,
                tokens_per_second=None,
            )
        started = time.perf_counter()
        try:
            reply = self.chat_model.invoke(self.messages(question, diagnosis, passages))
            raw = reply.content if isinstance(reply.content, str) else str(reply.content)
        except Exception as exc:  # every backend failure becomes a visible fallback, never a crash
            return LLMOutcome(
                report=None,
                raw_output="",
                fallback_reason=describe_error(exc),
                seconds=time.perf_counter() - started,
                tokens_per_second=None,
            )
        seconds = time.perf_counter() - started
        tps = (reply.response_metadata or {}).get("tokens_per_second")
        if tps is None and reply.usage_metadata and seconds > 0:
            tps = round(reply.usage_metadata.get("output_tokens", 0) / seconds, 2)
        return self._finish(raw, passages, seconds, tps)

    def stream(self, question: str, evidence: Evidence, diagnosis: Diagnosis | None) -> Iterator[str | LLMOutcome]:
        """Yield checked sentences as soon as each is complete, then the final outcome."""
        passages = self.passages(evidence)
        if not passages:
            yield LLMOutcome(
                report=None,
                raw_output="",
                fallback_reason="no passages to ground on",
                seconds=0,
                tokens_per_second=None,
            )
            return
        started = time.perf_counter()
        raw, meta = "", {}
        emitted = 0
        renumber: dict[int, int] = {}
        try:
            for chunk in self.chat_model.stream(self.messages(question, diagnosis, passages)):
                raw += chunk.content if isinstance(chunk.content, str) else ""
                meta = chunk.response_metadata or meta
                complete = split_sentences(raw)[:-1]
                for sentence in complete[emitted:]:
                    piece = self._checked_piece(sentence, passages, renumber)
                    if piece:
                        yield piece
                emitted = len(complete)
        except Exception as exc:
            yield LLMOutcome(
                report=None,
                raw_output=raw,
                fallback_reason=describe_error(exc),
                seconds=time.perf_counter() - started,
                tokens_per_second=None,
            )
            return
        tail = split_sentences(raw)[emitted:]
        for sentence in tail:
            piece = self._checked_piece(sentence, passages, renumber)
            if piece:
                yield piece
        yield self._finish(raw, passages, time.perf_counter() - started, meta.get("tokens_per_second"))

    def _checked_piece(self, sentence: str, passages: list[Citation], renumber: dict[int, int]) -> str | None:
        if self.echo.echoes(sentence, [p.text for p in passages]):
            return None
        report = self.checker.check(sentence, passages, allow_notes=False)
        if not report.claims or report.dropped:
            return None
        original = report.sentences[0].cited
        for n in original:
            renumber.setdefault(n, len(renumber) + 1)
        body = report.text
        for c in reversed(report.citations):  # map the one-sentence numbering back onto the running numbering
            old = original[int(c.marker.strip("[]")) - 1]
            body = body.replace(c.marker, f"[#{renumber[old]}]")
        return body.replace("[#", "[") + " "

    def _finish(self, raw: str, passages: list[Citation], seconds: float, tps: float | None) -> LLMOutcome:
        if not raw.strip():
            return LLMOutcome(
                report=None,
                raw_output=raw,
                fallback_reason="the language model returned an empty answer",
                seconds=seconds,
                tokens_per_second=tps,
            )
        texts = [p.text for p in passages]
        kept = raw
        for sentence in (s for s in split_sentences(raw) if self.echo.echoes(s, texts)):
            kept = kept.replace(sentence, "")
        report = self.checker.check(kept, passages, allow_notes=False)
        return LLMOutcome(
            report=report, raw_output=raw, fallback_reason=self.accept(report), seconds=seconds, tokens_per_second=tps
        )
