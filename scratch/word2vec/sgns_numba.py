"""Skip-gram with negative sampling, the fast way: the same loops, compiled by numba.

Read :mod:`scratch.word2vec.sgns_numpy` first; this module is that algorithm with every
vector operation written as an explicit loop over the dimensions, so that numba (LLVM)
compiles it to SIMD code, and with the GIL released (``nogil=True``) so that several
Python threads train at once on different parts of the corpus, all writing into the
same ``syn0`` and ``syn1neg`` without locks. That is "Hogwild!" (Recht et al. 2011), as
in word2vec.c and gensim: each update touches a few rows, so collisions are rare and
harmless.

The random stream, the pairs, the noise words, the sigmoid and the loss are those of the
NumPy path. Three things differ only in how fast they are computed:

* **Noise draws** use a guide table (:func:`noise_guide`) to jump close to the answer
  before the binary search of ``cum_table``; the drawn word is the same.
* **The loss** multiplies the probabilities of the correct labels and takes one log
  when the product gets small, instead of one ``log1p`` per output word; the sum of
  logs is the same to ~1e-13.
* **Prefetching**: a step first asks the CPU for all the rows it is about to use
  (:mod:`scratch.word2vec.prefetch`), so that their loads from memory overlap; with two
  threads on the 4 M-word corpus slice this trains about 1.5x more words per CPU-second.

The loops are compiled with ``error_model="numpy"``: a division by zero, possible only
once training has diverged to NaN (a learning rate far too large), gives NaN as in NumPy
instead of raising ``ZeroDivisionError`` from inside the loop, and the trainer stops with
a clear error (:class:`.settings.TrainingDivergedError`). With ``NUMBA_DISABLE_JIT=1``
they run as plain Python, slowly, with the same results.

``tests/test_word2vec_training.py`` checks that both paths give the same update for the
same pairs, noise words and learning rate, and the same vectors after training on the
same sentences with one thread.
"""

from __future__ import annotations

import math

import numpy as np
from numba import config, njit

from ..numba_cache import cached_njit
from .hs_numba import hs_sg_step
from .prefetch import prefetch_row
from .sgns_numpy import LCG_INCREMENT, LCG_MASK, LCG_MULTIPLIER

_MULTIPLIER = np.uint64(LCG_MULTIPLIER)
_INCREMENT = np.uint64(LCG_INCREMENT)
_MASK = np.uint64(LCG_MASK)
_SHIFT = np.uint64(16)

GUIDE_SHIFT = 15  # guide buckets of 2**15 consecutive noise values: 65536 buckets for 2**31
_GUIDE_SHIFT = np.uint64(GUIDE_SHIFT)
_LIKELIHOOD_FLOOR = 1e-100  # take the log of the running product before it can underflow


def noise_guide(cum_table: np.ndarray) -> np.ndarray:
    """For each bucket ``b`` of noise values, the first word whose cumulative value reaches ``b << 15``.

    A value ``v`` of bucket ``b = v >> 15`` is drawn as the first index whose
    ``cum_table`` entry is ``>= v``; that index lies in ``[guide[b], guide[b + 1]]``, a
    range of a word or two for frequent words, so the binary search is short.
    """
    buckets = (int(cum_table[-1]) >> GUIDE_SHIFT) + 2
    starts = np.arange(buckets, dtype=np.uint64) << np.uint64(GUIDE_SHIFT)
    guide = np.searchsorted(cum_table, starts, side="left")
    return np.minimum(guide, len(cum_table) - 1).astype(np.int32)


@njit(error_model="numpy", inline="always")
def _next_random_compiled(state):
    # uint64 arithmetic wraps modulo 2**64, which keeps the result modulo 2**48 right.
    return (state * _MULTIPLIER + _INCREMENT) & _MASK


def _next_random_interpreted(state):
    """The same step in Python integers: NumPy's uint64 scalars warn about the wrap-around the step relies on."""
    return np.uint64((int(state) * LCG_MULTIPLIER + LCG_INCREMENT) & LCG_MASK)


# NUMBA_DISABLE_JIT=1 runs these loops as plain Python (see :mod:`.prefetch`).
_next_random = _next_random_interpreted if config.DISABLE_JIT else _next_random_compiled


