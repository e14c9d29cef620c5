"""Many conversations at once through the HTTP API, for a bounded time: errors, p95 and the server's memory.

Each conversation is a thread that keeps asking: a situation, then follow-ups that need its own
history ("and the second one?"), then a factual question, and over again, each request carrying the
conversation's history. New requests stop at the time limit; those in flight may finish (bounded by
the request timeout), so the run always ends. The server's resident memory is read from /proc before
(after one warm request) and after, and its growth is held to a stated bound.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from pydantic import BaseModel, ConfigDict

from advisor.llm.backend import LLMBusyError
from benchmarks.stats import Latency

SITUATIONS = (
    "We have run three AI pilots in claims handling, but nothing is live yet and every team builds models its own way.",
    "Our retail bank has one fraud model in production; each new model still takes nine months to ship.",
    "A logistics firm: our route-planning AI works in one depot, but data from the other depots is a mess.",
    "We are a hospital group; doctors like our triage prototype but IT will not support it in production.",
    "Our insurer built a central data science team, but business units ignore what it builds.",
    "We run a dozen models in production on a shared platform, but nobody knows which ones still make money.",
    "A manufacturer: predictive maintenance worked in a pilot, now the plant managers want it everywhere.",
    "Our telecom company hired twenty data scientists last year and not one model has reached customers.",
)
FOLLOW_UPS = ("What should we do next?", "And the second one?", "What about for a bank?")
FACTUAL = (
    "What is a data pipeline for AI?",
    "What does productionizing mean in the scaling framework?",
    "Why do AI pilots fail to scale?",
)
MAX_HISTORY_TURNS = 6
"""History sent with each request is capped, as a real client would, so request size stays bounded."""


def rss_bytes(pid: int) -> int:
    """Resident set size of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


class MemoryBound(BaseModel):
    """Growth allowed between before and after: ``max(min_mb, share * before)``."""

    model_config = ConfigDict(frozen=True)

    min_mb: float = 300.0
    share: float = 0.5

    def allowed_bytes(self, before: int) -> int:
        return int(max(self.min_mb * 1e6, self.share * before))

    def describe(self) -> str:
        return f"growth at most max({self.min_mb:.0f} MB, {self.share:.0%} of the RSS before)"


class LoadReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    conversations: int
    duration_s: float
    wall_s: float
    requests: int
    completed: int
    errors: int
    error_kinds: dict[str, int]
    answered_by: dict[str, int] = {}
    busy: int = 0
    latency: Latency | None
    throughput_rps: float
    rss_before: int | None
    rss_after: int | None
    rss_peak: int | None
    memory_bound: str
    memory_ok: bool | None

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.memory_ok is not False

    def table(self) -> str:
        lat = self.latency
        mb = lambda b: f"{b / 1e6:.0f} MB" if b is not None else "n/a"  # noqa: E731
        growth = (
            f"{(self.rss_after - self.rss_before) / 1e6:+.0f} MB"
            if self.rss_after is not None and self.rss_before is not None
            else "n/a"
        )
        verdict = {True: "ok", False: "EXCEEDED", None: "not measured"}[self.memory_ok]
        lines = [
            f"conversations          {self.conversations} concurrent, {self.duration_s:.0f} s of new requests",
            f"wall time              {self.wall_s:.1f} s (requests in flight at the limit were allowed to finish)",
            f"requests               {self.requests} sent, {self.completed} good, {self.errors} errors",
            f"error kinds            {self.error_kinds or 'none'}",
            f"answered by            {', '.join(f'{k}: {v}' for k, v in sorted(self.answered_by.items())) or 'none'}"
            f" ({self.busy} with the model-busy notice)",
            f"throughput             {self.throughput_rps:.2f} answers/s",
        ]
        if lat is not None:
            lines.append(
                f"latency (POST /v1/ask) p50 {lat.p50:.2f} s, p95 {lat.p95:.2f} s, max {lat.max:.2f} s (n={lat.n})"
            )
        lines += [
            f"server RSS             before {mb(self.rss_before)}, after {mb(self.rss_after)} ({growth}), "
            f"peak {mb(self.rss_peak)}",
            f"memory bound           {self.memory_bound}: {verdict}",
        ]
        return "\n".join(lines)


class _Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.kinds: Counter[str] = Counter()
        self.backends: Counter[str] = Counter()
        self.busy = 0
        self.sent = 0

    def record(self, seconds: float, problem: str | None, response: httpx.Response | None = None) -> None:
        with self.lock:
            self.sent += 1
            if problem is None:
                self.latencies.append(seconds)
                body = response.json() if response is not None else {}
                self.backends[str(body.get("backend", "unknown"))] += 1
                self.busy += any(LLMBusyError.reason in str(n) for n in body.get("notices", []))
            else:
                self.kinds[problem] += 1


