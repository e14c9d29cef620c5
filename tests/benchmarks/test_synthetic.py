import pytest

from benchmarks.synthetic import SYNTHETIC_SOURCE, SYNTHETIC_TAG, SyntheticCorpus, is_synthetic
from knowledge import corpus
from knowledge.index import codec
from knowledge.schema import Passage, Span


def _record(n: int, text: str) -> Passage:
    return Passage(
        id=f"test:passage:{n:02d}",
        source_id="test",
        title="A test source",
        authors=["A. Author"],
        year=2024,
        section=["Intro"],
        text=text,
        span=Span(start=0, end=len(text), line_start=1, line_end=1),
        tags=["phase:productionizing"],
    )


BASE = [
    _record(1, "Firms start with proofs of concept. They then move models into production with MLOps."),
    _record(2, "Data pipelines must be owned by someone. Governance grows with the number of models."),
    _record(3, "Executives expect results quickly. Unrealistic expectations sink many projects."),
]


def test_grow_multiplies_the_corpus_and_keeps_the_base_first() -> None:
    grown = SyntheticCorpus().grow(BASE, 10)
    assert len(grown) == 30
    assert grown[:3] == BASE
    assert all(is_synthetic(r) for r in grown[3:])
    assert not any(is_synthetic(r) for r in BASE)


def test_synthetic_records_are_clearly_marked_and_valid() -> None:
    made = SyntheticCorpus().generate(BASE, 25)
    ids = [r.id for r in made]
    assert len(set(ids)) == 25
    for record in made:
        assert record.id.startswith("synthetic:")
        assert record.source_id == SYNTHETIC_SOURCE
        assert record.tags == [SYNTHETIC_TAG]
        assert "synthetic" in record.title.lower()
        assert record.span.end == len(record.text)
        # Stored like any record, and read back unchanged (the ingest path accepts it).
        assert codec.from_metadata(codec.to_metadata(record)) == record


def test_synthetic_text_recombines_base_sentences() -> None:
    sentences = {s for r in BASE for s in r.text.replace(". ", ".|").split("|")}
    for record in SyntheticCorpus(sentences_per_record=(2, 3)).generate(BASE, 40):
        parts = record.text.replace(". ", ".|").split("|")
        assert 2 <= len(parts) <= 3
        assert set(parts) <= sentences


def test_generation_is_deterministic_per_seed() -> None:
    a = SyntheticCorpus(seed=7).generate(BASE, 20)
    b = SyntheticCorpus(seed=7).generate(BASE, 20)
    c = SyntheticCorpus(seed=8).generate(BASE, 20)
    assert a == b
    assert [r.text for r in a] != [r.text for r in c]


def test_factor_one_adds_nothing_and_bad_arguments_are_refused() -> None:
    assert SyntheticCorpus().grow(BASE, 1) == BASE
    with pytest.raises(ValueError):
        SyntheticCorpus().grow(BASE, 0)
    with pytest.raises(ValueError):
        SyntheticCorpus(sentences_per_record=(3, 2))
    with pytest.raises(ValueError, match="no sentence"):
        SyntheticCorpus(min_words=50).generate(BASE, 1)


def test_grows_the_real_corpus_without_id_clashes() -> None:
    base = corpus.load_records()
    grown = SyntheticCorpus().grow(base, 3)
    assert len(grown) == 3 * len(base)
    assert len({r.id for r in grown}) == len(grown)


def test_repeat_every_reuses_the_smaller_corpus_texts_under_new_ids() -> None:
    small = SyntheticCorpus().generate(BASE, 6)
    big = SyntheticCorpus().generate(BASE, 20, repeat_every=6)
    assert [(r.text, r.section) for r in big[:6]] == [(r.text, r.section) for r in small]
    assert all(big[i].text == big[i % 6].text for i in range(20))
    assert len({r.id for r in big}) == 20
    with pytest.raises(ValueError):
        SyntheticCorpus().generate(BASE, 3, repeat_every=0)


def test_prefilled_embedder_embeds_only_unknown_texts() -> None:
    import numpy as np

    from benchmarks.scale import PrefilledEmbedder

    known = {"already known text": np.full(384, 0.5, dtype=np.float32)}
    embedder = PrefilledEmbedder(dict(known))
    out = embedder.embed(["already known text", "a new sentence about MLOps", "already known text"])
    assert out.shape == (3, 384)
    np.testing.assert_array_equal(out[0], known["already known text"])
    assert embedder.embedded == 1
    embedder.embed(["a new sentence about MLOps"])
    assert embedder.embedded == 1
    assert embedder.embed([]).shape == (0, 384)
