"""Check that every claim in an answer points at passages that actually say it.

The support test (documented in the README section on citations): a sentence is a *claim* unless it is
a heading or a question to the user. A claim is supported by the passages its markers name when

* every figure in it (numbers, percentages) also appears in those passages — no invented figures; and
* a quotation's attribution (``“…” — Speaker, Role, Company``) names the speaker, role or company of a cited
  record; and
* its content words are covered by the passages: lexical coverage >= ``min_coverage`` (stemmed content
  words of the sentence that occur in the cited text, framing words such as "the paper says" excluded), or
  coverage >= ``min_coverage_with_meaning`` *and* the sentence's embedding is within ``min_similarity``
  (cosine) of the closest sentence of a cited passage — this admits faithful paraphrase, not invention.

A claim whose markers are missing, name no given passage, or cite a passage that does not support it is
*repaired* when another given passage passes the test (its marker is substituted), otherwise *dropped*.
Surviving markers are renumbered [1], [2], ... in order of first appearance and only cited passages are
returned, each with its verbatim record text.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from advisor.answer.text import MARKER_RE, content_terms, markers_in, numbers, split_sentences, strip_markers
from advisor.schema import Citation
from knowledge.embedding import Embedder

_HEADING_RE = re.compile(r"^\s*(\*\*[^*]+\*\*|#{1,6}\s+.+)\s*:?\s*$")
_LIST_PREFIX_RE = re.compile(r"^(\s*(?:[-*•]|\d+[.)])\s+)")
# Bracketed things that pose as citations but are not [n]: "[X999]", "[source 3]", "[^2]", "[passage:abc-1]".
_FAKE_MARKER_RE = re.compile(
    r"\[(?!\d+\])(?:\^|(?:source|passage|ref|doc|record)\b[^\]]{0,40}|[^\]\s]{0,40}\d[^\]]{0,20})\]", re.I
)
_NOTE_RE = re.compile(r"^\s*_[^_].*_\s*$")
_ATTRIBUTION_RE = re.compile(
    r"^(?P<claim>.*[”\"])\s+[—–-]{1,2}\s+(?P<who>[^“”\"]+?)\.?\s*(?P<markers>(?:\[\d+\])*)\s*$"
)


class ClaimStatus(StrEnum):
    SUPPORTED = "supported"
    REPAIRED = "repaired"
    DROPPED = "dropped"
    NOT_A_CLAIM = "not_a_claim"


class SentenceCheck(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str = Field(description="The sentence as written, markers included.")
    status: ClaimStatus
    reason: str
    cited: list[int] = Field(description="Markers (1-based passage numbers) the sentence ends up citing.")
    coverage: float = Field(ge=0, le=1)
    similarity: float | None


class CitationReport(BaseModel):
    """The checked answer: clean text with renumbered markers, the citations behind it, and why."""

    text: str
    citations: list[Citation]
    sentences: list[SentenceCheck]
    claims: int
    supported: int
    repaired: int
    dropped: int
    invalid_markers: list[str]

    @property
    def kept_ratio(self) -> float:
        return (self.supported + self.repaired) / self.claims if self.claims else 0.0


class CitationChecker:
    def __init__(
        self,
        embedder: Embedder | None = None,
        min_coverage: float = 0.6,
        min_coverage_with_meaning: float = 0.3,
        min_similarity: float = 0.6,
    ) -> None:
        if not 0 < min_coverage_with_meaning <= min_coverage <= 1:
            raise ValueError("need 0 < min_coverage_with_meaning <= min_coverage <= 1")
        if not 0 < min_similarity <= 1:
            raise ValueError("min_similarity must be in (0, 1]")
        self.embedder = embedder
        self.min_coverage = min_coverage
        self.min_coverage_with_meaning = min_coverage_with_meaning
        self.min_similarity = min_similarity

    def stricter(self, min_coverage_with_meaning: float) -> CitationChecker:
        """Return a checker sharing this one's embedder whose paraphrase path needs more shared words."""
        floor = max(self.min_coverage_with_meaning, min(min_coverage_with_meaning, self.min_coverage))
        return CitationChecker(self.embedder, self.min_coverage, floor, self.min_similarity)

    # -- support test -------------------------------------------------------------------------------------
    def coverage(self, sentence: str, texts: list[str]) -> float:
        terms = content_terms(strip_markers(sentence))
        if not terms:
            return 0.0
        available: set[str] = set()
        for text in texts:
            available |= content_terms(text)
        return len(terms & available) / len(terms)

    def similarity(self, sentence: str, texts: list[str]) -> float | None:
        if self.embedder is None or not texts:
            return None
        candidates = [s for t in texts for s in split_sentences(t)] or texts
        vectors = self.embedder.embed([strip_markers(sentence), *candidates])
        return float((vectors[1:] @ vectors[0]).max())

    def supports(self, sentence: str, texts: list[str]) -> tuple[bool, str, float, float | None]:
        """Return (supported, reason, coverage, similarity) for one claim against the cited texts."""
        if not texts:
            return False, "cites nothing", 0.0, None
        stated = numbers(sentence)
        known: set[str] = set()
        for text in texts:
            known |= numbers(text)
        invented = sorted(stated - known)
        cov = self.coverage(sentence, texts)
        if invented:
            return False, f"figure not in the cited passages: {', '.join(invented)}", cov, None
        if cov >= self.min_coverage:
            return True, f"lexical coverage {cov:.2f}", cov, None
        if cov >= self.min_coverage_with_meaning:
            sim = self.similarity(sentence, texts)
            if sim is not None and sim >= self.min_similarity:
                return True, f"coverage {cov:.2f} with similarity {sim:.2f}", cov, sim
            return False, f"coverage {cov:.2f}, similarity {sim if sim is None else round(sim, 2)}", cov, sim
        return False, f"lexical coverage {cov:.2f} too low", cov, None

    # -- whole answer ---------------------------------------------------------------------------------------
    def check(self, draft: str, passages: list[Citation], allow_notes: bool = True) -> CitationReport:
        """Check ``draft`` whose markers [n] index ``passages`` (1-based); return the cleaned, renumbered answer.

        With ``allow_notes`` a line set wholly in italics (``_..._``) is the advisor's own note about the
        sources' limits and is kept as it is; an LLM's output is checked with notes disallowed.
        """
        checks: list[SentenceCheck] = []
        invalid: list[str] = []
        kept_lines: list[str] = []
        for line in draft.splitlines():
            if not line.strip():
                kept_lines.append("")
                continue
            if _HEADING_RE.match(line) or (allow_notes and _NOTE_RE.match(line) and not markers_in(line)):
                kept_lines.append(line.rstrip())
                continue
            line = line.replace("**", "") if not _HEADING_RE.match(line) else line
            fakes = _FAKE_MARKER_RE.findall(line)
            if fakes:
                invalid.extend(fakes)
                line = _FAKE_MARKER_RE.sub("", line)
            prefix_match = _LIST_PREFIX_RE.match(line)
            prefix = prefix_match.group(1) if prefix_match else ""
            body = line[len(prefix) :]
            kept = []
            for sentence in split_sentences(body):
                result = self._check_sentence(sentence, passages, invalid)
                checks.append(result)
                if result.status in (ClaimStatus.SUPPORTED, ClaimStatus.REPAIRED, ClaimStatus.NOT_A_CLAIM):
                    kept.append(_with_markers(sentence, result.cited))
            if kept:
                kept_lines.append(prefix + " ".join(kept))
        text, citations = _renumber("\n".join(_renumber_lists(_drop_empty_sections(kept_lines))).strip(), passages)
        claims = [c for c in checks if c.status is not ClaimStatus.NOT_A_CLAIM]
        return CitationReport(
            text=text,
            citations=citations,
            sentences=checks,
            claims=len(claims),
            supported=sum(c.status is ClaimStatus.SUPPORTED for c in claims),
            repaired=sum(c.status is ClaimStatus.REPAIRED for c in claims),
            dropped=sum(c.status is ClaimStatus.DROPPED for c in claims),
            invalid_markers=invalid,
        )

    def _check_sentence(self, sentence: str, passages: list[Citation], invalid: list[str]) -> SentenceCheck:
        cited = markers_in(sentence)
        if not cited and strip_markers(sentence).endswith("?"):
            return SentenceCheck(
                text=sentence, status=ClaimStatus.NOT_A_CLAIM, reason="question", cited=[], coverage=0, similarity=None
            )
        valid = [n for n in dict.fromkeys(cited) if 1 <= n <= len(passages)]
        invalid.extend(f"[{n}]" for n in cited if not 1 <= n <= len(passages))
        attribution = _ATTRIBUTION_RE.match(sentence)
        cited_passages = [passages[n - 1] for n in valid]
        if attribution and valid and not _attribution_matches(attribution.group("who"), cited_passages):
            return SentenceCheck(
                text=sentence,
                status=ClaimStatus.DROPPED,
                reason=f"attribution {attribution.group('who')!r} matches no cited speaker, role or company",
                cited=[],
                coverage=0,
                similarity=None,
            )
        claim = attribution.group("claim") if attribution else sentence
        if valid:
            ok, reason, cov, sim = self.supports(claim, [passages[n - 1].text for n in valid])
            if ok:
                status = ClaimStatus.SUPPORTED if len(valid) == len(cited) else ClaimStatus.REPAIRED
                return SentenceCheck(
                    text=sentence, status=status, reason=reason, cited=valid, coverage=cov, similarity=sim
                )
        else:
            reason = "no marker" if not cited else "markers name no given passage"
            cov, sim = 0.0, None
        best = None if attribution else self._best_passage(claim, passages, exclude=set(valid))
        if best is not None:
            ok, why, bcov, bsim = self.supports(claim, [passages[best - 1].text])
            if ok:
                return SentenceCheck(
                    text=sentence,
                    status=ClaimStatus.REPAIRED,
                    reason=f"{reason}; re-cited [{best}] ({why})",
                    cited=[best],
                    coverage=bcov,
                    similarity=bsim,
                )
        return SentenceCheck(
            text=sentence, status=ClaimStatus.DROPPED, reason=reason, cited=[], coverage=cov, similarity=sim
        )

    def _best_passage(self, sentence: str, passages: list[Citation], exclude: set[int]) -> int | None:
        scored = [(self.coverage(sentence, [p.text]), i) for i, p in enumerate(passages, start=1) if i not in exclude]
        scored = [s for s in scored if s[0] >= self.min_coverage_with_meaning]
        return max(scored)[1] if scored else None


