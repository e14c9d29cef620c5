"""Every record fits all-MiniLM-L6-v2's 256 word pieces (so the embedder never truncates one)."""

from __future__ import annotations

import pytest

from knowledge.corpus.tokens import TokenCounter
from knowledge.embedding import MAX_WORD_PIECES, Embedder


def test_every_record_fits_the_model_window(corpus_records):
    # Fast path: the same tokenizer.json the model folder ships, read with `tokenizers`.
    counter = TokenCounter()
    too_long = {r.id: n for r in corpus_records if (n := counter.count(r.text)) > MAX_WORD_PIECES}
    assert not too_long


def test_paper_passages_are_retrieval_sized(corpus_records):
    counter = TokenCounter()
    sizes = sorted(
        counter.count(r.text) for r in corpus_records if r.kind == "passage" and r.source_id != "ops_playbook"
    )
    assert 120 <= sizes[len(sizes) // 2] <= 220


@pytest.mark.slow
def test_every_record_fits_by_the_embedders_own_tokenizer(corpus_records):
    embedder = Embedder()
    tokenizer = embedder.tokenizer()
    assert embedder._model().max_seq_length == MAX_WORD_PIECES
    counter = TokenCounter()
    for record in corpus_records:
        n = len(tokenizer(record.text, truncation=False)["input_ids"])
        assert n <= MAX_WORD_PIECES, (record.id, n)
        assert n == counter.count(record.text), record.id
