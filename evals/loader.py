"""Read the eval sets: one reader for every set file, every error naming the file and the line.

Sets are listed in ``sets/sets.yaml``; every file they name is JSONL in the one case format of
:mod:`evals.schema` (a ``type`` on every line). Reading and errors are :mod:`knowledge.datafile`'s, so
a typo in a set reads like a typo in any other data file of the project: ``file:line (case id): what``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import cast

from pydantic import ValidationError

from evals.options import EvalOptions
from evals.schema import (
    CaseLine,
    CaseType,
    DiagnosisCase,
    EvalCase,
    EvalSet,
    RetrievalCase,
    SetFile,
    SetsManifest,
    Split,
)
from knowledge.datafile import DataFileError, load_yaml_model, read_jsonl

SETS_DIR = Path(__file__).parent / "sets"
MANIFEST = SETS_DIR / "sets.yaml"

SetLoadError = DataFileError
"""A set file or the manifest is malformed (the project's one data-file error)."""

_KINDS = ", ".join(kind.value for kind in CaseType)


def parse_case(raw: dict, file: Path | str, line: int | None = None) -> EvalCase:
    """Validate one decoded line as a case; the error names the line, the case and the field."""
    try:
        return CaseLine.model_validate(raw).root
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = [str(part) for part in error["loc"]]
        if loc and loc[0] == raw.get("type"):
            loc = loc[1:]  # the kind is already in the item name
        message = f"{'.'.join(loc)}: {error['msg']}" if loc else error["msg"]
        if error["type"] in ("union_tag_not_found", "union_tag_invalid"):
            message = f"type: {raw.get('type', 'missing')!r} is no case kind; give one of {_KINDS}"
        kind = f"{raw['type']} case" if isinstance(raw.get("type"), str) else "case"
        label = f"{kind} {raw['id']}" if isinstance(raw.get("id"), str) else None
        raise DataFileError(file, line, label, message) from exc


def load_cases(path: Path | str, split: Split | None = None) -> list[EvalCase]:
    """Every case of one file (of ``split`` only: lines of other splits are skipped before they are parsed)."""
    return [case for _, case in _load_located(Path(path), split)]


def _load_located(path: Path, split: Split | None = None) -> list[tuple[int, EvalCase]]:
    cases: list[tuple[int, EvalCase]] = []
    first_line: dict[str, int] = {}
    for row in read_jsonl(path, comments=True):
        if split is not None and row.value.get("split") != split:
            continue
        case = parse_case(row.value, path, row.line)
        if case.id in first_line:
            first = first_line[case.id]
            raise DataFileError(path, row.line, f"case {case.id}", f"duplicate id (first on line {first})")
        first_line[case.id] = row.line
        cases.append((row.line, case))
    return cases


def load_manifest(path: Path = MANIFEST) -> SetsManifest:
    return load_yaml_model(path, SetsManifest, kind="set")


def set_names(manifest_path: Path = MANIFEST) -> list[str]:
    return sorted(load_manifest(manifest_path).sets)


def load_set(name: str, manifest_path: Path = MANIFEST) -> EvalSet:
    """Load the named set: its files' cases, of its split, cut to its case ids, in file order."""
    manifest = load_manifest(manifest_path)
    spec = manifest.sets.get(name)
    if spec is None:
        known = ", ".join(sorted(manifest.sets))
        raise DataFileError(manifest_path, None, None, f"no set named {name!r}; known sets: {known}")
    cases: list[EvalCase] = []
    seen: dict[str, str] = {}
    for entry in spec.files:
        path = _resolve(manifest_path, entry)
        if path is None:
            continue
        for line, case in _load_located(path, spec.split):
            if case.id in seen:
                raise DataFileError(path, line, f"case {case.id}", f"duplicate id (first at {seen[case.id]})")
            seen[case.id] = f"{path}:{line}"
            cases.append(case)
    cases = _keep(cases, spec.case_ids, manifest_path, name)
    if not cases:
        raise DataFileError(manifest_path, None, f"set {name}", "the set has no cases")
    return EvalSet(
        name=name,
        version=spec.version,
        description=spec.description,
        cases=cases,
        task=spec.task,
        split=spec.split,
        folds=spec.folds,
        tune=spec.tune,
        gated=spec.gated,
    )


def _keep(cases: list[EvalCase], ids: Iterable[str] | None, manifest_path: Path, name: str) -> list[EvalCase]:
    if ids is None:
        return cases
    wanted = list(ids)
    missing = sorted(set(wanted) - {case.id for case in cases})
    if missing:
        raise DataFileError(manifest_path, None, f"set {name}", f"lists unknown case ids: {', '.join(missing)}")
    keep = set(wanted)
    return [case for case in cases if case.id in keep]


def _resolve(manifest_path: Path, entry: SetFile) -> Path | None:
    path = (manifest_path.parent / entry.path).resolve()
    if not path.exists():
        if entry.optional:
            return None
        raise DataFileError(manifest_path, None, None, f"set file {entry.path} does not exist")
    return path


def file_set(path: Path | str, split: Split | None = None, limit: int | None = None) -> EvalSet:
    """Read one case file as an ad-hoc set (no version, never gated): what the ``--evaluate`` aliases score."""
    cases = load_cases(path, split)[:limit]
    if not cases:
        where = f" in split {split!r}" if split else ""
        raise DataFileError(path, None, None, f"no cases{where}")
    return EvalSet(name=str(path), version=0, description=f"cases of {path}", cases=cases)


def load_eval_set(options: EvalOptions) -> EvalSet:
    """Load the named set, or the case file as an ad-hoc set with the task, split and folds the options give."""
    if options.file is None:
        eval_set = load_set(options.set_name)
        update: dict = {"folds": options.folds or eval_set.folds, "tune": options.tune or eval_set.tune}
        if options.limit is not None:
            update["cases"] = eval_set.cases[: options.limit]
        return eval_set.model_copy(update=update)
    split = None if options.split in (None, "all") else cast(Split, options.split)
    eval_set = file_set(options.file, split, options.limit)
    cv = split == "cv"
    return eval_set.model_copy(
        update={
            "task": options.task or "answers",
            "split": split,
            "folds": (options.folds or 5) if cv else None,
            "tune": options.tune or "maps",
        }
    )


def require_kind(eval_set: EvalSet, kind: type[RetrievalCase] | type[DiagnosisCase], task: str) -> None:
    """Refuse a set with a case the task cannot score (a retrieval task needs retrieval cases, ...)."""
    other = next((c for c in eval_set.cases if not isinstance(c, kind)), None)
    if other is not None:
        wanted = kind.model_fields["type"].default
        raise DataFileError(
            eval_set.name, None, f"{other.type} case {other.id}", f"the {task} task scores {wanted} cases only"
        )
