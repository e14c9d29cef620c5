"""``advisor bench retrieval``: how long ingest and search take on this machine (printed, never asserted).

Cold ingest embeds the whole corpus into a fresh collection; the no-change re-ingest is measured
both in-process and as a fresh ``advisor ingest`` process (imports included), since the latter is
what a user waits for; search latency is measured per mode over the dev-set queries.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from knowledge.embedding import Embedder
from knowledge.index import HybridRetriever, IndexConfig, Ingestor
from knowledge.index.chroma_store import drop_collection, make_client
from knowledge.index.retriever import MODES, Mode


class LatencyStats(BaseModel):
    model_config = ConfigDict(frozen=True)

    mode: Mode
    searches: int
    p50_ms: float
    p95_ms: float
    max_ms: float


class RetrievalBenchReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    where: str
    records: int
    model_load_s: float
    cold_ingest_s: float
    noop_ingest_s: float
    noop_ingest_cli_s: float | None
    search: list[LatencyStats]
    cpu_count: int
    load_average: tuple[float, float, float]

    def table(self) -> str:
        lines = [
            f"retrieval benchmark on {self.where} ({self.records} records, {self.cpu_count} CPUs, "
            f"load average {self.load_average[0]:.1f})",
            f"  model load (sentence-transformers import + weights)  {self.model_load_s:8.2f} s",
            f"  cold ingest (embed + write every record)             {self.cold_ingest_s:8.2f} s",
            f"  no-change re-ingest, in process                      {self.noop_ingest_s:8.2f} s",
        ]
        if self.noop_ingest_cli_s is not None:
            lines.append(f"  no-change re-ingest, fresh `advisor ingest` process  {self.noop_ingest_cli_s:8.2f} s")
        lines.append(f"  {'search mode':<10} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
        for s in self.search:
            lines.append(f"  {s.mode:<10} {s.searches:>5} {s.p50_ms:>9.1f} {s.p95_ms:>9.1f} {s.max_ms:>9.1f}")
        return "\n".join(lines)


class RetrievalBenchmark:
    """Build a throw-away index (a tmp dir, or a temporary collection on a Chroma server) and time it."""

    def __init__(self, chroma_url: str | None = None, embedding_model_path: Path | None = None) -> None:
        self.chroma_url = chroma_url
        self.embedding_model_path = embedding_model_path

    def run(self, queries: Sequence[str], repeats: int = 3, cli: bool = True) -> RetrievalBenchReport:
        from knowledge import corpus

        if not queries or repeats < 1:
            raise ValueError("need at least one query and one repeat")
        records, version = corpus.load_records(), corpus.corpus_version()
        scratch = Path(tempfile.mkdtemp(prefix="advisor-bench-"))
        config = IndexConfig(
            data_dir=scratch,
            chroma_url=self.chroma_url,
            collection=f"bench_{uuid.uuid4().hex[:8]}",
            embedding_model_path=self.embedding_model_path,
        )
        try:
            embedder = Embedder(self.embedding_model_path)
            started = time.perf_counter()
            embedder.warm_up()
            model_load = time.perf_counter() - started
            cold = Ingestor(config, embedder, progress=True).run(records, version)
            noop = Ingestor(config, embedder, progress=False).run(records, version)
            if noop.changed:
                raise RuntimeError(f"a no-change re-ingest changed the index: {noop.summary()}")
            cli_seconds = self._cli_noop(config) if cli else None
            retriever = HybridRetriever(config, embedder)
            stats = [self._latency(retriever, mode, queries, repeats) for mode in MODES]
        finally:
            if self.chroma_url:
                drop_collection(make_client(config), config)
            shutil.rmtree(scratch, ignore_errors=True)
        return RetrievalBenchReport(
            where=self.chroma_url or "embedded Chroma (tmp dir)",
            records=len(records),
            model_load_s=model_load,
            cold_ingest_s=cold.seconds,
            noop_ingest_s=noop.seconds,
            noop_ingest_cli_s=cli_seconds,
            search=stats,
            cpu_count=os.cpu_count() or 1,
            load_average=os.getloadavg(),
        )

    def _cli_noop(self, config: IndexConfig) -> float | None:
        executable = Path(sys.executable).with_name("advisor")
        if not executable.exists():
            return None
        env = {**os.environ, "ADVISOR_DATA_DIR": str(config.data_dir), "ADVISOR_COLLECTION": config.collection}
        if config.chroma_url:
            env["ADVISOR_CHROMA_URL"] = config.chroma_url
        started = time.perf_counter()
        done = subprocess.run([str(executable), "ingest"], env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if done.returncode != 0 or "up to date" not in done.stdout:
            raise RuntimeError(f"`advisor ingest` re-run failed or changed the index: {done.stdout}{done.stderr}")
        return seconds

    @staticmethod
    def _latency(retriever: HybridRetriever, mode: Mode, queries: Sequence[str], repeats: int) -> LatencyStats:
        retriever.search(queries[0], k=5, mode=mode)  # first call loads records and BM25
        timings = []
        for _ in range(repeats):
            for query in queries:
                started = time.perf_counter()
                retriever.search(query, k=5, mode=mode)
                timings.append((time.perf_counter() - started) * 1000)
        values = np.asarray(timings)
        return LatencyStats(
            mode=mode,
            searches=len(timings),
            p50_ms=float(np.percentile(values, 50)),
            p95_ms=float(np.percentile(values, 95)),
            max_ms=float(values.max()),
        )
