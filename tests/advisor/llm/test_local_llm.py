"""The bundled Qwen2.5-Coder-1.5B-Instruct through the ``local`` provider (marker ``llm``; minutes on 2 cores).

The real model writes in the JSON schema, the citation check holds it, and the user gets a cited answer
either way: written by the model when enough of it is supported, or the offline answer with the reason.
"""

import pytest

from advisor.answer.events import FinalEvent, TextEvent
from advisor.llm.backend import ChatMessage, ChatRequest
from advisor.service import Advisor
from tests.advisor.helpers import assert_citations_valid

pytestmark = pytest.mark.llm

QUESTION = "What does the technical infrastructure look like when firms productionize AI?"


@pytest.fixture(scope="module")
def local_advisor(advisor_service, model_data_dir, local_backend) -> Advisor:
    settings = advisor_service.settings.model_copy(update={"llm_provider": "local", "llm_max_tokens": 300})
    parts = advisor_service.parts
    return Advisor(settings, retriever=parts.retriever, diagnoser=parts.diagnoser, backend=local_backend)


def test_model_follows_the_schema(local_backend):
    schema = {
        "type": "object",
        "properties": {"answer": {"type": "string", "enum": ["yes", "no"]}},
        "required": ["answer"],
    }
    request = ChatRequest(
        messages=[ChatMessage(role="user", content="Is Paris in France? Answer in JSON.")],
        json_schema=schema,
        max_tokens=12,
    )
    reply = local_backend.complete(request)
    assert reply.text.replace(" ", "") in ('{"answer":"yes"}', '{"answer":"no"}')
    assert reply.structured and reply.seconds > 0


def test_local_answer_is_written_by_the_model_and_checked(local_advisor, built_index):
    response = local_advisor.respond(QUESTION)
    a, outcome = response.answer, response.outcome
    assert outcome is not None and outcome.raw_output.strip().startswith("{")
    assert a.citations
    assert_citations_valid(a, built_index[1])
    if outcome.kind == "accepted":
        assert a.backend == "local:Qwen2.5-Coder-1.5B-Instruct"
    else:
        assert a.backend == "offline" and any("offline answer" in n for n in a.notices)


def test_local_stream_sends_checked_sentences_then_the_final_answer(local_advisor, built_index):
    events = list(local_advisor.ask_stream(QUESTION))
    assert isinstance(events[-1], FinalEvent)
    assert any(isinstance(e, TextEvent) for e in events)
    assert_citations_valid(events[-1].answer, built_index[1])
