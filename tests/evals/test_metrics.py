import pytest

from advisor.schema import Scope
from evals.metrics.base import f1
from evals.metrics.citations import CitationPrecision, CitationRecall, CitationValidity, EvidenceRecall
from evals.metrics.errors import AnswerRate
from evals.metrics.labels import LabelAccuracy, LabelF1
from evals.metrics.latency import LatencyPercentile, percentile
from evals.metrics.retrieval import MeanReciprocalRank, RecallAtK
from evals.metrics.safety import FigureGrounding, InjectionResistance
from evals.metrics.scope import AbstentionPrecision, AbstentionRecall, ScopeAccuracy
from evals.metrics.support import EmbeddingSupport, OverlapSupport, coverage
from evals.metrics.text import figures, is_claim, markers, split_sentences
from evals.runner import score_metric
from tests.evals.builders import RECORDS, answer, case, diagnosis, result

PIPE, HORIZ, HM = "a:passage:pipeline:01", "a:passage:horizontal:01", "a:quote:hm:01"


def situation(cid: str, **expected: object):
    return case(id=cid, type="situation", message="we have a pilot", expected=expected)


def factual(cid: str, evidence: list[tuple[str, list[str]]]):
    return case(
        id=cid,
        type="factual",
        message="q?",
        evidence=[{"text": t, "record_ids": ids} for t, ids in evidence],
    )


def test_f1_by_hand():
    assert f1({"a", "b"}, {"a", "c"}) == pytest.approx(0.5)  # P = 1/2, R = 1/2
    assert f1({"a"}, {"a", "b", "c"}) == pytest.approx(0.5)  # P = 1/3, R = 1 -> 2/3 / (4/3)
    assert f1(set(), set()) == 1.0
    assert f1({"a"}, set()) == 0.0
    assert f1(set(), {"a"}) == 0.0


def test_phase_accuracy_and_component_f1():
    results = [
        result(
            situation("s1", phase="productionizing", components=["data_pipeline", "ai_models"]),
            answer("x", diag=diagnosis(phase="productionizing", components=["data_pipeline", "ai_capabilities"])),
        ),
        result(
            situation("s2", phase="platformizing", components=["ai_models"]),
            answer("x", diag=diagnosis(phase="proving_concept", components=["ai_models"])),
        ),
        result(situation("s3", challenges=["temporal_complexity"]), answer("x", diag=None)),
    ]
    phase = score_metric(LabelAccuracy("phase"), results)
    assert (phase.value, phase.n) == (0.5, 2)  # s3 does not judge phase
    components = score_metric(LabelF1("components", "component"), results)
    assert components.name == "component_f1"
    assert components.value == pytest.approx((0.5 + 1.0) / 2)
    challenges = score_metric(LabelF1("challenges", "challenge"), results)
    assert (challenges.value, challenges.n) == (0.0, 1)  # no diagnosis = nothing predicted
    assert [c.passed for c in components.cases] == [True, True]


def test_recall_at_k_and_mrr_by_hand():
    the_case = case(id="r1", type="retrieval", message="qqq", relevant_ids=["r1", "r3"], style="manager")
    fact = factual("f1", [("some evidence text", ["r2", "r2b"]), ("other evidence", ["r4"])])
    results = [
        result(the_case, answer("x"), retrieved=["x", "r3", "r1"]),
        result(fact, answer("x"), retrieved=["r2b", "y", "r4"]),
    ]
    at1 = score_metric(RecallAtK(1), results)
    assert at1.value == pytest.approx((0 + 0.5) / 2)  # r1 case: nothing at rank 1; f1: group r2/r2b at rank 1
    at3 = score_metric(RecallAtK(3), results)
    assert at3.value == 1.0
    mrr = score_metric(MeanReciprocalRank(), results)
    assert mrr.value == pytest.approx((1 / 2 + 1) / 2)


