"""numba's on-disk cache and code in other modules (``scratch.numba_cache.cached_njit``).

numba keys a cached function on its own source file only, so a function that calls a
compiled function (or reads a constant) from another module keeps running the old copy
after that module changes. The test builds a small package in a temporary folder, runs
it in fresh processes, edits the module that is called, and runs it again: the plain
``njit(cache=True)`` caller shows the stale result (the hazard is real and this setup
reaches numba's cache), the ``cached_njit`` chain (every cached layer ``cached_njit``, as
in scratch) the new one, and a third process finds that code in the cache (the cache
still works).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CALLEE = """
from numba import njit

SCALE = {scale}

@njit(cache=True)
def value(x):
    return x * {factor}
"""

MIDDLE_PLAIN = """
from numba import njit
from .callee import SCALE, value

@njit(cache=True)
def scaled(x):
    return value(x) * SCALE
"""

MIDDLE_KEYED = """
from scratch.numba_cache import cached_njit
from .callee import SCALE, value

@cached_njit()
def scaled(x):
    return value(x) * SCALE
"""

CALLER_PLAIN = """
from numba import njit
from .middle_plain import scaled

@njit(cache=True)
def result(x):
    return scaled(x) + 1
"""

CALLER_KEYED = """
from scratch.numba_cache import cached_njit
from .middle_keyed import scaled

@cached_njit()
def result(x):
    return scaled(x) + 1
"""

RUN = """
import json
from probe_pkg import caller_plain, caller_keyed
plain, keyed = caller_plain.result(10), caller_keyed.result(10)
hits = sum(caller_keyed.result.stats.cache_hits.values())
print(json.dumps([plain, keyed, hits]))
"""


def run_probe(folder: Path) -> list[int]:
    env = {**os.environ, "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}", "NUMBA_CACHE_DIR": str(folder / "numba_cache")}
    env.pop("NUMBA_DISABLE_JIT", None)
    done = subprocess.run([sys.executable, "-c", RUN], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return __import__("json").loads(done.stdout.strip().splitlines()[-1])


def test_a_change_in_an_imported_module_reaches_cached_njit_code_and_not_plain_njit(tmp_path):
    package = tmp_path / "probe_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "callee.py").write_text(CALLEE.format(scale=1, factor=2))
    (package / "middle_plain.py").write_text(MIDDLE_PLAIN)
    (package / "middle_keyed.py").write_text(MIDDLE_KEYED)
    (package / "caller_plain.py").write_text(CALLER_PLAIN)
    (package / "caller_keyed.py").write_text(CALLER_KEYED)

    assert run_probe(tmp_path)[:2] == [21, 21]  # compiled and cached: 10 * 2 * 1 + 1

    # edit the module two imports away: a compiled function and a constant both change
    (package / "callee.py").write_text(CALLEE.format(scale=3, factor=5))
    plain, keyed, keyed_hits = run_probe(tmp_path)
    assert plain == 21, "numba's plain cache no longer keeps stale code: this test no longer shows the hazard"
    assert keyed == 151 and keyed_hits == 0  # 10 * 5 * 3 + 1, compiled afresh

    plain, keyed, keyed_hits = run_probe(tmp_path)
    assert keyed == 151 and keyed_hits == 1  # and cached again


def test_every_cached_numba_function_in_scratch_uses_cached_njit():
    offenders = []
    for path in (ROOT / "scratch").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"\s*@(numba\.)?n?jit\(.*cache\s*=\s*True", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "use scratch.numba_cache.cached_njit:\n" + "\n".join(offenders)
