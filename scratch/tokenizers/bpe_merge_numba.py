"""The BPE merge loop compiled with numba, and the hash table of merges it reads.

This is :meth:`scratch.tokenizers.byte_bpe.ByteLevelBPE.bpe` again (start from the
bytes' ids; merge the lowest-ranked adjacent pair, the leftmost on a tie; repeat), on
integer arrays so that numba can compile it. ``ByteLevelBPE`` calls :func:`merge_chunks`
for all the chunks of a text that are not in its cache, and :mod:`.bytelevel_numba` calls
:func:`merge_span` on each chunk of a whole text; tests check both against the readable loop.

The merge table is the packed one of ``ByteLevelBPE``: key ``left_id << shift |
right_id``, value ``rank << shift | merged_id``, here in an open-addressing hash table
(:func:`pair_table`): two arrays of a power-of-two size, a key's first slot taken from
bits 32 and up of ``key * 0x9E3779B97F4A7C15`` (Fibonacci hashing), and the slots after it
tried in turn until the key or an empty slot (key ``-1``) is found. The table is at most
half full, so a lookup reads one or two slots; a binary search over a million merges
(cl100k_base's) reads twenty, scattered in memory.
"""

from __future__ import annotations

import numpy as np
from numba import njit

NO_MERGE = np.int64(1 << 62)
_EMPTY = np.int64(-1)
_FIBONACCI = np.uint64(0x9E3779B97F4A7C15)


@njit(cache=True, nogil=True)
def _slot(key, mask):
    """The first slot of ``key`` (a non-negative int64) in a table of ``mask + 1`` slots
    (a power of two, at most ``2**32``): bits 32 and up of the Fibonacci product."""
    return np.int64((np.uint64(key) * _FIBONACCI) >> np.uint64(32)) & mask


@njit(cache=True, nogil=True)
def _fill(keys, values, bits):
    table_keys = np.full(1 << bits, _EMPTY, dtype=np.int64)
    table_values = np.empty(1 << bits, dtype=np.int64)
    mask = (np.int64(1) << bits) - 1
    for n in range(keys.shape[0]):
        i = _slot(keys[n], mask)
        while table_keys[i] != _EMPTY and table_keys[i] != keys[n]:
            i = (i + 1) & mask
        table_keys[i] = keys[n]  # (a later duplicate replaces the earlier, as a dict does)
        table_values[i] = values[n]
    return table_keys, table_values


def pair_table(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``keys[i] -> values[i]`` (non-negative int64s) as an open-addressing hash table:
    ``(table_keys, table_values)``, of at least twice as many slots as keys; read it with
    :func:`lookup`."""
    keys = np.ascontiguousarray(keys, dtype=np.int64)
    values = np.ascontiguousarray(values, dtype=np.int64)
    if keys.shape != values.shape or keys.ndim != 1:
        raise ValueError(f"pair_table: keys {keys.shape} and values {values.shape} must be two 1-d arrays of one length")
    if len(keys) and keys.min() < 0:
        raise ValueError("pair_table: keys must be non-negative")
    bits = max(4, (2 * len(keys)).bit_length())
    return _fill(keys, values, bits)


@njit(cache=True, nogil=True)
def lookup(table_keys, table_values, key):
    """The value of ``key`` in a :func:`pair_table`, or ``NO_MERGE``."""
    mask = table_keys.shape[0] - 1
    i = _slot(key, mask)
    while True:
        found = table_keys[i]
        if found == key:
            return table_values[i]
        if found == _EMPTY:
            return NO_MERGE
        i = (i + 1) & mask


@njit(cache=True, nogil=True)
def merge_span(ids, s, n, ranks, table_keys, table_values, shift):
    """Merge the chunk ``ids[s:s + n]`` in place; returns its new length. ``ranks`` is
    scratch space of at least ``n - 1`` entries.

    ``ranks[i]`` is the packed merge of the pair ``(ids[s + i], ids[s + i + 1])``; each
    step merges the smallest (lowest rank, leftmost on a tie), closes the gap and looks up
    the two pairs that changed.
    """
    mask = (np.int64(1) << shift) - 1
    for i in range(n - 1):
        ranks[i] = lookup(table_keys, table_values, (ids[s + i] << shift) | ids[s + i + 1])
    while n > 1:
        best = NO_MERGE
        at = -1
        for i in range(n - 1):
            if ranks[i] < best:
                best = ranks[i]
                at = i
        if at < 0:
            break
        ids[s + at] = best & mask
        for i in range(at + 1, n - 1):  # close the gap left by the right part
            ids[s + i] = ids[s + i + 1]
        for i in range(at, n - 2):
            ranks[i] = ranks[i + 1]
        n -= 1
        if at < n - 1:
            ranks[at] = lookup(table_keys, table_values, (ids[s + at] << shift) | ids[s + at + 1])
        if at > 0:
            ranks[at - 1] = lookup(table_keys, table_values, (ids[s + at - 1] << shift) | ids[s + at])
    return n


@njit(cache=True, nogil=True)
def merge_chunks(ids, starts, table_keys, table_values, shift):
    """Merge each chunk ``ids[starts[k]:starts[k + 1]]`` in place (:func:`merge_span`; the
    merges in a :func:`pair_table`).

    Returns the new lengths; chunk ``k``'s tokens are then
    ``ids[starts[k]:starts[k] + lengths[k]]``.
    """
    n_chunks = starts.shape[0] - 1
    lengths = np.empty(n_chunks, dtype=np.int64)
    ranks = np.empty(max(1, np.max(starts[1:] - starts[:-1])), dtype=np.int64)
    for k in range(n_chunks):
        lengths[k] = merge_span(ids, starts[k], starts[k + 1] - starts[k], ranks, table_keys, table_values, shift)
    return lengths
