"""Clients that vanish mid-stream (closed socket, TCP reset) must not take the server down."""

from __future__ import annotations

import json
import socket
import struct
import threading
from urllib.parse import urlparse

import httpx

from .conftest import API_TOKEN, AUTH

MESSAGE = "We run three AI pilots in claims handling and none is live. What should we do next?"


def _leave_mid_stream(url: str, reset: bool) -> bytes:
    """Send POST /v1/ask/stream, read the first bytes of the answer, then drop the connection."""
    parsed = urlparse(url)
    body = json.dumps({"message": MESSAGE}).encode()
    request = (
        f"POST /v1/ask/stream HTTP/1.1\r\nHost: {parsed.netloc}\r\nAuthorization: Bearer {API_TOKEN}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    sock = socket.create_connection((parsed.hostname, parsed.port), timeout=600)
    try:
        sock.sendall(request)
        received = b""
        while b"event:" not in received:
            chunk = sock.recv(1024)
            if not chunk:
                break
            received += chunk
        if reset:  # RST instead of FIN, as a crashed client or a dropped Wi-Fi does
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        return received
    finally:
        sock.close()


def test_server_survives_clients_leaving_mid_stream(api_server: str) -> None:
    heads: list[bytes] = []
    threads = [
        threading.Thread(target=lambda r=reset: heads.append(_leave_mid_stream(api_server, r)))
        for reset in (True, False, True, False)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=900)
    assert len(heads) == 4 and all(head.startswith(b"HTTP/1.1 200") for head in heads)
    with httpx.Client(base_url=api_server, timeout=600, headers=AUTH) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        again = client.post("/v1/ask", json={"message": "What is a data pipeline for AI?"})
        assert again.status_code == 200 and again.json()["answer"].strip()
        with client.stream("POST", "/v1/ask/stream", json={"message": MESSAGE}) as stream:
            events = [line for line in stream.iter_lines() if line.startswith("event:")]
        assert events[-1] == "event: final"
