"""CBOW, compiled: :mod:`.cbow_numpy` as explicit loops for numba.

Read :mod:`.cbow_numpy` first. Like :mod:`.sgns_numba`, the loop releases the GIL so that
several threads train at once (Hogwild), and it walks the corpus with the same random
stream as the NumPy version (one draw per word for subsampling, one per center word for
its window, one per noise word), so with one thread both give the same vectors;
``tests/test_word2vec_cbow.py`` and ``tests/test_word2vec_hs.py`` check it.

:func:`train_sentences` is the one CBOW corpus loop: each center word gets the
hierarchical-softmax step (``hs=1``, :func:`.hs_numba.path_update`) and/or the
negative-sampling one, each a :func:`_cbow_step` that averages the context, scores it with
its output layer and adds the change to the context words, as gensim's ``train_batch_cbow``
calls ``fast_sentence_cbow_hs`` then ``fast_sentence_cbow_neg``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..numba_cache import cached_njit
from .hs_numba import path_update
from .prefetch import prefetch_row
from .sgns_numba import (
    draw_noise_words,
    longest_sentence,
    output_target,
    output_word_update,
    reduced_window,
    subsample_sentence,
)


@njit(fastmath=True, error_model="numpy", inline="always")
def _context_hidden(syn0, kept, first, end, skip, cbow_mean, hidden):
    """``hidden`` = the mean (or sum) of ``syn0[kept[m]]`` for ``m`` in ``[first, end)`` but ``skip``;
    returns how many there are."""
    size = syn0.shape[1]
    for k in range(size):
        hidden[k] = 0.0
    count = 0
    for m in range(first, end):
        if m != skip:
            row = syn0[kept[m]]
            for k in range(size):
                hidden[k] += row[k]
            count += 1
    if cbow_mean:
        for k in range(size):
            hidden[k] /= np.float32(count)
    return count


@njit(fastmath=True, error_model="numpy", inline="always")
def _add_to_contexts(syn0, kept, first, end, skip, cbow_mean, count, work, lockf):
    """Add ``work`` (divided by ``count`` for a sum, ``cbow_mean=0``) to every context word's vector,
    scaled by its ``lockf`` entry (gensim's ``vectors_lockf``; ``None``: 1 for all)."""
    size = syn0.shape[1]
    if not cbow_mean:
        for k in range(size):
            work[k] /= np.float32(count)
    for m in range(first, end):
        if m != skip:
            row = syn0[kept[m]]
            if lockf is None:  # compiled out: every row trains freely
                for k in range(size):
                    row[k] += work[k]
            else:
                lock = lockf[kept[m] % lockf.shape[0]]
                for k in range(size):
                    row[k] += lock * work[k]


@njit(fastmath=True, error_model="numpy", inline="always")
def _cbow_step(syn0, output, kept, first, end, i, hierarchical, codes, points, code_starts, negatives, alpha,
               cbow_mean, hidden, work, compute_loss, likelihood, max_score, lockf):  # fmt: skip
    """One output layer's step for the context ``kept[first:end]`` without position ``i``:
    :func:`.cbow_numpy.hs_cbow_step` when ``hierarchical`` (``output`` is ``syn1``, the center's path
    ``codes``/``points`` from ``code_starts``), else :func:`.cbow_numpy.cbow_step` (``output`` is
    ``syn1neg``, the center then ``negatives``).

    Returns (loss taken out of the running likelihood, the running likelihood).
    """
    size = syn0.shape[1]
    center = kept[i]
    if hierarchical:
        start, stop = code_starts[center], code_starts[center + 1]
        for b in range(start, stop):
            prefetch_row(output, points[b])
    else:
        prefetch_row(output, center)
        for d in range(negatives.shape[0]):
            prefetch_row(output, negatives[d])
    count = _context_hidden(syn0, kept, first, end, i, cbow_mean, hidden)
    for k in range(size):
        work[k] = 0.0
    loss = 0.0
    if hierarchical:
        loss, likelihood = path_update(hidden, output, codes, points, start, stop, alpha, work, compute_loss,
                                       likelihood, max_score)  # fmt: skip
    else:
        for d in range(negatives.shape[0] + 1):
            target = output_target(center, negatives, d)
            if target < 0:
                continue
            step_loss, likelihood = output_word_update(hidden, output[target], d == 0, alpha, work, compute_loss,
                                                       likelihood, max_score)  # fmt: skip
            loss += step_loss
    _add_to_contexts(syn0, kept, first, end, i, cbow_mean, count, work, lockf)
    return loss, likelihood


@cached_njit(nogil=True, fastmath=True, error_model="numpy")
def train_sentences(tokens, sentence_starts, syn0, syn1neg, sample_int, cum_table, guide, window, negative, alpha,
                    state, subsample_words, shrink_windows, compute_loss, cbow_mean, max_score=np.inf,
                    lockf=None, syn1=None, codes=None, points=None, code_starts=None):  # fmt: skip
    """:func:`.cbow_numpy.train_sentences`, compiled (plus the noise ``guide`` of :mod:`.sgns_numba`).

    Each center word with context words gets (with ``syn1``, ``hs=1``) the hierarchical-softmax
    step on its path, then (with ``negative > 0``) ``negative`` noise words and the
    negative-sampling step, which averages the context vectors again after the first step
    changed them (gensim's ``train_batch_cbow``). ``lockf``, ``syn1``, ``codes``, ``points``,
    ``code_starts`` as in :func:`.sgns_numba.train_sentences`.

    Returns (words trained on after subsampling, center words trained, summed loss, next random state).
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
            if syn1 is not None:  # hierarchical softmax (hs=1)
                step_loss, likelihood = _cbow_step(syn0, syn1, kept, first, end, i, True, codes, points, code_starts,
                                                   negatives[:0], alpha, cbow_mean, hidden, work, compute_loss,
                                                   likelihood, max_score, lockf)  # fmt: skip
                loss += step_loss
            if negative > 0:
                state = draw_noise_words(cum_table, guide, state, negatives)
                step_loss, likelihood = _cbow_step(syn0, syn1neg, kept, first, end, i, False, codes, points,
                                                   code_starts, negatives, alpha, cbow_mean, hidden, work,
                                                   compute_loss, likelihood, max_score, lockf)  # fmt: skip
                loss += step_loss
            examples += 1
    if compute_loss:
        loss -= math.log(likelihood)
    return effective_words, examples, loss, state


@cached_njit(nogil=True, fastmath=True, error_model="numpy")
def hs_cbow_steps(syn0, syn1, context_words, context_starts, centers, codes, points, code_starts, alphas, cbow_mean,
                  compute_loss, max_score=np.inf):  # fmt: skip
    """Apply :func:`.cbow_numpy.hs_cbow_step` to the given examples in order: example ``p``'s context
    words are ``context_words[context_starts[p]:context_starts[p + 1]]`` (at least one). Returns the loss.

    The agreement test's entry point; :func:`train_sentences` calls the same step.
    """
    hidden = np.empty(syn0.shape[1], dtype=syn0.dtype)
    work = np.empty(syn0.shape[1], dtype=syn0.dtype)
    no_negatives = np.empty(0, dtype=np.int64)
    window = np.empty(context_words.shape[0] + 1, dtype=np.int64)  # one example's context words, then its center
    loss = 0.0
    likelihood = 1.0
    for p in range(centers.shape[0]):
        n_contexts = context_starts[p + 1] - context_starts[p]
        window[:n_contexts] = context_words[context_starts[p] : context_starts[p + 1]]
        window[n_contexts] = centers[p]
        step_loss, likelihood = _cbow_step(syn0, syn1, window, 0, n_contexts + 1, n_contexts, True, codes, points,
                                           code_starts, no_negatives, alphas[p], cbow_mean, hidden, work,
                                           compute_loss, likelihood, max_score, None)  # fmt: skip
        loss += step_loss
    return loss - math.log(likelihood)
