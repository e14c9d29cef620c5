"""Language-model backends that write answers, chosen by ``Settings.llm_provider`` (see ``registry``)."""

from advisor.llm.backend import ChatBackend, LLMError, LLMUnavailableError
from advisor.llm.registry import backend_name, build_backend, provider_names

__all__ = ["ChatBackend", "LLMError", "LLMUnavailableError", "backend_name", "build_backend", "provider_names"]
