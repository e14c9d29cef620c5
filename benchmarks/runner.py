"""Run the chosen benchmark sections in one workspace, on one index, and collect one report.

Order matters: ``ingest`` builds the index every later section reads (if it is skipped, the first
section that needs the index builds it untimed); the in-process latency comparison runs before the
server sections so no server competes with it; the scale sizes run last, each in its own process.
A section that fails is recorded as a problem and the others still run.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from pathlib import Path

from advisor.settings import Settings
from benchmarks.http_load import LoadTest, stream_first_piece
from benchmarks.latency import LatencyComparison
from benchmarks.llm_speed import measure_local_llm
from benchmarks.machine import describe_machine
from benchmarks.processes import Server, cold_start, ingest_twice
from benchmarks.questions import DEFAULT_QUESTIONS, BenchQuestion, load_questions
from benchmarks.report import SECTIONS, BenchReport, RunOptions, ServerStart, check_targets
from benchmarks.scale import run_point, with_ratios
from benchmarks.workspace import Workspace

WARM_QUESTIONS = [
    BenchQuestion(id="warm-1", kind="situation", message="Our first model is in production; how do we scale it?"),
    BenchQuestion(id="warm-2", kind="factual", message="What does the playbook say about governance?"),
]
LOAD_TEST_ENV = {"ADVISOR_API_RATE_PER_MINUTE": "0"}
"""The API's per-client rate limit would count all loopback clients as one; ``0`` is its load-test setting."""


