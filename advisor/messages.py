"""The texts the product says to its users (refusals, notices, empty values), read from ``messages.yaml``.

Code never writes such a sentence itself: it asks ``messages().text("out_of_scope")``, or with the
placeholders the entry declares, ``messages().text("unanswerable", reason=...)``. The file is validated
when loaded (every entry's ``{placeholders}`` are exactly the ones it declares), so a consultant's typo
fails at start-up with the file and the line, and so does a call that passes other values.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from knowledge.datafile import DataFileError, LineIndex, Strict, load_yaml, validate

MESSAGES_FILE = Path(__file__).with_name("messages.yaml")
MessageId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class Message(Strict):
    """One text and the placeholders it is filled with."""

    text: str = Field(min_length=1)
    placeholders: list[str] = Field(default_factory=list, description="Names the text uses as {name}, each once")

    @model_validator(mode="after")
    def _placeholders_match(self) -> Message:
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(self.text) if name is not None}
        except ValueError as exc:
            raise ValueError(f"text is not a valid template ({exc}); write a literal brace as {{{{ or }}}}") from exc
        if used != set(self.placeholders):
            raise ValueError(f"text uses the placeholders {sorted(used)} but declares {sorted(self.placeholders)}")
        return self


class MessagesFile(Strict):
    version: int = Field(ge=1)
    messages: dict[MessageId, Message] = Field(min_length=1)


class Messages:
    """The loaded texts; :meth:`text` fills one in."""

    def __init__(self, spec: MessagesFile, path: Path, lines: LineIndex) -> None:
        self.spec = spec
        self.path = path
        self._lines = lines

    def text(self, key: str, **values: object) -> str:
        """Return the text ``key`` with its placeholders filled from ``values`` (exactly those it declares)."""
        message = self.spec.messages.get(key)
        if message is None:
            known = ", ".join(sorted(self.spec.messages))
            raise DataFileError(self.path, None, None, f"no message {key!r}; known: {known}")
        if set(values) != set(message.placeholders):
            raise DataFileError(
                self.path,
                self._lines.line(("messages", key)),
                f"message {key}",
                f"declares the placeholders {sorted(message.placeholders)}, the code passed {sorted(values)}",
            )
        return message.text.format(**values) if message.placeholders else message.text

    def keys(self) -> list[str]:
        return list(self.spec.messages)


def load_messages(path: Path = MESSAGES_FILE) -> Messages:
    """Read and validate a messages file; errors name the file and the line."""
    data, lines = load_yaml(path)
    return Messages(validate(MessagesFile, data, path, lines, kind="message"), Path(path), lines)


@lru_cache(maxsize=1)
def messages() -> Messages:
    """Return the shipped texts (``advisor/messages.yaml``), loaded once per process."""
    return load_messages()
