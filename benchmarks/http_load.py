"""The HTTP API under a user's eyes and under load: time to the first streamed piece, and parallel clients.

Loopback only, against an ``advisor serve`` we started; every level is bounded both in requests and
in wall time, so a slow build cannot make the benchmark run for ever.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence

import httpx
from pydantic import BaseModel, ConfigDict

from benchmarks.questions import distinct_messages
from benchmarks.stats import Latency


class SSEEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    event: str
    data: str
    at: float


def read_sse(lines: Iterator[str], started: float) -> Iterator[SSEEvent]:
    """Parse server-sent events from text lines; each event is stamped with its arrival time."""
    event = "message"
    data: list[str] = []
    for raw in lines:
        line = raw.rstrip("\r")
        if not line:
            if data:
                yield SSEEvent(event=event, data="\n".join(data), at=time.perf_counter() - started)
            event, data = "message", []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            event = value
        elif field == "data":
            data.append(value)
    if data:
        yield SSEEvent(event=event, data="\n".join(data), at=time.perf_counter() - started)


class StreamResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    requests: int
    errors: int
    first_piece: Latency | None
    complete: Latency | None
    description: str = "POST /v1/ask/stream: request sent to the first SSE `text` event, and to the `final` event"


def stream_first_piece(url: str, messages: Sequence[str], repetitions: int, timeout_s: float = 120.0) -> StreamResult:
    """Ask each message ``repetitions`` times (each time worded anew) over SSE, one request at a time."""
    firsts: list[float] = []
    completes: list[float] = []
    plan = distinct_messages(list(messages), repetitions * len(messages))
    with httpx.Client(timeout=timeout_s) as client:
        for message in plan:
            timing = _stream_once(client, url, message)
            if timing is not None:
                firsts.append(timing[0])
                completes.append(timing[1])
    return StreamResult(
        requests=len(plan),
        errors=len(plan) - len(firsts),
        first_piece=Latency.of(firsts) if firsts else None,
        complete=Latency.of(completes) if completes else None,
    )


def _stream_once(client: httpx.Client, url: str, message: str) -> tuple[float, float] | None:
    """Return (seconds to the first text event, seconds to the final event), or None on any failure."""
    started = time.perf_counter()
    first: float | None = None
    try:
        with client.stream("POST", f"{url}/v1/ask/stream", json={"message": message}) as response:
            if response.status_code != 200:
                return None
            for event in read_sse(response.iter_lines(), started):
                if event.event == "text" and first is None:
                    first = event.at
                if event.event == "final":
                    return (first, event.at) if first is not None else None
    except httpx.HTTPError:
        return None
    return None


class ConcurrencyLevel(BaseModel):
    model_config = ConfigDict(frozen=True)

    clients: int
    planned: int
    completed: int
    errors: int
    error_kinds: dict[str, int]
    wall_s: float
    throughput_rps: float
    latency: Latency | None
    stopped_by_time_limit: bool


class LoadTest:
    """``clients`` threads, each sending up to ``per_client`` POST /v1/ask, all within ``time_limit_s``."""

    def __init__(self, url: str, messages: Sequence[str], timeout_s: float = 120.0) -> None:
        if not messages:
            raise ValueError("no messages to send")
        self.url = url
        self.messages = list(messages)
        self.timeout_s = timeout_s

    def run(self, clients: int, per_client: int, time_limit_s: float) -> ConcurrencyLevel:
        if clients < 1 or per_client < 1 or time_limit_s <= 0:
            raise ValueError("clients, per_client and time_limit_s must be positive")
        latencies: list[float] = []
        kinds: Counter[str] = Counter()
        lock = threading.Lock()
        plan = distinct_messages(self.messages, clients * per_client)
        started = time.perf_counter()
        deadline = started + time_limit_s
        stopped = threading.Event()

        def client_loop(index: int) -> None:
            with httpx.Client(timeout=self.timeout_s) as client:
                for n in range(per_client):
                    if time.perf_counter() >= deadline:
                        stopped.set()
                        return
                    message = plan[n * clients + index]
                    t0 = time.perf_counter()
                    problem = _ask_once(client, self.url, message)
                    elapsed = time.perf_counter() - t0
                    with lock:
                        if problem is None:
                            latencies.append(elapsed)
                        else:
                            kinds[problem] += 1

        threads = [threading.Thread(target=client_loop, args=(i,), daemon=True) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.perf_counter()) + self.timeout_s + 5)
        wall = time.perf_counter() - started
        errors = sum(kinds.values())
        return ConcurrencyLevel(
            clients=clients,
            planned=clients * per_client,
            completed=len(latencies),
            errors=errors,
            error_kinds=dict(kinds),
            wall_s=wall,
            throughput_rps=len(latencies) / wall if wall > 0 else 0.0,
            latency=Latency.of(latencies) if latencies else None,
            stopped_by_time_limit=stopped.is_set() or any(t.is_alive() for t in threads),
        )


def _ask_once(client: httpx.Client, url: str, message: str) -> str | None:
    """Send one question; return None on a good answer, else a short error kind."""
    try:
        response = client.post(f"{url}/v1/ask", json={"message": message})
    except httpx.TimeoutException:
        return "timeout"
    except httpx.HTTPError as exc:
        return type(exc).__name__
    if response.status_code != 200:
        return f"http {response.status_code}"
    try:
        body = response.json()
    except json.JSONDecodeError:
        return "not json"
    if not isinstance(body, dict) or not str(body.get("answer", "")).strip():
        return "no answer"
    return None
