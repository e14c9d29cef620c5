"""Reading the message: input checks, the instruction guard and follow-up resolution."""

from __future__ import annotations

from advisor.answer.followup import FollowupResolver
from advisor.answer.guard import InjectionGuard
from advisor.messages import messages
from advisor.pipeline.schema import Accepted, Final, Resolved
from advisor.schema import Answer, ChatTurn, Scope
from advisor.text_input import clean_text, input_notices

OFFLINE = "offline"


def refusal(text: str, notices: list[str]) -> Final:
    """Return a final answer that cites nothing, for a message the sources cannot answer."""
    answer = Answer(
        answer=text, scope=Scope.OUT_OF_SCOPE, diagnosis=None, citations=[], backend=OFFLINE, notices=notices
    )
    return Final(answer=answer)


def _empty() -> Final:
    return refusal(messages().text("empty_message"), [messages().text("empty_message_notice")])


class InputCheck:
    """Clean the text (undecodable bytes, control characters) and refuse an empty or too long message."""

    def __init__(self, max_chars: int) -> None:
        if max_chars < 1:
            raise ValueError("max_chars must be at least 1")
        self.max_chars = max_chars

    def warm_up(self) -> None:
        """Nothing to load."""

    def run(self, message: object, history: list[ChatTurn] | None = None) -> Accepted | Final:
        if not isinstance(message, str):
            return _empty()
        cleaned = clean_text(message)
        text = cleaned.text
        if not text.strip():
            return _empty()
        if len(text) > self.max_chars:
            return refusal(
                messages().text("too_long", n=len(text), limit=self.max_chars),
                [messages().text("too_long_notice", limit=self.max_chars)],
            )
        turns = [t.model_copy(update={"content": clean_text(t.content).text}) for t in history or []]
        return Accepted(text=text, history=turns, notices=input_notices(cleaned))


class GuardStep:
    """Take instructions aimed at the advisor out of the message, and say so; refuse a message of only those."""

    def __init__(self, guard: InjectionGuard) -> None:
        self.guard = guard

    def warm_up(self) -> None:
        """Nothing to load."""

    def run(self, message: Accepted) -> Accepted | Final:
        guarded = self.guard.clean(message.text)
        notices = list(message.notices)
        if guarded.findings:
            kinds = sorted({f.kind.replace("_", " ") for f in guarded.findings})
            notices.append(messages().text("instructions_ignored", kinds=", ".join(kinds)))
        if not guarded.clean_text.strip():
            return refusal(messages().text("only_instructions"), notices)
        return message.model_copy(update={"text": guarded.clean_text, "notices": notices})


class FollowupStep:
    """Rewrite a follow-up ("what about for a bank?") with its context before anything is judged."""

    def __init__(self, resolver: FollowupResolver) -> None:
        self.resolver = resolver

    def warm_up(self) -> None:
        """Nothing to load."""

    def run(self, message: Accepted) -> Resolved:
        resolved = self.resolver.resolve(message.text, message.history)
        notices = list(message.notices)
        if resolved.kind != "standalone":
            notices.append(messages().text("read_as_followup", question=resolved.text))
        return Resolved(question=resolved.text, kind=resolved.kind, notices=notices)
