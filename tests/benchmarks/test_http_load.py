"""The HTTP harness against a real local HTTP server (stdlib), so error counting is checked end to end."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from benchmarks.http_load import LoadTest, read_sse, stream_first_piece


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        message = body["message"]
        if self.path == "/v1/ask":
            if "fail" in message:
                self.send_response(500)
                self.end_headers()
                return
            payload = json.dumps({"answer": "" if "empty" in message else f"An answer to {message} [1]"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        elif self.path == "/v1/ask/stream":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            if "notext" not in message:
                self.wfile.write(b'event: text\r\ndata: {"text": "Hello"}\r\n\r\n')
            self.wfile.write(b": ping\r\n\r\n")
            self.wfile.write(b'event: final\r\ndata: {"answer": {}}\r\n\r\n')
        else:
            self.send_response(404)
            self.end_headers()


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_read_sse_parses_events_and_skips_comments() -> None:
    lines = ["event: text", 'data: {"text": "a"}', "", ": ping", "", "data: line1", "data: line2", "", "event: final"]
    lines += ["data: {}", ""]
    events = list(read_sse(iter(lines), started=0.0))
    assert [(e.event, e.data) for e in events] == [
        ("text", '{"text": "a"}'),
        ("message", "line1\nline2"),
        ("final", "{}"),
    ]


def test_load_test_counts_answers_and_errors(server: str) -> None:
    level = LoadTest(server, ["good one?", "please fail", "empty please", "another good one?"]).run(
        clients=4, per_client=2, time_limit_s=30
    )
    assert level.planned == 8
    assert level.completed + level.errors == 8
    assert level.error_kinds == {"http 500": 2, "no answer": 2}
    assert level.completed == 4
    assert level.latency is not None and level.latency.n == 4
    assert not level.stopped_by_time_limit


def test_load_test_reports_a_dead_server_as_errors() -> None:
    from benchmarks.workspace import free_port

    level = LoadTest(f"http://127.0.0.1:{free_port()}", ["anyone?"]).run(clients=2, per_client=1, time_limit_s=10)
    assert level.completed == 0 and level.errors == 2
    assert level.latency is None


def test_stream_first_piece_needs_a_text_event(server: str) -> None:
    result = stream_first_piece(server, ["first?", "notext please"], repetitions=2)
    assert result.requests == 4
    assert result.errors == 2
    assert result.first_piece is not None and result.first_piece.n == 2
    assert result.first_piece.max <= result.complete.max
