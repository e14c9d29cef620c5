"""The real SmolLM2-135M-Instruct through the ``local`` provider (marker ``llm``; ~1 minute on 2 cores).

The model rarely writes [n] markers by itself, so what these tests prove is the path around it: every
sentence it writes is checked, and the user gets a cited answer either way.
"""

import pytest
from langchain_core.messages import HumanMessage

from advisor.answer.citations import CitationChecker
from advisor.answer.events import FinalEvent, TextEvent
from advisor.llm.local import LocalSmolLM2
from advisor.service import Advisor
from tests.advisor.helpers import assert_citations_valid

pytestmark = pytest.mark.llm

QUESTION = "What does productionizing AI involve for the technical infrastructure?"


@pytest.fixture(scope="module")
def local_advisor(advisor_service) -> Advisor:
    settings = advisor_service.settings.model_copy(update={"llm_provider": "local", "llm_max_tokens": 96})
    return Advisor(settings, retriever=advisor_service.retriever, diagnoser=advisor_service.diagnoser)


def test_model_generates_and_reports_speed():
    reply = LocalSmolLM2(max_new_tokens=24).invoke([HumanMessage("Name one benefit of MLOps.")])
    assert isinstance(reply.content, str) and reply.content.strip()
    assert reply.response_metadata["tokens_per_second"] > 0
    assert 0 < reply.usage_metadata["output_tokens"] <= 24


def test_local_answer_is_checked_or_falls_back(local_advisor, built_index):
    response = local_advisor.respond(QUESTION)
    a, outcome = response.answer, response.outcome
    assert outcome is not None and outcome.raw_output.strip()
    assert a.citations
    assert_citations_valid(a, built_index[1])
    if outcome.accepted:
        assert a.backend.startswith("local")
        report = CitationChecker().check(a.answer, a.citations, allow_notes=False)
        assert report.dropped == 0
    else:
        assert a.backend == "offline"
        assert any("offline answer" in n for n in a.notices)


def test_local_stream_ends_with_a_final_answer(local_advisor, built_index):
    events = list(local_advisor.ask_stream(QUESTION))
    assert isinstance(events[-1], FinalEvent)
    assert any(isinstance(e, TextEvent) for e in events)
    assert_citations_valid(events[-1].answer, built_index[1])
