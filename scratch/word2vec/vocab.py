"""The word2vec vocabulary: counts, filtering, ordering, subsampling and the noise table.

Everything here is decided before training starts, and all of it is computed exactly as
gensim 4.4 computes it (``Word2Vec.scan_vocab``, ``prepare_vocab``, ``make_cum_table``
and ``KeyedVectors.sort_by_descending_frequency``), so that the same corpus gives the
same word indices, the same subsampling thresholds and the same noise distribution.

1. **Count** every token (:func:`count_words`), remembering first-occurrence order.
2. **Filter**: keep words seen at least ``min_count`` times. ``max_final_vocab`` raises
   that threshold so that at most that many words survive (:func:`effective_min_count`).
3. **Order** by descending count (:func:`descending_frequency_order`). Ties go to the
   word that appeared *later* in the corpus, the order gensim's ``np.lexsort`` gives.
4. **Subsample** frequent words (Mikolov et al. 2013, "Distributed Representations of
   Words and Phrases and their Compositionality", section 2.3). A word with count ``c``
   in a corpus of ``N`` retained words is kept with probability
   ``(sqrt(c / t) + 1) * t / c`` where ``t = sample * N``, the word2vec.c formula (the
   paper prints the simpler ``sqrt(t / f)``). It is stored as a 32-bit integer
   threshold (:func:`subsampling_thresholds`) that a random 32-bit integer is compared
   against, with no floating point in the training loop.
5. **Noise distribution** for negative sampling: words are drawn with probability
   proportional to ``count ** 0.75`` (same paper, section 2.2). :func:`noise_cum_table`
   stores it as a cumulative table scaled to ``2**31 - 1``; a uniform random integer's
   insertion point in that table is the drawn word.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .corpus import EmptyCorpusError
from .settings import SettingError

NOISE_TABLE_DOMAIN = 2**31 - 1  # gensim's make_cum_table(domain=2**31 - 1)
MAX_UINT32 = 2**32 - 1


@dataclass
class WordCounts:
    """What one pass over a corpus learns: every token's count, in first-seen order."""

    counts: dict[str, int]  # insertion order = order of first occurrence, as gensim's raw_vocab
    total_words: int  # raw tokens, gensim's corpus_total_words
    sentence_count: int  # gensim's corpus_count


@dataclass
class Vocabulary:
    """The retained words, most frequent first, with their sampling tables.

    ``index_to_key[i]`` is word ``i``; ``counts[i]`` its corpus count; ``sample_int[i]``
    its subsampling threshold (keep the word when a random uint32 is <= it);
    ``cum_table`` the noise table for negative sampling.
    """

    index_to_key: list[str]
    counts: np.ndarray  # int64
    sample_int: np.ndarray  # uint32
    cum_table: np.ndarray  # uint32
    total_words: int  # raw tokens in the corpus, retained or not
    sentence_count: int
    effective_min_count: int
    key_to_index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.key_to_index = {word: i for i, word in enumerate(self.index_to_key)}

    def __len__(self) -> int:
        return len(self.index_to_key)

    @property
    def retained_words(self) -> int:
        """Tokens of the corpus that are in the vocabulary (gensim's ``retain_total``)."""
        return int(self.counts.sum())


def count_words(sentences: Iterable[list[str]]) -> WordCounts:
    """Count tokens over an iterable of sentences (lists of str), in one pass.

    Raises ``TypeError`` for a sentence that is a plain string (gensim would silently
    count its characters) or a token that is not a string, and ``ValueError`` for a
    corpus without a single token.
    """
    counts: Counter[str] = Counter()
    total_words = 0
    sentence_count = 0
    for sentence_count, sentence in enumerate(sentences, start=1):
        if isinstance(sentence, (str, bytes)):
            raise TypeError(
                f"sentence #{sentence_count - 1} is a {type(sentence).__name__}, not a list of words: "
                f"split your text into tokens first (e.g. text.split())"
            )
        counts.update(sentence)
        total_words += len(sentence)
    # Checking the distinct tokens (not every occurrence) keeps this cheap.
    for token in counts:
        if not isinstance(token, str):
            raise TypeError(f"tokens must be str, found {token!r} of type {type(token).__name__} in the corpus")
    if total_words == 0:
        raise EmptyCorpusError("the corpus is empty: it has no tokens to build a vocabulary from")
    return WordCounts(dict(counts), total_words, sentence_count)


