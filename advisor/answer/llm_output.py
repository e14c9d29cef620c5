"""The shape a model answers in, and reading it back: whole or while it streams.

A factual answer is ``{"sentences": [{"text", "passages"}]}``; a situation answer has one such list per
section the model writes. ``passages`` is an enum of the passage numbers shown, so with a schema-capable
backend every sentence cites a passage that exists, by construction. ``SentenceStream`` yields each
sentence as soon as its object closes, so the first checked sentence reaches the user early. Free text
(an endpoint without structured output) is read as sentences with ``[n]`` markers.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from advisor.answer.text import markers_in, split_sentences, strip_markers

FACTUAL_SECTIONS: tuple[str, ...] = ("sentences",)
# A model numbering its own steps ("1. Build ...") would be numbered twice by the layout.
_LIST_PREFIX = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+")
# The sections a model writes for a situation, in order, with the heading each is shown under. *Where you
# stand* is the offline answer's (the diagnosis framed in the defining records' words): a restatement of the
# user's own situation is true but cites nothing, and that is what a small model writes there.
SITUATION_SECTIONS: dict[str, str] = {
    "what_to_do_next": "**What to do next**",
    "watch_for": "**Watch for**",
}
_SECTION_SIZES = {"sentences": (2, None), "what_to_do_next": (2, 3), "watch_for": (1, 1)}
MAX_SENTENCE_CHARS = 280


class WrittenSentence(BaseModel):
    model_config = ConfigDict(frozen=True)

    section: str
    text: str
    passages: list[int] = Field(description="1-based numbers of the passages the model says it rests on.")

    def draft(self) -> str:
        """Render the sentence with its markers, as the citation checker reads it."""
        body = strip_markers(self.text).strip()
        if body and body[-1] not in '.!?”"':
            body += "."
        return body + " " + "".join(f"[{n}]" for n in dict.fromkeys(self.passages))


def answer_schema(
    n_passages: int, sections: tuple[str, ...], max_sentences: int, min_sentences: int | None = None
) -> dict[str, Any]:
    """Build the reply's schema; ``min_sentences`` overrides each section's own least count (a lead: 1)."""
    if n_passages < 1:
        raise ValueError("at least one passage is needed")
    sentence = {
        "type": "object",
        "properties": {
            "text": {"type": "string", "minLength": 30, "maxLength": MAX_SENTENCE_CHARS},
            "passages": {
                "type": "array",
                "items": {"type": "integer", "enum": list(range(1, n_passages + 1))},
                "minItems": 1,
                "maxItems": 2,
            },
        },
        "required": ["text", "passages"],
        "additionalProperties": False,
    }
    properties = {}
    for name in sections:
        low, high = _SECTION_SIZES[name]
        low = min(low if min_sentences is None else min_sentences, max_sentences)
        properties[name] = {
            "type": "array",
            "items": sentence,
            "minItems": low,
            "maxItems": min(high or max_sentences, max_sentences),
        }
    # No other key: without this, a grammar lets a small model close the list and open a key of its own
    # ("sentences [{") that it fills until the token limit, and the reply no longer parses.
    return {"type": "object", "properties": properties, "required": list(sections), "additionalProperties": False}


class SentenceStream:
    """Feed text as it arrives; ``feed`` returns the sentence objects completed by that text.

    A small scanner over the JSON: it tracks strings, escapes and nesting, remembers which top-level key
    an array belongs to, and parses each object at depth 3 (``{key: [ {…} ]}``) once its brace closes.
    """

    def __init__(self) -> None:
        self._buffer = ""
        self._pos = 0
        self._depth = 0
        self._in_string = False
        self._escape = False
        self._key = ""
        self._last_string = ""
        self._string_start = 0
        self._object_start: int | None = None

    def feed(self, text: str) -> list[WrittenSentence]:
        self._buffer += text
        found: list[WrittenSentence] = []
        while self._pos < len(self._buffer):
            ch = self._buffer[self._pos]
            if self._in_string:
                if self._escape:
                    self._escape = False
                elif ch == "\\":
                    self._escape = True
                elif ch == '"':
                    self._in_string = False
                    self._last_string = self._buffer[self._string_start : self._pos + 1]
            elif ch == '"':
                self._in_string = True
                self._string_start = self._pos
            elif ch == ":" and self._depth == 1:
                self._key = _loads(self._last_string, "")
            elif ch in "{[":
                self._depth += 1
                if ch == "{" and self._depth == 3:
                    self._object_start = self._pos
            elif ch in "}]":
                if ch == "}" and self._depth == 3 and self._object_start is not None:
                    item = _loads(self._buffer[self._object_start : self._pos + 1], None)
                    sentence = _sentence(self._key, item)
                    if sentence is not None:
                        found.append(sentence)
                    self._object_start = None
                self._depth -= 1
            self._pos += 1
        return found


class ReplyText:
    """One reply as it arrives: JSON sentences as their objects close, or complete free-text sentences."""

    def __init__(self) -> None:
        self.raw = ""
        self.emitted = 0  # free text: complete sentences already returned
        self.closed: list[WrittenSentence] = []  # JSON: every sentence object that closed, in order
        self._scanner = SentenceStream()

    @property
    def json(self) -> bool:
        return self.raw.lstrip().startswith("{")

    def feed(self, text: str) -> list[WrittenSentence]:
        self.raw += text
        if self.json:
            found = self._scanner.feed(text)
            self.closed.extend(found)
            return found
        if not self.raw.strip():
            return []
        complete = parse_free_text(self.raw)[:-1]  # an endpoint that ignored the schema: [n] markers
        new = complete[self.emitted :]
        self.emitted = max(self.emitted, len(complete))
        return new


def parse_structured(text: str, sections: tuple[str, ...]) -> list[WrittenSentence] | None:
    """Read a whole JSON reply; None when it is not the expected shape (then read it as free text)."""
    data = _loads(text.strip(), None)
    if not isinstance(data, dict) or not any(isinstance(data.get(s), list) for s in sections):
        return None
    out = []
    for name in sections:
        for item in data.get(name) or []:
            sentence = _sentence(name, item)
            if sentence is not None:
                out.append(sentence)
    return out


def parse_free_text(text: str, section: str = "sentences") -> list[WrittenSentence]:
    """Read a free-text reply: each sentence with the ``[n]`` markers it carries (none: it cites nothing)."""
    return [
        WrittenSentence(
            section=section, text=re.sub(r"\s+([.!?,;:])", r"\1", strip_markers(s)).strip(), passages=markers_in(s)
        )
        for s in split_sentences(text)
        if strip_markers(s).strip()
    ]


def _sentence(section: str, item: Any) -> WrittenSentence | None:
    if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
        return None
    numbers = [n for n in item.get("passages") or [] if isinstance(n, int) and not isinstance(n, bool)]
    text = _complete(_LIST_PREFIX.sub("", item["text"]).strip())
    return WrittenSentence(section=section, text=text, passages=numbers) if text else None


def _complete(text: str) -> str:
    """Cut a sentence the length limit stopped mid-way back to its last complete sentence (or nothing)."""
    if len(text) < MAX_SENTENCE_CHARS - 2 or text.endswith((".", "!", "?", "”", '"')):
        return text
    whole = split_sentences(text)[:-1]
    return " ".join(whole)


def _loads(text: str, default: Any) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return default
