"""Catch a model repeating its own instructions, so no part of the prompt reaches the user.

The citation checker judges whether a sentence is supported by a passage, and a sentence copied from
the system prompt ("You are an advisor on implementing and scaling AI in organizations [1]") can look
supported by topic alone. A model told to dump its prompt, or one that does so by accident, is caught
here instead: any sentence sharing a run of ``min_words`` words with the prompt's fixed text, which the
given passages do not also contain, is withheld.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from advisor.answer.prompts import Prompts

_WORD = re.compile(r"[a-z0-9]+")


def shingles(text: str, size: int) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


class PromptEchoFilter:
    """Tell whether a generated sentence repeats the prompt's own wording."""

    def __init__(self, prompts: Prompts, min_words: int = 7) -> None:
        if min_words < 4:
            raise ValueError("min_words below 4 would flag ordinary phrases")
        self.min_words = min_words
        self._prompt: set[tuple[str, ...]] = set()
        for template in prompts.templates():  # the templates' own words, not what fills them
            self._prompt |= shingles(re.sub(r"\{[a-z_]+\}", " ", template), min_words)

    def echoes(self, sentence: str, passages: Iterable[str] = ()) -> bool:
        found = shingles(sentence, self.min_words) & self._prompt
        if not found:
            return False
        for text in passages:  # wording the sources share with the prompt is not a leak
            found -= shingles(text, self.min_words)
            if not found:
                return False
        return True
