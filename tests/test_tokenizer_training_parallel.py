"""BPE training with the words counted in worker processes (issue 22): the same counts, the
same merges as one process and as ``tokenizers``' BpeTrainer; bad settings and failing
workers give the single-process errors, never a hang."""

from __future__ import annotations

import os
import random
import sys
from collections import Counter

import pytest
from text_corpora import blocks, english, multilingual, python_source
from tokenizer_checks import time_limit

from reference.tokenizer_training import hf_bpe
from scratch.tokenizers import train_bpe as trainer
from scratch.tokenizers.base import InvalidTextError, TrainingError
from scratch.tokenizers.bytes_to_unicode import BYTE_TO_CHAR
from scratch.tokenizers.train_bpe import count_words, initial_vocab, merge_loop, train_bpe
from scratch.tokenizers.training import checked_workers, usable_cores

POOL_HANGS = "a worker failure hangs the pool"
LINUX_ONLY = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the crash test forks (Linux)")


@pytest.fixture(scope="module")
def mixed_texts() -> list[str]:
    """English, Python source and 28 languages with CJK and emoji, as documents."""
    return blocks(english(150_000, offset=1_000_000), 5_000) + blocks(python_source(80_000), 5_000) + blocks(
        multilingual(80_000), 5_000
    )


@pytest.fixture(scope="module")
def english_1mb() -> list[str]:
    """A bit over PARALLEL_MIN_CHARS of English documents: train_bpe's defaults count it in processes."""
    text = english(trainer.PARALLEL_MIN_CHARS + 100_000, offset=2_000_000)
    return [d for d in text.split("\n\n") if d]


@pytest.mark.parametrize("pretokenizer", ["gpt2", "cl100k"])
def test_parallel_count_is_the_single_process_count_order_included(mixed_texts, pretokenizer):
    one = count_words(mixed_texts, pretokenizer, workers=1)
    for workers, chunk_chars in [(2, 30_000), (3, 7_000)]:
        many = count_words(mixed_texts, pretokenizer, workers=workers, chunk_chars=chunk_chars)
        assert list(many.items()) == list(one.items())  # same words, counts and first-seen order
    streamed = count_words(iter(mixed_texts), pretokenizer, workers=2, chunk_chars=30_000)  # an iterator, run by run
    assert list(streamed.items()) == list(one.items())


def test_parallel_count_equals_the_reference_pre_tokenizer(mixed_texts):
    """Independent check: tokenizers' ByteLevel(use_regex=True) cuts the same words (in its byte alphabet)."""
    from tokenizers import pre_tokenizers

    pre = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    expected = Counter(piece for text in mixed_texts for piece, _ in pre.pre_tokenize_str(text))
    ours = count_words(mixed_texts, "gpt2", workers=2, chunk_chars=40_000)
    assert Counter({"".join(BYTE_TO_CHAR[b] for b in w.encode("utf-8")): n for w, n in ours.items()}) == expected


def test_parallel_training_equals_one_process_and_the_reference(english_1mb, monkeypatch):
    pools = []
    in_processes = trainer._count_in_processes
    monkeypatch.setattr(trainer, "_count_in_processes", lambda *a: pools.append(a[2]) or in_processes(*a))
    parallel = train_bpe(english_1mb, 900, show_progress=False, workers=2)
    assert pools == [2]  # the default chunking of a 1.1 MB corpus did go to 2 processes
    single = train_bpe(english_1mb, 900, show_progress=False, workers=1)
    assert pools == [2]  # workers=1: no pool
    merges, vocab = hf_bpe(english_1mb, 900)
    assert (parallel.merges, parallel.vocab) == (single.merges, single.vocab) == (merges, vocab)
    assert len(merges) > 600


