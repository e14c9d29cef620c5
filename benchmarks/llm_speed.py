"""The ``local`` answer writer end to end: model load, first checked sentence, whole answer, kept, memory.

Each benchmark question goes through ``Advisor.ask_stream`` exactly as a chat user's does (scope,
diagnosis, retrieval, the offline answer, then the model writing and the citation check), so the
figures are what a user waits for: the first streamed piece is a sentence that already passed the check.
Model load (join/verify the GGUF, load it) is timed apart; peak RSS is this process's, which holds what a
server holds (index, embedding model, the LLM).
"""

from __future__ import annotations

import resource
import time
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from advisor.settings import Settings
from benchmarks.stats import Latency


class LLMSpeed(BaseModel):
    model_config = ConfigDict(frozen=True)

    backend: str
    prompts: int
    max_new_tokens: int
    join_s: float = 0.0
    load_s: float
    first_sentence: Latency
    whole_answer: Latency
    kept: int
    peak_rss_mb: float
    first_sentence_by_kind: dict[str, Latency] = {}
    description: str = (
        "join: first use only, the 22 parts joined and hashed into the data dir; model load: the model "
        "server process started and ready; first sentence: message sent to the first checked sentence "
        "streamed (includes retrieval, diagnosis and the offline answer); whole answer: to the final event; "
        "kept: answers the model wrote that passed the citation check (the rest fell back to the offline "
        "answer); peak RSS: the advisor process plus its model server process"
    )


def measure_local_llm(
    settings: Settings, messages: Sequence[str], max_new_tokens: int = 400, kinds: Sequence[str] = ()
) -> LLMSpeed:
    """Ask ``messages`` through the streaming path with the local model; model load timed apart.

    ``kinds`` (one per message: situation, factual, quote) adds the first-sentence figures per kind: a
    situation streams its checked offline lead at once, a factual answer waits for the model's first sentence.
    """
    if kinds and len(kinds) != len(messages):
        raise ValueError("give one kind per message")
    from advisor.answer.events import FinalEvent, TextEvent
    from advisor.pipeline.steps.writer import WriterStep
    from advisor.service import Advisor

    if max_new_tokens < 1:
        raise ValueError("max_new_tokens must be at least 1")
    local = settings.model_copy(update={"llm_provider": "local", "llm_max_tokens": max_new_tokens})
    advisor = Advisor(local)
    advisor.warm_up(llm=False)
    composer = advisor.parts.writer
    if not isinstance(composer, WriterStep):
        problem = composer.problem if composer is not None else "no model configured"
        raise RuntimeError(f"the local model is not available: {problem}")
    from advisor.llm.bundled import model_path
    from advisor.llm.local_backend import model_server_peak_rss_mb

    started = time.perf_counter()
    model_path(local.data_dir)  # first use only: join the 22 parts and check the hash (timed apart)
    join_s = time.perf_counter() - started
    started = time.perf_counter()
    composer.warm_up()
    load_s = time.perf_counter() - started
    firsts: list[float] = []
    wholes: list[float] = []
    kept = 0
    for message in messages:
        started = time.perf_counter()
        first = None
        for event in advisor.ask_stream(message):
            if first is None and isinstance(event, TextEvent) and event.text.strip():
                first = time.perf_counter() - started
            if isinstance(event, FinalEvent):
                kept += event.answer.backend != "offline"
        whole = time.perf_counter() - started
        wholes.append(whole)
        firsts.append(first if first is not None else whole)
    by_kind: dict[str, list[float]] = {}
    for kind, first in zip(kinds, firsts, strict=False):
        by_kind.setdefault(kind, []).append(first)
    return LLMSpeed(
        backend=composer.name,
        first_sentence_by_kind={kind: Latency.of(values) for kind, values in by_kind.items()},
        prompts=len(messages),
        max_new_tokens=max_new_tokens,
        join_s=join_s,
        load_s=load_s,
        first_sentence=Latency.of(firsts),
        whole_answer=Latency.of(wholes),
        kept=kept,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 + model_server_peak_rss_mb(),
    )
