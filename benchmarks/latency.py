"""The in-process latency comparison: the floor, the LangChain baseline, hybrid search and ``ask``.

All four run in one process on the same index and the same questions, interleaved question by
question, so a burst of load from elsewhere hits every contender alike and the ratios stay fair.
Each contender is warmed up once (models loaded, caches filled as a long-running server would have
them) before anything is timed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pydantic import BaseModel, ConfigDict

from advisor.index_config import index_config
from advisor.settings import Settings
from benchmarks.questions import BenchQuestion, phrasing
from benchmarks.stats import Latency, ratio

FLOOR = "floor"
BASELINE = "baseline"
SEARCH = "search"
ASK = "ask"
CONTENDERS = (FLOOR, BASELINE, SEARCH, ASK)
DESCRIPTIONS = {
    FLOOR: "embed the question + one Chroma query (top 5)",
    BASELINE: "LangChain: langchain-chroma retriever (k=5) + docs stuffed into a ChatPromptTemplate, no LLM",
    SEARCH: "advisor's hybrid search (dense + BM25, RRF, dedup), top 5",
    ASK: "Advisor.ask end to end, offline composer (scope, diagnosis, retrieval, composition, citation check)",
}
STUFF_PROMPT = (
    "You advise managers on implementing and scaling AI. Answer from these numbered passages only and cite "
    "them as [n].\n\n{context}"
)


class LatencyRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    description: str
    latency: Latency
    p50_ratio_to_floor: float | None
    p95_ratio_to_floor: float | None


def uncached_embedder(model_path: Any = None) -> Any:
    """Return an embedder that never answers from (or fills) the shared vector cache.

    The floor and the search row must pay for their own embedding: ``ask`` runs right after them on
    the same question and must not find its vector already cached by them. (An ``Embedder`` without
    a cache parameter has no cache at all.)
    """
    from knowledge.embedding import Embedder

    try:
        return Embedder(model_path, cache_size=0)
    except TypeError:
        return Embedder(model_path)


class Floor:
    """The least work any retrieval answer needs: one embedding and one nearest-neighbour query."""

    def __init__(self, settings: Settings, k: int = 5) -> None:
        self.config = index_config(settings)
        self.embedder = uncached_embedder(self.config.embedding_model_path)
        self.k = k
        self._collection: Any = None

    def warm_up(self) -> None:
        from knowledge.index.chroma_store import make_client, open_collection

        self.embedder.warm_up()
        self._collection = open_collection(make_client(self.config), self.config, self.embedder, create=False)
        if self._collection is None:
            raise RuntimeError(f"no index at {self.config.where}")

    def __call__(self, question: str) -> object:
        vector = self.embedder.embed_one(question)
        return self._collection.query(query_embeddings=[vector], n_results=self.k)


class LangChainBaseline:
    """What a user would build instead: a plain LangChain retrieval chain over the same collection."""

    def __init__(self, settings: Settings, k: int = 5) -> None:
        self.config = index_config(settings)
        self.k = k
        self._chain: Any = None

    def warm_up(self) -> None:
        try:
            from langchain_chroma import Chroma
            from langchain_huggingface import HuggingFaceEmbeddings
        except ImportError as exc:
            raise RuntimeError(
                "the LangChain baseline needs the bench extra: .venv/bin/pip install -e '.[bench]' "
                "(or scripts/install.sh bench)"
            ) from exc
        from langchain_core.prompts import ChatPromptTemplate
        from langchain_core.runnables import RunnablePassthrough

        from knowledge.embedding import bundled_model_path
        from knowledge.index.chroma_store import make_client

        model = self.config.embedding_model_path or bundled_model_path()
        embeddings = HuggingFaceEmbeddings(
            model_name=str(model), model_kwargs={"device": "cpu"}, encode_kwargs={"normalize_embeddings": True}
        )
        store = Chroma(
            collection_name=self.config.collection, client=make_client(self.config), embedding_function=embeddings
        )
        prompt = ChatPromptTemplate.from_messages([("system", STUFF_PROMPT), ("human", "{question}")])
        retriever = store.as_retriever(search_kwargs={"k": self.k})
        self._chain = {"context": retriever | _stuff, "question": RunnablePassthrough()} | prompt
        self("warm-up question")

    def __call__(self, question: str) -> object:
        return self._chain.invoke(question)


def _stuff(documents: Sequence[Any]) -> str:
    return "\n\n".join(f"[{i}] {doc.page_content}" for i, doc in enumerate(documents, start=1))


class HybridSearch:
    def __init__(self, settings: Settings, k: int = 5) -> None:
        self.settings = settings
        self.k = k
        self._retriever: Any = None

    def warm_up(self) -> None:
        from knowledge.index import HybridRetriever

        config = index_config(self.settings)
        self._retriever = HybridRetriever(config, uncached_embedder(config.embedding_model_path))
        self._retriever.warm_up()

    def __call__(self, question: str) -> object:
        return self._retriever.search(question, k=self.k)


class AskEndToEnd:
    """``Advisor.ask`` with the offline composer, warmed up the way ``advisor serve`` warms it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings.model_copy(update={"llm_provider": "none"})
        self.advisor: Any = None

    def warm_up(self) -> None:
        from advisor.service import Advisor

        self.advisor = Advisor(self.settings)
        self.advisor.warm_up()

    def __call__(self, question: str) -> object:
        answer = self.advisor.ask(question)
        if not answer.answer.strip():
            raise RuntimeError(f"empty answer to {question!r}")
        return answer


