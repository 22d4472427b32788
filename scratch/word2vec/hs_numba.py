"""Hierarchical softmax, compiled: the output layer of :mod:`.hs_numpy` as explicit loops for numba.

Read :mod:`.hs_numpy` first. This module holds what is particular to hierarchical softmax:
walking the center word's path in the Huffman tree (:func:`path_update`) and the skip-gram
step built on it (:func:`hs_sg_step`). The corpus loops are not here: there is one per
architecture, :func:`.sgns_numba.train_sentences` (skip-gram) and
:func:`.cbow_numba.train_sentences` (CBOW), and each applies this output layer and/or
negative sampling's to every example, as gensim's ``train_batch_sg``/``train_batch_cbow``
(``word2vec_inner.pyx``) do with ``if hs: ...`` then ``if negative: ...``.

The tree comes as three flat arrays (:class:`.huffman.HuffmanTree`): word ``w``'s path is
``codes[code_starts[w]:code_starts[w + 1]]`` and the same slice of ``points``.

The loss is kept as in :mod:`.sgns_numba`, a running product of probabilities whose log is
taken when it gets small; a node whose correct turn has probability below ``exp(-30)`` adds
its loss directly (``-s + log1p(exp(s))`` for the signed score ``s``) instead of entering the
product, so that a probability that underflows to 0 gives its true loss, not infinity.

``tests/test_word2vec_hs.py`` checks that these loops make the updates of :mod:`.hs_numpy`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..numba_cache import cached_njit
from .prefetch import prefetch_row

_LIKELIHOOD_FLOOR = 1e-100  # take the log of the running product before it can underflow
_DIRECT_LOSS_BELOW = -30.0  # a signed score below this adds its loss directly


@njit(fastmath=True, error_model="numpy", inline="always")
def path_update(hidden, syn1, codes, points, start, end, alpha, gradient, compute_loss, likelihood, max_score):
    """:func:`.hs_numpy.path_update` over ``codes[start:end]``, ``points[start:end]``: adds the
    input side's gradient to ``gradient``, updates the nodes' rows of ``syn1``.

    Returns (loss taken out of the running likelihood, the running likelihood).
    """
    size = hidden.shape[0]
    loss = 0.0
    for b in range(start, end):
        row = syn1[points[b]]
        f = np.float32(0.0)
        for k in range(size):
            f += hidden[k] * row[k]
        turn = codes[b]
        g = np.float32((1.0 - turn - 1.0 / (1.0 + math.exp(-np.float64(f)))) * alpha)
        if compute_loss:
            signed = np.float64(f) if turn == 0 else -np.float64(f)
            if signed < _DIRECT_LOSS_BELOW:
                loss += math.log1p(math.exp(signed)) - signed
            else:
                likelihood *= 1.0 / (1.0 + math.exp(-signed))
                if likelihood < _LIKELIHOOD_FLOOR:
                    loss -= math.log(likelihood)
                    likelihood = 1.0
        if f >= max_score or f <= -max_score:  # gensim's saturation rule, when asked for
            continue
        for k in range(size):
            gradient[k] += g * row[k]
        for k in range(size):
            row[k] += g * hidden[k]
    return loss, likelihood


@njit(fastmath=True, error_model="numpy", inline="always")
def hs_sg_step(syn0, syn1, context, codes, points, start, end, alpha, neu1e, compute_loss, likelihood, max_score,
               lock):  # fmt: skip
    """:func:`.hs_numpy.hs_sg_step`: ``syn0[context]`` predicts the word whose path is
    ``codes[start:end]``/``points[start:end]``; its change is scaled by ``lock`` (gensim's
    ``vectors_lockf``) and applied at once, as gensim's ``w2v_fast_sentence_sg_hs`` does.

    Returns (loss taken out of the running likelihood, the running likelihood).
    """
    size = syn0.shape[1]
    prefetch_row(syn0, context)  # ask for every row this step touches before using any
    for b in range(start, end):
        prefetch_row(syn1, points[b])
    l1 = syn0[context]
    for k in range(size):
        neu1e[k] = 0.0
    loss, likelihood = path_update(l1, syn1, codes, points, start, end, alpha, neu1e, compute_loss, likelihood,
                                   max_score)  # fmt: skip
    for k in range(size):
        l1[k] += lock * neu1e[k]
    return loss, likelihood


@cached_njit(nogil=True, fastmath=True, error_model="numpy")
def hs_sg_steps(syn0, syn1, contexts, centers, codes, points, code_starts, alphas, compute_loss, max_score=np.inf):
    """Apply :func:`hs_sg_step` to the given (context, center) pairs in order; returns the loss.

    The agreement test's entry point; :func:`.sgns_numba.train_sentences` calls the same step.
    """
    neu1e = np.empty(syn0.shape[1], dtype=syn0.dtype)
    loss = 0.0
    likelihood = 1.0
    for p in range(contexts.shape[0]):
        center = centers[p]
        step_loss, likelihood = hs_sg_step(syn0, syn1, contexts[p], codes, points, code_starts[center],
                                           code_starts[center + 1], alphas[p], neu1e, compute_loss, likelihood,
                                           max_score, np.float32(1.0))  # fmt: skip
        loss += step_loss
    return loss - math.log(likelihood)
