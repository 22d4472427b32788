"""Hierarchical softmax (``hs=1``), the readable way: one SGD step in NumPy, skip-gram and CBOW.

Read :mod:`.sgns_numpy` first: the pairs, windows, subsampling and random stream are the
same; only the output side differs. Negative sampling scores the input vector against the
center word's output vector and a few noise words. Hierarchical softmax instead walks the
center word's path in gensim's Huffman tree (:mod:`.huffman`): at each inner node ``n`` of
the path a logistic unit with output vector ``syn1[n]`` predicts the turn taken there,
label ``1 - code``. The probability of the word is the product of the turns' probabilities,
and its loss

    -log p(center | hidden) = sum over the path of -log sigmoid((1 - 2 code) * hidden . syn1[n])

where ``hidden`` is the context word's input vector (skip-gram: the **context** word
predicts the **center** word, as in :mod:`.sgns_numpy`) or the mean (or sum) of the context
words' vectors (CBOW, as in :mod:`.cbow_numpy`). One step per node, as gensim's
``w2v_fast_sentence_sg_hs`` and ``w2v_fast_sentence_cbow_hs`` (``word2vec_inner.pyx``):

    f = hidden . syn1[n]
    g = (1 - code - sigmoid(f)) * alpha
    neu1e += g * syn1[n]          (the input side's gradient, accumulated)
    syn1[n] += g * hidden         (the node's vector, updated right away)

then ``neu1e`` is added to the input vector (skip-gram) or to every context word's vector
(CBOW; divided by their number when ``hidden`` is their sum, ``cbow_mean=0``).

With ``hs=1`` and ``negative > 0`` gensim trains both output layers (``syn1`` and
``syn1neg``) on every example, one after the other: first the hierarchical-softmax step,
whose change to the input vectors is applied at once, then the negative-sampling step
starting from the changed vectors (``train_batch_sg``/``train_batch_cbow``). The corpus
loops here do the same; the tree needs no random numbers, so the random stream is
negative sampling's alone.

As in :mod:`.sgns_numpy` the logistic function is exact, not gensim's 1000-entry table,
and the loss of every node is counted (gensim's loss leaves out a node whose score is
beyond +-6, as it leaves out its update). ``max_score=GENSIM_MAX_EXP`` applies gensim's
rule of skipping the update of such a node (``if f_dot <= -MAX_EXP or f_dot >= MAX_EXP:
continue``); the default, no limit, is word2vec.c's behaviour.

:mod:`.hs_numba` is the compiled twin; ``tests/test_word2vec_hs.py`` checks that both make
the same updates and that the step is the gradient of the loss above.
"""

from __future__ import annotations

import math

import numpy as np

from .cbow_numpy import cbow_step, cbow_windows
from .sgns_numpy import RandomStream, kept_sentences, noise_words, sgns_step, skipgram_pairs


def sigmoid(x: float) -> float:
    """The logistic function, without overflow for large negative ``x``."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def minus_log_sigmoid(x: float) -> float:
    """``-log sigmoid(x) = log(1 + exp(-x))``, finite for every finite ``x``."""
    return float(np.logaddexp(0.0, -x))


def path_update(hidden: np.ndarray, code: np.ndarray, point: np.ndarray, syn1: np.ndarray, alpha: float,
                compute_loss: bool, max_score: float) -> tuple[np.ndarray, float]:  # fmt: skip
    """The output side of one step, shared by skip-gram and CBOW: walk the path, update each
    node's vector right away, and return the gradient accumulated for ``hidden`` and the loss.

    ``code`` and ``point`` are the center word's path (:meth:`.huffman.HuffmanTree.code`,
    :meth:`.huffman.HuffmanTree.point`).
    """
    neu1e = np.zeros_like(hidden)
    loss = 0.0
    for turn, node in zip(code, point):
        row = syn1[node]  # a view: updated in place
        f = float(np.dot(hidden, row))
        g = np.float32((1.0 - turn - sigmoid(f)) * alpha)
        if compute_loss:
            loss += minus_log_sigmoid(f if turn == 0 else -f)
        if abs(f) >= max_score:
            continue
        neu1e += g * row
        row += g * hidden
    return neu1e, loss


def hs_sg_step(
    syn0: np.ndarray,
    syn1: np.ndarray,
    context: int,
    code: np.ndarray,
    point: np.ndarray,
    alpha: float,
    compute_loss: bool = True,
    max_score: float = math.inf,
) -> float:
    """One skip-gram step: ``syn0[context]`` predicts the center word whose path is (``code``,
    ``point``); returns the loss. gensim's ``w2v_fast_sentence_sg_hs``."""
    l1 = syn0[context]  # a view: the context word's input vector
    neu1e, loss = path_update(l1, code, point, syn1, alpha, compute_loss, max_score)
    l1 += neu1e
    return loss


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
) -> float:
    """One CBOW step: the context words together predict the center word whose path is
    (``code``, ``point``); returns the loss. gensim's ``w2v_fast_sentence_cbow_hs``."""
    hidden = syn0[contexts].sum(axis=0)  # float32, like the numba loop's accumulation
    if cbow_mean:
        hidden /= np.float32(len(contexts))
    work, loss = path_update(hidden, code, point, syn1, alpha, compute_loss, max_score)
    if not cbow_mean:
        work /= np.float32(len(contexts))
    for context in contexts:
        syn0[context] += work
    return loss


