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
