from __future__ import annotations

from knowledge.index.phrases import phrase_ranking, quoted_phrases
from tests.knowledge.index.records import passage


def test_quoted_phrases_of_two_words_or_more_in_any_quotation_marks() -> None:
    assert quoted_phrases("What does the paper mean by 'proof-of-concept purgatory'?") == ["proof of concept purgatory"]
    assert quoted_phrases('He said “two investment pillars” and "ship it".') == ["two investment pillars", "ship it"]
    assert quoted_phrases("LinkedIn's team doesn't say 'urgent' here") == []  # apostrophes; one word


def test_records_holding_more_of_the_phrases_rank_first_and_filters_hold() -> None:
    one = passage("p.one", "They were stuck in proof-of-concept purgatory for a year.")
    both = passage("p.both", "Proof-of-concept purgatory ends when a team ships it to production.", source="b")
    neither = passage("p.none", "Nothing here.", source="c")
    query = "What is 'proof-of-concept purgatory' and when do you 'ship it'?"
    assert phrase_ranking(query, [one, both, neither], lambda r: True) == ["p.both", "p.one"]
    assert phrase_ranking(query, [one, both, neither], lambda r: r.source_id != "b") == ["p.one"]
    assert phrase_ranking("no quotes at all", [one, both], lambda r: True) == []
