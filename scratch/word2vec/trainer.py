"""The word2vec trainer: gensim's ``Word2Vec`` API over the skip-gram steps of this package.

    >>> from scratch.word2vec import Word2Vec          # was: from gensim.models import Word2Vec
    >>> model = Word2Vec(sentences, vector_size=100, window=5, min_count=5, sg=1, workers=2)  # skip-gram
    >>> model.wv.most_similar("king")

What happens, in order (Mikolov et al. 2013, and word2vec.c / gensim for the details):

1. ``build_vocab``: count words, keep, order and tabulate them (:mod:`.vocab`), then
   initialise the input vectors exactly as gensim does (:func:`initial_vectors`) and the
   output vectors to zero.
2. ``train``: encode the corpus as ids once (:mod:`.corpus`), cut it into jobs of about
   ``batch_words`` raw words, and for each epoch let ``workers`` threads take jobs in
   corpus order and run the compiled skip-gram loop on them without the GIL (Hogwild).
   The learning rate of a job decays linearly from ``alpha`` to ``min_alpha`` over all
   raw words of all epochs, from the job's position in the corpus, as gensim's
   ``_get_next_alpha`` does. Each job's random stream is seeded from (seed, epoch, job),
   so one worker gives the same vectors every run.
3. The loss of each epoch, the true negative-sampling loss summed over all pairs in
   float64, is kept in ``model.epoch_losses``; ``get_latest_training_loss()`` is, as in
   gensim, the running total over the epochs of the last ``train()`` call, but summed in
   float64 over every job of every worker. (gensim's is a float32 that stops growing at
   2**27, issue #2735, is overwritten by each worker thread with its own stale copy, #2743,
   and leaves out pairs whose score is beyond +-6; see the umbrella issue #2617.)

``backend="torch"`` trains the same model in minibatches of pairs with PyTorch, on the
CPU or on a GPU (``device="cuda"``), and data-parallel across processes when started
with ``torchrun`` (:mod:`.sgns_torch`, :mod:`.distributed`). torch is imported only then.

Skip-gram (``sg=1``, :mod:`.sgns_numpy`) and CBOW (``sg=0``, gensim's default, :mod:`.cbow_numpy`),
with negative sampling (``negative > 0``), hierarchical softmax (``hs=1``, :mod:`.hs_numpy`, on
gensim's Huffman tree, :mod:`.huffman`, kept in ``model.tree``; output weights ``model.syn1``)
or both, as gensim. The torch backend is skip-gram with negative sampling only. The keyword
names, their order and their defaults are gensim 4's (``Word2Vec.__init__``, ``build_vocab``,
``train``, ``save``, ``load``), ``compute_loss=False`` included: pass ``compute_loss=True`` for
the loss (exact, float64; the progress bar shows it then).

gensim's vocabulary API is here too: ``scan_vocab``/``prepare_vocab`` (with gensim's report),
``build_vocab(update=True)`` (online growth), ``build_vocab_from_freq``, ``trim_rule``,
``max_vocab_size``, ``sorted_vocab``, ``null_word``, ``estimate_memory``, ``reset_from``,
``effective_min_count``, ``predict_output_word``, ``score`` (``hs=1``); ``wv.vectors_lockf`` (1
trains a row, 0 freezes it) is honoured by the numba and NumPy backends. Not as gensim: a
vocabulary rebuilt without ``update`` always starts from fresh weights (gensim keeps the old
input matrix when its shape happens to match).
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from . import cbow_numba, cbow_numpy, sgns_numba, sgns_numpy, shared_negatives_numba, shared_negatives_numpy
from .huffman import HuffmanTree, huffman_tree
from .corpus import EmptyCorpusError, EncodedCorpus, LineSentence, check_training_file, encode_sentences
from .keyed_vectors import KeyedVectors
from .model_files import NotAModelError, from_json_array, json_array, read_npz, write_npz
from .progress import EpochProgress, EpochTotals
from .settings import (JobSettings, SettingError, TrainingDivergedError, UnsupportedSettingError, Word2VecSettings,
                       check_integers)  # fmt: skip
from .sgns_numpy import EXP_OVERFLOW, GENSIM_MAX_EXP, LCG_MASK
from .threads import run_jobs
from .vector_math import top_indices
from .vocab import (EmptyVocabularyError, TrimRule, Vocabulary, WordCounts, count_words, empty_vocabulary_reason,
                    prepare_vocabulary)  # fmt: skip

logger = logging.getLogger(__name__)

MAX_SENTENCE_LEN = 10_000  # gensim's word2vec_inner: longer sentences are cut (score keeps their first words)


def initial_vectors(count: int, vector_size: int, seed: int) -> np.ndarray:
    """Uniform in [-1, 1) / vector_size, from ``np.random.default_rng(seed)``: gensim's ``prep_vectors``.

    (word2vec.c draws from [-0.5, 0.5) / size; gensim 4 doubled the range.)
    """
    rng = np.random.default_rng(seed=seed)
    vectors = rng.random((count, vector_size), dtype=np.float32)  # [0, 1)
    vectors *= 2.0
    vectors -= 1.0
    vectors /= vector_size
    return vectors


@dataclass
class EpochReport:
    """What one epoch did: ``loss`` is the negative-sampling loss summed over its pairs."""

    epoch: int
    seconds: float
    raw_words: int
    effective_words: int  # after out-of-vocabulary removal and subsampling
    pairs: int  # (context, center) pairs trained; for CBOW, center words (one example each)
    loss: float
    alpha_end: float

    @classmethod
    def from_totals(cls, epoch: int, seconds: float, totals: EpochTotals) -> EpochReport:
        """The report of epoch ``epoch`` (0-based) from its running totals."""
        return cls(epoch + 1, seconds, totals.raw_words, totals.effective_words, totals.pairs, totals.loss,
                   totals.alpha)  # fmt: skip

    @property
    def loss_per_pair(self) -> float:
        return self.loss / self.pairs if self.pairs else float("nan")

    @property
    def words_per_second(self) -> float:
        return self.raw_words / self.seconds if self.seconds else float("nan")


PROBE_PAIRS = 4096  # neighbouring pairs of the corpus scored by probe_terms
PROBE_NOISE = 64  # noise words each probe pair is scored against


def probe_terms(corpus: EncodedCorpus, syn0: np.ndarray, syn1neg: np.ndarray, cum_table: np.ndarray) -> np.ndarray:
    """Loss terms, in float64, of a sample of the pairs and noise words training sees; ``inf`` where one underflows.

    Pairs: each of the first :data:`PROBE_PAIRS` words of the corpus that has a right
    neighbour in its sentence, as context, with that neighbour as center (every window
    reaches it). Noise words: :data:`PROBE_NOISE` words at evenly spaced quantiles of the
    noise distribution (``cum_table``), each scored against every probe context. The
    terms are ``-log sigmoid(f)`` for the pairs and ``-log sigmoid(-f)`` for the noise
    words, as the loss sums them; beyond ``log(float max)`` (709.8) a term is ``inf``.
    """
    tokens = np.asarray(corpus.tokens[: 2 * PROBE_PAIRS], dtype=np.int64)
    last_in_sentence = np.zeros(len(tokens), dtype=bool)
    ends = corpus.sentence_starts[1:] - 1
    last_in_sentence[ends[ends < len(tokens)]] = True
    last_in_sentence[-1:] = True  # its neighbour is beyond the slice
    contexts = np.flatnonzero(~last_in_sentence)[:PROBE_PAIRS]
    quantiles = (np.arange(PROBE_NOISE) + 0.5) / PROBE_NOISE * float(cum_table[-1])
    noise = np.searchsorted(cum_table, quantiles, side="left")
    inputs = syn0[tokens[contexts]].astype(np.float64)
    true_scores = np.einsum("ij,ij->i", inputs, syn1neg[tokens[contexts + 1]].astype(np.float64))
    noise_scores = inputs @ syn1neg[noise].astype(np.float64).T
    with np.errstate(over="ignore"):
        terms = np.concatenate([np.logaddexp(0.0, -true_scores), np.logaddexp(0.0, noise_scores).ravel()])
    terms[terms > EXP_OVERFLOW] = np.inf
    return terms


class Word2Vec:
    """Skip-gram (or CBOW) with negative sampling, trained like gensim's ``Word2Vec(sg=1)`` (``sg=0``).

    ``backend="numba"`` trains with the compiled loop in ``workers`` threads;
    ``backend="numpy"`` with the readable NumPy step in the calling thread (slow: for
    small corpora and for reading); ``backend="torch"`` with minibatches of
    ``batch_size`` pairs (default 1024; 4096 with ``negative_sharing="window"``) on
    ``device`` ("cpu", "cuda" or "cuda:N"; on the CPU ``workers`` threads each running
    whole jobs, at most one per usable core), synchronising
    replicas every ``sync_every`` jobs when ``torch.distributed`` is initialised.
    ``progress=True`` shows a tqdm bar per epoch on stderr with words/s, the learning
    rate and (with ``compute_loss``) the loss per pair (:mod:`.progress`).

    ``negative_sharing="window"`` (skip-gram with negative sampling) draws the noise words
    once per center word and shares them among its window's context words, so that a
    window is a few small matrix products (Ji et al. 2016's HogBatch,
    :mod:`.shared_negatives_numpy`, on every backend); the default, ``"pair"``, draws them
    for every pair, as word2vec.c and gensim do.

    ``skip_saturated=True`` copies gensim's rule of leaving an output word out of the
    update when its score is beyond +-6 (``MAX_EXP``); the default keeps updating with
    the exact sigmoid, as word2vec.c does. With large ``window`` and ``negative`` (the
    songs of the book: 20 and 50, CBOW) the rule changes what is learned, and only with
    it does scratch match gensim's quality there (see ``benchmarks/results/songs.md``).

    The settings are held in one frozen :class:`~.settings.Word2VecSettings`,
    ``model.settings``; gensim's attributes (``model.window``, ``model.sg``, ...) read it.
    Every setting is checked there, before any work: one out of range is a
    :class:`~.settings.SettingError` naming it. A learning rate too large for the corpus
    stops training with :class:`~.settings.TrainingDivergedError` once the loss or the
    vectors stop being finite (checked after each job and each epoch, not in the loop).
    """

    def __init__(
        self,
        sentences: Iterable[list[str]] | None = None,
        corpus_file: str | os.PathLike | None = None,
        vector_size: int = 100,
        alpha: float = 0.025,
        window: int = 5,
        min_count: int = 5,
        max_vocab_size: int | None = None,
        sample: float = 1e-3,
        seed: int = 1,
        workers: int = 3,
        min_alpha: float = 0.0001,
        sg: int = 0,
        hs: int = 0,
        negative: int = 5,
        ns_exponent: float = 0.75,
        cbow_mean: int = 1,
        epochs: int = 5,
        null_word: int = 0,
        trim_rule: TrimRule | None = None,
        sorted_vocab: int = 1,
        batch_words: int = 10_000,
        compute_loss: bool = False,
        callbacks: Sequence = (),
        max_final_vocab: int | None = None,
        shrink_windows: bool = True,
        skip_saturated: bool = False,
        backend: str = "numba",
        progress: bool = False,
        device: str = "cpu",
        batch_size: int | None = None,
        sync_every: int = 4,
        negative_sharing: str = "pair",
    ):
        self.settings = Word2VecSettings(
            vector_size=vector_size, window=window, min_count=min_count, max_vocab_size=max_vocab_size,
            sample=sample, negative=negative, ns_exponent=ns_exponent, alpha=alpha, min_alpha=min_alpha,
            epochs=epochs, workers=workers, seed=seed, sg=sg, hs=hs, cbow_mean=cbow_mean,
            skip_saturated=skip_saturated, shrink_windows=shrink_windows, max_final_vocab=max_final_vocab,
            sorted_vocab=sorted_vocab, null_word=null_word, compute_loss=compute_loss, batch_words=batch_words,
            backend=backend, progress=progress, device=device, batch_size=batch_size, sync_every=sync_every,
            negative_sharing=negative_sharing,
        )  # fmt: skip
        if backend == "torch":
            from .sgns_torch import resolve_device  # torch is imported only for this backend

            resolve_device(device)

        self.vocabulary: Vocabulary | None = None
        self.wv: KeyedVectors | None = None
        self.syn1neg: np.ndarray | None = None  # negative sampling's output weights (negative > 0)
        self.syn1: np.ndarray | None = None  # hierarchical softmax's: one row per inner node of the tree (hs=1)
        self.tree: HuffmanTree | None = None  # gensim's Huffman tree of the vocabulary (hs=1)
        self.raw_vocab: dict[str, int] = {}  # gensim's: the counts of the last scan_vocab, until prepare_vocab
        self.scanned: WordCounts | None = None  # the last scan_vocab's counts, as prepare_vocab takes them
        self.epoch_reports: list[EpochReport] = []
        self.running_training_loss = 0.0  # gensim's: the loss summed over the current (or last) train() call
        self.min_alpha_yet_reached = float(alpha)
        self.train_count = 0
        self.sync_rows: list[int] = []  # torch backend, data-parallel: rows exchanged at each synchronisation
        self.load = _call_on_class_only  # gensim: model.load(...) on an instance is an AttributeError

        if sentences is not None or corpus_file is not None:
            self.build_vocab(sentences, corpus_file, trim_rule=trim_rule)
            self.train(sentences, corpus_file, total_examples=self.corpus_count, total_words=self.corpus_total_words,
                       epochs=self.epochs, callbacks=callbacks)  # fmt: skip
        elif trim_rule is not None:
            logger.warning("trim_rule is only used by build_vocab() and is not stored in the model: the model was "
                           "made without sentences, so the trim_rule given is ignored (as in gensim)")  # fmt: skip

    # -------------------------------------------------------------- vocabulary
    def build_vocab(
        self,
        corpus_iterable: Iterable[list[str]] | None = None,
        corpus_file: str | os.PathLike | None = None,
        update: bool = False,
        progress_per: int = 10_000,
        keep_raw_vocab: bool = False,
        trim_rule: TrimRule | None = None,
        **kwargs,
    ) -> None:
        """Count the corpus, build (or with ``update=True`` grow) the vocabulary and the weights (gensim's ``build_vocab``).

        :meth:`scan_vocab`, :meth:`prepare_vocab` (``kwargs`` go there: ``min_count``,
        ``sample``, ``dry_run``), then the weights: fresh (gensim's ``prepare_weights``) or,
        with ``update``, the existing rows kept and rows for the new words appended
        (``update_weights``): input vectors as gensim's ``prep_vectors`` draws them for the
        grown matrix, output rows zero.
        """
        if update and not (self.vocabulary and len(self.vocabulary)):
            raise RuntimeError("You cannot do an online vocabulary-update of a model which has no prior vocabulary. "
                               "First build the vocabulary of your model with a corpus before doing an online "
                               "update.")  # fmt: skip
        self.scan_vocab(corpus_iterable, corpus_file, progress_per=progress_per, trim_rule=trim_rule,
                        allow_empty=update)  # fmt: skip
        report = self.prepare_vocab(update=update, keep_raw_vocab=keep_raw_vocab, trim_rule=trim_rule, **kwargs)
        report["memory"] = self.estimate_memory(vocab_size=report["num_retained_words"])
        if not kwargs.get("dry_run"):
            self._prepare_weights(update)

    def scan_vocab(
        self,
        corpus_iterable: Iterable[list[str]] | None = None,
        corpus_file: str | os.PathLike | None = None,
        progress_per: int = 10_000,
        workers: int | None = None,
        trim_rule: TrimRule | None = None,
        allow_empty: bool = False,
    ) -> tuple[int, int]:
        """Count every word of the corpus into ``raw_vocab``; returns (total words, sentences) as gensim's ``scan_vocab``.

        ``max_vocab_size`` prunes the counts as they are taken (:func:`~.vocab.count_words`).
        ``progress_per`` and ``workers`` are accepted for gensim's signature (one pass, no log lines here).
        """
        sentences = _corpus(corpus_iterable, corpus_file)
        try:
            counts = count_words(sentences, self.max_vocab_size, trim_rule, allow_empty=allow_empty)
        except EmptyCorpusError as exc:
            if corpus_file is None:
                raise
            raise EmptyCorpusError(f"corpus file {corpus_file}: {exc}") from None
        self.scanned = counts
        self.raw_vocab = counts.counts
        logger.info("collected %i word types from a corpus of %i raw words and %i sentences", len(counts.counts),
                    counts.total_words, counts.sentence_count)  # fmt: skip
        return counts.total_words, counts.sentence_count

    def prepare_vocab(
        self,
        update: bool = False,
        keep_raw_vocab: bool = False,
        trim_rule: TrimRule | None = None,
        min_count: int | None = None,
        sample: float | None = None,
        dry_run: bool = False,
    ) -> dict[str, int]:
        """Apply ``min_count``/``max_final_vocab``/``trim_rule`` and ``sample`` to ``raw_vocab``: gensim's ``prepare_vocab``.

        Returns gensim's report (:func:`~.vocab.prepare_vocabulary`). ``min_count`` and
        ``sample`` given here replace the model's (as in gensim, only without ``update``);
        ``dry_run`` only reports. The weights are left to :meth:`build_vocab`.
        """
        if self.scanned is None:
            raise RuntimeError("prepare_vocab() needs the counts of scan_vocab() (or build_vocab_from_freq()) first")
        min_count = min_count or self.min_count
        sample = sample or self.sample
        vocabulary, report = prepare_vocabulary(
            self.scanned, min_count, self.max_final_vocab, sample, self.ns_exponent, trim_rule,
            bool(self.sorted_vocab), bool(self.null_word), self.vocabulary if update else None,
        )  # fmt: skip
        if dry_run:
            return report
        if not update:
            self.settings = dataclasses.replace(self.settings, min_count=min_count, sample=sample)
        self.vocabulary = vocabulary
        if not keep_raw_vocab:
            self.raw_vocab = {}
            self.scanned = None
        logger.info("vocabulary: %i words, effective min_count=%i, from %i words in %i sentences", len(vocabulary),
                    vocabulary.effective_min_count, vocabulary.total_words, vocabulary.sentence_count)  # fmt: skip
        return report

    def build_vocab_from_freq(
        self,
        word_freq: dict[str, int],
        keep_raw_vocab: bool = False,
        corpus_count: int | None = None,
        trim_rule: TrimRule | None = None,
        update: bool = False,
    ) -> None:
        """The vocabulary of a ``{word: count}`` table instead of a corpus (gensim's ``build_vocab_from_freq``).

        The table's order is the first-seen order; ``corpus_count`` (default 0) stands for the
        number of sentences; the corpus's word total stays what it was (0 for a new model), as in gensim.
        """
        for word, count in word_freq.items():
            if not isinstance(word, str):
                raise TypeError(f"word_freq's keys must be str, found {word!r} of type {type(word).__name__}")
            check_integers(minimum=0, **{f"word_freq[{word!r}]": count})
        if update and not (self.vocabulary and len(self.vocabulary)):
            raise RuntimeError("You cannot do an online vocabulary-update of a model which has no prior vocabulary. "
                               "First build the vocabulary of your model before doing an online update.")  # fmt: skip
        self.scanned = WordCounts(dict(word_freq), self.corpus_total_words, corpus_count or 0)
        self.raw_vocab = self.scanned.counts
        self.prepare_vocab(update=update, keep_raw_vocab=keep_raw_vocab, trim_rule=trim_rule)
        self._prepare_weights(update)

    def _prepare_weights(self, update: bool) -> None:
        """Fresh weights for the vocabulary, or (``update``) the trained ones grown by rows for the new words.

        As gensim's ``prepare_weights``/``update_weights``: ``syn1neg`` with negative sampling,
        ``syn1`` with hierarchical softmax, both zero (the rows of an update kept, zero rows
        appended). With ``hs=1`` the Huffman tree of the (grown) vocabulary's counts is built
        too (gensim's ``create_binary_tree``, run by its ``prepare_vocab`` after every vocabulary
        build, updates included) and each word's path is set as its ``"code"`` and ``"point"``
        attributes (``wv.get_vecattr(word, "code")``), as gensim does.
        """
        vocab = self.vocabulary
        shape = (len(vocab), self.vector_size)
        vectors = initial_vectors(len(vocab), self.vector_size, self.seed)
        syn1neg = np.zeros(shape, dtype=np.float32) if self.negative else None
        syn1 = np.zeros(shape, dtype=np.float32) if self.hs else None
        lockf = np.ones(1, dtype=np.float32)
        if update:
            before = len(self.wv.vectors)
            vectors[:before] = self.wv.vectors  # gensim's prep_vectors: the grown matrix drawn, the old rows copied in
            for grown, old in ((syn1neg, self.syn1neg), (syn1, self.syn1)):
                if grown is not None and old is not None:
                    grown[: len(old)] = old
            lockf = getattr(self.wv, "vectors_lockf", lockf)  # gensim leaves it as it was
        self.wv = KeyedVectors(vectors, vocab.index_to_key, vocab.counts)
        self.wv.vectors_lockf = lockf  # gensim's: 1 lets a row train, 0 freezes it (length 1 or one per word)
        self.syn1neg, self.syn1 = syn1neg, syn1
        self.tree = huffman_tree(vocab.counts) if self.hs else None
        self._set_paths()

    def _set_paths(self) -> None:
        """Each word's Huffman code and points as its ``"code"``/``"point"`` attributes (gensim's expandos)."""
        if self.tree is None:
            return
        for attr, path in (("code", self.tree.code), ("point", self.tree.point)):
            values = np.empty(len(self.wv), dtype=object)
            for word in range(len(self.wv)):
                values[word] = path(word)
            self.wv.expandos[attr] = values

    def estimate_memory(self, vocab_size: int | None = None, report: dict | None = None) -> dict[str, int]:
        """Bytes the model needs for ``vocab_size`` words (gensim's ``estimate_memory``, its constants: 500 a word)."""
        vocab_size = vocab_size or (len(self.wv) if self.wv is not None else 0)
        report = report or {}
        report["vocab"] = vocab_size * (700 if self.hs else 500)
        report["vectors"] = vocab_size * self.vector_size * np.dtype(np.float32).itemsize
        if self.hs:
            report["syn1"] = vocab_size * self.vector_size * np.dtype(np.float32).itemsize
        if self.negative:
            report["syn1neg"] = vocab_size * self.vector_size * np.dtype(np.float32).itemsize
        report["total"] = sum(report.values())
        return report

    def reset_from(self, other_model: Word2Vec) -> None:
        """Take ``other_model``'s vocabulary (shared, not copied) and start from fresh weights (gensim's ``reset_from``)."""
        self.vocabulary = other_model.vocabulary
        self._prepare_weights(update=False)

    @property
    def corpus_count(self) -> int:
        return self.vocabulary.sentence_count if self.vocabulary else 0

    @property
    def corpus_total_words(self) -> int:
        return self.vocabulary.total_words if self.vocabulary else 0

    @property
    def effective_min_count(self) -> int:
        """The ``min_count`` applied, raised by ``max_final_vocab`` if need be (gensim's attribute)."""
        return self.vocabulary.effective_min_count if self.vocabulary else self.min_count

    @property
    def cum_table(self) -> np.ndarray:
        return self.vocabulary.cum_table

    @property
    def layer1_size(self) -> int:
        return self.vector_size

    @property
    def epoch_losses(self) -> list[float]:
        """The loss of each epoch trained (all train() calls), summed over its (context, center) pairs: scratch's extra."""
        return [report.loss for report in self.epoch_reports]

    def get_latest_training_loss(self) -> float:
        """gensim's meaning: the loss summed over the epochs of the current (or last) ``train()`` call so far.

        Summed in float64 over every job of every worker (gensim's is a float32 that stops
        growing at 2**27, #2735, and that workers overwrite, #2743); 0.0 before training.
        The exact negative-sampling loss (gensim leaves out saturated scores); see
        :attr:`epoch_losses` for each epoch's."""
        return self.running_training_loss

    # ---------------------------------------------------------------- using the model
    def predict_output_word(self, context_words_list: Sequence, topn: int = 10) -> list[tuple[str, float]] | None:
        """The ``topn`` most probable center words for these context words (gensim's ``predict_output_word``).

        As gensim computes it: the sum (``cbow_mean``: the mean) of the context words' input
        vectors, ``exp`` of its product with every output vector, normalised to sum to 1
        (a softmax over the negative-sampling weights). Words not in the vocabulary are left
        out; ``None`` (with a warning) when none is left. Keys or indices, as in gensim.
        """
        if not self.negative:
            raise RuntimeError("We have currently only implemented predict_output_word for the negative sampling "
                               "scheme, so you need to have run word2vec with negative > 0 for this to work.")
        if self.syn1neg is None or self.wv is None or len(self.syn1neg) != len(self.wv):
            raise RuntimeError("Parameters required for predicting the output words not found (the model's output "
                               "weights, syn1neg, are not there: vectors alone cannot predict).")  # fmt: skip
        indices = [self.wv.get_index(word) for word in context_words_list if word in self.wv]
        if not indices:
            logger.warning("All the input context words are out-of-vocabulary for the current model.")
            return None
        hidden = np.sum(self.wv.vectors[indices], axis=0)
        if self.cbow_mean:
            hidden /= len(indices)
        probabilities = np.exp(np.dot(hidden, self.syn1neg.T))
        probabilities /= np.sum(probabilities)
        return [(self.wv.index_to_key[i], probabilities[i]) for i in top_indices(probabilities, topn)]

    def score(self, sentences: Iterable[Sequence[str]], total_sentences: int = int(1e6), chunksize: int = 100,
              queue_factor: int = 2, report_delay: float = 1) -> np.ndarray:  # fmt: skip
        """The log-probability of each sentence under the trained hierarchical softmax (gensim's ``score``).

        As gensim's ``score_sentence_sg``/``score_sentence_cbow`` (``word2vec_inner.pyx``): words
        not in the vocabulary are dropped (the rest close up), at most 10 000 words of a sentence
        are kept (gensim's ``MAX_SENTENCE_LEN``), windows are full (no random shrinking), and the
        score is, for skip-gram, the sum over (context, center) pairs of ``log p(center | context)``,
        for CBOW the sum over center words of ``log p(center | mean or sum of its context)``, each
        ``log p`` the sum of ``log sigmoid((1 - 2 code) * hidden . syn1[node])`` along the center's
        path (:mod:`.hs_numpy`). A float32 array of one score per sentence, for the first
        ``total_sentences`` sentences (Taddy, "Document Classification by Inversion of Distributed
        Language Representations", 2015).

        Not as gensim: the exact ``log sigmoid`` in float64 for every node, where gensim reads a
        1000-entry float32 table and leaves out nodes whose score is beyond +-6 (so a confident
        wrong turn costs its true log-probability here, nothing there). ``chunksize``,
        ``queue_factor`` and ``report_delay`` are accepted for gensim's signature (one thread here).
        Refused as in gensim: a model without vocabulary or without ``hs=1`` (``RuntimeError``).
        """
        if self.wv is None or not len(self.wv):
            raise RuntimeError("you must first build vocabulary before scoring new data")
        if not self.hs or self.syn1 is None:
            raise RuntimeError("We have currently only implemented score for the hierarchical softmax scheme, "
                               "so you need to have run word2vec with hs=1 and negative=0 for this to work.")
        scores = []
        for number, sentence in enumerate(sentences):
            if number >= total_sentences:
                logger.warning("terminating after %i sentences (set higher total_sentences if you want more).",
                               total_sentences)  # fmt: skip
                break
            words = [self.wv.key_to_index[word] for word in sentence if word in self.wv.key_to_index]
            scores.append(self._sentence_log_probability(words[:MAX_SENTENCE_LEN]))
        return np.array(scores, dtype=np.float32)

    def _sentence_log_probability(self, words: list[int]) -> float:
        """gensim's ``score_sentence_sg``/``score_sentence_cbow`` for one sentence of word ids (see :meth:`score`)."""
        vectors, tree, total = self.wv.vectors, self.tree, 0.0
        for i, center in enumerate(words):
            code, point = tree.code(center), tree.point(center)
            if not len(code):
                continue
            signs = 1.0 - 2.0 * code.astype(np.float64)
            rows = self.syn1[point].astype(np.float64)
            contexts = [words[j] for j in range(max(0, i - self.window), min(len(words), i + self.window + 1))
                        if j != i and len(tree.code(words[j]))]  # fmt: skip
            if self.sg:
                hiddens = vectors[contexts].astype(np.float64)  # one pair per context word
            else:
                hidden = vectors[contexts].astype(np.float64).sum(axis=0) if contexts else np.zeros(vectors.shape[1])
                if self.cbow_mean and contexts:
                    hidden /= len(contexts)
                hiddens = hidden[None, :]
            total -= float(np.logaddexp(0.0, -(hiddens @ rows.T) * signs).sum())
        return total

    # ---------------------------------------------------------------- training
    def train(
        self,
        corpus_iterable: Iterable[list[str]] | None = None,
        corpus_file: str | os.PathLike | None = None,
        total_examples: int | None = None,
        total_words: int | None = None,
        epochs: int | None = None,
        start_alpha: float | None = None,
        end_alpha: float | None = None,
        word_count: int = 0,
        queue_factor: int = 2,
        report_delay: float = 1.0,
        compute_loss: bool | None = None,
        callbacks: Sequence = (),
    ) -> tuple[int, int]:
        """Train for ``epochs`` passes; returns (effective words, raw words) like gensim.

        As gensim: ``epochs`` and one of ``total_examples``/``total_words`` must be given
        (``ValueError``), ``start_alpha``/``end_alpha`` replace the model's ``alpha``/``min_alpha``
        and ``epochs`` its ``epochs``, a learning rate above the last one reached is a warning.
        The schedule itself uses the exact raw word count of the encoded corpus (which is what
        ``total_words`` stands for). ``word_count``, ``queue_factor`` and ``report_delay`` are
        accepted for gensim's signature and have no effect here.
        """
        alpha = start_alpha or self.alpha
        min_alpha = end_alpha or self.min_alpha
        self.settings = dataclasses.replace(self.settings, alpha=alpha, min_alpha=min_alpha)  # checked again
        if alpha > self.min_alpha_yet_reached:
            logger.warning("Effective 'alpha' higher than previous training cycles")
        if self.hs and self.negative:  # gensim's _check_training_sanity: allowed, both layers train
            logger.warning("Both hierarchical softmax and negative sampling are activated. This is probably a "
                           "mistake. You should set either 'hs=0' or 'negative=0' to disable one of them. ")
        if self.vocabulary is not None and not len(self.vocabulary):
            vocab = self.vocabulary
            raise EmptyVocabularyError("the vocabulary is empty, nothing to train: " + empty_vocabulary_reason(
                vocab.effective_min_count, "", vocab.most_frequent, vocab.total_words, self.max_final_vocab))
        if self.wv is None or not len(self.wv):
            raise RuntimeError("you must first build vocabulary before training the model: call build_vocab(), "
                               "or pass the corpus to Word2Vec(...)")  # fmt: skip
        if total_words is None and total_examples is None:
            raise ValueError("You must specify either total_examples or total_words, for proper learning-rate and "
                             "progress calculations. If you've just built the vocabulary using the same corpus, "
                             "using the count cached in the model is sufficient: "
                             "total_examples=model.corpus_count.")  # fmt: skip
        if epochs is None or epochs <= 0:
            raise ValueError("You must specify an explicit epochs count. The usual value is epochs=model.epochs.")
        check_integers(epochs=epochs)
        self.settings = dataclasses.replace(self.settings, epochs=epochs)
        if self.vocabulary is None or (self.syn1neg is None and self.syn1 is None):
            raise RuntimeError("the model has vectors but no vocabulary or output weights (vectors set by hand, "
                               "e.g. loaded with load_word2vec_format): call build_vocab() first")  # fmt: skip
        compute_loss = self.compute_loss if compute_loss is None else compute_loss
        lockf = self._locks()
        sentences = _corpus(corpus_iterable, corpus_file)
        corpus = encode_sentences(sentences, self.vocabulary.key_to_index, to_disk=corpus_file is not None)
        try:
            if corpus.raw_words == 0:
                source = "" if corpus_file is None else f" ({corpus_file})"
                raise EmptyCorpusError(f"the corpus to train on{source} is empty")
            return self._train_encoded(corpus, epochs, compute_loss, callbacks, lockf)
        finally:
            corpus.close()

    def _locks(self) -> np.ndarray | None:
        """``wv.vectors_lockf`` as the numba loops take it, or ``None`` when every row trains freely (all 1).

        gensim indexes it by word modulo its length (1: one factor for all). Honoured by the
        numba and NumPy backends; the torch backend refuses a lock rather than ignore it."""
        lockf = getattr(self.wv, "vectors_lockf", None)
        if lockf is None:
            return None
        lockf = np.ascontiguousarray(lockf, dtype=np.float32).reshape(-1)
        if lockf.size == 0:
            raise SettingError("wv.vectors_lockf is empty: give it one factor for all words or one per word")
        if (lockf == 1.0).all():
            return None
        if self.backend == "torch":
            raise UnsupportedSettingError("wv.vectors_lockf (rows locked or scaled) is honoured by the numba and "
                                          "numpy backends, not backend='torch'")  # fmt: skip
        return lockf

    def _alpha_at(self, progress: float) -> float:
        """The learning rate after ``progress`` (0..1) of all training: linear decay, gensim's formula."""
        return max(self.min_alpha, self.alpha - (self.alpha - self.min_alpha) * progress)

    def _train_encoded(self, corpus: EncodedCorpus, epochs: int, compute_loss: bool, callbacks,
                       lockf: np.ndarray | None = None) -> tuple[int, int]:  # fmt: skip
        jobs = corpus.batches(self.batch_words)
        raw_total = corpus.raw_words
        guide = sgns_numba.noise_guide(self.vocabulary.cum_table) if self.backend == "numba" else None
        torch_trainer = self._torch_trainer() if self.backend == "torch" else None
        self.running_training_loss = 0.0
        _call(callbacks, "on_train_begin", self)
        effective_total = raw_done = 0
        try:
            for epoch in range(epochs):
                _call(callbacks, "on_epoch_begin", self)
                if torch_trainer is not None:
                    report = self._train_epoch_torch(torch_trainer, corpus, jobs, epoch, epochs, raw_total,
                                                     compute_loss)  # fmt: skip
                    torch_trainer.copy_back(self.wv.vectors, self.syn1neg)
                else:
                    report = self._train_epoch(corpus, jobs, epoch, epochs, raw_total, guide, compute_loss, lockf)
                self._check_finite(epoch, report)
                self._check_scores(epoch, corpus)
                self.epoch_reports.append(report)
                self.running_training_loss += report.loss
                self.min_alpha_yet_reached = report.alpha_end
                effective_total += report.effective_words
                raw_done += report.raw_words
                loss = f", loss {report.loss_per_pair:.4f} per pair" if compute_loss and report.pairs else ""
                logger.info("epoch %i: %.0f words/s, %i pairs, alpha %.5f%s", epoch + 1, report.words_per_second,
                            report.pairs, report.alpha_end, loss)  # fmt: skip
                _call(callbacks, "on_epoch_end", self)
        finally:
            if torch_trainer is not None:
                torch_trainer.close()
                self.sync_rows = torch_trainer.replicas.rows_per_sync if torch_trainer.replicas else []
        self.train_count += 1
        self.wv.norms = None
        _call(callbacks, "on_train_end", self)
        return effective_total, raw_done

    def _train_epoch(self, corpus, jobs, epoch, epochs, raw_total, guide, compute_loss, lockf=None) -> EpochReport:
        """One epoch with the numba loop in ``workers`` threads, or the NumPy step in the calling thread."""
        vocab = self.vocabulary
        lock = threading.Lock()
        totals = EpochTotals(alpha=self.alpha)
        bar = EpochProgress(epoch, epochs, raw_total, compute_loss) if self.progress else None
        started = time.perf_counter()
        empty_rows = np.empty((0, self.vector_size), dtype=np.float32)

        def run_job(index: int) -> None:
            first, end, raw_before = jobs[index]
            alpha = self._alpha_at((epoch + raw_before / raw_total) / epochs)
            job = JobSettings(window=self.window, negative=self.negative, alpha=alpha,
                              state=_job_seed(self.seed, self.train_count, epoch, index),
                              subsample_words=self.sample > 0, shrink_windows=self.shrink_windows,
                              compute_loss=compute_loss, cbow_mean=None if self.sg else bool(self.cbow_mean),
                              max_score=GENSIM_MAX_EXP if self.skip_saturated else math.inf)  # fmt: skip
            starts = corpus.sentence_starts[first : end + 1]
            compiled, readable = self._corpus_loops()
            if self.backend == "numba":
                # what is not given is compiled out of the loop: no locks, no tree (hs=0)
                extra = {"lockf": lockf} if lockf is not None else {}
                extra.update(self._tree_arrays())
                syn1neg = self.syn1neg if self.syn1neg is not None else empty_rows  # negative=0: never read
                result = compiled.train_sentences(corpus.tokens, starts, self.wv.vectors, syn1neg, vocab.sample_int,
                                                  vocab.cum_table, guide, **job.keywords(), **extra)  # fmt: skip
            else:
                try:
                    result = readable.train_sentences(corpus.tokens, starts, self.wv.vectors, self.syn1neg,
                                                      vocab.sample_int, vocab.cum_table, **job.keywords(),
                                                      lockf=lockf, **self._tree_arrays())  # fmt: skip
                except OverflowError as exc:  # math.exp of a score beyond +-709
                    raise self._diverged(epoch, f"a score overflowed ({exc})") from None
            effective, pairs, loss, _ = result
            if not math.isfinite(loss):  # one float per job: the cheap, early sign of divergence
                raise self._diverged(epoch, f"the loss is {loss}")
            with lock:
                totals.add(int(corpus.raw_lengths[first:end].sum()), effective, pairs, loss, alpha)
                if bar is not None:
                    bar.show(totals)

        try:
            run_jobs(run_job, range(len(jobs)), self.workers if self.backend == "numba" else 1)
        finally:
            if bar is not None:
                bar.close(totals)
        return EpochReport.from_totals(epoch, time.perf_counter() - started, totals)

    def _corpus_loops(self):
        """The (compiled, readable) modules whose ``train_sentences`` walk a job for these settings."""
        if not self.sg:
            return cbow_numba, cbow_numpy
        if self.negative_sharing == "window":
            return shared_negatives_numba, shared_negatives_numpy
        return sgns_numba, sgns_numpy

    def _tree_arrays(self) -> dict[str, np.ndarray]:
        """The corpus loops' hierarchical-softmax arguments (``syn1`` and the tree's arrays); none with ``hs=0``."""
        if not self.hs:
            return {}
        tree = self.tree
        return {"syn1": self.syn1, "codes": tree.codes, "points": tree.points, "code_starts": tree.starts}

    def _check_finite(self, epoch: int, report: EpochReport) -> None:
        """Stop with :class:`TrainingDivergedError` when the epoch's loss or the vectors are not finite.

        Once per epoch: a pass over both matrices costs far less than the epoch did. (The
        numba and NumPy loops also check each job's loss as they go.)"""
        if not math.isfinite(report.loss):
            raise self._diverged(epoch, f"the loss is {report.loss}")
        for name, matrix in (("input", self.wv.vectors), ("output", self.syn1neg), ("output", self.syn1)):
            if matrix is not None and not np.isfinite(matrix).all():
                raise self._diverged(epoch, f"the {name} vectors hold NaN or infinite values")

    def _check_scores(self, epoch: int, corpus: EncodedCorpus) -> None:
        """Stop with :class:`TrainingDivergedError` when the trained vectors give observed words probability 0.

        The summed loss (``compute_loss``) stops training when a pair's probability
        underflows to 0 in float64 (a score beyond +-709.8 on the wrong side) as it is
        trained. Without it, and with gensim's ``skip_saturated`` rule (updates stop at
        saturated scores, so nothing overflows), a learning rate far too large gives
        vectors of 1e5..1e13 that stay finite: garbage no other check sees. So after each
        epoch the same criterion is applied to the vectors as they are, on a sample
        (:func:`probe_terms`), whether the loss is summed or not. Once per epoch on the
        host: no synchronisation is added to the torch steps.
        """
        if self.syn1neg is None:  # hierarchical softmax alone: the loss and the finite check above watch it
            return
        terms = probe_terms(corpus, self.wv.vectors, self.syn1neg, self.vocabulary.cum_table)
        if not np.isfinite(terms).all():
            raise self._diverged(epoch, "the trained vectors score neighbouring words of the corpus beyond +-709.8, "
                                        "on the wrong side: probability 0, an infinite loss")  # fmt: skip

    def _diverged(self, epoch: int, what: str) -> TrainingDivergedError:
        rates = f"alpha={self.alpha!r}" + (f", min_alpha={self.min_alpha!r}" if self.min_alpha > self.alpha else "")
        return TrainingDivergedError(f"training diverged in epoch {epoch + 1}: {what}. The learning rate ({rates}) "
                                     f"is too large for these settings; lower it (the default is 0.025). "
                                     f"The vectors are not usable.")  # fmt: skip

    def _torch_trainer(self):
        from .sgns_torch import TorchTrainer

        vocab = self.vocabulary
        return TorchTrainer(self.wv.vectors, self.syn1neg, vocab.sample_int, vocab.cum_table, device=self.device,
                            window=self.window, negative=self.negative, batch_size=self.batch_size,
                            subsample=self.sample > 0, shrink_windows=self.shrink_windows, threads=self.workers,
                            sync_every=self.sync_every, negative_sharing=self.negative_sharing,
                            max_score=GENSIM_MAX_EXP if self.skip_saturated else math.inf)  # fmt: skip

    def _train_epoch_torch(self, trainer, corpus, jobs, epoch, epochs, raw_total, compute_loss) -> EpochReport:
        """One epoch with the torch backend: same jobs, job seeds and learning rates as :meth:`_train_epoch`."""
        alphas = [self._alpha_at((epoch + raw_before / raw_total) / epochs) for _, _, raw_before in jobs]
        seeds = [_job_seed(self.seed, self.train_count, epoch, index) for index in range(len(jobs))]
        bar = EpochProgress(epoch, epochs, raw_total, compute_loss) if self.progress else None
        started = time.perf_counter()
        totals = EpochTotals(alpha=alphas[0])
        try:
            totals = trainer.train_epoch(corpus, jobs, alphas, seeds, compute_loss, bar.show if bar else None)
        finally:
            if bar is not None:
                bar.close(totals)
        return EpochReport.from_totals(epoch, time.perf_counter() - started, totals)

    # ------------------------------------------------------------- persistence
    def save(self, fname: str | os.PathLike, separately=None, sep_limit: int | None = None, ignore=(),
             pickle_protocol: int | None = None) -> None:  # fmt: skip
        """Save the whole model, ready to train further, to one ``.npz`` file (no pickle).

        gensim's signature: ``separately``, ``sep_limit``, ``ignore`` and ``pickle_protocol``
        choose how gensim splits its pickle into files; here every array goes into the one
        ``.npz`` whatever they say. The file is replaced atomically: a save that fails
        part-way keeps the previous file."""
        if self.vocabulary is None:
            raise RuntimeError("nothing to save: the model has no vocabulary yet")
        vocab = self.vocabulary
        meta = {
            "config": self.settings.saved(),
            "keys": vocab.index_to_key,
            "total_words": vocab.total_words,
            "sentence_count": vocab.sentence_count,
            "effective_min_count": vocab.effective_min_count,
            "train_count": self.train_count,
            "epoch_reports": [asdict(report) for report in self.epoch_reports],
            "running_training_loss": self.running_training_loss,
            "min_alpha_yet_reached": self.min_alpha_yet_reached,
        }
        lockf = np.asarray(getattr(self.wv, "vectors_lockf", np.ones(1)), dtype=np.float32)
        outputs = {name: array for name, array in (("syn1neg", self.syn1neg), ("syn1", self.syn1)) if array is not None}
        write_npz(fname, meta=json_array(meta), vectors=self.wv.vectors, counts=vocab.counts,
                  sample_int=vocab.sample_int, cum_table=vocab.cum_table, vectors_lockf=lockf, **outputs)  # fmt: skip

    @classmethod
    def load(cls, fname: str | os.PathLike, mmap: str | None = None, device: str | None = None) -> Word2Vec:
        """Load a model written by :meth:`save`; ``device`` replaces the torch backend's saved device.

        ``mmap`` (gensim's) is accepted as ``None`` or ``"r"``: the arrays of an ``.npz`` are
        read into memory either way (the values are the same). Called on an instance it is an
        ``AttributeError``, as in gensim. A file of vectors alone (``KeyedVectors.save``) is a
        :class:`~.model_files.NotAModelError` (an ``AttributeError`` as in gensim); a pickle
        (gensim's own ``save()``) is refused (:func:`~.model_files.read_npz`); a truncated or
        corrupt file is a :class:`~.model_files.ModelFileError` that names it."""
        if mmap not in (None, "r"):
            raise ValueError(f"mmap must be None or 'r', got {mmap!r}")
        with read_npz(fname, "a Word2Vec model (Word2Vec.save)") as data:
            if "meta" not in data.files and "keys" in data.files:
                raise NotAModelError(f"{fname}: vectors only (KeyedVectors.save), not a whole Word2Vec model: "
                                     f"load them with KeyedVectors.load(path)")  # fmt: skip
            meta = from_json_array(data["meta"])
            config = meta["config"]
            if device is not None:
                config["device"] = device
            model = cls(**config)
            model.vocabulary = Vocabulary(
                index_to_key=meta["keys"],
                counts=data["counts"],
                sample_int=data["sample_int"],
                cum_table=data["cum_table"],
                total_words=meta["total_words"],
                sentence_count=meta["sentence_count"],
                effective_min_count=meta["effective_min_count"],
            )
            model.wv = KeyedVectors(data["vectors"], meta["keys"], data["counts"])
            model.wv.vectors_lockf = np.array(data["vectors_lockf"]) if "vectors_lockf" in data.files else \
                np.ones(1, dtype=np.float32)  # fmt: skip
            model.syn1neg = np.array(data["syn1neg"]) if "syn1neg" in data.files else None
            model.syn1 = np.array(data["syn1"]) if "syn1" in data.files else None  # files before hs=1: none
            if model.hs:
                model.tree = huffman_tree(model.vocabulary.counts)
                model._set_paths()
            model.train_count = meta["train_count"]
            model.epoch_reports = [EpochReport(**report) for report in meta["epoch_reports"]]
            model.running_training_loss = meta.get("running_training_loss", 0.0)
            model.min_alpha_yet_reached = meta.get("min_alpha_yet_reached", model.alpha)
        return model

    def __repr__(self) -> str:
        words = len(self.vocabulary) if self.vocabulary else 0
        return (f"Word2Vec<vocab={words}, vector_size={self.vector_size}, window={self.window}, "
                f"negative={self.negative}, hs={self.hs}>")  # fmt: skip


def _setting_attribute(name: str) -> property:
    def set_setting(model: Word2Vec, value) -> None:
        model.settings = dataclasses.replace(model.settings, **{name: value})  # checked again

    return property(lambda model: getattr(model.settings, name), set_setting,
                    doc=f"The ``{name}`` setting: gensim's attribute, kept in ``model.settings``; setting it "
                        f"replaces the settings, checked again.")  # fmt: skip


for _setting in dataclasses.fields(Word2VecSettings):  # model.window, model.alpha, ... as gensim users use them
    setattr(Word2Vec, _setting.name, _setting_attribute(_setting.name))


def _call_on_class_only(*args, **kwargs):
    """What ``model.load`` is on an instance: gensim's ``call_on_class_only``, an ``AttributeError``."""
    raise AttributeError("This method should be called on a class object: Word2Vec.load(fname)")


def _corpus(corpus_iterable, corpus_file) -> Iterable[list[str]]:
    """The sentences to read, from exactly one of an iterable and a file (gensim's checks)."""
    if (corpus_iterable is None) == (corpus_file is None):
        raise TypeError("pass exactly one of sentences (an iterable of lists of words) and corpus_file (a path)")
    if corpus_file is not None:
        return LineSentence(check_training_file(corpus_file))
    if isinstance(corpus_iterable, (str, bytes)):
        raise TypeError("sentences must be an iterable of lists of words, not a string; for a path use corpus_file=")
    if iter(corpus_iterable) is corpus_iterable:
        raise TypeError("sentences is a one-shot iterator (e.g. a generator); training reads the corpus more than "
                        "once, so pass a list or a re-iterable object such as LineSentence")  # fmt: skip
    return corpus_iterable


def _job_seed(seed: int, train_count: int, epoch: int, job: int) -> int:
    """A 48-bit starting state for a job's random stream, from (seed, train call, epoch, job)."""
    sequence = np.random.SeedSequence([seed % 2**32, train_count, epoch, job])
    return int(sequence.generate_state(1, np.uint64)[0]) & LCG_MASK


def _call(callbacks, method: str, model: Word2Vec) -> None:
    for callback in callbacks:
        hook = getattr(callback, method, None)
        if hook is not None:
            hook(model)
