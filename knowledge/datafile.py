"""Read the project's hand-edited data files so that every mistake names the file and the line.

Consultants edit YAML (frameworks, rules, prompts, the corpus' tables) and JSONL (dev and eval sets)
by hand; a typo must point at the line to fix, not at a Python trace. This is the one module that
does it, at the lowest layer so every package may use it:

* :class:`DataFileError` -- the one error type; its message reads ``file:line (item): what is wrong``.
* :class:`Strict` -- the base of every data-file model: unknown keys are refused, values are frozen.
* :func:`load_yaml` -- plain data plus a :class:`LineIndex` (data path -> line) for checks of your own;
  :func:`validate` turns the first pydantic error into a :class:`DataFileError` at the right line;
  :func:`load_yaml_model` and :func:`load_yaml_list` do both in one call.
* :func:`read_jsonl` / :func:`parse_jsonl` -- one JSON object per line, each with its line number;
  :func:`read_jsonl_models` validates every line with a model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

M = TypeVar("M", bound=BaseModel)
PathKey = tuple[str | int, ...]


class DataFileError(ValueError):
    """A data file is unreadable or invalid; the message names the file, the line and the item.

    ``file``, ``line`` (1-based, ``None`` when unknown), ``item`` (e.g. ``rule pc.pilots``) and
    ``detail`` (the message without the location) stay available for tests and callers.
    """

    def __init__(self, file: Path | str, line: int | None, item: str | None, message: str) -> None:
        self.file = str(file)
        self.line = line
        self.item = item
        self.detail = message
        where = self.file + (f":{line}" if line else "")
        what = f" ({item})" if item else ""
        super().__init__(f"{where}{what}: {message}")


class Strict(BaseModel):
    """Reject unknown keys so a typo in a data file fails loudly instead of being dropped; frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LineIndex:
    """Maps a data path (keys and list positions) to the 1-based line where that value starts."""

    def __init__(self, lines: dict[PathKey, int]) -> None:
        self._lines = lines

    def line(self, path: Sequence[str | int]) -> int | None:
        """Return the line of the deepest known prefix of ``path``, so partial paths still locate."""
        key = tuple(path)
        while key:
            if key in self._lines:
                return self._lines[key]
            key = key[:-1]
        return self._lines.get((), None)


def _walk(node: yaml.Node, path: PathKey, out: dict[PathKey, int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            _walk(value_node, (*path, key), out)
            out[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), out)


def load_yaml(path: Path | str) -> tuple[Any, LineIndex]:
    """Parse a YAML file into plain data plus its line index.

    An unreadable file, a syntax error or an empty file raise :class:`DataFileError` naming the
    file (and the line of a syntax error).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(path, None, None, f"cannot read file: {exc.strerror or exc}") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DataFileError(path, line, None, f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from exc
    if node is None:
        raise DataFileError(path, 1, None, "the file is empty")
    lines: dict[PathKey, int] = {}
    _walk(node, (), lines)
    return data, LineIndex(lines)


def item_label(data: Any, path: Sequence[str | int], id_key: str = "id") -> str | None:
    """Return the id of the innermost list item or mapping on ``path`` that has one (e.g. ``pc.pilots``)."""
    current = data
    label = None
    for key in path:
        try:
            current = current[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(current, dict) and isinstance(current.get(id_key), str):
            label = current[id_key]
    return label


def _first_error(exc: ValidationError) -> tuple[list[str | int], str]:
    err = exc.errors()[0]
    loc = [p for p in err["loc"] if isinstance(p, str | int)]
    field = ".".join(str(p) for p in loc) or "(top level)"
    return loc, f"{field}: {err['msg']}"


def validate(model: type[M], data: Any, path: Path | str, lines: LineIndex | int | None, kind: str = "item") -> M:
    """Validate ``data`` as ``model``; the first pydantic error becomes a :class:`DataFileError`.

    ``lines`` is the file's :class:`LineIndex` (the error gets the line of the offending entry) or
    the line a JSONL row sits on. The item is named ``{kind} {id}`` when the entry has an ``id``.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        loc, message = _first_error(exc)
        label = item_label(data, loc)
        if label is None and isinstance(data, dict) and isinstance(data.get("id"), str):
            label = data["id"]
        line = lines.line(loc) if isinstance(lines, LineIndex) else lines
        raise DataFileError(path, line, f"{kind} {label}" if label else None, message) from exc


def load_yaml_model(path: Path | str, model: type[M], kind: str = "item") -> M:
    """Parse ``path`` and validate it as ``model``; every error names the file and the line."""
    data, lines = load_yaml(path)
    return validate(model, data, path, lines, kind=kind)


def load_yaml_list(path: Path | str, model: type[M], kind: str = "entry") -> list[M]:
    """Parse ``path`` as a YAML list of ``model`` entries; an error names the entry and its line."""
    data, lines = load_yaml(path)
    if not isinstance(data, list):
        raise DataFileError(path, 1, None, "expected a list of entries")
    out: list[M] = []
    for i, item in enumerate(data):
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            loc, message = _first_error(exc)
            label = item_label(data, [i, *loc])
            name = f"{kind} {label}" if label else f"{kind} {i + 1}"
            raise DataFileError(path, lines.line([i, *loc]), name, message) from exc
    return out


class JsonLine(NamedTuple):
    """One object of a JSONL file and the 1-based line it is on."""

    line: int
    value: dict[str, Any]


def parse_json_line(raw: str, file: Path | str, line: int) -> dict[str, Any]:
    """Parse one JSONL line as a JSON object, or raise a :class:`DataFileError` naming ``file:line``."""
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise DataFileError(file, line, None, f"not valid JSON: {exc.msg} (column {exc.colno})") from exc
    if not isinstance(value, dict):
        raise DataFileError(file, line, None, f"expected a JSON object, got {type(value).__name__}")
    return value


def parse_jsonl(text: str, file: Path | str, comments: bool = False) -> list[JsonLine]:
    """Parse JSONL ``text``; blank lines (and ``//`` lines when ``comments``) are skipped."""
    rows: list[JsonLine] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or (comments and stripped.startswith("//")):
            continue
        rows.append(JsonLine(number, parse_json_line(stripped, file, number)))
    return rows


def read_jsonl(path: Path | str, comments: bool = False) -> list[JsonLine]:
    """Read a JSONL file into objects with their line numbers; the first bad line raises DataFileError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(path, None, None, f"cannot read file: {exc.strerror or exc}") from exc
    return parse_jsonl(text, path, comments=comments)


def read_jsonl_models(
    path: Path | str, model: type[M], kind: str = "item", comments: bool = False
) -> list[tuple[int, M]]:
    """Every line of a JSONL file validated as ``model``, with its line number."""
    return [(row.line, validate(model, row.value, path, row.line, kind=kind)) for row in read_jsonl(path, comments)]
