"""The OpenAI-compatible routes' request reading and response shapes, over a scripted advisor (fast).

The real server, the real Advisor and the real ``openai`` / LangChain clients are in test_openai_api.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from advisor.answer.events import CitationsEvent, FinalEvent, ResetEvent, TextEvent
from advisor.schema import Answer, ChatTurn
from advisor.settings import Settings
from tests.ui.samples import situation_answer
from ui.app import create_app
from ui.limits import ApiLimits
from ui.openai_api import REPLACES, content_pieces, format_source, message_content, own_answer_text
from ui.services import Services

TOKEN = "openai-shape-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
URL = "/v1/chat/completions"


class ScriptedAdvisor:
    """Answers every question with the sample answer; remembers what it was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[ChatTurn]]] = []
        self.answer = situation_answer()

    def ask(self, message: str, history: list[ChatTurn] | None = None, filters: object = None) -> Answer:
        self.calls.append((message, list(history or [])))
        return self.answer

    def ask_stream(self, message: str, history: list[ChatTurn] | None = None, filters: object = None) -> Iterator:
        self.calls.append((message, list(history or [])))
        for line in self.answer.answer.splitlines(keepends=True):
            yield TextEvent(text=line)
        yield CitationsEvent(citations=self.answer.citations)
        yield FinalEvent(answer=self.answer)


@pytest.fixture(scope="module")
def scripted() -> ScriptedAdvisor:
    return ScriptedAdvisor()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, scripted: ScriptedAdvisor) -> TestClient:
    data = tmp_path_factory.mktemp("data")
    settings = Settings(data_dir=data, api_token=TOKEN, max_message_chars=300, llm_provider="none", chroma_url=None)
    limits = ApiLimits(max_body_bytes=4000, rate_per_minute=600, burst=200, max_history_turns=4)
    return TestClient(create_app(settings, Services(settings, advisor=scripted), limits))


def _ask(content: object, **extra: object) -> dict:
    return {"model": "scaling-advisor", "messages": [{"role": "user", "content": content}], **extra}


def _error(response, status: int, param: str | None = None) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["message"] and error["type"]
    if param is not None:
        assert error["param"] == param
    return error


def test_models_lists_the_advisor(client: TestClient) -> None:
    listed = client.get("/v1/models", headers=AUTH).json()
    assert listed["object"] == "list"
    assert [(m["id"], m["object"], m["owned_by"]) for m in listed["data"]] == [
        ("scaling-advisor", "model", "scaling-advisor")
    ]
    assert isinstance(listed["data"][0]["created"], int)
    assert client.get("/v1/models/scaling-advisor", headers=AUTH).json()["id"] == "scaling-advisor"
    assert _error(client.get("/v1/models/gpt-4o", headers=AUTH), 404)["code"] == "model_not_found"
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/models", "/v1/models/{model_id}", "/v1/chat/completions"} <= set(paths)


def test_a_plain_completion_carries_the_sources_and_the_answer(client: TestClient, scripted: ScriptedAdvisor) -> None:
    response = client.post(URL, json=_ask("Where do we stand?"), headers=AUTH)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["object"] == "chat.completion" and body["id"].startswith("chatcmpl-")
    assert body["model"] == "scaling-advisor"
    (choice,) = body["choices"]
    assert choice["finish_reason"] == "stop" and choice["message"]["role"] == "assistant"
    content = choice["message"]["content"]
    answer = scripted.answer
    assert content.startswith(answer.answer)
    sources = content[len(answer.answer) :]
    assert sources.startswith("\n\nSources:\n[1] Implementing and scaling AI in organizations — 5.1 Proving")
    assert '[2] Aligning ML-based capabilities — Findings — Head of Data, RetailCo: "We had to sit' in sources
    assert sources.rstrip().endswith("(playbook.step.2)")
    assert body["advisor"] == answer.model_dump(mode="json")
    assert body["usage"] == {
        "prompt_tokens": 4,
        "completion_tokens": len(content.split()),
        "total_tokens": 4 + len(content.split()),
    }


