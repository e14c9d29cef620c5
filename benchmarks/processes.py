"""Whole processes, timed as a user meets them: a cold ``advisor ask``, ``advisor ingest``, ``advisor serve``.

The server is started on a free loopback port for the HTTP sections.

Each process is started by us, waited for with a deadline, and stopped by its own pid; output goes to
log files in the workspace, so a failure says where to look.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import httpx
from pydantic import BaseModel, ConfigDict

from benchmarks.stats import Latency
from benchmarks.workspace import advisor_command, free_port


class BenchProcessError(RuntimeError):
    """A benchmarked process failed or overran its deadline; the message names its log."""


class TimedRun(BaseModel):
    model_config = ConfigDict(frozen=True)

    seconds: float
    returncode: int
    log: str


def run_timed(args: list[str], env: dict[str, str], log: Path, timeout_s: float) -> TimedRun:
    """Run ``advisor ARGS`` to completion; stdout goes to ``log``, stderr to ``log`` + ``.err``."""
    started = time.perf_counter()
    with log.open("w") as out, log.with_suffix(log.suffix + ".err").open("w") as err:
        try:
            done = subprocess.run(
                [*advisor_command(), *args], env=env, stdout=out, stderr=err, timeout=timeout_s, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise BenchProcessError(f"`advisor {' '.join(args[:2])}` ran over {timeout_s:.0f} s (log: {log})") from exc
    return TimedRun(seconds=time.perf_counter() - started, returncode=done.returncode, log=str(log))


class ColdStartResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    runs: int
    errors: int
    latency: Latency | None
    description: str = "process start to the printed answer: `advisor ask MESSAGE --json` as a subprocess"


def cold_start(
    messages: list[str], env: dict[str, str], logs: Path, repetitions: int, timeout_s: float = 300.0
) -> ColdStartResult:
    """Start ``advisor ask`` afresh for each run (index already built) and time it to its exit."""
    samples: list[float] = []
    errors = 0
    for rep in range(repetitions):
        message = messages[rep % len(messages)]
        run = run_timed(["ask", message, "--json"], env, logs / f"cold-{rep}.log", timeout_s)
        if run.returncode == 0 and _is_answer(Path(run.log)):
            samples.append(run.seconds)
        else:
            errors += 1
    return ColdStartResult(runs=repetitions, errors=errors, latency=Latency.of(samples) if samples else None)


def _is_answer(log: Path) -> bool:
    try:
        data = json.loads(log.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and bool(str(data.get("answer", "")).strip())


class IngestResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    cold_s: float
    reingest_s: float
    summary_cold: str
    summary_reingest: str
    description: str = "`advisor ingest` as a subprocess, wall time: into an empty data dir, then again unchanged"


def ingest_twice(env: dict[str, str], logs: Path, timeout_s: float = 1800.0) -> IngestResult:
    """Build the run's index from nothing, then re-run with nothing changed."""
    cold = run_timed(["ingest"], env, logs / "ingest-cold.log", timeout_s)
    if cold.returncode != 0:
        raise BenchProcessError(f"`advisor ingest` failed (exit {cold.returncode}); see {cold.log}.err")
    again = run_timed(["ingest"], env, logs / "ingest-again.log", timeout_s)
    if again.returncode != 0:
        raise BenchProcessError(f"the second `advisor ingest` failed (exit {again.returncode}); see {again.log}.err")
    return IngestResult(
        cold_s=cold.seconds,
        reingest_s=again.seconds,
        summary_cold=_last_line(Path(cold.log)),
        summary_reingest=_last_line(Path(again.log)),
    )


def _last_line(log: Path) -> str:
    try:
        lines = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    except OSError:
        return ""
    return lines[-1] if lines else ""


class Server:
    """``advisor serve`` on a free loopback port, started and stopped by us."""

    def __init__(self, env: dict[str, str], logs: Path, ready_timeout_s: float = 600.0) -> None:
        self.env = env
        self.logs = logs
        self.ready_timeout_s = ready_timeout_s
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ready_s: float | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The server process's id (to read its memory); only once started."""
        if self._process is None:
            raise BenchProcessError("`advisor serve` has not been started")
        return self._process.pid

    def start(self) -> Server:
        log = self.logs / f"serve-{self.port}.log"
        started = time.perf_counter()
        with log.open("w") as out:
            self._process = subprocess.Popen(
                [*advisor_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = started + self.ready_timeout_s
        with httpx.Client(timeout=2.0) as client:
            while time.perf_counter() < deadline:
                if self._process.poll() is not None:
                    raise BenchProcessError(f"`advisor serve` exited with {self._process.returncode}; see {log}")
                try:
                    if client.get(f"{self.url}/healthz").status_code == 200:
                        self.ready_s = time.perf_counter() - started
                        return self
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
        self.stop()
        raise BenchProcessError(f"`advisor serve` was not ready within {self.ready_timeout_s:.0f} s; see {log}")

    def stop(self) -> None:
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
