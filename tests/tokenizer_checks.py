"""What the scratch-versus-reference tokenizer suites (WordPiece, SentencePiece BPE) share:
the two loaded side by side, their ids compared with the first difference shown in tokens,
encode and decode compared on one text or on the real-text corpora block by block, and the
refusal of bad input.

Imported by name like ``text_corpora`` (``tests/`` is on ``sys.path``, see ``conftest.py``).
"""

from __future__ import annotations

import contextlib
import functools
import signal

import pytest
from text_corpora import blocks, english, multilingual, python_source

import reference.tokenizers as reference_tokenizers
from scratch import tokenizers

CORPORA = {"english": english, "python": python_source, "multilingual": multilingual}


@contextlib.contextmanager
def time_limit(seconds: int, what: str = "the loop does not end"):
    """Fail (instead of hanging) when the body runs longer than ``seconds``: ``TimeoutError``
    saying ``what`` went wrong (SIGALRM: the main thread, Unix)."""

    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: {what}")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@functools.cache
def scratch_tok(name: str):
    """Scratch's pretrained tokenizer ``name``, loaded once per test process."""
    return tokenizers.load(name)


@functools.cache
def reference_tok(name: str):
    """The reference's tokenizer ``name`` (:mod:`reference.tokenizers`), loaded once per test process."""
    return reference_tokenizers.load(name)


def load_pairs(names: list[str]) -> dict[str, tuple]:
    """name -> (scratch, reference) tokenizer, both loaded by the same name."""
    return {name: (tokenizers.load(name), reference_tokenizers.load(name)) for name in names}


def first_difference(ours: list[int], theirs: list[int], tok) -> str:
    """Where two id lists part, shown as a few of ``tok``'s tokens either side."""
    k = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
    show = lambda ids: [tok.id_to_token(i) for i in ids[max(0, k - 3) : k + 5]]  # noqa: E731
    return f"first difference at token {k}: scratch {show(ours)} vs reference {show(theirs)}"


def assert_same_ids(scratch, ref, text: str, add_special_tokens: bool = True) -> list[int]:
    """Scratch's ids equal the reference's (which are returned)."""
    ours = scratch.encode(text, add_special_tokens=add_special_tokens)
    theirs = ref.encode(text, add_special_tokens=add_special_tokens)
    assert ours == theirs, f"{text[:80]!r}: {first_difference(ours, theirs, scratch)}"
    return theirs


def assert_same_encode_and_decode(pairs: dict[str, tuple], text: str) -> None:
    """Every scratch tokenizer of ``pairs`` encodes ``text`` as its reference does, with and
    without special tokens, and decodes the ids as it does, with and without skipping the
    special ones."""
    for scratch, ref in pairs.values():
        ids = assert_same_ids(scratch, ref, text)
        assert_same_ids(scratch, ref, text, add_special_tokens=False)
        assert scratch.decode(ids) == ref.decode(ids)
        assert scratch.decode(ids, skip_special_tokens=True) == ref.decode(ids, skip_special_tokens=True)


def assert_same_on_corpus(scratch, ref, corpus: str, *, lossless: bool) -> None:
    """About 1 MB of ``CORPORA[corpus]``, block by block: scratch's ids and its decoding of
    them are the reference's; ``lossless``: decoding without special tokens gives the block back."""
    for block in blocks(CORPORA[corpus](1_000_000)):
        ids = assert_same_ids(scratch, ref, block)
        assert scratch.decode(ids) == ref.decode(ids)
        if lossless:
            assert scratch.decode(ids, skip_special_tokens=True) == block


def assert_bad_input_refused(scratch, not_texts: list, past_the_end: list[int], negative_id: int, not_an_id) -> None:
    """What is not text is refused by ``encode``; ids past the vocabulary (the last of
    ``past_the_end``), a negative id and one that is not an int by ``decode``, naming the id."""
    for bad in not_texts:
        with pytest.raises(TypeError, match="expects a str"):
            scratch.encode(bad)
    with pytest.raises(ValueError, match=str(past_the_end[-1])):
        scratch.decode(past_the_end)
    with pytest.raises(ValueError, match=str(negative_id)):
        scratch.decode([negative_id])
    with pytest.raises(TypeError):
        scratch.decode([not_an_id])
