"""Skip-gram with noise words shared by a window, compiled: the window as three small matrix products.

Read :mod:`scratch.word2vec.shared_negatives_numpy` first: this is its
:func:`~.shared_negatives_numpy.train_sentences` loop written for numba, as
:mod:`.sgns_numba` is :mod:`.sgns_numpy`'s. The scheme is Ji et al. 2016 ("Parallelizing
Word2Vec in Shared and Distributed Memory", Intel's pWord2Vec, "HogBatch"): each center
word draws its ``negative`` noise words once and shares them with every context word of
its window, so the window's work is

    X = syn0[contexts]                  (C, d)      gathered into a small work buffer
    Y = syn1neg[[center] + negatives]   (1 + k, d)  gathered into another
    F = X @ Y.T                         (C, 1 + k)  C * (1 + k) dot products over d
    G = (labels - sigmoid(F)) * alpha   (C, 1 + k)  0 for a noise word equal to the center
                                                    and for a score with |f| >= max_score
    syn0[contexts]   += G @ Y           each context row: 1 + k vector updates (axpy) over d
    syn1neg[outputs] += G.T @ X         each output row: C vector updates over d

The arithmetic is that of the per-pair loop (``3 * C * (1 + k) * d`` multiply-adds a
window), but the rows come from memory once per window instead of once per pair: a
window reads and writes ``C + 1 + k`` random rows where word2vec.c touches
``C * (2 + k)``, and draws ``k`` noise words instead of ``C * k``. The work buffers are
allocated once per call; a window's rows fit in the L1 cache. Every product is an
explicit loop over the dimension ``d`` with float32 accumulators, which numba (LLVM,
``fastmath``) compiles to SIMD code, and each loop is **blocked** so that one load
feeds several multiply-adds: the scores two context rows by four output rows at a time
(:func:`dot_rows_2`, eight accumulators), the updates four source rows into one target
(:func:`add_weighted_rows`: the target row loaded and stored once for four rows instead
of four times) or two sources into two targets (:func:`add_weighted_rows_2`). The loop
order matters: measured on 1 M words of the Gutenberg benchmark corpus (d=100, window 5,
negative 5, one thread), plain row-by-row loops (one ``axpy`` per (context, output)
pair) ran at 1.25x the per-pair loop's words/s, the blocked updates at 1.6x, with the
blocked scores at 2.0-2.1x.

The loop walks the corpus exactly as the NumPy one does, with the same random stream in
the same order (:mod:`.sgns_numba`'s helpers: one draw per word for subsampling, one per
center word for its reduced window, then ``k`` noise words, with the ``guide`` table of
:func:`.sgns_numba.noise_guide`, for a center with at least one context word), so with
one thread both see the same windows and noise words. As in the NumPy step every update
of a window is computed from the rows as they were before it (the buffers are copies)
and added into ``syn0`` and ``syn1neg`` row by row, so a context word or noise word that
occurs twice gets both updates, summed (NumPy's ``np.add.at``). What differs from the
NumPy step is only the order of float32 summation (the dot products, and the updates
added into a row one output word, or one context word, at a time rather than summed
first by a matrix product), and the loss, taken as :mod:`.sgns_numba` takes it (the
product of the likelihoods, one log when it gets small: the same sum of logs to ~1e-13).

Threads (``nogil=True``) train different jobs of the corpus at once, writing the shared
matrices without locks ("Hogwild!"); a window's buffers are private to its thread.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..numba_cache import cached_njit
from .prefetch import prefetch_row
from .sgns_numba import (
    draw_noise_words,
    longest_sentence,
    output_target,
    reduced_window,
    subsample_sentence,
)

_LIKELIHOOD_FLOOR = 1e-100  # as sgns_numba: take the log of the running product before it can underflow


@njit(fastmath=True, error_model="numpy", inline="always")
def add_weighted_rows(target, rows, weights, count, scale):
    """``target += scale * (weights[:count] @ rows[:count])``, rows four at a time: each pass over
    ``target`` loads and stores it once for four rows (one vectorised loop over the dimension)."""
    size = target.shape[0]
    r = 0
    while r + 4 <= count:
        w0, w1, w2, w3 = weights[r] * scale, weights[r + 1] * scale, weights[r + 2] * scale, weights[r + 3] * scale
        for k in range(size):
            target[k] += w0 * rows[r, k] + w1 * rows[r + 1, k] + w2 * rows[r + 2, k] + w3 * rows[r + 3, k]
        r += 4
    if r + 2 <= count:
        w0, w1 = weights[r] * scale, weights[r + 1] * scale
        for k in range(size):
            target[k] += w0 * rows[r, k] + w1 * rows[r + 1, k]
        r += 2
    if r < count:
        w0 = weights[r] * scale
        for k in range(size):
            target[k] += w0 * rows[r, k]


@njit(fastmath=True, error_model="numpy", inline="always")
def dot_rows(vector, rows, count, scores):
    """``scores[:count] = rows[:count] @ vector``, rows four at a time: each pass over ``vector`` feeds
    four float32 dot products (four vector accumulators, one load of ``vector`` for four rows)."""
    size = vector.shape[0]
    r = 0
    while r + 4 <= count:
        f0 = f1 = f2 = f3 = np.float32(0.0)
        for k in range(size):
            v = vector[k]
            f0 += v * rows[r, k]
            f1 += v * rows[r + 1, k]
            f2 += v * rows[r + 2, k]
            f3 += v * rows[r + 3, k]
        scores[r], scores[r + 1], scores[r + 2], scores[r + 3] = f0, f1, f2, f3
        r += 4
    if r + 2 <= count:
        f0 = f1 = np.float32(0.0)
        for k in range(size):
            v = vector[k]
            f0 += v * rows[r, k]
            f1 += v * rows[r + 1, k]
        scores[r], scores[r + 1] = f0, f1
        r += 2
    if r < count:
        f0 = np.float32(0.0)
        for k in range(size):
            f0 += vector[k] * rows[r, k]
        scores[r] = f0


@njit(fastmath=True, error_model="numpy", inline="always")
def dot_rows_2(vector0, vector1, rows, count, scores0, scores1):
    """:func:`dot_rows` for two vectors at once: ``rows`` four at a time, eight accumulators, each
    load of a row's element feeding two products."""
    size = vector0.shape[0]
    r = 0
    while r + 4 <= count:
        f0 = f1 = f2 = f3 = h0 = h1 = h2 = h3 = np.float32(0.0)
        for k in range(size):
            u = vector0[k]
            v = vector1[k]
            a, b, c, d = rows[r, k], rows[r + 1, k], rows[r + 2, k], rows[r + 3, k]
            f0 += u * a
            f1 += u * b
            f2 += u * c
            f3 += u * d
            h0 += v * a
            h1 += v * b
            h2 += v * c
            h3 += v * d
        scores0[r], scores0[r + 1], scores0[r + 2], scores0[r + 3] = f0, f1, f2, f3
        scores1[r], scores1[r + 1], scores1[r + 2], scores1[r + 3] = h0, h1, h2, h3
        r += 4
    while r < count:
        f0 = h0 = np.float32(0.0)
        for k in range(size):
            a = rows[r, k]
            f0 += vector0[k] * a
            h0 += vector1[k] * a
        scores0[r], scores1[r] = f0, h0
        r += 1


