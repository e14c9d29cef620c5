"""Any OpenAI-compatible chat endpoint (OpenAI, vLLM, llama.cpp server, Ollama's ``/v1``) over HTTP.

The reply is streamed (server-sent events) so checked sentences reach the user while the model writes.
Structured output is asked for with ``response_format: json_schema``; an endpoint that refuses it (HTTP
400/422 naming the field) is asked again in free text once, and thereafter for the life of the backend:
the composer then reads ``[n]`` markers instead. No retries: a slow or failing endpoint must fall back to
the offline answer quickly, not be hammered.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from advisor.llm.backend import (
    ChatReply,
    ChatRequest,
    GenerationCancelledError,
    LLMBadResponseError,
    LLMError,
    LLMRateLimitedError,
    LLMTimeoutError,
    LLMUnreachableError,
    OnText,
)

_SCHEMA_REFUSED = ("response_format", "json_schema", "structured", "grammar")


class OpenAICompatibleBackend:
    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None,
        timeout_s: float,
        label: str = "openai",
        llama_cpp: bool = False,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {base_url!r}")
        if not model:
            raise ValueError("model must be named")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout_s = timeout_s
        self.label = label
        self.llama_cpp = llama_cpp  # a llama.cpp server: the schema as a compact llguidance grammar
        self.schema_supported = True

    @property
    def name(self) -> str:
        return f"{self.label}:{self.model}"

    def warm_up(self) -> None:
        """Nothing to load: the endpoint is another process."""

    def complete(self, request: ChatRequest, on_text: OnText | None = None) -> ChatReply:
        wants_schema = request.json_schema is not None and self.schema_supported
        try:
            return self._post(request, wants_schema, on_text)
        except _SchemaRefusedError:
            self.schema_supported = False
            return self._post(request, False, on_text)

    def _body(self, request: ChatRequest, with_schema: bool) -> dict[str, Any]:
        messages = [m.model_dump() for m in request.messages]
        if not with_schema and request.json_schema is not None and request.free_text_rule:
            messages[-1]["content"] += "\n" + request.free_text_rule
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "max_tokens": request.max_tokens,
            "temperature": 0,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if with_schema and request.json_schema is not None and self.llama_cpp:
            # llguidance reads ``x-guidance`` only from grammar text: compact JSON, no token spent on indentation.
            schema = {**request.json_schema, "x-guidance": {"whitespace_flexible": False}}
            body["grammar"] = "%llguidance {}\nstart: %json " + json.dumps(schema)
            body["repeat_penalty"] = 1.1  # greedy decoding of a small model otherwise loops on one sentence
        elif with_schema and request.json_schema is not None:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": request.json_schema, "strict": False},
            }
        return body

    def _post(self, request: ChatRequest, with_schema: bool, on_text: OnText | None) -> ChatReply:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        started = time.perf_counter()
        pieces: list[str] = []
        first: float | None = None
        tokens: int | None = None
        try:
            with (
                httpx.Client(timeout=self.timeout_s) as client,
                client.stream(
                    "POST", f"{self.base_url}/chat/completions", json=self._body(request, with_schema), headers=headers
                ) as response,
            ):
                self._raise_for_status(response, with_schema)
                for payload in _events(response):
                    tokens = ((payload.get("usage") or {}).get("completion_tokens")) or tokens
                    for choice in payload.get("choices") or []:
                        text = (choice.get("delta") or choice.get("message") or {}).get("content") or ""
                        if text:
                            first = first if first is not None else time.perf_counter() - started
                            pieces.append(text)
                            if on_text is not None:
                                on_text(text)
        except GenerationCancelledError:
            pass  # the reader stopped: the connection is closed, what arrived is returned
        except httpx.TimeoutException as exc:
            raise LLMTimeoutError(f"after {self.timeout_s:g} s") from exc
        except httpx.TransportError as exc:
            raise LLMUnreachableError(f"{self.base_url}: {type(exc).__name__}") from exc
        return ChatReply(
            text="".join(pieces),
            structured=with_schema,
            seconds=time.perf_counter() - started,
            first_text_s=first,
            output_tokens=tokens,
        )

    def _raise_for_status(self, response: httpx.Response, with_schema: bool) -> None:
        if response.status_code < 400:
            return
        detail = response.read().decode("utf-8", "replace")[:300]
        if response.status_code == 429:
            raise LLMRateLimitedError(detail)
        if with_schema and response.status_code in (400, 422) and any(w in detail.lower() for w in _SCHEMA_REFUSED):
            raise _SchemaRefusedError(detail)
        if response.status_code in (401, 403):
            raise LLMError(f"HTTP {response.status_code}: the endpoint refused the API key")
        raise LLMBadResponseError(f"HTTP {response.status_code}: {detail}")


class _SchemaRefusedError(LLMError):
    reason = "the endpoint does not take a JSON schema"


def _events(response: httpx.Response):
    """Yield the JSON payloads of an SSE stream; a plain JSON body (a server that ignores ``stream``) too."""
    kind = response.headers.get("content-type", "")
    if "text/event-stream" not in kind:
        try:
            yield json.loads(response.read())
        except ValueError as exc:
            raise LLMBadResponseError("the body is not JSON") from exc
        return
    for line in response.iter_lines():
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        try:
            payload = json.loads(data)
        except ValueError as exc:
            raise LLMBadResponseError("an event is not JSON") from exc
        if isinstance(payload, dict) and payload.get("error"):
            raise LLMBadResponseError(str(payload["error"])[:300])
        if isinstance(payload, dict):
            yield payload
