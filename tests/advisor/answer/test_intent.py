import pytest

from advisor.answer.intent import Intent, classify_intent


@pytest.mark.parametrize(
    "message",
    [
        "We are a telecom operator with eleven models in production.",
        "Our retail bank built a credit model but legal sign-off took eight months.",
        "I run operations at a furniture maker; nobody here has built anything with machine learning.",
        "We're a mid-sized insurer with two pilots. What should we do next?",
    ],
)
def test_situations(message):
    assert classify_intent(message) is Intent.SITUATION


@pytest.mark.parametrize(
    "message",
    [
        "What are the three phases of implementing and scaling AI?",
        "Who should repair a broken data feed that trains our churn model?",
        "What did Sarah Chen say about scaling operations?",
        "According to the playbook, what comes first when we scale?",
        # a first-person preface, then a question about a source
        "I run QA for an AI product. In the playbook's quality framework, what are the first four weeks for?",
        "I lead a data team. What does the study say about platforms?",
    ],
)
def test_questions(message):
    assert classify_intent(message) is Intent.FACTUAL


@pytest.mark.parametrize(
    ("message", "asking"),
    [
        # A situation's facts about the firm ask for nothing, whatever words they use.
        ("We run eleven models for pricing and churn, and legal sign-off took eight months.", ""),
        (
            "Our platform serves 40 teams; our budget doubled. How many teams did GSK have?",
            "How many teams did GSK have?",
        ),
        # A terse query without a description of the firm is all question.
        ("budget for AI pilots", "budget for AI pilots"),
    ],
)
def test_asking_part_keeps_only_the_sentences_that_ask(message, asking):
    from advisor.answer.scope import asking_part

    assert asking_part(message) == asking
