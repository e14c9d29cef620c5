"""The committed corpus file knowledge/data/records.jsonl: write, read, look up, fingerprint."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from knowledge.corpus.paths import RECORDS_FILE
from knowledge.schema import Record

_RECORD = TypeAdapter(Record)


class CorpusFileError(ValueError):
    """records.jsonl is missing, malformed or invalid; the message names file and line."""


def dump_records(records: Sequence[Record]) -> str:
    """One compact JSON object per line, keys in schema order: byte-stable for equal records."""
    return "".join(json.dumps(r.model_dump(mode="json"), ensure_ascii=False) + "\n" for r in records)


def write_records(records: Sequence[Record], path: Path = RECORDS_FILE) -> None:
    path.write_text(dump_records(records), encoding="utf-8")


def _stat_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path), stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=4)
def _load(key: tuple[str, int, int]) -> tuple[Record, ...]:
    path = Path(key[0])
    records = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = _RECORD.validate_json(line)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                raise CorpusFileError(f"{path}:{number}: {where}: {first['msg']}") from exc
            if record.id in seen:
                raise CorpusFileError(f"{path}:{number}: duplicate id {record.id!r} (first on line {seen[record.id]})")
            seen[record.id] = number
            records.append(record)
    return tuple(records)


def load_records(path: Path = RECORDS_FILE) -> list[Record]:
    """Return the committed records, validated (cached until the file changes)."""
    if not path.is_file():
        raise CorpusFileError(f"{path}: corpus file not found; run `advisor knowledge build`")
    return list(_load(_stat_key(path)))


@lru_cache(maxsize=4)
def _by_id(key: tuple[str, int, int]) -> dict[str, Record]:
    return {r.id: r for r in _load(key)}


def get_record(record_id: str, path: Path = RECORDS_FILE) -> Record:
    load_records(path)
    table = _by_id(_stat_key(path))
    if record_id not in table:
        prefix = record_id.rsplit(":", 1)[0]
        near = sorted(i for i in table if i.startswith(prefix))[:5]
        hint = f"; similar: {', '.join(near)}" if near else ""
        raise KeyError(f"unknown record id {record_id!r} in {path.name}{hint}")
    return table[record_id]


def corpus_version(path: Path = RECORDS_FILE) -> str:
    """First 12 hex digits of the SHA-256 of records.jsonl: changes exactly when the corpus does."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