def test_citation_validity_flags_each_mismatch():
    good = answer("A first pipeline matters [1].", cited=[(1, PIPE)])
    unknown = answer("Claim [1]. Another [2].", cited=[(1, PIPE), (2, "a:passage:invented:01")])
    dangling = answer("Claim [1] and [3].", cited=[(1, PIPE)])
    unused = answer("Claim [1].", cited=[(1, PIPE), (2, HORIZ)])
    edited = answer("Claim [1].", cited=[(1, PIPE)], texts={PIPE: "Words that are not the record."})
    decline = answer("I can only help with scaling AI.", scope=Scope.OUT_OF_SCOPE)
    cases = [good, unknown, dangling, unused, edited, decline]
    results = [result(situation(f"s{i}", phase="proving_concept"), a) for i, a in enumerate(cases)]
    score = score_metric(CitationValidity(RECORDS), results)
    assert [c.passed for c in score.cases] == [True, False, False, False, False, True]
    assert score.value == pytest.approx(2 / 6)
    assert "unknown record" in score.cases[1].detail
    assert "[3] has no citation" in score.cases[2].detail
    assert "never used" in score.cases[3].detail
    assert "differs" in score.cases[4].detail


def test_alce_citation_recall_and_precision_by_hand():
    text = (
        "Where you stand:\n"
        "Creating a first data pipeline is highly important [1].\n"  # supported by [1] alone
        "Horizontal teams drive forecasting across business lines [2].\n"  # coverage 3/7 < 0.6: unsupported
        "Creating a first data pipeline means eliminating data silos [1][2].\n"  # [1] supports, [2] not needed
        "Data silos slow everything down."  # a claim with no citation
    )
    results = [result(situation("s", phase="proving_concept"), answer(text, cited=[(1, PIPE), (2, HORIZ)]))]
    recall = score_metric(CitationRecall(RECORDS), results)
    assert recall.value == pytest.approx(2 / 4)  # claims 1 and 3 of four
    precision = score_metric(CitationPrecision(RECORDS), results)
    assert precision.value == pytest.approx(2 / 4)  # [1] in s1, [1] in s3 precise; [2] in s2 and s3 not


def test_citation_precision_counts_a_needed_partial_citation():
    # Neither record alone covers the sentence, together they do: both citations are needed, both precise.
    text = "Eliminate data silos with horizontal teams and overarching capabilities [1][2]."
    results = [result(situation("s", phase="proving_concept"), answer(text, cited=[(1, PIPE), (2, HORIZ)]))]
    assert score_metric(CitationPrecision(RECORDS), results).value == 1.0
    assert score_metric(CitationRecall(RECORDS), results).value == 1.0


def test_citation_metrics_skip_declines():
    results = [result(case(id="o", type="out_of_scope", message="poem"), answer("No.", scope=Scope.OUT_OF_SCOPE))]
    assert score_metric(CitationRecall(RECORDS), results).n == 0
    assert score_metric(CitationPrecision(RECORDS), results).value is None


def test_evidence_recall_by_record_or_words():
    fact = factual("f", [("10 use cases in production", ["other:id"]), ("not cited anywhere", ["b:id"])])
    results = [result(fact, answer("H&M runs 10 use cases [1].", cited=[(1, HM)]))]
    score = score_metric(EvidenceRecall(), results)
    assert score.value == 0.5
    by_id = factual("g", [("some words here", [HM])])
    assert score_metric(EvidenceRecall(), [result(by_id, answer("x [1].", cited=[(1, HM)]))]).value == 1.0


def test_scope_accuracy_and_abstention_by_hand():
    results = [
        result(case(id="o1", type="out_of_scope", message="poem"), answer("no", scope=Scope.OUT_OF_SCOPE)),
        result(case(id="o2", type="out_of_scope", message="fish"), answer("yes", scope=Scope.IN_SCOPE)),
        result(factual("f", [("evidence words", ["x"])]), answer("can't say", scope=Scope.UNANSWERABLE)),
        result(case(id="u", type="unanswerable", message="budget?"), answer("n/a", scope=Scope.UNANSWERABLE)),
    ]
    assert score_metric(ScopeAccuracy(), results).value == 0.5
    assert score_metric(AbstentionPrecision(), results).value == pytest.approx(2 / 3)  # declined o1, f, u; f wrongly
    # should decline o1, o2, u; o2 missed
    assert score_metric(AbstentionRecall(), results).value == pytest.approx(2 / 3)


def injection(cid: str, **fields: object):
    base = {"id": cid, "type": "injection", "message": "m", "attack": "invented_figure", "forbidden": ["87%"]}
    base["allowed_scopes"] = ["in_scope"]
    base.update(fields)
    return case(**base)


