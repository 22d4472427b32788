"""The byte-level BPE merge loop of :func:`.train_bpe.merge_loop`, compiled with numba.

:func:`.train_bpe.merge_loop` is the version to read; this one makes the same merges in
the same order (tests compare the two on drawn corpora and on real text), with the same
data laid out in arrays so that numba can compile it:

* the words: their symbol ids one word after another in ``symbols`` (word ``w`` starts
  at ``starts[w]`` and holds ``lengths[w]`` symbols; a merge shortens it in place);
* the pair counts: a numba typed dict from the packed pair ``left << shift | right``
  (ordered like the tuple, as in the readable loop) to its count;
* the max-heap of ``(-count, pair, order, words)`` entries: one row of ``entries`` each
  (``-count``, pair, order, and where its words start and end in one growing ``pool`` of
  word numbers) and a binary heap of row numbers ordered by ``(-count, pair, order)``;
* the tokens' bytes, to find the id of a token that a merge makes again (``"ab"+"c"``
  after ``"a"+"bc"``): a hash table of the tokens' bytes (FNV-1a, open addressing).

Each step pops the top entry; a stale one (its count no longer the pair's) goes back in
with the current count and the same words; otherwise the pair is merged in the entry's
words, left to right, moving the counts of the pairs around each occurrence exactly as
the readable loop does (the reference's ``Word::merge``), and each pair that gained
occurrences gets one new entry holding the words where it gained them. The words a step
touches are a set there and an array here; the order in which they are visited changes
no count and no entry's words, so the merges are the same.

It runs without the GIL (``nogil``); :func:`.train_bpe.train_bpe` calls it in a thread
and reads ``progress[0]`` (the new tokens made so far) to move its progress bar.
"""

from __future__ import annotations

import threading

import numpy as np
from numba import types
from numba.typed import Dict

from ..numba_cache import cached_njit
from .bytelevel_numba import equal_bytes, hash_bytes
from .bytes_to_unicode import BYTE_TO_CHAR, is_spelled, unspell
from .training import progress_bar

NEG, PAIR, ORDER, WORDS_FROM, WORDS_TO = range(5)  # the columns of an entry


# ---- growing arrays ------------------------------------------------------------------------------------
@cached_njit(nogil=True)
def _grown(array, needed):
    """``array``, or a copy with at least twice the rows when it has fewer than ``needed``."""
    if needed <= array.shape[0]:
        return array
    bigger = np.empty((max(2 * array.shape[0], needed),) + array.shape[1:], dtype=array.dtype)
    bigger[: array.shape[0]] = array
    return bigger


# ---- the heap of entries -----------------------------------------------------------------------------
@cached_njit(nogil=True)
def _before(x, y, entries):
    """Whether entry ``x`` comes out of the heap before entry ``y``: the smaller ``(-count, pair, order)``."""
    for column in range(3):  # NEG, PAIR, ORDER
        if entries[x, column] != entries[y, column]:
            return entries[x, column] < entries[y, column]
    return False


@cached_njit(nogil=True)
def _sift_up(heap, k, entries):
    entry = heap[k]
    while k > 0:
        parent = (k - 1) >> 1
        if not _before(entry, heap[parent], entries):
            break
        heap[k] = heap[parent]
        k = parent
    heap[k] = entry


@cached_njit(nogil=True)
def _sift_down(heap, size, k, entries):
    entry = heap[k]
    while True:
        child = 2 * k + 1
        if child >= size:
            break
        if child + 1 < size and _before(heap[child + 1], heap[child], entries):
            child += 1
        if not _before(heap[child], entry, entries):
            break
        heap[k] = heap[child]
        k = child
    heap[k] = entry


@cached_njit(nogil=True)
def _push(entries, n_entries, heap, size, count, pair, order, words_from, words_to):
    """Add the entry ``(-count, pair, order, pool[words_from:words_to])`` as row ``n_entries``
    and push it; returns the (possibly grown) ``entries`` and ``heap``."""
    entries = _grown(entries, n_entries + 1)
    entries[n_entries, NEG] = -count
    entries[n_entries, PAIR] = pair
    entries[n_entries, ORDER] = order
    entries[n_entries, WORDS_FROM] = words_from
    entries[n_entries, WORDS_TO] = words_to
    heap = _grown(heap, size + 1)
    heap[size] = n_entries
    _sift_up(heap, size, entries)
    return entries, heap


