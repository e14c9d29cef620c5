"""The OpenAI-compatible face of the advisor: ``GET /v1/models`` and ``POST /v1/chat/completions``.

Any OpenAI client (the ``openai`` package, LangChain's ``ChatOpenAI``, chat windows that speak the
API) can ask the advisor. The last user message is the question, earlier user and assistant turns
are its history, system and developer messages are ignored. The reply's content is the cited answer
with a plain-text ``Sources:`` list appended, so any chat window shows what the [n] markers point
to; the structured Answer rides along as the extra top-level field ``advisor``. ``stream: true``
sends OpenAI's ``chat.completion.chunk`` lines from ``Advisor.ask_stream`` as the pieces are ready.

The native API's token check, body size and rate limits guard these routes too; their refusals are
rewritten into OpenAI's error shape by ``OpenAIErrorShape``.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from advisor.answer.events import FinalEvent, ResetEvent, TextEvent
from advisor.schema import Answer, ChatTurn, Citation
from ui.api import ERROR_CODES
from ui.api_models import (
    AssistantMessage,
    ChatCompletion,
    ChatCompletionRequest,
    Choice,
    ModelCard,
    ModelList,
    OpenAIErrorBody,
    OpenAIErrorDetail,
    OpenAIMessage,
    Usage,
)
from ui.limits import ApiLimits
from ui.security import ASGIApp, Message, Receive, Scope, Send, TokenCheck
from ui.services import Services

log = logging.getLogger(__name__)
MODEL_ID = "scaling-advisor"
SOURCES_HEADING = "Sources:"
EXCERPT_WORDS = 12
REPLACES = "follows and replaces it.)\n\n"
RESET_NOTE = (
    "\n\n---\n(The language model's draft above did not pass the citation check: {reason}. "
    "The offline answer " + REPLACES
)
REVISED_NOTE = "\n\n---\n(The citation check revised the text above; the checked answer " + REPLACES
ERRORS: dict[int | str, dict[str, Any]] = {c: {"model": OpenAIErrorBody} for c in (400, 401, 404, 413, 422, 429)}
NATIVE_CODES = {"unauthorized": "invalid_api_key", "rate_limited": "rate_limit_exceeded"}


class OpenAIError(Exception):
    """A refusal already phrased for OpenAI clients (status, message, the offending parameter, a code)."""

    def __init__(self, status_code: int, message: str, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status_code, self.message, self.param, self.code = status_code, message, param, code


def error_type(status_code: int) -> str:
    if status_code == 401:
        return "authentication_error"
    if status_code == 429:
        return "rate_limit_error"
    return "server_error" if status_code >= 500 else "invalid_request_error"


def error_body(status_code: int, message: str, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    detail = OpenAIErrorDetail(message=message, type=error_type(status_code), param=param, code=code)
    return OpenAIErrorBody(error=detail).model_dump()


# -- reading the request ------------------------------------------------------------------------------------
def own_answer_text(text: str) -> str:
    """Return an assistant turn as the advisor wrote it: without our Sources list or a withdrawn draft."""
    cut = text.rfind(f"\n\n{SOURCES_HEADING}\n")
    text = text[:cut] if cut >= 0 else text
    after = text.rfind(REPLACES)
    return text[after + len(REPLACES) :] if after >= 0 else text


def _invalid(code: str, param: str, message: str) -> OpenAIError:
    return OpenAIError(422, message, param, code)


def read_conversation(messages: list[OpenAIMessage], max_turns: int) -> tuple[str, list[ChatTurn]]:
    """Return the question (the last user message) and the user/assistant turns before it."""
    spoken = [(i, m) for i, m in enumerate(messages) if m.role in ("user", "assistant")]
    if not any(m.role == "user" for _, m in spoken):
        raise _invalid("no_user_message", "messages", 'messages holds no user message: send the question as "user".')
    at, last = spoken[-1]
    if last.role != "user":
        message = f"The last message (messages.{at}) is the assistant's; it must be the user's question."
        raise _invalid("last_message_not_user", f"messages.{at}", message)
    if other := last.other_part_types():
        message = f"Only text content is read; messages.{at} holds {', '.join(other)} parts."
        raise _invalid("unsupported_content", f"messages.{at}.content", message)
    question = last.text()
    if not question.strip():
        message = "The last user message is empty: send the question or situation as its content."
        raise _invalid("empty_message", f"messages.{at}.content", message)
    history = []
    for _, turn in spoken[:-1]:
        role: Literal["user", "assistant"] = "user" if turn.role == "user" else "assistant"  # spoken holds no other
        text = turn.text() if role == "user" else own_answer_text(turn.text())
        if text.strip():
            history.append(ChatTurn(role=role, content=text))
    if len(history) > max_turns:
        message = f"The conversation has {len(history)} earlier turns; at most {max_turns} are accepted"
        raise _invalid("history_too_long", "messages", message + " (ADVISOR_API_MAX_HISTORY_TURNS).")
    return question, history


# -- shaping the answer ---------------------------------------------------------------------------------------
def format_source(citation: Citation) -> str:
    who = ", ".join(part for part in (citation.speaker, citation.company) if part)
    section = citation.section.rsplit(" > ", 1)[-1]  # the innermost heading of a "4. Findings > 4.2 …" path
    label = " — ".join(part for part in (citation.title, section, who) if part)
    words = citation.text.split()
    excerpt = " ".join(words[:EXCERPT_WORDS]) + ("…" if len(words) > EXCERPT_WORDS else "")
    return f'{citation.marker} {label}: "{excerpt}" ({citation.passage_id})'


def sources_block(citations: list[Citation], after: str) -> str:
    """Return the plain-text Sources list that follows the answer text ``after`` (empty without citations)."""
    if not citations:
        return ""
    gap = "\n" if after.endswith("\n") else "\n\n"
    return f"{gap}{SOURCES_HEADING}\n" + "\n".join(format_source(c) for c in citations)


def message_content(answer: Answer) -> str:
    return answer.answer + sources_block(answer.citations, answer.answer)


def words(text: str) -> int:
    return len(text.split())


def usage(prompt_words: int, content: str) -> Usage:
    done = words(content)
    return Usage(prompt_tokens=prompt_words, completion_tokens=done, total_tokens=prompt_words + done)


def completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def completion(answer: Answer, prompt_words: int) -> ChatCompletion:
    content = message_content(answer)
    return ChatCompletion(
        id=completion_id(),
        created=int(time.time()),
        model=MODEL_ID,
        choices=[Choice(message=AssistantMessage(content=content))],
        usage=usage(prompt_words, content),
        advisor=answer,
    )


def _squash(text: str) -> str:
    return " ".join(text.split())


def content_pieces(events: Iterable[object]) -> Iterator[str | Answer]:
    """Turn the advisor's stream events into content deltas, then yield the final Answer.

    A reset (the model's draft failed the check) cannot un-send text, so a visible note says the
    offline answer that follows replaces it. When the final text differs from what was streamed
    (the check revised it), the checked text follows a note too; a mere continuation is appended.
    """
    attempt = ""
    for event in events:
        if isinstance(event, TextEvent) and event.text:
            attempt += event.text
            yield event.text
        elif isinstance(event, ResetEvent):
            if attempt:
                yield RESET_NOTE.format(reason=event.reason.rstrip(". "))
            attempt = ""
        elif isinstance(event, FinalEvent):
            final = event.answer.answer
            if _squash(attempt) != _squash(final):
                if final.startswith(attempt):
                    yield final[len(attempt) :]
                else:
                    yield (REVISED_NOTE if attempt.strip() else "") + final
                attempt = final
            block = sources_block(event.answer.citations, attempt)
            if block:
                yield block
            yield event.answer
            return
    raise RuntimeError("the advisor's answer stream ended without its final answer")


def sse(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


class ChunkWriter:
    """One streamed completion's ``chat.completion.chunk`` lines (same id and time on every chunk)."""

    def __init__(self, include_usage: bool) -> None:
        self.id = completion_id()
        self.created = int(time.time())
        self.include_usage = include_usage

    def _chunk(self, choices: list[dict[str, Any]], **extra: Any) -> str:
        chunk: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": MODEL_ID,
            "choices": choices,
        }
        if self.include_usage:
            chunk["usage"] = None
        return sse({**chunk, **extra})

    def delta(self, delta: dict[str, Any], finish_reason: str | None = None, **extra: Any) -> str:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
        return self._chunk([choice], **extra)

    def usage(self, counted: Usage) -> str:
        return self._chunk([], usage=counted.model_dump())


