"""Language-model backends as LangChain chat models, chosen by ``Settings.llm_provider``."""

from advisor.llm.factory import LLMUnavailableError, backend_name, build_chat_model

__all__ = ["LLMUnavailableError", "backend_name", "build_chat_model"]
