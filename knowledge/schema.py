"""The knowledge layer's contract: sources, records and search hits.

Every citation the product shows is one of these records, so the models are strict: fields a
source does not give are explicit ``None`` values, never silently defaulted.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from knowledge.datafile import Strict


class RecordKind(StrEnum):
    PASSAGE = "passage"
    QUOTE = "quote"
    PLAYBOOK_STEP = "playbook_step"
    USER_DOC = "user_doc"


class Source(Strict):
    """One document the corpus is built from (a paper, the abstract, the playbook)."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    authors: list[str]
    year: int | None
    venue: str | None
    filename: str


class Span(Strict):
    """Where a record's words stand in its raw source file (0-based, end exclusive)."""

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    line_start: int = Field(ge=1)
    line_end: int = Field(ge=1)


class _RecordBase(Strict):
    id: str = Field(pattern=r"^[a-z0-9_.:-]+$")
    source_id: str
    title: str
    authors: list[str]
    year: int | None
    section: list[str]
    text: str = Field(min_length=1)
    span: Span
    tags: list[str] = Field(description="Framework tags such as 'phase:productionizing' stated by the source")


class Passage(_RecordBase):
    kind: Literal["passage"] = "passage"


class Quote(_RecordBase):
    kind: Literal["quote"] = "quote"
    speaker: str | None
    role: str | None
    company: str | None
    industry: str | None


class PlaybookStep(_RecordBase):
    kind: Literal["playbook_step"] = "playbook_step"
    phase: str
    months: str | None
    owner: str | None
    kpi: str | None


class UserDocChunk(_RecordBase):
    """A chunk of a user's own uploaded document: attributed to the file and page, never to the papers."""

    kind: Literal["user_doc"] = "user_doc"
    doc_id: str
    file_name: str
    page: int | None


Record = Annotated[Passage | Quote | PlaybookStep | UserDocChunk, Field(discriminator="kind")]


class SearchFilters(Strict):
    kinds: list[RecordKind] | None = None
    sources: list[str] | None = None
    companies: list[str] | None = None
    tags: list[str] | None = None
    include_user_docs: bool = True


class SearchHit(Strict):
    """One retrieved record as the user sees it (``advisor search --json``)."""

    passage_id: str
    kind: RecordKind
    source: str
    title: str
    section: str
    speaker: str | None
    role: str | None
    company: str | None
    text: str
    score: float


class SearchResult(Strict):
    """What a retriever returns: the hits plus how they were found, for display and evaluation."""

    query: str
    mode: Literal["hybrid", "dense", "bm25"]
    hits: list[SearchHit]
