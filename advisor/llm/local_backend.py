"""The bundled model run in-process by llama.cpp (``xllamacpp``, a prebuilt wheel: nothing compiles).

One llama.cpp server per process and model file, shared by every backend instance: loading costs 2-3 s
and about 2 GB, so it happens once, in ``warm_up()`` or on the first answer. Its chat API takes an
OpenAI-style request; a JSON schema becomes a grammar, so the reply always parses. llama.cpp keeps the
prompt's KV cache in its slot between requests: a constant system prompt is read once, not per answer.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

from advisor.llm.backend import (
    ChatReply,
    ChatRequest,
    GenerationCancelledError,
    LLMBadResponseError,
    LLMUnavailableError,
    OnText,
)
from advisor.llm.bundled import MODEL_NAME, BundledModelError, model_path


class LocalLlamaBackend:
    """Cheap to construct; ``warm_up()`` joins/verifies the GGUF and loads it."""

    _servers: ClassVar[dict[str, Any]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, data_dir: Path, n_ctx: int = 4096, threads: int | None = None) -> None:
        if n_ctx < 512:
            raise ValueError("n_ctx must be at least 512")
        self.data_dir = Path(data_dir)
        self.n_ctx = n_ctx
        self.threads = threads or max(1, min(os.cpu_count() or 2, 8))

    @property
    def name(self) -> str:
        return f"local:{MODEL_NAME}"

    def warm_up(self) -> None:
        self._server()

    def _server(self) -> Any:
        try:
            path = str(model_path(self.data_dir))
        except BundledModelError as exc:
            raise LLMUnavailableError(str(exc)) from exc
        with self._lock:
            if path not in self._servers:
                self._servers[path] = self._load(path)
            return self._servers[path]

    def _load(self, path: str) -> Any:
        try:
            import xllamacpp as xlc
        except ImportError as exc:
            raise LLMUnavailableError("the xllamacpp package is not installed (re-run scripts/install.sh)") from exc
        params = xlc.CommonParams()
        params.model.path = path
        params.n_ctx = self.n_ctx
        params.n_parallel = 1
        params.cpuparams.n_threads = self.threads
        params.cpuparams_batch.n_threads = self.threads
        params.n_gpu_layers = 0
        params.cache_prompt = True
        params.verbosity = -1
        try:
            return xlc.Server(params)
        except Exception as exc:  # the runtime raises plain RuntimeErrors for a bad file
            raise LLMUnavailableError(f"llama.cpp could not load {path}: {exc}") from exc

    def complete(self, request: ChatRequest, on_text: OnText | None = None) -> ChatReply:
        server = self._server()
        body: dict[str, Any] = {
            "messages": [m.model_dump() for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": 0.0,
            "repeat_penalty": 1.1,  # greedy decoding of a small model otherwise loops on one sentence
            "cache_prompt": True,
        }
        if request.json_schema is not None:
            # Compact JSON: llama.cpp's grammar engine (llguidance) otherwise lets the model pretty-print,
            # and every newline and indent is a token generated at ~30 tokens/s.
            # (``x-guidance`` is read only when the grammar is given as llguidance text, not via response_format.)
            schema = {**request.json_schema, "x-guidance": {"whitespace_flexible": False}}
            body["grammar"] = "%llguidance {}\nstart: %json " + json.dumps(schema)
        started = time.perf_counter()
        pieces: list[str] = []
        first: list[float] = []
        usage: dict[str, Any] = {}

        def on_chunk(chunk: dict[str, Any]) -> bool:
            if "error" in chunk:
                usage["error"] = chunk["error"]
                return True
            for choice in chunk.get("choices") or []:
                text = (choice.get("delta") or {}).get("content") or ""
                if text:
                    if not first:
                        first.append(time.perf_counter() - started)
                    pieces.append(text)
                    if on_text is not None:
                        try:
                            on_text(text)
                        except GenerationCancelledError:
                            usage["cancelled"] = True
                            return True  # stop generating

            if chunk.get("timings"):
                usage["predicted_n"] = chunk["timings"].get("predicted_n")
            return False  # go on

        result = server.handle_chat_completions({**body, "stream": True}, on_chunk)
        if usage.get("error") or (isinstance(result, dict) and result.get("error")):
            raise LLMBadResponseError(str(usage.get("error") or result.get("error")))
        return ChatReply(
            text="".join(pieces),
            structured=request.json_schema is not None,
            seconds=time.perf_counter() - started,
            first_text_s=first[0] if first else None,
            output_tokens=usage.get("predicted_n"),
        )
