"""scratch stays from scratch: it never imports the reference libraries.

Checked twice: on the source (every import statement in scratch/, including those
inside functions), and at run time (scratch imports and works while the reference
libraries are made unimportable)."""

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
ALLOWED_THIRD_PARTY = {"numpy", "numba", "llvmlite", "regex", "torch", "safetensors", "gguf", "scratch"}
ALLOWED_TOKEMB_REFERENCE = {"reference.artifacts"}  # the standard-library-only fetcher


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.lineno, node.module or ""
        elif isinstance(node, ast.Call):  # importlib.import_module("x") / __import__("x")
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
                yield node.lineno, str(node.args[0].value)


def test_scratch_source_imports_only_what_it_may():
    files = sorted(SCRATCH.rglob("*.py"))
    assert files, "no scratch sources found"
    offending = []
    for path in files:
        for line, module in _imports(path):
            top = module.split(".")[0]
            if top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY:
                continue
            if module in ALLOWED_TOKEMB_REFERENCE or any(module.startswith(m + ".") for m in ALLOWED_TOKEMB_REFERENCE):
                continue
            offending.append(f"{path.relative_to(SCRATCH.parent)}:{line}: import {module}")
    assert not offending, "scratch imports what it must not:\n" + "\n".join(offending)


def test_the_checker_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from transformers import AutoTokenizer\n    import importlib\n"
                   "    return importlib.import_module('tiktoken')\n")  # fmt: skip
    assert {m for _, m in _imports(bad)} >= {"transformers", "tiktoken"}


def test_scratch_imports_and_runs_without_the_reference_libraries():
    program = textwrap.dedent(
        f"""
        import importlib, importlib.abc, pkgutil, sys
        BLOCKED = {sorted(REFERENCE_LIBRARIES)!r}

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
