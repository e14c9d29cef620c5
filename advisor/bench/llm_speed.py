"""The ``local`` LLM (SmolLM2-135M through the answers layer's backend): time to first token, tokens/s.

The prompts are the product's own: each benchmark question goes through ``Advisor.prepare`` (scope,
diagnosis, retrieval) and the LLM composer builds its numbered-passage prompt, so the prompt length
is what a user's question really costs. Generation is greedy and capped at ``max_new_tokens``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from advisor.bench.stats import Latency
from advisor.settings import Settings


class LLMSpeed(BaseModel):
    model_config = ConfigDict(frozen=True)

    backend: str
    prompts: int
    max_new_tokens: int
    load_s: float
    prompt_tokens_mean: float
    new_tokens_mean: float
    first_token: Latency
    tokens_per_s_mean: float
    decode_tokens_per_s_mean: float
    description: str = (
        "first token: stream() call to the first non-empty chunk; tokens/s: new tokens over the whole "
        "generation; decode tokens/s: tokens after the first over the time after the first"
    )


class _Reply(BaseModel):
    first_token_s: float
    total_s: float
    prompt_tokens: int
    new_tokens: int


def _prompts(settings: Settings, messages: Sequence[str]) -> tuple[list[list[Any]], Any, str]:
    from advisor.llm import backend_name
    from advisor.service import Advisor, Prepared

    advisor = Advisor(settings)
    composer, problem = advisor.llm_composer()
    if composer is None:
        raise RuntimeError(f"the local model is not available: {problem}")
    prompts = []
    for message in messages:
        prepared = advisor.prepare(message)
        if not isinstance(prepared, Prepared):
            continue  # refused or out of scope: the model is never called for it
        passages = composer.passages(prepared.evidence)
        prompts.append(composer.messages(prepared.question, prepared.diagnosis, passages))
    if not prompts:
        raise RuntimeError("none of the questions reached the language model (all refused or out of scope)")
    return prompts, composer.chat_model, backend_name(settings)


def _stream(model: Any, prompt: list[Any]) -> _Reply:
    started = time.perf_counter()
    first: float | None = None
    meta: dict[str, Any] = {}
    for chunk in model.stream(prompt):
        if first is None and isinstance(chunk.content, str) and chunk.content:
            first = time.perf_counter() - started
        meta = chunk.response_metadata or meta
    total = time.perf_counter() - started
    return _Reply(
        first_token_s=first if first is not None else total,
        total_s=total,
        prompt_tokens=int(meta.get("prompt_tokens", 0)),
        new_tokens=int(meta.get("completion_tokens", 0)),
    )


def measure_local_llm(settings: Settings, messages: Sequence[str], max_new_tokens: int = 96) -> LLMSpeed:
    """Stream the local model's replies to the product's prompts for ``messages``; model load timed apart."""
    if max_new_tokens < 1:
        raise ValueError("max_new_tokens must be at least 1")
    local = settings.model_copy(update={"llm_provider": "local", "llm_max_tokens": max_new_tokens})
    prompts, model, backend = _prompts(local, messages)
    started = time.perf_counter()
    model.warm_up()
    load_s = time.perf_counter() - started
    replies = [_stream(model, prompt) for prompt in prompts]
    rates = [r.new_tokens / r.total_s for r in replies if r.total_s > 0]
    decode = [
        (r.new_tokens - 1) / (r.total_s - r.first_token_s)
        for r in replies
        if r.new_tokens > 1 and r.total_s > r.first_token_s
    ]
    return LLMSpeed(
        backend=backend,
        prompts=len(replies),
        max_new_tokens=max_new_tokens,
        load_s=load_s,
        prompt_tokens_mean=sum(r.prompt_tokens for r in replies) / len(replies),
        new_tokens_mean=sum(r.new_tokens for r in replies) / len(replies),
        first_token=Latency.of([r.first_token_s for r in replies]),
        tokens_per_s_mean=sum(rates) / len(rates) if rates else 0.0,
        decode_tokens_per_s_mean=sum(decode) / len(decode) if decode else 0.0,
    )
