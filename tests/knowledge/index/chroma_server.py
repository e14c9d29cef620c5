"""Run a real ``chroma run`` server on a free loopback port for the duration of a test."""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

PORT_RANGE_ENV = "ADVISOR_TEST_PORT_RANGE"
"""``LOW-HIGH``: take test servers' ports from this range (a machine shared with others); unset = any free port."""


def free_port() -> int:
    """A loopback port nobody listens on, from ``$ADVISOR_TEST_PORT_RANGE`` when set."""
    spec = os.environ.get(PORT_RANGE_ENV, "")
    candidates = [0]
    if spec:
        low, high = (int(part) for part in spec.split("-", 1))
        candidates = random.sample(range(low, high + 1), high - low + 1)
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in {PORT_RANGE_ENV}={spec}")


def chroma_executable() -> str:
    beside = Path(sys.executable).with_name("chroma")
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        raise RuntimeError("the `chroma` executable is missing: install chromadb into this environment")
    return found


@contextmanager
def chroma_server(path: Path, timeout: float = 60.0) -> Iterator[str]:
    """Yield ``http://127.0.0.1:PORT`` once ``/api/v2/heartbeat`` answers; SIGTERM the server afterwards."""
    port = free_port()
    log = (path.parent / "chroma-server.log").open("w")
    process = subprocess.Popen(
        [chroma_executable(), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"chroma run exited with {process.returncode}; see {log.name}")
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"chroma run did not answer on {url} within {timeout:.0f} s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
