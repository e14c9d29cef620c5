"""Measure answer quality on the development sets: ``advisor ask --evaluate FILE``.

Figures: citation validity (every marker has a citation, every citation is a real record with its
verbatim text), share of expected evidence cited, scope accuracy (with a threshold search on the
calibration split), and for an LLM backend the share of answers passing the citation check versus
falling back, with tokens per second. Kept out of the test suite: these are measurements, not gates.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from advisor.answer.scope import ScopeThresholds
from advisor.answer.text import markers_in
from advisor.schema import Answer, ChatTurn, Scope
from knowledge.datafile import DataFileError, read_jsonl


class Case(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    message: str
    history: list[ChatTurn]
    expected_scope: Scope | None
    expected_ids: list[str]
    split: str | None


def load_cases(path: Path) -> list[Case]:
    """Read a dev set in any of the project's shapes (scope_dev, retrieval_dev, diagnosis_dev, eval cases)."""
    cases = []
    for number, data in read_jsonl(path):
        message = data.get("message") or data.get("query")
        if not isinstance(message, str) or "id" not in data:
            raise DataFileError(path, number, None, "a case needs 'id' and 'message' (or 'query')")
        expected = data.get("expected")
        ids = list(expected) if isinstance(expected, list) else []
        if isinstance(expected, dict):
            ids += _cell_records(expected)
        for ev in data.get("evidence") or []:
            ids += ev.get("record_ids", [])
        scope = data.get("expected_scope")
        if scope is None and data.get("type") in ("out_of_scope", "unanswerable"):
            scope = data["type"]
        elif scope is None and data.get("type") in ("factual", "situation"):
            scope = "in_scope"
        cases.append(
            Case(
                id=str(data["id"]),
                message=message,
                history=[ChatTurn.model_validate(t) for t in data.get("history") or []],
                expected_scope=Scope(scope) if scope else None,
                expected_ids=ids,
                split=data.get("split"),
            )
        )
    return cases


def _cell_records(expected: dict) -> list[str]:
    """For a diagnosis case, the expected evidence is what the scaling table cites for its phase x components."""
    from knowledge.corpus import load_scaling_table

    if not expected.get("phase"):
        return []
    table = load_scaling_table()
    ids: list[str] = []
    for component in expected.get("components") or []:
        try:
            ids += table.cell(expected["phase"], component).supporting_records
        except KeyError:
            continue
    return ids


def citation_problems(answer: Answer, retriever) -> list[str]:
    problems = []
    used = {f"[{n}]" for n in markers_in(answer.answer)}
    given = {c.marker for c in answer.citations}
    if used - given:
        problems.append(f"markers without citation: {sorted(used - given)}")
    if given - used:
        problems.append(f"citations never used: {sorted(given - used)}")
    for c in answer.citations:
        try:
            record = retriever.get_record(c.passage_id)
        except KeyError:
            problems.append(f"{c.marker} names no record ({c.passage_id})")
            continue
        if record.text != c.text:
            problems.append(f"{c.marker} text differs from record {c.passage_id}")
    return problems


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}% ({n}/{d})" if d else "n/a"


