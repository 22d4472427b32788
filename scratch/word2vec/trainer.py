"""The word2vec trainer: gensim's ``Word2Vec`` API over the skip-gram steps of this package.

    >>> from scratch.word2vec import Word2Vec          # was: from gensim.models import Word2Vec
    >>> model = Word2Vec(sentences, vector_size=100, window=5, min_count=5, sg=1, workers=2)
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
   float64, is kept in ``model.epoch_losses``. gensim's ``get_latest_training_loss`` is a
   float32 running total over all epochs, which stops growing at 2**27 (gensim issue
   #2735), is overwritten by each worker thread with its own stale copy (#2743), and
   leaves out pairs whose score is beyond +-6; see the umbrella issue #2617.

``backend="torch"`` trains the same model in minibatches of pairs with PyTorch, on the
CPU or on a GPU (``device="cuda"``), and data-parallel across processes when started
with ``torchrun`` (:mod:`.sgns_torch`, :mod:`.distributed`). torch is imported only then.

Skip-gram (``sg=1``, :mod:`.sgns_numpy`) and CBOW (``sg=0``, :mod:`.cbow_numpy`), both with
negative sampling (``hs=0``). Unlike gensim, whose default is CBOW, scratch's default is
skip-gram, the model the chapter explains: code moving from gensim that relied on the
default passes ``sg=0``. The torch backend is skip-gram only.
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

from . import cbow_numba, cbow_numpy, sgns_numba, sgns_numpy
from .corpus import EmptyCorpusError, EncodedCorpus, LineSentence, check_corpus_file, encode_sentences
from .keyed_vectors import KeyedVectors
from .model_files import ModelFileError, from_json_array, json_array, read_npz, write_npz
from .progress import EpochProgress, EpochTotals
from .settings import JobSettings, TrainingDivergedError, Word2VecSettings, check_integers
from .sgns_numpy import EXP_OVERFLOW, GENSIM_MAX_EXP, LCG_MASK
from .threads import run_jobs
from .vocab import Vocabulary, build_vocabulary, count_words

logger = logging.getLogger(__name__)


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
    ``batch_size`` pairs on ``device`` ("cpu", "cuda" or "cuda:N"; on the CPU ``workers``
    threads each running whole jobs, at most one per usable core), synchronising
    replicas every ``sync_every`` jobs when ``torch.distributed`` is initialised.
    ``progress=True`` shows a tqdm bar per epoch on stderr with words/s, the learning
    rate and (with ``compute_loss``) the loss per pair (:mod:`.progress`).

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
        window: int = 5,
        min_count: int = 5,
        sample: float = 1e-3,
        negative: int = 5,
        ns_exponent: float = 0.75,
        alpha: float = 0.025,
        min_alpha: float = 0.0001,
        epochs: int = 5,
        workers: int = 3,
        seed: int = 1,
        sg: int = 1,
        hs: int = 0,
        cbow_mean: int = 1,
        skip_saturated: bool = False,
        shrink_windows: bool = True,
        max_final_vocab: int | None = None,
        callbacks: Sequence = (),
        compute_loss: bool = True,
        batch_words: int = 10_000,
        backend: str = "numba",
        progress: bool = False,
        device: str = "cpu",
        batch_size: int = 1024,
        sync_every: int = 4,
    ):
        self.settings = Word2VecSettings(
            vector_size=vector_size, window=window, min_count=min_count, sample=sample, negative=negative,
            ns_exponent=ns_exponent, alpha=alpha, min_alpha=min_alpha, epochs=epochs, workers=workers, seed=seed,
            sg=sg, hs=hs, cbow_mean=cbow_mean, skip_saturated=skip_saturated, shrink_windows=shrink_windows,
            max_final_vocab=max_final_vocab, compute_loss=compute_loss, batch_words=batch_words, backend=backend,
            progress=progress, device=device, batch_size=batch_size, sync_every=sync_every,
        )  # fmt: skip
        if backend == "torch":
            from .sgns_torch import resolve_device  # torch is imported only for this backend

            resolve_device(device)

        self.vocabulary: Vocabulary | None = None
        self.wv: KeyedVectors | None = None
        self.syn1neg: np.ndarray | None = None
        self.epoch_reports: list[EpochReport] = []
        self.train_count = 0
        self.sync_rows: list[int] = []  # torch backend, data-parallel: rows exchanged at each synchronisation

        if sentences is not None or corpus_file is not None:
            self.build_vocab(sentences, corpus_file)
            self.train(sentences, corpus_file, epochs=self.epochs, callbacks=callbacks)

    # -------------------------------------------------------------- vocabulary
    def build_vocab(
        self, corpus_iterable: Iterable[list[str]] | None = None, corpus_file: str | os.PathLike | None = None
    ) -> None:
        """Count the corpus, build the vocabulary and reset the weights (gensim's ``build_vocab``)."""
        sentences = _corpus(corpus_iterable, corpus_file)
        try:
            counts = count_words(sentences)
        except EmptyCorpusError as exc:
            if corpus_file is None:
                raise
            raise EmptyCorpusError(f"corpus file {corpus_file}: {exc}") from None
        self.vocabulary = build_vocabulary(counts, self.min_count, self.max_final_vocab, self.sample, self.ns_exponent)
        vocab = self.vocabulary
        self.wv = KeyedVectors(initial_vectors(len(vocab), self.vector_size, self.seed), vocab.index_to_key,
                               vocab.counts)  # fmt: skip
        self.syn1neg = np.zeros((len(vocab), self.vector_size), dtype=np.float32)
        logger.info("vocabulary: %i words of %i distinct, min_count=%i, from %i words in %i sentences",
                    len(vocab), len(counts.counts), vocab.effective_min_count, vocab.total_words,
                    vocab.sentence_count)  # fmt: skip

    @property
    def corpus_count(self) -> int:
        return self.vocabulary.sentence_count if self.vocabulary else 0

    @property
    def corpus_total_words(self) -> int:
        return self.vocabulary.total_words if self.vocabulary else 0

    @property
    def cum_table(self) -> np.ndarray:
        return self.vocabulary.cum_table

    @property
    def epoch_losses(self) -> list[float]:
        """The loss of each epoch trained, summed over its (context, center) pairs."""
        return [report.loss for report in self.epoch_reports]

    def get_latest_training_loss(self) -> float:
        """The loss of the last epoch (summed over its pairs); 0.0 before training."""
        return self.epoch_reports[-1].loss if self.epoch_reports else 0.0

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
        compute_loss: bool | None = None,
        callbacks: Sequence = (),
    ) -> tuple[int, int]:
        """Train for ``epochs`` passes; returns (effective words, raw words) like gensim.

        ``total_examples``/``total_words`` are accepted for gensim compatibility; the
        schedule uses the exact raw word count of the encoded corpus.
        """
        if self.vocabulary is None:
            raise RuntimeError("call build_vocab() before train(), or pass the corpus to Word2Vec(...)")
        epochs = self.epochs if epochs is None else epochs
        check_integers(epochs=epochs)
        alpha = start_alpha or self.alpha
        min_alpha = end_alpha if end_alpha is not None else self.min_alpha
        self.settings = dataclasses.replace(self.settings, alpha=alpha, min_alpha=min_alpha)  # checked again
        compute_loss = self.compute_loss if compute_loss is None else compute_loss
        sentences = _corpus(corpus_iterable, corpus_file)
        corpus = encode_sentences(sentences, self.vocabulary.key_to_index, to_disk=corpus_file is not None)
        try:
            if corpus.raw_words == 0:
                source = "" if corpus_file is None else f" ({corpus_file})"
                raise EmptyCorpusError(f"the corpus to train on{source} is empty")
            return self._train_encoded(corpus, epochs, compute_loss, callbacks)
        finally:
            corpus.close()

    def _alpha_at(self, progress: float) -> float:
        """The learning rate after ``progress`` (0..1) of all training: linear decay, gensim's formula."""
        return max(self.min_alpha, self.alpha - (self.alpha - self.min_alpha) * progress)

    def _train_encoded(self, corpus: EncodedCorpus, epochs: int, compute_loss: bool, callbacks) -> tuple[int, int]:
        jobs = corpus.batches(self.batch_words)
        raw_total = corpus.raw_words
        guide = sgns_numba.noise_guide(self.vocabulary.cum_table) if self.backend == "numba" else None
        torch_trainer = self._torch_trainer() if self.backend == "torch" else None
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
                    report = self._train_epoch(corpus, jobs, epoch, epochs, raw_total, guide, compute_loss)
                self._check_finite(epoch, report)
                self._check_scores(epoch, corpus)
                self.epoch_reports.append(report)
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

    def _train_epoch(self, corpus, jobs, epoch, epochs, raw_total, guide, compute_loss) -> EpochReport:
        """One epoch with the numba loop in ``workers`` threads, or the NumPy step in the calling thread."""
        vocab = self.vocabulary
        lock = threading.Lock()
        totals = EpochTotals(alpha=self.alpha)
        bar = EpochProgress(epoch, epochs, raw_total, compute_loss) if self.progress else None
        started = time.perf_counter()

        def run_job(index: int) -> None:
            first, end, raw_before = jobs[index]
            alpha = self._alpha_at((epoch + raw_before / raw_total) / epochs)
            job = JobSettings(window=self.window, negative=self.negative, alpha=alpha,
                              state=_job_seed(self.seed, self.train_count, epoch, index),
                              subsample_words=self.sample > 0, shrink_windows=self.shrink_windows,
                              compute_loss=compute_loss, cbow_mean=None if self.sg else bool(self.cbow_mean),
                              max_score=GENSIM_MAX_EXP if self.skip_saturated else math.inf)  # fmt: skip
            starts = corpus.sentence_starts[first : end + 1]
            compiled, readable = (sgns_numba, sgns_numpy) if self.sg else (cbow_numba, cbow_numpy)
            if self.backend == "numba":
                result = compiled.train_sentences(corpus.tokens, starts, self.wv.vectors, self.syn1neg,
                                                  vocab.sample_int, vocab.cum_table, guide,
                                                  **job.keywords())  # fmt: skip
            else:
                try:
                    result = readable.train_sentences(corpus.tokens, starts, self.wv.vectors, self.syn1neg,
                                                      vocab.sample_int, vocab.cum_table, **job.keywords())  # fmt: skip
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

    def _check_finite(self, epoch: int, report: EpochReport) -> None:
        """Stop with :class:`TrainingDivergedError` when the epoch's loss or the vectors are not finite.

        Once per epoch: a pass over both matrices costs far less than the epoch did. (The
        numba and NumPy loops also check each job's loss as they go.)"""
        if not math.isfinite(report.loss):
            raise self._diverged(epoch, f"the loss is {report.loss}")
        for name, matrix in (("input", self.wv.vectors), ("output", self.syn1neg)):
            if not np.isfinite(matrix).all():
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
                            sync_every=self.sync_every,
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
    def save(self, path: str | os.PathLike) -> None:
        """Save the whole model, ready to train further, to one ``.npz`` file (no pickle).

        The file is replaced atomically: a save that fails part-way keeps the previous file."""
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
        }
        write_npz(path, meta=json_array(meta), vectors=self.wv.vectors, syn1neg=self.syn1neg, counts=vocab.counts,
                  sample_int=vocab.sample_int, cum_table=vocab.cum_table)  # fmt: skip

    @classmethod
    def load(cls, path: str | os.PathLike, device: str | None = None) -> Word2Vec:
        """Load a model written by :meth:`save`; ``device`` replaces the torch backend's saved device.

        A truncated or corrupt file is a :class:`~.model_files.ModelFileError` that names it."""
        with read_npz(path, "a Word2Vec model (Word2Vec.save)") as data:
            if "meta" not in data.files and "keys" in data.files:
                raise ModelFileError(f"{path}: vectors only (KeyedVectors.save), not a whole Word2Vec model: "
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
            model.syn1neg = np.array(data["syn1neg"])
            model.train_count = meta["train_count"]
            model.epoch_reports = [EpochReport(**report) for report in meta["epoch_reports"]]
        return model

    def __repr__(self) -> str:
        words = len(self.vocabulary) if self.vocabulary else 0
        return (f"Word2Vec<vocab={words}, vector_size={self.vector_size}, window={self.window}, "
                f"negative={self.negative}>")  # fmt: skip


def _read_only_setting(name: str) -> property:
    return property(lambda model: getattr(model.settings, name),
                    doc=f"The ``{name}`` setting, read-only: gensim's attribute, from ``model.settings``.")  # fmt: skip


for _setting in dataclasses.fields(Word2VecSettings):  # model.window, model.sg, ... as gensim users read them
    setattr(Word2Vec, _setting.name, _read_only_setting(_setting.name))


def _corpus(corpus_iterable, corpus_file) -> Iterable[list[str]]:
    """The sentences to read, from exactly one of an iterable and a file (gensim's checks)."""
    if (corpus_iterable is None) == (corpus_file is None):
        raise TypeError("pass exactly one of sentences (an iterable of lists of words) and corpus_file (a path)")
    if corpus_file is not None:
        return LineSentence(check_corpus_file(corpus_file))
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
