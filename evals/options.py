"""The options of one evaluation run, shared by ``advisor eval`` and the ``--evaluate`` aliases."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from evals.schema import Task, Tuning

DiagnosisSplit = Literal["held_out", "calibration", "all", "cv", "test"]


class EvalOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    set_name: str = "full"
    file: Path | None = Field(default=None, description="Score this case file instead of a named set (no gate).")
    task: Task | None = Field(default=None, description="With file: what to run (answers by default).")
    provider: str | None = Field(default=None, description="None = the provider the settings name.")
    out_dir: Path | None = None
    update_baseline: bool = False
    k: int | None = Field(default=None, ge=1, description="Cap on every retrieval depth (advisor and metrics).")
    judge: bool = False
    gate: bool = True
    progress: bool = True
    workers: int = Field(default=1, ge=1)
    baselines_dir: Path | None = None
    limit: int | None = Field(default=None, ge=1, description="Only the first N cases.")
    split: DiagnosisSplit | None = Field(default=None, description="With file: which split to score.")
    folds: int | None = Field(default=None, ge=2, le=20, description="Diagnosis cv: folds (default: the set's).")
    tune: Tuning | None = Field(default=None, description="Diagnosis cv: what the training folds fit.")
    dev_set: Path | None = Field(default=None, description="Diagnosis cv: also score this file, shipped calibration.")
    embeddings: bool = Field(default=True, description="Diagnosis: False = lexical signals only (no ablation).")
    as_json: bool = Field(default=False, description="Retrieval: print the evaluation as JSON.")
