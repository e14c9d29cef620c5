"""The OpenAI-compatible backend against a real local HTTP server: good, bad, down, slow, 429, garbage."""

import time

import pytest

from advisor.answer.events import FinalEvent, ResetEvent, TextEvent
from advisor.schema import Scope
from advisor.service import Advisor
from tests.advisor.helpers import assert_citations_valid
from tests.advisor.openai_server import OpenAIServer, closed_port

QUESTION = "What does productionizing AI involve for the technical infrastructure?"


@pytest.fixture(scope="module")
def server():
    with OpenAIServer() as s:
        yield s


def _advisor(advisor_service, base_url: str, monkeypatch, timeout: float = 3.0) -> Advisor:
    monkeypatch.setenv("TEST_LLM_KEY", "sk-test")
    settings = advisor_service.settings.model_copy(
        update={
            "llm_provider": "openai",
            "llm_base_url": base_url,
            "llm_model": "test-model",
            "llm_api_key_env": "TEST_LLM_KEY",
            "llm_timeout_s": timeout,
        }
    )
    return Advisor(settings, retriever=advisor_service.parts.retriever, diagnoser=advisor_service.parts.diagnoser)


def test_good_answer_is_used_with_valid_markers(server, advisor_service, built_index, monkeypatch):
    server.mode = "good"
    a = _advisor(advisor_service, server.base_url, monkeypatch).ask(QUESTION)
    assert a.backend == "openai:test-model", a.notices
    assert a.scope is Scope.IN_SCOPE and len(a.citations) >= 2
    assert_citations_valid(a, built_index[1])
    prompt = server.requests[-1]["messages"][1]["content"]
    assert "[1] (" in prompt and "Question: " + QUESTION in prompt


def test_invalid_markers_and_invented_figures_are_repaired_or_dropped(
    server, advisor_service, built_index, monkeypatch
):
    server.mode = "invalid_markers"
    a = _advisor(advisor_service, server.base_url, monkeypatch).ask(QUESTION)
    assert "[9]" not in a.answer and "X999" not in a.answer
    assert "2 million" not in a.answer
    assert all(c.passage_id != "X999" for c in a.citations)
    assert_citations_valid(a, built_index[1])
    if a.backend.startswith("openai"):
        assert any("removed" in n for n in a.notices)
    else:
        assert any("offline answer" in n for n in a.notices)


def test_ungrounded_answer_falls_back_with_notice(server, advisor_service, built_index, monkeypatch):
    server.mode = "ungrounded"
    a = _advisor(advisor_service, server.base_url, monkeypatch).ask(QUESTION)
    assert a.backend == "offline"
    assert any("offline answer" in n and "supported" in n for n in a.notices)
    assert "GPUs" not in a.answer
    assert_citations_valid(a, built_index[1])


@pytest.mark.parametrize(
    ("mode", "words"),
    [("rate_limited", "429"), ("garbage", "not valid"), ("slow", "in time")],
)
def test_endpoint_failures_fall_back_to_offline(server, advisor_service, built_index, monkeypatch, mode, words):
    server.mode = mode
    server.delay_s = 4.0
    advisor = _advisor(advisor_service, server.base_url, monkeypatch, timeout=1.0)
    started = time.perf_counter()
    a = advisor.ask(QUESTION)
    assert time.perf_counter() - started < 30
    assert a.backend == "offline" and a.citations
    assert any(words in n for n in a.notices), a.notices
    assert_citations_valid(a, built_index[1])


def test_outage_closed_port(advisor_service, built_index, monkeypatch):
    advisor = _advisor(advisor_service, f"http://127.0.0.1:{closed_port()}/v1", monkeypatch)
    a = advisor.ask(QUESTION)
    assert a.backend == "offline" and a.citations
    assert any("cannot be reached" in n for n in a.notices), a.notices


def test_missing_api_key_is_a_notice_not_a_crash(advisor_service, monkeypatch, server):
    advisor = _advisor(advisor_service, server.base_url, monkeypatch)
    monkeypatch.delenv("TEST_LLM_KEY")
    a = advisor.ask(QUESTION)
    assert a.backend == "offline"
    assert any("TEST_LLM_KEY" in n for n in a.notices)


def test_stream_yields_text_first_then_final(server, advisor_service, monkeypatch):
    server.mode = "good"
    advisor = _advisor(advisor_service, server.base_url, monkeypatch)
    events = list(advisor.ask_stream(QUESTION))
    assert isinstance(events[0], TextEvent | type(events[0])) and any(isinstance(e, TextEvent) for e in events)
    first_text = next(i for i, e in enumerate(events) if isinstance(e, TextEvent))
    assert all(not isinstance(e, FinalEvent) for e in events[:first_text])
    final = events[-1]
    assert isinstance(final, FinalEvent) and final.answer.backend == "openai:test-model"
    streamed = "".join(e.text for e in events if isinstance(e, TextEvent))
    for c in final.answer.citations:
        assert c.marker in streamed


def test_stream_fallback_resets_and_replays_offline(server, advisor_service, monkeypatch):
    server.mode = "ungrounded"
    advisor = _advisor(advisor_service, server.base_url, monkeypatch)
    events = list(advisor.ask_stream(QUESTION))
    final = events[-1]
    assert isinstance(final, FinalEvent) and final.answer.backend == "offline"
    after_reset = events[next((i for i, e in enumerate(events) if isinstance(e, ResetEvent)), -1) + 1 :]
    replayed = "".join(e.text for e in after_reset if isinstance(e, TextEvent))
    assert replayed.strip() == final.answer.answer.strip()


def test_an_endpoint_without_structured_output_is_asked_in_free_text_once(server, advisor_service, monkeypatch):
    server.mode = "no_schema"
    server.requests.clear()
    a = _advisor(advisor_service, server.base_url, monkeypatch).ask(QUESTION)
    assert a.backend == "openai:test-model", a.notices
    first, retry = server.requests[0], server.requests[1]
    assert "response_format" in first and "response_format" not in retry
    assert "End every sentence with the marker" in retry["messages"][-1]["content"]


def test_structured_output_is_asked_for_and_read(server, advisor_service, monkeypatch):
    server.mode = "good"
    server.requests.clear()
    _advisor(advisor_service, server.base_url, monkeypatch).ask(QUESTION)
    schema = server.requests[0]["response_format"]["json_schema"]["schema"]
    enum = schema["properties"]["sentences"]["items"]["properties"]["passages"]["items"]["enum"]
    assert enum == list(range(1, len(enum) + 1)) and len(enum) >= 2