def _attribution_matches(who: str, cited: list[Citation]) -> bool:
    named = content_terms(who)
    known: set[str] = set()
    for c in cited:
        known |= content_terms(" ".join(p for p in (c.speaker, c.role, c.company, c.title, c.text) if p))
    return bool(named) and len(named & known) / len(named) >= 0.5


def _with_markers(sentence: str, cited: list[int]) -> str:
    bare = MARKER_RE.sub("", sentence).rstrip()
    bare = re.sub(r"\s+([.!?,;:])", r"\1", bare)
    if not cited:
        return bare
    return bare + " " + "".join(f"[{n}]" for n in cited)


def _renumber_lists(lines: list[str]) -> list[str]:
    """Keep numbered lists counting 1, 2, 3 after items were dropped."""
    out, count = [], 0
    for line in lines:
        match = re.match(r"^(\s*)\d+([.)])\s+", line)
        if match:
            count += 1
            line = f"{match.group(1)}{count}{match.group(2)} " + line[match.end() :]
        elif line.strip():
            count = 0
        out.append(line)
    return out


def _drop_empty_sections(lines: list[str]) -> list[str]:
    """Remove a heading whose every claim was dropped."""
    out: list[str] = []
    for i, line in enumerate(lines):
        if _HEADING_RE.match(line):
            rest = lines[i + 1 :]
            nxt = next((r for r in rest if r.strip()), None)
            if nxt is None or _HEADING_RE.match(nxt):
                continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


def _renumber(text: str, passages: list[Citation]) -> tuple[str, list[Citation]]:
    order: dict[int, int] = {}
    for n in markers_in(text):
        order.setdefault(n, len(order) + 1)
    renumbered = MARKER_RE.sub(lambda m: f"[{order[int(m.group(1))]}]", text)
    citations = [
        passages[old - 1].model_copy(update={"marker": f"[{new}]"})
        for old, new in sorted(order.items(), key=lambda x: x[1])
    ]
    return renumbered, citations
