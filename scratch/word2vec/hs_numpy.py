"""Hierarchical softmax (``hs=1``), the readable way: the output layer, one SGD step in NumPy.

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
words' vectors (CBOW, :func:`.cbow_numpy.hs_cbow_step`). One step per node, as gensim's
``w2v_fast_sentence_sg_hs`` and ``w2v_fast_sentence_cbow_hs`` (``word2vec_inner.pyx``):

    f = hidden . syn1[n]
    g = (1 - code - sigmoid(f)) * alpha
    neu1e += g * syn1[n]          (the input side's gradient, accumulated)
    syn1[n] += g * hidden         (the node's vector, updated right away)

then ``neu1e`` is added to the input vector (skip-gram) or to every context word's vector
(CBOW; divided by their number when ``hidden`` is their sum, ``cbow_mean=0``).

The corpus loops are those of the architectures, :func:`.sgns_numpy.train_sentences` and
:func:`.cbow_numpy.train_sentences`: with ``hs=1`` and ``negative > 0`` gensim trains both
output layers (``syn1`` and ``syn1neg``) on every example, one after the other: first the
hierarchical-softmax step, whose change to the input vectors is applied at once, then the
negative-sampling step starting from the changed vectors (``train_batch_sg``/
``train_batch_cbow``). The tree needs no random numbers, so the random stream is negative
sampling's alone.

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
    lock: float = 1.0,
) -> float:
    """One skip-gram step: ``syn0[context]`` predicts the center word whose path is (``code``,
    ``point``); its change is scaled by ``lock`` (gensim's ``vectors_lockf``); returns the loss.
    gensim's ``w2v_fast_sentence_sg_hs``."""
    l1 = syn0[context]  # a view: the context word's input vector
    neu1e, loss = path_update(l1, code, point, syn1, alpha, compute_loss, max_score)
    l1 += np.float32(lock) * neu1e
    return loss
