"""Read a conversation for ``advisor report --from FILE.jsonl`` (format: ``reports/REPORT_FORMAT.md``).

Two kinds of line are accepted so that both the chat's export and ``advisor ask --batch`` output
can be turned into a report without conversion: answer lines (the Answer JSON, optionally with the
``message`` asked) and chat-turn lines (``{"role", "content"}``). Any bad line stops the read with
an error naming the file and the line, and nothing is written.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from advisor.schema import Answer, Scope
from reports.conversation import Conversation, Exchange

_ANSWER_KEYS = set(Answer.model_fields)
_EXTRA_KEYS = {"id", "message"}


class ReportInputError(ValueError):
    """A conversation file that cannot be read; the message names the file and line."""


class ConversationReader:
    """Parses report input files into a Conversation."""

    def read(self, path: Path) -> Conversation:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ReportInputError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ReportInputError(f"{path}: not UTF-8 text (byte {exc.start}); expected JSON lines") from exc
        return self.parse(text, str(path))

    def parse(self, text: str, name: str = "<input>") -> Conversation:
        exchanges: list[Exchange] = []
        pending_user: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{name}:{number}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ReportInputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
            if not isinstance(obj, dict):
                raise ReportInputError(f"{where}: each line must be a JSON object")
            if "role" in obj:
                pending_user, exchange = self._turn(obj, where, pending_user)
            else:
                exchange = self._answer_line(obj, where, pending_user)
                pending_user = None
            if exchange is not None:
                exchanges.append(exchange)
        if not exchanges:
            raise ReportInputError(f"{name}: no answers found; a report needs at least one answer line")
        return Conversation(exchanges=exchanges)

    def _turn(self, obj: dict, where: str, pending: str | None) -> tuple[str | None, Exchange | None]:
        role, content = obj.get("role"), obj.get("content")
        if role not in ("user", "assistant") or not isinstance(content, str):
            raise ReportInputError(f"{where}: a turn needs role 'user' or 'assistant' and a string 'content'")
        if role == "user":
            return content, None
        fields = {k: v for k, v in obj.items() if k not in ("role", "content")}
        if fields:  # an assistant turn carrying the full Answer (citations and all)
            return None, self._answer_line({**fields, "answer": content}, where, pending)
        answer = Answer(
            answer=content, scope=Scope.IN_SCOPE, diagnosis=None, citations=[], backend="transcript", notices=[]
        )
        return None, Exchange(message=pending or "", answer=answer)

    def _answer_line(self, obj: dict, where: str, pending: str | None) -> Exchange:
        unknown = set(obj) - _ANSWER_KEYS - _EXTRA_KEYS
        if unknown:
            raise ReportInputError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        message = obj.get("message", pending or "")
        if not isinstance(message, str):
            raise ReportInputError(f"{where}: 'message' must be a string")
        try:
            answer = Answer.model_validate({k: v for k, v in obj.items() if k in _ANSWER_KEYS})
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"]) or "line"
            raise ReportInputError(f"{where}: {loc}: {first['msg']}") from exc
        return Exchange(message=message, answer=answer)
