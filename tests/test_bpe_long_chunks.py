"""Long chunks: :func:`scratch.tokenizers.bpe_merge_numba.merge_long` (BPE with a heap, O(n log n))
gives the merges of the readable loop (:meth:`ByteLevelBPE.bpe`), and a 200 KB word or run of
spaces (one pre-tokenizer chunk) encodes to the reference's ids through every path that hands
long chunks to it: the whole-text compiled encoder, ``bpe_fast`` and ``bpe_many``.

Drawn chunks come from small alphabets so that merges happen all the time, and runs of one
repeated byte give many pairs of equal rank at once (the tie rule: leftmost first).
"""

from __future__ import annotations

import copy
import functools
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tokenizer_checks import reference_tok, scratch_tok, time_limit

from scratch.tokenizers import bytelevel_numba
from scratch.tokenizers.bpe_merge_numba import merge_long

NAMES = ["gpt2", "cl100k_base"]
ALPHABETS = [b"a", b" ", b"ab", b"abc ", b"aab", b" \n\t", b"the ", bytes(range(97, 123)), "éa€".encode()]


@functools.cache
def merges_only(name: str):
    """The tokenizer ``name`` without the whole-chunk lookup (``ignore_merges`` off): its
    :meth:`bpe` is then the merge loop alone, which is what ``merge_long`` does."""
    tok = copy.copy(scratch_tok(name))
    tok.ignore_merges = False
    return tok


def run_merge_long(name: str, piece: bytes) -> list[int]:
    tok = scratch_tok(name)
    keys, values, byte_ids = tok._merge_arrays
    ids = np.ascontiguousarray(byte_ids[np.frombuffer(piece, dtype=np.uint8)])
    return ids[: merge_long(ids, len(ids), keys, values, tok._shift)].tolist()


@st.composite
def chunks(draw) -> bytes:
    """1..3000 bytes: a run of one byte, or bytes drawn from a small alphabet, or a mix of runs."""
    length = draw(st.integers(1, 3000))
    alphabet = draw(st.sampled_from(ALPHABETS))
    rng = random.Random(draw(st.integers(0, 2**32)))
    kind = draw(st.sampled_from(["run", "drawn", "runs"]))
    if kind == "run":
        return alphabet[:1] * length
    if kind == "drawn":
        return bytes(rng.choice(alphabet) for _ in range(length))
    out = b""
    while len(out) < length:
        out += bytes([rng.choice(alphabet)]) * rng.randint(1, 40)
    return out[:length]


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(piece=chunks())
def test_merge_long_is_the_readable_loop(name, piece):
    assert run_merge_long(name, piece) == merges_only(name).bpe(piece)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("piece", [b"", b"a", b"ab", b" " * 5, b"a" * 1025, b"\xf0\x9f\x8e\xb5" * 300])
def test_merge_long_small_cases(name, piece):
    assert run_merge_long(name, piece) == merges_only(name).bpe(piece)


@pytest.mark.parametrize("name", NAMES)
def test_bpe_fast_on_a_long_chunk_keeps_the_whole_chunk_rule(name):
    """``bpe_fast`` and ``bpe_many`` of a chunk over 1024 bytes (the compiled heap) equal ``bpe``
    (which, for cl100k_base, looks the chunk up whole first: no token is that long, so it merges)."""
    tok = scratch_tok(name)
    piece = bytes(random.Random(7).choice(b"abcde ") for _ in range(2000))
    assert tok.bpe_fast(piece) == tok.bpe(piece)
    assert tok.bpe_many([piece, b"a", b" the"]) == [tok.bpe(piece), tok.bpe(b"a"), tok.bpe(b" the")]


@functools.cache
def long_texts() -> dict[str, str]:
    letters = "".join(random.Random(0).choice("abcdefghijklmnopqrstuvwxyz") for _ in range(200_000))
    return {"word": letters, "spaces": " " * 200_000, "aaa": "a" * 200_000}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", ["word", "spaces", "aaa"])
def test_200kb_chunk_matches_the_reference(name, kind):
    """One 200 KB chunk: scratch's ``encode`` (the whole-text compiled encoder) and the Python
    chunk path (``bpe_fast``) give the reference's ids, in seconds (the quadratic loop took minutes)."""
    text = long_texts()[kind]
    want = reference_tok(name).encode(text, add_special_tokens=False)
    tok = scratch_tok(name)
    with time_limit(30, f"{name}: a 200 KB chunk is merged in quadratic time"):
        assert bytelevel_numba.CompiledEncoder(tok, 1024).encode(text) == want
        assert tok.bpe_fast(text.encode()) == want


def test_merge_long_refuses_ranks_that_do_not_fit_with_positions():
    """The heap packs ``rank << position_bits | position`` into an int64: a chunk of 4096 parts
    takes 12 bits, so a rank of 2**52 does not fit, which is refused; a small rank merges."""
    from scratch.tokenizers.bpe_merge_numba import pair_table

    shift = 9  # ids below 512
    for rank, fits in ((5, True), (2**52, False)):
        keys, values = pair_table(np.array([97 << shift | 97]), np.array([rank << shift | 300]))
        ids = np.full(4096, 97, dtype=np.int64)
        if fits:
            assert ids[: merge_long(ids, 4096, keys, values, shift)].tolist() == [300] * 2048
        else:
            with pytest.raises(ValueError, match="do not fit in one int64"):
                merge_long(ids, 4096, keys, values, shift)
