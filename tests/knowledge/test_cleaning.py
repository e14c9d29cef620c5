"""clean(): one unit test per repair rule, on text taken from the sources."""

from __future__ import annotations

import pytest

from knowledge.corpus.cleaning import clean


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # "Al" read for "AI", as a word and inside hyphenated compounds
        ("how to implement and scale Al, companies", "how to implement and scale AI, companies"),
        ("adoption of Al-based products", "adoption of AI-based products"),
        ("well-known Al-first companies", "well-known AI-first companies"),
        # names that merely start with "Al" stay as they are
        ("AlphaFold for protein structure prediction", "AlphaFold for protein structure prediction"),
        ("Ali Rodell points out how Capital One", "Ali Rodell points out how Capital One"),
        ("companies such as Alibaba", "companies such as Alibaba"),
        # "(AD)" read for "(AI)"
        (
            "generative artificial intelligence\n(AD) systems changed",
            "generative artificial intelligence (AI) systems changed",
        ),
        # "AL" read for "AI." at a sentence end: the lost full stop comes back
        ("specifically\n to AL Such an analysis", "specifically to AI. Such an analysis"),
        ("scaling AL. Many companies", "scaling AI. Many companies"),
        ("the efficiency of AL Jack\nBerkowitz", "the efficiency of AI. Jack Berkowitz"),
        ("successfully implement Al\nRecent surveys", "successfully implement AI. Recent surveys"),
        # ... but not before a lower-case word or a quote
        ("head of AL head of data science", "head of AI head of data science"),
        ("productionizing AL “The first one", "productionizing AI “The first one"),
        # whole-word OCR misreadings
        ("(lansiti and Lakhani, 2020)", "(Iansiti and Lakhani, 2020)"),
        ("(see e.g., Miinch et al., 2022;", "(see e.g., Münch et al., 2022;"),
        ("GPT-4, see OpenAl, 2023)", "GPT-4, see OpenAI, 2023)"),
    ],
)
def test_ocr_ai_repairs(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("efficacy improvements for busi-\nnesses; they will", "efficacy improvements for businesses; they will"),
        ("AI in or-\n\nganizations and propose", "AI in organizations and propose"),  # across a page break
        ("(Kal-\nlinikos et al., 2013)", "(Kallinikos et al., 2013)"),
        # real compounds keep their hyphen
        ("examined socio-\ntechnical factors", "examined socio-technical factors"),
        ("works in two-\nweek sprints", "works in two-week sprints"),
        ("a well-\norganized pipeline", "a well-organized pipeline"),
        ("ready to re-\narchitect and refactor", "ready to re-architect and refactor"),
        # a capitalised second half is a name: T-Mobile, not TMobile
        ("explained that T-\nMobile started", "explained that T-Mobile started"),
        # a hyphen inside a line is never touched
        ("can be easily re-used", "can be easily re-used"),
    ],
)
def test_line_break_hyphens(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_broken_ligatures_and_soft_hyphens() -> None:
    assert clean("the \ufb01rst e\ufb00ort, e\ufb03cient, \ufb02ow") == "the first effort, efficient, flow"
    assert clean("organi\u00adzation") == "organization"


def test_running_headers_page_numbers_and_footers_are_dropped() -> None:
    raw = "the end of a page\n1043\nWorld Journal of Advanced Research and Reviews, 2024, 21(02), 2193-2211\nnext page"
    assert clean(raw) == "the end of a page next page"


def test_markdown_markup_is_removed_but_numbers_kept() -> None:
    assert clean("**Proactive Monitoring**: Implement predictive analytics") == (
        "Proactive Monitoring: Implement predictive analytics"
    )
    assert clean("*12+ years experience in AI operations*") == "12+ years experience in AI operations"
    assert clean("## 1.1 Operations Scaling Methodologies") == "1.1 Operations Scaling Methodologies"
    assert clean("- Energy efficiency\n- Cost per unit") == "Energy efficiency Cost per unit"
    assert clean("├── Model Development\n│   ├── Automated testing") == "Model Development Automated testing"


def test_ocr_bullet_e_before_a_capital() -> None:
    raw = "criteria:\n\ne The podcast featured a guest\n\ne We selected a diverse set"
    assert clean(raw) == "criteria: The podcast featured a guest We selected a diverse set"


def test_whitespace_is_collapsed_and_trimmed() -> None:
    assert clean("  Based on these\n experiences,\t we   identify \n") == "Based on these experiences, we identify"


def test_clean_is_idempotent_on_clean_text() -> None:
    text = clean("to AL Such an analysis — separate from other digital technologies, busi-\nnesses")
    assert clean(text) == text
