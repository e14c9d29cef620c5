"""Scale: the corpus grown ×N with synthetic records, each size measured in its own process.

A fresh process per size keeps peak memory (``ru_maxrss``) honest and lets one size fail or time out
without taking the others down. The worker ingests into its own dir, re-ingests unchanged, opens the
retriever, times hybrid search and the floor on the benchmark questions, and prints one JSON line the
parent reads.

Embedding ×100 the corpus takes far longer than everything else together, so a size's index can be
kept (``--scale-dir``): its cold build is measured once and recorded in ``build.json`` next to it (when,
under which load, peak memory while ingesting); later runs reuse it after checking it is current, and
measure the rest afresh. A stale or foreign index is refused, never silently rebuilt.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from benchmarks.questions import BenchQuestion, distinct_messages
from benchmarks.stats import Latency, ratio
from benchmarks.workspace import directory_bytes
from knowledge.embedding import Embedder

REPEAT_FROM = 10
"""Sizes above ×10 repeat the ×10 synthetic texts (each under its own id) and reuse its vectors when kept."""


class PrefilledEmbedder(Embedder):
    """Answer from vectors already computed for the same texts (a smaller kept index); embed only the rest.

    Benchmark-only: with it the ×100 ingest measures what grows with the record count (hashing, Chroma
    writes, the HNSW graph), while embedding cost per text is measured at ×10, where every text is new.
    """

    def __init__(self, known: dict[str, np.ndarray], model_path: Path | None = None) -> None:
        try:
            super().__init__(model_path, cache_size=0)
        except TypeError:  # an Embedder without a vector cache (the "before" tree of the benchmark)
            super().__init__(model_path)
        self.known = known
        self.embedded = 0

    def embed(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.known]
        if missing:
            self.embedded += len(missing)
            self.known.update(zip(missing, super().embed(missing, batch_size), strict=True))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.known[t] for t in texts])


def known_vectors(data_dir: Path, factor: int) -> dict[str, np.ndarray]:
    """Read the embedding text and vector of every record of a kept index (empty if there is none)."""
    from knowledge.index import IndexConfig, codec
    from knowledge.index.chroma_store import make_client, open_collection

    if not (data_dir / "index").is_dir():
        return {}
    config = IndexConfig(data_dir=data_dir, collection=f"bench_x{factor}")
    collection = open_collection(make_client(config), config, PrefilledEmbedder({}), create=False)
    if collection is None:
        return {}
    got = collection.get(include=["metadatas", "embeddings"])
    vectors = got["embeddings"] if got["embeddings"] is not None else []
    return {
        codec.embedding_text(codec.from_metadata(meta)): np.asarray(vector, dtype=np.float32)
        for meta, vector in zip(got["metadatas"] or [], vectors, strict=True)
    }


class BuildRecord(BaseModel):
    """How the cold build of one size went, kept next to its index so a reusing run can report it."""

    model_config = ConfigDict(frozen=True)

    factor: int
    records: int
    corpus_version: str
    ingest_s: float
    embedded_texts: int | None = None
    vectors_reused: int = 0
    peak_rss_mib: float
    built_at: str
    load_average: tuple[float, float, float]


class ScalePoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    factor: int
    records: int
    synthetic_records: int
    words_mean: float
    model_load_s: float
    ingest_s: float
    ingest_reused: bool = False
    ingest_built_at: str = ""
    ingest_load_average: tuple[float, float, float] | None = None
    ingest_peak_rss_mib: float | None = None
    ingest_embedded_texts: int | None = None
    ingest_vectors_reused: int = 0
    reingest_s: float
    open_s: float
    search: Latency
    floor: Latency
    index_bytes: int
    peak_rss_mib: float
    search_p95_ratio_to_x1: float | None = None


class ScaleFailure(BaseModel):
    model_config = ConfigDict(frozen=True)

    factor: int
    error: str


BUILD_FILE = "build.json"
SYNTHETIC_SENTENCES = (1, 1)
"""One sentence per synthetic record: ×100 the record count stays within minutes of embedding on 2 cores.

