"""scratch stays from scratch: it never imports the reference libraries, nor tokemb's own
``reference`` package (scratch is the bottom layer; reference and the benchmarks sit on it).

Checked twice: on the source (every import statement in scratch/, including those
inside functions), and at run time (scratch imports and works while the reference
libraries and the ``reference`` package are made unimportable)."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

SCRATCH = Path(__file__).resolve().parents[1] / "scratch"
REFERENCE_LIBRARIES = {"transformers", "tokenizers", "tiktoken", "sentencepiece", "gensim",
                       "sentence_transformers", "accelerate", "pyarrow", "huggingface_hub"}  # fmt: skip
# llvmlite is numba's own code generator (a hard dependency of numba): a numba intrinsic
# written with it, such as scratch/word2vec/prefetch.py, is numba code.
ALLOWED_THIRD_PARTY = {"numpy", "numba", "llvmlite", "regex", "torch", "tqdm", "safetensors", "gguf", "scratch"}
# Allowed in one file only, and only inside a function (so importing the module never needs
# it): building the GloVe artifact reads kumo's parquet word index once, at fetch time.
LAZY_ONLY = {"pyarrow": "scratch/artifacts/builders.py"}


def _imports(path: Path):
    """``(line, module, inside_a_function)`` for every absolute import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    def visit(node: ast.AST, in_function: bool):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, in_function
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.lineno, node.module or "", in_function
        elif isinstance(node, ast.Call):  # importlib.import_module("x") / __import__("x")
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
                yield node.lineno, str(node.args[0].value), in_function
        nested = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            yield from visit(child, nested)

    yield from visit(tree, False)


def forbidden_imports(path: Path, relative: str) -> list[str]:
    """The imports of the file ``path`` (named ``relative``, as ``scratch/x.py``) that
    scratch must not make, as ``"relative:line: import module"``."""
    offending = []
    for line, module, in_function in _imports(path):
        top = module.split(".")[0]
        if top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY:
            continue
        if LAZY_ONLY.get(top) == relative and in_function:
            continue
        offending.append(f"{relative}:{line}: import {module}")
    return offending


def test_scratch_source_imports_only_what_it_may():
    files = sorted(SCRATCH.rglob("*.py"))
    assert files, "no scratch sources found"
    offending = []
    for path in files:
        offending += forbidden_imports(path, path.relative_to(SCRATCH.parent).as_posix())
    assert not offending, "scratch imports what it must not:\n" + "\n".join(offending)


def test_the_checker_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from transformers import AutoTokenizer\n    import importlib\n"
                   "    return importlib.import_module('tiktoken')\n")  # fmt: skip
    assert {m for _, m, _ in _imports(bad)} >= {"transformers", "tiktoken"}
    assert len(forbidden_imports(bad, "scratch/bad.py")) == 2


def test_the_checker_catches_every_import_of_the_reference_package(tmp_path):
    """No exception for any part of ``reference``, at module level or inside a function."""
    bad = tmp_path / "bad.py"
    bad.write_text("import reference\nfrom reference.artifacts import fetch\n"
                   "def f():\n    from reference import cli\n    import reference.tokenizers as t\n")  # fmt: skip
    found = forbidden_imports(bad, "scratch/bad.py")
    assert found == ["scratch/bad.py:1: import reference", "scratch/bad.py:2: import reference.artifacts",
                     "scratch/bad.py:4: import reference", "scratch/bad.py:5: import reference.tokenizers"]


def test_pyarrow_is_allowed_only_inside_the_glove_builder(tmp_path):
    lazy = tmp_path / "lazy.py"
    lazy.write_text("def build():\n    import pyarrow.parquet as pq\n")
    eager = tmp_path / "eager.py"
    eager.write_text("import pyarrow.parquet as pq\n")
    assert forbidden_imports(lazy, "scratch/artifacts/builders.py") == []
    assert forbidden_imports(eager, "scratch/artifacts/builders.py") == [
        "scratch/artifacts/builders.py:1: import pyarrow.parquet"]
    assert forbidden_imports(lazy, "scratch/artifacts/store.py") == [
        "scratch/artifacts/store.py:2: import pyarrow.parquet"]


def test_scratch_imports_and_runs_without_the_reference_libraries():
    program = textwrap.dedent(
        f"""
        import importlib, importlib.abc, pkgutil, sys
        BLOCKED = {sorted(REFERENCE_LIBRARIES | {"reference"})!r}

        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in BLOCKED:
                    raise ImportError(f"blocked reference library {{name}}")
                return None

        sys.meta_path.insert(0, Block())
        import scratch
        for module in pkgutil.walk_packages(scratch.__path__, "scratch."):
            importlib.import_module(module.name)
        leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
        assert not leaked, leaked
        print("ok")
        """
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stderr[-3000:]


HEAVY = ("torch", "numpy", "transformers", "numba")


def test_the_command_line_loads_without_the_heavy_libraries():
    """``import reference.cli`` (every command module, the walkthrough's sections and the
    artifact cache, imported plainly) and ``tokemb --help`` load none of torch, numpy,
    transformers or numba: the commands import them inside their functions."""
    program = textwrap.dedent(
        f"""
        import sys
        import reference.cli
        import reference.cli.common, reference.walkthrough, scratch.artifacts
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})
        assert not heavy, heavy
        print("ok")
        """
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:]

    program = (f"import sys, runpy; sys.argv = ['tokemb', '--help']\n"
               f"try:\n    runpy.run_module('reference.cli', run_name='__main__')\n"
               f"except SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
               f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
               f"assert not heavy, heavy\nprint('ok')\n")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "COMMAND" in result.stdout and result.stdout.strip().endswith("ok"), (
        result.stderr[-3000:])
