"""``cached_njit``: numba's on-disk cache, made safe for code that calls other modules.

``@njit(cache=True)`` saves a function's machine code under ``__pycache__`` and reuses it
in later processes. numba decides whether the saved code is still good by hashing the
source file *that defines the function*, and nothing else. But the saved code also
contains everything the function called and every constant it read: a compiled
function from another module (``bytelevel_numba.encode_bytes`` calls
``bpe_merge_numba.merge_long``; the word2vec loops call ``hs_numba`` and ``prefetch``) is
compiled *into* the caller, and an imported constant (``sgns_numpy.LCG_MULTIPLIER``) is
frozen into it. Edit the other module (or pull a change to it) and numba keeps running
the old copy inside the caller, without a word: stale code, possibly different results
(numba's documentation lists this among the cache's limitations).

``cached_njit`` is ``njit(cache=True)`` whose saved code is also keyed on the source of
every module of the same package (scratch) that the defining module imports, directly
or through other modules of the package: change any of them and the next process compiles afresh. It keeps numba's own
cache files and places (one index per function beside its source, ``NUMBA_CACHE_DIR``
honoured); only the key under which an entry is looked up gains one more part, a
SHA-256 digest of those sources. It is computed once per module per process by reading
the modules' ``import`` statements (:mod:`ast`, each module parsed once), so it needs no
list kept by hand. Every cached layer must use it: a plain
``njit(cache=True)`` function in between would itself load stale code from its own entry
(a test checks that scratch has none).

Under ``NUMBA_DISABLE_JIT=1`` numba hands back the plain Python function, and so does
this decorator.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import sys
from pathlib import Path

from numba import njit
from numba.core.caching import FunctionCache
from numba.core.dispatcher import Dispatcher

@functools.lru_cache(maxsize=None)
def imported_modules(module_name: str) -> tuple[str, ...]:
    """The modules of ``module_name``'s own top-level package that its top-level ``import`` statements name."""
    spec = importlib.util.find_spec(module_name)
    source = Path(spec.origin).read_text(encoding="utf-8")
    package = module_name if spec.submodule_search_locations else module_name.rpartition(".")[0]
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) if node.level else node.module
            found.append(base)
            # ``from . import unicode_classes`` names a module, not an attribute
            found += [f"{base}.{alias.name}" for alias in node.names if _is_module(f"{base}.{alias.name}")]
    top = module_name.split(".")[0]
    return tuple(sorted({name for name in found if name == top or name.startswith(top + ".")}))


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


@functools.lru_cache(maxsize=None)
def sources_digest(module_name: str) -> str:
    """SHA-256 over the source of ``module_name`` and of every module of its package it imports, transitively."""
    seen, pending = set(), [module_name]
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending.extend(imported_modules(name))
    digest = hashlib.sha256()
    for name in sorted(seen):
        digest.update(name.encode() + b"\0" + Path(importlib.util.find_spec(name).origin).read_bytes() + b"\0")
    return digest.hexdigest()


class DependencyKeyedCache(FunctionCache):
    """numba's per-function cache, with the digest of the imported sources added to every entry's key."""

    def __init__(self, py_func, dependencies_digest: str):
        self.dependencies_digest = dependencies_digest
        super().__init__(py_func)

    def _index_key(self, sig, codegen):
        # numba's key: (signature, target machine, hashes of the function's bytecode and closure)
        return (*super()._index_key(sig, codegen), self.dependencies_digest)


def cached_njit(**options):
    """``numba.njit(cache=True, **options)`` whose cache goes stale with any imported scratch source."""
    if "cache" in options:
        raise TypeError("cached_njit always caches; do not pass cache=")

    def decorate(py_func):
        compiled = njit(**options)(py_func)
        if not isinstance(compiled, Dispatcher):  # NUMBA_DISABLE_JIT=1
            return compiled
        module_name = py_func.__module__
        if module_name not in sys.modules:
            raise RuntimeError(f"cached_njit: {py_func.__qualname__} is not defined in an importable module")
        # what Dispatcher.enable_caching() does, with the key-extended cache in place of FunctionCache
        compiled._cache = DependencyKeyedCache(py_func, sources_digest(module_name))
        return compiled

    return decorate
