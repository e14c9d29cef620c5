"""Compose a cited answer without any language model: the embedded default.

Every sentence is a verbatim sentence of a record, or a short framing of the diagnosis that carries the
words of the records defining that phase and component, and ends with the markers of those records.
Notes about the sources' limits are set in italics on their own line; they make no claim.
"""

from __future__ import annotations

import copy
import re

from pydantic import BaseModel, ConfigDict

from advisor.answer.definition import defining_pattern, definition_term
from advisor.answer.evidence import Evidence, PassageList
from advisor.answer.focus import SituationFocus
from advisor.answer.lists import ListEvidence, ListItem, named_line, without_opener
from advisor.answer.sentences import ScoredSentence, SentencePicker, readability_penalty
from advisor.answer.text import words
from advisor.answer.voice import quoted, speaker_line
from advisor.frameworks.labels import CHALLENGE_WORDS, COMPONENT_WORDS, PHASE_SECTION_KEYS, PHASE_WORDS
from advisor.messages import messages
from advisor.schema import Citation, Diagnosis, Phase
from knowledge.schema import RecordKind, SearchHit
from knowledge.vectors import QueryVectors

OUT_OF_SCOPE_TEXT = messages().text("out_of_scope")
NOTHING_FOUND_TEXT = messages().text("nothing_found")

# Sentences that tell a firm what to do read as recommendations; the rest of a passage describes.
DIRECTIVE_RE = re.compile(
    r"\b(should|must|need(?:s)? to|important|crucial|essential|key|recommend\w*|begin|start|focus|"
    r"invest\w*|establish\w*|create|build|set up|ensure|make sure|try to)\b",
    re.I,
)
_CHALLENGE_NAMES_RE = re.compile("|".join(map(re.escape, CHALLENGE_WORDS.values())), re.I)
# A sentence saying what one of the two challenges is tells a manager what to watch; a mere mention does not.
_CHALLENGE_DEFINED_RE = re.compile("|".join(defining_pattern(name).pattern for name in CHALLENGE_WORDS.values()), re.I)


def phase_of_section(section: str) -> Phase | None:
    """Name the implementing-and-scaling phase a record's section is about (None outside the phase sections)."""
    last = section.lower().split(" > ")[-1]
    return next((phase for phase, keys in PHASE_SECTION_KEYS.items() if any(k in last for k in keys)), None)


class Draft(BaseModel):
    """An answer before the citation check: markers index ``passages`` (1-based)."""

    model_config = ConfigDict(frozen=True)

    text: str
    passages: list[Citation]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def render_sentence(item: ScoredSentence, marker: str) -> str:
    """Render a record sentence as it appears in an answer; quotes carry their attribution."""
    hit = item.hit
    if hit.kind is RecordKind.QUOTE:
        # An anonymous interviewee gets no attribution line: the source card says where the words come from.
        return f"{quoted(item.sentence, speaker_line(hit.speaker, hit.role, hit.company))} {marker}"
    sentence = item.sentence if item.sentence.endswith((".", "!", "?", "…", "”", '"')) else item.sentence + "."
    return f"{sentence} {marker}"


def _distinct(ranked: list[ScoredSentence]) -> list[ScoredSentence]:
    """Keep one copy of a sentence found twice, in the better-ranked copy's place.

    A paper's prose often repeats a quote, word for word or after a lead-in ("As one engineer put it: ...");
    the quote is the copy kept, as it names its speaker.
    """
    kept: list[tuple[str, ScoredSentence]] = []
    for item in ranked:
        key = " ".join(words(item.sentence))
        twin = next((i for i, (k, _) in enumerate(kept) if _repeats(key, k)), None)
        if twin is None:
            kept.append((key, item))
        elif item.hit.kind is RecordKind.QUOTE and kept[twin][1].hit.kind is not RecordKind.QUOTE:
            kept[twin] = (key, item.model_copy(update={"score": kept[twin][1].score}))
    return [item for _, item in kept]


def _repeats(a: str, b: str, min_words: int = 5) -> bool:
    shorter, longer = sorted((a, b), key=len)
    return len(shorter.split()) >= min_words and f" {shorter} " in f" {longer} "


