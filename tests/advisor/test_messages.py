"""User-facing texts live in advisor/messages.yaml: checked on load, and every text the code asks for exists."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from advisor.messages import MESSAGES_FILE, load_messages, messages
from knowledge.datafile import DataFileError

ROOT = Path(__file__).resolve().parents[2]


def _is_messages_text(node: ast.AST) -> bool:
    """``messages().text(...)``: the one way code reads a text."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "text"
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Name)
        and node.func.value.func.id == "messages"
    )


def _calls() -> list[tuple[str, str, set[str]]]:
    found = []
    for package in ("advisor", "knowledge", "ui", "reports", "benchmarks", "evals"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if _is_messages_text(node) and node.args and isinstance(node.args[0], ast.Constant):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.append((where, str(node.args[0].value), {k.arg for k in node.keywords if k.arg}))
    return found


def test_every_text_the_code_asks_for_exists_with_its_placeholders() -> None:
    shipped = messages()
    calls = _calls()
    assert len(calls) >= 5
    for where, key, names in calls:
        assert key in shipped.spec.messages, f"{where} asks for message {key!r}, which {MESSAGES_FILE} lacks"
        assert names == set(shipped.spec.messages[key].placeholders), (where, key)


def test_texts_are_filled_in() -> None:
    assert messages().text("unanswerable", reason="no year is given") == (
        "_The sources do not give what you ask for (no year is given)._"
    )
    assert messages().text("out_of_scope").startswith("_This advisor answers questions about implementing")


def _copy(tmp_path: Path, old: str, new: str) -> Path:
    text = MESSAGES_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "messages.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_placeholder_typo_names_file_and_line(tmp_path: Path) -> None:
    path = _copy(tmp_path, "({reason}). Here is", "({reasn}). Here is")
    line = next(i for i, row in enumerate(path.read_text().splitlines(), 1) if "{reasn}" in row)
    with pytest.raises(DataFileError, match=r"messages\.yaml:\d+: messages\.unanswerable_closest: .*reasn") as err:
        load_messages(path)
    assert err.value.line is not None and line - 3 <= err.value.line <= line


def test_unknown_keys_and_wrong_values_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"messages\.yaml:\d+: .*tex"):
        load_messages(_copy(tmp_path, "  nothing_found:\n    text:", "  nothing_found:\n    tex:"))
    with pytest.raises(DataFileError, match=r"messages\.yaml:\d+ \(message unanswerable\): declares .*\['reason'\]"):
        messages().text("unanswerable")
    with pytest.raises(DataFileError, match="no message 'nope'"):
        messages().text("nope")
