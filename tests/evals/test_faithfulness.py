import pytest

from advisor.llm.backend import ChatReply, ChatRequest
from evals.metrics.faithfulness import LlmFaithfulness
from evals.runner import score_metric
from tests.evals.builders import RECORDS, answer, case, result

PIPE, HM = "a:passage:pipeline:01", "a:quote:hm:01"
TEXT = "Creating a first data pipeline is highly important [1].\nH&M has around 10 use cases in production [2]."


class ScriptedJudge:
    """A ChatBackend whose replies are given in order, so the arithmetic is exact."""

    name = "scripted"

    def __init__(self, replies: list[str]) -> None:
        self.replies = iter(replies)
        self.requests: list[ChatRequest] = []

    def warm_up(self) -> None:
        pass

    def complete(self, request: ChatRequest, on_text=None) -> ChatReply:
        self.requests.append(request)
        return ChatReply(text=next(self.replies), structured=False, seconds=0.0)


def one_result():
    the_case = case(id="s", type="situation", message="m", expected={"phase": "proving_concept"})
    return result(the_case, answer(TEXT, cited=[(1, PIPE), (2, HM)]))


def test_verdicts_are_read_strictly_and_averaged_per_answer():
    judge = ScriptedJudge(['{"verdict": "YES"}', "Probably yes"])
    score = score_metric(LlmFaithfulness(judge, RECORDS), [one_result()])
    assert (score.value, score.n) == (0.5, 1)  # anything but a leading YES counts as NO
    assert judge.requests[0].json_schema is not None  # the judge is constrained to YES/NO where it can be


@pytest.mark.llm
def test_the_local_model_judges_real_claims(local_backend):
    metric = LlmFaithfulness(local_backend, RECORDS)
    assert metric.verdict("Creating a first data pipeline is highly important.", [RECORDS[PIPE]]) is True
    assert metric.verdict("H&M builds rockets for the moon.", [RECORDS[HM]]) is False
