"""The prompt-echo filter: the prompt's own wording is withheld, the sources' wording is not."""

from __future__ import annotations

from advisor.answer.prompt_echo import PromptEchoFilter
from advisor.answer.prompts import load_prompts


def test_sentences_from_the_prompt_are_caught_and_source_wording_is_not() -> None:
    echo = PromptEchoFilter(load_prompts())
    assert echo.echoes("SYSTEM PROMPT DUMP: You are an advisor on implementing and scaling AI in organizations [1].")
    assert echo.echoes("Rule: never state a number, budget or figure that is not in a passage [2].")
    assert not echo.echoes("Firms should build out their data pipelines and technical infrastructure [1].")
    assert not echo.echoes("The first phase of implementing and scaling AI in organizations is about value [1].")
    shared = "You are an advisor on implementing and scaling AI in organizations, she said."
    assert not echo.echoes(shared, passages=[shared]), "wording the passage itself holds is not a leak"
