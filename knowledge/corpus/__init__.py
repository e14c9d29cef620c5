"""The curated corpus: four source texts turned into attributed, citable records.

``load_records``/``get_record``/``corpus_version`` read the committed knowledge/data/records.jsonl
(fast, no model); ``build_records`` is the deterministic rebuild from knowledge/sources/ that a
test proves equal to the committed file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from knowledge.corpus.sources import load_sources
from knowledge.corpus.store import CorpusFileError, corpus_version, get_record, load_records

if TYPE_CHECKING:
    from pathlib import Path

    from knowledge.corpus.scaling_table import ScalingTable
    from knowledge.schema import Record


def build_records() -> list[Record]:
    from knowledge.corpus.build import build_records as _build

    return _build()


def load_scaling_table(path: Path | None = None) -> ScalingTable:
    from knowledge.corpus.scaling_table import load_scaling_table as _load

    return _load(path) if path is not None else _load()


__all__ = [
    "CorpusFileError",
    "build_records",
    "corpus_version",
    "get_record",
    "load_records",
    "load_scaling_table",
    "load_sources",
]
