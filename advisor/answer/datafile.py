"""Load the answer layer's YAML data files (prompts, scope prototypes) with errors that name file and line.

Consultants edit these files by hand; a mistake must point at the line to fix, not at a Python trace.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class DataFileError(ValueError):
    """A data file is unreadable or invalid; the message starts with ``file:line``."""


def _node_at(node: yaml.Node, loc: tuple[int | str, ...]) -> yaml.Node:
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
            if match is None:
                return node
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            return node
    return node


def load_yaml_model(path: Path, model: type[M]) -> M:
    try:
        raw_text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        root = yaml.compose(raw_text)
        data = yaml.safe_load(raw_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise DataFileError(f"{path}{line}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    if root is None:
        raise DataFileError(f"{path}:1: the file is empty")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        node = _node_at(root, tuple(first["loc"]))
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise DataFileError(f"{path}:{node.start_mark.line + 1}: {where}: {first['msg']}") from exc
