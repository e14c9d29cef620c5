import threading

from advisor.schema import Answer, Scope
from evals.loader import load_set
from evals.metrics.retrieval import RecallAtK
from evals.metrics.scope import ScopeAccuracy
from evals.runner import EvalRunner
from evals.schema import EvalSet
from tests.evals.test_depth_and_adapters import TenHits


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
        {"id": "r", "type": "retrieval", "message": "q", "relevant_ids": ["r0", "r9"], "rationale": "r"},
    ]
    return EvalSet.model_validate({"name": "t", "version": 3, "description": "d", "cases": cases})


def test_runner_keeps_case_order_records_errors_and_retrieval():
    for workers in (1, 3):
        runner = EvalRunner(
            EchoAdvisor(),
            [ScopeAccuracy(), RecallAtK(5)],
            retriever=TenHits(),
            retrieval_k=10,
            progress=False,
            workers=workers,
        )
        run = runner.run(small_set(), "none", k=None)
        assert [r.case_id for r in run.results] == ["o", "b", "r"]
        assert run.info.errors == 1 and run.info.set_version == 3 and run.info.workers == workers
        assert run.results[1].error == "RuntimeError: index unavailable" and run.results[1].answer is None
        assert run.results[2].retrieved_ids[:2] == ["r0", "r1"] and len(run.results[2].retrieved_ids) == 10
        assert run.results[0].retrieved_ids == []  # no relevant records, no retrieval
        assert run.metric("scope_accuracy").value == 2 / 3  # the error counts as a miss
        assert run.metric("recall_at_5").value == 0.5  # r0 in the top 5, r9 not


def test_the_shipped_sets_run_through_the_runner_shape():
    run = EvalRunner(EchoAdvisor(), [ScopeAccuracy()], progress=False).run(load_set("smoke"), "none")
    assert run.info.cases == len(load_set("smoke").cases)