class OfflineComposer:
    def __init__(
        self,
        picker: SentencePicker,
        max_recommendations: int = 5,
        min_recommendations: int = 3,
        max_quotes: int = 3,
        max_watch: int = 2,
        factual_sentences: int = 3,
        step_floor: float = 0.4,
        anecdote_penalty: float = 0.3,
    ) -> None:
        if not 1 <= min_recommendations <= max_recommendations:
            raise ValueError("need 1 <= min_recommendations <= max_recommendations")
        self.picker = picker
        self.max_recommendations = max_recommendations
        self.min_recommendations = min_recommendations
        self.max_quotes = max_quotes
        self.max_watch = max_watch
        self.factual_sentences = factual_sentences
        self.step_floor = step_floor
        self.anecdote_penalty = anecdote_penalty

    # -- factual ----------------------------------------------------------------------------------------
    def factual(
        self,
        question: str,
        evidence: Evidence,
        max_sentences: int | None = None,
        listing: ListEvidence | None = None,
    ) -> Draft:
        """Answer from the best sentences; a question asking for a framework's list (``listing``) gets the list."""
        if listing is not None:
            return self._listed(question, listing, evidence)
        chosen = self._best_sentences(question, evidence, max_sentences or self.factual_sentences)
        if not chosen:
            return Draft(text=NOTHING_FOUND_TEXT, passages=[])
        passages = PassageList()
        lines = [render_sentence(item, passages.marker(item.hit)) for item in chosen]
        return Draft(text="\n\n".join(lines), passages=passages.citations)

    def _best_sentences(self, question: str, evidence: Evidence, limit: int) -> list[ScoredSentence]:
        term = definition_term(question)
        defining = defining_pattern(term) if term else None
        ranked = _distinct(self.picker.rank(question, evidence.answer[:6], per_hit=2, prefer=defining))
        if not ranked:
            return []
        best = ranked[0].score
        chosen = [r for i, r in enumerate(ranked) if r.score >= best - (0.4 if i == 1 else 0.25)][:limit]
        if defining is not None:  # "what is X": the sentence saying what X is comes first
            chosen.sort(key=lambda r: defining.search(r.sentence) is None)
        return chosen

    def _listed(self, question: str, listed: ListEvidence, evidence: Evidence) -> Draft:
        """Name every element of the asked list, cited to the records naming them; then each one's defining sentence.

        When no element has a sentence of its own (ISA-4's abstract only names its layers), the best sentences
        for the question follow the list instead.
        """
        passages = PassageList()
        blocks = [f"{listed.lead_sentence()} {passages.marker(*listed.covering())}"]
        queries = [f"{item.name}: {item.definition}" for item in listed.request.items]
        self.picker.embedder.embed(queries)  # one batch; each ranking below finds its query cached
        used: set[str] = set()
        bullets = []
        for item, query in zip(listed.request.items, queries, strict=True):
            best = self._defining(listed, item, query, used)
            if best is not None:
                used.add(best.sentence)
                shown = best.model_copy(update={"sentence": without_opener(best.sentence)})
                bullets.append(f"- {named_line(item.name, render_sentence(shown, passages.marker(best.hit)))}")
        if bullets:
            blocks.append("\n".join(bullets))
        else:  # the list's own records, best for the question, say more than what retrieval found
            own = Evidence(answer=list(listed.hits.values()))
            blocks += [render_sentence(r, passages.marker(r.hit)) for r in self._best_sentences(question, own, 2)]
        return Draft(text="\n\n".join(blocks), passages=passages.citations)

    def _defining(
        self, listed: ListEvidence, item: ListItem, query: str, used: set[str], name_bonus: float = 0.3
    ) -> ScoredSentence | None:
        """Pick the sentence of the element's own records that best says what it is (see ``may_define``).

        Naming the element earns ``name_bonus``, saying what it is right after naming it ("... stems from")
        as much again.
        """
        says_what = re.compile("|".join(defining_pattern(s).pattern for s in item.spellings) or "(?!)", re.I)
        own = [hit for hit in listed.hits_of(item) if hit.kind is not RecordKind.QUOTE]
        ranked = self.picker.rank(
            query, own, per_hit=50, first_person_penalty=self.anecdote_penalty, antecedent=item.name
        )
        fitting = [r for r in ranked if r.sentence not in used and listed.may_define(r.sentence, r.hit, item)]

        def score(r: ScoredSentence) -> float:
            relief = readability_penalty(r.sentence) - readability_penalty(without_opener(r.sentence))  # not shown
            named = name_bonus if listed.names(r.sentence, item) else 0.0
            return r.score + relief + named + (name_bonus if named and says_what.search(r.sentence) else 0.0)

        return max(fitting, key=score, default=None)

    def unanswerable(self, question: str, reason: str, evidence: Evidence) -> Draft:
        ranked = self.picker.rank(question, evidence.answer[:5], per_hit=1)[:2]
        if not ranked:
            return Draft(text=messages().text("unanswerable", reason=reason), passages=[])
        note = messages().text("unanswerable_closest", reason=reason)
        passages = PassageList()
        lines = [note, *(render_sentence(item, passages.marker(item.hit)) for item in ranked)]
        return Draft(text="\n\n".join(lines), passages=passages.citations)

    def out_of_scope(self) -> Draft:
        return Draft(text=OUT_OF_SCOPE_TEXT, passages=[])

    def _advice(
        self,
        query: str,
        hits: list[SearchHit],
        per_hit: int = 1,
        prefer: re.Pattern[str] | None = None,
        label: str = "",
    ) -> list[ScoredSentence]:
        """Rank for a situation's sections, where an anecdote from a paper's prose is not advice."""
        return self.picker.rank(
            query, hits, per_hit=per_hit, prefer=prefer, first_person_penalty=self.anecdote_penalty, antecedent=label
        )

    # -- situation --------------------------------------------------------------------------------------
    def focus(self, message: str, diagnosis: Diagnosis) -> SituationFocus:
        """Name the texts ``situation`` will rank against, so a caller can embed them in one batch first."""
        return SituationFocus.build(message, diagnosis, max_practices=2, max_watch=self.max_watch)

    def situation(
        self,
        message: str,
        diagnosis: Diagnosis,
        evidence: Evidence,
        focus: SituationFocus | None = None,
        vectors: QueryVectors | None = None,
    ) -> Draft:
        """Compose the four sections; ``focus`` is the caller's ``self.focus(message, diagnosis)`` if it has one.

        ``vectors`` are the focus texts' vectors when the caller made them (derived from the message's).
        """
        if vectors is not None:
            composer = copy.copy(self)
            composer.picker = self.picker.using(vectors)
            return composer.situation(message, diagnosis, evidence, focus)
        passages = PassageList()
        sections: list[list[str]] = []
        used: set[str] = set()
        focus = focus or self.focus(message, diagnosis)

        where = self._where(focus, diagnosis, evidence, passages, used)
        if where:
            sections.append([where_heading(diagnosis), *where])
        steps = self._next_steps(focus, diagnosis, evidence, passages, used)
        if steps:
            sections.append(["**What to do next**", *(f"{i}. {s}" for i, s in enumerate(steps, start=1))])
        best_quotes = self._advice(message, evidence.quote)[: self.max_quotes]
        quotes = [render_sentence(q, passages.marker(q.hit)) for q in best_quotes]
        if quotes:
            sections.append(["**What practitioners said**", *(f"- {q}" for q in quotes)])
        watch = self._watch(focus, evidence, passages, used)
        if watch:
            sections.append(["**Watch for**", *(f"- {w}" for w in watch)])
        if diagnosis.clarifying_questions and min(diagnosis.confidence.phase, diagnosis.confidence.components) < 0.5:
            sections.append(["**To sharpen this**", *(f"- {q}" for q in diagnosis.clarifying_questions[:2])])
        if not sections:
            return self.factual(message, evidence)
        return Draft(text="\n\n".join("\n".join(s) for s in sections), passages=passages.citations)

    def _where(
        self, focus: SituationFocus, d: Diagnosis, evidence: Evidence, passages: PassageList, used: set[str]
    ) -> list[str]:
        """Return the defining records' sentences for the diagnosed phase (the placement is the heading)."""
        # A record written about another phase describes where the firm is *not*; it must not frame this one.
        pool = [h for h in evidence.definition if phase_of_section(h.section) in (None, d.phase)]
        ranked = self._advice(focus.where, pool, per_hit=1)
        if not ranked:
            return []
        lines = []
        for item in ranked[:2]:
            lines.append(render_sentence(item, passages.marker(item.hit)))
            used.add(item.hit.passage_id)
        return lines

    def _next_steps(
        self, focus: SituationFocus, d: Diagnosis, evidence: Evidence, passages: PassageList, used: set[str]
    ) -> list[str]:
        """Lead with the next phase's table cells for the diagnosed components, then practices, then the playbook.

        The cell and practice records are the frameworks' own advice for this situation; retrieval by the
        manager's words only fills the list, so a symptom word ("customers") cannot pull in an unrelated step.
        """
        chosen: list[tuple[str, ScoredSentence]] = []

        def take(ranked: list[ScoredSentence], limit: int, label: str = "") -> None:
            for item in ranked:
                if len(chosen) >= self.max_recommendations or limit <= 0:
                    return
                if item.hit.passage_id in used:
                    continue
                chosen.append((label, item))
                used.add(item.hit.passage_id)
                limit -= 1

        for cell in focus.next_cells:
            take(self._advice(cell.text, evidence.next_step, prefer=DIRECTIVE_RE, label=cell.label), 1, cell.label)
        for practice in focus.practices:
            ranked = self._advice(practice.text, evidence.practice, prefer=DIRECTIVE_RE, label=practice.label)
            take(ranked, 1, practice.label)
        pool = [h for h in evidence.recommendation if h.kind is not RecordKind.QUOTE]
        steps = [h for h in pool if h.kind is RecordKind.PLAYBOOK_STEP]
        # A playbook step must serve the frameworks' next move, not merely share a word with the message
        # ("churn", "legal"): it is ranked by the manager's words but kept only if close to that move.
        relevant = {r.hit.passage_id for r in self._advice(focus.framework, steps) if r.score >= self.step_floor}
        take([r for r in self._advice(focus.steps, steps) if r.hit.passage_id in relevant], 2)
        if len(chosen) < self.min_recommendations:
            # Advice written for an earlier phase than the firm's is behind it; the rest may fill the list.
            others = [h for h in pool if h.kind is not RecordKind.PLAYBOOK_STEP and not _behind(h, d.phase)]
            ranked = self._advice(focus.steps, others, prefer=DIRECTIVE_RE)
            take(ranked, self.min_recommendations - len(chosen))
        return [_labelled(label, render_sentence(item, passages.marker(item.hit))) for label, item in chosen]

    def _watch(self, focus: SituationFocus, evidence: Evidence, passages: PassageList, used: set[str]) -> list[str]:
        """One line per diagnosed challenge, named, from the records that define it and match the situation."""
        pool = [h for h in evidence.challenge if h.passage_id not in used]
        lines: list[str] = []
        for challenge in focus.challenges:
            own = [h for h in pool if challenge.label in f"{h.section} {h.text}".lower()] or pool
            ranked = [r for r in self._advice(challenge.text, own) if r.hit.passage_id not in used]
            if ranked:
                used.add(ranked[0].hit.passage_id)
                lines.append(_labelled(challenge.label, render_sentence(ranked[0], passages.marker(ranked[0].hit))))
        if lines:
            return lines
        # No challenge diagnosed: a sentence saying what a challenge is, or what it does, says what to watch;
        # a short one that only says a challenge was there ("... temporal complexity was apparent.") does not.
        ranked = [
            r
            for r in self._advice(focus.watch_fallback, pool, per_hit=1, prefer=_CHALLENGE_DEFINED_RE)
            if not _mere_mention(r.sentence)
        ][: self.max_watch]
        used.update(r.hit.passage_id for r in ranked)
        return [render_sentence(item, passages.marker(item.hit)) for item in ranked]


