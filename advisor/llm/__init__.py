"""Language-model backends that write answers, chosen by ``Settings.llm_provider``."""

from advisor.llm.backend import ChatBackend, LLMError, LLMUnavailableError
from advisor.llm.factory import PROVIDERS, backend_name, build_backend

__all__ = ["PROVIDERS", "ChatBackend", "LLMError", "LLMUnavailableError", "backend_name", "build_backend"]
