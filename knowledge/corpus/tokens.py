"""Word-piece counts with the embedding model's own tokenizer (only the tokenizer file is read)."""

from __future__ import annotations

from pathlib import Path

from knowledge.embedding import MAX_WORD_PIECES, bundled_model_path


class TokenCounter:
    """Counts word pieces including [CLS]/[SEP], as the embedder sees them, without truncation.

    Loads ``tokenizer.json`` from the local model folder with the fast ``tokenizers`` library
    (milliseconds, no torch); the tokenizer file itself truncates at 128, which is switched off
    here so a long text reports its true length.
    """

    def __init__(self, model_path: Path | None = None) -> None:
        self.model_path = Path(model_path) if model_path else None
        self._tokenizer = None
        self._counts: dict[str, int] = {}  # the chunker asks about the same growing text twice

    @property
    def limit(self) -> int:
        return MAX_WORD_PIECES

    def _load(self):
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            path = (self.model_path or bundled_model_path()) / "tokenizer.json"
            if not path.is_file():
                raise FileNotFoundError(f"tokenizer file not found: {path}")
            tokenizer = Tokenizer.from_file(str(path))
            tokenizer.no_truncation()
            tokenizer.no_padding()
            self._tokenizer = tokenizer
        return self._tokenizer

    def count(self, text: str) -> int:
        if text not in self._counts:
            self._counts[text] = len(self._load().encode(text).ids)
        return self._counts[text]
