"""Continuous bag of words (CBOW) with negative sampling, the readable way.

The other word2vec architecture (Mikolov et al. 2013, "Efficient Estimation of Word
Representations in Vector Space"), and gensim's default (``sg=0``): instead of each
neighbour predicting the center word on its own (skip-gram, :mod:`.sgns_numpy`), the
neighbours predict it *together*. For the center word ``i`` and the context words ``c``
inside its (randomly shrunk) window:

    h = mean of syn0[c]                 (the sum, with cbow_mean=0)
    maximise  log sigmoid(h . syn1neg[center]) + sum_n log sigmoid(-h . syn1neg[n])

One step per center word instead of one per (neighbour, center) pair makes CBOW about
``2 * window`` times cheaper than skip-gram; the book's song recommender (window 20)
uses it. The gradient with respect to ``h`` is added to *every* context word's input
vector (not divided among them when ``h`` is the mean, as in word2vec.c and gensim's
``w2v_fast_sentence_cbow_neg``; with ``cbow_mean=0`` it is divided by their number).

Random numbers, subsampling, reduced windows and noise words are those of skip-gram
(:mod:`.sgns_numpy`): per center word one window draw, then ``negative`` noise draws.
A center word left without context words (a sentence of one word after subsampling)
is skipped. :mod:`.cbow_numba` is the compiled twin; a test checks that both make the
same updates.

Hierarchical softmax (``hs=1``, :mod:`.hs_numpy`) is the other output layer: the same
context average predicts the center word's path in the Huffman tree (:func:`hs_cbow_step`).
:func:`train_sentences` is the one CBOW corpus loop for both layers (gensim's
``train_batch_cbow``: ``if hs: ...`` then ``if negative: ...`` per center word).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np

from .hs_numpy import path_update
from .sgns_numpy import RandomStream, kept_sentences, noise_words, output_words_update, reduced_window


def cbow_windows(words: list[int], window: int, rng: RandomStream | None) -> Iterator[tuple[list[int], int]]:
    """(context words, center) for each center word: the words of its reduced window.

    The window is drawn as in :func:`.sgns_numpy.skipgram_pairs` (``rng=None``: always the full
    window); lazily, so that a caller's noise draws for one center come before the next window's.
    """
    for i, center in enumerate(words):
        reach = reduced_window(window, rng)
        yield [words[j] for j in range(max(0, i - reach), min(len(words), i + reach + 1)) if j != i], center


def context_update(
    syn0: np.ndarray,
    contexts: list[int],
    cbow_mean: bool,
    output_side: Callable[[np.ndarray], tuple[np.ndarray, float]],
    lockf: np.ndarray | None = None,
) -> float:
    """One CBOW step with a given output layer; returns its loss.

        h = syn0[contexts].mean(0)                  (or .sum(0) without cbow_mean)
        work, loss = output_side(h)                 (updates the output vectors, returns dloss/dh * -alpha)
        syn0[c] += lockf[c] * work for each context word c     (work / len(contexts) without cbow_mean)

    ``output_side`` is negative sampling's (:func:`cbow_step`) or hierarchical softmax's
    (:func:`hs_cbow_step`); ``lockf`` is gensim's ``vectors_lockf`` (``None``: 1 for all).
    """
    hidden = syn0[contexts].sum(axis=0)  # float32, like the numba loop's accumulation
    if cbow_mean:
        hidden /= np.float32(len(contexts))
    work, loss = output_side(hidden)
    if not cbow_mean:
        work /= np.float32(len(contexts))
    for context in contexts:
        if lockf is None:
            syn0[context] += work
        else:
            syn0[context] += lockf[context % len(lockf)] * work
    return loss


def cbow_step(
    syn0: np.ndarray,
    syn1neg: np.ndarray,
    contexts: list[int],
    center: int,
    negatives: np.ndarray,
    alpha: float,
    cbow_mean: bool = True,
    compute_loss: bool = True,
    max_score: float = math.inf,
    lockf: np.ndarray | None = None,
) -> float:
    """One negative-sampling step: the context words (together) predict ``center``; returns the loss.

    The output side (:func:`.sgns_numpy.output_words_update`), for the center (label 1) and
    each noise word (label 0):

        f = h . syn1neg[target]
        g = (label - sigmoid(f)) * alpha
        work += g * syn1neg[target]
        syn1neg[target] += g * h

    A noise word equal to the center is skipped, as in skip-gram. The loss is
    ``-log sigmoid(f_center) - sum log sigmoid(-f_noise)``, computed stably.
    ``max_score``: gensim's saturation rule, as in :func:`.sgns_numpy.sgns_step`.
    gensim's ``w2v_fast_sentence_cbow_neg``.
    """
    return context_update(syn0, contexts, cbow_mean, lambda hidden: output_words_update(
        hidden, center, negatives, syn1neg, alpha, compute_loss, max_score), lockf)  # fmt: skip


def hs_cbow_step(
    syn0: np.ndarray,
    syn1: np.ndarray,
    contexts: list[int],
    code: np.ndarray,
    point: np.ndarray,
    alpha: float,
    cbow_mean: bool = True,
    compute_loss: bool = True,
    max_score: float = math.inf,
    lockf: np.ndarray | None = None,
) -> float:
    """One hierarchical-softmax step: the context words together predict the center word whose
    path is (``code``, ``point``) (:func:`.hs_numpy.path_update`); returns the loss. gensim's
    ``w2v_fast_sentence_cbow_hs``."""
    return context_update(syn0, contexts, cbow_mean, lambda hidden: path_update(
        hidden, code, point, syn1, alpha, compute_loss, max_score), lockf)  # fmt: skip


def train_sentences(
    tokens: np.ndarray,
    sentence_starts: np.ndarray,
    syn0: np.ndarray,
    syn1neg: np.ndarray | None,
    sample_int: np.ndarray,
    cum_table: np.ndarray | None,
    window: int,
    negative: int,
    alpha: float,
    state: int,
    subsample_words: bool = True,
    shrink_windows: bool = True,
    compute_loss: bool = True,
    cbow_mean: bool = True,
    max_score: float = math.inf,
    lockf: np.ndarray | None = None,
    syn1: np.ndarray | None = None,
    codes: np.ndarray | None = None,
    points: np.ndarray | None = None,
    code_starts: np.ndarray | None = None,
) -> tuple[int, int, float, int]:
    """CBOW over sentences ``tokens[sentence_starts[s]:sentence_starts[s + 1]]``, like
    :func:`.sgns_numpy.train_sentences`: each center word with context words gets (with
    ``syn1``, ``hs=1``) a :func:`hs_cbow_step` on its path, then (with ``negative > 0``) noise
    words and a :func:`cbow_step` from the context vectors the first step changed.

    Returns (words trained on after subsampling, center words trained, summed loss, next random state).
    """
    rng = RandomStream(state)
    effective_words = examples = 0
    loss = 0.0
    for kept in kept_sentences(tokens, sentence_starts, sample_int, rng if subsample_words else None):
        effective_words += len(kept)
        for contexts, center in cbow_windows(kept, window, rng if shrink_windows else None):
            if not contexts:
                continue
            if syn1 is not None:
                path = slice(code_starts[center], code_starts[center + 1])
                loss += hs_cbow_step(syn0, syn1, contexts, codes[path], points[path], alpha, cbow_mean, compute_loss,
                                     max_score, lockf)  # fmt: skip
            if negative:
                negatives = noise_words(cum_table, negative, rng)
                loss += cbow_step(syn0, syn1neg, contexts, center, negatives, alpha, cbow_mean, compute_loss,
                                  max_score, lockf)  # fmt: skip
            examples += 1
    return effective_words, examples, loss, rng.state
