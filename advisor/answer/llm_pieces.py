"""Stream a model's answer a checked sentence at a time, numbered as the final answer will be.

``PieceStreamer`` takes each sentence as its JSON object closes, withholds what the final check would
withhold (a prompt echo, a repeat, a sentence below the model's floor), and renders the rest with the
running marker numbering and the section headings; the offline *Where you stand* leads, and the offline
quotes follow the steps, as in the final answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol

from advisor.answer.citations import CitationChecker
from advisor.answer.llm_draft import Plan, distinct
from advisor.answer.llm_output import SITUATION_SECTIONS, WrittenSentence
from advisor.answer.text import MARKER_RE


class SentenceJudge(Protocol):
    """What the streamer asks of the writer about each sentence (``LLMComposer`` meets it)."""

    @property
    def checker(self) -> CitationChecker: ...

    def echoes(self, sentence: WrittenSentence, plan: Plan) -> bool: ...

    def holds(self, sentence: WrittenSentence, plan: Plan) -> bool: ...

    def settle(self, sentence: WrittenSentence, plan: Plan) -> WrittenSentence: ...


class PieceStreamer:
    """Check each sentence as it completes and render it with the running marker numbering."""

    def __init__(self, composer: SentenceJudge, plan: Plan) -> None:
        self.composer = composer
        self.plan = plan
        self.section = ""
        self.renumber: dict[int, int] = {}
        self.steps = 0
        self.extra_sent = False
        self.shown = 0
        self.seen: list[WrittenSentence] = []

    def piece(self, sentence: WrittenSentence) -> Iterator[str]:
        if self.composer.echoes(sentence, self.plan) or not distinct([*self.seen, sentence])[len(self.seen) :]:
            return
        self.seen.append(sentence)
        if not self.composer.holds(sentence, self.plan):
            return
        sentence = self.composer.settle(sentence, self.plan)
        report = self.composer.checker.check(sentence.draft(), self.plan.passages, allow_notes=False)
        if not report.claims or report.dropped:
            return
        self.shown += 1
        numbers = {p.passage_id: i for i, p in enumerate(self.plan.passages, start=1)}
        running = {}
        for c in report.citations:  # the one-sentence numbering back onto the running numbering
            running[c.marker] = self.renumber.setdefault(numbers[c.passage_id], len(self.renumber) + 1)
        body = MARKER_RE.sub(lambda m: f"[{running[m.group(0)]}]", report.text)
        if sentence.section != self.section and sentence.section in SITUATION_SECTIONS:
            if self.section == "what_to_do_next":
                yield from self.extra()
            yield ("\n" if self.section else "") + SITUATION_SECTIONS[sentence.section] + "\n"
            self.section = sentence.section
        if sentence.section == "what_to_do_next":
            self.steps += 1
            yield f"{self.steps}. {body}\n"
        elif sentence.section == "watch_for":
            yield f"- {body}\n"
        else:
            yield body + ("\n" if self.section else " ")

    def lead(self) -> Iterator[str]:
        """Yield the offline "Where you stand" at once, numbered first as in the final answer.

        It frames the diagnosis in the defining records' words, passed the check with the offline answer,
        and leads both outcomes (the model's answer and the offline one it may fall back to), so the
        manager reads it while the model is still reading the passages.
        """
        yield from self._offline(self.plan.offline_lead, "")

    def extra(self) -> Iterator[str]:
        """Yield the offline quotes and questions, once, in the running numbering."""
        if not self.extra_sent:
            self.extra_sent = True
            yield from self._offline(self.plan.offline_extra, "\n")

    def _offline(self, text: str, before: str) -> Iterator[str]:
        if not text:
            return

        def mark(match: re.Match[str]) -> str:
            return f"[{self.renumber.setdefault(int(match.group(1)), len(self.renumber) + 1)}]"

        yield before + MARKER_RE.sub(mark, text) + "\n\n"
