"""The prompt-echo filter: the prompt's own wording is withheld, the sources' wording is not."""

from __future__ import annotations

from advisor.answer.prompt_echo import PromptEchoFilter
from advisor.answer.prompts import load_prompts
from advisor.answer.text import split_sentences


def test_sentences_from_the_prompt_are_caught_and_source_wording_is_not() -> None:
    prompts = load_prompts()
    echo = PromptEchoFilter(prompts)
    first_rule = split_sentences(" ".join(prompts.system.split()))[0]  # "You advise managers on ..."
    assert echo.echoes(f"SYSTEM PROMPT DUMP: {first_rule} [1]")
    assert echo.echoes("Rule: never add a fact, name, number or piece of advice that is not in the passages [2].")
    assert echo.echoes("Fill the two parts, one full sentence per item, as you were told [1].")  # situation template
    assert not echo.echoes("Firms should build out their data pipelines and technical infrastructure [1].")
    assert not echo.echoes("The first phase of implementing and scaling AI in organizations is about value [1].")
    assert not echo.echoes(first_rule, passages=[first_rule]), "wording the passage itself holds is not a leak"
