"""Chroma access: one client factory for embedded and server mode, and our embedding function.

Every part of the product opens the collection through :func:`open_collection`, so setting
``chroma_url`` moves all of it to a ``chroma run`` server without any other change.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.collection_configuration import CreateCollectionConfiguration
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Documents, Embeddable, EmbeddingFunction, Embeddings, Space
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError
from chromadb.utils.embedding_functions import register_embedding_function

from knowledge.embedding import Embedder
from knowledge.index.config import IndexConfig


class IndexUnavailableError(RuntimeError):
    """The Chroma server cannot be reached or the index directory cannot be opened."""


@register_embedding_function
class AdvisorEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma-facing wrapper of :class:`Embedder`, so Chroma never falls back to its downloading default.

    The config names only a local folder (or the bundled model), so a collection re-opened from
    its stored configuration still embeds offline with the same model.
    """

    def __init__(self, model_path: str | None = None, embedder: Embedder | None = None) -> None:
        self._embedder = embedder or Embedder(Path(model_path) if model_path else None)

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._embedder.embed(list(input)))

    @staticmethod
    def name() -> str:
        return "scaling-advisor-sentence-transformer"

    def get_config(self) -> dict[str, Any]:
        path = self._embedder.model_path
        return {"model_path": str(path) if path else None}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> AdvisorEmbeddingFunction:
        return AdvisorEmbeddingFunction(model_path=config.get("model_path"))

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine"]


def make_client(config: IndexConfig) -> ClientAPI:
    settings = ChromaSettings(anonymized_telemetry=False)
    if config.chroma_url:
        parsed = urlparse(config.chroma_url)
        ssl = parsed.scheme == "https"
        port = parsed.port or (443 if ssl else 8000)
        try:
            return chromadb.HttpClient(host=parsed.hostname or "127.0.0.1", port=port, ssl=ssl, settings=settings)
        except Exception as exc:  # chromadb raises plain ValueError/ConnectError subclasses here
            raise IndexUnavailableError(f"cannot reach the Chroma server at {config.chroma_url}: {exc}") from exc
    config.index_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(config.index_dir), settings=settings)


def open_collection(client: ClientAPI, config: IndexConfig, embedder: Embedder, *, create: bool) -> Collection | None:
    """Return the collection, creating it (cosine space) if asked; ``None`` if it is missing."""
    # chromadb's client methods ask for EmbeddingFunction[Documents | Images], but the protocol's input type
    # is contravariant, so no text-only function (chromadb's own default included) matches: their stubs are
    # wrong, and the cast states what chromadb does accept.
    function = cast(EmbeddingFunction[Embeddable], AdvisorEmbeddingFunction(embedder=embedder))
    if create:
        # A wide HNSW beam makes the approximate search effectively exact at corpus scale, so embedded and
        # server mode return the same candidates (the tail of the list feeds rank fusion too).
        configuration: CreateCollectionConfiguration = {
            "hnsw": {"space": "cosine", "ef_construction": 200, "ef_search": 200}
        }
        return client.get_or_create_collection(
            config.collection, embedding_function=function, configuration=configuration
        )
    try:
        return client.get_collection(config.collection, embedding_function=function)
    except (NotFoundError, ValueError):
        return None


GET_PAGE = 5000
"""Rows per ``get``: one ``get`` of a ~50 000-record collection exceeds SQLite's variable limit and fails."""


def get_all(
    collection: Collection, include: list[str], where: dict[str, Any] | None = None, page: int = GET_PAGE
) -> dict[str, list[Any]]:
    """Read every matching record (``ids`` plus the ``include`` fields) in pages of ``page`` rows."""
    out: dict[str, list[Any]] = {"ids": [], **{key: [] for key in include}}
    offset = 0
    while True:
        got = collection.get(where=where, include=include, limit=page, offset=offset)  # type: ignore[arg-type]
        out["ids"].extend(got["ids"])
        for key in include:
            values = got[key]  # type: ignore[literal-required]
            out[key].extend(values if values is not None else [])
        if len(got["ids"]) < page:
            return out
        offset += page


def drop_collection(client: ClientAPI, config: IndexConfig) -> None:
    with contextlib.suppress(NotFoundError, ValueError):
        client.delete_collection(config.collection)