def test_a_source_line_names_the_innermost_section_and_quotes_the_first_words() -> None:
    citation = (
        situation_answer()
        .citations[1]
        .model_copy(update={"section": "4. Findings > 4.1 Beyond MLOps", "text": " ".join(f"w{i}" for i in range(30))})
    )
    line = format_source(citation)
    assert line == (
        "[2] Aligning ML-based capabilities — 4.1 Beyond MLOps — Head of Data, RetailCo: "
        '"w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11…" (mlbc.quote.7)'
    )


def test_the_last_user_message_is_the_question_and_earlier_turns_its_history(
    client: TestClient, scripted: ScriptedAdvisor
) -> None:
    earlier = message_content(scripted.answer)
    messages = [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "Which roles do companies create?"},
        {"role": "assistant", "content": earlier},
        {"role": "developer", "content": [{"type": "text", "text": "Be brief."}]},
        {"role": "user", "content": [{"type": "text", "text": "What about"}, {"type": "text", "text": "for a bank?"}]},
    ]
    response = client.post(URL, json={"model": "scaling-advisor", "messages": messages, "temperature": 0}, headers=AUTH)
    assert response.status_code == 200, response.text
    question, history = scripted.calls[-1]
    assert question == "What about\nfor a bank?"
    assert history == [
        ChatTurn(role="user", content="Which roles do companies create?"),
        ChatTurn(role="assistant", content=scripted.answer.answer),  # our Sources list is not fed back
    ]


def _chunks(response) -> list[dict | str]:
    lines = [line for line in response.iter_lines() if line]
    assert all(line.startswith("data: ") for line in lines), lines
    return [line[6:] if line == "data: [DONE]" else json.loads(line[6:]) for line in lines]