def check_answer(response: httpx.Response) -> str | None:
    """Return None for a good answer, else a short error kind (status, bad JSON, dangling marker)."""
    if response.status_code != 200:
        return f"http {response.status_code}"
    try:
        body = response.json()
    except ValueError:
        return "not json"
    text = str(body.get("answer", "")) if isinstance(body, dict) else ""
    if not text.strip():
        return "empty answer"
    markers = set(re.findall(r"\[\d+\]", text))
    if not markers <= {c.get("marker") for c in body.get("citations", [])}:
        return "marker without citation"
    return None


class ConversationLoad:
    """``conversations`` threads talking to ``url`` until ``duration_s`` has passed."""

    def __init__(
        self,
        url: str,
        conversations: int = 50,
        duration_s: float = 60.0,
        timeout_s: float = 300.0,
        token: str | None = None,
    ) -> None:
        if conversations < 1 or duration_s <= 0 or timeout_s <= 0:
            raise ValueError("conversations, duration_s and timeout_s must be positive")
        self.url = url.rstrip("/")
        self.conversations = conversations
        self.duration_s = duration_s
        self.timeout_s = timeout_s
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def script(self, index: int, turn: int) -> str:
        """Pick message ``turn`` of conversation ``index``: a situation, two follow-ups, a factual question."""
        cycle, step = divmod(turn, 2 + len(FOLLOW_UPS[:2]))
        if step == 0:  # a detail of its own, so no conversation is answered from another's cached text
            people = 3 + (index * 7 + cycle * 11) % 40
            return f"{SITUATIONS[(index + cycle) % len(SITUATIONS)]} About {people} people work on it."
        if step <= 2:
            return FOLLOW_UPS[(index + step - 1) % len(FOLLOW_UPS)]
        return FACTUAL[(index + cycle) % len(FACTUAL)]

    def _converse(self, index: int, deadline: float, tally: _Tally) -> None:
        history: list[dict[str, str]] = []
        turn = 0
        with httpx.Client(base_url=self.url, timeout=self.timeout_s, headers=self.headers) as client:
            while time.perf_counter() < deadline:
                message = self.script(index, turn)
                started = time.perf_counter()
                try:
                    response = client.post(
                        "/v1/ask", json={"message": message, "history": history[-MAX_HISTORY_TURNS:]}
                    )
                    problem = check_answer(response)
                except httpx.TimeoutException:
                    problem, response = "timeout", None
                except httpx.HTTPError as exc:
                    problem, response = type(exc).__name__, None
                tally.record(time.perf_counter() - started, problem, response)
                if problem is None and response is not None:
                    history += [
                        {"role": "user", "content": message},
                        {"role": "assistant", "content": response.json()["answer"]},
                    ]
                turn += 1

    def run(self, pid: int | None = None, bound: MemoryBound | None = None) -> LoadReport:
        """Run the load; with the server's ``pid``, measure its RSS around it (after one warm request)."""
        bound = bound or MemoryBound()
        if pid is not None:
            with httpx.Client(base_url=self.url, timeout=self.timeout_s, headers=self.headers) as client:
                warm = client.post("/v1/ask", json={"message": SITUATIONS[0]})
                if check_answer(warm) is not None:
                    raise RuntimeError(f"the server does not answer: HTTP {warm.status_code} {warm.text[:300]}")
        before = rss_bytes(pid) if pid is not None else None
        peak = before
        tally = _Tally()
        started = time.perf_counter()
        deadline = started + self.duration_s
        threads = [
            threading.Thread(target=self._converse, args=(i, deadline, tally), daemon=True)
            for i in range(self.conversations)
        ]
        for thread in threads:
            thread.start()
        hard_stop = deadline + self.timeout_s + 10
        while any(t.is_alive() for t in threads) and time.perf_counter() < hard_stop:
            if pid is not None:
                peak = max(peak or 0, rss_bytes(pid))
            time.sleep(0.5)
        for thread in threads:
            thread.join(timeout=max(0.0, hard_stop - time.perf_counter()))
        wall = time.perf_counter() - started
        stuck = sum(1 for t in threads if t.is_alive())
        if stuck:
            tally.kinds["conversation still running at the hard stop"] += stuck
        after = rss_bytes(pid) if pid is not None else None
        memory_ok = None if before is None or after is None else after - before <= bound.allowed_bytes(before)
        return LoadReport(
            conversations=self.conversations,
            duration_s=self.duration_s,
            wall_s=wall,
            requests=tally.sent,
            completed=len(tally.latencies),
            errors=sum(tally.kinds.values()),
            error_kinds=dict(tally.kinds),
            answered_by=dict(tally.backends),
            busy=tally.busy,
            latency=Latency.of(tally.latencies) if tally.latencies else None,
            throughput_rps=len(tally.latencies) / wall if wall > 0 else 0.0,
            rss_before=before,
            rss_after=after,
            rss_peak=peak,
            memory_bound=bound.describe(),
            memory_ok=memory_ok,
        )