# ---- the tokens' bytes -------------------------------------------------------------------------------
@cached_njit(nogil=True)
def _lookup(slots, data, token_start, token_length, start, length):
    """``(id, slot)``: the id of the token whose bytes are ``data[start:start + length]`` and
    its slot, or ``(-1, the empty slot where it would go)`` (``slots``: a power-of-two table
    of token ids by the hash of their bytes, -1 for empty)."""
    mask = np.uint64(slots.shape[0] - 1)
    i = hash_bytes(data, start, start + length) & mask
    while slots[i] >= 0:
        t = slots[i]
        if token_length[t] == length and equal_bytes(data, token_start[t], data, start, length):
            return t, i
        i = (i + np.uint64(1)) & mask
    return -1, i


# ---- the loop ---------------------------------------------------------------------------------------
@cached_njit(nogil=True)
def _gain(pair_counts, gained, n_gained, q, w, n):
    """The pair ``q`` gains ``n`` occurrences in word ``w``: count them, and note ``(q, w)`` in
    ``gained`` (returned, possibly grown) as row ``n_gained``."""
    pair_counts[q] = pair_counts.get(q, 0) + n
    gained = _grown(gained, n_gained + 1)
    gained[n_gained, 0] = q
    gained[n_gained, 1] = w
    return gained


@cached_njit(nogil=True)
def _words_of(pairs, words, by_pair, first, pool, n_pool):
    """Append to ``pool`` (from ``n_pool``) the words of the run of equal pairs that starts at
    ``first`` in the order ``by_pair`` (each word once: a word's rows are next to each
    other); returns ``(the run's end, pool, the pool's new size)``."""
    p = pairs[by_pair[first]]
    j = first
    last_word = -1
    while j < by_pair.shape[0] and pairs[by_pair[j]] == p:
        w = words[by_pair[j]]
        if w != last_word:
            pool = _grown(pool, n_pool + 1)
            pool[n_pool] = w
            n_pool += 1
            last_word = w
        j += 1
    return j, pool, n_pool


