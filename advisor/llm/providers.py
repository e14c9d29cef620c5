"""The built-in answer-writing providers: one ``Provider`` type, registered through an entry-point group.

``local`` is the bundled Qwen2.5-Coder-1.5B-Instruct in its own server process; ``openai`` is any
OpenAI-compatible endpoint (OpenAI, vLLM, llama.cpp server); ``ollama`` is an Ollama server through its
OpenAI-compatible ``/v1`` routes. A provider that cannot be built (a missing key or model name) raises
``LLMUnavailableError`` naming the setting to fix. Another package adds a provider the same way these
are added (see ``advisor.llm.registry``), as simonw/llm's plugins register models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from advisor.errors import SettingsError
from advisor.llm.backend import ChatBackend, LLMUnavailableError
from advisor.llm.bundled import MODEL_NAME

if TYPE_CHECKING:
    from advisor.settings import Settings

OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434/v1"


class Provider:
    """A named way to build a ``ChatBackend`` from Settings; subclasses set ``name`` and ``build``."""

    name: str = ""
    description: str = ""

    def build(self, settings: Settings) -> ChatBackend:
        raise NotImplementedError

    def label(self, settings: Settings) -> str:
        """How answers written by this provider are labelled (``Answer.backend``)."""
        return f"{self.name}:{settings.llm_model or 'default'}"


class LocalProvider(Provider):
    name = "local"
    description = "the bundled Qwen2.5-Coder-1.5B-Instruct, run on this machine"

    def build(self, settings: Settings) -> ChatBackend:
        from advisor.llm.local_backend import LocalLlamaBackend

        return LocalLlamaBackend(settings.data_dir, n_ctx=settings.llm_context_tokens, threads=settings.llm_threads)

    def label(self, settings: Settings) -> str:
        return f"local:{MODEL_NAME}"


class OpenAIProvider(Provider):
    name = "openai"
    description = "any OpenAI-compatible endpoint (ADVISOR_LLM_BASE_URL, ADVISOR_LLM_MODEL)"

    def build(self, settings: Settings) -> ChatBackend:
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


class OllamaProvider(Provider):
    name = "ollama"
    description = "an Ollama server (ADVISOR_LLM_BASE_URL, default 127.0.0.1:11434; ADVISOR_LLM_MODEL)"

    def build(self, settings: Settings) -> ChatBackend:
        from advisor.llm.openai_backend import OpenAICompatibleBackend

        if not settings.llm_model:
            raise LLMUnavailableError("ADVISOR_LLM_PROVIDER=ollama needs ADVISOR_LLM_MODEL (e.g. llama3.2)")
        base = (settings.llm_base_url or OLLAMA_DEFAULT_URL).rstrip("/")
        if not base.endswith("/v1"):  # the native address of an Ollama server; its OpenAI routes are under /v1
            base += "/v1"
        return OpenAICompatibleBackend(base, settings.llm_model, None, settings.llm_timeout_s, label="ollama")
