"""Fit the diagnoser's calibrated knobs on tunable cases only, scored through the evals diagnosis metrics.

Tunable cases are a dev set's calibration split and the wild set's cv split; held-out and test cases
are refused. Signals are detected once per message (all semantic candidates above a low floor), so
trying a threshold only re-runs the cheap rule engine; every trial is scored by the runner
(:func:`evals.diagnosis_scores.score`). The search is coordinate-wise over small grids; ties keep the value
closest to the current one, so calibration does not wander without cause. The result is the product's
``advisor/diagnosis/calibration.yaml`` (``advisor calibrate diagnosis``, alias ``advisor diagnose
--calibrate``), which the diagnoser reads at run time; nothing here runs in the product.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import yaml

from advisor.diagnosis.aggregate import AggregationParams
from advisor.diagnosis.diagnoser import CALIBRATION_FILE, Calibration, Diagnoser
from evals.diagnosis_scores import Scores, score
from evals.loader import load_cases
from evals.schema import DiagnosisCase, Split

TUNABLE: tuple[Split, ...] = ("calibration", "cv")
GRIDS: dict[str, list[float]] = {
    "component_relative": [0.3, 0.4, 0.5, 0.6, 0.7],
    "component_min": [0.3, 0.5, 0.8, 1.0],
    "isa4_relative": [0.3, 0.4, 0.5, 0.6, 0.7],
    "isa4_min": [0.4, 0.6, 0.8, 1.0, 1.3],
    "challenge_min": [0.6, 0.8, 1.0, 1.3, 1.6],
    "practice_min": [0.6, 0.8, 1.0, 1.3, 1.6],
    "min_phase_evidence": [0.4, 0.6, 0.8, 1.0],
}
THRESHOLDS = [round(0.45 + 0.025 * i, 3) for i in range(15)]
CONFIDENCE_EDGES = [0.2, 0.4, 0.6, 0.8, 1.01]


def objective(s: Scores) -> float:
    """Phase and components count double: they are the issue's headline goals."""
    return (
        2 * s.phase_accuracy + 2 * s.component_f1 + s.mlbc_accuracy + s.challenge_f1 + s.practice_f1 + s.isa4_f1
    ) / 8


def calibrate(
    diagnoser: Diagnoser, cases: Sequence[DiagnosisCase], cache: dict | None = None, search: bool | str = True
) -> tuple[Calibration, Scores]:
    """Tune on ``cases`` only; ``cache`` maps case id to an already-detected SignalReport.

    ``search=False`` keeps the current threshold and knobs and only fits the confidence maps;
    ``search="knobs"`` keeps the semantic threshold and searches the aggregation knobs.
    """
    if any(case.split not in TUNABLE for case in cases):
        raise ValueError("calibration may only see the calibration split (of the wild set: its cv split)")
    reports = [cache[c.id] if cache and c.id in cache else diagnoser.detect(c.message) for c in cases]
    threshold = diagnoser.calibration.semantic_threshold
    params = diagnoser.calibration.params
    plain = diagnoser.calibration.model_copy(update={"confidence_map": {}})

    def run(t: float, p: AggregationParams) -> Scores:
        return score(cases, [diagnoser.diagnose_report(r, None, t, p, calibration=plain) for r in reports])

    def pick(trials: list[tuple[float, float, AggregationParams]], current: float) -> tuple[float, AggregationParams]:
        """Best objective; ties go to the candidate closest to the current value."""
        ranked = [(objective(run(t, p)), -abs(v - current), t, p) for v, t, p in trials]
        best = max(ranked, key=lambda r: (r[0], r[1]))
        return best[2], best[3]

    for _ in range(2 if search else 0):
        if search != "knobs":
            threshold, params = pick([(t, t, params) for t in THRESHOLDS], threshold)
        for name, grid in GRIDS.items():
            current = getattr(params, name)
            trials = [(v, threshold, params.model_copy(update={name: v})) for v in grid]
            threshold, params = pick(trials, current)
    final = run(threshold, params)
    raw = Calibration(
        semantic_threshold=threshold,
        params=params,
        calibrated_on=f"calibration split, {len(cases)} items, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        objective=round(objective(final), 4),
    )
    preds = [diagnoser.diagnose_report(r, calibration=raw) for r in reports]
    phase_pairs = [(p.confidence.phase, p.phase == c.expected.phase) for c, p in zip(cases, preds, strict=True)]
    comp_pairs = [
        (p.confidence.components, bool(p.components) and p.components[0] in c.expected.components)
        for c, p in zip(cases, preds, strict=True)
    ]
    confidence_map = {"phase": reliability_bins(phase_pairs), "components": reliability_bins(comp_pairs)}
    return raw.model_copy(update={"confidence_map": confidence_map}), final


def reliability_bins(pairs: list[tuple[float, bool]]) -> list[tuple[float, float]]:
    """Accuracy per raw-confidence bin, smoothed (one right and one wrong added) and made non-decreasing."""
    bins: list[tuple[float, float]] = []
    lower, floor = 0.0, 0.0
    for upper in CONFIDENCE_EDGES:
        inside = [ok for c, ok in pairs if lower <= c < upper]
        value = max(floor, (sum(inside) + 1) / (len(inside) + 2))
        bins.append((upper, round(value, 3)))
        lower, floor = upper, value
    return bins


def calibration_cases(paths: Sequence[Path]) -> list[DiagnosisCase]:
    """Read the tunable cases of each file, in file order (a held-out or test line is never parsed)."""
    cases: list[DiagnosisCase] = []
    for path in paths:
        for split in TUNABLE:
            for case in load_cases(path, split):
                if not isinstance(case, DiagnosisCase):
                    raise ValueError(f"{path}: calibration reads diagnosis cases; {case.id} is a {case.type} case")
                cases.append(case)
    return cases


def calibrate_and_write(
    diagnoser: Diagnoser, dev_sets: Path | Sequence[Path], out: Path | None = None, search: bool = True
) -> str:
    paths = [Path(dev_sets)] if isinstance(dev_sets, Path | str) else [Path(p) for p in dev_sets]
    calibration, final = calibrate(diagnoser, calibration_cases(paths), search=search)
    calibration = calibration.model_copy(
        update={"calibrated_on": f"{', '.join(str(p) for p in paths)}: " + calibration.calibrated_on}
    )
    out = Path(out or CALIBRATION_FILE)
    header = (
        "# Calibrated knobs of the rule-based diagnoser. Written by `advisor diagnose --calibrate`, which\n"
        "# only ever reads the calibration split of diagnosis_dev.jsonl and the cv split of situations_wild.jsonl\n"
        "# (never the wild test split).\n"
    )
    out.write_text(header + yaml.safe_dump(calibration.model_dump(mode="json"), sort_keys=False), encoding="utf-8")
    return (
        f"wrote {out}: semantic_threshold={calibration.semantic_threshold} objective={calibration.objective} "
        f"(phase {final.phase_accuracy:.3f}, components {final.component_f1:.3f}, mlbc {final.mlbc_accuracy:.3f}, "
        f"challenges {final.challenge_f1:.3f}, practices {final.practice_f1:.3f}, isa4 {final.isa4_f1:.3f})"
    )
