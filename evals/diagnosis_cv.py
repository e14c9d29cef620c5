"""Cross-validate the diagnoser on the wild situation set (and score the old dev set the same way).

Folds follow ``evals/sets/situations_wild.md``: sort the cv ids, fold k = position mod 5. With
``tune=True`` the calibrated knobs (semantic threshold, aggregation thresholds, confidence maps)
are chosen on the four training folds only and scored on the held-out fold; the figures printed
are then honest cross-validated estimates. The frozen ``test`` split is never read unless
``split="test"`` is asked for explicitly, and then only aggregate figures are printed.

    python -m evals.diagnosis_cv evals/sets/situations_wild.jsonl --split cv --folds 5 [--tune none|maps|all]
    advisor diagnose --evaluate evals/sets/situations_wild.jsonl --split cv --folds 5 [--tune maps|all|none]
"""

from __future__ import annotations

import itertools
import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from advisor.diagnosis.evaluation import DevItem, Expected, Scores, load_dev_set, score
from advisor.schema import Diagnosis

METRICS = [
    ("phase acc", "phase_accuracy"),
    ("comp F1", "component_f1"),
    ("mlbc acc", "mlbc_accuracy"),
    ("chall F1", "challenge_f1"),
    ("pract F1", "practice_f1"),
    ("ISA-4 F1", "isa4_f1"),
]
BUCKETS = [0.0, 0.2, 0.4, 0.6, 0.8, 1.01]


def load_wild(path: Path, split: str = "cv") -> list[DevItem]:
    """Read one split of the wild set as DevItems (split renamed to calibration, voice dropped).

    Lines of other splits are skipped before their message is parsed into an item.
    """
    items = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("split") != split:
            continue
        items.append(
            DevItem(
                id=row["id"],
                split="calibration",
                industry=row["industry"],
                size=row["size"],
                message=row["message"],
                expected=Expected.model_validate(row["expected"]),
                rationale=row["rationale"],
            )
        )
    return items


def is_wild(path: Path) -> bool:
    """Tell a wild-style set (splits cv/test) from a dev set (splits calibration/held_out) by its first line."""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            return json.loads(line).get("split") in {"cv", "test"}
    return False


def folds_of(items: Sequence[DevItem], k: int) -> list[list[DevItem]]:
    ordered = sorted(items, key=lambda i: i.id)
    return [[it for pos, it in enumerate(ordered) if pos % k == fold] for fold in range(k)]


@dataclass
class FoldResult:
    scores: Scores
    empty: int  # no component and no clarifying question
    no_component: int
    pairs: list[tuple[float, bool]] = field(default_factory=list)  # (phase confidence, phase correct)
    comp_pairs: list[tuple[float, bool]] = field(default_factory=list)  # (component confidence, main correct)


def _result(items: Sequence[DevItem], preds: Sequence[Diagnosis]) -> FoldResult:
    empty = sum(1 for p in preds if not p.components and not p.clarifying_questions)
    none = sum(1 for p in preds if not p.components)
    pairs = [(p.confidence.phase, p.phase == i.expected.phase) for i, p in zip(items, preds, strict=True)]
    comp = [
        (p.confidence.components, bool(p.components) and p.components[0] in i.expected.components)
        for i, p in zip(items, preds, strict=True)
    ]
    return FoldResult(score(items, preds), empty, none, pairs, comp)


def cross_validate(diagnoser, items: Sequence[DevItem], k: int = 5, tune: bool | str = False) -> list[FoldResult]:
    """Per-fold results; with ``tune`` the knobs are calibrated on the other folds each time.

    ``tune="maps"`` keeps the shipped threshold and knobs and fits only the confidence maps on the
    training folds; ``tune=True`` also searches the threshold and knobs there.
    """
    from advisor.diagnosis.calibrate import calibrate

    reports = {i.id: diagnoser.detect(i.message) for i in items}
    out = []
    folds = folds_of(items, k)
    for fold, held in enumerate(folds):
        if tune:
            train = [it for f, part in enumerate(folds) if f != fold for it in part]
            calibration, _ = calibrate(
                diagnoser, list(train), reports, search=tune if tune in (True, "knobs") else False
            )
        else:
            calibration = diagnoser.calibration
        preds = [diagnoser.diagnose_report(reports[i.id], calibration=calibration) for i in held]
        out.append(_result(held, preds))
    return out


def score_all(diagnoser, items: Sequence[DevItem]) -> FoldResult:
    return _result(items, [diagnoser.diagnose(i.message) for i in items])


def _row(label: str, r: FoldResult) -> str:
    s = r.scores
    cells = "".join(f"{getattr(s, attr):>10.3f}" for _, attr in METRICS)
    return f"{label:<10}{s.n:>4}{cells}{r.empty:>8}{r.no_component:>8}"


