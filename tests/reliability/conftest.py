"""Fixtures for the reliability tests: writable copies of the session's real index, and real servers.

The session's ``built_index`` is read-only for everyone, so a test that uploads, damages or rebuilds
works on a byte copy of it in its own tmp dir (copying is seconds; re-embedding the corpus is minutes).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.service import Advisor
from advisor.settings import Settings
from knowledge.embedding import Embedder
from knowledge.index import HybridRetriever, IndexConfig
from tests.ui.server import running_server
from ui.app import create_app
from ui.limits import ApiLimits
from ui.services import Services

API_TOKEN = "reliability-token-42"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder()


@pytest.fixture
def index_copy(built_index: tuple[IndexConfig, HybridRetriever], tmp_path: Path) -> IndexConfig:
    """A byte copy of the real-corpus index that this test may change, damage or rebuild."""
    source, _ = built_index
    target = tmp_path / "data"
    shutil.copytree(source.data_dir, target, ignore=shutil.ignore_patterns(".index.lock"))
    return source.model_copy(update={"data_dir": target, "max_upload_bytes": 200_000})


def settings_for(config: IndexConfig, **extra: object) -> Settings:
    return Settings(
        data_dir=config.data_dir,
        collection=config.collection,
        chroma_url=None,
        llm_provider="none",
        max_upload_bytes=config.max_upload_bytes,
        **extra,
    )


@pytest.fixture
def copy_advisor(index_copy: IndexConfig, embedder: Embedder) -> Advisor:
    """An offline Advisor over this test's own index copy (so documents may be added to it)."""
    settings = settings_for(index_copy)
    return Advisor(settings, embedder=embedder)  # share the loaded model instead of loading it again


@pytest.fixture(scope="module")
def api_server(advisor_service: Advisor) -> Iterator[str]:
    """The real app (UI + API) over the session's Advisor, token set, rate limit off."""
    settings = advisor_service.settings.model_copy(update={"api_token": API_TOKEN})
    app = create_app(settings, Services(settings, advisor=advisor_service), ApiLimits(rate_per_minute=0))
    with running_server(app) as url:
        yield url


AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
