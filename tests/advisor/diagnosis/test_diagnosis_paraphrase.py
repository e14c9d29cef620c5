"""Reading that survives paraphrase: counts in words, scale over one project's words, never an empty placement."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advisor.diagnosis import Diagnoser
from advisor.diagnosis.signals import SignalDetector
from advisor.rules.lexicon import parse_number
from advisor.rules.loader import RULE_FILES_DIR, SIGNALS_DIR, load_rules
from advisor.schema import Component, Phase
from knowledge.datafile import DataFileError


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a hundred and twenty", 120),
        ("three dozen", 36),
        ("seventy-odd", 70),
        ("thirty-something", 30),
        ("a couple of hundred", 200),
        ("well over ninety", 90),
        ("something like forty", 40),
        ("three hundred or so", 300),
        ("half a dozen", 6),
        ("ninth", 9),
    ],
)
def test_counts_in_words(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("message", "count"),
    [
        ("We look after roughly a hundred and twenty forecasting models.", 120),
        ("Some three dozen of our models feed the planners.", 36),
        ("Our analytics group runs seventy-odd models.", 70),
        ("Six of our models are used every morning.", 6),
        ("The churn score is one of eight models we run.", 8),
    ],
)
def test_model_counts_in_any_wording(lexical: SignalDetector, message: str, count: int) -> None:
    assert count in {h.count for h in lexical.detect(message).hits if h.signal == "model_count"}


def test_no_models_is_a_negated_count(lexical: SignalDetector) -> None:
    found = [h for h in lexical.detect("We have no models yet.").hits if h.signal == "model_count"]
    assert found and all(h.negated for h in found)


def test_scale_outweighs_one_stalled_project(diagnoser: Diagnoser) -> None:
    d = diagnoser.diagnose(
        "Roughly ninety models run on our common platform across the group. One pilot in logistics is stalled."
    )
    assert d.phase == Phase.PLATFORMIZING
    fired = {f.rule_id for f in d.rules_fired}
    assert "pc.project_stalled" not in fired and "pc.pilots" not in fired


def test_two_people_on_a_team_do_not_undo_a_count(diagnoser: Diagnoser) -> None:
    d = diagnoser.diagnose("Seven of our models are in daily use. Two people keep them running.")
    assert d.phase == Phase.PRODUCTIONIZING
    assert "pc.tiny_team" not in {f.rule_id for f in d.rules_fired}


def test_a_loose_word_does_not_decide_the_phase(diagnoser: Diagnoser) -> None:
    d = diagnoser.diagnose("We want to test whether a GPU box under a desk is enough; nothing has been built yet.")
    assert d.phase == Phase.PROVING_CONCEPT


def test_every_situation_gets_a_component_or_a_question(diagnoser: Diagnoser) -> None:
    for message in [
        "Things are complicated here and I am not sure where to begin.",
        "Our models are fine, mostly, I suppose.",
        "The whole thing feels stuck.",
    ]:
        d = diagnoser.diagnose(message)
        assert d.components or d.clarifying_questions, message


def test_the_fallback_is_marked_and_asks(diagnoser: Diagnoser) -> None:
    d = diagnoser.diagnose("Our forecasts for the stores are a mess and the numbers never add up.")
    assert d.components
    closest = [f for f in d.rules_fired if "closest description" in f.conclusion]
    if closest:  # the component came from the fallback: low confidence, and the component question is asked
        assert d.confidence.components < 0.45
        assert any("holds you back" in q for q in d.clarifying_questions)
        assert all(message_span.text for message_span in closest[0].matched)


def test_topic_words_name_the_component(diagnoser: Diagnoser) -> None:
    cases = {
        "We cannot hire machine learning engineers and our analysts need a training programme.": (
            Component.AI_CAPABILITIES
        ),
        "Every deployment goes through a ticket and we run the models on old servers without monitoring.": (
            Component.TECHNICAL_INFRASTRUCTURE
        ),
        "Each department defines a customer differently and data access requests take weeks.": Component.DATA_PIPELINE,
        "Nobody decides who owns the models and the team reports to three different directors.": (
            Component.ORGANIZATIONAL_STRUCTURE
        ),
    }
    for message, component in cases.items():
        assert diagnoser.diagnose(message).components[0] == component, message


def _copy_with(tmp_path: Path, folder: Path, old: str, new: str) -> Path:
    """Copy a rules or signals folder, replacing ``old`` once in the file that holds it."""
    copy = Path(shutil.copytree(folder, tmp_path / folder.name))
    (path,) = [p for p in sorted(copy.glob("*.yaml")) if old in p.read_text(encoding="utf-8")]
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return copy


def test_fallback_rules_are_validated(tmp_path: Path) -> None:
    rules = _copy_with(tmp_path, RULE_FILES_DIR, "      all: [topic_data]\n", "      all: [topic_data, topic_infra]\n")
    with pytest.raises(DataFileError, match="fallback rule"):
        load_rules(SIGNALS_DIR, rules)


def test_unknown_excludes_is_reported_with_its_line(tmp_path: Path) -> None:
    signals = _copy_with(tmp_path, SIGNALS_DIR, "    excludes: [shared_platform]\n", "    excludes: [no_such_signal]\n")
    with pytest.raises(DataFileError, match="no_such_signal") as err:
        load_rules(signals, RULE_FILES_DIR)
    assert err.value.line is not None
