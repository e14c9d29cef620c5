"""A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol, for backend tests.

Its behaviour is set per test (``server.mode``): a grounded answer built from the passages it was sent,
answers with bad markers or invented figures, a slow reply, HTTP 429, or a body that is not JSON.
"""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_PASSAGE_RE = re.compile(r"^\[(\d+)\] \([^)]*\) (.+)$", re.M)


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return (match.group(1) if match else text).strip()


def grounded_reply(prompt: str) -> str:
    passages = _PASSAGE_RE.findall(prompt)
    sentences = [f"{first_sentence(text).rstrip('.')} [{n}]." for n, text in passages[:3]]
    return " ".join(sentences)


class _Handler(BaseHTTPRequestHandler):
    server: OpenAIServer

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append(body)
        prompt = "\n".join(m.get("content", "") for m in body.get("messages", []))
        mode = self.server.mode
        if mode == "no_schema" and "response_format" in body:  # an endpoint without structured output
            self._send(400, {"error": {"message": "response_format json_schema is not supported", "type": "invalid"}})
            return
        if mode == "rate_limited":
            self._send(429, {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}})
            return
        if mode == "garbage":
            self._raw(200, b"<html>this is not json{{{", "application/json")
            return
        if mode == "slow":
            time.sleep(self.server.delay_s)
        if mode == "invalid_markers":
            passages = _PASSAGE_RE.findall(prompt)
            _, text = passages[0]
            content = (
                f"{first_sentence(text).rstrip('.')} [9]. "
                f"{first_sentence(passages[1][1]).rstrip('.')} [{passages[1][0]}]. "
                "Every firm should budget 2 million euros for MLOps [1]. "
                f"{first_sentence(passages[2][1]).rstrip('.')} [X999]."
            )
        elif mode == "ungrounded":
            content = "AI is great. You should buy more GPUs. Success comes to those who wait."
        else:
            content = grounded_reply(prompt)
        if body.get("stream"):
            self._stream(content)
        else:
            self._send(200, _completion(content))

    def _send(self, status: int, payload: dict) -> None:
        self._raw(status, json.dumps(payload).encode(), "application/json")

    def _raw(self, status: int, data: bytes, ctype: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test): nothing to deliver

    def _stream(self, content: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for word in re.findall(r"\S+\s*", content):
            chunk = {
                "id": "chatcmpl-test",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": "test-model",
                "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}],
            }
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        done = {
            "id": "chatcmpl-test",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": "test-model",
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        }
        self.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())
        self.wfile.flush()


def _completion(content: str) -> dict:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "test-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 40, "total_tokens": 140},
    }


class OpenAIServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "good"
        self.delay_s = 5.0
        self.requests: list[dict] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def handle_error(self, request, client_address) -> None:
        """Stay quiet when a client hangs up mid-stream (what a cancelled answer does); report anything else.

        The default prints a traceback to stderr, where a CLI test reading its output would find it.
        """
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def __enter__(self) -> OpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
