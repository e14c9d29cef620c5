"""Fixtures of the index tests: a small corpus ingested into this test's own index."""

from __future__ import annotations

import pytest

from knowledge.index import IndexConfig, Ingestor
from tests.knowledge.index.records import small_corpus


@pytest.fixture
def indexed(index_config: IndexConfig) -> IndexConfig:
    """The small corpus (corpus version ``v1``) in a fresh index of this test's own."""
    Ingestor(index_config, progress=False).run(small_corpus(), "v1")
    return index_config
