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
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from .sgns_numpy import RandomStream, kept_sentences, noise_words, output_words_update, reduced_window


def cbow_windows(words: list[int], window: int, rng: RandomStream | None) -> Iterator[tuple[list[int], int]]:
    """(context words, center) for each center word: the words of its reduced window.

    The window is drawn as in :func:`.sgns_numpy.skipgram_pairs` (``rng=None``: always the full
    window); lazily, so that a caller's noise draws for one center come before the next window's.
    """
    for i, center in enumerate(words):
        reach = reduced_window(window, rng)
        yield [words[j] for j in range(max(0, i - reach), min(len(words), i + reach + 1)) if j != i], center


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
) -> float:
    """One SGD step: the context words (together) predict ``center``; returns the loss.

        h = syn0[contexts].mean(0)                  (or .sum(0) without cbow_mean)
        for target, label in (center, 1), (noise word, 0) ...:
            f = h . syn1neg[target]
            g = (label - sigmoid(f)) * alpha
            work += g * syn1neg[target]
            syn1neg[target] += g * h
        syn0[c] += work for each context word c     (work / len(contexts) without cbow_mean)

    A noise word equal to the center is skipped, as in skip-gram. The loss is
    ``-log sigmoid(f_center) - sum log sigmoid(-f_noise)``, computed stably.
    ``max_score``: gensim's saturation rule, as in :func:`.sgns_numpy.sgns_step`.
    """
    hidden = syn0[contexts].sum(axis=0)  # float32, like the numba loop's accumulation
    if cbow_mean:
        hidden /= np.float32(len(contexts))
    work, loss = output_words_update(hidden, center, negatives, syn1neg, alpha, compute_loss, max_score)
    if not cbow_mean:
        work /= np.float32(len(contexts))
    for context in contexts:
        syn0[context] += work
    return loss


def train_sentences(
    tokens: np.ndarray,
    sentence_starts: np.ndarray,
    syn0: np.ndarray,
    syn1neg: np.ndarray,
    sample_int: np.ndarray,
    cum_table: np.ndarray,
    window: int,
    negative: int,
    alpha: float,
    state: int,
    subsample_words: bool = True,
    shrink_windows: bool = True,
    compute_loss: bool = True,
    cbow_mean: bool = True,
    max_score: float = math.inf,
) -> tuple[int, int, float, int]:
    """CBOW over sentences ``tokens[sentence_starts[s]:sentence_starts[s + 1]]``, like
    :func:`.sgns_numpy.train_sentences`. Returns (words trained on after subsampling,
    center words trained, summed loss, next random state)."""
    rng = RandomStream(state)
    effective_words = examples = 0
    loss = 0.0
    for kept in kept_sentences(tokens, sentence_starts, sample_int, rng if subsample_words else None):
        effective_words += len(kept)
        for contexts, center in cbow_windows(kept, window, rng if shrink_windows else None):
            if not contexts:
                continue
            negatives = noise_words(cum_table, negative, rng)
            loss += cbow_step(syn0, syn1neg, contexts, center, negatives, alpha, cbow_mean, compute_loss, max_score)
            examples += 1
    return effective_words, examples, loss, rng.state
