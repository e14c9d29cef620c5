"""The OpenAI-compatible API on a real server over the real Advisor, driven by real OpenAI clients.

The ``openai`` package and LangChain's ``ChatOpenAI`` talk to it exactly as they would to OpenAI;
the offline advisor is deterministic, so a streamed answer must add up to the plain one.
"""

from __future__ import annotations

import json
import re

import httpx
import openai
import pytest
from openai import OpenAI

from .conftest import API_TOKEN

pytestmark = pytest.mark.slow
MODEL = "scaling-advisor"
SITUATION = (
    "We have run three AI pilots in claims handling, but nothing is live yet and every team builds models "
    "its own way. Where do we stand and what should we do next?"
)
ROLES = "Which roles do companies create when they scale AI?"
SOURCE_LINE = re.compile(r'^(\[\d+\]) .+: ".+" \((\S+)\)$')


@pytest.fixture(scope="module")
def client(live_server: str) -> OpenAI:
    return OpenAI(base_url=f"{live_server}/v1", api_key=API_TOKEN, timeout=300, max_retries=0)


def _sources(content: str) -> dict[str, str]:
    """Return marker -> passage id from the plain-text Sources list, checking every line's shape."""
    assert "\n\nSources:\n" in content, content
    listed = {}
    for line in content.rsplit("\n\nSources:\n", 1)[1].splitlines():
        match = SOURCE_LINE.match(line)
        assert match, f"not a Sources line: {line!r}"
        listed[match.group(1)] = match.group(2)
    return listed


def _assert_cited(content: str, advisor: dict) -> None:
    text, _ = content.rsplit("\n\nSources:\n", 1)
    used = set(re.findall(r"\[\d+\]", text))
    assert used, "the answer text carries [n] markers"
    listed = _sources(content)
    assert used <= set(listed)
    assert listed == {c["marker"]: c["passage_id"] for c in advisor["citations"]}
    assert text == advisor["answer"]


def test_the_openai_client_lists_the_advisor_model(client: OpenAI) -> None:
    models = client.models.list()
    assert [m.id for m in models.data] == [MODEL]
    assert models.data[0].object == "model" and models.data[0].owned_by
    assert client.models.retrieve(MODEL).id == MODEL


def test_the_openai_client_gets_a_cited_answer(client: OpenAI) -> None:
    reply = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": SITUATION}])
    assert reply.object == "chat.completion" and reply.model == MODEL
    choice = reply.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    advisor = reply.model_extra["advisor"]
    assert advisor["scope"] == "in_scope" and advisor["diagnosis"] is not None and advisor["backend"] == "offline"
    _assert_cited(choice.message.content, advisor)
    assert reply.usage.completion_tokens == len(choice.message.content.split())
    assert reply.usage.prompt_tokens == len(SITUATION.split())


def test_the_openai_client_streams_the_same_answer_piece_by_piece(client: OpenAI) -> None:
    messages = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": SITUATION}]
    plain = client.chat.completions.create(model=MODEL, messages=messages).choices[0].message.content
    chunks = list(client.chat.completions.create(model=MODEL, messages=messages, stream=True))
    assert chunks[0].choices[0].delta.role == "assistant"
    deltas = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(deltas) > 1, "the answer arrives in more than one delta"
    streamed = "".join(deltas)
    assert streamed == plain
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    _assert_cited(streamed, last.model_extra["advisor"])
    assert len({c.id for c in chunks}) == 1


def test_the_raw_stream_is_openai_sse_ending_in_done(live_server: str) -> None:
    body = {"model": MODEL, "stream": True, "messages": [{"role": "user", "content": ROLES}]}
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    with httpx.stream("POST", f"{live_server}/v1/chat/completions", json=body, headers=headers, timeout=300) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in r.iter_lines() if line]
    assert all(line.startswith("data: ") for line in lines)
    assert lines[-1] == "data: [DONE]"
    chunks = [json.loads(line[6:]) for line in lines[:-1]]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop" and chunks[-1]["choices"][0]["delta"] == {}
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)


def test_langchain_chat_openai_invokes_and_streams(live_server: str) -> None:
    from langchain_openai import ChatOpenAI

    chat = ChatOpenAI(base_url=f"{live_server}/v1", api_key=API_TOKEN, model=MODEL, timeout=300, max_retries=0)
    reply = chat.invoke(SITUATION)
    assert isinstance(reply.content, str)
    assert re.search(r"\[\d+\]", reply.content.rsplit("\n\nSources:\n", 1)[0])
    assert _sources(reply.content)
    pieces = [chunk.content for chunk in chat.stream(SITUATION) if chunk.content]
    assert len(pieces) > 1
    assert "".join(pieces) == reply.content


def test_a_wrong_token_is_401_in_the_openai_error_shape(live_server: str) -> None:
    wrong = OpenAI(base_url=f"{live_server}/v1", api_key="not-the-token", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as caught:
        wrong.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": SITUATION}])
    assert caught.value.status_code == 401
    assert caught.value.body["type"] == "authentication_error" and "bearer token" in caught.value.body["message"]
    raw = httpx.get(f"{live_server}/v1/models", headers={"Authorization": "Bearer nope"})
    assert raw.status_code == 401
    assert set(raw.json()) == {"error"} and set(raw.json()["error"]) == {"message", "type", "param", "code"}


def test_an_empty_message_is_refused_with_a_clear_reason(client: OpenAI) -> None:
    with pytest.raises(openai.UnprocessableEntityError) as caught:
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "  "}])
    assert "last user message is empty" in caught.value.body["message"]
    with pytest.raises(openai.NotFoundError) as unknown:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": ROLES}])
    assert unknown.value.body["code"] == "model_not_found"


def test_history_makes_a_follow_up_read_with_its_context(client: OpenAI) -> None:
    first = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": ROLES}])
    follow_up = "What about for a bank?"
    messages = [
        {"role": "user", "content": ROLES},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": [{"type": "text", "text": follow_up}]},
    ]
    read = client.chat.completions.create(model=MODEL, messages=messages).model_extra["advisor"]
    notices = [n for n in read["notices"] if n.startswith("Read as a follow-up")]
    assert notices and "bank" in notices[0] and "roles" in notices[0].lower()
    alone = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": follow_up}])
    assert not any(n.startswith("Read as a follow-up") for n in alone.model_extra["advisor"]["notices"])


def test_a_client_leaving_mid_stream_does_not_hurt_the_server(live_server: str, client: OpenAI) -> None:
    body = {"model": MODEL, "stream": True, "messages": [{"role": "user", "content": SITUATION}]}
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    with httpx.stream("POST", f"{live_server}/v1/chat/completions", json=body, headers=headers, timeout=300) as r:
        assert next(r.iter_lines()).startswith("data: ")  # leave after the first chunk
    reply = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": ROLES}])
    assert _sources(reply.choices[0].message.content)
