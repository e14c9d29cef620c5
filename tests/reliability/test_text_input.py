"""What happens to odd text before the pipeline sees it (no model needed)."""

from __future__ import annotations

import pytest

from advisor.text_input import CLEANED_NOTICE, FOREIGN_SCRIPT_NOTICE, clean_text, input_notices


def test_lone_surrogates_and_controls_are_replaced_or_removed() -> None:
    cleaned = clean_text("pilots \udcff stuck\x00\x07 \x1b[31mred\r\nnext\tline")
    assert cleaned.text == "pilots \ufffd stuck [31mred\nnext\tline"
    assert (cleaned.replaced, cleaned.removed) == (1, 3)
    cleaned.text.encode("utf-8")  # now encodable
    assert input_notices(cleaned) == [CLEANED_NOTICE]


@pytest.mark.parametrize(
    "text",
    ["Our AI pilots 🚀 never ship", "Café résumé: naïve pilots", "\u202eright-to-left\u202c pilots", "Straße"],
)
def test_ordinary_text_of_any_script_is_left_alone(text: str) -> None:
    cleaned = clean_text(text)
    assert cleaned.text == text and not cleaned.changed
    assert input_notices(cleaned) == []


OTHER_SCRIPTS = ["我们的人工智能试点项目无法投入生产", "مشاريعنا التجريبية لا تصل إلى الإنتاج", "Наши пилоты"]


@pytest.mark.parametrize("text", OTHER_SCRIPTS)
def test_other_scripts_get_a_language_notice(text: str) -> None:
    cleaned = clean_text(text)
    assert cleaned.text == text
    assert input_notices(cleaned) == [FOREIGN_SCRIPT_NOTICE]
