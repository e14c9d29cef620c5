"""How a record is stored in Chroma: metadata for filters, a content hash, and the record itself.

The full record rides along as JSON in the metadata, so the collection alone is enough to
rebuild BM25 and answer ``get_record`` in both embedded and server mode.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter

from knowledge.schema import PlaybookStep, Quote, Record, RecordKind, SearchFilters, SearchHit, UserDocChunk

CORPUS = "corpus"
USER = "user"
_RECORD = TypeAdapter(Record)


def namespace_of(record: Record) -> str:
    return USER if isinstance(record, UserDocChunk) else CORPUS


def content_hash(record: Record) -> str:
    return hashlib.sha256(record.model_dump_json().encode("utf-8")).hexdigest()


def section_label(record: Record) -> str:
    return " > ".join(record.section)


def company_key(company: str) -> str:
    return " ".join(company.lower().split())


def speaker_of(record: Record) -> str | None:
    return record.speaker if isinstance(record, Quote) else None


def role_of(record: Record) -> str | None:
    return record.role if isinstance(record, Quote) else None


def company_of(record: Record) -> str | None:
    return record.company if isinstance(record, Quote) else None


def embedding_text(record: Record) -> str:
    """Embed the words themselves, plus the little context that short records lack.

    Measured on evals/sets/retrieval_dev.jsonl: prefixing the full section path drowned short
    quotes (recall@5 0.45); the raw text alone gave 0.59; quotes raw, playbook steps with their
    phase and passages with their nearest heading gave 0.62.
    """
    if isinstance(record, Quote):
        return record.text
    if isinstance(record, PlaybookStep):
        return f"{record.phase}: {record.text}"
    return f"{record.section[-1]}: {record.text}" if record.section else record.text


def lexical_text(record: Record) -> str:
    """Index who said it and where, so a half-remembered "the Jasper VP said..." still matches.

    The title is left out: it is shared by every record of a source and would only add noise.
    """
    parts = [section_label(record)]
    if isinstance(record, Quote):
        parts += [record.speaker or "", record.role or "", record.company or ""]
    if isinstance(record, PlaybookStep):
        parts += [record.phase, record.months or "", record.owner or ""]
    parts.append(record.text)
    return "\n".join(part for part in parts if part)


def to_metadata(record: Record) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "namespace": namespace_of(record),
        "kind": str(record.kind),
        "source_id": record.source_id,
        "section": section_label(record),
        "content_hash": content_hash(record),
        "record": record.model_dump_json(),
    }
    if record.tags:
        meta["tags"] = list(record.tags)
    company = company_of(record)
    if company:
        meta["company_key"] = company_key(company)
    if isinstance(record, UserDocChunk):
        meta["doc_id"] = record.doc_id
    return meta


def from_metadata(meta: Mapping[str, Any]) -> Record:
    return _RECORD.validate_json(meta["record"])


def parse_record(data: dict[str, Any]) -> Record:
    return _RECORD.validate_python(data)


def to_where(filters: SearchFilters | None) -> dict[str, Any] | None:
    """Translate filters into a Chroma ``where`` clause; must agree with :func:`matches`."""
    if filters is None:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.kinds is not None:
        clauses.append({"kind": {"$in": [str(kind) for kind in filters.kinds]}})
    if filters.sources is not None:
        clauses.append({"source_id": {"$in": list(filters.sources)}})
    if filters.companies is not None:
        clauses.append({"company_key": {"$in": [company_key(c) for c in filters.companies]}})
    if filters.tags is not None:
        tag_clauses = [{"tags": {"$contains": tag}} for tag in filters.tags]
        clauses.append(tag_clauses[0] if len(tag_clauses) == 1 else {"$or": tag_clauses})
    if not filters.include_user_docs:
        clauses.append({"namespace": {"$ne": USER}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def is_empty(filters: SearchFilters | None) -> bool:
    """Say whether some filter list is empty, which can match nothing (Chroma rejects ``$in: []``)."""
    if filters is None:
        return False
    lists = (filters.kinds, filters.sources, filters.companies, filters.tags)
    return any(values is not None and not values for values in lists)


def matches(record: Record, filters: SearchFilters | None) -> bool:
    """Apply the filters in Python (BM25 side); a record passes when it meets every given filter."""
    if filters is None:
        return True
    if filters.kinds is not None and RecordKind(record.kind) not in filters.kinds:
        return False
    if filters.sources is not None and record.source_id not in filters.sources:
        return False
    if filters.companies is not None:
        company = company_of(record)
        if company is None or company_key(company) not in {company_key(c) for c in filters.companies}:
            return False
    if filters.tags is not None and not set(filters.tags) & set(record.tags):
        return False
    return filters.include_user_docs or namespace_of(record) != USER


def shown_section(record: Record) -> str:
    """Return the section a reader sees: a playbook step also names the stage it belongs to and its months.

    A step's own heading is its framework ("Scaling Framework Recommendations"); which stage of it the step
    belongs to ("Foundation First (Months 1-3)") is what tells a reader, and a model shown the passage, when
    to take it.
    """
    label = section_label(record)
    if isinstance(record, PlaybookStep) and record.phase and (not record.section or record.phase != record.section[-1]):
        stage = f"{record.phase} ({record.months})" if record.months else record.phase
        return f"{label} > {stage}" if label else stage
    return label


def to_hit(record: Record, score: float) -> SearchHit:
    return SearchHit(
        passage_id=record.id,
        kind=RecordKind(record.kind),
        source=record.source_id,
        title=record.title,
        section=shown_section(record),
        speaker=speaker_of(record),
        role=role_of(record),
        company=company_of(record),
        text=record.text,
        score=float(score),
    )
