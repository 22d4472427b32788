"""The BPE merge loop compiled with numba, and the hash table of merges it reads.

This is :meth:`scratch.tokenizers.byte_bpe.ByteLevelBPE.bpe` again (start from the
bytes' ids; merge the lowest-ranked adjacent pair, the leftmost on a tie; repeat), on
integer arrays so that numba can compile it. ``ByteLevelBPE`` calls :func:`merge_chunks`
for all the chunks of a text that are not in its cache, and :mod:`.bytelevel_numba` calls
:func:`merge_span` on each chunk of a whole text. Those loops look for the best pair anew
after each merge, which is quadratic in a chunk's length; a long chunk (more than 1024 bytes)
goes to :func:`merge_long`, the same merges in O(n log n) with a heap. Tests check all three
against the readable loop.

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

from ..numba_cache import cached_njit

NO_MERGE = np.int64(1 << 62)
_EMPTY = np.int64(-1)
_FIBONACCI = np.uint64(0x9E3779B97F4A7C15)


@cached_njit(nogil=True)
def _slot(key, mask):
    """The first slot of ``key`` (a non-negative int64) in a table of ``mask + 1`` slots
    (a power of two, at most ``2**32``): bits 32 and up of the Fibonacci product."""
    return np.int64((np.uint64(key) * _FIBONACCI) >> np.uint64(32)) & mask


@cached_njit(nogil=True)
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


@cached_njit(nogil=True)
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


@cached_njit(nogil=True)
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


@cached_njit(nogil=True)
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


# ---- long chunks: the same merges in O(n log n) ---------------------------------------------------
@cached_njit(nogil=True)
def _push(heap, size, key):
    """Add ``key`` to the binary min-heap ``heap[:size]``; returns the new size."""
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if heap[parent] <= key:
            break
        heap[i] = heap[parent]
        i = parent
    heap[i] = key
    return size + 1


@cached_njit(nogil=True)
def _pop(heap, size):
    """Remove the smallest key from the binary min-heap ``heap[:size]`` and return it."""
    first = heap[0]
    size -= 1
    last = heap[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and heap[child + 1] < heap[child]:
            child += 1
        if last <= heap[child]:
            break
        heap[i] = heap[child]
        i = child
    heap[i] = last
    return first


@cached_njit(nogil=True)
def merge_long(ids, n, table_keys, table_values, shift):
    """:func:`merge_span` of ``ids[:n]`` in O(n log n) instead of O(n²), for long chunks
    (a megabyte-long word or run of spaces); merges in place and returns the new length.

    The parts are a doubly linked list over the positions (``nxt``/``prv``; a merged part
    keeps the position of its left half, so positions stay in text order). A binary min-heap
    holds ``rank << position_bits | position`` for the pair starting at each position: the
    smallest is the lowest rank, the leftmost on a tie, which is the pair :meth:`ByteLevelBPE.bpe
    <scratch.tokenizers.byte_bpe.ByteLevelBPE.bpe>` merges (it compares ranks alone and takes
    the first of the lowest). A merge changes the pair at its position and the one before it;
    their new ranks are pushed and the old entries left in place (lazy invalidation). A
    popped entry is used only while its position is still a part with a right neighbour and
    the pair there now has the entry's rank; since every current pair has an entry, the first
    such entry is the pair the readable loop would merge next. Each merge pushes at most two
    entries, so the heap never holds more than ``3n``. (Hugging Face ``tokenizers``'
    ``Word::merge_all`` merges with a heap in the same way.) ``ValueError`` when a rank and a
    position do not fit in one int64 together (ranks of 2**23 and more in a chunk of 2**40 bytes).
    """
    if n < 2:
        return n
    mask = (np.int64(1) << shift) - 1
    position_bits = np.int64(1)
    while (np.int64(1) << position_bits) < n:
        position_bits += 1
    if 62 - shift + position_bits > 63:  # ranks are below 2**(62 - shift); are these?
        top = np.int64(0)
        for slot in range(table_keys.shape[0]):
            if table_keys[slot] != _EMPTY:
                top = max(top, table_values[slot] >> shift)
        if top >= np.int64(1) << (63 - position_bits):
            raise ValueError("merge_long: a merge rank and a position in this chunk do not fit in one int64")
    at_mask = (np.int64(1) << position_bits) - 1
    nxt = np.empty(n, dtype=np.int64)
    prv = np.empty(n, dtype=np.int64)
    alive = np.ones(n, dtype=np.bool_)
    for i in range(n):
        nxt[i] = i + 1
        prv[i] = i - 1
    nxt[n - 1] = -1
    heap = np.empty(3 * n, dtype=np.int64)
    size = 0
    for i in range(n - 1):
        packed = lookup(table_keys, table_values, (ids[i] << shift) | ids[i + 1])
        if packed != NO_MERGE:
            size = _push(heap, size, ((packed >> shift) << position_bits) | i)
    while size > 0:
        key = _pop(heap, size)
        size -= 1
        i = key & at_mask
        j = nxt[i]
        if not alive[i] or j < 0:
            continue
        packed = lookup(table_keys, table_values, (ids[i] << shift) | ids[j])
        if packed == NO_MERGE or packed >> shift != key >> position_bits:
            continue  # stale: the pair at i has changed since this entry was pushed
        ids[i] = packed & mask
        alive[j] = False
        k = nxt[j]
        nxt[i] = k
        if k >= 0:
            prv[k] = i
            after = lookup(table_keys, table_values, (ids[i] << shift) | ids[k])
            if after != NO_MERGE:
                size = _push(heap, size, ((after >> shift) << position_bits) | i)
        h = prv[i]
        if h >= 0:
            before = lookup(table_keys, table_values, (ids[h] << shift) | ids[i])
            if before != NO_MERGE:
                size = _push(heap, size, ((before >> shift) << position_bits) | h)
    m = 0
    i = 0
    while i >= 0:
        ids[m] = ids[i]
        m += 1
        i = nxt[i]
    return m
