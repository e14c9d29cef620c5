"""The modules of knowledge.index import each other in layers (see its docstring), with no cycle.

Read from the source with ``ast``, so imports inside functions count too: a cycle hidden behind a
function-level import is still a cycle. ``if TYPE_CHECKING:`` blocks are left out (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import knowledge.index

PACKAGE = "knowledge.index"
ROOT = Path(knowledge.index.__file__).parent

LAYERS: list[set[str]] = [
    {"ensure", "recovery", "user_doc_store"},
    {"ingest", "integrity", "user_doc_registry", "retriever"},
    {"chroma_store", "journal", "lock", "user_doc_loader", "lexical"},
    {"config", "manifest", "codec", "fusion", "langchain_adapter"},
]
"""Top first, as in the package docstring: each module imports only modules of lower layers."""


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(tree: ast.AST, modules: set[str]) -> set[str]:
    """The package's modules that ``tree`` imports at run time (the package itself counts as ``__init__``)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE:
                    found.add("__init__")
                elif alias.name.startswith(f"{PACKAGE}."):
                    found.add(alias.name.split(".")[2])
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == PACKAGE:
                for alias in node.names:
                    found.add(alias.name if alias.name in modules else "__init__")
            elif node.module.startswith(f"{PACKAGE}."):
                found.add(node.module.split(".")[2])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {path.stem for path in ROOT.glob("*.py")}
    return {
        path.stem: _imported(ast.parse(path.read_text(encoding="utf-8")), modules) - {path.stem}
        for path in sorted(ROOT.glob("*.py"))
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    done: set[str] = set()
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if cycle := walk(nxt):
                return cycle
        path.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        if cycle := walk(start):
            return cycle
    return None


def test_the_package_has_no_import_cycle_not_even_inside_functions() -> None:
    assert find_cycle(import_graph()) is None


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import() -> None:
    source = "def later():\n    from knowledge.index.a import x\n"
    graph = {"b": _imported(ast.parse(source), {"a", "b"}), "a": {"b"}}
    assert find_cycle(graph) == ["a", "b", "a"]


def test_no_module_imports_the_package_facade() -> None:
    graph = import_graph()
    assert not [name for name, imports in graph.items() if "__init__" in imports and name != "__init__"]


def test_each_module_imports_only_lower_layers() -> None:
    graph = import_graph()
    layer_of = {name: number for number, layer in enumerate(LAYERS) for name in layer}
    wrong = [
        f"{name} (layer {layer_of[name] + 1}) imports {target} (layer {layer_of[target] + 1})"
        for name, imports in graph.items()
        if name in layer_of
        for target in imports
        if target in layer_of and layer_of[target] <= layer_of[name]
    ]
    assert not wrong


def test_the_recovery_modules_each_hold_one_job() -> None:
    """Health checks, the journal and recovery live apart; the user-document store is handed its ensure step."""
    graph = import_graph()
    assert graph["integrity"].isdisjoint({"ingest", "journal", "recovery", "user_doc_registry", "user_doc_store"})
    assert graph["journal"] <= {"config"}
    assert "ensure" not in graph["user_doc_store"] and "ensure" not in graph["recovery"]
    assert graph["user_doc_registry"].isdisjoint({"ingest", "integrity", "recovery", "user_doc_store"})
