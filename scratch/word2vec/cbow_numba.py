"""CBOW with negative sampling, compiled: :mod:`.cbow_numpy` as explicit loops for numba.

Read :mod:`.cbow_numpy` first. Like :mod:`.sgns_numba`, the loop releases the GIL so that
several threads train at once (Hogwild), and it walks the corpus with the same random
stream as the NumPy version (one draw per word for subsampling, one per center word for
its window, one per noise word), so with one thread both give the same vectors;
``tests/test_word2vec_cbow.py`` checks it.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .prefetch import prefetch_row
from .sgns_numba import draw_noise_words, longest_sentence, output_word_update, reduced_window, subsample_sentence


@njit(fastmath=True, error_model="numpy", inline="always")
def _cbow_step(syn0, syn1neg, kept, first, end, i, negatives, alpha, cbow_mean, hidden, work, compute_loss,
               likelihood, max_score, lockf=None):  # fmt: skip
    """:func:`.cbow_numpy.cbow_step` for the context ``kept[first:end]`` without position ``i``.

    ``lockf`` (gensim's ``vectors_lockf``) scales each context word's update; ``None`` is 1 for all.

    Returns (loss taken out of the running likelihood, the running likelihood).
    """
    size = syn0.shape[1]
    center = kept[i]
    prefetch_row(syn1neg, center)
    for d in range(negatives.shape[0]):
        prefetch_row(syn1neg, negatives[d])
    for k in range(size):
        hidden[k] = 0.0
        work[k] = 0.0
    count = 0
    for m in range(first, end):
        if m != i:
            row = syn0[kept[m]]
            for k in range(size):
                hidden[k] += row[k]
            count += 1
    if cbow_mean:
        for k in range(size):
            hidden[k] /= np.float32(count)
    loss = 0.0
    for d in range(negatives.shape[0] + 1):
        if d == 0:
            target = center
        else:
            target = negatives[d - 1]
            if target == center:
                continue
        step_loss, likelihood = output_word_update(hidden, syn1neg[target], d == 0, alpha, work, compute_loss,
                                                   likelihood, max_score)  # fmt: skip
        loss += step_loss
    if not cbow_mean:
        for k in range(size):
            work[k] /= np.float32(count)
    for m in range(first, end):
        if m != i:
            row = syn0[kept[m]]
            lock = np.float32(1.0)
            if lockf is not None:
                lock = lockf[kept[m] % lockf.shape[0]]
            if lock == 1.0:
                for k in range(size):
                    row[k] += work[k]
            else:
                for k in range(size):
                    row[k] += lock * work[k]
    return loss, likelihood


@njit(nogil=True, fastmath=True, error_model="numpy", cache=True)
def train_sentences(tokens, sentence_starts, syn0, syn1neg, sample_int, cum_table, guide, window, negative, alpha,
                    state, subsample_words, shrink_windows, compute_loss, cbow_mean, max_score=np.inf,
                    lockf=None):  # fmt: skip
    """:func:`.cbow_numpy.train_sentences`, compiled (plus the noise ``guide`` of :mod:`.sgns_numba`).

    ``lockf`` as in :func:`.sgns_numba.train_sentences`. Returns (words trained on after
    subsampling, center words trained, summed loss, next random state).
    """
    state = np.uint64(state)
    hidden = np.empty(syn0.shape[1], dtype=syn0.dtype)
    work = np.empty(syn0.shape[1], dtype=syn0.dtype)
    negatives = np.empty(negative, dtype=np.int64)
    kept = np.empty(longest_sentence(sentence_starts), dtype=np.int64)
    effective_words = 0
    examples = 0
    loss = 0.0
    likelihood = 1.0
    for s in range(sentence_starts.shape[0] - 1):
        n_kept, state = subsample_sentence(tokens, sentence_starts[s], sentence_starts[s + 1], sample_int,
                                           subsample_words, state, kept)  # fmt: skip
        effective_words += n_kept
        for i in range(n_kept):
            reach, state = reduced_window(window, shrink_windows, state)
            first, end = max(0, i - reach), min(n_kept, i + reach + 1)
            if end - first < 2:  # no context word
                continue
            state = draw_noise_words(cum_table, guide, state, negatives)
            step_loss, likelihood = _cbow_step(syn0, syn1neg, kept, first, end, i, negatives, alpha, cbow_mean,
                                               hidden, work, compute_loss, likelihood, max_score,
                                               lockf)  # fmt: skip
            loss += step_loss
            examples += 1
    if compute_loss:
        loss -= math.log(likelihood)
    return effective_words, examples, loss, state
