"""QueryVectorizer: "message + a few words" derived from the message's vector, handed to the caller as a value."""

import numpy as np
import pytest

from knowledge.embedding import Embedder, bundled_model_path
from knowledge.vectors import ANCHOR_WEIGHT, QueryVectorizer, extra_words

MESSAGE = "Our three pilots worked but nothing is in production yet."


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / np.linalg.norm(vector)


def test_extended_texts_are_derived_from_the_anchor() -> None:
    embedder = Embedder()
    words = "productionizing data pipeline"
    after, before = f"{MESSAGE} {words}", f"{words}  {MESSAGE}"
    vectors = QueryVectorizer(embedder).run([after, before, MESSAGE], anchor=MESSAGE)
    anchor = embedder.embed_one(MESSAGE)
    expected = _unit(anchor + ANCHOR_WEIGHT * embedder.embed_one(words))
    np.testing.assert_allclose(vectors.get(after), expected, atol=1e-6)
    np.testing.assert_allclose(vectors.get(before), expected, atol=1e-6)
    np.testing.assert_allclose(vectors.get(MESSAGE), anchor, atol=1e-6)
    assert vectors.derived == {" ".join(after.split()), " ".join(before.split())}
    # Close to what the model itself says of the whole text, though not equal to it.
    assert float(vectors.get(after) @ Embedder(cache_size=0).embed_one(after)) > 0.85


def test_other_texts_get_model_vectors_and_the_embedder_is_unchanged() -> None:
    embedder = Embedder()
    direct = Embedder(cache_size=0)
    extended = f"{MESSAGE} platformizing"
    other = "Governance grows with the number of models."
    middle = f"Before {MESSAGE} after"
    long_extra = f"{MESSAGE} " + " ".join(f"word{i}" for i in range(40))
    vectors = QueryVectorizer(embedder).run([other, middle, long_extra, extended], anchor=MESSAGE)
    for text in (other, middle, long_extra):
        np.testing.assert_allclose(vectors.get(text), direct.embed_one(text), atol=1e-5)
    # The embedder itself never returns a derived vector: the same text embedded directly is the model's.
    np.testing.assert_allclose(embedder.embed_one(extended), direct.embed_one(extended), atol=1e-5)


def test_derived_vectors_never_reach_the_shared_cache() -> None:
    extended = f"{MESSAGE} learning to learn"
    Embedder._vectors.get(str(bundled_model_path()), {}).pop(extended, None)
    QueryVectorizer(Embedder()).run([extended], anchor=MESSAGE)
    assert extended not in Embedder._vectors[str(bundled_model_path())]


def test_cached_texts_are_served_from_the_cache_even_when_they_extend_the_anchor() -> None:
    embedder = Embedder()
    sentence = f"{MESSAGE} This is a corpus sentence."
    cached = embedder.embed_one(sentence)
    vectors = QueryVectorizer(embedder).run([sentence], anchor=MESSAGE)
    np.testing.assert_array_equal(vectors.get(sentence), cached)
    assert not vectors.derived


@pytest.mark.parametrize("cache_size", [0, 100])
def test_derivation_works_with_and_without_the_cache(cache_size: int) -> None:
    embedder = Embedder(cache_size=cache_size)
    text = MESSAGE + " managing expectations"
    vectors = QueryVectorizer(embedder).run([text], anchor=MESSAGE)
    expected = _unit(embedder.embed_one(MESSAGE) + ANCHOR_WEIGHT * embedder.embed_one("managing expectations"))
    np.testing.assert_allclose(vectors.get(text), expected, atol=1e-6)


def test_without_an_anchor_every_text_is_embedded() -> None:
    embedder = Embedder()
    vectors = QueryVectorizer(embedder).run([MESSAGE, f"{MESSAGE} platformizing"])
    assert not vectors.derived and vectors.anchor is None and len(vectors) == 2
    assert f"{MESSAGE}  platformizing" in vectors  # looked up whitespace-normalized


def test_extra_words_and_arguments() -> None:
    assert extra_words("a b", "a b c") == "c"
    assert extra_words("a b", "c  a b") == "c"
    assert extra_words("a b", "a  b") == ""
    assert extra_words("a b", "x a b y") is None
    assert extra_words("a", "a " + "w " * 30) is None
    with pytest.raises(ValueError, match="weight"):
        QueryVectorizer(Embedder(), weight=-1)
