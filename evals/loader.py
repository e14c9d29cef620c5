"""Read the versioned eval sets, validating every line with an error that names the file and the line.

Sets are listed in ``sets/sets.yaml``. A set file is JSONL in this package's case format, or one of the
development sets owned by the retrieval, diagnosis and answers work, read through an adapter
(:mod:`evals.adapters`) so those files stay exactly as their owners wrote them.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from evals.adapters import ADAPTERS
from evals.schema import EvalCase, EvalSet, SetFile, SetsManifest

SETS_DIR = Path(__file__).parent / "sets"
MANIFEST = SETS_DIR / "sets.yaml"

_CASE = TypeAdapter(EvalCase)


class SetLoadError(ValueError):
    """A set file or the manifest is malformed; the message says where and what."""


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "(line)"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def parse_case(raw: object, where: str) -> EvalCase:
    try:
        return _CASE.validate_python(raw)
    except ValidationError as exc:
        raise SetLoadError(f"{where}: invalid case: {_describe(exc)}") from exc


def read_jsonl(path: Path) -> list[tuple[int, dict]]:
    """(line number, object) pairs; blank lines and ``//`` comment lines are skipped."""
    rows: list[tuple[int, dict]] = []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SetLoadError(f"{path}: cannot read: {exc}") from exc
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        try:
            value = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise SetLoadError(f"{path}:{number}: not valid JSON: {exc.msg} (column {exc.colno})") from exc
        if not isinstance(value, dict):
            raise SetLoadError(f"{path}:{number}: expected a JSON object, got {type(value).__name__}")
        rows.append((number, value))
    return rows


def load_file(path: Path, fmt: str = "cases") -> list[tuple[str, EvalCase]]:
    """Cases of one file, each with its ``file:line`` location for later error messages."""
    adapter = ADAPTERS.get(fmt)
    if fmt != "cases" and adapter is None:
        raise SetLoadError(f"{path}: unknown set format {fmt!r}")
    cases: list[tuple[str, EvalCase]] = []
    for number, raw in read_jsonl(path):
        where = f"{path}:{number}"
        if adapter is not None:
            try:
                raw = adapter(raw)
            except (KeyError, TypeError, ValueError) as exc:
                raise SetLoadError(f"{where}: cannot convert {fmt} line: {exc}") from exc
        cases.append((where, parse_case(raw, where)))
    return cases


def load_manifest(path: Path = MANIFEST) -> SetsManifest:
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise SetLoadError(f"{path}: cannot read manifest: {exc}") from exc
    try:
        return SetsManifest.model_validate(data)
    except ValidationError as exc:
        line = _line_of(node, exc.errors()[0]["loc"])
        raise SetLoadError(f"{path}:{line}: invalid manifest: {_describe(exc)}") from exc


def _line_of(node: yaml.Node | None, loc: tuple) -> int:
    """Follow a validation error's location into the YAML tree to report the line a consultant must fix."""
    line = 1
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
            if match is None:
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        line = node.start_mark.line + 1
    return line


def set_names(manifest_path: Path = MANIFEST) -> list[str]:
    return sorted(load_manifest(manifest_path).sets)


def load_set(name: str, manifest_path: Path = MANIFEST) -> EvalSet:
    manifest = load_manifest(manifest_path)
    spec = manifest.sets.get(name)
    if spec is None:
        raise SetLoadError(f"{manifest_path}: no set named {name!r}; known sets: {', '.join(sorted(manifest.sets))}")
    cases: list[EvalCase] = []
    seen: dict[str, str] = {}
    for entry in spec.files:
        path = _resolve(manifest_path, entry)
        if path is None:
            continue
        for where, case in load_file(path, entry.format):
            if case.id in seen:
                raise SetLoadError(f"{where}: duplicate case id {case.id!r} (first at {seen[case.id]})")
            seen[case.id] = where
            cases.append(case)
    if spec.case_ids is not None:
        missing = [cid for cid in spec.case_ids if cid not in seen]
        if missing:
            raise SetLoadError(f"{manifest_path}: set {name!r} lists unknown case ids: {', '.join(missing)}")
        wanted = set(spec.case_ids)
        cases = [c for c in cases if c.id in wanted]
    if not cases:
        raise SetLoadError(f"{manifest_path}: set {name!r} has no cases")
    return EvalSet(name=name, version=spec.version, description=spec.description, cases=cases)


def _resolve(manifest_path: Path, entry: SetFile) -> Path | None:
    path = (manifest_path.parent / entry.path).resolve()
    if not path.exists():
        if entry.optional:
            return None
        raise SetLoadError(f"{manifest_path}: set file {entry.path} does not exist")
    return path
