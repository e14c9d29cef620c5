"""Calibrate the semantic threshold and aggregation knobs on the CALIBRATION split only.

Signals are detected once per message (all semantic candidates above a low floor), so trying a
threshold only re-runs the cheap rule engine. The search is coordinate-wise over small grids;
ties keep the value closest to the current one, so calibration does not wander without cause.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml

from advisor.diagnosis.aggregate import AggregationParams
from advisor.diagnosis.diagnoser import CALIBRATION_FILE, Calibration, Diagnoser
from advisor.diagnosis.evaluation import DevItem, Scores, load_dev_set, score

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


def objective(s: Scores) -> float:
    """Phase and components count double: they are the issue's headline goals."""
    return (
        2 * s.phase_accuracy + 2 * s.component_f1 + s.mlbc_accuracy + s.challenge_f1 + s.practice_f1 + s.isa4_f1
    ) / 8


def calibrate(
    diagnoser: Diagnoser, items: list[DevItem], cache: dict | None = None, search: bool | str = True
) -> tuple[Calibration, Scores]:
    """Tune on ``items`` only; ``cache`` maps item id to an already-detected SignalReport.

    ``search=False`` keeps the current threshold and knobs and only fits the confidence maps;
    ``search="knobs"`` keeps the semantic threshold and searches the aggregation knobs.
    """
    if any(item.split != "calibration" for item in items):
        raise ValueError("calibration may only see the calibration split")
    reports = [cache[item.id] if cache and item.id in cache else diagnoser.detect(item.message) for item in items]
    threshold = diagnoser.calibration.semantic_threshold
    params = diagnoser.calibration.params
    plain = diagnoser.calibration.model_copy(update={"confidence_map": {}})

    def run(t: float, p: AggregationParams) -> Scores:
        return score(items, [diagnoser.diagnose_report(r, None, t, p, calibration=plain) for r in reports])

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
        calibrated_on=f"calibration split, {len(items)} items, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        objective=round(objective(final), 4),
    )
    preds = [diagnoser.diagnose_report(r, calibration=raw) for r in reports]
    phase_pairs = [(p.confidence.phase, p.phase == i.expected.phase) for i, p in zip(items, preds, strict=True)]
    comp_pairs = [
        (p.confidence.components, bool(p.components) and p.components[0] in i.expected.components)
        for i, p in zip(items, preds, strict=True)
    ]
    confidence_map = {"phase": reliability_bins(phase_pairs), "components": reliability_bins(comp_pairs)}
    return raw.model_copy(update={"confidence_map": confidence_map}), final


CONFIDENCE_EDGES = [0.2, 0.4, 0.6, 0.8, 1.01]


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


def calibration_items(paths: list[Path]) -> list[DevItem]:
    """Read the calibration split of each dev set; of the wild set (splits cv/test) its cv split only."""
    from evals.diagnosis_cv import is_wild, load_wild

    items: list[DevItem] = []
    for path in paths:
        items.extend(load_wild(path, "cv") if is_wild(path) else load_dev_set(path, "calibration"))
    return items


def calibrate_and_write(
    diagnoser: Diagnoser, dev_set: Path | list[Path], out: Path | None = None, search: bool = True
) -> str:
    paths = [dev_set] if isinstance(dev_set, Path | str) else list(dev_set)
    items = calibration_items([Path(p) for p in paths])
    calibration, final = calibrate(diagnoser, items, search=search)
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
