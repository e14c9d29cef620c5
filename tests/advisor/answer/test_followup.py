from advisor.answer.followup import FollowupResolver, list_items
from advisor.schema import ChatTurn

HISTORY = [
    ChatTurn(role="user", content="How should a retailer move its ML pilots to production?"),
    ChatTurn(
        role="assistant",
        content="**What to do next**\n1. Build automated data pipelines. [1]\n2. Set up monitoring and alerting. [2]\n"
        "3. Train staff on the new tools. [3]",
    ),
]


def test_ordinal_picks_the_item_of_the_last_answer():
    resolved = FollowupResolver().resolve("and the second one?", HISTORY)
    assert resolved.kind == "ordinal"
    assert "Set up monitoring and alerting." in resolved.text
    assert "retailer" in resolved.text
    assert "[2]" not in resolved.text


def test_last_and_numbered_items():
    r = FollowupResolver()
    assert "Train staff" in r.resolve("the last one", HISTORY).text
    assert "Build automated data pipelines" in r.resolve("tell me more about point 1", HISTORY).text


def test_what_about_carries_the_previous_question():
    resolved = FollowupResolver().resolve("what about for a bank?", HISTORY)
    assert resolved.kind == "what_about"
    assert "pilots to production" in resolved.text and "a bank" in resolved.text


def test_and_for_plural_subject():
    resolved = FollowupResolver().resolve("And for hospitals?", HISTORY)
    assert resolved.text.endswith("what about for hospitals?")


def test_standalone_messages_pass_through():
    r = FollowupResolver()
    long_message = "How do I create a data team for a big insurer with many legacy systems and strict regulators today?"
    assert r.resolve(long_message, HISTORY).kind == "standalone"
    assert r.resolve("and the second one?", []).kind == "standalone"  # no history: nothing to resolve against


def test_ordinal_beyond_the_list_is_not_invented():
    resolved = FollowupResolver().resolve("and the fifth one?", HISTORY)
    assert "tell me more about" not in resolved.text


def test_list_items_strips_markers():
    assert list_items(HISTORY[1].content) == [
        "Build automated data pipelines.",
        "Set up monitoring and alerting.",
        "Train staff on the new tools.",
    ]


def test_ordinal_over_a_prose_enumeration():
    history = [
        ChatTurn(role="user", content="What are the three phases of implementing and scaling AI?"),
        ChatTurn(
            role="assistant",
            content="Firms begin by proving the concept with their first viable use cases, then productionize, and "
            "finally platformize to run AI at scale [1].",
        ),
    ]
    resolved = FollowupResolver().resolve("And what does the second one involve?", history)
    assert resolved.kind == "ordinal"
    assert resolved.text.endswith("tell me more about: productionize")


def test_chained_followups_keep_the_original_context():
    history = [
        *HISTORY,
        ChatTurn(role="user", content="what about for a bank?"),
        ChatTurn(role="assistant", content="Banks need compliance checks. [1]"),
    ]
    resolved = FollowupResolver().resolve("and for hospitals?", history)
    assert "pilots to production" in resolved.text and "hospitals" in resolved.text
    assert "bank" not in resolved.text
