"""Build the chat model a Settings object asks for; nothing is constructed at import time.

Every backend is a LangChain ``BaseChatModel`` so the answer layer streams and invokes them the same
way; retries are off (a slow or failing endpoint must fall back to the offline answer quickly, not
hammer the server), and the API key is read from the environment variable the settings name.
"""

from __future__ import annotations

from langchain_core.language_models.chat_models import BaseChatModel

from advisor.settings import Settings, SettingsError


class LLMUnavailableError(RuntimeError):
    """The configured backend cannot be built (missing key, bad URL, missing model files)."""


def backend_name(settings: Settings) -> str:
    if settings.llm_provider == "none":
        return "offline"
    if settings.llm_provider == "local":
        return "local:SmolLM2-135M-Instruct"
    return f"{settings.llm_provider}:{settings.llm_model or 'default'}"


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """Return the configured chat model, or None for ``llm_provider=none``."""
    provider = settings.llm_provider
    if provider == "none":
        return None
    if provider == "local":
        from advisor.llm.local import LocalSmolLM2

        return LocalSmolLM2(max_new_tokens=settings.llm_max_tokens)
    if provider == "openai":
        from langchain_openai import ChatOpenAI

        if not settings.llm_model:
            raise LLMUnavailableError("ADVISOR_LLM_PROVIDER=openai needs ADVISOR_LLM_MODEL (the model name to call)")
        try:
            key = settings.llm_api_key()
        except SettingsError as exc:
            raise LLMUnavailableError(str(exc)) from exc
        return ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            api_key=key,
            timeout=settings.llm_timeout_s,
            max_retries=0,
            max_tokens=settings.llm_max_tokens,
            temperature=0,
        )
    if provider == "ollama":
        from langchain_ollama import ChatOllama

        if not settings.llm_model:
            raise LLMUnavailableError("ADVISOR_LLM_PROVIDER=ollama needs ADVISOR_LLM_MODEL (e.g. llama3.2)")
        return ChatOllama(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            num_predict=settings.llm_max_tokens,
            temperature=0,
            client_kwargs={"timeout": settings.llm_timeout_s},
        )
    raise LLMUnavailableError(f"unknown llm_provider {provider!r}")
