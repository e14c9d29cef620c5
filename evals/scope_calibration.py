"""Search the scope thresholds on a scope set's calibration split, scored by the evals scope metric.

``advisor calibrate scope FILE`` (alias ``advisor ask --evaluate FILE --calibrate``). Every case is
resolved and retrieved for once; each threshold trial only re-runs the classifier, and its accuracy is
:class:`~evals.metrics.scope.ScopeAccuracy` averaged by the runner. It prints the current and the best
thresholds on both splits and every case's decision; it writes nothing (the thresholds live in
``advisor/answer/scope.yaml``, edited by hand with these figures).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from advisor.service import Advisor
from evals.metrics.scope import ScopeAccuracy
from evals.results import CaseResult
from evals.runner import Runner
from evals.schema import EvalCase, InScopeCase, OutOfScopeCase, UnanswerableCase

GRID = (
    [0.0, 0.05, 0.1, 0.15],  # domain_bonus
    [0.0, 0.15, 0.3],  # corpus_weight
    [x / 100 for x in range(-10, 36, 2)],  # in_scope_min
)


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}% ({n}/{d})" if d else "n/a"


def calibrate_scope(advisor: Advisor, cases: Sequence[EvalCase]) -> str:
    """Grid-search the scope thresholds on the calibration split; report both splits with the best ones."""
    if not all(isinstance(c, InScopeCase | OutOfScopeCase | UnanswerableCase) for c in cases):
        raise ValueError("--calibrate needs a scope set (every case in_scope, out_of_scope or unanswerable)")
    classifier, followups, retriever = advisor.parts.scope, advisor.parts.followups, advisor.parts.retriever
    rows = []
    for case in cases:
        resolved = followups.resolve(case.message, case.history).text
        hits = retriever.search(resolved, k=6).hits
        rows.append((case, resolved, hits))
    base = classifier.thresholds
    runner = Runner([ScopeAccuracy()])

    def accuracy(t, split: str | None) -> tuple[int, int]:
        chosen = [(c, r, h) for c, r, h in rows if split is None or c.split == split]
        results = [
            CaseResult(case=c, decided_scope=classifier.classify(r, h, thresholds=t).scope)
            for c, r, h in chosen
        ]
        (scope_accuracy,) = runner.score(results)
        value = scope_accuracy.value or 0.0
        return round(value * scope_accuracy.n), scope_accuracy.n

    def margin(t) -> float:
        """Smallest distance of a calibration case's topic score to the cut: ties go to the widest margin."""
        scores = [
            classifier.classify(r, h, thresholds=t).topic_score
            for c, r, h in rows
            if c.split == "calibration"
        ]
        return min(abs(x - t.in_scope_min) for x in scores)

    best = None
    for bonus, corpus_weight, minimum in itertools.product(*GRID):
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