def test_merges_do_not_depend_on_the_order_of_the_words(mixed_texts):
    """Why adding up the workers' counts in any order would do: the merge loop ignores word order."""
    counts = count_words(mixed_texts, workers=1)
    tokens = initial_vocab(1_200, [])
    token_id = {t: i for i, t in enumerate(tokens)}

    def merges_of(items):
        words = [[token_id[BYTE_TO_CHAR[b]] for b in w.encode("utf-8")] for w, _ in items]
        return merge_loop(words, [n for _, n in items], list(tokens), dict(token_id), 1_200, 2)

    items = list(counts.items())
    shuffled = items[:]
    random.Random(5).shuffle(shuffled)
    assert merges_of(shuffled) == merges_of(items[::-1]) == merges_of(items)


@pytest.mark.parametrize("workers", [0, -2, 1.5, "2", True])
def test_bad_workers_are_refused(workers):
    with pytest.raises(TrainingError, match=r"workers must be a whole number >= 1 .*got"):
        train_bpe(["some text here"], 300, show_progress=False, workers=workers)
    with pytest.raises(TrainingError, match="workers must be"):
        count_words(["some text here"], workers=workers)


def test_bad_chunk_chars_are_refused():
    with pytest.raises(TrainingError, match="chunk_chars must be a whole number >= 1, got 0"):
        count_words(["text"], workers=2, chunk_chars=0)


def test_default_workers_are_the_usable_cores():
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert checked_workers(None) == usable_cores() == expected


@pytest.mark.parametrize(
    "bad, error, message",
    [
        (12345, TrainingError, "text 7 of the corpus is a int, not a str"),
        ("lone \udc80 surrogate", InvalidTextError, r"text 7 of the corpus: the text holds a lone surrogate"),
    ],
)
def test_a_failing_worker_raises_the_single_process_error(mixed_texts, bad, error, message):
    texts = mixed_texts[:7] + [bad] + mixed_texts[7:]  # text 7 sits in the second run or later
    with pytest.raises(error, match=message) as single:
        count_words(texts, workers=1)
    with time_limit(60, POOL_HANGS), pytest.raises(error, match=message) as parallel:
        count_words(texts, workers=2, chunk_chars=10_000)
    assert str(parallel.value) == str(single.value)
    with time_limit(60, POOL_HANGS), pytest.raises(error, match=message):
        train_bpe(texts, 300, show_progress=False, workers=2)


def _die(texts, pretokenizer, first=0):
    os._exit(3)  # a worker killed mid-run (out of memory, a signal)


@LINUX_ONLY
def test_a_dead_worker_is_a_clear_error_not_a_hang(mixed_texts, monkeypatch):
    monkeypatch.setattr(trainer, "_count_chunk", _die)  # forked workers run the patched module
    with time_limit(60, POOL_HANGS), pytest.raises(TrainingError, match="worker process stopped unexpectedly"):
        count_words(mixed_texts, workers=2, chunk_chars=20_000)


def test_cli_workers_flag(tmp_path, capsys):
    from reference.cli import main

    corpus = tmp_path / "c.txt"
    corpus.write_text(english(40_000, offset=500_000), encoding="utf-8")

    def train(*options, out):
        return main(["train-tokenizer", "--vocab-size", "400", *options, str(corpus), "-o", str(tmp_path / out), "-q"])

    assert train("--workers", "2", out="a") == 0
    assert train("--workers", "1", out="b") == 0
    assert (tmp_path / "a" / "merges.txt").read_bytes() == (tmp_path / "b" / "merges.txt").read_bytes()
    capsys.readouterr()
    assert train("--workers", "0", out="c") == 2
    assert "workers must be a whole number >= 1" in capsys.readouterr().err
    assert train("--method", "wordpiece", "--workers", "2", out="d") == 2
    assert "--workers applies to --method bpe only" in capsys.readouterr().err


def test_spawned_workers_count_the_same(mixed_texts, monkeypatch):
    """Where there is no fork (macOS, Windows) the runs of texts are sent to spawned workers."""
    one = count_words(mixed_texts, workers=1)
    monkeypatch.setattr(trainer, "_forks", lambda: False)
    with time_limit(120, POOL_HANGS):
        spawned = count_words(mixed_texts, workers=2, chunk_chars=60_000)
    assert list(spawned.items()) == list(one.items())
