"""'What is X' questions: which term they ask about, and which sentence defines it."""

import pytest

from advisor.answer.definition import defining_pattern, definition_term


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("What is temporal complexity and how do organizations deal with it?", "temporal complexity"),
        ("What is context sensitivity in the ML capability paper?", "context sensitivity"),
        ("What is a hub-and-spoke setup for an AI team?", "hub-and-spoke setup"),
        ("What does MLbC mean?", "MLbC"),
        ("Define ISA-4.", "ISA-4"),
        ("what's MLOps", "MLOps"),
    ],
)
def test_the_term_asked_about(question, term):
    assert definition_term(question) == term


@pytest.mark.parametrize(
    "question",
    [
        "How do we scale our AI work?",
        "What should we do next?",
        "Who talked about a Toyota production system of deep learning?",
        "What is the one thing that most often goes wrong when companies try to scale their models?",
    ],
)
def test_other_questions_ask_no_term(question):
    assert definition_term(question) is None


def test_the_defining_sentence_matches_and_a_mere_use_does_not():
    pattern = defining_pattern("temporal complexity")
    assert pattern.search("Temporal Complexity stems from the high dependence of MLbC development on timing.")
    assert not pattern.search("Even within the ML Organization Cycle, temporal complexity was apparent.")
    assert not pattern.search("Forecasts often add another layer to temporal complexity.")
    assert defining_pattern("ISA-4").search("the Architecture (ISA-4)—that conceptualizes scaling as a process")
    assert defining_pattern("hub-and-spoke").search("A hub and spoke model is a central team with embedded experts.")


def test_factual_answer_opens_with_the_definition(advisor_service):
    answer = advisor_service.ask("What is temporal complexity and how do organizations deal with it?")
    first = answer.answer.split("\n\n")[0]
    assert defining_pattern("temporal complexity").search(first), first
