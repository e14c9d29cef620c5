"""Scale: the corpus grown ×N with synthetic records, each size measured in its own process.

A fresh process per size keeps peak memory (``ru_maxrss``) honest and lets one size fail or time out
without taking the others down. The worker ingests into its own tmp dir, re-ingests unchanged,
opens the retriever, times hybrid search and the floor on the benchmark questions, and prints one JSON
line the parent reads.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from advisor.bench.questions import BenchQuestion, distinct_messages
from advisor.bench.stats import Latency, ratio
from advisor.bench.workspace import directory_bytes


class ScalePoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    factor: int
    records: int
    synthetic_records: int
    model_load_s: float
    ingest_s: float
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


def measure_point(factor: int, data_dir: Path, questions: list[BenchQuestion], repetitions: int) -> ScalePoint:
    """Run in the worker process: build the ×``factor`` index under ``data_dir`` and time it."""
    from advisor.bench.synthetic import SyntheticCorpus
    from knowledge import corpus
    from knowledge.embedding import Embedder
    from knowledge.index import HybridRetriever, IndexConfig, Ingestor
    from knowledge.index.chroma_store import make_client, open_collection

    base = corpus.load_records()
    records = SyntheticCorpus().grow(base, factor)
    config = IndexConfig(data_dir=data_dir, collection=f"bench_x{factor}")
    embedder = Embedder()
    started = time.perf_counter()
    embedder.warm_up()
    model_load_s = time.perf_counter() - started
    # The real corpus version keeps `open_index` from "repairing" the grown index back to the corpus.
    version = corpus.corpus_version()
    ingestor = Ingestor(config, embedder, progress=False)
    started = time.perf_counter()
    ingestor.run(records, version)
    ingest_s = time.perf_counter() - started
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
    retriever.search("warm-up question", k=5)
    search_samples, floor_samples = [], []
    for message in messages:
        t0 = time.perf_counter()
        retriever.search(message, k=5)
        search_samples.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        collection.query(query_embeddings=[embedder.embed_one(message)], n_results=5)
        floor_samples.append(time.perf_counter() - t0)
    return ScalePoint(
        factor=factor,
        records=len(records),
        synthetic_records=len(records) - len(base),
        model_load_s=model_load_s,
        ingest_s=ingest_s,
        reingest_s=reingest_s,
        open_s=open_s,
        search=Latency.of(search_samples),
        floor=Latency.of(floor_samples),
        index_bytes=directory_bytes(data_dir),
        peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


def run_point(
    factor: int,
    data_dir: Path,
    questions_file: Path,
    repetitions: int,
    env: dict[str, str],
    log: Path,
    timeout_s: float,
) -> ScalePoint | ScaleFailure:
    """Start the worker for one size and read its result line."""
    args = [
        sys.executable,
        "-m",
        "advisor.bench.scale_worker",
        "--factor",
        str(factor),
        "--data-dir",
        str(data_dir),
        "--questions",
        str(questions_file),
        "--repetitions",
        str(repetitions),
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
