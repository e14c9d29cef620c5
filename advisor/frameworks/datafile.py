"""Reading consultant-editable YAML files so that every validation error points at a line.

PyYAML's composed node tree keeps the line of every mapping and sequence item; we keep a
path -> line index next to the plain data so a pydantic error location such as
``("rules", 3, "weight")`` can be reported as ``rules.yaml line 57 (rule pc.nothing_live)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

PathKey = tuple[str | int, ...]


class DataFileError(ValueError):
    """A data file is malformed; the message names the file, the line and the item."""

    def __init__(self, file: Path | str, line: int | None, item: str | None, message: str) -> None:
        self.file = str(file)
        self.line = line
        self.item = item
        self.detail = message
        where = self.file + (f" line {line}" if line else "")
        what = f" ({item})" if item else ""
        super().__init__(f"{where}{what}: {message}")


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
            out[(*path, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*path, key), out)
            out[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), out)


def load_yaml(path: Path) -> tuple[Any, LineIndex]:
    """Parse a YAML file into plain data plus its line index; syntax errors name file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(path, None, None, f"cannot read file: {exc}") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise DataFileError(path, line, None, f"YAML syntax error: {exc.problem}") from exc
    lines: dict[PathKey, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return data, LineIndex(lines)


def item_label(data: Any, path: Sequence[str | int], id_key: str = "id") -> str | None:
    """Name the list item an error sits in (e.g. ``rule pc.nothing_live``) by its id field."""
    current = data
    label = None
    for key in path:
        try:
            current = current[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(current, dict) and id_key in current and isinstance(current[id_key], str):
            label = current[id_key]
    return label


def validate_file(model: type[BaseModel], path: Path, data: Any, lines: LineIndex, kind: str = "item") -> BaseModel:
    """Validate ``data`` with ``model``, turning the first pydantic error into a DataFileError."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [p for p in err["loc"] if isinstance(p, str | int)]
        label = item_label(data, loc)
        field = ".".join(str(p) for p in loc) or "<top>"
        raise DataFileError(
            path, lines.line(loc), f"{kind} {label}" if label else None, f"{field}: {err['msg']}"
        ) from exc