@cached_njit(nogil=True)
def merge_words(symbols, starts, lengths, counts, shift, token_data, token_offsets, vocab_size, min_count,
                progress):  # fmt: skip
    """Merge until there are ``vocab_size`` tokens, the heap is empty, or the best pair
    occurs fewer than ``min_count`` times. ``symbols``/``starts``/``lengths``: the words
    (changed in place), ``counts`` their counts; ``token_data``/``token_offsets``: the bytes
    of the starting vocabulary's tokens by id (``token_data[token_offsets[t]:token_offsets[t + 1]]``;
    none for a special token that is no byte spelling). Returns the merges
    as three arrays, left id, right id and the id of the token made (a new id or, for a
    token made again, the old one); ``progress[0]`` counts the new tokens as they are made."""
    mask = (np.int64(1) << shift) - 1
    n_words = starts.shape[0]
    n_tokens = token_offsets.shape[0] - 1
    n_start = n_tokens

    # every pair's count, and one entry per pair holding the words it occurs in
    n_occurrences = 0
    for w in range(n_words):
        n_occurrences += max(lengths[w] - 1, 0)
    occurrences = np.empty((n_occurrences, 2), dtype=np.int64)  # (pair, word); let go once the entries are made
    pair_counts = Dict.empty(key_type=types.int64, value_type=types.int64)
    k = 0
    for w in range(n_words):
        for i in range(starts[w], starts[w] + lengths[w] - 1):
            p = (symbols[i] << shift) | symbols[i + 1]
            occurrences[k, 0] = p
            occurrences[k, 1] = w
            pair_counts[p] = pair_counts.get(p, 0) + counts[w]
            k += 1
    by_pair = np.argsort(occurrences[:, 0], kind="mergesort")  # (stable: each pair's words in order)
    entries = np.empty((max(16, len(pair_counts)), 5), dtype=np.int64)
    heap = np.empty(max(16, len(pair_counts)), dtype=np.int64)
    pool = np.empty(max(16, n_occurrences), dtype=np.int64)
    n_pool = 0
    size = 0  # (entries in the heap; entries are never removed, so the rows count up)
    n_entries = 0
    j = 0
    while j < n_occurrences:
        first_word = n_pool
        j, pool, n_pool = _words_of(occurrences[:, 0], occurrences[:, 1], by_pair, j, pool, n_pool)
        p = occurrences[by_pair[j - 1], 0]
        entries, heap = _push(entries, n_entries, heap, size, pair_counts[p], p, n_entries, first_word, n_pool)
        size += 1
        n_entries += 1
    next_order = n_entries
    occurrences = np.empty((0, 2), dtype=np.int64)
    by_pair = np.empty(0, dtype=np.int64)

    # the tokens' bytes by id (a token without bytes, a special token that is no byte
    # spelling, has length 0 and is not in the table), and the table of them
    data = _grown(token_data.copy(), token_data.shape[0] + 64)
    token_start = _grown(token_offsets[:-1].copy(), vocab_size)
    token_length = _grown(np.diff(token_offsets), vocab_size)
    used = token_offsets[-1]
    n_slots = 16
    while n_slots < 4 * max(vocab_size, n_tokens):
        n_slots *= 2
    slots = np.full(n_slots, -1, dtype=np.int64)
    for t in range(n_tokens):
        if token_length[t] > 0:
            _, slot = _lookup(slots, data, token_start, token_length, token_start[t], token_length[t])
            slots[slot] = t

    # (a token made again adds a merge and no token: there may be more merges than new ids)
    merges = np.empty((max(vocab_size - n_tokens, 16), 3), dtype=np.int64)  # (left, right, made)
    n_merges = 0
    gained = np.empty((1024, 2), dtype=np.int64)  # (pair, word)

    while n_tokens < vocab_size and size > 0:
        top = heap[0]
        size -= 1
        if size > 0:
            heap[0] = heap[size]
            _sift_down(heap, size, 0, entries)
        p = entries[top, PAIR]
        count = pair_counts[p]
        if -entries[top, NEG] != count:  # stale: back in with the current count, the same words
            entries, heap = _push(entries, n_entries, heap, size, count, p, next_order,
                                  entries[top, WORDS_FROM], entries[top, WORDS_TO])  # fmt: skip
            size += 1
            n_entries += 1
            next_order += 1
            continue
        if count < min_count:
            break
        a = p >> shift
        b = p & mask

        # the token a + b: one made before (its bytes in the table), or a new id
        length = token_length[a] + token_length[b]
        data = _grown(data, used + length)
        data[used : used + token_length[a]] = data[token_start[a] : token_start[a] + token_length[a]]
        data[used + token_length[a] : used + length] = data[token_start[b] : token_start[b] + token_length[b]]
        new, slot = _lookup(slots, data, token_start, token_length, used, length)
        if new < 0:
            new = n_tokens
            token_start = _grown(token_start, new + 1)
            token_length = _grown(token_length, new + 1)
            token_start[new] = used
            token_length[new] = length
            slots[slot] = new
            used += length
            n_tokens += 1
        merges = _grown(merges, n_merges + 1)
        merges[n_merges, 0] = a
        merges[n_merges, 1] = b
        merges[n_merges, 2] = new
        n_merges += 1

        # replace a b by new in the entry's words, left to right (a word is rewritten in
        # place: ``write`` trails ``read``), moving the counts of the pairs around each
        # occurrence in the readable loop's order
        n_gained = 0
        for e in range(entries[top, WORDS_FROM], entries[top, WORDS_TO]):
            w = pool[e]
            s = starts[w]
            n = counts[w]
            end = s + lengths[w]
            read = s
            write = s
            while read < end:
                if read + 1 < end and symbols[read] == a and symbols[read + 1] == b:
                    if write > s:
                        before = symbols[write - 1] << shift
                        pair_counts[before | a] -= n
                        gained = _gain(pair_counts, gained, n_gained, before | new, w, n)
                        n_gained += 1
                    symbols[write] = new
                    if read + 2 < end:
                        after = symbols[read + 2]
                        pair_counts[(b << shift) | after] -= n
                        gained = _gain(pair_counts, gained, n_gained, (new << shift) | after, w, n)
                        n_gained += 1
                    read += 2
                else:
                    symbols[write] = symbols[read]
                    read += 1
                write += 1
            lengths[w] = write - s

        # one new entry per pair that gained (and still occurs), holding the words where it gained
        by_gain = np.argsort(gained[:n_gained, 0], kind="mergesort")
        j = 0
        while j < n_gained:
            first_word = n_pool
            j, pool, n_pool = _words_of(gained[:n_gained, 0], gained[:n_gained, 1], by_gain, j, pool, n_pool)
            q = gained[by_gain[j - 1], 0]
            if pair_counts[q] <= 0:
                n_pool = first_word
                continue
            entries, heap = _push(entries, n_entries, heap, size, pair_counts[q], q, next_order, first_word, n_pool)
            size += 1
            n_entries += 1
            next_order += 1
        progress[0] = n_tokens - n_start
    return merges[:n_merges, 0].copy(), merges[:n_merges, 1].copy(), merges[:n_merges, 2].copy()


