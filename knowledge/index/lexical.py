"""BM25 over the same records as the dense index, for words the embedding model blurs.

Consultants search for a phrase they remember ("foundation first", "Jasper", "MLOps"); exact
tokens matter there, which is what BM25 is good at and a small sentence model is not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict
from rank_bm25 import BM25Okapi

from knowledge.index import codec
from knowledge.schema import Record

_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")

STOPWORDS = frozenset(
    (
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "let",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "s",
        "t",
        "don",
        "also",
        "get",
        "got",
        "us",
        "ve",
        "ll",
        "re",
        "d",
        "m",
        "o",
        "y",
        "ain",
        "aren",
        "couldn",
        "didn",
        "doesn",
        "hadn",
        "hasn",
        "haven",
        "isn",
        "mightn",
        "mustn",
        "needn",
        "shan",
        "shouldn",
        "wasn",
        "weren",
        "won",
        "wouldn",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "cant",
        "couldnt",
        "wont",
        "wouldnt",
        "shouldnt",
        "hasnt",
        "havent",
        "hadnt",
        "im",
        "ive",
        "youre",
        "theyre",
        "weve",
        "thats",
        "theres",
        "whats",
    )
)


def _stem(token: str) -> str:
    """Fold the commonest English suffixes so "scaling", "scaled" and "scales" meet "scale"."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3 and not token.endswith("ss"):
            token = token[: -len(suffix)] + keep
            break
    return token[:-1] if token.endswith("e") and len(token) > 4 else token


def tokenize(text: str) -> list[str]:
    """Lowercase, split on non-word characters, drop stopwords and fold plurals and -ing/-ed forms."""
    tokens = []
    for raw in _TOKEN.findall(text.lower().replace("\u2019", "'")):
        word = raw.removesuffix("'s").replace("'", "")
        if word in STOPWORDS:
            continue
        parts = [part for part in word.split("-") if part and part not in STOPWORDS]
        tokens.extend(_stem(part) for part in parts)
        if len(parts) > 1:
            tokens.append(_stem("".join(parts)))
    return tokens


class LexicalHit(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    score: float


class LexicalIndex:
    """A BM25 index over records; rebuilt whenever the record set changes (cheap at corpus size)."""

    def __init__(self, records: Sequence[Record], tokenizer: Callable[[str], list[str]] = tokenize) -> None:
        self.records = list(records)
        self._tokenizer = tokenizer
        self._bm25 = BM25Okapi([tokenizer(codec.lexical_text(r)) or ["\u2205"] for r in self.records])

    def search(self, query: str, k: int, allowed: Callable[[Record], bool] | None = None) -> list[LexicalHit]:
        """Top ``k`` records by BM25 that pass ``allowed``; records sharing no query word are left out."""
        terms = self._tokenizer(query)
        if not terms or not self.records:
            return []
        scores = np.asarray(self._bm25.get_scores(terms))
        order = np.argsort(-scores, kind="stable")
        hits: list[LexicalHit] = []
        for index in order:
            if scores[index] <= 0 or len(hits) >= k:
                break
            record = self.records[index]
            if allowed is None or allowed(record):
                hits.append(LexicalHit(id=record.id, score=float(scores[index])))
        return hits