def test_a_streamed_completion_follows_the_openai_chunk_format(client: TestClient, scripted: ScriptedAdvisor) -> None:
    with client.stream("POST", URL, json=_ask("Where do we stand?", stream=True), headers=AUTH) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        chunks = _chunks(response)
    assert chunks[-1] == "[DONE]"
    events = chunks[:-1]
    assert len({c["id"] for c in events}) == 1 and all(c["object"] == "chat.completion.chunk" for c in events)
    assert events[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    deltas = [c["choices"][0]["delta"].get("content", "") for c in events[1:-1]]
    assert len(deltas) > 3
    assert "".join(deltas) == message_content(scripted.answer)
    assert all(c["choices"][0]["finish_reason"] is None for c in events[:-1])
    last = events[-1]
    assert last["choices"][0] == {"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}
    assert last["advisor"] == scripted.answer.model_dump(mode="json")
    assert "usage" not in last


def test_stream_usage_comes_last_when_asked(client: TestClient) -> None:
    body = _ask("Where do we stand?", stream=True, stream_options={"include_usage": True})
    with client.stream("POST", URL, json=body, headers=AUTH) as response:
        chunks = _chunks(response)
    usage_chunk = chunks[-2]
    assert usage_chunk["choices"] == [] and usage_chunk["usage"]["completion_tokens"] > 10
    assert all(c["usage"] is None for c in chunks[:-2])


def test_a_reset_is_shown_as_a_note_before_the_offline_answer() -> None:
    answer = situation_answer()
    events = [TextEvent(text="A draft sentence. [1] "), ResetEvent(reason="too few sentences were supported.")]
    events += [TextEvent(text=line) for line in answer.answer.splitlines(keepends=True)]
    pieces = list(content_pieces([*events, FinalEvent(answer=answer)]))
    assert pieces[-1] == answer
    text = "".join(pieces[:-1])
    assert text.startswith("A draft sentence. [1] \n\n---\n(The language model's draft above did not pass")
    assert "too few sentences were supported. The offline answer follows and replaces it.)" in text
    assert text.endswith(message_content(answer))
    assert own_answer_text(text) == answer.answer  # fed back as history, only the final answer remains


def test_a_final_text_the_check_revised_is_sent_after_a_note() -> None:
    answer = situation_answer().model_copy(update={"answer": "Keep this. [1]"})
    streamed = [TextEvent(text="Keep this. [1] "), TextEvent(text="Dropped claim. [2] ")]
    pieces = list(content_pieces([*streamed, FinalEvent(answer=answer)]))
    text = "".join(pieces[:-1])
    assert "The citation check revised the text above" in text and REPLACES in text
    assert text.endswith(message_content(answer))
    continued = list(content_pieces([TextEvent(text="Keep "), FinalEvent(answer=answer)]))
    assert "".join(continued[:-1]) == message_content(answer)  # a continuation is appended, no note
    with pytest.raises(RuntimeError, match="without its final answer"):
        list(content_pieces([TextEvent(text="cut off")]))


@pytest.mark.parametrize(
    ("body", "status", "param", "code"),
    [
        ({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}, 404, "model", "model_not_found"),
        (_ask("   \n"), 422, "messages.0.content", "empty_message"),
        (_ask([{"type": "text", "text": " "}]), 422, "messages.0.content", "empty_message"),
        (_ask([{"type": "image_url", "image_url": {"url": "x"}}]), 422, "messages.0.content", "unsupported_content"),
        ({"model": "scaling-advisor", "messages": [{"role": "system", "content": "x"}]}, 422, "messages", None),
        ({"model": "scaling-advisor", "messages": []}, 422, "messages", "invalid_request"),
        ({"messages": [{"role": "user", "content": "hi"}]}, 422, "model", "invalid_request"),
        (_ask("hi", n=2), 422, "n", "invalid_request"),
        (_ask("y" * 400), 413, "messages", "message_too_long"),
    ],
)
def test_refusals_come_in_the_openai_error_shape(client: TestClient, body: dict, status: int, param, code) -> None:
    error = _error(client.post(URL, json=body, headers=AUTH), status, param)
    assert error["type"] == "invalid_request_error"
    if code:
        assert error["code"] == code


def test_conversation_order_and_length_are_checked(client: TestClient) -> None:
    ends_with_answer = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
    error = _error(client.post(URL, json={"model": "scaling-advisor", "messages": ends_with_answer}, headers=AUTH), 422)
    assert error["code"] == "last_message_not_user" and "user's question" in error["message"]
    long_talk = [{"role": r, "content": "x"} for r in ("user", "assistant") * 3] + [{"role": "user", "content": "y"}]
    error = _error(client.post(URL, json={"model": "scaling-advisor", "messages": long_talk}, headers=AUTH), 422)
    assert error["code"] == "history_too_long" and "at most 4" in error["message"]


def test_the_shared_guards_answer_in_the_openai_shape_too(client: TestClient) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        error = _error(client.post(URL, json=_ask("hi"), headers=headers), 401)
        assert error == {
            "message": "Missing or wrong bearer token: send 'Authorization: Bearer <ADVISOR_API_TOKEN>'.",
            "type": "authentication_error",
            "param": None,
            "code": "invalid_api_key",
        }
    assert _error(client.get("/v1/models"), 401)["code"] == "invalid_api_key"
    bad_json = client.post(URL, content=b'{"model": ', headers={**AUTH, "content-type": "application/json"})
    assert "not valid JSON" in _error(bad_json, 400)["message"]
    big = client.post(URL, json=_ask("z" * 5000), headers=AUTH)
    assert "4000 bytes" in _error(big, 413)["message"]
    assert _error(client.get(URL, headers=AUTH), 404)["code"] == "not_found"  # GET on the POST route
    native = client.post("/v1/ask", json={"message": ""}, headers=AUTH)  # the native API keeps its own shape
    assert native.status_code == 422 and native.json()["error"] == "invalid_request"


def test_rate_limit_is_429_in_the_openai_shape(settings: Settings) -> None:
    client = TestClient(create_app(settings, limits=ApiLimits(rate_per_minute=60, burst=2)))
    assert [client.get("/v1/models").status_code for _ in range(2)] == [200, 200]
    response = client.post(URL, json=_ask("hi"))
    error = _error(response, 429)
    assert error["type"] == "rate_limit_error" and error["code"] == "rate_limit_exceeded"
    assert int(response.headers["retry-after"]) >= 1
