"""A throw-away place for one benchmark run: its own data dir, index and server logs.

Every section of one run reads the same index built here, and the subprocesses (``advisor ask``,
``advisor serve``, scale workers) get an environment pointing at it, offline, with the embedded
Chroma and the offline composer, so nothing of the user's own data is read or changed.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path

from advisor.settings import Settings

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}
_CLEARED = ("ADVISOR_CHROMA_URL", "ADVISOR_API_TOKEN", "ADVISOR_DATA_DIR", "ADVISOR_LLM_PROVIDER", "ADVISOR_PORT")


def free_port(host: str = "127.0.0.1") -> int:
    """Ask the OS for a free loopback port (released at once; a clash is unlikely and fails loudly)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def advisor_command() -> list[str]:
    """Return the ``advisor`` console script of this environment, started as a user would start it."""
    script = Path(sys.executable).with_name("advisor")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from advisor.cli.main import cli; cli()"]


def directory_bytes(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += (Path(root) / name).stat().st_size
            except OSError:
                continue
    return total


class Workspace:
    """A tmp dir (or a given one) holding the run's data dir; removed on ``close`` unless kept."""

    def __init__(self, settings: Settings, root: Path | None = None, keep: bool = False) -> None:
        self._owned = root is None
        self.root = Path(tempfile.mkdtemp(prefix="advisor-bench-")) if root is None else Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.keep = keep or not self._owned
        self.base_settings = settings

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def path(self, name: str) -> Path:
        target = self.root / name
        target.mkdir(parents=True, exist_ok=True)
        return target

    def settings(self, data_dir: Path | None = None) -> Settings:
        """Return the user's settings moved onto this workspace's embedded index and the offline composer."""
        return self.base_settings.model_copy(
            update={
                "data_dir": data_dir or self.data_dir,
                "chroma_url": None,
                "api_token": None,
                "llm_provider": "none",
            }
        )

    def env(self, data_dir: Path | None = None, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
        env.update(OFFLINE_ENV)
        env["ADVISOR_DATA_DIR"] = str(data_dir or self.data_dir)
        env["ADVISOR_LLM_PROVIDER"] = "none"
        env["ADVISOR_COLLECTION"] = self.base_settings.collection
        if self.base_settings.embedding_model_path:
            env["ADVISOR_EMBEDDING_MODEL_PATH"] = str(self.base_settings.embedding_model_path)
        env.update(extra)
        return env

    def close(self) -> None:
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
