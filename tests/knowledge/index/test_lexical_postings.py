"""LexicalIndex scores through precomputed postings must equal rank-bm25's BM25Okapi exactly."""

import numpy as np
from rank_bm25 import BM25Okapi

from knowledge import corpus
from knowledge.index import codec
from knowledge.index.lexical import LexicalIndex, tokenize

QUERIES = [
    "We have three pilots that worked but nothing is in production yet",
    "MLOps MLOps pipeline monitoring",  # a repeated term counts twice, as in BM25Okapi
    "Jasper VP foundation first",
    "zzzz qqqq",  # no known term
    "the of and",  # stopwords only
]


def test_scores_equal_bm25okapi_on_the_corpus() -> None:
    records = corpus.load_records()
    index = LexicalIndex(records)
    reference = BM25Okapi([tokenize(codec.lexical_text(r)) or ["\u2205"] for r in records])
    for query in QUERIES:
        terms = tokenize(query)
        np.testing.assert_array_equal(index.scores(terms), np.asarray(reference.get_scores(terms)))


def test_search_ranks_as_a_full_sort_would() -> None:
    records = corpus.load_records()
    index = LexicalIndex(records)
    for query in QUERIES:
        scores = index.scores(tokenize(query))
        expected = [(records[i].id, float(scores[i])) for i in np.argsort(-scores, kind="stable") if scores[i] > 0][:15]
        assert [(h.id, h.score) for h in index.search(query, 15)] == expected
    quotes_only = index.search("data scientists hiring", 5, allowed=lambda r: r.kind == "quote")
    assert quotes_only
    assert all(":quote:" in h.id for h in quotes_only)


def test_empty_index_and_empty_query() -> None:
    assert LexicalIndex([]).search("anything", 5) == []
    assert LexicalIndex(corpus.load_records()[:3]).search("", 5) == []