def test_injection_resistance_by_hand():
    forced = injection("i1", attack="forced_diagnosis", forced_phase="platformizing", forbidden=["OVERRIDE"])
    results = [
        result(forced, answer("ok", diag=diagnosis(phase="platformizing"))),  # obeyed
        result(injection("i2"), answer("About 87% of firms platformize.")),  # forbidden figure
        result(injection("i3"), answer("Fine [1].", cited=[(1, "x:invented:01")])),  # invented record
        result(injection("i4", allowed_scopes=["out_of_scope"]), answer("Sure.")),  # wrong scope
        result(injection("i5"), answer("The phases are proving concept, productionizing, platformizing.")),
    ]
    score = score_metric(InjectionResistance(RECORDS), results)
    assert [c.passed for c in score.cases] == [False, False, False, False, True]
    assert score.value == pytest.approx(1 / 5)


def test_figure_grounding():
    ok = result(factual("f1", [("evidence words", ["x"])]), answer("H&M has 10 use cases [1].", cited=[(1, HM)]))
    echoed = result(
        case(id="s", type="situation", message="We have 11 models", expected={"phase": "platformizing"}),
        answer("With 11 models live you are productionizing."),
    )
    invented = result(factual("f2", [("evidence words", ["x"])]), answer("87 % of firms fail [1].", cited=[(1, HM)]))
    unans = case(id="u", type="unanswerable", message="budget?", forbidden=["euros"])
    leaked = result(unans, answer("Spend 50 thousand euros.", scope=Scope.UNANSWERABLE))
    score = score_metric(FigureGrounding(), [ok, echoed, invented, leaked])
    assert [c.passed for c in score.cases] == [True, True, False, False]


def test_a_figure_in_the_cited_records_heading_is_grounded():
    cited = answer("**Foundation First (Months 1-3)**\n1. Establish monitoring [1].", cited=[(1, HM)])
    headed = cited.model_copy(
        update={
            "citations": [
                c.model_copy(update={"section": "Plan > Foundation First (Months 1-3)"}) for c in cited.citations
            ]
        }
    )
    score = score_metric(
        FigureGrounding(), [result(factual("f1", [("evidence words", ["x"])]), a) for a in (headed, cited)]
    )
    assert [c.passed for c in score.cases] == [True, False]


def test_latency_percentiles_nearest_rank():
    assert percentile([400, 100, 300, 200], 50) == 200
    assert percentile([400, 100, 300, 200], 95) == 400
    results = [
        result(situation(f"s{i}", phase="proving_concept"), answer("x"), latency_ms=v)
        for i, v in enumerate([100.0, 200.0, 300.0, 400.0])
    ]
    results.append(result(situation("err", phase="proving_concept"), None, latency_ms=9999.0))  # errors excluded
    p95 = score_metric(LatencyPercentile(95), results)
    assert (p95.value, p95.n, p95.higher_is_better, p95.unit) == (400.0, 4, False, "ms")
    assert score_metric(AnswerRate(), results).value == pytest.approx(4 / 5)


def test_support_test_and_text_helpers():
    record = RECORDS[PIPE]
    assert coverage("Creating a first data pipeline is highly important [1].", [record]) == 1.0
    assert coverage("Horizontal teams drive forecasting across business lines.", [RECORDS[HORIZ]]) == pytest.approx(
        3 / 7
    )
    support = OverlapSupport(0.6)
    assert support.supports("Eliminate data silos first [1].", [record])
    assert not support.supports("Eliminate 40% of data silos first.", [record])  # the figure is invented
    assert not support.supports("Eliminate data silos.", [])
    assert split_sentences("One claim here [1]. Two claims there [2][3].\n**Heading**") == [
        "One claim here [1].",
        "Two claims there [2][3].",
        "**Heading**",
    ]
    assert markers("x [2] y [3][2]") == [2, 3]
    assert not is_claim("**Where you stand**") and not is_claim("Could you say more about your data?")
    assert figures("40 percent, 2,000 staff [3]") == {"40%", "2000"}
    assert figures("1. Standardize first [2].\n2) Then automate 3 pipelines.") == {"3"}


def test_embedding_support_admits_paraphrase_only_above_the_floor():
    # A toy unit-vector encoder: identical direction for the paraphrase pair, orthogonal otherwise.
    def encode(texts):
        return [[1.0, 0.0] if "silo" in t.lower() else [0.0, 1.0] for t in texts]

    support = EmbeddingSupport(encode, threshold=0.9, min_coverage=0.3, min_similarity=0.8)
    record = RECORDS[PIPE]
    assert support.supports("Start removing data silos early.", [record])  # coverage 2/4 >= 0.3, similar
    assert not support.supports("Hire a chief forecasting officer.", [record])
    with pytest.raises(ValueError):
        EmbeddingSupport(encode, threshold=0.2, min_coverage=0.5)


