"""Describe the machine a benchmark ran on, so figures in the repo can be read against it."""

from __future__ import annotations

import os
import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydantic import BaseModel, ConfigDict

PACKAGES = ("torch", "sentence-transformers", "transformers", "chromadb", "langchain-core", "langchain-chroma")


class Machine(BaseModel):
    model_config = ConfigDict(frozen=True)

    cpu_model: str
    logical_cores: int
    usable_cores: int
    memory_gib: float
    os: str
    python: str
    packages: dict[str, str]
    load_average: tuple[float, float, float]


def _cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    try:
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _memory_gib(meminfo: Path = Path("/proc/meminfo")) -> float:
    try:
        for line in meminfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except (OSError, ValueError, IndexError):
        pass
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1)
    except (ValueError, OSError, AttributeError):
        return 0.0


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def describe_machine() -> Machine:
    """Read cores, memory, CPU model and the versions that decide the figures (torch above all)."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    try:
        load = os.getloadavg()
    except OSError:
        load = (0.0, 0.0, 0.0)
    return Machine(
        cpu_model=_cpu_model(),
        logical_cores=os.cpu_count() or 1,
        usable_cores=usable,
        memory_gib=_memory_gib(),
        os=f"{platform.system()} {platform.release()}",
        python=sys.version.split()[0],
        packages={name: _package_version(name) for name in PACKAGES},
        load_average=(round(load[0], 2), round(load[1], 2), round(load[2], 2)),
    )
