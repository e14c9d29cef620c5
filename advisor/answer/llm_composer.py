"""The LLM answer writer: a model writes the answer from numbered passages; the citation check holds it.

The model answers in a JSON schema (one object per sentence, each naming the passages it rests on, the
numbers limited to the passages shown), or in free text with ``[n]`` markers where the endpoint has no
structured output. Every sentence then goes through the citation checker, which keeps, re-attributes or
drops it; when too little survives, or the backend fails or is busy, the outcome says why and the caller
shows the offline answer with that notice. With ``lead_first`` (the bundled model) a factual answer is
asked in two turns of one conversation: up to ``lead_sentences`` from the best passage alone, which
stream after a short read, then what the other passages add, if anything. A situation answer keeps the
sections a consultant expects: the model writes what to do next and what to watch for; where you stand
stays the offline answer's framing of the diagnosis in the defining records' words, and what
practitioners said its verbatim, attributed quotes (a model must not paraphrase a quote).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from advisor.answer.citations import CitationChecker, CitationReport
from advisor.answer.evidence import Evidence
from advisor.answer.guard import InjectionGuard
from advisor.answer.lists import ListEvidence
from advisor.answer.llm_draft import (
    QUOTES_HEADING,
    SHARPEN_HEADING,
    WHERE_HEADING,
    FollowOn,
    Plan,
    adopt_offline_sections,
    describe_diagnosis,
    distinct,
    render_draft,
)
from advisor.answer.llm_output import (
    FACTUAL_SECTIONS,
    SITUATION_SECTIONS,
    ReplyText,
    WrittenSentence,
    answer_schema,
    parse_free_text,
    parse_structured,
)
from advisor.answer.llm_passages import choose_passages, passage_block, passage_window, repeats
from advisor.answer.llm_pieces import PieceStreamer
from advisor.answer.prompt_echo import PromptEchoFilter
from advisor.answer.prompts import Prompts
from advisor.answer.text import split_sentences
from advisor.answer.voice import in_their_voice
from advisor.llm.backend import (
    ChatBackend,
    ChatMessage,
    ChatReply,
    ChatRequest,
    GenerationCancelledError,
    LLMBusyError,
    LLMError,
)
from advisor.llm.limiter import GenerationSlots
from advisor.schema import Citation, Diagnosis

LEAD_TOKENS = 128  # per sentence of a lead: at most 280 characters (about 70 tokens) and its JSON


class Accepted(BaseModel):
    """The model's checked answer passed: this is what the user sees."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["accepted"] = "accepted"
    report: CitationReport
    raw_output: str
    seconds: float
    first_text_s: float | None
    tokens_per_second: float | None
    withheld: int = 0  # the model's sentences the stricter test removed before the check (``report.dropped`` too)


