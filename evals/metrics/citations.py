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

from collections.abc import Callable, Mapping

from advisor.schema import Answer, Scope
from evals.metrics.base import CaseMetric
from evals.metrics.support import OverlapSupport, SupportTest
from evals.metrics.text import MARKER_RE, contains, is_claim, markers, normalize, split_sentences
from evals.results import CaseResult
from evals.schema import DiagnosisCase, EvalCase, FactualCase, RetrievalCase, SituationCase

CellRecords = Callable[[str, str], list[str]]
"""The records the scaling table cites for a (phase, component) cell; raises KeyError for no such cell."""


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


def _in_scope(result: CaseResult) -> Answer | None:
    answer = result.answer
    return answer if answer is not None and answer.scope is Scope.IN_SCOPE else None


class CitationValidity(CaseMetric):
    """Every marker has a citation, every citation is used, names a real record and carries its exact text."""

    name = "citation_validity"
    description = "Share of answers whose markers, citations and records all match (1.0 = every answer)."

    def __init__(self, records: Mapping[str, str]) -> None:
        self.records = records

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        return 0.0 if result.answer is None else float(not self.problems(result.answer))

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        return "no answer" if result.answer is None else "; ".join(self.problems(result.answer))

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


class _Alce(CaseMetric):
    def __init__(
        self,
        records: Mapping[str, str],
        support: SupportTest | None = None,
        attributions: Mapping[str, str] | None = None,
    ) -> None:
        self.records = records
        self.support = support or OverlapSupport()
        self.attributions = attributions or {}

    def counts(self, answer: Answer) -> tuple[int, int]:
        raise NotImplementedError

    def _texts(self, answer: Answer, numbers: list[int]) -> list[str]:
        return _cited_texts(answer, numbers, self.records, self.attributions)

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        answer = _in_scope(result)
        if answer is None:
            return None
        good, total = self.counts(answer)
        return good / total if total else None


class CitationRecall(_Alce):
    name = "citation_recall"
    description = "ALCE citation recall: share of claim sentences whose citations together support them."

    def counts(self, answer: Answer) -> tuple[int, int]:
        claims = [s for s in split_sentences(answer.answer) if is_claim(s)]
        return sum(1 for s in claims if self._supported(answer, s)), len(claims)

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        good, total = self.counts(result.answer) if result.answer else (0, 0)
        return f"{good}/{total} claims cited and supported"

    def _supported(self, answer: Answer, sentence: str) -> bool:
        texts = self._texts(answer, markers(sentence))
        return bool(texts) and self.support.supports(sentence, texts)


class CitationPrecision(_Alce):
    name = "citation_precision"
    description = "ALCE citation precision: share of citations that support their sentence alone or are needed."

    def counts(self, answer: Answer) -> tuple[int, int]:
        precise = total = 0
        for sentence in split_sentences(answer.answer):
            numbers = markers(sentence)
            if not numbers or not is_claim(sentence):
                continue
            total += len(numbers)
            precise += self._precise_in(answer, sentence, numbers)
        return precise, total

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        good, total = self.counts(result.answer) if result.answer else (0, 0)
        return f"{good}/{total} citations precise"

    def _precise_in(self, answer: Answer, sentence: str, numbers: list[int]) -> int:
        if not self.support.supports(sentence, self._texts(answer, numbers)):
            return 0
        count = 0
        for number in numbers:
            alone = self._texts(answer, [number])
            others = self._texts(answer, [n for n in numbers if n != number])
            if (alone and self.support.supports(sentence, alone)) or not (
                others and self.support.supports(sentence, others)
            ):
                count += 1
        return count


class EvidenceRecall(CaseMetric):
    """An evidence item counts as cited when a citation names one of its records or quotes its words."""

    name = "evidence_recall"
    description = "Share of a case's expected evidence that the answer cites."

    def _found(self, case: FactualCase | SituationCase, result: CaseResult) -> int:
        citations = result.answer.citations if result.answer else []
        return sum(
            1
            for item in case.evidence
            if any(c.passage_id in item.record_ids or contains(c.text, item.text) for c in citations)
        )

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        if not isinstance(case, FactualCase | SituationCase) or not case.evidence:
            return None
        return self._found(case, result) / len(case.evidence)

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        assert isinstance(case, FactualCase | SituationCase)
        return f"{self._found(case, result)}/{len(case.evidence)} evidence cited"


def expected_records(case: EvalCase, cell_records: CellRecords | None = None) -> set[str]:
    """Every record a case names as what a good answer rests on.

    A factual or situation case's evidence records, a retrieval case's relevant records, and for a case
    that names a phase and components the records the scaling table cites for those cells.
    """
    ids: set[str] = set()
    if isinstance(case, FactualCase | SituationCase):
        ids.update(rid for item in case.evidence for rid in item.record_ids)
    if isinstance(case, RetrievalCase):
        ids.update(case.relevant_ids)
    if isinstance(case, SituationCase | DiagnosisCase) and cell_records is not None and case.expected.phase:
        for component in case.expected.components or []:
            try:
                ids.update(cell_records(case.expected.phase, component))
            except KeyError:
                continue
    return ids


class ExpectedRecordsCited(CaseMetric):
    """How much of what a case expects the answer to rest on it cites, by record ID."""

    name = "expected_records_cited"
    description = "Share of a case's expected records (evidence, relevant, scaling-table cell) the answer cites."

    def __init__(self, cell_records: CellRecords | None = None) -> None:
        self.cell_records = cell_records

    def _shares(self, case: EvalCase, result: CaseResult) -> tuple[int, int] | None:
        expected = expected_records(case, self.cell_records)
        if not expected:
            return None
        cited = {c.passage_id for c in result.answer.citations} if result.answer else set()
        return len(cited & expected), len(expected)

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        shares = self._shares(case, result)
        return None if shares is None else shares[0] / shares[1]

    def explain(self, case: EvalCase, result: CaseResult) -> str:
        shares = self._shares(case, result)
        return "" if shares is None else f"{shares[0]}/{shares[1]} expected records cited"


class CitesExpectedRecord(ExpectedRecordsCited):
    name = "cites_expected_record"
    description = "Share of cases with expected records whose answer cites at least one of them."

    def score(self, case: EvalCase, result: CaseResult) -> float | None:
        shares = self._shares(case, result)
        return None if shares is None else float(shares[0] > 0)
