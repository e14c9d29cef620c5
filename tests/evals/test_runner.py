import threading

import pytest

from advisor.schema import Answer, Scope
from evals.loader import load_set
from evals.metrics.base import CaseMetric
from evals.metrics.labels import LabelF1
from evals.metrics.retrieval import RecallAtK
from evals.metrics.scope import ScopeAccuracy
from evals.runner import Runner, average, score_metric
from evals.schema import EvalSet
from evals.subjects import AdvisorSubject, DiagnoserSubject, SearchSubject
from tests.evals.builders import case, diagnosis, result
from tests.evals.test_depth_and_cases import TenHits


class EchoAdvisor:
    """Answers 'out of scope' to messages with 'poem', raises on 'boom', otherwise in scope; records threads."""

    def __init__(self) -> None:
        self.threads: set[int] = set()

    def ask(self, message, history=None):
        self.threads.add(threading.get_ident())
        if "boom" in message:
            raise RuntimeError("index unavailable")
        scope = Scope.OUT_OF_SCOPE if "poem" in message else Scope.IN_SCOPE
        return Answer(answer=message, scope=scope, diagnosis=None, citations=[], backend="echo", notices=[])


def small_set() -> EvalSet:
    cases = [
        {"id": "o", "type": "out_of_scope", "message": "a poem", "rationale": "r"},
        {"id": "b", "type": "in_scope", "message": "boom", "rationale": "r"},
        {"id": "r", "type": "retrieval", "message": "qqq", "relevant_ids": ["r0", "r9"], "style": "manager"},
    ]
    return EvalSet.model_validate({"name": "t", "version": 3, "description": "d", "cases": cases})


def test_runner_keeps_case_order_records_errors_and_retrieval():
    for workers in (1, 3):
        runner = Runner([ScopeAccuracy(), RecallAtK(5)], workers=workers)
        run = runner.run(small_set(), AdvisorSubject(EchoAdvisor(), TenHits(), retrieval_k=10), "none", k=None)
        assert [r.case_id for r in run.results] == ["o", "b", "r"]
        assert run.info.errors == 1 and run.info.set_version == 3 and run.info.workers == workers
        assert run.results[1].error == "RuntimeError: index unavailable" and run.results[1].answer is None
        assert run.results[2].retrieved_ids[:2] == ["r0", "r1"] and len(run.results[2].retrieved_ids) == 10
        assert run.results[0].retrieved_ids == []  # no relevant records, no retrieval
        assert run.metric("scope_accuracy").value == 2 / 3  # the error counts as a miss
        assert run.metric("recall_at_5").value == 0.5  # r0 in the top 5, r9 not


def test_a_subject_that_raises_is_recorded_and_the_run_goes_on():
    def subject(the_case):
        raise ValueError(f"no {the_case.id}")

    runner = Runner([ScopeAccuracy()])
    results = runner.collect(small_set().cases, subject, part="p")
    assert [r.error for r in results] == ["ValueError: no o", "ValueError: no b", "ValueError: no r"]
    assert {r.part for r in results} == {"p"}


def test_the_shipped_sets_run_through_the_runner_shape():
    run = Runner([ScopeAccuracy()]).run(load_set("smoke"), AdvisorSubject(EchoAdvisor()), "none")
    assert run.info.cases == len(load_set("smoke").cases)


class Half(CaseMetric):
    name = "half"
    description = "0.5 for a, None (not applicable) for b, 1.0 otherwise"

    def score(self, case, result):
        return {"a": 0.5, "b": None}.get(case.id, 1.0)


def test_the_runner_averages_per_case_values_over_the_cases_a_metric_applies_to():
    results = [result(case(id=i, type="in_scope", message="m"), None) for i in ("a", "b", "c")]
    score = score_metric(Half(), results)
    assert (score.value, score.n) == (0.75, 2)
    assert [c.passed for c in score.cases] == [False, True]
    assert average(score.cases) == 0.75 and average([]) is None


def test_micro_f1_weighs_each_case_by_its_labels():
    def situation(cid, components):
        return case(id=cid, type="situation", message="m", expected={"components": components})

    results = [
        result(situation("s1", ["data_pipeline", "ai_models"]), None),
        result(situation("s2", ["ai_models"]), None),
    ]
    results[0] = results[0].model_copy(update={"diagnosis": diagnosis(components=["data_pipeline"])})
    results[1] = results[1].model_copy(update={"diagnosis": diagnosis(components=["ai_models"])})
    micro = score_metric(LabelF1("components", "component", micro=True), results)
    macro = score_metric(LabelF1("components", "component"), results)
    # micro: 2 x 2 hits over 3 expected + 2 given = 4/5; macro: mean of 2/3 and 1
    assert micro.name == "component_micro_f1" and micro.value == pytest.approx(4 / 5)
    assert macro.value == pytest.approx((2 / 3 + 1) / 2)
    assert [c.weight for c in micro.cases] == [3, 2]


def test_search_and_diagnoser_subjects_report_what_their_system_produced():
    the_case = case(id="r", type="retrieval", message="qqq", relevant_ids=["r1"], style="quote")
    ranked = SearchSubject(TenHits(), "bm25", k=3)(the_case)
    assert ranked.retrieved_ids == ["r0", "r1", "r2"]
    placed = DiagnoserSubject(lambda c: diagnosis(phase="productionizing"))(the_case)
    assert placed.placed is not None and placed.placed.phase == "productionizing"