def evaluate_answers(advisor, cases: list[Case]) -> str:
    valid = 0
    evidence_shares: list[float] = []
    evidence_any = 0
    with_expected = 0
    scope_right = 0
    with_scope = 0
    accepted = fallbacks = 0
    tps: list[float] = []
    seconds: list[float] = []
    failures: list[str] = []
    confusion: Counter[tuple[str, str]] = Counter()
    for case in cases:
        started = time.perf_counter()
        response = advisor.respond(case.message, case.history)
        seconds.append(time.perf_counter() - started)
        answer = response.answer
        problems = citation_problems(answer, advisor.retriever)
        if problems:
            failures.append(f"  {case.id}: {'; '.join(problems)}")
        else:
            valid += 1
        if case.expected_ids:
            with_expected += 1
            cited = {c.passage_id for c in answer.citations}
            share = len(cited & set(case.expected_ids)) / len(set(case.expected_ids))
            evidence_shares.append(share)
            evidence_any += share > 0
        if case.expected_scope is not None:
            with_scope += 1
            scope_right += answer.scope == case.expected_scope
            confusion[(case.expected_scope.value, answer.scope.value)] += 1
        if response.outcome is not None:
            if response.outcome.kind == "accepted":
                accepted += 1
            else:
                fallbacks += 1
            if response.outcome.tokens_per_second:
                tps.append(response.outcome.tokens_per_second)
    n = len(cases)
    lines = [
        f"cases: {n}   backend: {advisor.settings.llm_provider}",
        f"citation validity: {_pct(valid, n)}",
    ]
    if with_expected:
        lines.append(
            f"expected evidence cited: mean share {statistics.mean(evidence_shares):.3f}; "
            f"answers citing at least one expected record {_pct(evidence_any, with_expected)}"
        )
    if with_scope:
        lines.append(f"scope accuracy: {_pct(scope_right, with_scope)}")
        lines.append("  expected -> got: " + ", ".join(f"{e}->{g}: {c}" for (e, g), c in sorted(confusion.items())))
    if accepted or fallbacks:
        lines.append(
            f"LLM answers passing the citation check: {_pct(accepted, accepted + fallbacks)}; "
            f"fell back to offline: {_pct(fallbacks, accepted + fallbacks)}"
        )
        if tps:
            lines.append(f"tokens/s: mean {statistics.mean(tps):.2f}, min {min(tps):.2f}, max {max(tps):.2f}")
    lines.append(f"seconds per answer: median {statistics.median(seconds):.2f}, max {max(seconds):.2f}")
    if failures:
        lines += ["citation problems:", *failures]
    return "\n".join(lines)


def calibrate_scope(advisor, cases: list[Case]) -> str:
    """Grid-search the scope thresholds on the calibration split; report both splits with the best ones."""
    classifier = advisor.scope
    rows = []
    for case in cases:
        resolved = advisor.followups.resolve(case.message, case.history).text
        hits = advisor.retriever.search(resolved, k=6).hits
        rows.append((case, resolved, hits))
    base = classifier.thresholds
    grid = itertools.product([0.0, 0.05, 0.1, 0.15], [0.0, 0.15, 0.3], [x / 100 for x in range(-10, 36, 2)])

    def accuracy(t: ScopeThresholds, split: str | None) -> tuple[int, int]:
        chosen = [(c, r, h) for c, r, h in rows if split is None or c.split == split]
        right = sum(classifier.classify(r, h, thresholds=t).scope == c.expected_scope for c, r, h in chosen)
        return right, len(chosen)

    def margin(t: ScopeThresholds) -> float:
        """Smallest distance of a calibration case's topic score to the cut: ties go to the widest margin."""
        scores = [classifier.classify(r, h, thresholds=t).topic_score for c, r, h in rows if c.split == "calibration"]
        return min(abs(x - t.in_scope_min) for x in scores)

    best = None
    for bonus, corpus_weight, minimum in grid:
        t = base.model_copy(update={"domain_bonus": bonus, "corpus_weight": corpus_weight, "in_scope_min": minimum})
        right, total = accuracy(t, "calibration")
        key = (right, round(margin(t), 3))
        if best is None or key > best[0]:
            best = (key, total, t)
    assert best is not None
    lines = [f"current thresholds: {base.model_dump()}"]
    for split in ("calibration", "held_out"):
        lines.append(f"  {split}: {_pct(*accuracy(base, split))}")
    lines.append(f"best on calibration (accuracy, then margin): {best[2].model_dump()}")
    for split in ("calibration", "held_out"):
        lines.append(f"  {split}: {_pct(*accuracy(best[2], split))}")
    lines.append("per case with current thresholds (score, in, out, corpus, decision):")
    for case, resolved, hits in rows:
        d = classifier.classify(resolved, hits)
        mark = "ok " if d.scope == case.expected_scope else "XX "
        lines.append(
            f"  {mark}{case.id:10} {d.topic_score:+.3f} in={d.in_similarity:.2f} out={d.out_similarity:.2f} "
            f"corpus={d.corpus_similarity or 0:.2f} {d.scope.value:13} ({d.reason})"
        )
    return "\n".join(lines)


def evaluate_file(advisor, path: Path, calibrate: bool = False, limit: int | None = None) -> str:
    cases = load_cases(path)[:limit]
    if calibrate:
        if not all(c.expected_scope for c in cases):
            raise ValueError(f"{path}: --calibrate needs a scope set (every case with expected_scope)")
        return calibrate_scope(advisor, cases)
    return evaluate_answers(advisor, cases)
