"""Skip-gram with noise words shared by a window, on PyTorch: batches of windows as batched matrix products.

Read :mod:`.shared_negatives_numpy` first (the scheme, what sharing noise words changes
against word2vec.c's per-pair sampling) and :mod:`.sgns_torch` (jobs, draws, threads,
replicas: all unchanged here). Ji et al. 2016 ("Parallelizing Word2Vec in Shared and
Distributed Memory", Intel's pWord2Vec, *HogBatch*) draw ``negative`` noise words once per
center word and share them among the context words of its window, so that a window is
``[contexts x d] @ [d x (1 + negative)]`` and two more products for the gradients;
BlazingText (Gupta & Khare 2017) runs the same scheme on GPUs. Here a whole batch of
windows is one ``torch.bmm`` of each kind (:func:`window_step`):

    X = syn0[contexts]                    (W, C, d)      C context slots a window, padded
    Y = syn1neg[[center] + negatives]     (W, 1 + k, d)  the shared outputs: label 1, then k 0s
    F = X @ Y^T                           (W, C, 1 + k)  every score of every window
    G = (labels - sigmoid(F)) * alpha * valid * used
    syn0[contexts]   += G @ Y             (W, C, d)      index_add_: repeated rows summed
    syn1neg[outputs] += G^T @ X           (W, 1 + k, d)

A window's context slots are its ``2 * window`` neighbours, left to right, as in
:func:`.sgns_torch.job_examples` (a step cuts them to the middle ``2 * r`` when no window
of the step reaches farther than ``r``: :func:`span_batches`); a slot out of reach
(reduced window), out of the sentence or out of the job is *padding*: ``valid`` is false,
its index points at row 0 and its update is zero (so every tensor of a step has a shape
known before the step and nothing is selected by a data-dependent mask inside it: no host
synchronisation on a GPU).

What a batch of windows changes against the NumPy window step
(:func:`.shared_negatives_numpy.window_step`, one window at a time): the ``W`` windows of
a step all read the vectors as they were before the step and their updates are summed, as
the pairs of a :func:`.sgns_torch.sgns_step` minibatch are. With one window a step it *is*
the NumPy step. A row taking part in very many pairs of a step is capped as the output rows
of ``sgns_step`` are (:func:`repeat_scale`): here input rows as well as output rows.

The batch size: a job's windows are sorted by span (how far their farthest context word
is) and a step takes whole windows of one span, about ``batch_size`` (context, center)
pairs (:func:`span_batches`), so ``Word2Vec(batch_size=...)`` keeps its meaning, pairs per
step, on both schemes.

The draws of a job (:func:`job_windows`) come from the job's ``torch.Generator`` in the order
of :func:`.sgns_torch.job_examples`: subsampling, windows, then noise words, one row of
``negative`` per window that has a context word. So the (context, center) pairs of a job
are exactly those of ``job_examples`` with the same seed; only the noise words differ.

Measured on the CPU (2 cores shared with other work, load 2-3: noisy to +-15 %), the
first million words of the benchmark corpus, the benchmark's settings, 3 epochs, 2 workers,
vocabulary building included; held-out loss per pair of the trained vectors on the 50,000
words that follow (full windows, fixed noise words, as in :mod:`.sgns_torch`), one seed:

    ===============================  ==========  ===========  =============
    run                              words/s     x gensim     held-out loss
    ===============================  ==========  ===========  =============
    gensim 4.4.0 (per pair)          ~333,000    1.0
    numba, per pair                  ~434,000    1.3          2.608
    numba, shared by a window        ~1,190,000  3.6          2.621
    torch, per pair, 1024 a step     ~162,000    0.49         2.624
    torch, shared, 1024 a step       ~341,000    1.02         2.627
    torch, shared, 2048 / 4096       ~385,000    1.15         2.629 / 2.630
    ===============================  ==========  ===========  =============

Sorting the windows by span cost nothing in held-out loss (2.6270 either way) and saved
~15 % of the step time; the loss terms in float32 (summed in float64) ~5 %.

CUDA graphs and ``torch.compile``: a step is a dozen kernels with no host synchronisation,
no data-dependent shapes and ``window`` distinct shapes, which is what a CUDA graph capture
needs; the job's preparation (:func:`job_windows`, :func:`span_batches`) is not (it reads
sizes back once per job). Neither is used here. No GPU was available to measure whether a
capture pays. On the CPU, ``torch.compile(window_step, dynamic=True)`` ran the steps ~20 %
faster once compiled, but compiling took 22 s on the first call and ~5 s more as the other
spans' shapes arrived: more than it saves on a million words, and untested with several
job threads calling it at once.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import torch

from .sgns_numpy import EXP_OVERFLOW

#: An output row touched by more (valid context, output) pairs than this in one step moves by
#: ``WINDOW_MAX_REPEATS / n`` of its summed update (:func:`window_step`). A quarter of the per-pair
#: step's cap (``sgns_torch.MAX_REPEATS``, 256): on the full benchmark corpus (12.5 M words,
#: 42,332-word vocabulary) 4096 pairs a step diverged in the first epoch with a cap of 256 or
#: 128 and trained with 64 or 32, and 1024 pairs a step with two threads (Hogwild: two steps
#: reading the same stale rows) diverged in the second epoch with 256. A shared noise word takes
#: the summed updates of all its window's context words at once, in one direction, where per-pair
#: sampling spreads them over different noise words; the cap keeps that sum in check.
WINDOW_MAX_REPEATS = 64

#: An input row filling context slots worth more than this many (context, output) pairs in one
#: step moves by ``WINDOW_MAX_INPUT_REPEATS / n`` of its summed update (:func:`window_step`).
#: With the output cap alone, one of two runs of 4096 pairs a step (two threads, full corpus)
#: diverged in the first epoch, in a single step: a passage dense with single letters (an
#: enumeration, some algebra) put e, d, h, b and c in hundreds of that step's windows, and their
#: input rows (never capped) jumped from norms below 15 to 65-404. With this cap as well, three
#: seeds of 4096 pairs a step and two threads trained the full corpus (analogy 0.331, 0.327,
#: 0.326; WS-353 0.514, 0.527, 0.522; SimLex 0.304, 0.302, 0.308; gensim 0.315, 0.513, 0.308), so
#: 4096 is the window scheme's default step (``settings.DEFAULT_BATCH_SIZE``). The cap rarely binds
#: at 1024 pairs a step (a word would need ~43 of its ~1024 context slots).
WINDOW_MAX_INPUT_REPEATS = 256


def repeat_scale(rows: torch.Tensor, weights: torch.Tensor, n_rows: int, max_repeats: float) -> torch.Tensor:
    """``max_repeats / n`` for each entry of ``rows``, where ``n`` (at least ``max_repeats``) is the
    total weight its row has in ``rows``: the factor that caps a row's summed update in a step.

    A minibatch step sums, with ``index_add_``, the updates of a row touched many times, each
    computed from the same old vector: for a row touched ``n`` times that is one gradient step
    ``n`` times as long, where sequential SGD would have corrected itself after each update.
    Scaling the row's updates by ``max_repeats / n`` (for ``n > max_repeats``) keeps the sum at
    most ``max_repeats`` updates long and leaves rarer rows as they are. ``weights`` counts
    what one entry is worth (1 for a pair; the number of pairs a window slot takes part in).
    Counted with ``index_add_`` (``torch.bincount`` on CUDA reads its input's maximum back to
    the host: a synchronisation every step).
    """
    hits = torch.zeros(n_rows, dtype=weights.dtype, device=weights.device)
    hits.index_add_(0, rows.reshape(-1), weights.reshape(-1))
    return max_repeats / hits[rows].clamp_(min=max_repeats)


def kept_windows(
    tokens: torch.Tensor,
    lengths: torch.Tensor,
    sample_int: torch.Tensor | None,
    window: int,
    generator: torch.Generator,
    shrink_windows: bool = True,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """A job's words after subsampling, each one's ``2 * window`` neighbour positions and which are in its window.

    Returns (kept word ids ``(n,)``, neighbour positions ``(n, 2 * window)`` into the kept
    words, clamped into range; ``valid`` ``(n, 2 * window)``: the neighbour is within the
    center's reduced window and in its sentence). Offsets run ``-window .. -1, 1 .. window``,
    left to right. Draws from ``generator``, in this order: one uniform 32-bit integer per
    word for subsampling (word2vec.c's rule: kept when ``<= sample_int[word]``; none with
    ``sample_int=None``), then one ``b`` in ``[0, window)`` per kept word, which reaches
    ``window - b`` words each side (none with ``shrink_windows=False``). Shared by
    :func:`.sgns_torch.job_examples` and :func:`job_windows`.
    """
    device = tokens.device
    sentence = torch.repeat_interleave(torch.arange(len(lengths), device=device), lengths, output_size=len(tokens))
    if sample_int is not None:
        draws = torch.randint(0, 2**32, tokens.shape, generator=generator, device=device)
        keep = sample_int[tokens] >= draws
        tokens, sentence = tokens[keep], sentence[keep]
    n = len(tokens)
    if shrink_windows:
        reach = window - torch.randint(0, window, (n,), generator=generator, device=device)
    else:
        reach = torch.full((n,), window, device=device)
    # Neighbour j = i + offset of center i, for every offset; keep those within reach and sentence.
    offsets = torch.cat([torch.arange(-window, 0, device=device), torch.arange(1, window + 1, device=device)])
    neighbours = torch.arange(n, device=device)[:, None] + offsets
    inside = (neighbours >= 0) & (neighbours < n)
    neighbours.clamp_(0, max(n - 1, 0))
    valid = inside & (offsets.abs() <= reach[:, None]) & (sentence[neighbours] == sentence[:, None])
    return tokens, neighbours, valid


def job_windows(
    tokens: torch.Tensor,
    lengths: torch.Tensor,
    sample_int: torch.Tensor | None,
    cum_table: torch.Tensor,
    window: int,
    negative: int,
    generator: torch.Generator,
    shrink_windows: bool = True,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, int]:
    """The windows of one job: (contexts, valid, centers, negatives, words after subsampling).

    ``contexts`` ``(n_windows, 2 * window)`` int64: each window's neighbour words left to
    right, 0 in the slots that are not context words (``valid`` false); ``centers``
    ``(n_windows,)``; ``negatives`` ``(n_windows, negative)``, one row of noise words per
    window, shared by its context words, drawn as in :func:`.sgns_torch.job_examples` (a
    uniform integer below ``cum_table[-1]`` looked up with ``torch.searchsorted`` in the
    ``count ** 0.75`` table). A center with no context word (alone in its sentence after
    subsampling) makes no window and draws no noise words. The subsampling and window draws
    are :func:`kept_windows`', so ``contexts[valid]`` and the matching centers are exactly
    ``job_examples``' pairs for the same generator seed.
    """
    kept, neighbours, valid = kept_windows(tokens, lengths, sample_int, window, generator, shrink_windows)
    has_context = valid.any(dim=1)
    valid = valid[has_context]
    contexts = kept[neighbours[has_context]].masked_fill_(~valid, 0)
    centers = kept[has_context]
    values = torch.randint(0, int(cum_table[-1]), (len(centers), negative), generator=generator, device=kept.device)
    negatives = torch.searchsorted(cum_table, values, side="left")
    return contexts, valid, centers, negatives, len(kept)


def span_batches(
    contexts: torch.Tensor,
    valid: torch.Tensor,
    centers: torch.Tensor,
    negatives: torch.Tensor,
    batch_size: int,
) -> Iterator[tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]]:
    """A job's windows in steps of about ``batch_size`` context slots, each window cut to its span.

    A window whose farthest context word is ``r`` positions away (its *span*: its reduced
    window, or less at a sentence end) uses only the middle ``2 * r`` of its ``2 * window``
    slots. The windows are sorted by span (stably: in corpus order within a span), and each
    step takes ``max(1, batch_size // (2 * r))`` windows of one span ``r`` with just those
    slots: a step holds at most ``max(batch_size, 2 * r)`` slots and about ``batch_size``
    (context, center) pairs, so ``Word2Vec(batch_size=...)`` means pairs per step on both
    schemes, and the padding a fixed ``2 * window`` would carry (40 % of the slots with
    reduced windows, ``window + 1`` pairs a window on average) is not gathered, multiplied
    or scattered. Steps then have ``window`` shapes (one per span) but a span's last.
    The order of the windows changes only which windows share a step, all at the job's
    learning rate. Reads the span counts back to the host once per job.
    """
    window = contexts.shape[1] // 2
    offsets = torch.cat([torch.arange(window, 0, -1), torch.arange(1, window + 1)]).to(contexts.device)
    span = (valid * offsets).amax(dim=1) if len(valid) else torch.zeros(0, dtype=torch.int64, device=valid.device)
    order = torch.argsort(span, stable=True)
    contexts, valid, centers, negatives = contexts[order], valid[order], centers[order], negatives[order]
    start = 0
    for reach, count in enumerate(torch.bincount(span, minlength=window + 1).tolist()):
        end = start + count
        columns = slice(window - reach, window + reach)
        step = max(1, batch_size // max(2 * reach, 1))
        for first in range(start, end, step):
            rows = slice(first, min(first + step, end))
            yield contexts[rows, columns].contiguous(), valid[rows, columns], centers[rows], negatives[rows]
        start = end


def window_step(
    syn0: torch.Tensor,
    syn1neg: torch.Tensor,
    contexts: torch.Tensor,
    valid: torch.Tensor,
    centers: torch.Tensor,
    negatives: torch.Tensor,
    alpha: float,
    compute_loss: bool = True,
    max_repeats: int | None = None,
    max_score: float = math.inf,
    max_input_repeats: int | None = None,
) -> torch.Tensor:
    """One SGD step on a batch of ``W`` windows, each with its own shared noise words.

    ``contexts`` and ``valid`` ``(W, C)``: each window's context slots and which hold a
    context word (the others take no part; their index may be any row, 0 by
    :func:`job_windows`); ``centers`` ``(W,)``; ``negatives`` ``(W, k)``. For every window,
    valid context and output word (the center with label 1, each noise word with label 0;
    a noise word equal to the center takes no part, as in gensim), from the vectors as they
    are before the step (see the module docstring):

        f = syn0[context] . syn1neg[output]
        g = (label - sigmoid(f)) * alpha
        syn0[context]  += sum over the window's outputs of g * syn1neg[output]
        syn1neg[output] += sum over the window's contexts of g * syn0[context]

    with ``index_add_`` summing the updates of rows touched more than once, within a window
    and across windows. One window is :func:`.shared_negatives_numpy.window_step`; several
    are the sum of its updates computed from the same vectors.

    ``max_repeats``: an output row touched by ``n > max_repeats`` (valid context, output)
    pairs in the step moves by ``max_repeats / n`` of its summed update (:func:`repeat_scale`,
    as :func:`.sgns_torch.sgns_step` caps its output rows). ``max_input_repeats``: the same
    for input rows, a context word's row counting the pairs of every slot it fills. Inputs
    need it here where the per-pair step does not: a passage dense with the same few words
    (an enumeration of single letters, say) puts each of them in hundreds of windows of one
    step, and every one of those windows moves its input row toward the *same* shared outputs.
    ``max_score``: an output word scored ``|f| >= max_score`` takes no part in the update
    (gensim's ``MAX_EXP`` rule); the loss still counts it.

    Returns the loss, ``-log sigmoid(f)`` for the center plus ``-log sigmoid(-f)`` per used
    noise word, over the valid contexts, summed in float64 (each term in the vectors' dtype; a 0-d tensor, zero without
    ``compute_loss``; infinite where a term is beyond ``EXP_OVERFLOW``, as in ``sgns_step``).
    """
    windows, slots = contexts.shape
    size = syn0.shape[1]
    outputs = torch.cat([centers[:, None], negatives], dim=1)  # (W, 1 + k): label 1, then 0s
    used = torch.cat([torch.ones_like(centers, dtype=torch.bool)[:, None], negatives != centers[:, None]], dim=1)
    flat_contexts, flat_outputs = contexts.reshape(-1), outputs.reshape(-1)
    # Copies of the rows (index_select), so the whole step reads the old values.
    x = syn0.index_select(0, flat_contexts).view(windows, slots, size)  # (W, C, d)
    y = syn1neg.index_select(0, flat_outputs).view(*outputs.shape, size)  # (W, 1 + k, d)
    scores = torch.bmm(x, y.transpose(1, 2))  # (W, C, 1 + k): every dot product of every window
    taking_part = valid[:, :, None] & used[:, None, :]
    g = torch.sigmoid(scores).neg_()  # label - sigmoid(f), the label added next
    g[:, :, 0] += 1.0
    g.mul_(taking_part if max_score == math.inf else taking_part & (scores.abs() < max_score)).mul_(alpha)
    input_update = torch.bmm(g, y)  # (W, C, d)
    if max_input_repeats is not None:
        # Pairs per input row in this step: each valid context slot pairs with its window's used outputs.
        pairs = valid * used.sum(dim=1, dtype=g.dtype)[:, None]
        input_update.mul_(repeat_scale(contexts, pairs, len(syn0), max_input_repeats)[:, :, None])
    syn0.index_add_(0, flat_contexts, input_update.view(-1, size))
    output_update = torch.bmm(g.transpose(1, 2), x)  # (W, 1 + k, d)
    if max_repeats is not None:
        # Pairs per output row in this step: each output slot of a window pairs with its valid contexts.
        pairs = valid.sum(dim=1, dtype=g.dtype)[:, None].expand(outputs.shape)
        output_update.mul_(repeat_scale(outputs, pairs, len(syn1neg), max_repeats)[:, :, None])
    syn1neg.index_add_(0, flat_outputs, output_update.view(-1, size))
    if not compute_loss:
        return torch.zeros((), dtype=torch.float64, device=syn0.device)
    # -log sigmoid(f) = softplus(-f) for the center, -log sigmoid(-f) = softplus(f) for noise words,
    # each in float32 (relative error ~1e-7; softplus(f) = f exactly beyond f = 20), summed in float64.
    scores[:, :, 0].neg_()
    terms = torch.nn.functional.softplus(scores).mul_(taking_part)
    return terms.masked_fill_(terms > EXP_OVERFLOW, math.inf).sum(dtype=torch.float64)
