"""Hierarchical softmax, compiled: :mod:`.hs_numpy` as explicit loops for numba.

Read :mod:`.hs_numpy` first. The corpus loops are those of :mod:`.sgns_numba` and
:mod:`.cbow_numba` (same subsampling, reduced windows, random stream, Hogwild threads with
the GIL released, loss as a running product of probabilities), with the output side
walking the center word's path in the Huffman tree; with ``negative > 0`` a
negative-sampling step follows on ``syn1neg``, as in gensim's ``train_batch_sg`` and
``train_batch_cbow``. The tree comes as three flat arrays (:class:`.huffman.HuffmanTree`):
word ``w``'s path is ``codes[code_starts[w]:code_starts[w + 1]]`` and the same slice of
``points``.

The loss of a node whose correct turn has probability below ``exp(-30)`` is added
directly (``-s + log1p(exp(s))`` for the signed score ``s``) instead of entering the
product, so that a probability that underflows to 0 gives its true loss, not infinity.

``tests/test_word2vec_hs.py`` checks that these loops make the updates of :mod:`.hs_numpy`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .prefetch import prefetch_row
from .sgns_numba import (
    draw_noise_words,
    longest_sentence,
    output_word_update,
    reduced_window,
    subsample_sentence,
)

_LIKELIHOOD_FLOOR = 1e-100  # take the log of the running product before it can underflow
_DIRECT_LOSS_BELOW = -30.0  # a signed score below this adds its loss directly


@njit(fastmath=True, error_model="numpy", inline="always")
def _path_update(hidden, syn1, codes, points, start, end, alpha, gradient, compute_loss, likelihood, max_score):
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
def _negative_sampling_update(hidden, syn1neg, center, negatives, alpha, gradient, compute_loss, likelihood,
                              max_score):  # fmt: skip
    """:func:`.sgns_numpy.output_words_update`: the center (label 1), then each noise word that is not it.

    Returns (loss taken out of the running likelihood, the running likelihood).
    """
    loss = 0.0
    for d in range(negatives.shape[0] + 1):
        target = center if d == 0 else negatives[d - 1]
        if d > 0 and target == center:
            continue
        step_loss, likelihood = output_word_update(hidden, syn1neg[target], d == 0, alpha, gradient, compute_loss,
                                                   likelihood, max_score)  # fmt: skip
        loss += step_loss
    return loss, likelihood


@njit(fastmath=True, error_model="numpy", inline="always")
def _sg_step(syn0, syn1, syn1neg, context, center, codes, points, code_starts, negatives, alpha, neu1e,
             compute_loss, likelihood, max_score):  # fmt: skip
    """:func:`.hs_numpy.hs_sg_step`, then (with noise words) :func:`.sgns_numpy.sgns_step` from the updated vector.

    Returns (loss taken out of the running likelihood, the running likelihood).
    """
    size = syn0.shape[1]
    start, end = code_starts[center], code_starts[center + 1]
    prefetch_row(syn0, context)  # ask for every row this step touches before using any
    for b in range(start, end):
        prefetch_row(syn1, points[b])
    for d in range(negatives.shape[0]):
        prefetch_row(syn1neg, negatives[d])
    l1 = syn0[context]
    for k in range(size):
        neu1e[k] = 0.0
    loss, likelihood = _path_update(l1, syn1, codes, points, start, end, alpha, neu1e, compute_loss, likelihood,
                                    max_score)  # fmt: skip
    for k in range(size):
        l1[k] += neu1e[k]
    if negatives.shape[0] > 0:
        for k in range(size):
            neu1e[k] = 0.0
        step_loss, likelihood = _negative_sampling_update(l1, syn1neg, center, negatives, alpha, neu1e, compute_loss,
                                                          likelihood, max_score)  # fmt: skip
        loss += step_loss
        for k in range(size):
            l1[k] += neu1e[k]
    return loss, likelihood


@njit(fastmath=True, error_model="numpy", inline="always")
def _context_hidden(syn0, contexts, first, end, skip, cbow_mean, hidden):
    """``hidden`` = the mean (or sum) of ``syn0[contexts[m]]`` for ``m`` in ``[first, end)`` but ``skip``;
    returns how many there are."""
    size = syn0.shape[1]
    for k in range(size):
        hidden[k] = 0.0
    count = 0
    for m in range(first, end):
        if m != skip:
            row = syn0[contexts[m]]
            for k in range(size):
                hidden[k] += row[k]
            count += 1
    if cbow_mean:
        for k in range(size):
            hidden[k] /= np.float32(count)
    return count


@njit(fastmath=True, error_model="numpy", inline="always")
def _add_to_contexts(syn0, contexts, first, end, skip, cbow_mean, count, work):
    """Add ``work`` (divided by ``count`` for a sum, ``cbow_mean=0``) to every context word's vector."""
    size = syn0.shape[1]
    if not cbow_mean:
        for k in range(size):
            work[k] /= np.float32(count)
    for m in range(first, end):
        if m != skip:
            row = syn0[contexts[m]]
            for k in range(size):
                row[k] += work[k]


