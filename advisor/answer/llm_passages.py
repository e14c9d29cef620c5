"""Which passages a model is shown, and how much of each: the prompt a small model can read quickly.

The offline answer's own citations come first (retrieval and ranking already judged them the best
evidence for this message), then the rest of the evidence bundle taking turns between sections. A long
passage is cut to the sentences that share most words with the question and the offline answer, kept in
their original order, so the part that matters survives the word limit. Sentences that read as
instructions are withheld from the model altogether.
"""

from __future__ import annotations

from advisor.answer.citations import CitationReport
from advisor.answer.evidence import Evidence, to_citation
from advisor.answer.guard import InjectionGuard
from advisor.answer.text import content_terms, split_sentences, words
from advisor.schema import Citation


def choose_passages(evidence: Evidence, offline: CitationReport | None, limit: int) -> list[Citation]:
    """Pick and number up to ``limit`` candidate records for the prompt: the offline answer's citations first."""
    chosen: dict[str, Citation] = {}
    for citation in offline.citations if offline is not None else []:
        chosen.setdefault(citation.passage_id, citation)
    for hit in evidence.all_hits():
        chosen.setdefault(hit.passage_id, to_citation(hit, 0))
    return [c.model_copy(update={"marker": f"[{i}]"}) for i, c in enumerate(list(chosen.values())[:limit], start=1)]


def repeats(window: str, shown: list[str], share: float = 0.8) -> bool:
    """Tell whether a window says again what a shown one says: most of the shorter's words are in the other.

    A quote is both a record of its own and part of the passage that quotes it; shown twice, it takes the
    place of evidence the model would otherwise see.
    """
    terms = content_terms(window)
    for other in shown:
        theirs = content_terms(other)
        smaller = min(len(terms), len(theirs))
        if smaller and len(terms & theirs) >= share * smaller:
            return True
    return False


def passage_window(text: str, focus: str, max_words: int, guard: InjectionGuard) -> str:
    """Return the sentences of ``text`` most about ``focus`` that fit in ``max_words``, in their original order."""
    sentences = [s for s in split_sentences(text) if not guard.is_instruction(s)]
    if sum(len(words(s)) for s in sentences) <= max_words:
        return " ".join(sentences)
    wanted = content_terms(focus)
    ranked = sorted(range(len(sentences)), key=lambda i: (-len(content_terms(sentences[i]) & wanted), i))
    keep: set[int] = set()
    budget = max_words
    for i in ranked:
        size = len(words(sentences[i]))
        if size <= budget:
            keep.add(i)
            budget -= size
    if not keep and sentences:  # one sentence longer than the limit: its first words
        return " ".join(words(sentences[ranked[0]])[:max_words]) + " …"
    return " ".join(sentences[i] for i in sorted(keep))


def passage_block(citation: Citation, window: str) -> str:
    """Render one prompt line: ``[n] (source — innermost section — speaker, company) text``."""
    who = ", ".join(x for x in (citation.speaker, citation.company) if x)
    section = citation.section.split(" > ")[-1]
    head = " — ".join(x for x in (citation.source, section, who) if x)
    return f"{citation.marker} ({head}) {window}"
