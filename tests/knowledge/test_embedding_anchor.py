"""Embedder.anchored: "message + a few words" derived from the message's vector, only inside the block."""

import numpy as np
import pytest

from knowledge.embedding import ANCHOR_WEIGHT, Embedder, bundled_model_path

MESSAGE = "Our three pilots worked but nothing is in production yet."


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / np.linalg.norm(vector)


def test_extended_texts_are_derived_from_the_anchor() -> None:
    embedder = Embedder()
    words = "productionizing data pipeline"
    with embedder.anchored(MESSAGE) as anchor:
        after, before = embedder.embed([f"{MESSAGE} {words}", f"{words}  {MESSAGE}"])
        itself = embedder.embed_one(" ".join(MESSAGE.split()))
    expected = _unit(anchor + ANCHOR_WEIGHT * embedder.embed_one(words))
    np.testing.assert_allclose(after, expected, atol=1e-6)
    np.testing.assert_allclose(before, expected, atol=1e-6)
    np.testing.assert_allclose(itself, anchor, atol=1e-6)
    # Close to what the model itself says of the whole text, though not equal to it.
    assert float(after @ Embedder(cache_size=0).embed_one(f"{MESSAGE} {words}")) > 0.85


def test_other_texts_and_the_world_outside_the_block_get_model_vectors() -> None:
    embedder = Embedder()
    direct = Embedder(cache_size=0)
    extended = f"{MESSAGE} platformizing"
    other = "Governance grows with the number of models."
    middle = f"Before {MESSAGE} after"
    long_extra = f"{MESSAGE} " + " ".join(f"word{i}" for i in range(40))
    with embedder.anchored(MESSAGE):
        inside = embedder.embed([other, middle, long_extra])
    np.testing.assert_allclose(inside, direct.embed([other, middle, long_extra]), atol=1e-5)
    np.testing.assert_allclose(embedder.embed_one(extended), direct.embed_one(extended), atol=1e-5)
    assert extended in Embedder._vectors[str(bundled_model_path())]  # the model's vector, cached after the block


def test_derived_vectors_never_reach_the_shared_cache() -> None:
    embedder = Embedder()
    extended = f"{MESSAGE} learning to learn"
    Embedder._vectors.get(str(bundled_model_path()), {}).pop(extended, None)
    with embedder.anchored(MESSAGE):
        embedder.embed_one(extended)
    assert extended not in Embedder._vectors[str(bundled_model_path())]


def test_cached_texts_are_served_from_the_cache_even_when_they_extend_the_anchor() -> None:
    embedder = Embedder()
    sentence = f"{MESSAGE} This is a corpus sentence."
    cached = embedder.embed_one(sentence)
    with embedder.anchored(MESSAGE):
        np.testing.assert_array_equal(embedder.embed_one(sentence), cached)


@pytest.mark.parametrize("cache_size", [0, 100])
def test_anchor_works_with_and_without_the_cache(cache_size: int) -> None:
    embedder = Embedder(cache_size=cache_size)
    with embedder.anchored(MESSAGE) as anchor:
        vectors = embedder.embed([MESSAGE + " managing expectations", "managing expectations"])
    np.testing.assert_allclose(vectors[0], _unit(anchor + ANCHOR_WEIGHT * vectors[1]), atol=1e-6)
