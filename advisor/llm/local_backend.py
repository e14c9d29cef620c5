"""The bundled model, served by its own llama.cpp process on loopback and asked like any OpenAI endpoint.

``warm_up()`` joins and verifies the GGUF (once per data dir) and starts ``advisor.llm.local_server``
(2-3 s to load, about 1.5 GB of memory); one such process per advisor process and model file is shared by
every backend instance and stopped when the advisor exits. A JSON schema is sent as an llguidance grammar
with compact whitespace, so the reply always parses and no token is spent on indentation; llama.cpp keeps
the prompt's KV cache in its slot between requests, so a constant system prompt is read once.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import ClassVar

from advisor.llm.backend import ChatReply, ChatRequest, LLMUnavailableError, OnText
from advisor.llm.bundled import MODEL_NAME, BundledModelError, model_path
from advisor.llm.openai_backend import OpenAICompatibleBackend

_START_TIMEOUT_S = 180.0


class _ServerProcess:
    """One running ``local_server`` and the endpoint that talks to it."""

    def __init__(self, gguf: Path, n_ctx: int, threads: int, timeout_s: float) -> None:
        self.log = gguf.with_name("local_server.log")  # llama.cpp's own messages: an unread pipe would block it
        command = [sys.executable, "-m", "advisor.llm.local_server", str(gguf)]
        with self.log.open("w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [*command, "--ctx", str(n_ctx), "--threads", str(threads)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
        url = self._await_url()
        self.endpoint = OpenAICompatibleBackend(
            url.rstrip("/") + "/v1", MODEL_NAME, None, timeout_s, label="local", llama_cpp=True
        )

    def _await_url(self) -> str:
        found: list[str] = []

        def read() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                if line.startswith("LISTENING "):
                    found.append(line.split(" ", 1)[1].strip())
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(_START_TIMEOUT_S)
        if not found:
            self.stop()
            error = self.log.read_text(encoding="utf-8", errors="replace")[-400:].strip()
            raise LLMUnavailableError(f"the local model server did not start ({self.log}): {error or 'no answer'}")
        return found[0]

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                if self.process.stdin:
                    self.process.stdin.close()
                self.process.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()


class LocalLlamaBackend:
    """Cheap to construct; ``warm_up()`` joins/verifies the GGUF and starts its server process."""

    _servers: ClassVar[dict[str, _ServerProcess]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, data_dir: Path, n_ctx: int = 4096, threads: int | None = None, timeout_s: float = 300) -> None:
        if n_ctx < 512:
            raise ValueError("n_ctx must be at least 512")
        self.data_dir = Path(data_dir)
        self.n_ctx = n_ctx
        self.threads = threads or max(1, min(os.cpu_count() or 2, 8))
        self.timeout_s = timeout_s

    @property
    def name(self) -> str:
        return f"local:{MODEL_NAME}"

    def warm_up(self) -> None:
        self._server()

    def _server(self) -> _ServerProcess:
        try:
            path = model_path(self.data_dir)
        except BundledModelError as exc:
            raise LLMUnavailableError(str(exc)) from exc
        with self._lock:
            server = self._servers.get(str(path))
            if server is None or not server.alive():  # first use, or the process died: (re)start it
                server = _ServerProcess(path, self.n_ctx, self.threads, self.timeout_s)
                self._servers[str(path)] = server
            return server

    def complete(self, request: ChatRequest, on_text: OnText | None = None) -> ChatReply:
        return self._server().endpoint.complete(request, on_text)


def model_server_peak_rss_mb() -> float:
    """Peak resident memory of the running model server processes (Linux ``VmHWM``), in MB."""
    total = 0.0
    for server in LocalLlamaBackend._servers.values():
        try:
            status = Path(f"/proc/{server.process.pid}/status").read_text(encoding="utf-8")
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


@atexit.register
def _stop_servers() -> None:
    for server in LocalLlamaBackend._servers.values():
        server.stop()