def train_sentences_sg(
    tokens: np.ndarray,
    sentence_starts: np.ndarray,
    syn0: np.ndarray,
    syn1: np.ndarray,
    syn1neg: np.ndarray,
    sample_int: np.ndarray,
    cum_table: np.ndarray,
    codes: np.ndarray,
    points: np.ndarray,
    code_starts: np.ndarray,
    window: int,
    negative: int,
    alpha: float,
    state: int,
    subsample_words: bool = True,
    shrink_windows: bool = True,
    compute_loss: bool = True,
    max_score: float = math.inf,
) -> tuple[int, int, float, int]:
    """Skip-gram with hierarchical softmax over sentences ``tokens[sentence_starts[s]:sentence_starts[s + 1]]``.

    The pairs are those of :func:`.sgns_numpy.train_sentences`; each gets a
    :func:`hs_sg_step` on the center word's path (``codes``, ``points``, ``code_starts``: a
    :class:`.huffman.HuffmanTree`'s arrays), then, when ``negative > 0``, ``negative`` noise
    words and a :func:`.sgns_numpy.sgns_step` on ``syn1neg`` (with ``negative == 0``,
    ``syn1neg`` and ``cum_table`` are not read).

    Returns (words trained on after subsampling, pairs, summed loss, next random state).
    """
    rng = RandomStream(state)
    effective_words = pairs = 0
    loss = 0.0
    for kept in kept_sentences(tokens, sentence_starts, sample_int, rng if subsample_words else None):
        effective_words += len(kept)
        for context, center in skipgram_pairs(kept, window, rng if shrink_windows else None):
            path = slice(code_starts[center], code_starts[center + 1])
            loss += hs_sg_step(syn0, syn1, context, codes[path], points[path], alpha, compute_loss, max_score)
            if negative:
                negatives = noise_words(cum_table, negative, rng)
                loss += sgns_step(syn0, syn1neg, context, center, negatives, alpha, compute_loss, max_score)
            pairs += 1
    return effective_words, pairs, loss, rng.state


def train_sentences_cbow(
    tokens: np.ndarray,
    sentence_starts: np.ndarray,
    syn0: np.ndarray,
    syn1: np.ndarray,
    syn1neg: np.ndarray,
    sample_int: np.ndarray,
    cum_table: np.ndarray,
    codes: np.ndarray,
    points: np.ndarray,
    code_starts: np.ndarray,
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
    """CBOW with hierarchical softmax, like :func:`train_sentences_sg`: the center words and
    windows of :func:`.cbow_numpy.train_sentences` (a center word without context words is
    skipped), a :func:`hs_cbow_step`, then, when ``negative > 0``, a :func:`.cbow_numpy.cbow_step`.

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
            path = slice(code_starts[center], code_starts[center + 1])
            loss += hs_cbow_step(syn0, syn1, contexts, codes[path], points[path], alpha, cbow_mean, compute_loss,
                                 max_score)  # fmt: skip
            if negative:
                negatives = noise_words(cum_table, negative, rng)
                loss += cbow_step(syn0, syn1neg, contexts, center, negatives, alpha, cbow_mean, compute_loss, max_score)
            examples += 1
    return effective_words, examples, loss, rng.state
