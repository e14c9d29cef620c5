"""Cross-validate the diagnoser on the wild situation set (and score the frozen test split once).

Folds follow ``evals/sets/situations_wild.md``: sort the cv ids, fold k = position mod k. With a tuning
(``maps``, ``knobs``, ``all``) the calibrated knobs are chosen on the other folds only
(:func:`evals.diagnosis_calibration.calibrate`) and scored on the held-out fold; the figures printed
are then honest cross-validated estimates. Each fold is a part of the run, scored by the runner, and a
``mean`` part holds the mean of the folds' figures. The frozen ``test`` split is never read unless it is
asked for, and then only aggregate figures are printed.

    advisor eval --set wild-cv                     # 5 folds, confidence maps fitted on the training folds
    advisor diagnose --evaluate evals/sets/situations_wild.jsonl --split cv --folds 5 [--tune maps|all|none]
    python -m evals.diagnosis_cv evals/sets/situations_wild.jsonl --split cv --folds 5 [--tune none|maps|all]
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from advisor.schema import Diagnosis
from advisor.settings import Settings
from evals.diagnosis_scores import Scores, require_diagnosis_cases
from evals.loader import file_set, load_eval_set
from evals.metrics import diagnosis_metrics
from evals.options import EvalOptions
from evals.results import CaseResult, MetricScore, Part, RunResult
from evals.runner import Runner, run_info
from evals.schema import DiagnosisCase, EvalCase, EvalSet, Tuning
from evals.subjects import DiagnoserSubject

METRICS = [
    ("phase acc", "phase_accuracy"),
    ("comp F1", "component_f1"),
    ("mlbc acc", "mlbc_accuracy"),
    ("chall F1", "challenge_f1"),
    ("pract F1", "practice_f1"),
    ("ISA-4 F1", "isa4_f1"),
]
BUCKETS = [0.0, 0.2, 0.4, 0.6, 0.8, 1.01]
MEAN = "mean"
DEV = "dev"
HOW = {
    "all": "threshold, knobs and confidence maps tuned on the {n} training folds",
    "maps": "shipped knobs; confidence maps fitted on the {n} training folds",
    "knobs": "shipped threshold; aggregation knobs and confidence maps tuned on the {n} training folds",
    "none": "shipped calibration",
}


def folds_of(cases: Sequence[DiagnosisCase], k: int) -> list[list[DiagnosisCase]]:
    ordered = sorted(cases, key=lambda c: c.id)
    return [[c for pos, c in enumerate(ordered) if pos % k == fold] for fold in range(k)]


def mean_part(folds: Sequence[Part]) -> Part:
    """Average each metric over the folds (each fold weighs the same); n is the folds' total."""
    metrics = []
    for metric in folds[0].metrics:
        scored = [m for fold in folds if (m := fold.metric(metric.name)) is not None and m.value is not None]
        value = statistics.mean(m.value for m in scored if m.value is not None) if scored else None
        metrics.append(
            MetricScore(
                name=metric.name,
                description=f"Mean over the folds: {metric.description}",
                value=value,
                n=sum(m.n for m in scored),
                unit=metric.unit,
                higher_is_better=metric.higher_is_better,
            )
        )
    return Part(name=MEAN, title="mean of the folds", metrics=metrics)


def cross_validate(
    diagnoser, cases: Sequence[DiagnosisCase], k: int = 5, tune: Tuning = "none"
) -> list[tuple[Part, list[CaseResult]]]:
    """Score each fold with the knobs fitted on the other folds (per ``tune``); results carry their fold."""
    from evals.diagnosis_calibration import calibrate

    reports = {c.id: diagnoser.detect(c.message) for c in cases}
    runner = Runner(diagnosis_metrics())
    parts: list[tuple[Part, list[CaseResult]]] = []
    folds = folds_of(cases, k)
    for fold, held in enumerate(folds):
        if tune != "none":
            train = [c for f, part in enumerate(folds) if f != fold for c in part]
            search: bool | str = True if tune == "all" else "knobs" if tune == "knobs" else False
            calibration, _ = calibrate(diagnoser, train, reports, search=search)
        else:
            calibration = diagnoser.calibration
        parts.append(runner.run_part(held, _fold_subject(diagnoser, reports, calibration), name=f"fold {fold}"))
    return parts


def _fold_subject(diagnoser, reports: dict, calibration) -> DiagnoserSubject:
    """Place a held-out case from its already-detected signals with the fold's calibration."""

    def place(case: EvalCase) -> Diagnosis:
        return diagnoser.diagnose_report(reports[case.id], calibration=calibration)

    return DiagnoserSubject(place)