def render_folds(title: str, results: Sequence[FoldResult]) -> str:
    head = f"{'':<10}{'n':>4}" + "".join(f"{m:>10}" for m, _ in METRICS) + f"{'empty':>8}{'no comp':>8}"
    lines = [title, head]
    for fold, r in enumerate(results):
        lines.append(_row(f"fold {fold}" if len(results) > 1 else "all", r))
    if len(results) > 1:
        means = "".join(f"{statistics.mean(getattr(r.scores, attr) for r in results):>10.3f}" for _, attr in METRICS)
        n = sum(r.scores.n for r in results)
        empty = sum(r.empty for r in results)
        none = sum(r.no_component for r in results)
        lines.append(f"{'mean':<10}{n:>4}{means}{empty:>8}{none:>8}")
    lines.append("(empty = no component and no clarifying question; no comp = no component at all)")
    return "\n".join(lines)


def reliability(title: str, pairs: Sequence[tuple[float, bool]]) -> str:
    """Accuracy by confidence bucket: a calibrated diagnoser's accuracy sits inside its bucket."""
    lines = [f"reliability - {title}", f"{'confidence':<12}{'n':>5}{'mean conf':>11}{'accuracy':>10}"]
    for lo, hi in itertools.pairwise(BUCKETS):
        inside = [(c, ok) for c, ok in pairs if lo <= c < hi]
        if not inside:
            lines.append(f"{lo:.1f}-{min(hi, 1.0):.1f}".ljust(12) + f"{0:>5}")
            continue
        mean_c = statistics.mean(c for c, _ in inside)
        acc = sum(ok for _, ok in inside) / len(inside)
        lines.append(f"{lo:.1f}-{min(hi, 1.0):.1f}".ljust(12) + f"{len(inside):>5}{mean_c:>11.3f}{acc:>10.3f}")
    if pairs:
        ece = 0.0
        for lo, hi in itertools.pairwise(BUCKETS):
            inside = [(c, ok) for c, ok in pairs if lo <= c < hi]
            if inside:
                gap = abs(statistics.mean(c for c, _ in inside) - sum(ok for _, ok in inside) / len(inside))
                ece += gap * len(inside) / len(pairs)
        lines.append(f"expected calibration error: {ece:.3f}")
    return "\n".join(lines)


def run(
    diagnoser,
    wild: Path,
    split: str = "cv",
    k: int = 5,
    tune: bool | str = False,
    dev: Path | None = None,
) -> str:
    out = []
    if split == "test":
        # The frozen split: one aggregate score with the shipped calibration, nothing per case.
        items = load_wild(wild, "test")
        r = score_all(diagnoser, items)
        out.append(render_folds(f"{wild} split=test (frozen; aggregate only, shipped calibration)", [r]))
        out.append(reliability("phase, test", r.pairs))
        return "\n\n".join(out)
    items = load_wild(wild, split)
    results = cross_validate(diagnoser, items, k, tune)
    how = {
        True: f"threshold, knobs and confidence maps tuned on the {k - 1} training folds",
        "maps": f"shipped knobs; confidence maps fitted on the {k - 1} training folds",
        "knobs": f"shipped threshold; aggregation knobs and confidence maps tuned on the {k - 1} training folds",
    }.get(tune, "shipped calibration")
    out.append(render_folds(f"{wild} split={split}, {k}-fold ({how})", results))
    out.append(reliability("phase, held-out folds", [p for r in results for p in r.pairs]))
    out.append(reliability("main component, held-out folds", [p for r in results for p in r.comp_pairs]))
    if dev is not None:
        dev_items = load_dev_set(dev)
        out.append(render_folds(f"{dev} all splits (shipped calibration)", [score_all(diagnoser, dev_items)]))
    return "\n\n".join(out)


def main(argv: list[str] | None = None) -> None:
    import argparse

    from advisor.diagnosis import Diagnoser

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wild", type=Path)
    parser.add_argument("--split", choices=["cv", "test"], default="cv")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--tune", choices=["none", "maps", "knobs", "all"], default="maps")
    parser.add_argument("--dev", type=Path, default=Path("evals/sets/diagnosis_dev.jsonl"))
    parser.add_argument("--no-embeddings", action="store_true")
    args = parser.parse_args(argv)
    diagnoser = Diagnoser(use_embeddings=not args.no_embeddings)
    tune = {"none": False, "maps": "maps", "knobs": "knobs", "all": True}[args.tune]
    print(run(diagnoser, args.wild, args.split, args.folds, tune, args.dev))


if __name__ == "__main__":
    main()
