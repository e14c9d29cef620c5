"""Evaluation lives in evals only: the advisor package never imports evals (nor the other top packages)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ABOVE_ADVISOR = ("evals", "benchmarks", "ui", "reports")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_the_advisor_package_never_imports_evals_or_the_packages_above_it():
    offenders = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / "advisor").rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in ABOVE_ADVISOR
    }
    assert not offenders, sorted(offenders)


def test_no_evaluation_code_is_left_outside_evals():
    gone = [
        "advisor/answer/evaluate.py",
        "advisor/diagnosis/evaluation.py",
        "advisor/diagnosis/calibrate.py",
        "advisor/diagnosis/baseline.py",
        "benchmarks/retrieval_eval.py",
        "evals/adapters.py",
    ]
    assert [p for p in gone if (ROOT / p).exists()] == []