@njit(error_model="numpy", inline="always")
def _draw_noise_word(cum_table, guide, state):
    """``searchsorted(cum_table, (state >> 16) % cum_table[-1])``, starting from the guide."""
    value = (state >> _SHIFT) % np.uint64(cum_table[cum_table.shape[0] - 1])
    bucket = value >> _GUIDE_SHIFT
    lo = np.int64(guide[bucket])
    hi = np.int64(guide[bucket + 1])
    while lo < hi:
        mid = (lo + hi) >> 1
        if cum_table[mid] >= value:
            hi = mid
        else:
            lo = mid + 1
    return lo


@njit(error_model="numpy", inline="always")
def draw_noise_words(cum_table, guide, state, negatives):
    """Fill ``negatives`` with noise words, one draw each; returns the next state."""
    for d in range(negatives.shape[0]):
        negatives[d] = _draw_noise_word(cum_table, guide, state)
        state = _next_random(state)
    return state


@njit(error_model="numpy", inline="always")
def longest_sentence(sentence_starts):
    longest = 0
    for s in range(sentence_starts.shape[0] - 1):
        longest = max(longest, sentence_starts[s + 1] - sentence_starts[s])
    return longest


@njit(error_model="numpy", inline="always")
def subsample_sentence(tokens, start, end, sample_int, subsample, state, kept):
    """:func:`.sgns_numpy.subsample` of ``tokens[start:end]`` into ``kept``; returns (how many, state)."""
    n_kept = 0
    for position in range(start, end):
        word = tokens[position]
        if subsample:
            draw = state >> _SHIFT
            state = _next_random(state)
            if sample_int[word] < draw:
                continue
        kept[n_kept] = word
        n_kept += 1
    return n_kept, state


@njit(error_model="numpy", inline="always")
def reduced_window(window, shrink_windows, state):
    """The reach of one center word's window, ``window - b`` with ``b`` drawn from [0, window); returns (reach, state)."""
    reduce = 0
    if shrink_windows:
        reduce = np.int64((state >> _SHIFT) % np.uint64(window))
        state = _next_random(state)
    return window - reduce, state


@njit(error_model="numpy", inline="always")
def output_target(center, negatives, d):
    """The ``d``-th output word of a negative-sampling step: the center (``d == 0``), then noise word
    ``d - 1``, or -1 for a noise word that is the center (left out, as in word2vec.c and gensim)."""
    if d == 0:
        return np.int64(center)
    target = np.int64(negatives[d - 1])
    return np.int64(-1) if target == center else target


@njit(fastmath=True, error_model="numpy", inline="always")
def output_word_update(hidden, row, is_center, alpha, gradient, compute_loss, likelihood, max_score):
    """Score the input vector ``hidden`` against one output ``row`` (label 1 for the center
    word, 0 for a noise word), add ``g * row`` to ``gradient`` and ``g * hidden`` to ``row``.

    Returns (loss taken out of the running likelihood, the running likelihood).
    """
    size = hidden.shape[0]
    f = np.float32(0.0)
    for k in range(size):
        f += hidden[k] * row[k]
    exp_minus_f = math.exp(-np.float64(f))
    sigmoid = 1.0 / (1.0 + exp_minus_f)
    if is_center:
        g = np.float32((1.0 - sigmoid) * alpha)
        probability = sigmoid  # of label 1
    else:
        g = np.float32(-sigmoid * alpha)
        probability = exp_minus_f * sigmoid  # of label 0: 1 - sigmoid(f) = sigmoid(-f)
    loss = 0.0
    if compute_loss:
        likelihood *= probability
        if likelihood < _LIKELIHOOD_FLOOR:
            loss = -math.log(likelihood)
            likelihood = 1.0
    if f >= max_score or f <= -max_score:  # gensim's saturation rule, when asked for
        return loss, likelihood
    for k in range(size):
        gradient[k] += g * row[k]
    for k in range(size):
        row[k] += g * hidden[k]
    return loss, likelihood


