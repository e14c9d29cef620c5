"""The API's refusals, on a real app (the Advisor is never reached: every request is refused first)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from advisor.settings import Settings
from ui.app import create_app
from ui.limits import ApiLimits

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    data = tmp_path_factory.mktemp("data")
    guarded = Settings(data_dir=data, api_token=TOKEN, max_message_chars=200, llm_provider="none", chroma_url=None)
    app = create_app(guarded, limits=ApiLimits(max_body_bytes=4000, rate_per_minute=600, burst=100))
    return TestClient(app)


def _error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"] == code
    assert body["detail"]
    return body["detail"]


def test_health_and_openapi_need_no_token(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    schema = client.get("/openapi.json").json()
    for path in ("/v1/ask", "/v1/ask/stream", "/v1/diagnose", "/v1/search", "/v1/passages/{passage_id}", "/healthz"):
        assert path in schema["paths"]
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"}])
def test_v1_requires_the_token(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post("/v1/ask", json={"message": "hello"}, headers=headers)
    detail = _error(response, 401, "unauthorized")
    assert "Bearer" in detail and response.headers["www-authenticate"] == "Bearer"
    _error(client.get("/v1/passages/x", headers=headers), 401, "unauthorized")


def test_bad_json_is_400(client: TestClient) -> None:
    response = client.post(
        "/v1/ask", content=b'{"message": "unterminated', headers={**AUTH, "content-type": "application/json"}
    )
    assert "not valid JSON" in _error(response, 400, "bad_request")


@pytest.mark.parametrize("message", ["", "   \n\t "])
def test_empty_message_is_422(client: TestClient, message: str) -> None:
    detail = _error(client.post("/v1/ask", json={"message": message}, headers=AUTH), 422, "invalid_request")
    assert "message" in detail and "empty" in detail


def test_missing_and_unknown_fields_are_422(client: TestClient) -> None:
    assert "message" in _error(client.post("/v1/ask", json={}, headers=AUTH), 422, "invalid_request")
    detail = _error(client.post("/v1/ask", json={"message": "hi", "sudo": True}, headers=AUTH), 422, "invalid_request")
    assert "sudo" in detail
    bad_turn = {"message": "hi", "history": [{"role": "system", "content": "x"}]}
    assert "history" in _error(client.post("/v1/ask", json=bad_turn, headers=AUTH), 422, "invalid_request")


def test_oversized_body_is_413_before_parsing(client: TestClient) -> None:
    body = json.dumps({"message": "x" * 5000})
    response = client.post("/v1/ask", content=body, headers={**AUTH, "content-type": "application/json"})
    assert "4000 bytes" in _error(response, 413, "body_too_large")


def test_message_over_the_character_limit_is_413(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"message": "y" * 300}, headers=AUTH)
    assert "limit is 200" in _error(response, 413, "too_large")
    response = client.post("/v1/ask/stream", json={"message": "y" * 300}, headers=AUTH)
    _error(response, 413, "too_large")


def test_diagnose_and_search_validate_input(client: TestClient) -> None:
    _error(client.post("/v1/diagnose", json={"message": " "}, headers=AUTH), 422, "invalid_request")
    _error(client.get("/v1/search", params={"q": ""}, headers=AUTH), 422, "invalid_request")
    _error(client.get("/v1/search", params={"q": "x", "k": 0}, headers=AUTH), 422, "invalid_request")
    _error(client.get("/v1/search", params={"q": "x", "kind": "poem"}, headers=AUTH), 422, "invalid_request")


def test_rate_limit_answers_429_with_retry_after(settings: Settings) -> None:
    client = TestClient(create_app(settings, limits=ApiLimits(rate_per_minute=60, burst=3)))
    codes = [client.post("/v1/ask", json={"message": ""}).status_code for _ in range(3)]
    assert codes == [422, 422, 422]
    response = client.post("/v1/ask", json={"message": ""})
    assert "retry in" in _error(response, 429, "rate_limited")
    assert int(response.headers["retry-after"]) >= 1
    assert client.get("/healthz").status_code == 200  # health checks are never limited


def test_no_token_configured_means_open_api(settings: Settings) -> None:
    client = TestClient(create_app(settings))
    _error(client.post("/v1/ask", json={"message": ""}), 422, "invalid_request")


def test_serve_refuses_an_invalid_api_limit_with_one_line(tmp_path) -> None:
    from click.testing import CliRunner

    from advisor.cli.main import cli

    env = {"ADVISOR_API_RATE_PER_MINUTE": "abc", "ADVISOR_DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(cli, ["serve", "--port", "1"], env=env)
    assert result.exit_code == 2
    assert "invalid ADVISOR_API_* setting" in result.output and "rate_per_minute" in result.output
    assert not (tmp_path / "index").exists()  # refused before any index work
