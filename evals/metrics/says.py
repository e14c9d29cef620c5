"""Answer says it: does the answer text state the facts the question asked for.

Citation metrics check that what an answer says is supported; they cannot see an answer that is well
cited and beside the point ("what are the phases?" answered with three sentences about phases in
general). A factual case lists ``must_say`` key terms, the facts a competent answer must name (the three
phase names, the role, the company's figure), each with optional alternative spellings. A term counts
when any spelling occurs in the answer text as a run of words, compared after folding case, dashes,
quotes and whitespace and folding plural and verb endings of each word (so "data pipelines" meets "data
pipeline", "capabilities" meets "capability" and "productionized" meets "productionizing"). Citation
markers and a trailing "Sources" list are not answer text. Per case: the share of terms found; the metric:
the mean over cases that list terms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from evals.metrics.base import CaseMetric
from evals.metrics.text import strip_markers
from evals.results import CaseResult
from evals.schema import EvalCase, FactualCase

_DASHES_RE = re.compile(r"[\u2010-\u2015\u2212\-/]")
_QUOTES_RE = re.compile(r"[\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u00ab\u00bb`]")
_TOKEN_RE = re.compile(r"[a-z0-9]+")
# A "Sources" heading (bold, markdown or plain) starts the list of references, which is not the answer.
_SOURCES_RE = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?(?:sources|references)(?:\*\*|__)?\s*:?.*$", re.I | re.M)


# Endings folded so a plural or another verb form of a word meets it; the first that fits is removed.
_ENDINGS = (
    ("izations", "iz"), ("ization", "iz"), ("izing", "iz"), ("ized", "iz"), ("izes", "iz"), ("ize", "iz"),
    ("sses", "ss"), ("ies", "y"), ("ied", "y"), ("ings", ""), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""),
    ("e", ""),
)  # fmt: skip


def fold(word: str) -> str:
    """Fold a word's plural or verb ending ("phases" -> "phas", "capabilities" -> "capability")."""
    if word.endswith("ss"):
        return word
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)] + replacement
    return word


def answer_text(text: str) -> str:
    """Return what the answer says: the text before any Sources list, without citation markers."""
    match = _SOURCES_RE.search(text)
    if match is not None:
        text = text[: match.start()]
    return strip_markers(text)


def tokens(text: str) -> list[str]:
    """Fold dashes, quotes, case and whitespace, then the ending of every word."""
    text = _QUOTES_RE.sub("", text.replace("\u00ad", "")).lower()
    return [fold(word) for word in _TOKEN_RE.findall(_DASHES_RE.sub(" ", text))]


def says(text_tokens: Sequence[str], spelling: str) -> bool:
    """Tell whether the spelling's words occur, in order and adjacent, in the text's words."""
    wanted = tokens(spelling)
    if not wanted:
        return False
    width = len(wanted)
    return any(list(text_tokens[i : i + width]) == wanted for i in range(len(text_tokens) - width + 1))


class AnswerSaysIt(CaseMetric):
    name = "answer_says_it"
    description = "Share of a factual case's key terms (must_say) that the answer text states, mean over cases."

    def _missing(self, case: FactualCase, result: CaseResult) -> list[str]:
        said = tokens(answer_text(result.answer.answer)) if result.answer is not None else []
        return [term[0] for term in case.must_say or [] if not any(says(said, s) for s in term)]

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        if not isinstance(case, FactualCase) or not case.must_say:
            return None
        return (len(case.must_say) - len(self._missing(case, result))) / len(case.must_say)

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        assert isinstance(case, FactualCase) and case.must_say
        missing = self._missing(case, result)
        found = len(case.must_say) - len(missing)
        return f"{found}/{len(case.must_say)} key terms" + (f"; missing: {', '.join(missing)}" if missing else "")
