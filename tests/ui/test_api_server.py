"""The HTTP API against a running server and the real Advisor over the real corpus index."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from .conftest import API_TOKEN

pytestmark = pytest.mark.slow
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
SITUATION = (
    "We have run three AI pilots in claims handling, but nothing is live yet and every team builds models "
    "its own way. Where do we stand and what should we do next?"
)


@pytest.fixture(scope="module")
def http(live_server: str) -> httpx.Client:
    with httpx.Client(base_url=live_server, timeout=300) as client:
        yield client


def test_ask_returns_a_cited_answer_whose_passages_resolve(http: httpx.Client) -> None:
    response = http.post("/v1/ask", json={"message": SITUATION}, headers=AUTH)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == {"answer", "scope", "diagnosis", "citations", "backend", "notices"}
    assert answer["scope"] == "in_scope" and answer["diagnosis"] is not None
    assert answer["citations"], "a situation answer cites its sources"
    markers = set(re.findall(r"\[\d+\]", answer["answer"]))
    assert markers <= {c["marker"] for c in answer["citations"]}
    for citation in answer["citations"]:
        record = http.get(f"/v1/passages/{citation['passage_id']}", headers=AUTH)
        assert record.status_code == 200, record.text
        assert record.json()["id"] == citation["passage_id"]
        assert record.json()["text"] == citation["text"]


def test_unknown_passage_is_404_json(http: httpx.Client) -> None:
    response = http.get("/v1/passages/no.such.record", headers=AUTH)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found" and "no.such.record" in response.json()["detail"]


def test_token_is_required_on_the_real_server(http: httpx.Client) -> None:
    assert http.post("/v1/ask", json={"message": SITUATION}).status_code == 401
    assert http.get("/v1/search", params={"q": "data"}, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert http.get("/healthz").status_code == 200


def test_bad_requests_on_the_real_server(http: httpx.Client) -> None:
    empty = http.post("/v1/ask", json={"message": "  "}, headers=AUTH)
    assert empty.status_code == 422 and "empty" in empty.json()["detail"]
    bad = http.post("/v1/ask", content=b"{nope", headers={**AUTH, "content-type": "application/json"})
    assert bad.status_code == 400 and bad.json()["error"] == "bad_request"
    big = http.post("/v1/ask", content=b'{"message": "' + b"x" * 2_000_000 + b'"}', headers=AUTH)
    assert big.status_code == 413 and big.json()["error"] == "body_too_large"


def _events(response: httpx.Response) -> list[tuple[str, dict]]:
    events, name = [], None
    for line in response.iter_lines():
        if line.startswith("event:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("data:") and name:
            events.append((name, json.loads(line.split(":", 1)[1])))
    return events


def test_stream_sends_text_then_the_final_answer(http: httpx.Client) -> None:
    with http.stream("POST", "/v1/ask/stream", json={"message": SITUATION}, headers=AUTH) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = _events(response)
    names = [name for name, _ in events]
    assert names[0] == "text" and names[-1] == "final"
    final = events[-1][1]["answer"]
    streamed = "".join(data["text"] for name, data in events if name == "text")
    assert streamed == final["answer"]
    assert final["citations"]


def test_server_survives_a_client_leaving_mid_stream(http: httpx.Client, live_server: str) -> None:
    with (
        httpx.Client(base_url=live_server, timeout=300) as other,
        other.stream("POST", "/v1/ask/stream", json={"message": SITUATION}, headers=AUTH) as response,
    ):
        next(response.iter_lines())  # leave after the first event: the connection closes mid-stream
    assert http.get("/healthz").json()["status"] == "ok"
    again = http.post("/v1/ask", json={"message": "What is a data pipeline for AI?"}, headers=AUTH)
    assert again.status_code == 200


def test_diagnose_and_search(http: httpx.Client) -> None:
    diagnosis = http.post("/v1/diagnose", json={"message": SITUATION}, headers=AUTH)
    assert diagnosis.status_code == 200, diagnosis.text
    assert "component_phases" in diagnosis.json() and diagnosis.json()["rules_fired"]
    placed = http.post("/v1/diagnose", json={"questionnaire": {"live_models": "none"}}, headers=AUTH)
    assert placed.status_code == 200 and placed.json()["phase"] == "proving_concept"
    wrong = http.post("/v1/diagnose", json={"questionnaire": {"live_models": "lots"}}, headers=AUTH)
    assert wrong.status_code == 422 and "lots" in wrong.json()["detail"]
    found = http.get("/v1/search", params={"q": "who owns the model", "kind": "quote", "k": 3}, headers=AUTH)
    assert found.status_code == 200
    hits = found.json()["hits"]
    assert 1 <= len(hits) <= 3 and all(hit["kind"] == "quote" for hit in hits)
