"""Score a diagnoser on the dev set: accuracies, micro-F1 for label sets, and a phase confusion matrix."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.schema import Challenge, Component, Diagnosis, Isa4Layer, MlbcPhase, Phase, Practice
from knowledge.datafile import DataFileError, read_jsonl_models

Split = Literal["calibration", "held_out"]
NONE_LABEL = "none"


class Expected(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    phase: Phase
    components: list[Component] = Field(min_length=1, max_length=3)
    mlbc_phase: MlbcPhase | None
    challenges: list[Challenge]
    practices: list[Practice]
    isa4_layers: list[Isa4Layer]


class DevItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    split: Split
    industry: str
    size: str
    message: str = Field(min_length=10)
    expected: Expected
    rationale: str


def load_dev_set(path: Path, split: Split | None = None) -> list[DevItem]:
    """Read the JSONL dev set; a bad line is reported with its file and line number."""
    path = Path(path)
    items: list[DevItem] = []
    seen: set[str] = set()
    for number, item in read_jsonl_models(path, DevItem):
        if item.id in seen:
            raise DataFileError(path, number, f"item {item.id}", "duplicate id")
        seen.add(item.id)
        if split is None or item.split == split:
            items.append(item)
    return items


class Scores(BaseModel):
    model_config = ConfigDict(frozen=True)

    n: int
    phase_accuracy: float
    component_f1: float
    mlbc_accuracy: float
    mlbc_n: int
    challenge_f1: float
    practice_f1: float
    isa4_f1: float
    confusion: dict[str, dict[str, int]] = Field(description="gold phase -> predicted phase (or 'none') -> count")


def micro_f1(gold: Sequence[set], pred: Sequence[set]) -> float:
    tp = sum(len(g & p) for g, p in zip(gold, pred, strict=True))
    fp = sum(len(p - g) for g, p in zip(gold, pred, strict=True))
    fn = sum(len(g - p) for g, p in zip(gold, pred, strict=True))
    if tp + fp + fn == 0:
        return 1.0
    return 2 * tp / (2 * tp + fp + fn)


def score(items: Sequence[DevItem], predictions: Sequence[Diagnosis]) -> Scores:
    labels = [p.value for p in Phase]
    confusion = {g: {p: 0 for p in [*labels, NONE_LABEL]} for g in labels}
    for item, pred in zip(items, predictions, strict=True):
        confusion[item.expected.phase.value][pred.phase.value if pred.phase else NONE_LABEL] += 1
    n = len(items)
    mlbc_pairs = [(i.expected.mlbc_phase, p.mlbc_phase) for i, p in zip(items, predictions, strict=True)]
    mlbc_pairs = [(g, p) for g, p in mlbc_pairs if g is not None]
    return Scores(
        n=n,
        phase_accuracy=sum(i.expected.phase == p.phase for i, p in zip(items, predictions, strict=True)) / max(n, 1),
        component_f1=micro_f1([set(i.expected.components) for i in items], [set(p.components) for p in predictions]),
        mlbc_accuracy=sum(g == p for g, p in mlbc_pairs) / max(len(mlbc_pairs), 1),
        mlbc_n=len(mlbc_pairs),
        challenge_f1=micro_f1([set(i.expected.challenges) for i in items], [set(p.challenges) for p in predictions]),
        practice_f1=micro_f1([set(i.expected.practices) for i in items], [set(p.practices) for p in predictions]),
        isa4_f1=micro_f1([set(i.expected.isa4_layers) for i in items], [set(p.isa4_layers) for p in predictions]),
        confusion=confusion,
    )


def evaluate(diagnose: Callable[[str], Diagnosis], items: Sequence[DevItem]) -> tuple[Scores, list[Diagnosis]]:
    predictions = [diagnose(item.message) for item in items]
    return score(items, predictions), predictions


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
