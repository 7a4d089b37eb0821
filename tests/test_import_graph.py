"""dglab's modules form no import cycle (issue 17: ``sphinxext`` <-> ``slides`` was one).

Every ``import`` of every module counts, the lazy ones inside functions too: an in-function
import hides a cycle from Python's start-up but not from a reader. The graph is built with
``ast`` from the source, so the test needs no module to import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dglab"


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """``{module: modules of the same package it imports}`` for the package at ``root``."""
    modules = {_module_name(p, root): p for p in root.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                # ``from pkg import mod`` imports the submodule when there is one
                found = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            else:
                continue
            for target in found:
                while target and target not in modules:  # dglab.plots.base.x -> dglab.plots.base
                    target = target.rpartition(".")[0]
                # a package's __init__ importing its own submodules is how packages are built, and
                # a submodule importing its parent package's __init__ is then not a real cycle
                if target and target != name and not name.startswith(target + "."):
                    targets.add(target)
        graph[name] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or ``None``."""
    state = dict.fromkeys(graph, 0)  # 0 unvisited, 1 on the current path, 2 done
    path: list[str] = []

    def visit(node):
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state[target] == 1:
                return path[path.index(target):] + [target]
            if state[target] == 0 and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state[node] == 0 and (cycle := visit(node)):
            return cycle
    return None


def test_dglab_has_no_import_cycle():
    graph = import_graph(PACKAGE)
    assert len(graph) > 30  # the walk found the package's modules
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root / "pkg"


@pytest.mark.parametrize("b_source", ["from pkg import a\n", "def f():\n    from . import a\n",
                                      "import pkg.a\n"])
def test_a_cycle_is_found_even_behind_an_in_function_import(tmp_path, b_source):
    root = _write(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "from pkg.b import f\n",
                             "pkg/b.py": b_source})
    assert find_cycle(import_graph(root)) == ["pkg.a", "pkg.b", "pkg.a"]


def test_a_package_importing_its_submodules_is_not_a_cycle(tmp_path):
    root = _write(tmp_path, {"pkg/__init__.py": "from pkg.sub.x import y\n",
                             "pkg/sub/__init__.py": "from .x import y\n",
                             "pkg/sub/x.py": "from pkg.sub import base\ny = 1\n",
                             "pkg/sub/base.py": "import numpy\n"})
    assert find_cycle(import_graph(root)) is None
