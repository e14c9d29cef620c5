"""The framework words a situation answer embeds are a closed set, enumerated for warm-up."""

import random

from advisor.answer.focus import SituationFocus
from advisor.answer.query import COMPONENT_WORDS, QueryBuilder, framework_words
from advisor.answer.shapes import SENTINEL, shape, situation_texts
from advisor.schema import Challenge, Component, Phase, Practice


def _ranked(rng: random.Random, kind, most: int) -> tuple:
    members = list(kind)
    rng.shuffle(members)
    return tuple(members[: rng.randint(0, most)])


def test_any_ranking_of_any_diagnosis_uses_only_enumerated_texts():
    builder = QueryBuilder()
    known = set(situation_texts(builder.build, SituationFocus.build))
    rng = random.Random(7)
    for _ in range(400):
        d = shape(
            rng.choice([None, *Phase]),
            _ranked(rng, Component, 3),
            _ranked(rng, Practice, 3),
            _ranked(rng, Challenge, 2),
        )
        texts = {spec.text for spec in builder.build(SENTINEL, d).specs} | set(
            SituationFocus.build(SENTINEL, d).texts()
        )
        assert texts <= known, (d.phase, d.components, d.practices, d.challenges, sorted(texts - known))


def test_framework_words_name_the_top_two_in_the_frameworks_order():
    ranked = [Component.ORGANIZATIONAL_STRUCTURE, Component.DATA_PIPELINE, Component.AI_MODELS]
    assert framework_words(ranked, COMPONENT_WORDS) == "data pipeline organizational structure"
    assert framework_words(ranked[1::-1], COMPONENT_WORDS) == "data pipeline organizational structure"
    assert framework_words([], COMPONENT_WORDS) == ""


def test_the_focus_keeps_the_ranking_for_its_labelled_lines():
    d = shape(Phase.PRODUCTIONIZING, (Component.ORGANIZATIONAL_STRUCTURE, Component.DATA_PIPELINE))
    focus = SituationFocus.build("We struggle.", d)
    assert [f.label for f in focus.next_cells] == ["organizational structure", "data pipeline"]
    assert focus.where == "productionizing phase data pipeline organizational structure"
