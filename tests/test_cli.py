"""The `tokemb` command line runs: help, artifact listing, the walkthrough skeleton."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from reference import walkthrough
from reference.walkthrough import chapter_code
from scratch.artifacts import ARTIFACTS, fetch


def run_tokemb(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run the installed console script (falling back to the module when not on PATH)."""
    exe = shutil.which("tokemb")
    cmd = [exe, *args] if exe else [sys.executable, "-m", "reference.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def test_help_lists_the_commands():
    result = run_tokemb("--help")
    assert result.returncode == 0, result.stderr
    for command in ("artifacts", "walkthrough"):
        assert command in result.stdout
    assert "--debug" in result.stdout and "exit status" in result.stdout  # how errors are reported


def test_artifacts_list_shows_every_artifact_with_its_status():
    fetch("gpt2")
    result = run_tokemb("artifacts", "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for name in ARTIFACTS:
        assert any(line.split()[:1] == [name] for line in lines), name
    gpt2_line = next(line for line in lines if line.split()[:1] == ["gpt2"])
    assert "verified" in gpt2_line


def test_artifacts_fetch_rejects_unknown_names():
    result = run_tokemb("artifacts", "fetch", "no-such-thing")
    assert result.returncode == 2
    assert "unknown artifact" in result.stderr and "gpt2" in result.stderr


def test_artifacts_fetch_verifies():
    result = run_tokemb("artifacts", "fetch", "gpt2", "--check")
    assert result.returncode == 0, result.stderr
    assert "gpt2: verified" in result.stdout


def test_walkthrough_lists_the_chapter_sections_in_order():
    result = run_tokemb("walkthrough", "--list")
    assert result.returncode == 0, result.stderr
    keys = [line.split()[1] for line in result.stdout.splitlines() if line.strip()]
    assert keys == walkthrough.section_keys()
    assert keys[0] == "generate" and keys[-2:] == ["songs", "chapter-code"]


@pytest.mark.parametrize("section", walkthrough.SECTIONS, ids=lambda s: s.key)
def test_every_walkthrough_section_runs(section):
    result = run_tokemb("walkthrough", "--section", section.key, timeout=1200)
    assert result.returncode == 0, result.stderr[-3000:]
    assert section.title in result.stdout
    if section.key == "chapter-code":  # the book's cells print the same on scratch as on the references
        cells = len(chapter_code.CELLS)
        assert f"{cells} of {cells} cells print the same" in result.stdout, result.stdout[-3000:]
        assert "DIFFERENT" not in result.stdout