Search cost grows with the number of records (BM25 postings, HNSW, filters, the record snapshot), so the
count is what the scale test needs; embedding time per record is lower than for the corpus's own records
(``words_mean`` in the results says by how much)."""


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_point(
    factor: int, data_dir: Path, questions: list[BenchQuestion], repetitions: int, reuse: bool = False
) -> ScalePoint:
    """Run in the worker process: build (or, with ``reuse``, check and reopen) the ×``factor`` index and time it."""
    from benchmarks.latency import uncached_embedder
    from benchmarks.synthetic import SyntheticCorpus
    from knowledge import corpus
    from knowledge.index import HybridRetriever, IndexConfig, Ingestor
    from knowledge.index.chroma_store import make_client, open_collection

    base = corpus.load_records()
    repeat = (REPEAT_FROM - 1) * len(base) if factor > REPEAT_FROM else None
    records = SyntheticCorpus(sentences_per_record=SYNTHETIC_SENTENCES).grow(base, factor, repeat)
    config = IndexConfig(data_dir=data_dir, collection=f"bench_x{factor}")
    embedder = uncached_embedder(None)
    started = time.perf_counter()
    embedder.warm_up()
    model_load_s = time.perf_counter() - started
    # The real corpus version keeps `open_index` from "repairing" the grown index back to the corpus.
    version = corpus.corpus_version()
    ingestor = Ingestor(config, embedder, progress=False)
    build_file = data_dir.parent / BUILD_FILE
    build = _reusable_build(build_file, factor, len(records), version) if reuse else None
    reused = build is not None
    if build is not None:
        if reason := ingestor.pending_reason(version):
            raise RuntimeError(f"the kept ×{factor} index at {data_dir} is not current ({reason}); delete it")
    else:
        known = known_vectors(data_dir.parent.parent / f"x{REPEAT_FROM}" / "data", REPEAT_FROM) if repeat else {}
        writer = PrefilledEmbedder(known)
        started = time.perf_counter()
        Ingestor(config, writer, progress=False).run(records, version)
        build = BuildRecord(
            factor=factor,
            records=len(records),
            corpus_version=version,
            ingest_s=time.perf_counter() - started,
            embedded_texts=writer.embedded,
            vectors_reused=len(records) - writer.embedded,
            peak_rss_mib=_peak_rss_mib(),
            built_at=time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
            load_average=tuple(round(x, 2) for x in os.getloadavg()),  # type: ignore[arg-type]
        )
        build_file.write_text(build.model_dump_json(indent=2) + "\n", encoding="utf-8")
    started = time.perf_counter()
    again = ingestor.run(records, version)
    reingest_s = time.perf_counter() - started
    if again.changed:
        raise RuntimeError(f"re-ingest of an unchanged ×{factor} corpus changed the index: {again.summary()}")
    started = time.perf_counter()
    retriever = HybridRetriever(config, embedder)
    retriever.warm_up()
    open_s = time.perf_counter() - started
    collection = open_collection(make_client(config), config, embedder, create=False)
    assert collection is not None
    messages = distinct_messages([q.message for q in questions], len(questions) * repetitions)

    def timed() -> tuple[list[float], list[float]]:
        retriever.search("warm-up question", k=5)
        search_samples, floor_samples = [], []
        for message in messages:
            t0 = time.perf_counter()
            retriever.search(message, k=5)
            search_samples.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            collection.query(query_embeddings=[embedder.embed_one(message)], n_results=5)
            floor_samples.append(time.perf_counter() - t0)
        return search_samples, floor_samples

    # A fresh worker thread, as in the latency section and the server (see LatencyComparison.run).
    with ThreadPoolExecutor(max_workers=1) as pool:
        search_samples, floor_samples = pool.submit(timed).result()
    return ScalePoint(
        factor=factor,
        records=len(records),
        synthetic_records=len(records) - len(base),
        words_mean=sum(len(r.text.split()) for r in records) / len(records),
        model_load_s=model_load_s,
        ingest_s=build.ingest_s,
        ingest_reused=reused,
        ingest_built_at=build.built_at,
        ingest_load_average=build.load_average,
        ingest_peak_rss_mib=build.peak_rss_mib,
        ingest_embedded_texts=build.embedded_texts,
        ingest_vectors_reused=build.vectors_reused,
        reingest_s=reingest_s,
        open_s=open_s,
        search=Latency.of(search_samples),
        floor=Latency.of(floor_samples),
        index_bytes=directory_bytes(data_dir),
        peak_rss_mib=_peak_rss_mib(),
    )


def _reusable_build(path: Path, factor: int, records: int, version: str) -> BuildRecord | None:
    """Return the kept build's record if it is for this size and corpus; None means build afresh."""
    if not path.is_file():
        return None
    try:
        build = BuildRecord.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (build.factor, build.records, build.corpus_version) != (factor, records, version):
        return None
    return build


def run_point(
    factor: int,
    data_dir: Path,
    questions_file: Path,
    repetitions: int,
    env: dict[str, str],
    log: Path,
    timeout_s: float,
    reuse: bool = False,
) -> ScalePoint | ScaleFailure:
    """Start the worker for one size and read its result line."""
    args = [
        sys.executable,
        "-m",
        "benchmarks.scale_worker",
        "--factor",
        str(factor),
        "--data-dir",
        str(data_dir),
        "--questions",
        str(questions_file),
        "--repetitions",
        str(repetitions),
        *(["--reuse"] if reuse else []),
    ]
    try:
        with log.open("w") as err:
            done = subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=err, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        return ScaleFailure(factor=factor, error=f"ran over {timeout_s:.0f} s (log: {log})")
    lines = [line for line in done.stdout.decode("utf-8", "replace").splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        return ScaleFailure(factor=factor, error=f"worker exited with {done.returncode} (log: {log})")
    try:
        return ScalePoint.model_validate(json.loads(lines[-1]))
    except (ValueError, ValidationError) as exc:
        return ScaleFailure(factor=factor, error=f"unreadable worker output ({exc}); log: {log}")


def with_ratios(points: list[ScalePoint | ScaleFailure]) -> list[ScalePoint | ScaleFailure]:
    """Fill in each size's search p95 relative to ×1 (when ×1 was measured)."""
    one = next((p for p in points if isinstance(p, ScalePoint) and p.factor == 1), None)
    if one is None:
        return points
    return [
        p.model_copy(update={"search_p95_ratio_to_x1": ratio(p.search.p95, one.search.p95)})
        if isinstance(p, ScalePoint)
        else p
        for p in points
    ]