class FellBack(BaseModel):
    """The offline answer is shown instead, with ``reason`` as the notice."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["fell_back"] = "fell_back"
    reason: str
    raw_output: str
    seconds: float
    tokens_per_second: float | None


LLMOutcome = Accepted | FellBack


class LLMComposer:
    """Cheap to build; the backend loads in ``warm_up()``. ``compose``/``stream`` never raise."""

    def __init__(
        self,
        backend: ChatBackend,
        checker: CitationChecker,
        prompts: Prompts,
        provider: str,
        max_tokens: int,
        slots: GenerationSlots,
        guard: InjectionGuard | None = None,
    ) -> None:
        self.backend = backend
        self.checker = checker
        self.prompts = prompts
        self.limits = prompts.limits_for(provider)
        self.max_tokens = max_tokens
        self.slots = slots
        self.guard = guard or InjectionGuard()
        self.echo = PromptEchoFilter(prompts)  # a sentence repeating the prompt never reaches the user
        floor = prompts.acceptance.model_min_coverage_with_meaning
        self.strict = checker.stricter(floor) if floor is not None else checker  # for the model's own sentences

    def warm_up(self) -> None:
        self.backend.warm_up()

    # -- the prompt ------------------------------------------------------------------------------------
    def plan(
        self,
        question: str,
        evidence: Evidence,
        diagnosis: Diagnosis | None,
        offline: CitationReport | None,
        listing: ListEvidence | None = None,
    ) -> Plan | None:
        passages, windows = self._shown(question, evidence, offline)
        if not passages:
            return None
        blocks = [passage_block(p, w) for p, w in zip(passages, windows, strict=True)]
        situation = diagnosis is not None
        sections = tuple(SITUATION_SECTIONS) if situation else FACTUAL_SECTIONS
        rest = None
        if situation:
            user = self.prompts.situation.format(
                passages="\n".join(blocks), diagnosis=describe_diagnosis(diagnosis), question=question
            )
            schema = answer_schema(len(passages), sections, self.limits.max_sentences)
        elif self.limits.lead_first and len(passages) > 1:
            user, schema, rest = self._in_two_turns(question, blocks, windows[0], sections, len(passages))
        else:
            user = self.prompts.factual.format(passages="\n".join(blocks), question=question)
            schema = answer_schema(len(passages), sections, self.limits.max_sentences)
        request = ChatRequest(
            messages=[ChatMessage(role="system", content=self.prompts.system), ChatMessage(role="user", content=user)],
            json_schema=schema,
            max_tokens=self._lead_tokens() if rest is not None else self.max_tokens,
            free_text_rule=self.prompts.free_text_rule,
        )
        lead = extra = ""
        if situation and offline is not None:
            lead, passages = adopt_offline_sections(offline, passages, (WHERE_HEADING,))
            extra, passages = adopt_offline_sections(offline, passages, (QUOTES_HEADING, SHARPEN_HEADING))
        return Plan(
            passages=passages,
            request=request,
            rest=rest,
            sections=sections,
            offline_lead=lead,
            offline_extra=extra,
            listing=listing,
        )

    def _lead_tokens(self) -> int:
        return min(self.max_tokens, LEAD_TOKENS * self.limits.lead_sentences)

    def _in_two_turns(
        self, question: str, blocks: list[str], best: str, sections: tuple[str, ...], n_passages: int
    ) -> tuple[str, dict[str, Any], FollowOn]:
        """Ask the lead from the best passage alone (``best`` is its window), then the rest from all passages.

        A lead of several sentences must take two from the best passage when it has two: the best passage
        holds most of what is asked (its names, numbers, steps). The second turn may then add nothing.
        """
        leading = self.limits.lead_sentences
        least = min(2, leading, len(split_sentences(best)))
        rest = FollowOn(
            content=self.prompts.factual_rest.format(passages="\n".join(blocks[1:]), question=question),
            json_schema=answer_schema(
                n_passages,
                sections,
                max(self.limits.max_sentences - leading, 1),
                min_sentences=None if leading == 1 else 0,  # after one lead sentence, the rest brings the answer to 2
            ),
            max_tokens=self.max_tokens,
        )
        user = self.prompts.factual_lead.format(passage=blocks[0], question=question)
        return user, answer_schema(1, sections, leading, min_sentences=least), rest

    def _shown(
        self, question: str, evidence: Evidence, offline: CitationReport | None
    ) -> tuple[list[Citation], list[str]]:
        """Pick the passages the model reads and the window of each (the best one may be longer)."""
        focus = " ".join([question, offline.text if offline is not None else ""])
        words_each = self.limits.max_passage_words
        passages: list[Citation] = []  # a window repeating a shown one gives its place to the next candidate
        windows: list[str] = []
        first_words = self.limits.first_passage_words or words_each
        for candidate in choose_passages(evidence, offline, 3 * self.limits.max_passages):
            window = passage_window(candidate.text, focus, first_words if not passages else words_each, self.guard)
            if window and not repeats(window, windows):
                passages.append(candidate.model_copy(update={"marker": f"[{len(passages) + 1}]"}))
                windows.append(window)
            if len(passages) == self.limits.max_passages:
                break
        return passages, windows

    # -- running it -------------------------------------------------------------------------------------
    def compose(
        self,
        question: str,
        evidence: Evidence,
        diagnosis: Diagnosis | None,
        offline: CitationReport | None = None,
        listing: ListEvidence | None = None,
    ) -> LLMOutcome:
        outcome: LLMOutcome | None = None
        for item in self.stream(question, evidence, diagnosis, offline, listing):
            if not isinstance(item, str):
                outcome = item
        assert outcome is not None
        return outcome

    def stream(
        self,
        question: str,
        evidence: Evidence,
        diagnosis: Diagnosis | None,
        offline: CitationReport | None = None,
        listing: ListEvidence | None = None,
    ) -> Iterator[str | LLMOutcome]:
        """Yield checked pieces of the answer as the model writes them, then the outcome.

        ``listing`` is the framework list the question asks for (see ``advisor.answer.lists``): an answer
        that does not name every item of it falls back, whatever its sentences' support.
        """
        plan = self.plan(question, evidence, diagnosis, offline, listing)
        if plan is None:
            yield FellBack(reason="no passages to ground on", raw_output="", seconds=0, tokens_per_second=None)
            return
        if not self.slots.try_acquire():
            yield FellBack(
                reason=f"{LLMBusyError.reason} (at most {self.slots.limit} at once)",
                raw_output="",
                seconds=0,
                tokens_per_second=None,
            )
            return
        yield from self._run(plan)

    def _run(self, plan: Plan) -> Iterator[str | LLMOutcome]:
        """Generate on a worker thread (it holds the slot until the model stops) and check as text arrives.

        A two-turn plan asks its second turn once the first reply is whole, in the same conversation.
        """
        pieces: queue.Queue[str | _NextTurn | None] = queue.Queue()
        result: list[list[ChatReply] | LLMError] = []
        cancelled = threading.Event()

        def on_text(text: str) -> None:
            if cancelled.is_set():
                raise GenerationCancelledError
            pieces.put(text)

        def work() -> None:
            try:
                replies = [self.backend.complete(plan.request, on_text=on_text)]
                if plan.rest is not None and replies[0].structured and not cancelled.is_set():
                    pieces.put(_NextTurn())
                    replies.append(self.backend.complete(plan.rest.after(plan.request, replies[0].text), on_text))
                result.append(replies)
            except LLMError as exc:
                result.append(exc)
            except Exception as exc:  # a runtime bug must become a visible fallback, never a crash
                result.append(LLMError(f"{type(exc).__name__}: {exc}"))
            finally:
                self.slots.release()
                pieces.put(None)

        worker = threading.Thread(target=work, name="llm-writer", daemon=True)
        worker.start()
        streamer = PieceStreamer(self, plan)
        yield from streamer.lead()
        turns = [ReplyText()]
        try:
            while (item := pieces.get()) is not None:
                if isinstance(item, _NextTurn):
                    turns.append(ReplyText())
                    continue
                for sentence in turns[-1].feed(item):
                    yield from streamer.piece(sentence)
        finally:  # the caller stopped reading (a closed connection) or a check failed: stop the model too
            cancelled.set()
            worker.join()
        replies = result[0]
        if isinstance(replies, LLMError):
            raw = "\n".join(t.raw for t in turns)
            yield FellBack(reason=str(replies), raw_output=raw, seconds=0, tokens_per_second=None)
            return
        sentences: list[WrittenSentence] = []
        for reply, turn in zip(replies, turns, strict=False):
            got = parse_structured(reply.text, plan.sections) if reply.structured or turn.json else None
            if got is None and turn.json:  # JSON cut short (the token limit): its sentences that closed, never its text
                got = list(turn.closed)
            if got is None:  # free text, from an endpoint that ignored the schema
                got = parse_free_text(reply.text)
                if not turn.json:
                    for sentence in got[turn.emitted :]:
                        yield from streamer.piece(sentence)
            sentences.extend(got)
        if streamer.shown:
            yield from streamer.extra()
        yield self.finish(plan, sentences, _joined(replies))

    def finish(self, plan: Plan, sentences: list[WrittenSentence], reply: ChatReply) -> LLMOutcome:
        if not sentences:
            return FellBack(
                reason="the language model returned an empty answer",
                raw_output=reply.text,
                seconds=reply.seconds,
                tokens_per_second=reply.tokens_per_second,
            )
        candidates = distinct([s for s in sentences if not self.echoes(s, plan)])
        written = [self.settle(s, plan) for s in candidates if self.holds(s, plan)]
        own = self.checker.check(render_draft(plan, written, extra=False), plan.passages, allow_notes=False)
        problem = self.accept(own, written=len(candidates)) or self.unnamed(own, plan)
        report = self.checker.check(render_draft(plan, written), plan.passages, allow_notes=False)
        if problem:
            return FellBack(
                reason=problem, raw_output=reply.text, seconds=reply.seconds, tokens_per_second=reply.tokens_per_second
            )
        return Accepted(
            report=report,
            withheld=len(candidates) - len(written),
            raw_output=reply.text,
            seconds=reply.seconds,
            first_text_s=reply.first_text_s,
            tokens_per_second=reply.tokens_per_second,
        )

    def accept(self, report: CitationReport, written: int = 0) -> str | None:
        """Return why the model's checked sentences are not good enough, or None when they are.

        ``written`` counts the model's sentences before the stricter test removed any.
        """
        kept = report.supported + report.repaired
        claims = max(report.claims, written)
        a = self.prompts.acceptance
        if kept < a.min_supported_sentences or (kept / claims if claims else 0.0) < a.min_kept_ratio:
            return (
                f"only {kept} of {claims} sentences of the language model's answer were supported by the cited passages"
            )
        return None

    def unnamed(self, report: CitationReport, plan: Plan) -> str | None:
        """Return why an answer to a list question is not taken: it leaves out an item the frameworks list."""
        listing = plan.listing
        if listing is None:
            return None
        missing = [item.name for item in listing.request.items if not listing.names(report.text, item)]
        if not missing:
            return None
        return f"the language model's answer did not name {', '.join(missing)}, which the sources list"

    def holds(self, sentence: WrittenSentence, plan: Plan) -> bool:
        """Tell whether the model's sentence passes the stricter test for model sentences (some passage given)."""
        report = self.strict.check(sentence.draft(), plan.passages, allow_notes=False)
        return bool(report.claims) and not report.dropped

    def settle(self, sentence: WrittenSentence, plan: Plan) -> WrittenSentence:
        """Return the sentence as shown: citing the fewest passages that back it, a copied "we" quoted."""
        sentence = self.fewest_citations(sentence, plan)
        cited = [plan.passages[n - 1] for n in dict.fromkeys(sentence.passages) if 1 <= n <= len(plan.passages)]
        return sentence.model_copy(update={"text": in_their_voice(sentence.text, cited)})

    def fewest_citations(self, sentence: WrittenSentence, plan: Plan) -> WrittenSentence:
        """Cite only the passages that support the sentence alone, when any does (a precise citation).

        A model often names two passages where one says it all; the extra one is a citation a reader
        opens for nothing. When no passage supports it alone, the sentence keeps all it named.
        """
        numbers = [n for n in dict.fromkeys(sentence.passages) if 1 <= n <= len(plan.passages)]
        if len(numbers) < 2:
            return sentence
        alone = [n for n in numbers if self.strict.supports(sentence.text, [plan.passages[n - 1].text])[0]]
        return sentence.model_copy(update={"passages": alone}) if alone else sentence

    def echoes(self, sentence: WrittenSentence, plan: Plan) -> bool:
        return self.echo.echoes(sentence.text, [p.text for p in plan.passages])


class _NextTurn:
    """Queued between the replies of a two-turn answer: the text after it is a new JSON document."""


def _joined(replies: list[ChatReply]) -> ChatReply:
    """One reply for the outcome: the texts in turn, the time of all, the first text of the first."""
    tokens = [r.output_tokens for r in replies]
    return ChatReply(
        text="\n".join(r.text for r in replies),
        structured=all(r.structured for r in replies),
        seconds=sum(r.seconds for r in replies),
        first_text_s=replies[0].first_text_s,
        output_tokens=None if None in tokens else sum(t for t in tokens if t is not None),
    )