@njit(fastmath=True, error_model="numpy", inline="always")
def _cbow_step(syn0, syn1, syn1neg, kept, first, end, i, codes, points, code_starts, negatives, alpha, cbow_mean,
               hidden, work, compute_loss, likelihood, max_score):  # fmt: skip
    """:func:`.hs_numpy.hs_cbow_step` for the context ``kept[first:end]`` without position ``i``,
    then (with noise words) :func:`.cbow_numpy.cbow_step` from the updated context vectors.

    Returns (loss taken out of the running likelihood, the running likelihood).
    """
    size = syn0.shape[1]
    center = kept[i]
    start, stop = code_starts[center], code_starts[center + 1]
    for b in range(start, stop):
        prefetch_row(syn1, points[b])
    for d in range(negatives.shape[0]):
        prefetch_row(syn1neg, negatives[d])
    count = _context_hidden(syn0, kept, first, end, i, cbow_mean, hidden)
    for k in range(size):
        work[k] = 0.0
    loss, likelihood = _path_update(hidden, syn1, codes, points, start, stop, alpha, work, compute_loss, likelihood,
                                    max_score)  # fmt: skip
    _add_to_contexts(syn0, kept, first, end, i, cbow_mean, count, work)
    if negatives.shape[0] > 0:
        _context_hidden(syn0, kept, first, end, i, cbow_mean, hidden)  # gensim sums the updated vectors again
        for k in range(size):
            work[k] = 0.0
        step_loss, likelihood = _negative_sampling_update(hidden, syn1neg, center, negatives, alpha, work,
                                                          compute_loss, likelihood, max_score)  # fmt: skip
        loss += step_loss
        _add_to_contexts(syn0, kept, first, end, i, cbow_mean, count, work)
    return loss, likelihood


@njit(nogil=True, fastmath=True, error_model="numpy", cache=True)
def hs_sg_steps(syn0, syn1, contexts, centers, codes, points, code_starts, alphas, compute_loss, max_score=np.inf):
    """Apply :func:`.hs_numpy.hs_sg_step` to the given (context, center) pairs in order; returns the loss.

    The agreement test's entry point; :func:`train_sentences_sg` calls the same step.
    """
    neu1e = np.empty(syn0.shape[1], dtype=syn0.dtype)
    no_negatives = np.empty(0, dtype=np.int64)
    loss = 0.0
    likelihood = 1.0
    for p in range(contexts.shape[0]):
        step_loss, likelihood = _sg_step(syn0, syn1, syn1, contexts[p], centers[p], codes, points, code_starts,
                                         no_negatives, alphas[p], neu1e, compute_loss, likelihood,
                                         max_score)  # fmt: skip
        loss += step_loss
    return loss - math.log(likelihood)


@njit(nogil=True, fastmath=True, error_model="numpy", cache=True)
def hs_cbow_steps(syn0, syn1, context_words, context_starts, centers, codes, points, code_starts, alphas, cbow_mean,
                  compute_loss, max_score=np.inf):  # fmt: skip
    """Apply :func:`.hs_numpy.hs_cbow_step` to the given examples in order: example ``p``'s context
    words are ``context_words[context_starts[p]:context_starts[p + 1]]`` (at least one). Returns the loss."""
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
        step_loss, likelihood = _cbow_step(syn0, syn1, syn1, window, 0, n_contexts + 1, n_contexts, codes, points,
                                           code_starts, no_negatives, alphas[p], cbow_mean, hidden, work, compute_loss,
                                           likelihood, max_score)  # fmt: skip
        loss += step_loss
    return loss - math.log(likelihood)


@njit(nogil=True, fastmath=True, error_model="numpy", cache=True)
def train_sentences_sg(tokens, sentence_starts, syn0, syn1, syn1neg, sample_int, cum_table, guide, codes, points,
                       code_starts, window, negative, alpha, state, subsample_words, shrink_windows, compute_loss,
                       max_score=np.inf):  # fmt: skip
    """:func:`.hs_numpy.train_sentences_sg`, compiled (plus the noise ``guide`` of :func:`.sgns_numba.noise_guide`;
    with ``negative == 0`` neither it, ``cum_table`` nor ``syn1neg`` is read).

    Returns (words trained on after subsampling, pairs, summed loss, next random state).
    """
    state = np.uint64(state)
    neu1e = np.empty(syn0.shape[1], dtype=syn0.dtype)
    negatives = np.empty(negative, dtype=np.int64)
    kept = np.empty(longest_sentence(sentence_starts), dtype=np.int64)
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
            for j in range(max(0, i - reach), min(n_kept, i + reach + 1)):
                if j == i:
                    continue
                state = draw_noise_words(cum_table, guide, state, negatives)
                step_loss, likelihood = _sg_step(syn0, syn1, syn1neg, kept[j], kept[i], codes, points, code_starts,
                                                 negatives, alpha, neu1e, compute_loss, likelihood,
                                                 max_score)  # fmt: skip
                loss += step_loss
                pairs += 1
    if compute_loss:
        loss -= math.log(likelihood)
    return effective_words, pairs, loss, state


@njit(nogil=True, fastmath=True, error_model="numpy", cache=True)
def train_sentences_cbow(tokens, sentence_starts, syn0, syn1, syn1neg, sample_int, cum_table, guide, codes, points,
                         code_starts, window, negative, alpha, state, subsample_words, shrink_windows, compute_loss,
                         cbow_mean, max_score=np.inf):  # fmt: skip
    """:func:`.hs_numpy.train_sentences_cbow`, compiled (``guide``, ``cum_table``, ``syn1neg`` as in
    :func:`train_sentences_sg`).

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
            state = draw_noise_words(cum_table, guide, state, negatives)
            step_loss, likelihood = _cbow_step(syn0, syn1, syn1neg, kept, first, end, i, codes, points, code_starts,
                                               negatives, alpha, cbow_mean, hidden, work, compute_loss, likelihood,
                                               max_score)  # fmt: skip
            loss += step_loss
            examples += 1
    if compute_loss:
        loss -= math.log(likelihood)
    return effective_words, examples, loss, state
