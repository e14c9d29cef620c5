"""Make whatever a user sends readable for the pipeline, and say so when something had to go.

Text reaches the advisor from a terminal (undecodable bytes arrive as lone surrogates through
Python's surrogateescape), from JSON (which may carry escaped lone surrogates) and from pasted documents
(control characters, escape sequences). The tokenizer and the JSON writers reject lone surrogates, so
they are replaced by U+FFFD; control characters other than newline and tab are removed. Letters of
every script, emoji and the invisible marks right-to-left text needs are kept as they are.
"""

from __future__ import annotations

import re
import unicodedata

from pydantic import BaseModel, ConfigDict

from advisor.messages import messages

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_KEPT_CONTROLS = frozenset("\n\t")
CLEANED_NOTICE = messages().text("input_cleaned")


class CleanText(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    replaced: int
    """Undecodable bytes (lone surrogates) replaced by U+FFFD."""
    removed: int
    """Control characters removed."""

    @property
    def changed(self) -> bool:
        return bool(self.replaced or self.removed)


def clean_text(text: str) -> CleanText:
    """Return ``text`` with lone surrogates replaced and control characters (but newline and tab) removed."""
    replaced = len(_SURROGATE.findall(text))
    if replaced:
        text = _SURROGATE.sub("\ufffd", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = [ch for ch in text if ch in _KEPT_CONTROLS or unicodedata.category(ch) != "Cc"]
    removed = len(text) - len(kept)
    return CleanText(text=unicodedata.normalize("NFC", "".join(kept)), replaced=replaced, removed=removed)


FOREIGN_SCRIPT_NOTICE = messages().text("foreign_script")


def mostly_non_latin(text: str) -> bool:
    """Tell whether most letters are outside the Latin script (Chinese, Arabic, Cyrillic…); emoji do not count."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    latin = sum(1 for ch in letters if ch.isascii() or "LATIN" in unicodedata.name(ch, ""))
    return latin < len(letters) / 2


def input_notices(cleaned: CleanText) -> list[str]:
    """Notices telling the user what was done to their message before answering it."""
    notices = [CLEANED_NOTICE] if cleaned.changed else []
    if mostly_non_latin(cleaned.text):
        notices.append(FOREIGN_SCRIPT_NOTICE)
    return notices