async def stream_completion(events: Iterator[Any], writer: ChunkWriter, prompt_words: int) -> AsyncIterator[str]:
    yield writer.delta({"role": "assistant", "content": ""})
    content = ""
    try:
        async for piece in iterate_in_threadpool(content_pieces(events)):
            if isinstance(piece, Answer):
                yield writer.delta({}, "stop", advisor=piece.model_dump(mode="json"))
                if writer.include_usage:
                    yield writer.usage(usage(prompt_words, content))
                break
            content += piece
            yield writer.delta({"content": piece})
    except Exception as exc:  # the status line is sent already: the error travels as OpenAI streams it
        log.exception("a streamed chat completion failed")
        failed = f"The advisor could not answer ({type(exc).__name__}: {exc})."
        yield sse(error_body(500, failed, None, "advisor_failed"))
    yield "data: [DONE]\n\n"


# -- the routes -----------------------------------------------------------------------------------------------
def _known_model(model_id: str) -> None:
    if model_id != MODEL_ID:
        raise OpenAIError(
            404,
            f"The model {model_id!r} does not exist; this server serves {MODEL_ID!r} (GET /v1/models).",
            "model",
            "model_not_found",
        )


def build_openai_router(services: Services, limits: ApiLimits) -> APIRouter:
    settings = services.settings
    auth = TokenCheck(settings.api_token)
    router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"], dependencies=[Depends(auth)], responses=ERRORS)
    card = ModelCard(id=MODEL_ID, created=int(time.time()), owned_by="scaling-advisor")

    @router.get("/models", response_model=ModelList, summary="The advisor as an OpenAI model")
    async def models() -> ModelList:
        return ModelList(data=[card])

    @router.get("/models/{model_id}", response_model=ModelCard, summary="One model (only the advisor)")
    async def model(model_id: str) -> ModelCard:
        _known_model(model_id)
        return card

    @router.post(
        "/chat/completions",
        response_model=ChatCompletion,
        summary="OpenAI chat completion: a cited answer, plain or streamed (stream: true)",
        responses={200: {"content": {"text/event-stream": {}}, "description": "the completion, or its chunks"}},
    )
    async def chat_completions(body: ChatCompletionRequest) -> Any:
        _known_model(body.model)
        question, history = read_conversation(body.messages, limits.max_history_turns)
        limit = settings.max_message_chars
        if len(question) > limit:
            raise OpenAIError(
                413,
                f"The question is {len(question)} characters; the limit is {limit} (ADVISOR_MAX_MESSAGE_CHARS). "
                "Shorten it to the situation and the question.",
                "messages",
                "message_too_long",
            )
        prompt_words = sum(words(m.text()) for m in body.messages)
        if body.stream:
            events = await run_in_threadpool(services.ask_stream, question, history, None)
            include_usage = bool(body.stream_options and body.stream_options.include_usage)
            return StreamingResponse(
                stream_completion(events, ChunkWriter(include_usage), prompt_words),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        try:
            answer = await run_in_threadpool(services.ask, question, history, None)
        except Exception as exc:
            log.exception("a chat completion failed")
            failed = f"The advisor could not answer ({type(exc).__name__})."
            raise OpenAIError(500, failed, None, "advisor_failed") from exc
        return completion(answer, prompt_words)

    return router


# -- errors in OpenAI's shape ---------------------------------------------------------------------------------
def is_openai_path(path: str) -> bool:
    return path.rstrip("/") in ("/v1/models", "/v1/chat/completions") or path.startswith("/v1/models/")


def reshape_error(status_code: int, raw: bytes) -> bytes:
    """Rewrite a native error body, ``{"error": code, "detail", "fields"?}`` or a bare ``{"detail"}``.

    The bare one comes from the mounted chat page (e.g. a GET on a POST route). A body already in
    OpenAI's shape, or one that is not JSON, passes unchanged.
    """
    try:
        body = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(body, dict) or not isinstance(body.get("error", body.get("detail")), str):
        return raw
    fields = body.get("fields") or [{}]
    native = body.get("error") or ERROR_CODES.get(status_code, "error")
    message = str(body.get("detail") or native)
    param = fields[0].get("loc") or None
    return json.dumps(error_body(status_code, message, param, NATIVE_CODES.get(native, native))).encode()


class OpenAIErrorShape:
    """ASGI middleware: refusals on the OpenAI routes reach clients in OpenAI's error shape.

    It must wrap the guards (add it after them), so a 401, 413 or 429 they send is reshaped too.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_openai_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        held: Message | None = None
        chunks: list[bytes] = []

        async def reshaping_send(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start" and message["status"] >= 400 and _is_json(message):
                held = message
                return
            if held is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = reshape_error(held["status"], b"".join(chunks))
            headers = [(k, v) for k, v in held["headers"] if k.lower() != b"content-length"]
            await send({**held, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, reshaping_send)


def _is_json(start: Message) -> bool:
    return any(k.lower() == b"content-type" and v.startswith(b"application/json") for k, v in start["headers"])


async def _openai_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OpenAIError)
    return JSONResponse(error_body(exc.status_code, exc.message, exc.param, exc.code), status_code=exc.status_code)


def install_openai_api(app: FastAPI, services: Services, limits: ApiLimits) -> None:
    """Add the routes and their error shape; call after the guards' middleware is added."""
    app.include_router(build_openai_router(services, limits))
    app.add_exception_handler(OpenAIError, _openai_error)
    app.add_middleware(OpenAIErrorShape)
