"""The trainers show their progress with tqdm on stderr, and nothing when told not to.

The bar counts the loop's steps (BPE merges, WordPiece joins) up to the number the
vocabulary size leaves room for, and ends at the number made.
"""

from __future__ import annotations

import re

import pytest

from scratch.tokenizers.train_bpe import train_bpe
from scratch.tokenizers.train_spm_bpe import train_spm_bpe
from scratch.tokenizers.train_wordpiece import train_wordpiece

TEXTS = ["the cat sat on the mat with the other cat, the end"] * 3


def last_bar(err: str, unit: str) -> tuple[int, int]:
    """(done, total) of the last state of the tqdm bar labelled ``unit`` on stderr."""
    states = re.findall(rf"{unit}: +\d+%\|[^|]*\| (\d+)/(\d+) \[\d\d:\d\d<[^,\]]+, [^\]]* {unit}/s\]", err)
    assert states, f"no tqdm bar for {unit} in {err!r}"
    done, total = states[-1]
    return int(done), int(total)


@pytest.mark.parametrize("method", ["hf", "likelihood"])
def test_bpe_and_wordpiece_show_a_tqdm_bar(capsys, method):
    result = train_bpe(TEXTS, 280, show_progress=True)
    assert last_bar(capsys.readouterr().err, "merges") == (len(result.vocab) - 256, 280 - 256)
    vocab = train_wordpiece(TEXTS, 80, method=method, show_progress=True)
    unit = "merges" if method == "hf" else "joins"
    done, total = last_bar(capsys.readouterr().err, unit)
    assert done == total - (80 - len(vocab)) and total > 0


def test_spm_bpe_shows_a_tqdm_bar(capsys):
    result = train_spm_bpe(TEXTS, 290, show_progress=True)
    merged = len(result.pieces) - 3 - 256 - len(set("".join(TEXTS).replace(" ", "▁")) | {"▁"})
    assert last_bar(capsys.readouterr().err, "merges") == (merged, merged)


def test_no_output_without_progress(capsys):
    train_bpe(TEXTS, 280, show_progress=False)
    train_wordpiece(TEXTS, 80, show_progress=False)
    train_spm_bpe(TEXTS, 290, show_progress=False)
    assert capsys.readouterr().err == ""
