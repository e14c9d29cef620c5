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
    ],
)
def test_questions(message):
    assert classify_intent(message) is Intent.FACTUAL