def effective_min_count(counts: dict[str, int], min_count: int, max_final_vocab: int | None) -> int:
    """``min_count``, raised if needed so that at most ``max_final_vocab`` words remain.

    gensim sorts the counts (descending, stable) and, if there are more than
    ``max_final_vocab`` words, uses one more than the count of the first word past the
    limit. Ties at the boundary therefore drop the whole tied group, so the result may
    hold fewer than ``max_final_vocab`` words.
    """
    if max_final_vocab is None:
        return min_count
    descending = sorted(counts.values(), reverse=True)
    calculated = descending[max_final_vocab] + 1 if max_final_vocab < len(descending) else 1
    return max(calculated, min_count)


def descending_frequency_order(counts: np.ndarray) -> np.ndarray:
    """Indices that sort ``counts`` by descending count, ties broken by descending index.

    This is gensim's ``np.lexsort((-indices, -counts))``: among equally frequent words
    the one first seen *last* gets the smallest index.
    """
    indices = np.arange(len(counts))
    return np.lexsort((-indices, -counts))


def subsampling_thresholds(counts: np.ndarray, sample: float | None) -> np.ndarray:
    """Keep-probabilities of word2vec's subsampling, as uint32 thresholds.

    With ``t = sample * total`` (or, for ``sample >= 1``, gensim's shorthand
    ``int(sample * (3 + sqrt 5) / 2)``), a word of count ``c`` is kept with probability
    ``min(1, (sqrt(c / t) + 1) * t / c)``, stored as ``floor(p * (2**32 - 1))``.
    """
    counts = np.asarray(counts, dtype=np.int64)
    retained_total = int(counts.sum())
    if not sample:
        threshold = float(retained_total)  # p >= 1 for every word: nothing is dropped
    elif sample < 1.0:
        threshold = sample * retained_total
    else:
        threshold = float(int(sample * (3 + math.sqrt(5)) / 2))
    keep_probability = (np.sqrt(counts / threshold) + 1) * (threshold / counts)
    keep_probability = np.minimum(keep_probability, 1.0)
    return (keep_probability * MAX_UINT32).astype(np.uint32)


def noise_cum_table(counts: np.ndarray, ns_exponent: float = 0.75, domain: int = NOISE_TABLE_DOMAIN) -> np.ndarray:
    """Cumulative table of ``count ** ns_exponent``, scaled so the last entry is ``domain``.

    The powers are summed one by one in float64, in vocabulary order, and each partial
    sum is rounded half-to-even, exactly as gensim's ``make_cum_table`` loop does; the
    table therefore matches gensim's to the last integer.
    """
    try:
        powers = [float(count) ** float(ns_exponent) for count in counts]
    except OverflowError:
        powers = [math.inf]
    cumulative = np.array(list(itertools.accumulate(powers)), dtype=np.float64)
    if len(cumulative) == 0:
        return np.zeros(0, dtype=np.uint32)
    if not (math.isfinite(cumulative[-1]) and cumulative[-1] > 0):
        # gensim fails here too ("cannot convert float NaN to integer"); a table of zeros
        # would make every noise draw a division by zero.
        total = cumulative[-1]
        problem = "overflows" if total == math.inf else "is zero for every word" if total == 0 else "is not a number"
        raise SettingError(f"ns_exponent={ns_exponent!r}: the noise distribution count ** ns_exponent {problem} "
                           f"for the counts of this corpus (1 to {int(max(counts))}); use a value nearer 0.75, "
                           f"the paper's")  # fmt: skip
    table = np.rint(cumulative / cumulative[-1] * domain).astype(np.uint32)
    return table


def build_vocabulary(
    word_counts: WordCounts,
    min_count: int = 5,
    max_final_vocab: int | None = None,
    sample: float | None = 1e-3,
    ns_exponent: float = 0.75,
) -> Vocabulary:
    """Filter, order and tabulate: gensim's ``prepare_vocab`` + ``sort_by_descending_frequency``.

    Raises ``ValueError`` when ``min_count`` (or ``max_final_vocab``) leaves no word.
    """
    threshold = effective_min_count(word_counts.counts, min_count, max_final_vocab)
    kept = [(word, count) for word, count in word_counts.counts.items() if count >= threshold]
    if not kept:
        most = max(word_counts.counts.values())
        raise SettingError(
            f"min_count={threshold} removes every word: the most frequent word occurs {most} time(s) "
            f"in {word_counts.total_words} tokens; lower min_count"
            + (f" or raise max_final_vocab (={max_final_vocab})" if max_final_vocab is not None else "")
        )
    counts = np.array([count for _, count in kept], dtype=np.int64)
    order = descending_frequency_order(counts)
    counts = counts[order]
    words = [kept[i][0] for i in order]
    return Vocabulary(
        index_to_key=words,
        counts=counts,
        sample_int=subsampling_thresholds(counts, sample),
        cum_table=noise_cum_table(counts, ns_exponent),
        total_words=word_counts.total_words,
        sentence_count=word_counts.sentence_count,
        effective_min_count=threshold,
    )
