"""Diagnosis end to end with the real embedder: negation, hedges, numbers, spans, questionnaire, contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.diagnosis import Diagnoser, QuestionnaireAnswers, QuestionnaireError
from advisor.diagnosis.questionnaire import default_questionnaire
from advisor.diagnosis.signals import SignalDetector
from advisor.rules import default_rules
from advisor.rules.lexicon import parse_number
from advisor.schema import Challenge, Component, Diagnosis, MlbcPhase, Phase, Practice
from evals.diagnosis import score
from evals.diagnosis_calibration import calibrate
from evals.keyword_baseline import KeywordDiagnoser
from evals.loader import load_cases as load_dev_set
from evals.metrics.labels import micro_f1
from knowledge.datafile import DataFileError

DEV_SET = Path(__file__).resolve().parents[3] / "evals" / "sets" / "diagnosis_dev.jsonl"


def hits(detector: SignalDetector, message: str, signal: str):
    return [h for h in detector.detect(message).hits if h.signal == signal]


# ------------------------------------------------------------------ negation
@pytest.mark.parametrize(
    ("message", "signal", "span"),
    [
        ("We don't have a data team, just one IT guy.", "data_team", "don't have a data team"),
        ("No one owns the churn model after launch.", "ownership", "No one owns"),
        ("We have never put a model into production.", "models_live", "never put a model into production"),
        ("Nothing is live yet.", "models_live", "Nothing is live"),
        ("There are zero models in production.", "models_live", "zero models in production"),
    ],
)
def test_negated_signals(lexical: SignalDetector, message: str, signal: str, span: str) -> None:
    found = hits(lexical, message, signal)
    assert found, f"{signal} not found in {message!r}"
    assert all(h.negated for h in found)
    assert any(span in h.span.text or h.span.text in span for h in found)


def test_affirmed_signal_is_not_negated(lexical: SignalDetector) -> None:
    found = hits(lexical, "We have a data team of five people.", "data_team")
    assert found and not any(h.negated for h in found)
    assert any(h.count == 5 for h in found)


def test_negation_does_not_cross_a_but(lexical: SignalDetector) -> None:
    found = hits(lexical, "We never hired consultants, but our models are in production.", "models_live")
    assert found and not any(h.negated for h in found)


def test_negation_changes_the_diagnosis(diagnoser: Diagnoser) -> None:
    without = diagnoser.diagnose("We don't have a data team and nothing is live yet.")
    assert without.phase == Phase.PROVING_CONCEPT
    fired = {f.rule_id for f in without.rules_fired}
    assert {"pc.no_data_team", "pc.nothing_live"} <= fired
    live = diagnoser.diagnose("We have a data team and 12 models are in production.")
    assert live.phase == Phase.PRODUCTIONIZING
    assert "pc.no_data_team" not in {f.rule_id for f in live.rules_fired}


def test_a_none_condition_stops_a_rule(diagnoser: Diagnoser) -> None:
    # Semantically close to "business teams launch their own models", but it is fragmentation, not access.
    fragmented = diagnoser.diagnose("Nothing is live yet and every team builds models its own way.")
    fired = {f.rule_id for f in fragmented.rules_fired}
    assert "pr.inconsistent_tooling" in fired and "pl.democratized" not in fired
    assert fragmented.component_phases[Component.AI_CAPABILITIES] is None


# ------------------------------------------------------------------ hedges
def test_hedges_mark_hits_and_weaken_evidence(lexical: SignalDetector, diagnoser: Diagnoser) -> None:
    hedged = hits(lexical, "Maybe we'll need our own model later, we think; we are sort of piloting.", "pilots")
    assert hedged and all(h.hedged for h in hedged)
    plain = hits(lexical, "We are piloting a matching tool.", "pilots")
    assert plain and not any(h.hedged for h in plain)
    sure = diagnoser.diagnose("We are piloting a matching tool with a vendor.")
    unsure = diagnoser.diagnose("We are sort of piloting a matching tool with a vendor, I think.")
    assert sure.phase == unsure.phase == Phase.PROVING_CONCEPT
    assert unsure.confidence.phase < sure.confidence.phase
    pilots = {f.rule_id: f for f in unsure.rules_fired}["pc.pilots"]
    assert pilots.conclusion.endswith("(hedged)")
    assert not {f.rule_id: f for f in sure.rules_fired}["pc.pilots"].conclusion.endswith("(hedged)")


# ------------------------------------------------------------------ numbers
@pytest.mark.parametrize(
    ("text", "value"),
    [("eleven", 11), ("2", 2), ("twenty-five", 25), ("dozens", 30), ("more than 40", 40), ("1,200", 1200)],
)
def test_parse_number(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("message", "signal", "count"),
    [
        ("We are a telecom operator with eleven models in production.", "models_live", 11),
        ("We ran 2 pilots with a vendor last year.", "pilots", 2),
        ("We have dozens of models live across the studio.", "models_live", 30),
        ("About 400 models are in production.", "models_live", 400),
    ],
)
def test_numbers_are_read_with_their_signal(lexical: SignalDetector, message: str, signal: str, count: int) -> None:
    assert count in {h.count for h in hits(lexical, message, signal)}


def test_numbers_move_the_phase(diagnoser: Diagnoser) -> None:
    few = diagnoser.diagnose("We have eleven models in production.")
    many = diagnoser.diagnose("We have about 140 models in production.")
    assert few.phase == Phase.PRODUCTIONIZING
    assert many.phase == Phase.PLATFORMIZING
    assert "pl.many_models_live" in {f.rule_id for f in many.rules_fired}
    assert "pl.many_models_live" not in {f.rule_id for f in few.rules_fired}


# ------------------------------------------------------------------ meaning, not just words
def test_embeddings_catch_paraphrases(diagnoser: Diagnoser) -> None:
    message = "Our data scientists are drowning in requests from every department."
    lexical_only = {h.signal for h in SignalDetector(default_rules(), use_embeddings=False).detect(message).hits}
    assert "request_overload" not in lexical_only
    semantic = diagnoser.detect(message).active(diagnoser.calibration.semantic_threshold)
    assert "request_overload" in {h.signal for h in semantic if h.method == "semantic"}
    fired = {f.rule_id: f for f in diagnoser.diagnose(message).rules_fired}
    assert fired["tc.request_overload"].matched[0].text in message


# ------------------------------------------------------------------ spans and contract
def _assert_exact_spans(message: str, diagnosis: Diagnosis) -> None:
    assert diagnosis.rules_fired
    for fired in diagnosis.rules_fired:
        assert fired.matched, fired.rule_id
        for span in fired.matched:
            assert message[span.start : span.end] == span.text


@pytest.mark.parametrize(
    "message",
    [
        "We don't have a data team.\n\nNothing is live yet; we ran 2 pilots with a vendor.",
        "Maybe   we think we have eleven models in production - but nobody knows who should fix them.",
        "Our data scientists are drowning in requests from every department, and legal sign-off took 8 months.",
    ],
)
def test_spans_are_exact_substrings(diagnoser: Diagnoser, message: str) -> None:
    _assert_exact_spans(message, diagnoser.diagnose(message))


@pytest.mark.slow
def test_spans_are_exact_on_the_whole_dev_set(diagnoser: Diagnoser) -> None:
    for item in load_dev_set(DEV_SET):
        _assert_exact_spans(item.message, diagnoser.diagnose(item.message))


def test_diagnosis_json_shape(diagnoser: Diagnoser) -> None:
    d = diagnoser.diagnose("We are a bank with eleven models in production, and legal sign-off took eight months.")
    data = json.loads(d.model_dump_json())
    assert set(data) == {
        "phase", "component_phases", "components", "weakest_components", "isa4_layers", "mlbc_phase",
        "challenges", "practices", "confidence", "rules_fired", "missing_information", "clarifying_questions",
    }  # fmt: skip
    assert set(data["component_phases"]) == {c.value for c in Component}
    assert set(data["confidence"]) == {"phase", "components", "isa4_layers", "mlbc_phase", "challenges", "practices"}
    assert all(0 <= v <= 1 for v in data["confidence"].values())
    assert data["phase"] == "productionizing"
    assert "temporal_complexity" in data["challenges"]
    assert set(data["rules_fired"][0]) == {"rule_id", "conclusion", "matched"}
    assert set(data["rules_fired"][0]["matched"][0]) == {"text", "start", "end"}
    assert Diagnosis.model_validate_json(d.model_dump_json()) == d


def test_low_confidence_asks_instead_of_guessing(diagnoser: Diagnoser) -> None:
    d = diagnoser.diagnose("We would like some advice about artificial intelligence.")
    assert d.confidence.phase < 0.45
    assert 1 <= len(d.clarifying_questions) <= 2
    assert any("day-to-day operations" in q for q in d.clarifying_questions)
    assert d.missing_information
    # Scale alone no longer names the component (a shared platform is not always the topic): say what hurts.
    confident = diagnoser.diagnose(
        "We have about 140 models in production on a shared platform all teams use; serving latency at peak hurts."
    )
    assert confident.clarifying_questions == []
    assert confident.missing_information == []


def test_too_long_message_gets_a_clear_error(diagnoser: Diagnoser) -> None:
    from advisor.diagnosis import DiagnosisInputError

    with pytest.raises(DiagnosisInputError, match="limit is"):
        diagnoser.diagnose("x" * (diagnoser.max_chars + 1))


# ------------------------------------------------------------------ questionnaire
def test_questionnaire_has_10_to_15_questions_each_mapping_to_evidence() -> None:
    q = default_questionnaire()
    assert 10 <= len(q.questions) <= 15
    assert all(any(o.then for o in question.options) for question in q.questions)


PC, PR, PL = Phase.PROVING_CONCEPT, Phase.PRODUCTIONIZING, Phase.PLATFORMIZING
DEV, REL, OPS = MlbcPhase.DEVELOPMENT, MlbcPhase.RELEASE, MlbcPhase.OPERATION


@pytest.mark.parametrize(
    ("answers", "phase", "mlbc"),
    [
        ({"live_models": "none", "data": "scattered", "structure": "no_team"}, PC, DEV),
        ({"live_models": "three_to_thirty", "infrastructure": "each_team_own_way"}, PR, OPS),
        (
            {"live_models": "more_than_thirty", "models": "reused_capabilities", "main_solution_stage": "running"},
            PL,
            OPS,
        ),
        ({"live_models": "none", "main_solution_stage": "about_to_launch"}, PC, REL),
    ],
)
def test_questionnaire_placement_is_deterministic(diagnoser: Diagnoser, answers, phase, mlbc) -> None:
    first = diagnoser.diagnose("", QuestionnaireAnswers(answers=answers))
    second = diagnoser.diagnose("", QuestionnaireAnswers(answers=dict(reversed(list(answers.items())))))
    assert first.phase == phase and first.mlbc_phase == mlbc
    assert first.model_dump_json() == second.model_dump_json()
    assert all(f.rule_id.startswith("questionnaire.") and f.matched == [] for f in first.rules_fired)


def test_questionnaire_combines_with_free_text(diagnoser: Diagnoser) -> None:
    answers = QuestionnaireAnswers(answers={"slowdown": "approvals", "live_models": "three_to_thirty"})
    text = "Every team ships models its own way."
    combined = diagnoser.diagnose(text, answers)
    ids = {f.rule_id for f in combined.rules_fired}
    assert "pr.inconsistent_tooling" in ids and "questionnaire.slowdown" in ids
    assert Challenge.TEMPORAL_COMPLEXITY in combined.challenges
    assert Practice.SYNCHRONIZING_EFFORTS in combined.practices
    assert combined.phase == Phase.PRODUCTIONIZING


def test_questionnaire_rejects_unknown_answers(diagnoser: Diagnoser) -> None:
    with pytest.raises(QuestionnaireError, match="valid options"):
        diagnoser.diagnose("", QuestionnaireAnswers(answers={"live_models": "lots"}))
    with pytest.raises(QuestionnaireError, match="unknown question"):
        diagnoser.diagnose("", QuestionnaireAnswers(answers={"favourite_colour": "blue"}))


# ------------------------------------------------------------------ dev set, metrics, baseline
def test_dev_set_is_well_formed() -> None:
    items = load_dev_set(DEV_SET)
    assert len(items) >= 40
    held = [i for i in items if i.split == "held_out"]
    assert 0.4 <= len(held) / len(items) <= 0.6
    banned = ("productioniz", "platformiz", "data pipeline", "temporal complexity", "context sensitivity", "mlops")
    assert not [i.id for i in items if any(b in i.message.lower() for b in banned)]
    assert len({i.industry for i in items}) >= 20


def test_dev_set_errors_name_the_line(tmp_path: Path) -> None:
    lines = DEV_SET.read_text().splitlines()[:3]
    bad = json.loads(lines[1])
    bad["expected"]["phase"] = "scaling"
    path = tmp_path / "dev.jsonl"
    path.write_text("\n".join([lines[0], json.dumps(bad), lines[2]]) + "\n")
    with pytest.raises(DataFileError) as err:
        load_dev_set(path)
    assert err.value.line == 2 and "expected.phase" in str(err.value)


def test_metrics() -> None:
    assert micro_f1([{1, 2}, set()], [{1}, {3}]) == pytest.approx(2 * 1 / (2 * 1 + 1 + 1))
    assert micro_f1([set()], [set()]) == 1.0
    items = load_dev_set(DEV_SET)[:2]
    perfect = [
        KeywordDiagnoser()
        .diagnose("")
        .model_copy(
            update={
                "phase": i.expected.phase,
                "components": i.expected.components,
                "mlbc_phase": i.expected.mlbc_phase,
                "challenges": i.expected.challenges,
                "practices": i.expected.practices,
                "isa4_layers": i.expected.isa4_layers,
            }
        )
        for i in items
    ]
    s = score(items, perfect)
    assert (s.phase_accuracy, s.component_f1, s.challenge_f1, s.isa4_f1) == (1.0, 1.0, 1.0, 1.0)
    assert sum(s.confusion[i.expected.phase.value][i.expected.phase.value] for i in items[:1]) >= 1


def test_keyword_baseline_ignores_negation() -> None:
    d = KeywordDiagnoser().diagnose("Nothing is in production yet and we have no platform.")
    assert d.phase in {Phase.PRODUCTIONIZING, Phase.PLATFORMIZING}  # it cannot read "nothing" / "no"


def test_calibration_refuses_held_out(diagnoser: Diagnoser) -> None:
    held = load_dev_set(DEV_SET, "held_out")[:1]
    with pytest.raises(ValueError, match="calibration split"):
        calibrate(diagnoser, held)


def test_concurrent_diagnoses_match_sequential(diagnoser: Diagnoser) -> None:
    from concurrent.futures import ThreadPoolExecutor

    messages = [item.message for item in load_dev_set(DEV_SET)[:6]]
    sequential = [diagnoser.diagnose(m).model_dump_json() for m in messages]
    with ThreadPoolExecutor(3) as pool:
        parallel = list(pool.map(lambda m: diagnoser.diagnose(m).model_dump_json(), messages))
    assert parallel == sequential
