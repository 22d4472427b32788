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
   With ``sorted_vocab=0`` the words keep their first-seen order; ``null_word=1`` appends
   gensim's padding word ``"\\0"`` (count 1) before ordering.
5. **Noise distribution** for negative sampling: words are drawn with probability
   proportional to ``count ** 0.75`` (same paper, section 2.2). :func:`noise_cum_table`
   stores it as a cumulative table scaled to ``2**31 - 1``; a uniform random integer's
   insertion point in that table is the drawn word.

Also gensim's: a ``trim_rule(word, count, min_count)`` returning :data:`RULE_DISCARD`,
:data:`RULE_KEEP` or :data:`RULE_DEFAULT` overrides ``min_count`` word by word
(``utils.keep_vocab_item``); ``max_vocab_size`` prunes the counts while they are taken
(``utils.prune_vocab``, so counts can end up lower than the corpus's); and an existing
vocabulary grows with a new corpus (``prepare_vocab(update=True)``,
:func:`prepare_vocabulary` with ``previous``): new words are appended, every word's count
grows by its count in the new corpus, the words of the new corpus get new subsampling
thresholds, and the noise table is rebuilt, without reordering.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from .corpus import EmptyCorpusError
from .settings import SettingError

logger = logging.getLogger(__name__)

NOISE_TABLE_DOMAIN = 2**31 - 1  # gensim's make_cum_table(domain=2**31 - 1)
MAX_UINT32 = 2**32 - 1
NULL_WORD = "\0"  # gensim's add_null_word
RULE_DEFAULT, RULE_DISCARD, RULE_KEEP = 0, 1, 2  # gensim.utils' answers of a trim_rule
TrimRule = Callable[[str, int, int], int]


class EmptyVocabularyError(SettingError, RuntimeError):
    """No word is left to train (``min_count``, ``max_final_vocab`` or ``trim_rule`` removed them all).

    A ``RuntimeError`` as in gensim ("you must first build vocabulary before training"), and
    a :class:`~.settings.SettingError` (``ValueError``): the setting that removed them is named."""


def keep_word(word: str, count: int, min_count: int, trim_rule: TrimRule | None = None) -> bool:
    """Whether ``word`` stays: ``count >= min_count`` unless ``trim_rule`` says keep or discard (gensim's ``keep_vocab_item``)."""
    if trim_rule is not None:
        verdict = trim_rule(word, count, min_count)
        if verdict == RULE_KEEP:
            return True
        if verdict == RULE_DISCARD:
            return False
    return count >= min_count


def prune_counts(counts: dict[str, int], min_reduce: int, trim_rule: TrimRule | None = None) -> int:
    """Delete the words :func:`keep_word` drops at ``min_reduce`` (gensim's ``utils.prune_vocab``); their counts' sum."""
    pruned = 0
    for word in [word for word, count in counts.items() if not keep_word(word, count, min_reduce, trim_rule)]:
        pruned += counts.pop(word)
    return pruned


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
    most_frequent: int = 0  # the highest count of the corpus, kept or not (said when no word is kept)
    key_to_index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.key_to_index = {word: i for i, word in enumerate(self.index_to_key)}

    def __len__(self) -> int:
        return len(self.index_to_key)

    @property
    def retained_words(self) -> int:
        """Tokens of the corpus that are in the vocabulary (gensim's ``retain_total``)."""
        return int(self.counts.sum())


def count_words(
    sentences: Iterable[list[str]],
    max_vocab_size: int | None = None,
    trim_rule: TrimRule | None = None,
    allow_empty: bool = False,
) -> WordCounts:
    """Count tokens over an iterable of sentences (lists of str), in one pass: gensim's ``_scan_vocab``.

    With ``max_vocab_size``, whenever more distinct words than that have been seen, the
    rare ones are pruned (:func:`prune_counts` at 1, then 2, ...), as gensim does.

    A sentence that is a plain string is counted as its characters, as gensim does, with
    gensim's warning (it is almost always a mistake: split the text into words first).
    Raises ``TypeError`` for a sentence of bytes or a token that is not a string, and
    :class:`~.corpus.EmptyCorpusError` for a corpus without a single token (unless ``allow_empty``).
    """
    counts: Counter[str] = Counter()
    total_words = 0
    sentence_count = 0
    min_reduce = 1
    warned = False
    for sentence_count, sentence in enumerate(sentences, start=1):
        if isinstance(sentence, bytes):
            raise TypeError(f"sentence #{sentence_count - 1} is bytes, not a list of words: decode and split it")
        if isinstance(sentence, str) and not warned:
            logger.warning("Each 'sentences' item should be a list of words (usually unicode strings). First item "
                           "here is instead plain %s: it is counted as its characters (as gensim does); split "
                           "your text into tokens first (e.g. text.split())", type(sentence))  # fmt: skip
            warned = True
        counts.update(sentence)
        total_words += len(sentence)
        if max_vocab_size and len(counts) > max_vocab_size:
            prune_counts(counts, min_reduce, trim_rule)
            min_reduce += 1
    # Checking the distinct tokens (not every occurrence) keeps this cheap.
    for token in counts:
        if not isinstance(token, str):
            raise TypeError(f"tokens must be str, found {token!r} of type {type(token).__name__} in the corpus")
    if total_words == 0 and not allow_empty:
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
    trim_rule: TrimRule | None = None,
    sorted_vocab: bool = True,
    null_word: bool = False,
) -> Vocabulary:
    """Filter, order and tabulate: gensim's ``prepare_vocab`` + ``sort_by_descending_frequency``.

    When ``min_count`` (or ``max_final_vocab``, or ``trim_rule``) leaves no word the
    vocabulary is empty, with a warning, as in gensim (training it is the error).
    """
    vocabulary, _ = prepare_vocabulary(word_counts, min_count, max_final_vocab, sample, ns_exponent, trim_rule,
                                       sorted_vocab, null_word)  # fmt: skip
    return vocabulary


