"""Where the index lives and how it is built, independent of the advisor's Settings.

The knowledge package must not import the advisor, so the advisor maps its Settings onto this
small model (``advisor.index_config``) and hands it down.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, field_validator

INDEX_SCHEMA_VERSION = "2"
"""Bump when the metadata layout written by the ingestor changes: a mismatch forces a rebuild."""


class IndexConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    data_dir: Path = Field(description="Root of all local state: the embedded index and the user-doc registry.")
    chroma_url: str | None = Field(default=None, description="http://HOST:PORT of a `chroma run` server.")
    collection: str = Field(default="scaling_advisor", pattern=r"^[a-zA-Z0-9._-]{3,512}$")
    embedding_model_path: Path | None = Field(default=None, description="Unset = bundled all-MiniLM-L6-v2.")
    max_upload_bytes: int = Field(default=20_000_000, gt=0)

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"chroma_url must look like http://HOST:PORT, got {value!r}")
        return value

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def user_docs_dir(self) -> Path:
        return self.data_dir / "user_docs"

    @property
    def where(self) -> str:
        """Say where the index lives, for messages."""
        location = self.chroma_url or str(self.index_dir)
        return f"collection {self.collection!r} at {location}"