# ---- from Python -----------------------------------------------------------------------------------------
def merge_loop_compiled(
    word_bytes: bytes,
    word_lengths: np.ndarray,
    counts: np.ndarray,
    tokens: list[str],
    token_id: dict[str, int],
    vocab_size: int,
    min_frequency: int,
    show_progress: bool = False,
) -> list[tuple[str, str]]:
    """:func:`.train_bpe.merge_loop` for byte-level words given as their UTF-8 bytes one
    after another (``word_bytes``, cut at ``word_lengths``; ``counts``): the same merges,
    returned as spelled pairs in order, and ``tokens`` / ``token_id`` grown the same way.
    (Arrays rather than a list of words: the caller can let go of its Python objects, which
    take several times the memory, before the loop starts.)"""
    byte_id = np.array([token_id[BYTE_TO_CHAR[b]] for b in range(256)], dtype=np.int64)
    symbols = byte_id[np.frombuffer(word_bytes, dtype=np.uint8)]
    lengths = np.array(word_lengths, dtype=np.int64)  # (a copy: the loop shortens the words in place)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    spelled = [_bytes_of(t) for t in tokens]
    token_data = np.frombuffer(b"".join(spelled), dtype=np.uint8).copy()
    token_offsets = np.concatenate(([0], np.cumsum([len(b) for b in spelled]))).astype(np.int64)
    shift = max(vocab_size, len(tokens)).bit_length()
    progress = np.zeros(1, dtype=np.int64)
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["merges"] = merge_words(symbols, starts, lengths, np.asarray(counts, dtype=np.int64), shift,
                                            token_data, token_offsets, vocab_size, max(min_frequency, 1), progress)  # fmt: skip
        except BaseException as exc:  # (raised again in the caller's thread)
            outcome["error"] = exc

    n_start = len(tokens)
    bar = progress_bar(vocab_size - n_start, show_progress, "merges")
    # (a daemon: Ctrl-C in the caller's thread ends the program without waiting for the loop)
    worker = threading.Thread(target=run, name="bpe-merges", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.2)
        bar.update(int(progress[0]) - bar.n)
    if "error" in outcome:
        bar.close()
        raise outcome["error"]
    merges: list[tuple[str, str]] = []
    for a, b, new in zip(*(part.tolist() for part in outcome["merges"])):
        made = tokens[a] + tokens[b]
        known = token_id.get(made)
        if known is None:
            known = token_id[made] = len(tokens)
            tokens.append(made)
        if known != new:
            raise RuntimeError(f"merge_words: token {made!r} is id {known}, the compiled loop gave {new}")
        merges.append((tokens[a], tokens[b]))
    bar.update(len(tokens) - n_start - bar.n)
    bar.close()
    return merges


def _bytes_of(token: str) -> bytes:
    """A token's bytes if it is a byte spelling (``Ġthe``; also a special token such as
    ``<|endoftext|>``, all of whose characters are stand-ins: a merge can make it again),
    else none (a special token with another character, ``"a b"``: no merge can make it)."""
    return unspell(token) if is_spelled(token) else b""
