"""The install is reproducible: both README commands and CI install the pinned versions.

A fresh machine that installs "the newest of everything" gets other Unicode tables, other
kernels and other defaults than the suite was proven with; ``constraints.txt`` pins every
package, and these tests check that the pins are complete and used."""

from __future__ import annotations

import re
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    """The normalised project name of a requirement string (PEP 503)."""
    bare = re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", bare).lower()


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin (name==version)"
            pins[_name(name)] = version
    return pins


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^python3 -m pip install .*$", readme, flags=re.MULTILINE)


def test_every_dependency_is_pinned_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    direct = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        direct += [r for r in extra if not r.startswith("tokemb")]
    pins = _pins()
    missing = sorted({_name(r) for r in direct} - set(pins))
    assert not missing, f"constraints.txt lacks pins for {missing}"


def test_the_pins_cover_what_the_dependencies_pull_in():
    """Every installed distribution that a direct dependency needs, transitively, is pinned."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [_name(r) for r in project["dependencies"]]
    for extra in ("reference", "dev"):
        todo += [_name(r) for r in project["optional-dependencies"][extra] if not r.startswith("tokemb")]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # an optional dependency not installed here; not needed
        todo += [_name(r) for r in requires if _needed_here(r)]
    installed_needed = {n for n in seen if _installed(n)}
    missing = sorted(installed_needed - set(_pins()))
    assert not missing, f"constraints.txt lacks pins for {missing}"


def _needed_here(requirement: str) -> bool:
    """Whether a requirement applies to this machine without extras: its environment marker
    (``platform_system == "Windows"``, ``python_version < "3.11"``, ``extra == "x"``) holds here."""
    marker = Requirement(requirement).marker
    return marker is None or marker.evaluate({"extra": ""})


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
        return True
    except metadata.PackageNotFoundError:
        return False


def test_both_readme_commands_install_with_the_constraints():
    """The README's two first commands (the walkthrough, the tests) and every later install
    command (the playground's) install with the constraints."""
    commands = _readme_commands()
    assert len(commands) >= 2, commands
    assert commands[0].endswith("tokemb walkthrough") and commands[1].endswith("python3 -m pytest"), commands[:2]
    for command in commands:
        installs = command.split("&&")[:-1]
        assert installs and all("-c constraints.txt" in part for part in installs if "pip install" in part), command


def test_ci_runs_the_readme_test_command():
    """``.ci/run`` takes the command after the marker, which is the constrained one."""
    script = ROOT / ".ci" / "run"
    extract = re.search(r"command=\$\((awk .*README\.md)\)", script.read_text(encoding="utf-8")).group(1)
    command = subprocess.run(["bash", "-c", extract], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert command.strip() == _readme_commands()[1]
    assert command.strip().endswith("python3 -m pytest")
