"""Rank the sentences of retrieved records against a query, for the offline composer.

Whole records are too long to quote in an answer; the best one or two sentences of each, verbatim,
make the answer readable while every word stays traceable to its record.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache

import numpy as np
from pydantic import BaseModel, ConfigDict

from advisor.answer.guard import InjectionGuard
from advisor.answer.text import content_terms, split_sentences, words
from knowledge.embedding import Embedder
from knowledge.schema import RecordKind, SearchHit
from knowledge.vectors import QueryVectors

# A sentence that leans on the one before it ("This aspect...", "He explains:") reads badly on its own.
_ANAPHORA_RE = re.compile(
    r"^[“\"]?(this|these|that|those|such|it|its|they|their|he|she|his|her|here|there|similarly|however|moreover|"
    r"in addition|additionally|for instance|for example|therefore|thus|hence|also|and|but|so|then|finally|"
    r"first|second|third|indeed|instead|rather|accordingly|likewise|as such|in turn|in this)\b",
    re.I,
)
# A paper's run-in label ("Technical components: In the second phase ...") belongs to the layout, not the claim.
_LABEL_RE = re.compile(r"^(?:[A-Z][\w-]*)(?: [\w-]+){0,2}: (?=[A-Z“\"])")
# Papers and playbooks quote interviewees inside their prose; a first-person singular sentence there is
# someone's anecdote, which reads as nonsense when shown as the paper's own claim.
_FIRST_PERSON_RE = re.compile(r"\b(I|me|my|I'm|I've)\b")


_ELISION_RE = re.compile(r"\[\s*…\s*\]|\[\s*\.\.\.\s*\]")
_LITERATURE_RE = re.compile(r"\([^()]*\b(?:19|20)\d\d[a-z]?(?:[,;][^()]*)?\)")
_DETERMINER_RE = re.compile(r"^(?:this|these|such)\s+([\w-]+)", re.I)


def readability_penalty(sentence: str, antecedent: str = "") -> float:
    """Penalize sentences that do not stand alone (context-dependent openings, unbalanced quotation marks).

    ``antecedent`` is the label shown before the sentence: "Forging new roles: These new roles were ..."
    reads well, because the label supplies what "these roles" refers to.
    """
    penalty = 0.0
    determiner = _DETERMINER_RE.match(sentence)
    resolved = bool(determiner and antecedent and determiner.group(1).lower() in antecedent.lower().split())
    if _ANAPHORA_RE.match(sentence) and not resolved:
        penalty += 0.4
    if "∼" in sentence:  # an interview attribution line glued to the next sentence by the source layout
        penalty += 0.3
    if sentence.count("“") != sentence.count("”"):
        penalty += 0.05
    if _ELISION_RE.search(sentence):  # an elided quotation reads as a fragment
        penalty += 0.2
    if _LITERATURE_RE.search(sentence):  # "(Acemoglu and Restrepo, 2020)": background, not the sources' findings
        penalty += 0.15
    return penalty


def strip_label(sentence: str) -> str:
    """Drop a run-in label of up to three words; what remains is still a verbatim part of the record."""
    return _LABEL_RE.sub("", sentence, count=1)


class ScoredSentence(BaseModel):
    model_config = ConfigDict(frozen=True)

    hit: SearchHit
    sentence: str
    score: float


class SentencePicker:
    """Score sentences for quoting in an answer.

    score = cosine(query, sentence) + ``lexical_weight`` x share of the query's content words it holds
    + ``rank_weight`` x how high retrieval ranked its record + ``novelty_weight`` x how much the sentence adds
    beyond the query's own words + ``speaker_bonus`` for a quote by a person the query names
    - a penalty for sentences that do not stand alone.
    """

    def __init__(
        self,
        embedder: Embedder,
        lexical_weight: float = 0.2,
        rank_weight: float = 0.05,
        novelty_weight: float = 0.15,
        speaker_bonus: float = 0.3,
        first_person_penalty: float = 0.0,
        min_words: int = 6,
        max_words: int = 60,
        guard: InjectionGuard | None = None,
        quoted: frozenset[str] = frozenset(),
    ) -> None:
        if min_words < 1 or max_words < min_words:
            raise ValueError("need 1 <= min_words <= max_words")
        self.embedder = embedder
        self.lexical_weight = lexical_weight
        self.rank_weight = rank_weight
        self.novelty_weight = novelty_weight
        self.speaker_bonus = speaker_bonus
        self.first_person_penalty = first_person_penalty
        self.min_words = min_words
        self.max_words = max_words
        self.guard = guard or InjectionGuard()
        # Sentences of interview quotes: a paper's prose repeats them without quotation marks, and there a
        # practitioner's "we" reads as if the authors said it.
        self.quoted = quoted
        self.known: QueryVectors | None = None

    def using(self, vectors: QueryVectors) -> SentencePicker:
        """Return a copy that ranks against the given query vectors (see ``knowledge.vectors``) where it has them."""
        picker = copy.copy(self)
        picker.known = vectors
        return picker

    def _vectors(self, texts: list[str]) -> np.ndarray:
        # No cache of our own: the Embedder's is shared and bounded, and a dict here would grow with every
        # message a server ever answers.
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        known = self.known
        if known is None:
            return self.embedder.embed(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        embedded = dict(zip(missing, self.embedder.embed(missing), strict=True)) if missing else {}
        return np.stack([v if (v := known.get(t)) is not None else embedded[t] for t in texts])

    def candidates(self, hit: SearchHit) -> list[str]:
        """Quotable sentences of a record: whole, not too short or long, and giving no orders to the advisor."""
        out = []
        for sentence in map(strip_label, _sentences(hit.text)):
            n = len(words(sentence))
            if sentence.rstrip().endswith(":") or sentence[:1].islower():
                continue  # a lead-in to a quotation or a fragment, not a statement
            if self.min_words <= n <= self.max_words and not self.guard.is_instruction(sentence):
                out.append(sentence)
        whole = hit.text.strip()
        if not out and whole and len(words(whole)) <= self.max_words and not self.guard.is_instruction(whole):
            out.append(" ".join(hit.text.split()))
        return out

    def rank(
        self,
        query: str,
        hits: list[SearchHit],
        per_hit: int = 1,
        prefer: re.Pattern[str] | None = None,
        prefer_weight: float = 0.15,
        first_person_penalty: float | None = None,
        antecedent: str = "",
    ) -> list[ScoredSentence]:
        """Best sentences first, at most ``per_hit`` per record; ``prefer`` adds ``prefer_weight`` where it matches.

        ``first_person_penalty`` (default: the picker's) is for advice: a factual question about an anecdote
        ("how long did the legal team wait?") needs exactly the first-person sentence that advice avoids.
        ``antecedent`` is the label the caller will show before the sentence (see ``readability_penalty``).
        """
        anecdote_weight = self.first_person_penalty if first_person_penalty is None else first_person_penalty
        pairs = [(hit, s) for hit in hits for s in self.candidates(hit)]
        rank_of = {hit.passage_id: i for i, hit in enumerate(hits)}
        if not pairs:
            return []
        vectors = self._vectors([query] + [s for _, s in pairs])
        sims = vectors[1:] @ vectors[0]
        asked = content_terms(query)
        scored = []
        for (hit, sentence), sim in zip(pairs, sims, strict=True):
            overlap = len(asked & content_terms(sentence)) / len(asked) if asked else 0.0
            rank_bonus = self.rank_weight * (1 - rank_of[hit.passage_id] / max(len(hits), 1))
            novelty = min(1.0, len(content_terms(sentence) - asked) / 8)
            named = self.speaker_bonus if _speaker_named(hit, query) else 0.0
            preferred = prefer_weight if prefer is not None and prefer.search(sentence) else 0.0
            anecdote = (
                anecdote_weight
                if hit.kind is not RecordKind.QUOTE and (_FIRST_PERSON_RE.search(sentence) or sentence in self.quoted)
                else 0.0
            )
            score = (
                float(sim)
                + self.lexical_weight * overlap
                + rank_bonus
                + self.novelty_weight * novelty
                + named
                + preferred
                - anecdote
                - readability_penalty(sentence, antecedent)
            )
            scored.append(ScoredSentence(hit=hit, sentence=sentence, score=score))
        scored.sort(key=lambda s: s.score, reverse=True)
        taken: dict[str, int] = {}
        out = []
        for item in scored:
            if taken.get(item.hit.passage_id, 0) < per_hit:
                taken[item.hit.passage_id] = taken.get(item.hit.passage_id, 0) + 1
                out.append(item)
        return out

    def best(self, query: str, hit: SearchHit) -> ScoredSentence | None:
        ranked = self.rank(query, [hit])
        return ranked[0] if ranked else None


def _speaker_named(hit: SearchHit, query: str) -> bool:
    if not hit.speaker:
        return False
    surname = hit.speaker.split()[-1]
    return len(surname) > 2 and re.search(rf"\b{re.escape(surname)}\b", query, re.I) is not None


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(split_sentences(text))


def quoted_sentences(texts: list[str]) -> frozenset[str]:
    """Every sentence of the given quote texts, as the picker splits them (see ``SentencePicker.quoted``)."""
    return frozenset(strip_label(s) for text in texts for s in _sentences(text))
