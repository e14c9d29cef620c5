"""The LLM endpoint down, slow, rate-limited, failing or talking garbage: the user still gets the offline answer.

Every case runs the real Advisor over the real index against a real HTTP server on loopback that
speaks the OpenAI protocol (``fake_llm.py``); the ``faithful`` mode proves the path can succeed, so
a fallback is a decision, not an accident.
"""

from __future__ import annotations

import re
import socket

import pytest

from advisor.answer.prompts import load_prompts
from advisor.schema import Answer
from advisor.service import Advisor

from .fake_llm import FakeLLM, fake_llm_server

SITUATION = (
    "We have run three AI pilots in claims handling, but nothing is live yet and every team builds "
    "models its own way. What should we do next?"
)
KEY_ENV = "RELIABILITY_FAKE_LLM_KEY"


def _advisor(shared: Advisor, base_url: str, timeout_s: float = 2.0) -> Advisor:
    settings = shared.settings.model_copy(
        update={
            "llm_provider": "openai",
            "llm_model": "fake",
            "llm_base_url": base_url,
            "llm_api_key_env": KEY_ENV,
            "llm_timeout_s": timeout_s,
        }
    )
    parts = shared.parts
    advisor = Advisor(settings, retriever=parts.retriever, diagnoser=parts.diagnoser, embedder=parts.embedder)
    for part in ("scope", "checker", "composer"):  # share the loaded parts instead of building them again
        advisor.parts.__dict__[part] = getattr(parts, part)
    return advisor


def assert_valid_offline(answer: Answer, reason: str) -> None:
    assert answer.backend == "offline"
    assert any("offline answer" in n and reason in n for n in answer.notices), answer.notices
    assert answer.citations, "the offline answer keeps its citations"
    markers = set(re.findall(r"\[\d+\]", answer.answer))
    assert markers and markers <= {c.marker for c in answer.citations}


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "sk-test-not-a-real-key")


def test_a_well_behaved_endpoint_is_used(advisor_service: Advisor) -> None:
    fake = FakeLLM("faithful")
    with fake_llm_server(fake) as url:
        answer = _advisor(advisor_service, url).ask(SITUATION)
    assert fake.requests, "the endpoint was called"
    assert answer.backend == "openai:fake", answer.notices
    markers = set(re.findall(r"\[\d+\]", answer.answer))
    assert markers and markers <= {c.marker for c in answer.citations}


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("slow", "did not answer in time"),
        ("rate_limited", "rate-limiting"),
        ("server_error", "the language model"),
        ("garbage", "not valid"),
        ("empty_choices", "the language model"),
    ],
)
def test_misbehaving_endpoint_falls_back_with_a_notice(advisor_service: Advisor, mode: str, reason: str) -> None:
    fake = FakeLLM(mode, delay_s=15)
    with fake_llm_server(fake) as url:
        answer = _advisor(advisor_service, url, timeout_s=1.5).ask(SITUATION)
    assert len(fake.requests) == 1, "no retries hammer a failing endpoint"
    assert_valid_offline(answer, reason)


def test_an_endpoint_that_is_down_falls_back(advisor_service: Advisor) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and has no listener now
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    answer = _advisor(advisor_service, f"http://127.0.0.1:{port}/v1").ask(SITUATION)
    assert_valid_offline(answer, "cannot be reached")


@pytest.mark.parametrize("mode", ["rate_limited", "slow", "garbage"])
def test_streaming_falls_back_too(advisor_service: Advisor, mode: str) -> None:
    fake = FakeLLM(mode, delay_s=15)
    with fake_llm_server(fake) as url:
        events = list(_advisor(advisor_service, url, timeout_s=1.5).ask_stream(SITUATION))
    final = events[-1]
    assert type(final).__name__ == "FinalEvent"
    assert_valid_offline(final.answer, "")
    streamed = "".join(getattr(e, "text", "") for e in events if type(e).__name__ == "TextEvent")
    assert streamed.strip() == final.answer.answer.strip()


@pytest.mark.parametrize("streaming", [False, True])
def test_a_hostile_model_cannot_dump_the_prompt_or_invent_citations(advisor_service: Advisor, streaming: bool) -> None:
    fake = FakeLLM("hostile")
    system = load_prompts().system
    with fake_llm_server(fake) as url:
        advisor = _advisor(advisor_service, url)
        if streaming:
            events = list(advisor.ask_stream(SITUATION))
            answer = events[-1].answer
            shown = "".join(getattr(e, "text", "") for e in events)
        else:
            answer = advisor.ask(SITUATION)
            shown = answer.answer
    for text in (answer.answer, shown):
        assert system[:60] not in text
        assert "SYSTEM PROMPT" not in text
        assert "[99]" not in text and "[42]" not in text
        assert "isa4:fake" not in text
        assert "<script>" not in text
    ids = {c.passage_id for c in answer.citations}
    for pid in ids:
        advisor_service.parts.retriever.get_record(pid)  # every cited id is a real record
    markers = set(re.findall(r"\[\d+\]", answer.answer))
    assert markers <= {c.marker for c in answer.citations}
    assert answer.diagnosis == advisor_service.ask(SITUATION).diagnosis  # the model cannot force a diagnosis
