"""One place for every knob, read from ``ADVISOR_*`` environment variables (or a ``.env`` file).

Built once at the entry point (CLI, server, evals) and passed down; nothing below reads the
environment itself, so tests can hand in a Settings pointing at a tmp dir.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from advisor.errors import SettingsError

__all__ = ["Settings", "SettingsError"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ADVISOR_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path.home() / ".scaling-advisor",
        description="Where the search index and the register of your own documents live.",
    )
    chroma_url: str | None = Field(
        default=None, description="http://HOST:PORT of a `chroma run` server; unset = embedded Chroma."
    )
    collection: str = Field(default="scaling_advisor", min_length=3, description="Chroma collection name.")
    embedding_model_path: Path | None = Field(
        default=None, description="Folder of a sentence-transformers model; unset = bundled all-MiniLM-L6-v2."
    )
    llm_provider: str = Field(
        default="local",
        description="Who writes answers: the bundled model (local), an endpoint (openai, ollama), or none (offline); "
        "any provider registered in the scaling_advisor.llm_providers entry-point group.",
    )
    llm_model: str | None = Field(default=None, description="Model name for openai/ollama providers.")
    llm_base_url: str | None = Field(default=None, description="Endpoint of an OpenAI-compatible or Ollama API.")
    llm_api_key_env: str = Field(
        default="OPENAI_API_KEY", description="Name of the env var holding the API key (never the key itself)."
    )
    llm_timeout_s: float = Field(default=60.0, gt=0)
    llm_max_tokens: int = Field(default=400, gt=0)
    llm_max_concurrent: int = Field(
        default=1, ge=1, le=64, description="Generations at once; a request beyond that gets the offline answer."
    )
    llm_context_tokens: int = Field(default=4096, ge=1024, le=32768, description="Context of the local model.")
    llm_threads: int | None = Field(
        default=None,
        ge=1,
        le=64,
        description="CPU threads of the local model; unset = one per core (at most 8). On a loaded machine fewer "
        "threads than cores can be faster.",
    )
    max_message_chars: int = Field(default=8000, gt=0, description="Longer messages are refused with a notice.")
    max_upload_bytes: int = Field(default=20_000_000, gt=0)
    api_token: str | None = Field(default=None, description="If set, the HTTP API requires this bearer token.")
    host: str = "127.0.0.1"
    port: int = 7860

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("ADVISOR_CHROMA_URL must look like http://HOST:PORT")
        return value or None

    @field_validator("llm_provider")
    @classmethod
    def _known_provider(cls, value: str) -> str:
        from advisor.llm.registry import provider_names

        names = provider_names()
        if value not in names:
            raise ValueError(f"ADVISOR_LLM_PROVIDER must be one of {', '.join(names)}, got {value!r}")
        return value

    def llm_api_key(self) -> str:
        """Resolve the key at call time so it never sits in a dumped Settings object."""
        key = os.environ.get(self.llm_api_key_env)
        if not key:
            raise SettingsError(
                f"ADVISOR_LLM_PROVIDER={self.llm_provider} needs an API key: set the environment variable "
                f"{self.llm_api_key_env} (or point ADVISOR_LLM_API_KEY_ENV at the variable that holds it)."
            )
        return key

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"
