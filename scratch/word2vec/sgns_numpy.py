"""Skip-gram with negative sampling, the readable way: one SGD step in NumPy.

This is the module to read. :mod:`scratch.word2vec.sgns_numba` is the same algorithm
written as explicit loops for numba, and a test checks that both make the same update.

The model (Mikolov et al. 2013, "Distributed Representations of Words and Phrases and
their Compositionality") has two matrices of shape ``(vocabulary, dimensions)``:

* ``syn0``, the *input* vectors: the word vectors we keep at the end (``model.wv``);
* ``syn1neg``, the *output* vectors, used only to score (input word, output word) pairs.

For every position ``i`` of a sentence and every neighbour ``j`` within the window, the
pair (context word ``j``, center word ``i``) is a positive example. Which vector predicts
which follows word2vec.c and gensim: the **context** word's input vector
``syn0[context]`` is trained to predict the **center** word's output vector
``syn1neg[center]``. The objective for one pair, with ``k`` noise words ``n`` drawn from
the unigram distribution raised to 3/4, is

    log sigmoid(syn0[context] . syn1neg[center]) + sum_n log sigmoid(-syn0[context] . syn1neg[n])

and one SGD step climbs its gradient with learning rate ``alpha`` (:func:`sgns_step`).
The loss we report is the negative of this objective, summed over pairs.

A sentence becomes training examples in three steps: :func:`subsample` drops frequent
words at random, :func:`skipgram_pairs` slides a (randomly shrunk) window over what is
left, and :func:`noise_words` draws the negatives of each pair. The random numbers come
from word2vec.c's linear congruential generator (the one ``java.util.Random`` uses,
:class:`RandomStream`), drawn as in gensim's ``word2vec_inner.pyx``: once per word for
subsampling, once per center word for its window, once per noise word.
:func:`train_sentences` walks a corpus with it; the numba loop walks it the same way, so
with one thread both paths see the same pairs and the same noise words.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator

import numpy as np

from .hs_numpy import hs_sg_step

# word2vec.c / java.util.Random: state' = state * 25214903917 + 11 (mod 2**48).
LCG_MULTIPLIER = 25214903917
LCG_INCREMENT = 11
LCG_MASK = (1 << 48) - 1

#: gensim's ``MAX_EXP``: it skips the update of an output word whose score is beyond +-6.
GENSIM_MAX_EXP = 6.0
EXP_OVERFLOW = math.log(sys.float_info.max)  # ~709.8: exp of a larger score is infinite in float64


def next_random(state: int) -> int:
    """Advance the generator. ``state >> 16`` (before advancing) is the 32-bit draw."""
    return (state * LCG_MULTIPLIER + LCG_INCREMENT) & LCG_MASK


class RandomStream:
    """word2vec.c's random numbers: a 48-bit state, each draw its top 32 bits."""

    def __init__(self, state: int):
        self.state = int(state) & LCG_MASK

    def next_u32(self) -> int:
        value = self.state >> 16
        self.state = next_random(self.state)
        return value

    def noise_word(self, cum_table: np.ndarray) -> int:
        """One noise word: see :func:`draw_noise_word`."""
        word, self.state = draw_noise_word(cum_table, self.state)
        return word


def draw_noise_word(cum_table: np.ndarray, state: int) -> tuple[int, int]:
    """Draw one noise word: the insertion point of a uniform integer in ``cum_table``.

    ``cum_table`` is the cumulative ``count ** 0.75`` table of
    :func:`scratch.word2vec.vocab.noise_cum_table`; the gap before entry ``w`` is word
    ``w``'s share, so ``searchsorted(..., side="left")`` lands on ``w`` with exactly
    that probability. Returns (word index, next state).
    """
    value = (state >> 16) % int(cum_table[-1])
    return int(np.searchsorted(cum_table, value, side="left")), next_random(state)


def subsample(words: np.ndarray, sample_int: np.ndarray, rng: RandomStream) -> list[int]:
    """Drop word ``w`` when a 32-bit draw exceeds ``sample_int[w]`` (one draw per word).

    The survivors close up, so windows reach past dropped words, as in gensim and word2vec.c.
    """
    return [int(word) for word in words if sample_int[word] >= rng.next_u32()]


def kept_sentences(tokens: np.ndarray, sentence_starts: np.ndarray, sample_int: np.ndarray,
                   rng: RandomStream | None) -> Iterator[list[int]]:
    """Each sentence ``tokens[sentence_starts[s]:sentence_starts[s + 1]]``, subsampled (``rng=None``: whole)."""
    for s in range(len(sentence_starts) - 1):
        words = tokens[sentence_starts[s] : sentence_starts[s + 1]]
        yield subsample(words, sample_int, rng) if rng is not None else [int(w) for w in words]


def reduced_window(window: int, rng: RandomStream | None) -> int:
    """How far one center word's window reaches on each side: ``window - b``, ``b`` drawn
    uniformly from ``[0, window)`` (``rng=None``: always the full window)."""
    return window - (rng.next_u32() % window if rng is not None else 0)


def skipgram_pairs(words: list[int], window: int, rng: RandomStream | None) -> Iterator[tuple[int, int]]:
    """The (context, center) pairs of a sentence, center by center.

    For each center word ``i`` a reduced window ``window - b``, ``b`` drawn uniformly
    from ``[0, window)``, is used on each side (``rng=None``: always the full window).
    Near neighbours are therefore used more often than far ones, the weighting by
    distance the paper describes. Pairs are generated lazily, so the noise words a
    caller draws for one pair come before the next center's window draw.
    """
    for i, center in enumerate(words):
        reach = reduced_window(window, rng)
        for j in range(max(0, i - reach), min(len(words), i + reach + 1)):
            if j != i:
                yield words[j], center


