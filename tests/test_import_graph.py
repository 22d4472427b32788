"""No import cycles among the project's own modules.

The graph is read from the source (``ast``), not from what Python happens to have
imported: every ``import`` and ``from ... import`` of a project module, at module level,
inside functions or under ``if TYPE_CHECKING:``, and ``importlib.import_module("...")``
with a literal name. ``from package import name`` points at the submodule ``name`` when
there is one, else at the package. A cycle (``a`` needs ``b`` needs ``a``) means the two
modules are one piece of code split in two files: what they share belongs in a third
module that both import.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("scratch", "reference", "benchmarks")


def module_name(path: Path, root: Path) -> str:
    """``scratch/tokenizers/__init__.py`` -> ``scratch.tokenizers``; ``scratch/x.py`` -> ``scratch.x``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root: Path, packages=PACKAGES) -> dict[str, Path]:
    """Every module of the project's packages, name -> file."""
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            modules[module_name(path, root)] = path
    return modules


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    """The absolute name of ``from <node.module> import ...`` written in ``module``."""
    if node.level == 0:
        return node.module or ""
    parts = module.split(".")
    # A package's own relative imports start from the package itself; a module's, from its parent.
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _nearest(name: str, modules) -> str | None:
    """``name`` or its nearest enclosing project module (``a.b.attr`` -> ``a.b``)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str, path: Path, modules) -> set[str]:
    """The project modules that ``module`` (in file ``path``) imports, anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found: set[str | None] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(_nearest(alias.name, modules) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node, is_package)
            for alias in node.names:
                found.add(_nearest(f"{source}.{alias.name}", modules))
        elif isinstance(node, ast.Call):  # importlib.import_module("x") / __import__("x")
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
                found.add(_nearest(str(node.args[0].value), modules))
    found.discard(None)
    found.discard(module)  # ``from . import x`` inside the package that defines x
    return found  # type: ignore[return-value]


def import_graph(root: Path = ROOT, packages=PACKAGES) -> dict[str, set[str]]:
    modules = project_modules(root, packages)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative depth-first search: (node, iterator over its successors).
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return sorted(found)


def _path_around(component: list[str], graph) -> str:
    """One cycle through the component's first module, as ``a -> b -> a``, for the message."""
    members = set(component)
    start = component[0]
    previous = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                path = [node]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return " -> ".join([*reversed(path), start])
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return ", ".join(component)


def test_no_import_cycles_among_the_projects_modules():
    graph = import_graph()
    assert "scratch.tokenizers.base" in graph and graph["scratch.tokenizers.base"], "the graph was not read"
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(_path_around(c, graph) for c in found)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_checker_finds_cycles_through_function_level_and_relative_imports(tmp_path):
    _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from .b import thing\n",
        "pkg/b.py": "def thing():\n    from . import c\n",
        "pkg/c.py": "import importlib\nimportlib.import_module('pkg.a')\n",
        "pkg/sub/__init__.py": "from .. import d\n",
        "pkg/d.py": "from pkg.sub import name_in_init\n",
        "pkg/e.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .f import F\n",
        "pkg/f.py": "from . import e\n",
        "pkg/ok.py": "from .a import thing\nfrom . import ok\n",
    })  # fmt: skip
    graph = import_graph(tmp_path, ("pkg",))
    assert graph["pkg.ok"] == {"pkg.a"}
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"], ["pkg.d", "pkg.sub"], ["pkg.e", "pkg.f"]]
    assert _path_around(["pkg.a", "pkg.b", "pkg.c"], graph) == "pkg.a -> pkg.b -> pkg.c -> pkg.a"


def test_the_checker_passes_a_graph_without_cycles(tmp_path):
    _write(tmp_path, {
        "pkg/__init__.py": "from .a import x\n",
        "pkg/a.py": "from .b import y\nx = y\n",
        "pkg/b.py": "import json\ny = json.dumps(1)\n",
    })  # fmt: skip
    graph = import_graph(tmp_path, ("pkg",))
    assert graph == {"pkg": {"pkg.a"}, "pkg.a": {"pkg.b"}, "pkg.b": set()}
    assert cycles(graph) == []
