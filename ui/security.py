"""The API's guards: bearer-token auth, a request body size limit and a per-client rate limit.

The size and rate guards are plain ASGI middleware on the ``/v1`` prefix, so an oversized or
too-frequent request is refused before FastAPI parses anything; auth is a dependency so that it
also appears in the OpenAPI schema.
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

API_PREFIX = "/v1/"
bearer_scheme = HTTPBearer(auto_error=False, description="Required when ADVISOR_API_TOKEN is set.")


class TokenCheck:
    """FastAPI dependency: 401 unless the bearer token matches (when a token is configured)."""

    def __init__(self, token: str | None) -> None:
        self.token = token or None

    def __call__(
        self, request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]
    ) -> None:
        if self.token is None:
            return
        given = credentials.credentials if credentials is not None else ""
        if not given or not hmac.compare_digest(given.encode(), self.token.encode()):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                detail="Missing or wrong bearer token: send 'Authorization: Bearer <ADVISOR_API_TOKEN>'.",
                headers={"WWW-Authenticate": "Bearer"},
            )


async def send_json_error(send: Send, status_code: int, error: str, detail: str, headers: dict[str, str]) -> None:
    body = json.dumps({"error": error, "detail": detail}).encode()
    raw_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw_headers += [(k.encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status_code, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """Refuse /v1 bodies over ``max_bytes`` with 413, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        detail = f"Request body is larger than {self.max_bytes} bytes (ADVISOR_API_MAX_BODY_BYTES)."
        await send_json_error(send, 413, "body_too_large", detail, {"connection": "close"})


class TokenBuckets:
    """A token bucket per client key; the table is bounded so a flood of addresses cannot grow it."""

    def __init__(self, rate_per_minute: int, burst: int, max_clients: int = 10_000) -> None:
        if rate_per_minute < 0 or burst <= 0 or max_clients <= 0:
            raise ValueError("rate must be >= 0, burst and max_clients > 0")
        self.rate = rate_per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        """Spend one token; return 0 if allowed, else the seconds until a token is available."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1 - tokens) / self.rate if self.rate > 0 else 60.0
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return wait


class RateLimit:
    """Answer 429 with Retry-After when a client exceeds its share of /v1 requests."""

    def __init__(self, app: ASGIApp, rate_per_minute: int, burst: int) -> None:
        self.app = app
        self.buckets = TokenBuckets(rate_per_minute, burst) if rate_per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.buckets is None or scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        wait = self.buckets.take(self.client_key(scope))
        if wait > 0:
            seconds = max(1, int(wait + 0.999))
            detail = f"Too many requests from this client; retry in {seconds} s (ADVISOR_API_RATE_PER_MINUTE)."
            await send_json_error(send, 429, "rate_limited", detail, {"retry-after": str(seconds)})
            return
        await self.app(scope, receive, send)

    @staticmethod
    def client_key(scope: Scope) -> str:
        """Identify a client by its address (proxies are not trusted: X-Forwarded-For is ignored)."""
        client = scope.get("client")
        return client[0] if client else "unknown"