@njit(fastmath=True, error_model="numpy", inline="always")
def add_weighted_rows_2(target0, target1, rows, weights0, weights1, count, scale0, scale1):
    """:func:`add_weighted_rows` into two targets at once: each load of a row's element feeds both."""
    size = target0.shape[0]
    r = 0
    while r + 2 <= count:
        a0, a1 = weights0[r] * scale0, weights0[r + 1] * scale0
        b0, b1 = weights1[r] * scale1, weights1[r + 1] * scale1
        for k in range(size):
            p, q = rows[r, k], rows[r + 1, k]
            target0[k] += a0 * p + a1 * q
            target1[k] += b0 * p + b1 * q
        r += 2
    if r < count:
        a0, b0 = weights0[r] * scale0, weights1[r] * scale1
        for k in range(size):
            p = rows[r, k]
            target0[k] += a0 * p
            target1[k] += b0 * p


@cached_njit(nogil=True, fastmath=True, error_model="numpy")
def train_sentences(
    tokens,
    sentence_starts,
    syn0,
    syn1neg,
    sample_int,
    cum_table,
    guide,
    window,
    negative,
    alpha,
    state,
    subsample_words,
    shrink_windows,
    compute_loss,
    max_score=np.inf,
    lockf=None,
):
    """:func:`.shared_negatives_numpy.train_sentences`, compiled (plus the noise ``guide`` of
    :func:`.sgns_numba.noise_guide`); the arguments and the result are those of
    :func:`.sgns_numba.train_sentences` without hierarchical softmax.

    For each center word with at least one context word: gather the context rows into
    ``X`` and the center's and noise words' output rows into ``Y``, score every pair
    (``G``), then add ``G @ Y`` into the context rows (times the word's ``lockf`` entry,
    when given; ``None`` is compiled out) and ``G.T @ X`` into the output rows.

    Returns (words trained on after subsampling, (context, center) pairs, summed loss, next
    random state).
    """
    if window < 1:
        raise ValueError("shared_negatives_numba.train_sentences: window must be at least 1")
    if negative < 0:
        raise ValueError("shared_negatives_numba.train_sentences: negative must be 0 or more")
    state = np.uint64(state)
    size = syn0.shape[1]
    most_contexts = 2 * window
    kept = np.empty(longest_sentence(sentence_starts), dtype=np.int64)
    contexts = np.empty(most_contexts, dtype=np.int64)
    outputs = np.empty(negative + 1, dtype=np.int64)  # the center, then its noise words
    negatives = outputs[1:]
    x = np.empty((most_contexts, size), dtype=syn0.dtype)  # the window's rows, as they were before it
    y = np.empty((negative + 1, size), dtype=syn1neg.dtype)
    g = np.empty((most_contexts, negative + 1), dtype=np.float32)
    locks = np.ones(most_contexts, dtype=np.float32)
    effective_words = 0
    pairs = 0
    loss = 0.0
    likelihood = 1.0
    for s in range(sentence_starts.shape[0] - 1):
        n_kept, state = subsample_sentence(tokens, sentence_starts[s], sentence_starts[s + 1], sample_int,
                                           subsample_words, state, kept)  # fmt: skip
        effective_words += n_kept
        for i in range(n_kept):
            reach, state = reduced_window(window, shrink_windows, state)
            n_contexts = 0
            for j in range(max(0, i - reach), min(n_kept, i + reach + 1)):
                if j != i:
                    contexts[n_contexts] = kept[j]
                    n_contexts += 1
            if n_contexts == 0:
                continue
            center = kept[i]
            outputs[0] = center
            state = draw_noise_words(cum_table, guide, state, negatives)
            pairs += n_contexts
            for c in range(n_contexts):  # ask for every row of the window before using any
                prefetch_row(syn0, contexts[c])
            for o in range(negative + 1):
                prefetch_row(syn1neg, outputs[o])
            for c in range(n_contexts):
                row = syn0[contexts[c]]
                for k in range(size):
                    x[c, k] = row[k]
            for o in range(negative + 1):
                row = syn1neg[outputs[o]]
                for k in range(size):
                    y[o, k] = row[k]
            if lockf is not None:
                for c in range(n_contexts):
                    locks[c] = lockf[contexts[c] % lockf.shape[0]]
            # G = (labels - sigmoid(X @ Y.T)) * alpha, and the loss
            c = 0
            while c + 2 <= n_contexts:
                dot_rows_2(x[c], x[c + 1], y, negative + 1, g[c], g[c + 1])
                c += 2
            if c < n_contexts:
                dot_rows(x[c], y, negative + 1, g[c])
            for c in range(n_contexts):
                for o in range(negative + 1):
                    if output_target(center, negatives, o) < 0:  # a noise word that is the center
                        g[c, o] = 0.0
                        continue
                    f = g[c, o]
                    exp_minus_f = math.exp(-np.float64(f))
                    sigmoid = 1.0 / (1.0 + exp_minus_f)
                    if o == 0:
                        gradient = (1.0 - sigmoid) * alpha
                        probability = sigmoid  # of label 1
                    else:
                        gradient = -sigmoid * alpha
                        probability = exp_minus_f * sigmoid  # of label 0: sigmoid(-f)
                    if compute_loss:
                        likelihood *= probability
                        if likelihood < _LIKELIHOOD_FLOOR:
                            loss -= math.log(likelihood)
                            likelihood = 1.0
                    g[c, o] = 0.0 if (f >= max_score or f <= -max_score) else np.float32(gradient)
            # syn0[contexts] += locks * (G @ Y), from the old Y
            c = 0
            while c < n_contexts:
                lock = locks[c] if lockf is not None else np.float32(1.0)
                if c + 1 < n_contexts and contexts[c] != contexts[c + 1]:  # two different rows at once
                    next_lock = locks[c + 1] if lockf is not None else np.float32(1.0)
                    add_weighted_rows_2(syn0[contexts[c]], syn0[contexts[c + 1]], y, g[c], g[c + 1], negative + 1,
                                        lock, next_lock)  # fmt: skip
                    c += 2
                else:
                    add_weighted_rows(syn0[contexts[c]], y, g[c], negative + 1, lock)
                    c += 1
            # syn1neg[outputs] += G.T @ X, from the old X
            for o in range(negative + 1):
                add_weighted_rows(syn1neg[outputs[o]], x, g[:, o], n_contexts, np.float32(1.0))
    if compute_loss:
        loss -= math.log(likelihood)
    return effective_words, pairs, loss, state