@njit(fastmath=True, error_model="numpy", inline="always")
def _sgns_step(syn0, syn1neg, context, center, negatives, alpha, neu1e, compute_loss, likelihood, max_score,
               lockf=None):  # fmt: skip
    """:func:`scratch.word2vec.sgns_numpy.sgns_step` with explicit loops.

    ``lockf`` (gensim's ``vectors_lockf``, indexed by word modulo its length) scales the context
    word's update (0 freezes the row); without it (``None``: compiled out) the update is added
    as it is.

    Returns (loss taken out of the running likelihood, the running likelihood).
    """
    size = syn0.shape[1]
    prefetch_row(syn0, context)  # ask for every row this step touches before using any
    prefetch_row(syn1neg, center)
    for d in range(negatives.shape[0]):
        prefetch_row(syn1neg, negatives[d])
    l1 = syn0[context]
    for k in range(size):
        neu1e[k] = 0.0
    loss = 0.0
    for d in range(negatives.shape[0] + 1):
        target = output_target(center, negatives, d)
        if target < 0:
            continue
        # output_word_update(l1, syn1neg[target], ...) written out: calling it here measured
        # about 20% slower (numba/LLVM optimise the inlined loop better).
        row = syn1neg[target]
        f = np.float32(0.0)
        for k in range(size):
            f += l1[k] * row[k]
        exp_minus_f = math.exp(-np.float64(f))
        sigmoid = 1.0 / (1.0 + exp_minus_f)
        if d == 0:
            g = np.float32((1.0 - sigmoid) * alpha)
            probability = sigmoid  # of label 1
        else:
            g = np.float32(-sigmoid * alpha)
            probability = exp_minus_f * sigmoid  # of label 0: 1 - sigmoid(f) = sigmoid(-f)
        if compute_loss:
            likelihood *= probability
            if likelihood < _LIKELIHOOD_FLOOR:
                loss -= math.log(likelihood)
                likelihood = 1.0
        if f >= max_score or f <= -max_score:
            continue
        for k in range(size):
            neu1e[k] += g * row[k]
        for k in range(size):
            row[k] += g * l1[k]
    if lockf is None:
        for k in range(size):
            l1[k] += neu1e[k]
    else:
        lock = lockf[context % lockf.shape[0]]
        for k in range(size):
            l1[k] += lock * neu1e[k]
    return loss, likelihood


@cached_njit(nogil=True, fastmath=True, error_model="numpy")
def sgns_steps(syn0, syn1neg, contexts, centers, negatives, alphas, compute_loss, max_score=np.inf):
    """Apply the step to given pairs in order (``negatives[p]`` are pair p's noise words); returns the loss.

    The agreement test's entry point; :func:`train_sentences` calls the same step.
    """
    neu1e = np.empty(syn0.shape[1], dtype=syn0.dtype)
    loss = 0.0
    likelihood = 1.0
    for p in range(contexts.shape[0]):
        step_loss, likelihood = _sgns_step(
            syn0, syn1neg, contexts[p], centers[p], negatives[p], alphas[p], neu1e, compute_loss, likelihood, max_score
        )
        loss += step_loss
    return loss - math.log(likelihood)


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
    syn1=None,
    codes=None,
    points=None,
    code_starts=None,
):
    """:func:`scratch.word2vec.sgns_numpy.train_sentences`, compiled (plus the noise ``guide``):
    the one skip-gram corpus loop, for negative sampling, hierarchical softmax or both.

    Each (context, center) pair gets, as in gensim's ``train_batch_sg``, first (with ``syn1``,
    ``hs=1``) the hierarchical-softmax step on the center word's path in the Huffman tree
    (``codes``, ``points``, ``code_starts``: a :class:`.huffman.HuffmanTree`'s arrays,
    :func:`.hs_numba.hs_sg_step`), then (with ``negative > 0``) ``negative`` noise words and the
    negative-sampling step on ``syn1neg``, starting from the input vector the first step changed.
    With ``negative == 0`` neither ``syn1neg``, ``cum_table`` nor ``guide`` is read; without
    ``syn1`` the tree is not read and the loop is the plain negative-sampling one.

    ``lockf`` (gensim's ``wv.vectors_lockf``, float32, indexed by word modulo its length)
    scales each update of a context word's vector; ``None`` (the default) is 1 for every word.

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
                if syn1 is not None:  # hierarchical softmax (hs=1)
                    center = kept[i]
                    lock = np.float32(1.0) if lockf is None else lockf[kept[j] % lockf.shape[0]]
                    step_loss, likelihood = hs_sg_step(syn0, syn1, kept[j], codes, points, code_starts[center],
                                                       code_starts[center + 1], alpha, neu1e, compute_loss,
                                                       likelihood, max_score, lock)  # fmt: skip
                    loss += step_loss
                if negative > 0:
                    # draw_noise_words(...) written out: calling it here measured about 6% slower.
                    for d in range(negative):
                        negatives[d] = _draw_noise_word(cum_table, guide, state)
                        state = _next_random(state)
                    step_loss, likelihood = _sgns_step(syn0, syn1neg, kept[j], kept[i], negatives, alpha, neu1e,
                                                       compute_loss, likelihood, max_score, lockf)  # fmt: skip
                    loss += step_loss
                pairs += 1
    if compute_loss:
        loss -= math.log(likelihood)
    return effective_words, pairs, loss, state
