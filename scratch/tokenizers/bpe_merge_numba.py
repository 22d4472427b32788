"""The BPE merge loop compiled with numba, for many chunks in one call.

This is :meth:`scratch.tokenizers.byte_bpe.ByteLevelBPE.bpe` again (start from the
bytes' ids; merge the lowest-ranked adjacent pair, the leftmost on a tie; repeat), on
integer arrays so that numba can compile it. ``ByteLevelBPE`` calls it for all the chunks
of a text that are not in its cache, which is where encoding a new text spends its time
in plain Python; a test checks it against the readable loop.

The merge table is the packed one of ``ByteLevelBPE``: key ``left_id << shift |
right_id``, value ``rank << shift | merged_id``, here as two arrays sorted by key and
looked up by binary search.
"""

from __future__ import annotations

import numpy as np
from numba import njit

NO_MERGE = np.int64(1 << 62)


@njit(cache=True, nogil=True)
def _packed_merge(keys, values, left, right, shift):
    """The packed (rank, merged id) of the pair, or ``NO_MERGE``."""
    key = (left << shift) | right
    i = np.searchsorted(keys, key)
    if i < keys.shape[0] and keys[i] == key:
        return values[i]
    return NO_MERGE


@njit(cache=True, nogil=True)
def merge_chunks(ids, starts, keys, values, shift):
    """Merge each chunk ``ids[starts[k]:starts[k + 1]]`` in place.

    Returns the new lengths; chunk ``k``'s tokens are then
    ``ids[starts[k]:starts[k] + lengths[k]]``.
    """
    mask = (np.int64(1) << shift) - 1
    n_chunks = starts.shape[0] - 1
    lengths = np.empty(n_chunks, dtype=np.int64)
    ranks = np.empty(max(1, np.max(starts[1:] - starts[:-1])), dtype=np.int64)
    for k in range(n_chunks):
        s = starts[k]
        n = starts[k + 1] - s
        # ranks[i]: the packed merge of the pair (ids[s + i], ids[s + i + 1])
        for i in range(n - 1):
            ranks[i] = _packed_merge(keys, values, ids[s + i], ids[s + i + 1], shift)
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
                ranks[at] = _packed_merge(keys, values, ids[s + at], ids[s + at + 1], shift)
            if at > 0:
                ranks[at - 1] = _packed_merge(keys, values, ids[s + at - 1], ids[s + at], shift)
        lengths[k] = n
    return lengths
