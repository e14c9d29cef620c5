import pytest

from advisor.answer.intent import Intent, classify_intent


@pytest.mark.parametrize(
    "message",
    [
        "We are a telecom operator with eleven models in production.",
        "Our retail bank built a credit model but legal sign-off took eight months.",
        "I run operations at a furniture maker; nobody here has built anything with machine learning.",
        "We're a mid-sized insurer with two pilots. What should we do next?",
        # a question that speaks of "we" asks for advice, even when it names a source
        "Our bank has one fraud model live. Which phase of the study are we in?",
        "We run forty models. The playbook has a roadmap: where on it do we stand?",
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
        # who the asker is, then a question naming a source, or following a sentence that names one
        "I chair a school board and we are new to this: which roles does the ML capability paper describe?",
        "Our ministry has funded pilots. The scaling paper mentions a telecom firm shipping R code. How did it run?",
        "We're a shipping line — how does the operations playbook say support teams should be staffed?",
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