def options_for(
    quick: bool,
    sections: list[str] | None = None,
    repetitions: int | None = None,
    scales: list[int] | None = None,
    clients: list[int] | None = None,
    questions: int = 12,
    llm_prompts: int | None = None,
) -> RunOptions:
    chosen = sections or list(SECTIONS)
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown sections: {', '.join(unknown)} (choose from {', '.join(SECTIONS)})")
    return RunOptions(
        sections=[s for s in SECTIONS if s in chosen],
        quick=quick,
        repetitions=repetitions or (2 if quick else 5),
        cold_runs=2 if quick else 3,
        stream_repetitions=1 if quick else 2,
        clients=clients or [1, 4, 16],
        requests_per_client=2 if quick else 4,
        level_time_limit_s=60.0 if quick else 120.0,
        scales=scales or ([1, 10] if quick else [1, 10, 100]),
        scale_repetitions=1 if quick else 3,
        llm_prompts=llm_prompts or (2 if quick else 4),
        llm_max_new_tokens=400,
        questions=questions,
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


class BenchRunner:
    def __init__(
        self,
        settings: Settings,
        options: RunOptions,
        label: str = "latest",
        command: str = "advisor bench all",
        questions_file: Path = DEFAULT_QUESTIONS,
        workdir: Path | None = None,
        keep: bool = False,
        say: Callable[[str], None] = print,
        scale_dir: Path | None = None,
    ) -> None:
        self.settings = settings
        self.options = options
        self.label = label
        self.command = command
        self.questions_file = questions_file
        self.questions = load_questions(questions_file)[: options.questions]
        self.workdir = workdir
        self.keep = keep
        self.say = say
        self.scale_dir = scale_dir

    def run(self) -> BenchReport:
        report = BenchReport(
            label=self.label,
            command=self.command,
            started_at=_now(),
            machine=describe_machine(),
            options=self.options,
        )
        with Workspace(self.settings, self.workdir, keep=self.keep) as ws:
            self.say(f"workspace: {ws.root}")
            steps: list[tuple[str, Callable[[Workspace, BenchReport], None]]] = [
                ("ingest", self._ingest),
                ("latency", self._latency),
                ("cold", self._cold),
                ("stream", self._http),
                ("scale", self._scale),
                ("llm", self._llm),
            ]
            for name, step in steps:
                wanted = name in self.options.sections or (name == "stream" and "concurrency" in self.options.sections)
                if not wanted:
                    continue
                started = time.perf_counter()
                try:
                    step(ws, report)
                except Exception as exc:  # one broken section must not lose the others' figures
                    report.problems.append(f"{name}: {type(exc).__name__}: {exc}")
                    self.say(f"[{name}] FAILED: {exc}")
                self.say(f"[{name}] done in {time.perf_counter() - started:.0f} s")
        report.finished_at = _now()
        report.load_average_end = tuple(round(x, 2) for x in os.getloadavg())  # type: ignore[assignment]
        report.targets = check_targets(report)
        return report

    def _ensure_index(self, ws: Workspace) -> None:
        from advisor.index_config import index_config
        from knowledge.index import open_index

        open_index(index_config(ws.settings()), progress=False)

    def _ingest(self, ws: Workspace, report: BenchReport) -> None:
        self.say("[ingest] `advisor ingest` into an empty data dir, then again with nothing changed")
        report.ingest = ingest_twice(ws.env(), ws.path("logs"))

    def _latency(self, ws: Workspace, report: BenchReport) -> None:
        self._ensure_index(ws)
        self.say(f"[latency] floor, baseline, search, ask × {len(self.questions)} questions")
        comparison = LatencyComparison(ws.settings())
        report.latency = comparison.run(
            self.questions, self.options.repetitions, WARM_QUESTIONS, on_step=lambda s: self.say(f"[latency] {s}")
        )

    def _cold(self, ws: Workspace, report: BenchReport) -> None:
        self._ensure_index(ws)
        self.say(f"[cold] {self.options.cold_runs} × `advisor ask` in a new process")
        messages = [q.message for q in self.questions]
        report.cold_start = cold_start(messages, ws.env(), ws.path("logs"), self.options.cold_runs)

    def _http(self, ws: Workspace, report: BenchReport) -> None:
        self._ensure_index(ws)
        self.say("[stream] starting `advisor serve` on a free loopback port")
        messages = [q.message for q in self.questions]
        with Server(ws.env() | LOAD_TEST_ENV, ws.path("logs")) as server:
            assert server.ready_s is not None
            report.server = ServerStart(
                ready_s=server.ready_s,
                rate_limit="The API's per-client rate limit is off for this server (ADVISOR_API_RATE_PER_MINUTE=0): "
                "every loopback client shares one address.",
            )
            if "stream" in self.options.sections:
                reps = self.options.stream_repetitions
                self.say(f"[stream] time to the first SSE piece, {len(messages)} questions × {reps}")
                report.stream = stream_first_piece(server.url, messages, self.options.stream_repetitions)
            if "concurrency" in self.options.sections:
                load = LoadTest(server.url, messages)
                for clients in self.options.clients:
                    self.say(f"[concurrency] {clients} parallel clients")
                    report.concurrency.append(
                        load.run(clients, self.options.requests_per_client, self.options.level_time_limit_s)
                    )

    def _scale(self, ws: Workspace, report: BenchReport) -> None:
        points = []
        for factor in self.options.scales:
            self.say(f"[scale] corpus ×{factor} in a fresh process")
            home = (self.scale_dir or ws.path("scale")) / f"x{factor}"
            home.mkdir(parents=True, exist_ok=True)
            point = run_point(
                factor,
                home / "data",
                self.questions_file,
                self.options.scale_repetitions,
                ws.env(),
                ws.path("logs") / f"scale-x{factor}.log",
                timeout_s=3600.0,
                reuse=self.scale_dir is not None,
            )
            points.append(point)
            self.say(f"[scale] ×{factor}: {point.model_dump_json()[:200]}")
        report.scale = with_ratios(points)

    def _llm(self, ws: Workspace, report: BenchReport) -> None:
        self._ensure_index(ws)
        self.say(f"[llm] the local model on {self.options.llm_prompts} product questions, streamed and checked")
        picked = llm_prompts(self.questions, self.options.llm_prompts)
        report.llm = measure_local_llm(
            ws.settings(), [q.message for q in picked], self.options.llm_max_new_tokens, kinds=[q.kind for q in picked]
        )


def llm_prompts(questions: list[BenchQuestion], n: int) -> list[BenchQuestion]:
    """Return ``n`` questions taking the kinds in turn (situation, factual, quote, ...).

    The figures then cover a question the model answers from its first word as well as a situation, whose
    offline lead is streamed at once.
    """
    by_kind: dict[str, list[BenchQuestion]] = {}
    for question in questions:
        by_kind.setdefault(question.kind, []).append(question)
    picked: list[BenchQuestion] = []
    while len(picked) < min(n, len(questions)):
        for kind in list(by_kind):
            if by_kind[kind] and len(picked) < n:
                picked.append(by_kind[kind].pop(0))
    return picked