class LatencyComparison:
    """Time each contender on every question, ``repetitions`` times, interleaved."""

    def __init__(self, settings: Settings, contenders: Sequence[str] = CONTENDERS) -> None:
        unknown = [c for c in contenders if c not in CONTENDERS]
        if unknown:
            raise ValueError(f"unknown contenders: {', '.join(unknown)}")
        if FLOOR not in contenders:
            raise ValueError("the floor must be measured: every ratio is taken against it")
        builders: dict[str, Callable[[], Any]] = {
            FLOOR: lambda: Floor(settings),
            BASELINE: lambda: LangChainBaseline(settings),
            SEARCH: lambda: HybridSearch(settings),
            ASK: lambda: AskEndToEnd(settings),
        }
        self.contenders = {name: builders[name]() for name in contenders}

    def run(
        self,
        questions: Sequence[BenchQuestion],
        repetitions: int = 3,
        warm_questions: Sequence[BenchQuestion] = (),
        on_step: Callable[[str], None] | None = None,
    ) -> list[LatencyRow]:
        """Warm up in this thread, then time every contender in one fresh worker thread.

        That is how ``advisor serve`` works (models loaded at start, each request in a worker thread), and
        the thread matters: torch runs its intra-op thread team in the main thread and in the thread that
        loaded a model, but single-threaded in fresh threads. LangChain already runs the retriever in a
        fresh executor thread, so the other contenders must too, or the ratios would compare threading.
        """
        if repetitions < 1:
            raise ValueError("repetitions must be at least 1")
        if not questions:
            raise ValueError("no questions to time")
        for name, contender in self.contenders.items():
            if on_step:
                on_step(f"warming up {name}")
            contender.warm_up()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bench-latency") as pool:
            return pool.submit(self._timed, questions, repetitions, warm_questions, on_step).result()

    def _timed(
        self,
        questions: Sequence[BenchQuestion],
        repetitions: int,
        warm_questions: Sequence[BenchQuestion],
        on_step: Callable[[str], None] | None,
    ) -> list[LatencyRow]:
        for question in warm_questions:
            for contender in self.contenders.values():
                contender(question.message)
        samples: dict[str, list[float]] = {name: [] for name in self.contenders}
        for rep in range(repetitions):
            if on_step:
                on_step(f"latency repetition {rep + 1}/{repetitions}")
            for question in questions:
                message = phrasing(question.message, rep)
                for name, contender in self.contenders.items():
                    started = time.perf_counter()
                    contender(message)
                    elapsed = time.perf_counter() - started
                    samples[name].append(elapsed)
                    if name == ASK:
                        samples.setdefault(f"{ASK} · {question.kind}", []).append(elapsed)
        return rows_from_samples(samples)


def rows_from_samples(samples: dict[str, list[float]]) -> list[LatencyRow]:
    floor = Latency.of(samples[FLOOR])
    rows = []
    for name, values in samples.items():
        latency = Latency.of(values)
        kind = name.removeprefix(f"{ASK} · ")
        rows.append(
            LatencyRow(
                name=name,
                description=DESCRIPTIONS.get(name, f"the same `ask` timings, {kind} questions only"),
                latency=latency,
                p50_ratio_to_floor=ratio(latency.p50, floor.p50),
                p95_ratio_to_floor=ratio(latency.p95, floor.p95),
            )
        )
    return rows
