"""Skip-gram with negative sampling on PyTorch: minibatches of pairs, on the CPU or a GPU.

Read :mod:`scratch.word2vec.sgns_numpy` first: the model, the objective and the
gradient are the same. What changes is the order of work. The numba loop takes one
(context, center) pair at a time and updates the vectors before the next pair; a GPU
needs thousands of pairs at once. So each job (a run of consecutive sentences, the
same jobs as the numba path, :meth:`EncodedCorpus.batches`) is turned into index
tensors on the device (:func:`job_examples`):

1. **Subsampling**: one uniform 32-bit draw per word, the word kept when the draw is
   ``<= sample_int[word]`` (word2vec.c's rule, the threshold of :mod:`.vocab`).
2. **Reduced windows**: one draw ``b`` in ``[0, window)`` per kept word, which then
   reaches ``window - b`` words each side, within its own sentence.
3. **Pairs**: every (context, center) within reach, center by center, neighbours left
   to right: the order of :func:`sgns_numpy.skipgram_pairs`.
4. **Noise words**: ``negative`` uniform integers below ``cum_table[-1]`` per pair,
   looked up with ``torch.searchsorted`` in the same ``count ** 0.75`` table.

The draws come from a ``torch.Generator`` seeded for each job from (seed, train call,
epoch, job), the numba path's job seeds: a job's pairs and noise words depend on nothing
but its seed, not on which jobs ran before it or on which process runs it. They are not
the numba path's draws (that is word2vec.c's LCG, this is PyTorch's generator), so the
two backends are compared statistically, as scratch and gensim are.

The pairs are then cut into minibatches of ``batch_size`` and each minibatch takes one
step (:func:`sgns_step`): gather the rows, score, and ``index_add_`` the updates into
the two matrices. Only the rows the batch touches are read and written; there is no
dense optimizer step. The one difference from per-pair SGD: every pair of a minibatch
sees the vectors as they were at the start of the step, and the updates of pairs that
touch the same row are *summed* by ``index_add_``. (Per-pair SGD would let the second
pair see the first pair's update; the sum is the first-order approximation of that
sequence.) A frequent noise word may be drawn hundreds of times in one minibatch, so
``batch_size`` is a trade: larger minibatches run faster on a GPU, smaller ones stay
closer to word2vec's sequential updates. Measured on the first million words of the
benchmark corpus, one epoch, by the loss per pair of the trained vectors on the 50,000
words that follow (full windows, fixed noise words): 2.686 with the numba loop, 2.696
with 1024 pairs a step (the default), 2.701 with 4096, 2.719 with 16384. (The training
loss, summed as the steps go, says less: a sequential loop scores each pair after the
updates of the pairs before it, which share its center, so it reads 2.59 for the numba
loop against 2.69 at 1024 pairs a step for vectors nearly as good.) Above 16384 pairs
a step the frequent rows need the cap of ``MAX_REPEATS`` (see :func:`sgns_step`).
Because the gradients within a step do not depend on one another, the step's updates
and its loss do not depend on the order of the pairs.

The learning rate of a job is the numba path's: linear decay over raw words, from the
job's position in the corpus (``Word2Vec._alpha_at``).

Threads on the CPU: ``workers`` threads take whole jobs, as the numba path's threads do
(Hogwild: they update the shared matrices without locks, :mod:`.threads`), and each
torch operation runs in the thread that calls it (``torch.set_num_threads(1)`` while
training). PyTorch's own intra-op parallelism splits every operation over an OpenMP team
whose threads spin-wait for each other at its end; on minibatch-sized operations, with
a core taken by another process, that collapsed: 200,000 words took 100 s with 2 threads
and 9.8 s with 1 on a busy 2-core machine (345 s and 21 s with one more busy process;
with job threads 8.3 s and 11.2 s). Threads that each run their own jobs never wait for
each other. No more threads start than the process has cores
(:func:`.threads.usable_cores`); asking for more is a warning. One thread gives the same
vectors every run; more threads, as in gensim and on the numba path, do not.

Data parallelism (:class:`ReplicaSync`, :mod:`.distributed`): with ``torch.distributed``
initialised, rank ``r`` of ``W`` trains jobs ``r, r + W, r + 2W, ...``, and every
``sync_every`` of its jobs all ranks combine their work. Each rank keeps a copy of the
matrices as of the last synchronisation. At a synchronisation the ranks count, per word,
how many of them touched its rows (``all_reduce`` SUM of a per-word flag); for the rows
touched at all they ``all_reduce`` (SUM) their changes since the last synchronisation and
set ``row = row at last sync + sum of changes / number of ranks that changed it``. So a
row changed by one rank keeps that rank's change whole (plain averaging over all ``W``
ranks would move a word seen on one rank only ``1/W`` as far), and a row changed by
several takes the mean of their changes (summing them would step ``W`` times too far for
frequent words, computed from the same stale vector: on the test corpus the loss rose
epoch after epoch). Rows nobody touched are equal on all ranks already. After the sync
every rank holds the same matrices, bit for bit.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import torch
import torch.distributed as dist

from ..errors import TokembError
from .progress import EpochTotals
from .settings import SettingError, check_negative_sharing
from .shared_negatives_torch import (
    WINDOW_MAX_INPUT_REPEATS,
    WINDOW_MAX_REPEATS,
    job_windows,
    kept_windows,
    repeat_scale,
    span_batches,
    window_step,
)
from .sgns_numpy import EXP_OVERFLOW
from .threads import cpu_job_threads, run_jobs

DEFAULT_SYNC_EVERY = 4  # jobs per rank between synchronisations
MAX_REPEATS = 256  # an output row's summed update in one step counts at most this many pairs' worth


class DeviceUnavailableError(TokembError, RuntimeError):
    """The device asked for (a CUDA GPU) is not there."""


def resolve_device(device: str | torch.device) -> torch.device:
    """``torch.device(device)``, with a clear error when CUDA is asked for and not there."""
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise SettingError(f"device must be 'cpu', 'cuda' or 'cuda:N', got {device!r}") from exc
    if resolved.type not in ("cpu", "cuda"):
        raise SettingError(f"device must be 'cpu', 'cuda' or 'cuda:N', got {device!r}")
    if resolved.type == "cuda":
        if not torch.cuda.is_available():
            raise DeviceUnavailableError(f"device={device!r} needs CUDA, but torch.cuda.is_available() is False "
                               f"(torch {torch.__version__}): use device='cpu', or install a CUDA build of "
                               f"PyTorch on a machine with an NVIDIA GPU")  # fmt: skip
        if resolved.index is not None and resolved.index >= torch.cuda.device_count():
            raise DeviceUnavailableError(f"device={device!r}: only {torch.cuda.device_count()} CUDA device(s) "
                                         f"are visible")  # fmt: skip
    return resolved


def job_examples(
    tokens: torch.Tensor,
    lengths: torch.Tensor,
    sample_int: torch.Tensor | None,
    cum_table: torch.Tensor,
    window: int,
    negative: int,
    generator: torch.Generator,
    shrink_windows: bool = True,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, int]:
    """The (contexts, centers, negatives) index tensors of one job, and its words after subsampling.

    ``tokens`` are the job's word ids (int64, on the device), ``lengths`` its sentence
    lengths; ``sample_int=None`` keeps every word. The draws are made in a fixed order
    from ``generator``: subsampling, windows (:func:`.shared_negatives_torch.kept_windows`),
    noise words.
    """
    tokens, neighbours, valid = kept_windows(tokens, lengths, sample_int, window, generator, shrink_windows)
    device = tokens.device
    contexts = tokens[neighbours][valid]
    centers = tokens[:, None].expand_as(neighbours)[valid]
    values = torch.randint(0, int(cum_table[-1]), (len(centers), negative), generator=generator, device=device)
    negatives = torch.searchsorted(cum_table, values, side="left")
    return contexts, centers, negatives, len(tokens)


def sgns_step(
    syn0: torch.Tensor,
    syn1neg: torch.Tensor,
    contexts: torch.Tensor,
    centers: torch.Tensor,
    negatives: torch.Tensor,
    alpha: float,
    compute_loss: bool = True,
    max_repeats: int | None = None,
    max_score: float = math.inf,
) -> torch.Tensor:
    """One minibatch SGD step on pairs (contexts[p] -> centers[p]) with noise words negatives[p].

    For every pair and output word (the center with label 1, each noise word with label
    0; a noise word equal to the center is skipped, as in gensim), from the vectors as
    they are before the step:

        f = syn0[context] . syn1neg[target]
        g = (label - sigmoid(f)) * alpha
        syn0[context]   += sum over the pair's targets of g * syn1neg[target]
        syn1neg[target] += g * syn0[context]

    with ``index_add_`` summing the updates of rows touched more than once. Returns the
    loss, ``-log sigmoid(f)`` for the center plus ``-log sigmoid(-f)`` per noise word,
    summed in float64 (a 0-d tensor; zero when ``compute_loss`` is false).

    ``max_repeats``: an output row touched ``n > max_repeats`` times in the step moves by
    ``max_repeats / n`` times the sum of its updates. Summing ``n`` updates computed from
    the same old vector is one gradient step ``n`` times as long, where sequential SGD
    would have corrected itself after each update. For the few most frequent noise words
    (``the`` is ~1.7 % of all draws: ~100 times in 1024 pairs, ~1,700 in 16384) that can
    overshoot: on the benchmark's first million words, 16384 pairs a step diverged with
    no cap and with a cap of 512, and trained with 256 (held-out loss 2.719). A cap binds
    only where it is needed: at 1024 and 4096 pairs a step, 256 trained exactly as well as
    no cap, while a cap of 32 (this module's first choice) left frequent words
    under-trained (held-out loss 2.718 against 2.696 at 1024 pairs; on the full corpus it
    cost 0.03 of SimLex-999 correlation against gensim). Input vectors (``syn0``) are
    always summed.

    ``max_score``: an output word scored ``|f| >= max_score`` takes no part in the update
    (``sgns_numpy.GENSIM_MAX_EXP`` is gensim's rule; the loss still counts it), as in
    :func:`sgns_numpy.sgns_step`.
    """
    targets = torch.cat([centers[:, None], negatives], dim=1)  # (batch, 1 + negative): label 1, then 0s
    flat = targets.reshape(-1)
    used = torch.cat([torch.ones_like(centers, dtype=torch.bool)[:, None], negatives != centers[:, None]], dim=1)
    size = syn0.shape[1]
    # Copies of the rows (index_select), so the whole step reads the old values.
    inputs = syn0.index_select(0, contexts)  # (batch, size)
    outputs = syn1neg.index_select(0, flat).view(*targets.shape, size)  # (batch, 1 + negative, size)
    scores = (outputs * inputs[:, None, :]).sum(2)  # (batch, 1 + negative): the dot products
    g = torch.sigmoid(scores).neg_()  # label - sigmoid(f), the label added next
    g[:, 0] += 1.0
    g.mul_(used if max_score == math.inf else used & (scores.abs() < max_score)).mul_(alpha)
    syn0.index_add_(0, contexts, torch.bmm(g[:, None, :], outputs)[:, 0, :])
    if max_repeats is not None:
        g = g * repeat_scale(targets, torch.ones_like(g), len(syn1neg), max_repeats)  # each target once a pair
    syn1neg.index_add_(0, flat, (g[:, :, None] * inputs[:, None, :]).view(-1, size))
    if not compute_loss:
        return torch.zeros((), dtype=torch.float64, device=syn0.device)
    # -log sigmoid(f) = softplus(-f) for the center, -log sigmoid(-f) = softplus(f) for noise words.
    scores = scores.double()
    scores[:, 0].neg_()
    terms = torch.nn.functional.softplus(scores) * used
    # A term beyond EXP_OVERFLOW is a probability that underflows to 0 in float64: the numba
    # loop's loss is then infinite, and so is this one (training has diverged; the trainer stops).
    return terms.masked_fill_(terms > EXP_OVERFLOW, math.inf).sum()


class ReplicaSync:
    """Summed updates of touched rows across ranks, every ``every`` jobs (see the module docstring)."""

    def __init__(self, syn0: torch.Tensor, syn1neg: torch.Tensor, every: int):
        self.world = dist.get_world_size()
        self.rank = dist.get_rank()
        self.every = every
        self.synced0, self.synced1 = syn0.clone(), syn1neg.clone()  # the matrices at the last sync
        self.touched = torch.zeros(len(syn0), dtype=torch.int32, device=syn0.device)
        self.rows_per_sync: list[int] = []  # how many rows each synchronisation exchanged

    @staticmethod
    def active() -> bool:
        return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1

    def shard(self, jobs: int) -> list[list[int]]:
        """This rank's jobs (``rank, rank + W, ...``) in rounds of ``every``; every rank gets as many rounds."""
        mine = list(range(self.rank, jobs, self.world))
        rounds = math.ceil(math.ceil(jobs / self.world) / self.every)
        return [mine[q * self.every : (q + 1) * self.every] for q in range(rounds)]

    def mark(self, rows: torch.Tensor) -> None:
        self.touched[rows] = 1

    def sync(self, syn0: torch.Tensor, syn1neg: torch.Tensor) -> None:
        dist.all_reduce(self.touched)  # how many ranks touched each row
        rows = self.touched.nonzero().squeeze(1)
        self.rows_per_sync.append(len(rows))
        size = syn0.shape[1]
        changes = torch.cat([syn0[rows] - self.synced0[rows], syn1neg[rows] - self.synced1[rows]], dim=1)
        dist.all_reduce(changes)  # SUM over ranks
        changes /= self.touched[rows, None].to(changes.dtype)  # mean over the ranks that changed the row
        syn0[rows] = self.synced0[rows] + changes[:, :size]
        syn1neg[rows] = self.synced1[rows] + changes[:, size:]
        self.synced0[rows] = syn0[rows]
        self.synced1[rows] = syn1neg[rows]
        self.touched.zero_()

    def total(self, values: list[float]) -> list[float]:
        """Sum per-rank totals (words, pairs, loss) over the ranks, in float64."""
        tensor = torch.tensor(values, dtype=torch.float64, device=self.touched.device)
        dist.all_reduce(tensor)
        return tensor.tolist()


class TorchTrainer:
    """The matrices and tables on a device, and the loop over a corpus's jobs.

    On the CPU the tensors share memory with the model's NumPy arrays, so training
    updates them in place; on a GPU :meth:`copy_back` writes them back.
    """

    def __init__(self, syn0: np.ndarray, syn1neg: np.ndarray, sample_int: np.ndarray, cum_table: np.ndarray, *,
                 device: str, window: int, negative: int, batch_size: int, subsample: bool, shrink_windows: bool,
                 threads: int, sync_every: int, max_score: float = math.inf,
                 negative_sharing: str = "pair"):  # fmt: skip
        check_negative_sharing(negative_sharing, sg=1, hs=0, negative=negative)  # this trainer is skip-gram with noise
        self.device = resolve_device(device)
        self.threads_before = torch.get_num_threads()
        self.job_threads = 1  # on a GPU one thread queues the work
        if self.device.type == "cpu":
            self.job_threads = cpu_job_threads(threads)
            torch.set_num_threads(1)  # each thread runs its own jobs' operations: see the module docstring
        self.syn0 = torch.from_numpy(syn0).to(self.device)
        self.syn1neg = torch.from_numpy(syn1neg).to(self.device)
        self.sample_int = torch.from_numpy(sample_int.astype(np.int64)).to(self.device) if subsample else None
        self.cum_table = torch.from_numpy(cum_table.astype(np.int64)).to(self.device)
        self.window, self.negative, self.batch_size, self.shrink_windows = window, negative, batch_size, shrink_windows
        self.max_score = max_score
        self.negative_sharing = negative_sharing  # "window": noise words shared by a window (.shared_negatives_torch)
        self.replicas = ReplicaSync(self.syn0, self.syn1neg, sync_every) if ReplicaSync.active() else None

    def train_job(self, tokens: np.ndarray, lengths: np.ndarray, alpha: float, seed: int, compute_loss: bool):
        """Build one job's examples and step through them; returns (effective words, pairs, loss tensor)."""
        generator = torch.Generator(device=self.device)  # one per job: the job's draws depend only on its seed
        generator.manual_seed(seed)
        if self.negative_sharing == "window":
            return self._train_job_windows(tokens, lengths, alpha, generator, compute_loss)
        contexts, centers, negatives, effective = job_examples(
            torch.from_numpy(tokens.astype(np.int64)).to(self.device),
            torch.from_numpy(lengths).to(self.device),
            self.sample_int, self.cum_table, self.window, self.negative, generator, self.shrink_windows,
        )  # fmt: skip
        if self.replicas is not None:
            self.replicas.mark(centers)  # contexts are centers too
            self.replicas.mark(negatives.reshape(-1))
        loss = torch.zeros((), dtype=torch.float64, device=self.device)
        for start in range(0, len(centers), self.batch_size):
            batch = slice(start, start + self.batch_size)
            loss += sgns_step(self.syn0, self.syn1neg, contexts[batch], centers[batch], negatives[batch], alpha,
                              compute_loss, MAX_REPEATS, self.max_score)  # fmt: skip
        return effective, len(centers), loss

    def _train_job_windows(self, tokens, lengths, alpha, generator, compute_loss):
        """:meth:`train_job` with noise words shared by each window: batches of whole windows, :func:`window_step`."""
        contexts, valid, centers, negatives, effective = job_windows(
            torch.from_numpy(tokens.astype(np.int64)).to(self.device),
            torch.from_numpy(lengths).to(self.device),
            self.sample_int, self.cum_table, self.window, self.negative, generator, self.shrink_windows,
        )  # fmt: skip
        if self.replicas is not None:
            self.replicas.mark(centers)  # every context word is the center of a window too
            self.replicas.mark(negatives.reshape(-1))
        loss = torch.zeros((), dtype=torch.float64, device=self.device)
        for batch in span_batches(contexts, valid, centers, negatives, self.batch_size):
            loss += window_step(self.syn0, self.syn1neg, *batch, alpha, compute_loss, WINDOW_MAX_REPEATS,
                                self.max_score, WINDOW_MAX_INPUT_REPEATS)  # fmt: skip
        return effective, int(valid.sum()), loss

    def train_epoch(self, corpus, jobs, alphas, seeds, compute_loss,
                    progress: Callable[[EpochTotals], None] | None = None) -> EpochTotals:  # fmt: skip
        """Train on ``jobs`` (this rank's share of them when distributed); returns the epoch's totals.

        ``progress(totals)`` is called about once a second (reading the loss waits for the
        device); totals count all ranks at the end, and this rank's work times the world size before.
        """
        world = self.replicas.world if self.replicas is not None else 1
        rounds = self.replicas.shard(len(jobs)) if self.replicas is not None else [list(range(len(jobs)))]
        totals = EpochTotals(alpha=alphas[0])  # all but the loss, which stays on the device until the end
        loss = torch.zeros((), dtype=torch.float64, device=self.device)
        lock = threading.Lock()  # over totals and loss, when several threads train
        last_print = [time.perf_counter()]

        def run(index: int) -> None:
            first, end, _ = jobs[index]
            starts = corpus.sentence_starts[first : end + 1]
            effective, pairs, job_loss = self.train_job(corpus.tokens[starts[0] : starts[-1]], np.diff(starts),
                                                        alphas[index], seeds[index], compute_loss)  # fmt: skip
            with lock:
                loss.add_(job_loss)
                totals.add(int(corpus.raw_lengths[first:end].sum()), effective, pairs, 0.0, alphas[index])
                now = time.perf_counter()
                if progress is not None and now - last_print[0] >= 1.0:
                    last_print[0] = now
                    progress(replace(totals, loss=loss.item()).times(world))

        for round_jobs in rounds:
            run_jobs(run, round_jobs, self.job_threads)
            if self.replicas is not None:
                self.replicas.sync(self.syn0, self.syn1neg)
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
        totals.loss = loss.item()
        if self.replicas is not None:
            raw_words, effective_words, pairs, summed_loss = self.replicas.total(
                [float(totals.raw_words), float(totals.effective_words), float(totals.pairs), totals.loss])
            totals = EpochTotals(int(raw_words), int(effective_words), int(pairs), summed_loss, alphas[-1])
        return totals

    def copy_back(self, syn0: np.ndarray, syn1neg: np.ndarray) -> None:
        """Write the trained matrices into the model's arrays (a no-op on the CPU, where they are shared)."""
        if self.device.type != "cpu":
            syn0[...] = self.syn0.cpu().numpy()
            syn1neg[...] = self.syn1neg.cpu().numpy()

    def close(self) -> None:
        torch.set_num_threads(self.threads_before)