def test_attribution_of_a_quote_counts_as_support():
    text = "“We have around 10 use cases in production right now.” — Errol Koolmeister, H&M [1]."
    results = [result(situation("s", phase="platformizing"), answer(text, cited=[(1, HM)]))]
    assert score_metric(CitationRecall(RECORDS), results).value == 0.0  # the name is in no record text
    with_names = CitationRecall(RECORDS, attributions={HM: "Errol Koolmeister H&M Fashion"})
    assert score_metric(with_names, results).value == 1.0


def test_llm_answer_rate_counts_kept_llm_answers_in_scope():
    from evals.metrics.errors import LlmAnswerRate

    kept = answer("x [1].", cited=[(1, PIPE)]).model_copy(update={"backend": "local:Qwen2.5-Coder-1.5B-Instruct"})
    fell_back = answer("y [1].", cited=[(1, PIPE)]).model_copy(update={"notices": ["Showing the offline answer"]})
    declined = answer("no", scope=Scope.OUT_OF_SCOPE)
    results = [
        result(situation(f"s{i}", phase="proving_concept"), a) for i, a in enumerate([kept, fell_back, declined])
    ]
    score = score_metric(LlmAnswerRate(), results)
    assert (score.value, score.n) == (0.5, 2)
    assert score.cases[1].detail == "Showing the offline answer"


def said(cid: str, must_say: list, text: str | None):
    evidence = [{"text": "some evidence", "record_ids": ["x"]}]
    the_case = case(id=cid, type="factual", message="q?", evidence=evidence, must_say=must_say)
    return result(the_case, answer(text) if text is not None else None)


def test_answer_says_it_scores_the_share_of_key_terms_by_hand():
    from evals.metrics.says import AnswerSaysIt

    phases = [["proving the concept", "proof of concept"], "productionizing", "platformizing"]
    results = [
        # All three named: a dash, curly quotes, a plural and another verb form still match.
        said("all", phases, "A “proof-of-concept”, then they productionize, then “Platformizing” [1]."),
        # Two of three: the answer talks about phases but never names the third.
        said("two", phases, "Proving the concept comes first [1]. Productionizing follows [2]. Phases differ [3]."),
        # The term sits only in the Sources list and a marker, which are not the answer's text.
        said("sources", ["AWS Transcribe"], "They used a vendor [1].\n\n**Sources**\n[1] AWS Transcribe launch"),
        said("error", ["GDPR"], None),  # no answer: every term is missing
        result(factual("nothing-asked", [("evidence words", ["x"])]), answer("anything")),  # no must_say: not scored
    ]
    score = score_metric(AnswerSaysIt(), results)
    assert score.name == "answer_says_it" and score.n == 4
    assert [c.value for c in score.cases] == pytest.approx([1.0, 2 / 3, 0.0, 0.0])
    assert [c.passed for c in score.cases] == [True, False, False, False]
    assert score.value == pytest.approx((1 + 2 / 3) / 4)
    assert "missing: platformizing" in score.cases[1].detail


def test_answer_says_it_needs_the_words_in_order_and_whole():
    from evals.metrics.says import AnswerSaysIt

    results = [
        said("order", ["data pipeline"], "The pipeline of data matters."),  # the words, not the term
        said("part", ["R"], "Rolling out in Docker."),  # a letter inside a word is no word
        said("plural", ["AI capabilities", "error rates"], "Build AI capability and track the error rate."),
    ]
    assert [c.value for c in score_metric(AnswerSaysIt(), results).cases] == [0.0, 0.0, 1.0]


def test_key_terms_are_typed_and_every_factual_case_lists_them():
    from pydantic import ValidationError

    from evals.loader import SETS_DIR, load_cases

    for bad in ([], [[]], ["--"], ["a"] * 7):
        with pytest.raises(ValidationError):
            said("bad", bad, "x")
    cases = load_cases(SETS_DIR / "factual.jsonl")
    assert len(cases) >= 41
    assert all(c.must_say and 1 <= len(c.must_say) <= 6 for c in cases)
