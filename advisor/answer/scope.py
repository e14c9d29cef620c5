"""Decide whether a message is ours to answer: in scope, out of scope, or on topic but unanswerable.

Words alone mislead ("scale my bakery's sourdough recipe" shares "scale" with the papers), so the
topic test combines sentence-embedding similarity to in-scope and out-of-scope prototypes, domain
terms, and how close the message comes to what retrieval found in the corpus. A message on topic that
asks for a kind of fact (a budget, a figure, an exact wording) is answerable only when the retrieved
evidence holds that kind of fact; otherwise it is ``unanswerable`` and the answer says so plainly.
Prototypes, patterns and thresholds live in ``scope.yaml`` next to this module.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Literal, TypedDict

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from advisor.answer.intent import Intent, classify_intent
from advisor.answer.text import content_terms, split_sentences
from advisor.schema import Scope
from knowledge.datafile import load_yaml_model
from knowledge.embedding import Embedder
from knowledge.schema import RecordKind, SearchHit

DEFAULT_SCOPE_FILE = Path(__file__).with_name("scope.yaml")
_CURRENCY_RE = re.compile(r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:usd|eur|gbp|dollars?|euros?|k|m|bn|million|billion)\b", re.I)
_NUMBER_RE = re.compile(
    r"\b\d+(?:[.,]\d+)?\b|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|thousand|dozen)\b",
    re.I,
)
_PERCENT_RE = re.compile(r"\d\s?%|\bpercent\b|\bper cent\b", re.I)
_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
_CITATION_RE = re.compile(r"\([^()]*\b(?:19|20)\d\d[a-z]?\)")  # "(Ransbotham et al., 2020)" is not a stated fact
_NEEDS = {"currency": _CURRENCY_RE, "number": _NUMBER_RE, "percent": _PERCENT_RE, "year": _YEAR_RE}
_NAME_RE = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:\s+[A-Z][a-z-]+)+)")
_ENTITY_RE = re.compile(r"(?<!^)(?<![.!?]\s)\b([A-Z][\w&-]*[A-Za-z0-9])")
# The sentences of a message that ask something; a situation's statements ("our pricing models...") ask nothing.
_ASKING_RE = re.compile(
    r"^\s*(?:what|which|how|when|who|whom|whose|why|where|is|are|was|were|do|does|did|can|could|should|would|"
    r"will|tell|give|show|list|name|quote|cite)\b",
    re.I,
)
_QUESTION_WORDS = {"what", "which", "how", "when", "who", "why", "where", "did", "does", "do", "is", "are", "in"}


class FactRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    pattern: str
    needs: Literal["currency", "number", "percent", "year", "named_quote"]

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value


class ScopeThresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    domain_bonus: float = Field(ge=0, le=1)
    corpus_weight: float = Field(ge=0, le=1)
    in_scope_min: float = Field(ge=-1, le=1)
    fact_overlap_min: float = Field(ge=0, le=1)


class ScopeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    in_scope_prototypes: list[str] = Field(min_length=3)
    out_of_scope_prototypes: list[str] = Field(min_length=3)
    domain_terms: list[str] = Field(min_length=1)
    fact_requests: list[FactRequest]
    thresholds: ScopeThresholds


class ScopeDecision(BaseModel):
    """Why a message was (not) taken on: the scores are shown by ``--json`` consumers and the eval."""

    model_config = ConfigDict(frozen=True)

    scope: Scope
    reason: str
    topic_score: float
    in_similarity: float
    out_similarity: float
    corpus_similarity: float | None
    domain_term: str | None
    fact_request: str | None = Field(description="Name of the fact kind asked for, if any.")
    nearest_passage_ids: list[str] = Field(description="Closest retrieved records (cited when unanswerable).")


class _Scores(TypedDict):
    """The score fields every :class:`ScopeDecision` of one message shares."""

    topic_score: float
    in_similarity: float
    out_similarity: float
    corpus_similarity: float | None
    domain_term: str | None


class ScopeClassifier:
    def __init__(
        self,
        embedder: Embedder | None = None,
        config_path: Path = DEFAULT_SCOPE_FILE,
        thresholds: ScopeThresholds | None = None,
    ) -> None:
        self.embedder = embedder or Embedder()
        self.config = load_yaml_model(Path(config_path), ScopeConfig)
        self.thresholds = thresholds or self.config.thresholds
        self._domain_res = [
            re.compile(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])", re.I) for term in self.config.domain_terms
        ]
        self._fact_res = [(f, re.compile(f.pattern, re.I)) for f in self.config.fact_requests]
        self._features: dict[tuple[str, tuple[str, ...]], tuple[float, float, float | None]] = {}

    @cached_property
    def _prototypes(self) -> tuple[np.ndarray, np.ndarray]:
        return (
            self.embedder.embed(self.config.in_scope_prototypes),
            self.embedder.embed(self.config.out_of_scope_prototypes),
        )

    def warm_up(self) -> None:
        _ = self._prototypes

    def features(self, message: str, hits: list[SearchHit] | None = None) -> tuple[float, float, float | None]:
        """Return (in-prototype similarity, out-prototype similarity, best similarity to a retrieved sentence)."""
        key = (message, tuple(h.passage_id for h in (hits or [])[:5]))
        if key not in self._features:
            if len(self._features) > 512:
                self._features.clear()
            self._features[key] = self._compute_features(message, hits)
        return self._features[key]

    def _compute_features(self, message: str, hits: list[SearchHit] | None) -> tuple[float, float, float | None]:
        inside, outside = self._prototypes
        texts = [message]
        sentences = [s for h in (hits or [])[:5] for s in split_sentences(h.text)][:60]
        vectors = self.embedder.embed(texts + sentences)
        query = vectors[0]
        in_sims = np.sort(inside @ query)[::-1]
        s_in = float(in_sims[:3].mean())
        s_out = float((outside @ query).max())
        corpus = float((vectors[1:] @ query).max()) if sentences else None
        return s_in, s_out, corpus

    def classify(
        self, message: str, hits: list[SearchHit] | None = None, thresholds: ScopeThresholds | None = None
    ) -> ScopeDecision:
        t = thresholds or self.thresholds
        s_in, s_out, corpus = self.features(message, hits)
        domain = next((m.group(0) for r in self._domain_res if (m := r.search(message))), None)
        score = s_in - s_out + (t.domain_bonus if domain else 0.0) + t.corpus_weight * (corpus or 0.0)
        nearest = [h.passage_id for h in (hits or [])[:3]]
        common: _Scores = {
            "topic_score": round(score, 4),
            "in_similarity": round(s_in, 4),
            "out_similarity": round(s_out, 4),
            "corpus_similarity": None if corpus is None else round(corpus, 4),
            "domain_term": domain,
        }
        if score < t.in_scope_min:
            return ScopeDecision(
                scope=Scope.OUT_OF_SCOPE,
                reason=f"topic score {score:.2f} below {t.in_scope_min:.2f}: not about implementing or scaling AI",
                fact_request=None,
                nearest_passage_ids=[],
                **common,
            )
        asking = asking_part(message)
        for request, pattern in self._fact_res:
            if pattern.search(asking):
                found, why = self._evidence_holds(request, message, hits or [], t)
                if not found:
                    return ScopeDecision(
                        scope=Scope.UNANSWERABLE,
                        reason=f"asks for {request.name}; {why}",
                        fact_request=request.name,
                        nearest_passage_ids=nearest,
                        **common,
                    )
                return ScopeDecision(
                    scope=Scope.IN_SCOPE,
                    reason=f"asks for {request.name}; {why}",
                    fact_request=request.name,
                    nearest_passage_ids=nearest,
                    **common,
                )
        return ScopeDecision(
            scope=Scope.IN_SCOPE,
            reason=f"topic score {score:.2f} >= {t.in_scope_min:.2f}",
            fact_request=None,
            nearest_passage_ids=nearest,
            **common,
        )

    def _evidence_holds(
        self, request: FactRequest, message: str, hits: list[SearchHit], t: ScopeThresholds
    ) -> tuple[bool, str]:
        if request.needs == "named_quote":
            names = [n for n in _NAME_RE.findall(message) if n.lower() not in {"isa", "mlops"}]
            quotes = [h for h in hits if h.kind is RecordKind.QUOTE]
            if not names:
                return (bool(quotes), "retrieved quotes exist" if quotes else "no quote was retrieved")
            for name in names:
                last = name.split()[-1].lower()
                if any(last in ((h.speaker or "") + " " + h.text).lower() for h in hits):
                    return True, f"{name} appears in the retrieved records"
            return False, f"the sources hold no words attributed to {', '.join(names)}"
        pattern = _NEEDS[request.needs]
        asked = content_terms(message)
        entities = [
            e for e in _ENTITY_RE.findall(message) if e.lower() not in _QUESTION_WORDS and e not in {"AI", "ML"}
        ]
        for hit in hits[:5]:
            for sentence in split_sentences(hit.text):
                stated = _CITATION_RE.sub("", sentence)
                if not pattern.search(stated) or not asked:
                    continue
                holder = f"{stated} {hit.speaker or ''} {hit.company or ''}".lower()
                if entities and not any(e.lower() in holder for e in entities):
                    continue
                overlap = len(asked & content_terms(stated)) / len(asked)
                if overlap >= t.fact_overlap_min:
                    return True, f"{hit.passage_id} states a {request.needs} on it"
        kind = {"currency": "monetary figure", "year": "year", "percent": "percentage"}.get(request.needs, "figure")
        return False, f"no retrieved passage states a {kind} on it"


def asking_part(message: str) -> str:
    """Return the part of a message that asks for something, where a fact request can sit.

    A manager's situation mentions prices, budgets and head counts as facts about their firm; only a
    sentence that asks (a question, or "tell me ...") requests a fact. A terse query with no description
    of the firm ("budget for AI pilots") is all question.
    """
    if classify_intent(message) is Intent.FACTUAL:
        return message
    return " ".join(s for s in split_sentences(message) if s.rstrip().endswith("?") or _ASKING_RE.match(s))
