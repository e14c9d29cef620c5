"""Real ``advisor serve`` replicas (subprocesses) on one ``chroma run`` server, for the scale-out tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from benchmarks.workspace import OFFLINE_ENV
from knowledge.embedding import Embedder
from knowledge.index import IndexConfig
from knowledge.index.chroma_store import get_all, make_client, open_collection
from tests.knowledge.index.chroma_server import PORT_RANGE_ENV, free_port


def advisor_exe() -> str:
    return str(Path(sys.executable).with_name("advisor"))


def replica_env(data_dir: Path, chroma_url: str, collection: str) -> dict[str, str]:
    """One replica's settings: its own local state, the shared server and collection, no model server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_") or k == PORT_RANGE_ENV}
    env.update(OFFLINE_ENV)
    env.update(
        ADVISOR_DATA_DIR=str(data_dir),
        ADVISOR_CHROMA_URL=chroma_url,
        ADVISOR_COLLECTION=collection,
        ADVISOR_LLM_PROVIDER="none",
        ADVISOR_API_RATE_PER_MINUTE="0",
    )
    return env


def run_advisor(args: list[str], env: dict[str, str], timeout_s: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([advisor_exe(), *args], env=env, capture_output=True, text=True, timeout=timeout_s)


@contextmanager
def advisor_serve(env: dict[str, str], log: Path, timeout_s: float = 300) -> Iterator[str]:
    """Start ``advisor serve --no-warm-up`` and yield its URL once ``/healthz`` answers; SIGTERM it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as sink:
        command = [advisor_exe(), "serve", "--port", str(port), "--no-warm-up"]
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"advisor serve exited with {process.returncode}: {log.read_text()[-2000:]}")
                try:
                    if httpx.get(f"{url}/healthz", timeout=2.0).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"advisor serve did not answer on {url} within {timeout_s:.0f} s")
                time.sleep(0.3)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def seed_server(source: IndexConfig, target: IndexConfig, page: int = 500) -> int:
    """Copy a built index (vectors, texts, metadata, manifest) into the server's collection: no re-embedding."""
    embedder = Embedder(source.embedding_model_path)
    origin = open_collection(make_client(source), source, embedder, create=False)
    assert origin is not None, f"no index at {source.where}"
    copy = open_collection(make_client(target), target, embedder, create=True)
    assert copy is not None
    got = get_all(origin, include=["embeddings", "documents", "metadatas"])
    for start in range(0, len(got["ids"]), page):
        end = start + page
        copy.upsert(
            ids=got["ids"][start:end],
            embeddings=got["embeddings"][start:end],
            documents=got["documents"][start:end],
            metadatas=got["metadatas"][start:end],
        )
    copy.modify(metadata=dict(origin.metadata or {}))
    return len(got["ids"])


def search(url: str, query: str, k: int = 10) -> list[dict]:
    """``GET /v1/search`` with users' documents included; the hits as JSON."""
    params = {"q": query, "k": str(k), "include_user_docs": "true"}
    response = httpx.get(f"{url}/v1/search", params=params, timeout=300.0)
    response.raise_for_status()
    return response.json()["hits"]


def user_doc_titles(hits: list[dict]) -> list[str]:
    return [hit["title"] for hit in hits if hit["kind"] == "user_doc"]