def prepare_vocabulary(
    word_counts: WordCounts,
    min_count: int = 5,
    max_final_vocab: int | None = None,
    sample: float | None = 1e-3,
    ns_exponent: float = 0.75,
    trim_rule: TrimRule | None = None,
    sorted_vocab: bool = True,
    null_word: bool = False,
    previous: Vocabulary | None = None,
) -> tuple[Vocabulary, dict[str, int]]:
    """The vocabulary of ``word_counts``, or ``previous`` grown by them, and gensim's report.

    gensim's ``prepare_vocab``, step for step. The report holds what it returns:
    ``drop_unique`` (words dropped), ``retain_total`` (their corpus count kept),
    ``downsample_unique``/``downsample_total`` (words subsampling thins, the expected words
    left), ``num_retained_words``. With ``previous`` (``update=True``): the words of this
    corpus that pass the threshold and are new are appended in first-seen order; every word's
    count grows by its count here (even one this corpus alone would drop); the words kept
    here get subsampling thresholds from this corpus's counts, the others keep theirs; the
    noise table is rebuilt from the grown counts; nothing is reordered.
    """
    raw = word_counts.counts
    threshold = effective_min_count(raw, min_count, max_final_vocab)
    drop_unique = drop_total = 0
    kept: list[str] = []
    for word, count in raw.items():
        if keep_word(word, count, threshold, trim_rule):
            kept.append(word)
        else:
            drop_unique += 1
            drop_total += count
    if previous is None and not kept:  # gensim builds the empty vocabulary; training it is the error
        most = max(raw.values(), default=0)
        rule = " or trim_rule" if trim_rule is not None else ""
        logger.warning(empty_vocabulary_reason(threshold, rule, most, word_counts.total_words, max_final_vocab))
    retained_counts = np.array([raw[word] for word in kept], dtype=np.int64)
    thresholds = subsampling_thresholds(retained_counts, sample)
    report = {"drop_unique": drop_unique, "retain_total": int(retained_counts.sum()),
              **downsampling_report(retained_counts, sample), "num_retained_words": len(kept)}  # fmt: skip
    if previous is None:
        words, counts, sample_int = kept, retained_counts, thresholds
        if null_word:
            words = [*words, NULL_WORD]  # only ever an input: gensim gives it count 1, sample_int 0
            counts = np.append(counts, 1)
            sample_int = np.append(sample_int, np.uint32(0))
        if sorted_vocab:
            order = descending_frequency_order(counts)
            words, counts, sample_int = [words[i] for i in order], counts[order], sample_int[order]
    else:
        if null_word:
            raise NotImplementedError("null_word with build_vocab(update=True): gensim appends a second '\\0' "
                                      "key there; not supported")  # fmt: skip
        known = previous.key_to_index
        new_words = [word for word in kept if word not in known]
        words = previous.index_to_key + new_words
        counts = np.concatenate([previous.counts, np.zeros(len(new_words), dtype=np.int64)])
        counts += np.array([raw.get(word, 0) for word in words], dtype=np.int64)
        sample_int = np.concatenate([previous.sample_int, np.zeros(len(new_words), dtype=np.uint32)])
        position = {word: i for i, word in enumerate(words)}
        for word, value in zip(kept, thresholds):
            sample_int[position[word]] = value
    vocabulary = Vocabulary(
        index_to_key=list(words),
        counts=counts,
        sample_int=sample_int,
        cum_table=noise_cum_table(counts, ns_exponent),
        total_words=word_counts.total_words,
        sentence_count=word_counts.sentence_count,
        effective_min_count=threshold,
        most_frequent=max(raw.values(), default=0),
    )
    return vocabulary, report


def empty_vocabulary_reason(threshold: int, rule: str, most: int, total_words: int, max_final_vocab) -> str:
    """What removed every word, for the warning and for :class:`EmptyVocabularyError`."""
    return (f"min_count={threshold}{rule} removes every word: the most frequent word occurs {most} time(s) in "
            f"{total_words} tokens; lower min_count"
            + (f" or raise max_final_vocab (={max_final_vocab})" if max_final_vocab is not None else ""))  # fmt: skip


def downsampling_report(counts: np.ndarray, sample: float | None) -> dict[str, int]:
    """gensim's ``downsample_unique`` (words subsampling thins) and ``downsample_total``
    (the expected count left, truncated), summed in gensim's order and precision."""
    retained_total = int(counts.sum())
    if not sample:
        threshold = retained_total
    elif sample < 1.0:
        threshold = sample * retained_total
    else:
        threshold = int(sample * (3 + np.sqrt(5)) / 2)
    unique, total = 0, 0.0
    for count in counts.tolist():
        probability = (np.sqrt(count / threshold) + 1) * (threshold / count)
        if probability < 1.0:
            unique += 1
            total += probability * count
        else:
            total += count
    return {"downsample_unique": unique, "downsample_total": int(total)}
