"""The answer-writing backends, by ``Settings.llm_provider``: a registry, nothing built at import time.

Each provider is one function from Settings to a ``ChatBackend``; ``none`` has no backend (the offline
composer writes every answer). ``local`` is the bundled Qwen2.5-Coder-1.5B-Instruct run in-process;
``openai`` is any OpenAI-compatible endpoint (OpenAI, vLLM, llama.cpp server); ``ollama`` is an Ollama
server through its OpenAI-compatible ``/v1`` routes. A provider that cannot be built (a missing key or
model name) raises ``LLMUnavailableError`` with the setting to fix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import get_args

from advisor.llm.backend import ChatBackend, LLMUnavailableError
from advisor.llm.bundled import MODEL_NAME
from advisor.settings import LLMProvider, Settings, SettingsError

OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434/v1"
PROVIDERS: tuple[str, ...] = get_args(LLMProvider)


def _local(settings: Settings) -> ChatBackend:
    from advisor.llm.local_backend import LocalLlamaBackend

    return LocalLlamaBackend(settings.data_dir, n_ctx=settings.llm_context_tokens)


def _openai(settings: Settings) -> ChatBackend:
    from advisor.llm.openai_backend import OpenAICompatibleBackend

    if not settings.llm_model:
        raise LLMUnavailableError("ADVISOR_LLM_PROVIDER=openai needs ADVISOR_LLM_MODEL (the model name to call)")
    try:
        key = settings.llm_api_key()
    except SettingsError as exc:
        raise LLMUnavailableError(str(exc)) from exc
    return OpenAICompatibleBackend(
        settings.llm_base_url or "https://api.openai.com/v1", settings.llm_model, key, settings.llm_timeout_s
    )


def _ollama(settings: Settings) -> ChatBackend:
    from advisor.llm.openai_backend import OpenAICompatibleBackend

    if not settings.llm_model:
        raise LLMUnavailableError("ADVISOR_LLM_PROVIDER=ollama needs ADVISOR_LLM_MODEL (e.g. llama3.2)")
    base = (settings.llm_base_url or OLLAMA_DEFAULT_URL).rstrip("/")
    if not base.endswith("/v1"):  # the native address of an Ollama server; its OpenAI routes are under /v1
        base += "/v1"
    return OpenAICompatibleBackend(base, settings.llm_model, None, settings.llm_timeout_s, label="ollama")


REGISTRY: dict[str, Callable[[Settings], ChatBackend]] = {"local": _local, "openai": _openai, "ollama": _ollama}


def backend_name(settings: Settings) -> str:
    if settings.llm_provider == "none":
        return "offline"
    if settings.llm_provider == "local":
        return f"local:{MODEL_NAME}"
    return f"{settings.llm_provider}:{settings.llm_model or 'default'}"


def build_backend(settings: Settings) -> ChatBackend | None:
    """Return the configured backend, or None for ``llm_provider=none``."""
    if settings.llm_provider == "none":
        return None
    try:
        return REGISTRY[settings.llm_provider](settings)
    except KeyError as exc:
        raise LLMUnavailableError(f"unknown llm_provider {settings.llm_provider!r}") from exc
