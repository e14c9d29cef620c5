"""Load YAML data files so that a validation error names the file and the line of the bad entry."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class DataFileError(ValueError):
    """A data file that does not parse or validate; the message says where."""


def _compose(path: Path) -> tuple[object, yaml.Node | None]:
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path}: not valid YAML: {exc}") from exc


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a 1-based line."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        elif isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key), None)
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def load_model(path: Path, model: type[M]) -> M:
    """Parse ``path`` as ``model``; errors read ``file:line: field: message``."""
    data, node = _compose(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _line_of(node, tuple(first["loc"]))
        field = ".".join(str(p) for p in first["loc"])
        raise DataFileError(f"{path}:{where}: {field}: {first['msg']}") from exc


def load_list(path: Path, model: type[M]) -> list[M]:
    """Parse ``path`` as a YAML list of ``model`` entries."""
    data, node = _compose(path)
    if not isinstance(data, list):
        raise DataFileError(f"{path}:1: expected a list of entries")
    out = []
    for i, item in enumerate(data):
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = _line_of(node, (i, *first["loc"]))
            field = ".".join(str(p) for p in first["loc"])
            raise DataFileError(f"{path}:{where}: entry {i + 1}: {field}: {first['msg']}") from exc
    return out
