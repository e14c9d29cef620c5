import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from evals.metrics.faithfulness import LlmFaithfulness
from tests.evals.builders import RECORDS, answer, case, result

PIPE, HM = "a:passage:pipeline:01", "a:quote:hm:01"
TEXT = "Creating a first data pipeline is highly important [1].\nH&M has around 10 use cases in production [2]."


def one_result():
    the_case = case(id="s", type="situation", message="m", expected={"phase": "proving_concept"})
    return result(the_case, answer(TEXT, cited=[(1, PIPE), (2, HM)]))


def test_verdicts_are_read_strictly_and_averaged_per_answer():
    # LangChain's scripted chat model stands in for the judge so the arithmetic is exact: YES, then a hedge.
    judge = GenericFakeChatModel(messages=iter([AIMessage("YES."), AIMessage("Probably yes")]))
    score = LlmFaithfulness(judge, RECORDS).score([one_result()])
    assert (score.value, score.n) == (0.5, 1)  # anything but a leading YES counts as NO


@pytest.mark.llm
def test_the_local_model_judges_real_claims():
    from advisor.llm.local import LocalSmolLM2

    judge = LocalSmolLM2(max_new_tokens=3)
    metric = LlmFaithfulness(judge, RECORDS)
    assert isinstance(metric.verdict("Creating a first data pipeline is highly important.", [RECORDS[PIPE]]), bool)
    score = metric.score([one_result()])
    assert score.n == 1 and score.value in (0.0, 0.5, 1.0)
