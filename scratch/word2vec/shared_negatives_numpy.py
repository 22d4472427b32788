"""Skip-gram with negative sampling, noise words shared by a window: the readable step.

Read :mod:`scratch.word2vec.sgns_numpy` first: the model, the objective and the pairs are
the same. word2vec.c (and gensim, and :mod:`.sgns_numpy`) trains one (context, center)
pair at a time and draws ``negative`` fresh noise words for every pair. Ji et al. 2016
("Parallelizing Word2Vec in Shared and Distributed Memory", Intel's pWord2Vec, the scheme
they call HogBatch) draw the noise words **once per center word** and use them for every
context word of its window. Then the window's work is three small matrix products:

    X = syn0[contexts]                  (C, d)      the window's context words, inputs
    Y = syn1neg[[center] + negatives]   (1 + k, d)  the shared outputs: label 1, then k 0s
    F = X @ Y.T                         (C, 1 + k)  every score of the window at once
    G = (labels - sigmoid(F)) * alpha   (C, 1 + k)  gradient of the log-likelihood, times the rate
    syn0[contexts]   += G @ Y           (C, d)
    syn1neg[outputs] += G.T @ X         (1 + k, d)

BlazingText (Gupta & Khare 2017) runs the same scheme on GPUs. Written as matrix products,
a CPU's vector units or a GPU's cores do the window in a few large operations instead of
``C * (1 + k)`` dot products each followed by an update.

What sharing changes, against word2vec.c's per-pair sampling:

* The ``C`` pairs of a window see the **same** noise words, so their negative terms are
  correlated: fewer independent noise samples per epoch (``k`` per window instead of ``k``
  per pair), a noisier estimate of the same expected gradient.
* Every update of the window is computed from the vectors **as they were before the
  window** and the updates are summed (``np.add.at``): the second pair no longer sees the
  first pair's change to the center's output vector. A context word that occurs twice in
  the window gets both updates, summed; so does an output word drawn twice.
* Fewer random draws: ``k`` per window instead of ``k`` per pair.

What it does not change: each pair still has one positive example and ``k`` noise words
drawn from the same ``count ** 0.75`` table, so each pair's term of the objective and the
expected gradient are those of per-pair sampling (the expectation of a sum of pair terms
does not depend on whether their noise words are shared). Subsampling, the reduced
windows, the learning rate schedule and the loss (``-log sigmoid`` of every used score)
are word2vec.c's. As in word2vec.c and gensim, a noise word that *is* the center takes no
part: its column of ``G`` is zero and its loss is not counted.

The random stream is :class:`.sgns_numpy.RandomStream`, drawn in this order: once per
word for subsampling, once per center word for its window, then ``k`` noise words for a
center that has at least one context word (a center alone in its sentence draws none).
The numba loop (:mod:`.shared_negatives_numba`) walks a corpus the same way, so with one
thread both see the same windows and the same noise words.
"""

from __future__ import annotations

import math

import numpy as np

from .sgns_numpy import RandomStream, kept_sentences, noise_words, reduced_window


def window_contexts(words: list[int], i: int, reach: int) -> list[int]:
    """The context words of center ``words[i]``: its neighbours within ``reach`` each side, left to right."""
    return [words[j] for j in range(max(0, i - reach), min(len(words), i + reach + 1)) if j != i]


def window_step(
    syn0: np.ndarray,
    syn1neg: np.ndarray,
    contexts: np.ndarray,
    center: int,
    negatives: np.ndarray,
    alpha: float,
    compute_loss: bool = True,
    max_score: float = math.inf,
    locks: np.ndarray | None = None,
) -> float:
    """One SGD step on a window: every (context, ``center``) pair with the shared ``negatives``.

    ``G = (labels - sigmoid(X @ Y.T)) * alpha``, then ``syn0[contexts] += locks * (G @ Y)``
    and ``syn1neg[outputs] += G.T @ X`` (see the module docstring), all from the vectors as
    they were before the step; rows that occur more than once get their updates summed.
    ``locks`` (one entry of gensim's ``vectors_lockf`` per context word; ``None``: all 1)
    scales each context word's update, 0 freezing it. A score ``|f| >= max_score`` takes no
    part in the update (gensim's ``MAX_EXP`` rule with ``sgns_numpy.GENSIM_MAX_EXP``); the
    loss still counts it.

    Returns the window's loss, ``sum over pairs of -log sigmoid(f_center) - sum over used
    noise words of log sigmoid(-f_noise)``, in float64 (0.0 without ``compute_loss``).
    """
    contexts = np.asarray(contexts, dtype=np.int64)
    outputs = np.concatenate([[center], np.asarray(negatives, dtype=np.int64)])
    labels = np.zeros(len(outputs), dtype=np.float64)
    labels[0] = 1.0
    used = np.concatenate([[True], outputs[1:] != center])  # a noise word equal to the center is left out
    x = syn0[contexts]  # copies: the whole step reads the old rows
    y = syn1neg[outputs]
    scores = (x @ y.T).astype(np.float64)  # (C, 1 + k)
    # A score below -709.8 overflows exp to inf: a probability of 0, an infinite loss, which the
    # trainer reports as divergence (the sigmoid itself is then exactly 0, as it should be).
    with np.errstate(over="ignore"):
        exp_minus_scores = np.exp(-scores)
    probability_of_1 = 1.0 / (1.0 + exp_minus_scores)
    g = ((labels - probability_of_1) * alpha * (used & (np.abs(scores) < max_score))).astype(np.float32)
    input_update = g @ y  # (C, d)
    if locks is not None:
        input_update *= np.asarray(locks, dtype=np.float32)[:, None]
    np.add.at(syn0, contexts, input_update)
    np.add.at(syn1neg, outputs, g.T @ x)
    if not compute_loss:
        return 0.0
    # -log sigmoid(f) for label 1 and -log sigmoid(-f) for label 0, as log1p(exp(-f)) (+ f): finite
    terms = np.log1p(exp_minus_scores) + scores * (1.0 - labels)
    return float(terms[:, used].sum())


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
    max_score: float = math.inf,
    lockf: np.ndarray | None = None,
) -> tuple[int, int, float, int]:
    """Train on sentences ``tokens[sentence_starts[s]:sentence_starts[s + 1]]`` one window at a time.

    Each sentence is subsampled (:func:`.sgns_numpy.subsample`); each center word draws its
    reduced window (:func:`.sgns_numpy.reduced_window`), and, when it has context words,
    ``negative`` noise words (:func:`.sgns_numpy.noise_words`) for a :func:`window_step`.
    ``lockf``: gensim's ``wv.vectors_lockf`` (indexed by word modulo its length; ``None``: 1).

    Returns (words trained on after subsampling, (context, center) pairs, summed loss, next
    random state), as :func:`.sgns_numpy.train_sentences`.
    """
    rng = RandomStream(state)
    effective_words = pairs = 0
    loss = 0.0
    for kept in kept_sentences(tokens, sentence_starts, sample_int, rng if subsample_words else None):
        effective_words += len(kept)
        for i, center in enumerate(kept):
            contexts = window_contexts(kept, i, reduced_window(window, rng if shrink_windows else None))
            if not contexts:
                continue
            negatives = noise_words(cum_table, negative, rng)
            locks = None if lockf is None else lockf[np.asarray(contexts) % len(lockf)]
            loss += window_step(syn0, syn1neg, np.asarray(contexts), center, negatives, alpha, compute_loss,
                                max_score, locks)  # fmt: skip
            pairs += len(contexts)
    return effective_words, pairs, loss, rng.state
