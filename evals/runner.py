"""Run an eval set through the one entry point, ``Advisor.ask``, and score it.

Each case is asked exactly as a user would ask it (message plus history). Cases that name relevant
records are also sent to the retriever, so retrieval quality is measured on its own and not only through
what the composer chose to cite. A case whose ask raises is recorded with its error and fails.
With ``workers`` > 1 cases run on threads (the scores are the same; latencies then include the
contention between them, so compare latencies only between runs with the same number of workers).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from tqdm import tqdm

from advisor.schema import Answer, ChatTurn
from evals.metrics.base import Metric
from evals.metrics.retrieval import relevance_groups
from evals.results import CaseResult, RunInfo, RunResult
from evals.schema import EvalCase, EvalSet
from knowledge.schema import SearchResult


class Asker(Protocol):
    def ask(self, message: str, history: list[ChatTurn] | None = None) -> Answer: ...


class Searcher(Protocol):
    def search(self, query: str, k: int = 5) -> SearchResult: ...


def retrieval_query(case: EvalCase) -> str:
    """Prefix a follow-up with the last earlier user turn: a plain, documented way to resolve it."""
    earlier = [turn.content for turn in case.history if turn.role == "user"]
    return " ".join([*earlier[-1:], case.message])


def git_commit(repo: Path | None = None) -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=repo or Path(__file__).parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


class EvalRunner:
    def __init__(
        self,
        advisor: Asker,
        metrics: Sequence[Metric],
        retriever: Searcher | None = None,
        retrieval_k: int = 5,
        progress: bool = True,
        workers: int = 1,
    ) -> None:
        if retrieval_k < 1:
            raise ValueError("retrieval_k must be >= 1")
        if workers < 1:
            raise ValueError("workers must be >= 1")
        if not metrics:
            raise ValueError("give at least one metric")
        self.advisor = advisor
        self.metrics = list(metrics)
        self.retriever = retriever
        self.retrieval_k = retrieval_k
        self.progress = progress
        self.workers = workers

    def run_case(self, case: EvalCase) -> CaseResult:
        started = time.perf_counter()
        answer: Answer | None = None
        error: str | None = None
        try:
            answer = self.advisor.ask(case.message, list(case.history) or None)
        except Exception as exc:  # one broken case must not hide the rest of the run
            error = f"{type(exc).__name__}: {exc}"
        latency_ms = (time.perf_counter() - started) * 1000
        retrieved: list[str] = []
        if self.retriever is not None and relevance_groups(case):
            hits = self.retriever.search(retrieval_query(case), k=self.retrieval_k).hits
            retrieved = [hit.passage_id for hit in hits]
        return CaseResult(case=case, answer=answer, error=error, latency_ms=latency_ms, retrieved_ids=retrieved)

    def run(self, eval_set: EvalSet, provider: str, k: int | None = None) -> RunResult:
        started_at = datetime.now(UTC)
        clock = time.perf_counter()
        bar = tqdm(total=len(eval_set.cases), desc=f"eval {eval_set.name}", unit="case", disable=not self.progress)
        warm_up = getattr(self.advisor, "warm_up", None)
        if callable(warm_up):
            warm_up()  # load the index and models before the clock runs, and before threads race to do it
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            futures = [pool.submit(self.run_case, case) for case in eval_set.cases]
            for future in futures:
                future.add_done_callback(lambda _: bar.update())
            results = [future.result() for future in futures]
        bar.close()
        info = RunInfo(
            set_name=eval_set.name,
            set_version=eval_set.version,
            provider=provider,
            k=k,
            started_at=started_at,
            duration_s=time.perf_counter() - clock,
            git_commit=git_commit(),
            cases=len(results),
            errors=sum(1 for r in results if r.error),
            workers=self.workers,
        )
        return RunResult(info=info, metrics=[m.score(results) for m in self.metrics], results=results)