def noise_words(cum_table: np.ndarray, negative: int, rng: RandomStream) -> np.ndarray:
    """``negative`` words drawn from the unigram distribution raised to ``ns_exponent``."""
    return np.array([rng.noise_word(cum_table) for _ in range(negative)], dtype=np.int64)


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def sgns_step(
    syn0: np.ndarray,
    syn1neg: np.ndarray,
    context: int,
    center: int,
    negatives: np.ndarray,
    alpha: float,
    compute_loss: bool = True,
    max_score: float = math.inf,
    lock: float = 1.0,
) -> float:
    """One SGD step on the pair (context -> center) with the given noise words; returns its loss.

    For each output word (the center with label 1, then each noise word with label 0,
    skipping a noise word that *is* the center, as gensim does):

        f = syn0[context] . syn1neg[target]       the score
        g = (label - sigmoid(f)) * alpha          gradient of log-likelihood w.r.t. f, times the rate
        neu1e += g * syn1neg[target]              accumulate the input vector's gradient
        syn1neg[target] += g * syn0[context]      update the output vector right away

    and at the end ``syn0[context] += lock * neu1e`` (``lock``: the context word's entry of
    gensim's ``vectors_lockf``, 1 to train it, 0 to freeze it). Output vectors are updated one target at a
    time, so a noise word drawn twice sees its first update, exactly as in word2vec.c.

    The loss of the pair is ``-log sigmoid(f_center) - sum log sigmoid(-f_noise)``,
    computed as ``log1p(exp(-f))`` (plus ``f`` for label 0) so that it stays finite.
    Unlike gensim we use the exact logistic function, not a 1000-entry table. gensim
    also leaves an output word out of the update when its score is saturated,
    ``|f| >= 6`` (``MAX_EXP`` in ``word2vec_inner.pyx``); ``max_score=GENSIM_MAX_EXP``
    does the same (the loss still counts it). The default, no limit, is word2vec.c's
    behaviour, which keeps updating with the saturated sigmoid.
    """
    l1 = syn0[context]  # a view: the context word's input vector
    neu1e, loss = output_words_update(l1, center, negatives, syn1neg, alpha, compute_loss, max_score)
    l1 += np.float32(lock) * neu1e
    return loss


def output_words_update(hidden: np.ndarray, center: int, negatives: np.ndarray, syn1neg: np.ndarray, alpha: float,
                        compute_loss: bool, max_score: float) -> tuple[np.ndarray, float]:
    """The output side of one step, shared by skip-gram and CBOW (:func:`.cbow_numpy.cbow_step`).

    Scores ``hidden`` against the center (label 1) and each noise word that is not the
    center (label 0), updates each output row right away, and returns the gradient
    accumulated for ``hidden`` (``neu1e``) and the loss (see :func:`sgns_step`).
    """
    neu1e = np.zeros_like(hidden)
    loss = 0.0
    targets = [(center, 1.0)] + [(int(n), 0.0) for n in negatives if n != center]
    for target, label in targets:
        f = float(np.dot(hidden, syn1neg[target]))
        exp_minus_f = math.exp(-f)
        g = np.float32((label - 1.0 / (1.0 + exp_minus_f)) * alpha)
        if compute_loss:
            loss += math.log1p(exp_minus_f) + (f if label == 0.0 else 0.0)
        if abs(f) >= max_score:
            continue
        neu1e += g * syn1neg[target]
        syn1neg[target] += g * hidden
    return neu1e, loss


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
    max_score: float = math.inf,
    lockf: np.ndarray | None = None,
    syn1: np.ndarray | None = None,
    codes: np.ndarray | None = None,
    points: np.ndarray | None = None,
    code_starts: np.ndarray | None = None,
) -> tuple[int, int, float, int]:
    """Train on sentences ``tokens[sentence_starts[s]:sentence_starts[s + 1]]`` (vocabulary ids).

    Each sentence is subsampled (:func:`subsample`) and cut into (context, center) pairs
    (:func:`skipgram_pairs`). As gensim's ``train_batch_sg`` (``word2vec_inner.pyx``), each pair
    then gets, when hierarchical softmax is on (``syn1`` given, ``hs=1``), a
    :func:`.hs_numpy.hs_sg_step` on the center word's path in the Huffman tree (``codes``,
    ``points``, ``code_starts``: a :class:`.huffman.HuffmanTree`'s arrays), and, when ``negative > 0``,
    ``negative`` noise words (:func:`noise_words`) and a :func:`sgns_step` on ``syn1neg``,
    starting from the input vector the first step changed. With ``negative == 0``,
    ``syn1neg`` and ``cum_table`` are not read.

    ``lockf`` (gensim's ``wv.vectors_lockf``, indexed by word modulo its length; ``None``: 1
    for every word) scales every update of a context word's vector.

    Returns (words trained on after subsampling, pairs, summed loss, next random state).
    """
    rng = RandomStream(state)
    effective_words = pairs = 0
    loss = 0.0
    for kept in kept_sentences(tokens, sentence_starts, sample_int, rng if subsample_words else None):
        effective_words += len(kept)
        for context, center in skipgram_pairs(kept, window, rng if shrink_windows else None):
            lock = 1.0 if lockf is None else float(lockf[context % len(lockf)])
            if syn1 is not None:
                path = slice(code_starts[center], code_starts[center + 1])
                loss += hs_sg_step(syn0, syn1, context, codes[path], points[path], alpha, compute_loss, max_score,
                                   lock)  # fmt: skip
            if negative:
                negatives = noise_words(cum_table, negative, rng)
                loss += sgns_step(syn0, syn1neg, context, center, negatives, alpha, compute_loss, max_score, lock)
            pairs += 1
    return effective_words, pairs, loss, rng.state