def run_folds(settings: Settings, eval_set: EvalSet, options: EvalOptions, diagnoser=None) -> RunResult:
    """Score the cv split in folds (and their ``mean``), or the test split as one ``all`` part; ``--dev-set`` too."""
    from advisor.diagnosis import Diagnoser

    cases = require_diagnosis_cases(eval_set)
    diagnoser = diagnoser or Diagnoser(settings, use_embeddings=options.embeddings)
    started_at, clock = datetime.now(UTC), time.perf_counter()
    runner = Runner(diagnosis_metrics())
    k = options.folds or eval_set.folds or 5
    tune = options.tune or eval_set.tune
    if eval_set.split == "test":
        part, results = runner.run_part(cases, DiagnoserSubject.of(diagnoser), name="all")
        parts = [part.model_copy(update={"title": "test (frozen; aggregate only, shipped calibration)"})]
    else:
        scored = cross_validate(diagnoser, cases, k, tune)
        folds = [part for part, _ in scored]
        results = [r for _, fold_results in scored for r in fold_results]
        title = f"{k}-fold ({HOW[tune].format(n=k - 1)})"
        parts = [*folds, mean_part(folds).model_copy(update={"title": title})]
    if options.dev_set is not None and eval_set.split != "test":
        dev = file_set(options.dev_set)
        part, found = runner.run_part(require_diagnosis_cases(dev), DiagnoserSubject.of(diagnoser), name=DEV)
        parts.append(part.model_copy(update={"title": f"{options.dev_set} all splits (shipped calibration)"}))
        results += found
    info = run_info(eval_set, "none", started_at, time.perf_counter() - clock, results)
    return RunResult.from_parts(info, parts, results)


def _row(label: str, s: Scores) -> str:
    cells = "".join(f"{getattr(s, attr):>10.3f}" for _, attr in METRICS)
    return f"{label:<10}{s.n:>4}{cells}{s.empty:>8}{s.no_component:>8}"


def render_folds(title: str, scores: Sequence[Scores]) -> str:
    head = f"{'':<10}{'n':>4}" + "".join(f"{m:>10}" for m, _ in METRICS) + f"{'empty':>8}{'no comp':>8}"
    lines = [title, head]
    for fold, s in enumerate(scores):
        lines.append(_row(f"fold {fold}" if len(scores) > 1 else "all", s))
    if len(scores) > 1:
        means = "".join(f"{statistics.mean(getattr(s, attr) for s in scores):>10.3f}" for _, attr in METRICS)
        n = sum(s.n for s in scores)
        empty = sum(s.empty for s in scores)
        none = sum(s.no_component for s in scores)
        lines.append(f"{'mean':<10}{n:>4}{means}{empty:>8}{none:>8}")
    lines.append("(empty = no component and no clarifying question; no comp = no component at all)")
    return "\n".join(lines)


def phase_pairs(results: Sequence[CaseResult]) -> list[tuple[float, bool]]:
    """(phase confidence, phase right) of every placement."""
    out = []
    for r in results:
        if isinstance(r.case, DiagnosisCase) and r.placed is not None:
            out.append((r.placed.confidence.phase, r.placed.phase == r.case.expected.phase))
    return out


def component_pairs(results: Sequence[CaseResult]) -> list[tuple[float, bool]]:
    """(component confidence, main component among the expected ones) of every placement."""
    out = []
    for r in results:
        if isinstance(r.case, DiagnosisCase) and r.placed is not None:
            p = r.placed
            out.append((p.confidence.components, bool(p.components) and p.components[0] in r.case.expected.components))
    return out


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


def render(run: RunResult) -> str:
    """Show the folds (or the test split) with their mean, the reliability tables and the ``--dev-set`` table."""
    name = run.info.set_name
    out = []
    if run.part("all") is not None:
        results = run.results_of("all")
        title = f"{name} split=test (frozen; aggregate only, shipped calibration)"
        out.append(render_folds(title, [_scores(run, "all")]))
        out.append(reliability("phase, test", phase_pairs(results)))
    else:
        folds = [p for p in run.parts if p.name.startswith("fold ")]
        mean = run.part(MEAN)
        title = mean.title if mean is not None else ""
        out.append(render_folds(f"{name} split=cv, {title}", [_scores(run, p.name) for p in folds]))
        held = [r for p in folds for r in run.results_of(p.name)]
        out.append(reliability("phase, held-out folds", phase_pairs(held)))
        out.append(reliability("main component, held-out folds", component_pairs(held)))
    dev = run.part(DEV)
    if dev is not None:
        out.append(render_folds(dev.title, [_scores(run, DEV)]))
    return "\n\n".join(out)


def _scores(run: RunResult, part: str) -> Scores:
    found = run.part(part)
    assert found is not None
    return Scores.of(found, run.results_of(part))


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wild", type=Path)
    parser.add_argument("--split", choices=["cv", "test"], default="cv")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--tune", choices=["none", "maps", "knobs", "all"], default="maps")
    parser.add_argument("--dev", type=Path, default=Path("evals/sets/diagnosis_dev.jsonl"))
    parser.add_argument("--no-embeddings", action="store_true")
    args = parser.parse_args(argv)
    options = EvalOptions(
        file=args.wild,
        task="diagnosis",
        split=args.split,
        folds=args.folds,
        tune=args.tune,
        dev_set=args.dev,
        embeddings=not args.no_embeddings,
        gate=False,
    )
    settings = Settings()
    print(render(run_folds(settings, load_eval_set(options), options)))


if __name__ == "__main__":
    main()
