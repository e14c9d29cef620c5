"""The source registry (knowledge/data/sources.yaml) and the raw texts it names."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from knowledge.corpus.paths import SOURCES_DIR, SOURCES_FILE
from knowledge.datafile import load_yaml_list
from knowledge.schema import Source


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[Source, ...]:
    sources = load_yaml_list(path, Source, kind="source")
    ids = [s.id for s in sources]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: duplicate source id in {ids}")
    return tuple(sources)


def load_sources(path: Path = SOURCES_FILE) -> list[Source]:
    return list(_load(path))


def source_by_id(source_id: str, path: Path = SOURCES_FILE) -> Source:
    for source in _load(path):
        if source.id == source_id:
            return source
    raise KeyError(f"unknown source id {source_id!r}; known: {[s.id for s in _load(path)]}")


def read_raw(source: Source, sources_dir: Path = SOURCES_DIR) -> str:
    """Return the raw text exactly as committed (no newline translation, so offsets are stable)."""
    with open(sources_dir / source.filename, encoding="utf-8", newline="") as handle:
        return handle.read()
