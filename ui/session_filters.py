"""Map the chat's source checkboxes (and the session's own uploads) onto SearchFilters.

A session sees its own uploaded documents and nobody else's: when it has uploads, the filter is an
allow-list of the corpus sources plus exactly this session's documents; without, user documents
are excluded altogether.
"""

from __future__ import annotations

from knowledge.schema import RecordKind, SearchFilters

PAPERS = "Research papers"
QUOTES = "Practitioner quotes"
PLAYBOOK = "Playbook"
OWN_DOCS = "Your documents"
SOURCE_CHOICES: list[str] = [PAPERS, QUOTES, PLAYBOOK, OWN_DOCS]
CHOICE_KINDS: dict[str, RecordKind] = {
    PAPERS: RecordKind.PASSAGE,
    QUOTES: RecordKind.QUOTE,
    PLAYBOOK: RecordKind.PLAYBOOK_STEP,
    OWN_DOCS: RecordKind.USER_DOC,
}


class NoSourcesSelectedError(ValueError):
    """Every source was unticked: there would be nothing to cite."""


def user_source_id(doc_id: str) -> str:
    return f"user:{doc_id}"


class SessionFilterBuilder:
    """Builds one session's filters; ``corpus_sources`` are the source ids of the built-in corpus."""

    def __init__(self, corpus_sources: list[str]) -> None:
        self.corpus_sources = sorted(set(corpus_sources))

    def build(self, choices: list[str] | None, session_doc_ids: list[str]) -> SearchFilters:
        chosen = [c for c in (choices if choices is not None else SOURCE_CHOICES) if c in CHOICE_KINDS]
        own = OWN_DOCS in chosen and bool(session_doc_ids)
        kinds = [CHOICE_KINDS[c] for c in chosen if c != OWN_DOCS]
        if own:
            kinds.append(RecordKind.USER_DOC)
        if not kinds:
            if OWN_DOCS in chosen:
                raise NoSourcesSelectedError("You chose only your own documents, but none are uploaded yet.")
            raise NoSourcesSelectedError("Tick at least one kind of source to search.")
        if not own:
            return SearchFilters(kinds=kinds, include_user_docs=False)
        sources = [*self.corpus_sources, *(user_source_id(d) for d in session_doc_ids)]
        return SearchFilters(kinds=kinds, sources=sources, include_user_docs=True)
