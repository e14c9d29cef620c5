"""The HTTP API: the same Advisor the chat uses, as JSON over ``/v1``.

Responses are the public contracts themselves (Answer, Diagnosis, SearchResult, Record) so a
client reading ``/openapi.json`` sees exactly what ``advisor ask --json`` prints. Every refusal is
JSON ``{"error", "detail"}`` with a 4xx status that says what to change.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sse_starlette import EventSourceResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from advisor import __version__
from advisor.diagnosis import DiagnosisInputError, QuestionnaireError
from advisor.schema import Answer, Diagnosis
from knowledge.schema import Record, RecordKind, SearchFilters, SearchResult
from ui.api_models import AskRequest, DiagnoseRequest, ErrorBody, Health
from ui.limits import ApiLimits
from ui.security import TokenCheck
from ui.services import Services

ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorBody} for code in (400, 401, 404, 413, 422, 429)}
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "invalid_request",
    429: "rate_limited",
}


def error_response(status_code: int, detail: str, headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body = ErrorBody(error=ERROR_CODES.get(status_code, "error"), detail=detail, **extra)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status_code, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Turn FastAPI's default error shapes into the API's one JSON error body."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, "The request body is not valid JSON.")
        fields = [{"loc": ".".join(str(p) for p in e["loc"] if p != "body"), "msg": e["msg"]} for e in errors]
        summary = "; ".join(f"{f['loc']}: {f['msg'].removeprefix('Value error, ')}" for f in fields)
        return error_response(422, f"Invalid request: {summary}", fields=fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))


def _check_message(message: str, limit: int) -> None:
    if len(message) > limit:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            detail=f"The message is {len(message)} characters; the limit is {limit} (ADVISOR_MAX_MESSAGE_CHARS). "
            "Shorten it to the situation and the question.",
        )


def _event_name(event: BaseModel) -> str:
    for attr in ("type", "kind", "event"):
        value = getattr(event, attr, None)
        if isinstance(value, str):
            return value
    return type(event).__name__.lower()


def build_router(services: Services, limits: ApiLimits) -> APIRouter:
    settings = services.settings
    auth = TokenCheck(settings.api_token)
    router = APIRouter(prefix="/v1", dependencies=[Depends(auth)], responses=ERRORS)

    def prepare(body: AskRequest) -> None:
        _check_message(body.message, settings.max_message_chars)
        if len(body.history) > limits.max_history_turns:
            raise HTTPException(
                422,
                detail=f"history has {len(body.history)} turns; at most "
                f"{limits.max_history_turns} are accepted (ADVISOR_API_MAX_HISTORY_TURNS).",
            )

    @router.post("/ask", response_model=Answer, summary="Ask the advisor; get a cited answer")
    async def ask(body: AskRequest) -> Answer:
        prepare(body)
        return await run_in_threadpool(services.ask, body.message, body.history, body.filters)

    @router.post(
        "/ask/stream",
        summary="Ask the advisor; the answer arrives as server-sent events",
        response_class=EventSourceResponse,
        responses={200: {"content": {"text/event-stream": {}}, "description": "text pieces, then the final answer"}},
    )
    async def ask_stream(body: AskRequest) -> EventSourceResponse:
        prepare(body)
        events = await run_in_threadpool(services.ask_stream, body.message, body.history, body.filters)

        async def publish() -> AsyncIterator[dict[str, str]]:
            async for event in iterate_in_threadpool(events):
                if isinstance(event, BaseModel):
                    yield {"event": _event_name(event), "data": event.model_dump_json()}
                else:
                    yield {"event": "text", "data": json.dumps({"text": str(event)})}

        return EventSourceResponse(publish(), ping=15)

    @router.post("/diagnose", response_model=Diagnosis, summary="Place a situation in the frameworks")
    async def diagnose(body: DiagnoseRequest) -> Diagnosis:
        if not body.has_input():
            raise HTTPException(422, detail="Give a message describing the situation, a questionnaire, or both.")
        _check_message(body.message, settings.max_message_chars)
        try:
            return await run_in_threadpool(services.diagnose, body.message, body.questionnaire)
        except (QuestionnaireError, DiagnosisInputError) as exc:
            raise HTTPException(422, detail=str(exc)) from exc

    @router.get("/search", response_model=SearchResult, summary="Search papers, quotes, playbook and documents")
    async def search(
        q: Annotated[str, Query(min_length=1, max_length=2000, description="What to look for")],
        k: Annotated[int, Query(ge=1, le=50)] = 5,
        kind: Annotated[list[RecordKind] | None, Query(description="Only these record kinds")] = None,
        source: Annotated[list[str] | None, Query(description="Only these source ids")] = None,
        company: Annotated[list[str] | None, Query()] = None,
        include_user_docs: bool = True,
    ) -> SearchResult:
        if not q.strip():
            raise HTTPException(422, detail="q must not be empty or only whitespace")
        filters = SearchFilters(kinds=kind, sources=source, companies=company, include_user_docs=include_user_docs)
        return await run_in_threadpool(services.search, q, k, filters)

    @router.get("/passages/{passage_id}", response_model=Record, summary="One record, verbatim, by its id")
    async def passage(passage_id: str) -> Record:
        try:
            return await run_in_threadpool(services.get_record, passage_id)
        except KeyError as exc:
            raise HTTPException(404, detail=f"No record with id {passage_id!r}.") from exc

    return router


def build_health_router(services: Services) -> APIRouter:
    router = APIRouter()

    @router.get("/healthz", response_model=Health, summary="Liveness: the server is up")
    async def healthz() -> Health:
        settings = services.settings
        where = settings.chroma_url or str(settings.index_dir)
        return Health(status="ok", version=__version__, llm_provider=settings.llm_provider, index=where)

    return router
