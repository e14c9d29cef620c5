"""The diagnosis task: every situation through the diagnoser, beside the lexical ablation and the keywords.

What ``advisor eval --set diagnosis`` runs, and ``advisor diagnose --evaluate FILE`` (the same task on one
case file; ``--split cv|test`` on the wild set goes to :mod:`evals.diagnosis_cv`). Every system is one
part of the run, scored by the diagnosis metric table (accuracies, micro F1 of the label lists); the
view prints them side by side with a phase confusion matrix each.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from advisor.settings import Settings
from evals.diagnosis_scores import Scores, require_diagnosis_cases, score
from evals.metrics import diagnosis_metrics
from evals.options import EvalOptions
from evals.results import RunResult
from evals.runner import Runner, run_info
from evals.schema import EvalSet
from evals.subjects import DiagnoserSubject

__all__ = ["KEYWORDS", "LEXICAL", "RULES", "Scores", "render", "render_comparison", "run", "score", "systems"]

RULES = "rules+embeddings"
LEXICAL = "rules, lexical only"
KEYWORDS = "keyword baseline"


def systems(settings: Settings, options: EvalOptions, diagnoser=None) -> dict[str, object]:
    """Build the systems: the diagnoser (given, or the shipped one), its lexical ablation, the keyword baseline."""
    from advisor.diagnosis import Diagnoser
    from evals.keyword_baseline import KeywordDiagnoser

    found: dict[str, object] = {RULES: diagnoser or Diagnoser(settings, use_embeddings=options.embeddings)}
    if options.embeddings:
        found[LEXICAL] = Diagnoser(settings, use_embeddings=False)
    found[KEYWORDS] = KeywordDiagnoser()
    return found


def run(settings: Settings, eval_set: EvalSet, options: EvalOptions, diagnoser=None) -> RunResult:
    """Compare the systems on the set, or cross-validate the diagnoser when the set has folds or is a test split."""
    require_diagnosis_cases(eval_set)
    if eval_set.folds or eval_set.split == "test":
        from evals.diagnosis_cv import run_folds

        return run_folds(settings, eval_set, options, diagnoser)
    started_at, clock = datetime.now(UTC), time.perf_counter()
    runner = Runner(diagnosis_metrics())
    parts, results = [], []
    for name, system in systems(settings, options, diagnoser).items():
        part, found = runner.run_part(eval_set.cases, DiagnoserSubject.of(system), name=name)
        parts.append(part)
        results += found
    info = run_info(eval_set, "none", started_at, time.perf_counter() - clock, results)
    return RunResult.from_parts(info, parts, results)


def render(run: RunResult, split: str | None) -> str:
    if run.part(RULES) is None:
        from evals.diagnosis_cv import render as render_folds

        return render_folds(run)
    systems = {part.name: Scores.of(part, run.results_of(part.name)) for part in run.parts}
    return render_comparison(f"{run.info.set_name} split={split or 'all'}", systems)


def render_comparison(title: str, systems: dict[str, Scores]) -> str:
    """Side-by-side metrics table plus one phase confusion matrix per system, as plain text."""
    names = list(systems)
    rows = [
        ("phase accuracy", "phase_accuracy"),
        ("component F1", "component_f1"),
        ("mlbc accuracy", "mlbc_accuracy"),
        ("challenge F1", "challenge_f1"),
        ("practice F1", "practice_f1"),
        ("ISA-4 F1", "isa4_f1"),
    ]
    first = next(iter(systems.values()))
    width = max(22, *(len(n) + 2 for n in names))
    out = [f"{title}  (n={first.n}; mlbc scored on {first.mlbc_n} items with a gold mlbc phase)"]
    out.append("metric".ljust(18) + "".join(n.rjust(width) for n in names))
    for label, attr in rows:
        out.append(label.ljust(18) + "".join(f"{getattr(systems[n], attr):.3f}".rjust(width) for n in names))
    short = {"proving_concept": "proving", "productionizing": "production", "platformizing": "platform", "none": "none"}
    for name in names:
        conf = systems[name].confusion
        cols = list(next(iter(conf.values())))
        out.append("")
        out.append(f"phase confusion - {name} (rows gold, columns predicted)")
        out.append("".ljust(12) + "".join(short[c].rjust(11) for c in cols))
        for gold, row in conf.items():
            out.append(short[gold].ljust(12) + "".join(str(row[c]).rjust(11) for c in cols))
    return "\n".join(out)
