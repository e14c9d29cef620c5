"""The shared vector cache of Embedder: same vectors as the model, bounded, and off when asked."""

import numpy as np
import pytest

from knowledge.embedding import Embedder, bundled_model_path


@pytest.fixture
def cache_key() -> str:
    return str(bundled_model_path())


def test_cached_vectors_equal_the_models(cache_key: str) -> None:
    texts = ["Scaling AI needs data pipelines.", "Proofs of concept come first.", "Scaling AI needs data pipelines."]
    cached = Embedder().embed(texts)
    direct = Embedder(cache_size=0).embed(texts)
    assert cached.shape == (3, 384)
    np.testing.assert_allclose(cached, direct, atol=1e-5)
    np.testing.assert_array_equal(cached[0], cached[2])
    assert texts[0] in Embedder._vectors[cache_key]
    again = Embedder().embed([texts[1]])
    np.testing.assert_array_equal(again[0], cached[1])


def test_returned_arrays_do_not_alias_the_cache(cache_key: str) -> None:
    text = "Governance grows with the number of models in production."
    first = Embedder().embed([text])
    first[0, :] = 0.0
    assert np.linalg.norm(Embedder().embed([text])[0]) == pytest.approx(1.0, abs=1e-4)


def test_cache_is_bounded_least_recently_used_out(cache_key: str) -> None:
    small = Embedder(cache_size=2)
    Embedder._vectors.pop(cache_key, None)
    small.embed(["one thing", "two things"])
    small.embed(["one thing"])  # touch: now the most recent
    small.embed(["three things"])
    kept = list(Embedder._vectors[cache_key])
    assert kept == ["one thing", "three things"]


def test_cache_size_zero_neither_reads_nor_fills(cache_key: str) -> None:
    Embedder._vectors.pop(cache_key, None)
    Embedder(cache_size=0).embed(["nothing remembered here"])
    assert "nothing remembered here" not in Embedder._vectors.get(cache_key, {})
    with pytest.raises(ValueError):
        Embedder(cache_size=-1)


def test_empty_input() -> None:
    assert Embedder().embed([]).shape == (0, 384)
