"""Ways to damage an index the way a crash, a full disk or a killed process does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from knowledge.embedding import Embedder
from knowledge.index.chroma_store import make_client, open_collection
from knowledge.index.config import IndexConfig
from knowledge.index.integrity import SQLITE_FILE

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def truncate_sqlite(config: IndexConfig) -> None:
    path = config.index_dir / SQLITE_FILE
    os.truncate(path, path.stat().st_size // 2)


def garble_sqlite(config: IndexConfig) -> None:
    """Overwrite the header and a page in the middle, as a torn write would."""
    path = config.index_dir / SQLITE_FILE
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.write(b"\xde\xad\xbe\xef" * 32)
        handle.seek(size // 2)
        handle.write(os.urandom(4096))


def empty_sqlite(config: IndexConfig) -> None:
    os.truncate(config.index_dir / SQLITE_FILE, 0)


def set_collection_metadata(config: IndexConfig, embedder: Embedder, metadata: dict[str, object]) -> None:
    collection = open_collection(make_client(config), config, embedder, create=False)
    assert collection is not None
    collection.modify(metadata=metadata)


def advisor_env(config: IndexConfig, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(OFFLINE_ENV)
    env.update(
        ADVISOR_DATA_DIR=str(config.data_dir),
        ADVISOR_COLLECTION=config.collection,
        ADVISOR_MAX_UPLOAD_BYTES=str(config.max_upload_bytes),
        ADVISOR_LLM_PROVIDER="none",  # the offline server unless a test asks for a model (the default is local)
    )
    env.update(extra)
    return env


def advisor_exe() -> str:
    return str(Path(sys.executable).with_name("advisor"))


def run_advisor(args: list[str], env: dict[str, str], timeout_s: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([advisor_exe(), *args], env=env, capture_output=True, text=True, timeout=timeout_s)


def kill_when(args: list[str], env: dict[str, str], marker: bytes, log: Path, timeout_s: float = 600) -> bytes:
    """Start ``advisor ARGS``, SIGKILL it as soon as ``marker`` shows on its stderr; return what it wrote."""
    with log.open("wb") as sink:
        process = subprocess.Popen([advisor_exe(), *args], env=env, stdout=sink, stderr=subprocess.PIPE)
        seen = b""
        deadline = time.monotonic() + timeout_s
        try:
            assert process.stderr is not None
            os.set_blocking(process.stderr.fileno(), False)
            while marker not in seen:
                if process.poll() is not None:
                    raise AssertionError(f"the process ended (rc={process.returncode}) before {marker!r}: {seen!r}")
                if time.monotonic() > deadline:
                    raise AssertionError(f"{marker!r} did not show within {timeout_s} s: {seen[-500:]!r}")
                chunk = process.stderr.read(4096)
                if chunk:
                    seen += chunk
                else:
                    time.sleep(0.05)
            os.kill(process.pid, signal.SIGKILL)
        finally:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    return seen


def forget_cached_client(config: IndexConfig) -> None:
    """Drop this process's cached Chroma system for an index another process has replaced on disk."""
    from chromadb.api.shared_system_client import SharedSystemClient

    for key in [k for k in SharedSystemClient._identifier_to_system if k == str(config.index_dir)]:
        SharedSystemClient._identifier_to_system.pop(key, None)
        SharedSystemClient._identifier_to_refcount.pop(key, None)
