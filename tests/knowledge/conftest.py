"""Shared corpus fixtures: the committed records and the raw sources, loaded once per session."""

from __future__ import annotations

import pytest

from knowledge.corpus import load_records, load_sources
from knowledge.corpus.sources import read_raw
from knowledge.schema import Record


@pytest.fixture(scope="session")
def corpus_records() -> list[Record]:
    return load_records()


@pytest.fixture(scope="session")
def corpus_raw() -> dict[str, str]:
    return {s.id: read_raw(s) for s in load_sources()}


@pytest.fixture(scope="session")
def corpus_built() -> list[Record]:
    from knowledge.corpus import build_records

    return build_records()
