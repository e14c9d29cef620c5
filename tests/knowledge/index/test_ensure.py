"""The first command that needs the index builds it; a damaged one is refused, never repaired here."""

from __future__ import annotations

import pytest

from knowledge import corpus
from knowledge.embedding import Embedder
from knowledge.index import HybridRetriever, IndexConfig, open_index
from knowledge.index.ensure import ensure_index
from knowledge.index.integrity import IndexDamagedError
from tests.knowledge.index.records import small_corpus
from tests.knowledge.index.state import stored_hashes
from tests.reliability.faults import set_collection_metadata


@pytest.fixture
def small_curated_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "load_records", small_corpus)
    monkeypatch.setattr(corpus, "corpus_version", lambda: "v1")


@pytest.mark.usefixtures("small_curated_corpus")
def test_a_missing_index_is_built_and_says_so(index_config: IndexConfig, capsys: pytest.CaptureFixture[str]) -> None:
    ensure_index(index_config, Embedder(), progress=True)
    assert set(stored_hashes(index_config)) == {r.id for r in small_corpus()}
    assert "index created: " in capsys.readouterr().err


@pytest.mark.usefixtures("small_curated_corpus")
def test_a_current_index_is_left_alone(indexed: IndexConfig, capsys: pytest.CaptureFixture[str]) -> None:
    before = stored_hashes(indexed)
    retriever = open_index(indexed, progress=True)
    assert isinstance(retriever, HybridRetriever)
    assert capsys.readouterr().err == "" and stored_hashes(indexed) == before
    assert retriever.search("pilot", k=1).hits


@pytest.mark.usefixtures("small_curated_corpus")
def test_a_half_built_index_is_refused_and_not_touched(indexed: IndexConfig) -> None:
    set_collection_metadata(indexed, Embedder(), {"note": "manifest lost"})
    before = stored_hashes(indexed)
    with pytest.raises(IndexDamagedError, match="advisor ingest --rebuild"):
        open_index(indexed, progress=False)
    assert stored_hashes(indexed) == before
