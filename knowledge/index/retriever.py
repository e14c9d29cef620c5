"""Hybrid search: Chroma's nearest neighbours and BM25, fused by reciprocal rank.

Managers describe problems in their own words (the dense side finds those); consultants type
the words of a quote they half remember (the lexical side finds those). Fusing both wins on
either kind of question, and near-duplicate suppression keeps the top-k varied.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np

from knowledge.embedding import Embedder
from knowledge.index import codec
from knowledge.index.chroma_store import get_all, make_client, open_collection
from knowledge.index.config import IndexConfig
from knowledge.index.fusion import NearDuplicateFilter, RankFusion
from knowledge.index.lexical import LexicalIndex
from knowledge.index.manifest import Manifest
from knowledge.index.phrases import phrase_ranking
from knowledge.schema import Record, SearchFilters, SearchHit, SearchResult

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

    from knowledge.index.langchain_adapter import AdvisorLangChainRetriever

Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "bm25")


class SearchIndex(Protocol):
    """What an answer needs of the index: ``HybridRetriever``, the ``IndexView`` it pins, or a stand-in."""

    def search(
        self,
        query: str,
        k: int = 5,
        filters: SearchFilters | None = None,
        mode: Mode = "hybrid",
        query_vector: np.ndarray | None = None,
    ) -> SearchResult: ...

    def get_record(self, record_id: str) -> Record: ...

    def records(self) -> list[Record]: ...

    def pinned(self) -> SearchIndex: ...


class IndexMissingError(RuntimeError):
    """The collection does not exist yet; ``open_index`` builds it."""


class RecordNotFoundError(KeyError):
    """No record with that id in the index (corpus or users' documents)."""


@dataclass(frozen=True)
class _Snapshot:
    """Everything loaded from one generation of the collection."""

    generation: int
    records: dict[str, Record]
    vectors: dict[str, np.ndarray]
    lexical: LexicalIndex


class HybridRetriever:
    """Search the index in ``hybrid``, ``dense`` or ``bm25`` mode, with metadata filters.

    Construction is cheap; the first search opens Chroma, loads the records and builds BM25.
    The collection's generation (in its manifest, in Chroma itself) is checked on each search or lookup,
    once per answer through :meth:`pinned`, so documents another process added or removed (another replica
    on the same ``chroma run`` server, ``advisor ingest PATH``) show up in both the dense and the in-memory
    BM25 side without a restart. A check is one ``get_collection``: measured ~1 ms embedded and ~5 ms
    against a ``chroma run`` on loopback (2 busy cores). When the generation changed, the records, their
    vectors and BM25 are reloaded whole: ~0.35 s embedded, ~0.4 s from a server for the 497-record corpus.
    """

    def __init__(
        self,
        config: IndexConfig,
        embedder: Embedder | None = None,
        *,
        fusion: RankFusion | None = None,
        dedup: NearDuplicateFilter | None = None,
        candidates: int = 40,
    ) -> None:
        if candidates < 1:
            raise ValueError("candidates must be at least 1")
        self.config = config
        self.embedder = embedder or Embedder(config.embedding_model_path)
        # k=10 and equal weights: tuned on evals/sets/retrieval_dev.jsonl (k=60 barely beat BM25 alone there).
        # A quoted phrase's records weigh as much as a record first in both other rankings.
        self.fusion = fusion or RankFusion(k=10.0, weights={"dense": 1.0, "bm25": 1.0, "phrase": 2.0})
        self.dedup = dedup or NearDuplicateFilter()
        self.candidates = candidates
        self._client: ClientAPI | None = None
        self._snapshot: _Snapshot | None = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        self._load()
        self.embedder.warm_up()

    def refresh(self) -> None:
        with self._lock:
            self._snapshot = None

    def _collection(self) -> Collection:
        if self._client is None:
            self._client = make_client(self.config)
        collection = open_collection(self._client, self.config, self.embedder, create=False)
        if collection is None:
            raise IndexMissingError(f"no index at {self.config.where}: run `advisor ingest` first")
        return collection

    def pinned(self) -> IndexView:
        """Return a view on one generation of the collection, for every search and lookup of one answer.

        An answer runs a dozen searches and record lookups; checking the generation before each costs a
        Chroma ``get_collection`` (~0.7 ms) apiece, and a document added halfway through would mix two
        generations in one answer. The view is a value the caller passes on; the retriever itself keeps
        checking on each call.
        """
        return IndexView(self, *self._load())

    def _load(self) -> tuple[Collection, _Snapshot]:
        collection = self._collection()
        manifest = Manifest.from_metadata(collection.metadata)
        generation = manifest.generation if manifest else -1
        with self._lock:
            if self._snapshot is None or self._snapshot.generation != generation:
                self._snapshot = _read_snapshot(collection, generation)
            return collection, self._snapshot

    def records(self) -> list[Record]:
        """Every record in the index, corpus and users' documents, sorted by id."""
        return self.pinned().records()

    def get_record(self, record_id: str) -> Record:
        return self.pinned().get_record(record_id)

    def search(
        self,
        query: str,
        k: int = 5,
        filters: SearchFilters | None = None,
        mode: Mode = "hybrid",
        query_vector: np.ndarray | None = None,
    ) -> SearchResult:
        """Return the top ``k`` distinct records for ``query`` that pass ``filters`` (see ``IndexView.search``)."""
        return self.pinned().search(query, k, filters, mode, query_vector)

    def _search_in(
        self,
        collection: Collection,
        snapshot: _Snapshot,
        query: str,
        k: int,
        filters: SearchFilters | None,
        mode: Mode,
        query_vector: np.ndarray | None,
    ) -> SearchResult:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        if k < 1:
            raise ValueError("k must be at least 1")
        query = query.strip()
        if not query or codec.is_empty(filters):
            return SearchResult(query=query, mode=mode, hits=[])
        depth = max(self.candidates, 4 * k)
        rankings: dict[str, list[str]] = {}
        scores: dict[str, dict[str, float]] = {}

        def allowed(record: Record) -> bool:
            return codec.matches(record, filters)

        if mode in ("hybrid", "dense"):
            vector = query_vector if query_vector is not None else self.embedder.embed_one(query)
            rankings["dense"], scores["dense"] = self._dense(collection, snapshot, vector, depth, filters)
        if mode in ("hybrid", "bm25"):
            hits = snapshot.lexical.search(query, depth, allowed)
            rankings["bm25"] = [hit.id for hit in hits]
            scores["bm25"] = {hit.id: hit.score for hit in hits}
        if mode == "hybrid":
            quoted = phrase_ranking(query, snapshot.records.values(), allowed)
            if quoted:  # words the manager put in quotation marks: the records holding them
                rankings["phrase"] = quoted
            fused = self.fusion.fuse(rankings)
            ranked, final = [item.id for item in fused], {item.id: item.score for item in fused}
        else:
            ranked, final = rankings[mode], scores[mode]
        kept = self.dedup.select(ranked, snapshot.records, snapshot.vectors, k)
        return SearchResult(query=query, mode=mode, hits=_hits(kept, snapshot.records, final))

    def _dense(
        self, collection: Collection, snapshot: _Snapshot, vector: np.ndarray, depth: int, filters: SearchFilters | None
    ) -> tuple[list[str], dict[str, float]]:
        if not snapshot.records:
            return [], {}
        got = collection.query(
            query_embeddings=[vector],
            n_results=min(depth, len(snapshot.records)),
            where=codec.to_where(filters),
            include=["distances"],
        )
        ids = got["ids"][0]
        distances = (got["distances"] or [[]])[0]
        kept = [rid for rid in ids if rid in snapshot.records]
        similarity = {rid: 1.0 - float(d) for rid, d in zip(ids, distances, strict=True)}
        return kept, similarity

    def as_langchain(
        self, k: int = 5, filters: SearchFilters | None = None, mode: Mode = "hybrid"
    ) -> AdvisorLangChainRetriever:
        from knowledge.index.langchain_adapter import AdvisorLangChainRetriever

        return AdvisorLangChainRetriever(retriever=self, k=k, filters=filters, mode=mode)


class IndexView:
    """One generation of the index: search, look up and list records without checking for a newer one."""

    def __init__(self, retriever: HybridRetriever, collection: Collection, snapshot: _Snapshot) -> None:
        self._retriever = retriever
        self._collection = collection
        self._snapshot = snapshot

    @property
    def generation(self) -> int:
        return self._snapshot.generation

    def pinned(self) -> IndexView:
        return self

    def records(self) -> list[Record]:
        return sorted(self._snapshot.records.values(), key=lambda r: r.id)

    def get_record(self, record_id: str) -> Record:
        record = self._snapshot.records.get(record_id)
        if record is None:
            raise RecordNotFoundError(f"no record {record_id!r} in {self._retriever.config.where}")
        return record

    def search(
        self,
        query: str,
        k: int = 5,
        filters: SearchFilters | None = None,
        mode: Mode = "hybrid",
        query_vector: np.ndarray | None = None,
    ) -> SearchResult:
        """Return the top ``k`` distinct records for ``query`` that pass ``filters``.

        ``query_vector`` is the dense side's vector when the caller made it (see ``knowledge.vectors``);
        without it the query is embedded here. BM25 always reads the query's words.
        """
        return self._retriever._search_in(self._collection, self._snapshot, query, k, filters, mode, query_vector)


def _read_snapshot(collection: Collection, generation: int) -> _Snapshot:
    got = get_all(collection, include=["metadatas", "embeddings"])
    ids = got["ids"]
    records = {rid: codec.from_metadata(meta) for rid, meta in zip(ids, got["metadatas"], strict=True)}
    embeddings = got["embeddings"]
    vectors = {rid: np.asarray(vec, dtype=np.float32) for rid, vec in zip(ids, embeddings, strict=True)}
    lexical = LexicalIndex(sorted(records.values(), key=lambda r: r.id))
    return _Snapshot(generation, records, vectors, lexical)


def _hits(ids: list[str], records: Mapping[str, Record], scores: Mapping[str, float]) -> list[SearchHit]:
    return [codec.to_hit(records[rid], scores[rid]) for rid in ids]
