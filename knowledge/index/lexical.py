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

_STOPWORD_TEXT = """
    a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her
    here hers herself him himself his how i if in into is it its itself just let me more most my myself no
    nor not of off on once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours yourself
    yourselves s t don also get got us ve ll re d m o y ain aren couldn didn doesn hadn hasn haven isn
    mightn mustn needn shan shouldn wasn weren won wouldn dont doesnt didnt isnt arent wasnt werent cant
    couldnt wont wouldnt shouldnt hasnt havent hadnt im ive youre theyre weve thats theres whats
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _stem(token: str) -> str:
    """Fold the commonest English suffixes so "scaling", "scaled" and "scales" meet "scale"."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3 and not token.endswith("ss"):
            token = token[: -len(suffix)] + keep
            break
    return token[:-1] if token.endswith("e") and len(token) > 4 else token


def tokenize(text: str) -> list[str]:
    """Lowercase, split on non-word characters, drop stopwords and fold plurals and -ing/-ed forms."""
    tokens: list[str] = []
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
    """A BM25 index over records; rebuilt whenever the record set changes.

    Scores are rank-bm25's BM25Okapi (same parameters, same idf floor, bit-identical sums), but each
    term's contribution is precomputed per document at build time and stored as postings, so a query
    touches only the documents holding its terms instead of looping over the whole corpus per term:
    search time stays flat as the corpus grows ×100.
    """

    def __init__(self, records: Sequence[Record], tokenizer: Callable[[str], list[str]] = tokenize) -> None:
        self.records = list(records)
        self._tokenizer = tokenizer
        texts = [tokenizer(codec.lexical_text(r)) or ["\u2205"] for r in self.records]
        self._postings = _postings(BM25Okapi(texts)) if texts else {}

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """BM25 score of every record for the query ``terms`` (repeated terms count again, as in BM25Okapi)."""
        score = np.zeros(len(self.records))
        for term in terms:
            posting = self._postings.get(term)
            if posting is not None:
                score[posting[0]] += posting[1]
        return score

    def search(self, query: str, k: int, allowed: Callable[[Record], bool] | None = None) -> list[LexicalHit]:
        """Top ``k`` records by BM25 that pass ``allowed``; records sharing no query word are left out."""
        terms = self._tokenizer(query)
        if not terms or not self.records:
            return []
        scores = self.scores(terms)
        matching = np.flatnonzero(scores > 0)
        order = matching[np.argsort(-scores[matching], kind="stable")]
        hits: list[LexicalHit] = []
        for index in order:
            if len(hits) >= k:
                break
            record = self.records[index]
            if allowed is None or allowed(record):
                hits.append(LexicalHit(id=record.id, score=float(scores[index])))
        return hits


def _postings(bm25: BM25Okapi) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Map each term to (indices of the records holding it, its BM25 contribution to each of them)."""
    docs: dict[str, list[int]] = {}
    freqs: dict[str, list[int]] = {}
    for index, counts in enumerate(bm25.doc_freqs):
        for term, count in counts.items():
            docs.setdefault(term, []).append(index)
            freqs.setdefault(term, []).append(count)
    if not docs:
        return {}
    norm = bm25.k1 * (1 - bm25.b + bm25.b * np.array(bm25.doc_len) / bm25.avgdl)
    postings = {}
    for term, indices in docs.items():
        at = np.array(indices, dtype=np.intp)
        tf = np.array(freqs[term])
        weight = (bm25.idf.get(term) or 0) * (tf * (bm25.k1 + 1) / (tf + norm[at]))
        postings[term] = (at, weight)
    return postings