_PHASE_ORDER = list(Phase)  # declared in the papers' order
MERE_MENTION_WORDS = 12


def _mere_mention(sentence: str) -> bool:
    """Say whether a short sentence names a challenge without saying what it is."""
    return (
        _CHALLENGE_NAMES_RE.search(sentence) is not None
        and _CHALLENGE_DEFINED_RE.search(sentence) is None
        and len(sentence.split()) <= MERE_MENTION_WORDS
    )


def _behind(hit: SearchHit, phase: Phase | None) -> bool:
    """Tell whether a record was written about a phase earlier than ``phase``."""
    own = phase_of_section(hit.section)
    return phase is not None and own is not None and _PHASE_ORDER.index(own) < _PHASE_ORDER.index(phase)


def _labelled(label: str, line: str) -> str:
    """Name the framework element a line serves, unless the sentence already names it."""
    if not label or label.lower() in line.lower():
        return line
    return f"{label[0].upper()}{label[1:]}: {line}"


def where_heading(d: Diagnosis) -> str:
    """Head "Where you stand" with the diagnosis itself: the advisor's placement, not a cited claim."""
    comps = [COMPONENT_WORDS[c] for c in d.components[:2]]
    text = messages().text
    if d.phase:
        around = text("where_around", components=_join(comps)) if comps else ""
        return text("where_heading", placement=text("where_phase", phase=PHASE_WORDS[d.phase], around=around))
    if comps:
        return text("where_heading", placement=text("where_components", components=_join(comps)))
    return "**Where you stand**"
