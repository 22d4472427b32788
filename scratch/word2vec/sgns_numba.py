"""Skip-gram with negative sampling, the fast way: the same loops, compiled by numba.

Read :mod:`scratch.word2vec.sgns_numpy` first; this module is that algorithm with every
vector operation written as an explicit loop over the dimensions, so that numba (LLVM)
can compile it to SIMD code, and with the GIL released (``nogil=True``) so that several
Python threads train at once on different parts of the corpus, all writing into the
same ``syn0`` and ``syn1neg`` without locks. That is "Hogwild!" (Recht et al. 2011),
what word2vec.c and gensim do: updates touch few rows each, so collisions are rare and
harmless.

The random stream, the order of pairs and noise words, the sigmoid and the loss are
those of the NumPy path; ``tests/test_word2vec_training.py`` checks that both give the
same update for the same pairs, noise words and learning rate, and the same vectors
after training on the same sentences with one thread.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .sgns_numpy import LCG_INCREMENT, LCG_MASK, LCG_MULTIPLIER

_MULTIPLIER = np.uint64(LCG_MULTIPLIER)
_INCREMENT = np.uint64(LCG_INCREMENT)
_MASK = np.uint64(LCG_MASK)
_SHIFT = np.uint64(16)


@njit(inline="always")
def _next_random(state):
    # uint64 arithmetic wraps modulo 2**64, which keeps the result modulo 2**48 right.
    return (state * _MULTIPLIER + _INCREMENT) & _MASK


@njit(inline="always")
def _bisect_left(table, value):
    lo = 0
    hi = table.shape[0]
    while lo < hi:
        mid = (lo + hi) >> 1
        if table[mid] >= value:
            hi = mid
        else:
            lo = mid + 1
    return lo


@njit(nogil=True, fastmath=True, inline="always")
def _sgns_step(syn0, syn1neg, context, center, negatives, alpha, neu1e, compute_loss):
    """:func:`scratch.word2vec.sgns_numpy.sgns_step`, with the vector operations unrolled."""
    size = syn0.shape[1]
    l1 = syn0[context]
    for k in range(size):
        neu1e[k] = 0.0
    loss = 0.0
    for d in range(negatives.shape[0] + 1):
        if d == 0:
            target = center
            label = 1.0
        else:
            target = negatives[d - 1]
            if target == center:
                continue
            label = 0.0
        row = syn1neg[target]
        f = np.float32(0.0)
        for k in range(size):
            f += l1[k] * row[k]
        f64 = np.float64(f)
        exp_minus_f = math.exp(-f64)
        g = np.float32((label - 1.0 / (1.0 + exp_minus_f)) * alpha)
        if compute_loss:
            loss += math.log1p(exp_minus_f)
            if d > 0:
                loss += f64
        for k in range(size):
            neu1e[k] += g * row[k]
        for k in range(size):
            row[k] += g * l1[k]
    for k in range(size):
        l1[k] += neu1e[k]
    return loss


@njit(nogil=True, fastmath=True, cache=True)
def sgns_steps(syn0, syn1neg, contexts, centers, negatives, alphas, compute_loss):
    """Apply :func:`_sgns_step` to given pairs in order: ``negatives[p]`` are pair p's noise words.

    This is the entry point the agreement test uses; training goes through
    :func:`train_sentences`, which calls the same step.
    """
    neu1e = np.empty(syn0.shape[1], dtype=syn0.dtype)
    loss = 0.0
    for p in range(contexts.shape[0]):
        loss += _sgns_step(syn0, syn1neg, contexts[p], centers[p], negatives[p], alphas[p], neu1e, compute_loss)
    return loss


@njit(nogil=True, fastmath=True, cache=True)
def train_sentences(
    tokens,
    sentence_starts,
    syn0,
    syn1neg,
    sample_int,
    cum_table,
    window,
    negative,
    alpha,
    state,
    subsample,
    shrink_windows,
    compute_loss,
):
    """:func:`scratch.word2vec.sgns_numpy.train_sentences`, compiled; same arguments and result."""
    state = np.uint64(state)
    neu1e = np.empty(syn0.shape[1], dtype=syn0.dtype)
    negatives = np.empty(negative, dtype=np.int64)
    longest = 0
    for s in range(sentence_starts.shape[0] - 1):
        longest = max(longest, sentence_starts[s + 1] - sentence_starts[s])
    kept = np.empty(longest, dtype=np.int64)
    noise_total = np.uint64(cum_table[cum_table.shape[0] - 1])
    effective_words = 0
    pairs = 0
    loss = 0.0
    for s in range(sentence_starts.shape[0] - 1):
        n_kept = 0
        for position in range(sentence_starts[s], sentence_starts[s + 1]):
            word = tokens[position]
            if subsample:
                draw = state >> _SHIFT
                state = _next_random(state)
                if sample_int[word] < draw:
                    continue
            kept[n_kept] = word
            n_kept += 1
        effective_words += n_kept
        for i in range(n_kept):
            reduce = 0
            if shrink_windows:
                reduce = np.int64((state >> _SHIFT) % np.uint64(window))
                state = _next_random(state)
            reach = window - reduce
            start = max(0, i - reach)
            end = min(n_kept, i + reach + 1)
            for j in range(start, end):
                if j == i:
                    continue
                for d in range(negative):
                    negatives[d] = _bisect_left(cum_table, (state >> _SHIFT) % noise_total)
                    state = _next_random(state)
                loss += _sgns_step(syn0, syn1neg, kept[j], kept[i], negatives, alpha, neu1e, compute_loss)
                pairs += 1
    return effective_words, pairs, loss, state
