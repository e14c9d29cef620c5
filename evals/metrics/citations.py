"""Citation metrics: validity, ALCE-style precision and recall, and evidence recall.

ALCE (Gao et al., 2023) scores a cited answer sentence by sentence. *Citation recall*: a claim sentence
counts when it carries at least one marker and its cited passages together support it. *Citation
precision*: a citation counts when its sentence is supported by all its citations together and the
citation either supports the sentence alone or is needed (the others without it no longer support it).
"Supports" is the documented test of :mod:`evals.metrics.support`, in place of ALCE's NLI model; the
text tested is the record's words plus its attribution (title, authors, speaker, role, company), so
"— Kim Branson, GSK." after a quote is supported by the quote record it cites.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from advisor.schema import Answer, Scope
from evals.metrics.base import mean_of
from evals.metrics.support import OverlapSupport, SupportTest
from evals.metrics.text import MARKER_RE, contains, is_claim, markers, normalize, split_sentences
from evals.results import CaseResult, CaseScore, MetricScore
from evals.schema import FactualCase, SituationCase


def _cited_texts(
    answer: Answer, numbers: list[int], records: Mapping[str, str], attributions: Mapping[str, str]
) -> list[str]:
    """Collect the record text behind each marker with its attribution (as ALCE pairs title and text)."""
    by_marker = {int(c.marker[1:-1]): c for c in answer.citations}
    texts = []
    for number in numbers:
        citation = by_marker.get(number)
        if citation is not None:
            text = records.get(citation.passage_id, citation.text)
            texts.append(f"{text}\n{attributions.get(citation.passage_id, '')}".strip())
    return texts


def _in_scope_answers(results: Sequence[CaseResult]) -> list[tuple[CaseResult, Answer]]:
    return [(r, r.answer) for r in results if r.answer is not None and r.answer.scope is Scope.IN_SCOPE]


class CitationValidity:
    """Every marker has a citation, every citation is used, names a real record and carries its exact text."""

    name = "citation_validity"
    description = "Share of answers whose markers, citations and records all match (1.0 = every answer)."

    def __init__(self, records: Mapping[str, str]) -> None:
        self.records = records

    def score(self, results: Sequence[CaseResult]) -> MetricScore:
        cases = []
        for result in results:
            if result.answer is None:
                cases.append(CaseScore(case_id=result.case_id, value=0.0, passed=False, detail="no answer"))
                continue
            problems = self.problems(result.answer)
            cases.append(
                CaseScore(
                    case_id=result.case_id, value=float(not problems), passed=not problems, detail="; ".join(problems)
                )
            )
        return mean_of(self.name, self.description, cases)

    def problems(self, answer: Answer) -> list[str]:
        used = {int(m) for m in MARKER_RE.findall(answer.answer)}
        given: dict[int, str] = {}
        problems = []
        for citation in answer.citations:
            number = int(citation.marker[1:-1])
            if number in given:
                problems.append(f"marker {citation.marker} given twice")
            given[number] = citation.passage_id
            record_text = self.records.get(citation.passage_id)
            if record_text is None:
                problems.append(f"{citation.marker} names unknown record {citation.passage_id}")
            elif normalize(record_text) != normalize(citation.text):
                problems.append(f"{citation.marker} text differs from record {citation.passage_id}")
        problems += [f"marker [{n}] has no citation" for n in sorted(used - set(given))]
        problems += [f"citation [{n}] is never used" for n in sorted(set(given) - used)]
        return problems


class CitationRecall:
    name = "citation_recall"
    description = "ALCE citation recall: share of claim sentences whose citations together support them."

    def __init__(
        self,
        records: Mapping[str, str],
        support: SupportTest | None = None,
        attributions: Mapping[str, str] | None = None,
    ) -> None:
        self.records = records
        self.support = support or OverlapSupport()
        self.attributions = attributions or {}

    def score(self, results: Sequence[CaseResult]) -> MetricScore:
        cases = []
        for result, answer in _in_scope_answers(results):
            claims = [s for s in split_sentences(answer.answer) if is_claim(s)]
            if not claims:
                continue
            good = [s for s in claims if self._supported(answer, s)]
            value = len(good) / len(claims)
            cases.append(
                CaseScore(
                    case_id=result.case_id,
                    value=value,
                    passed=value == 1.0,
                    detail=f"{len(good)}/{len(claims)} claims cited and supported",
                )
            )
        return mean_of(self.name, self.description, cases)

    def _supported(self, answer: Answer, sentence: str) -> bool:
        texts = _cited_texts(answer, markers(sentence), self.records, self.attributions)
        return bool(texts) and self.support.supports(sentence, texts)


class CitationPrecision:
    name = "citation_precision"
    description = "ALCE citation precision: share of citations that support their sentence alone or are needed."

    def __init__(
        self,
        records: Mapping[str, str],
        support: SupportTest | None = None,
        attributions: Mapping[str, str] | None = None,
    ) -> None:
        self.records = records
        self.support = support or OverlapSupport()
        self.attributions = attributions or {}

    def score(self, results: Sequence[CaseResult]) -> MetricScore:
        cases = []
        for result, answer in _in_scope_answers(results):
            precise = total = 0
            for sentence in split_sentences(answer.answer):
                numbers = markers(sentence)
                if not numbers or not is_claim(sentence):
                    continue
                total += len(numbers)
                precise += self._precise_in(answer, sentence, numbers)
            if total:
                value = precise / total
                cases.append(
                    CaseScore(
                        case_id=result.case_id,
                        value=value,
                        passed=value == 1.0,
                        detail=f"{precise}/{total} citations precise",
                    )
                )
        return mean_of(self.name, self.description, cases)

    def _precise_in(self, answer: Answer, sentence: str, numbers: list[int]) -> int:
        if not self.support.supports(sentence, _cited_texts(answer, numbers, self.records, self.attributions)):
            return 0
        count = 0
        for number in numbers:
            alone = _cited_texts(answer, [number], self.records, self.attributions)
            others = _cited_texts(answer, [n for n in numbers if n != number], self.records, self.attributions)
            if (alone and self.support.supports(sentence, alone)) or not (
                others and self.support.supports(sentence, others)
            ):
                count += 1
        return count


class EvidenceRecall:
    """An evidence item counts as cited when a citation names one of its records or quotes its words."""

    name = "evidence_recall"
    description = "Share of a case's expected evidence that the answer cites."

    def score(self, results: Sequence[CaseResult]) -> MetricScore:
        cases = []
        for result in results:
            case = result.case
            if not isinstance(case, FactualCase | SituationCase) or not case.evidence:
                continue
            citations = result.answer.citations if result.answer else []
            found = [
                item
                for item in case.evidence
                if any(c.passage_id in item.record_ids or contains(c.text, item.text) for c in citations)
            ]
            value = len(found) / len(case.evidence)
            cases.append(
                CaseScore(
                    case_id=case.id,
                    value=value,
                    passed=value == 1.0,
                    detail=f"{len(found)}/{len(case.evidence)} evidence cited",
                )
            )
        return mean_of(self.name, self.description, cases)
