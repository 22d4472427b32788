"""The torch backend: its minibatch step is the NumPy step summed, its examples are skip-gram's,
it is deterministic on the CPU, it trains as well as gensim, and two gloo processes train as
well as one with identical replicas.

Expected values come from the NumPy reference step (:mod:`scratch.word2vec.sgns_numpy`),
from gensim, or from the formulas of the paper, never from the torch code itself.
"""

from __future__ import annotations

import logging
import math
import os
import statistics
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from test_word2vec_quality import SETTINGS as QUALITY_SETTINGS
from test_word2vec_quality import gensim_scores, quality, quality_corpus
from test_word2vec_training import encoded_small_corpus, random_problem

from reference import word2vec as ref
from scratch.artifacts import fetch
from scratch.word2vec import Word2Vec, sgns_numpy, sgns_torch
from scratch.word2vec.corpus import LineSentence

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def lee():
    return list(LineSentence(fetch("gensim-test-data") / "lee_background.cor"))


def torch_step(syn0, syn1neg, contexts, centers, negatives, alpha, max_score=math.inf):
    """Run the torch step on copies of NumPy arrays; returns (syn0, syn1neg, loss)."""
    syn0_t, syn1neg_t = torch.from_numpy(syn0.copy()), torch.from_numpy(syn1neg.copy())
    loss = sgns_torch.sgns_step(syn0_t, syn1neg_t, torch.as_tensor(contexts), torch.as_tensor(centers),
                                torch.as_tensor(negatives), alpha, max_score=max_score)  # fmt: skip
    return syn0_t.numpy(), syn1neg_t.numpy(), float(loss)


def test_a_batch_without_shared_rows_moves_every_vector_as_the_numpy_step():
    """Pairs that share no row do not interact: the batch is the NumPy steps one after another."""
    rng = np.random.default_rng(3)
    vocab, size, n_pairs, negative, alpha = 64, 24, 6, 3, 0.025
    syn0 = ((rng.random((vocab, size), dtype=np.float32) - 0.5) / 2).astype(np.float32)
    syn1neg = ((rng.random((vocab, size), dtype=np.float32) - 0.5) / 2).astype(np.float32)
    contexts = rng.permutation(vocab)[:n_pairs]
    outputs = rng.permutation(vocab)[: n_pairs * (1 + negative)].reshape(n_pairs, 1 + negative)
    centers, negatives = outputs[:, 0], outputs[:, 1:]
    expected0, expected1 = syn0.copy(), syn1neg.copy()
    expected_loss = sum(sgns_numpy.sgns_step(expected0, expected1, c, t, n, alpha)
                        for c, t, n in zip(contexts, centers, negatives))  # fmt: skip
    got0, got1, loss = torch_step(syn0, syn1neg, contexts, centers, negatives, alpha)
    np.testing.assert_allclose(got0, expected0, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(got1, expected1, rtol=1e-5, atol=1e-7)
    assert loss == pytest.approx(expected_loss, rel=1e-6)
    moved = np.any(got0 != syn0, axis=1)
    assert set(np.flatnonzero(moved)) == set(contexts.tolist())  # exactly the touched rows moved
    assert set(np.flatnonzero(np.any(got1 != syn1neg, axis=1))) == set(outputs.ravel().tolist())


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    vocab=st.integers(4, 12),
    size=st.sampled_from([1, 8, 17, 100]),
    negative=st.integers(1, 3),
    scale=st.sampled_from([0.01, 1.0, 4.0]),
    max_score=st.sampled_from([math.inf, sgns_numpy.GENSIM_MAX_EXP]),
)
def test_a_batch_step_is_the_sum_of_numpy_steps_from_the_same_vectors(seed, vocab, size, negative, scale, max_score):
    """With rows shared between pairs, ``index_add_`` sums what each pair's NumPy step would do alone
    (also under gensim's rule of skipping saturated scores, ``max_score=6``)."""
    rng = np.random.default_rng(seed)
    syn0, syn1neg, contexts, centers, _, _ = random_problem(rng, vocab, size, 30, negative, scale)
    # Distinct noise words within a pair (the NumPy step lets a repeated one see its first update);
    # a noise word may still be the center, which both steps skip.
    negatives = np.array([rng.permutation(vocab)[:negative] for _ in contexts])
    alpha = 0.02
    delta0, delta1, expected_loss = np.zeros_like(syn0), np.zeros_like(syn1neg), 0.0
    for c, t, n in zip(contexts, centers, negatives):
        alone0, alone1 = syn0.copy(), syn1neg.copy()
        expected_loss += sgns_numpy.sgns_step(alone0, alone1, c, t, n, alpha, max_score=max_score)
        delta0 += alone0 - syn0
        delta1 += alone1 - syn1neg
    got0, got1, loss = torch_step(syn0, syn1neg, contexts, centers, negatives, alpha, max_score)
    atol = 1e-5 * max(1.0, scale**2)
    np.testing.assert_allclose(got0 - syn0, delta0, rtol=1e-4, atol=atol)
    np.testing.assert_allclose(got1 - syn1neg, delta1, rtol=1e-4, atol=atol)
    assert loss == pytest.approx(expected_loss, rel=1e-5)
    # ... so the order of the pairs in the batch does not matter.
    order = rng.permutation(len(contexts))
    shuffled0, shuffled1, shuffled_loss = torch_step(syn0, syn1neg, contexts[order], centers[order],
                                                     negatives[order], alpha, max_score)  # fmt: skip
    np.testing.assert_allclose(shuffled0, got0, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(shuffled1, got1, rtol=1e-5, atol=1e-6)
    assert shuffled_loss == pytest.approx(loss, rel=1e-9)


def test_rows_repeated_beyond_max_repeats_move_by_a_capped_share_of_the_sum():
    rng = np.random.default_rng(5)
    syn0, syn1neg, contexts, centers, negatives, _ = random_problem(rng, 6, 8, 40, 3, 1.0)
    plain0, plain1, _ = torch_step(syn0, syn1neg, contexts, centers, negatives, 0.02)
    syn0_t, syn1neg_t = torch.from_numpy(syn0.copy()), torch.from_numpy(syn1neg.copy())
    sgns_torch.sgns_step(syn0_t, syn1neg_t, torch.as_tensor(contexts), torch.as_tensor(centers),
                         torch.as_tensor(negatives), 0.02, max_repeats=10)  # fmt: skip
    hits = np.bincount(np.concatenate([centers[:, None], negatives], axis=1).ravel(), minlength=6)
    share = np.minimum(1.0, 10 / np.maximum(hits, 1))[:, None]
    np.testing.assert_allclose(syn1neg_t.numpy() - syn1neg, share * (plain1 - syn1neg), rtol=1e-4, atol=1e-6)
    np.testing.assert_array_equal(syn0_t.numpy(), plain0)  # input vectors are summed as they are
    assert hits.max() > 10


def examples(vocab, corpus, seed, window=5, negative=5, subsample=True, shrink=True):
    generator = torch.Generator().manual_seed(seed)
    sample_int = torch.from_numpy(vocab.sample_int.astype(np.int64)) if subsample else None
    return sgns_torch.job_examples(
        torch.from_numpy(corpus.tokens.astype(np.int64)), torch.from_numpy(np.diff(corpus.sentence_starts)),
        sample_int, torch.from_numpy(vocab.cum_table.astype(np.int64)), window, negative, generator, shrink,
    )  # fmt: skip


def test_full_windows_give_the_pairs_of_skipgram_pairs_in_order(lee):
    vocab, corpus = encoded_small_corpus(lee)
    contexts, centers, negatives, kept = examples(vocab, corpus, 1, subsample=False, shrink=False)
    expected = []
    for s in range(len(corpus)):
        words = corpus.tokens[corpus.sentence_starts[s] : corpus.sentence_starts[s + 1]].tolist()
        expected += list(sgns_numpy.skipgram_pairs(words, 5, None))
    assert list(zip(contexts.tolist(), centers.tolist())) == expected
    assert kept == len(corpus.tokens) and negatives.shape == (len(expected), 5)


def test_subsampling_reduced_windows_and_noise_follow_word2vec(lee):
    vocab, corpus = encoded_small_corpus(lee, min_count=1)
    # Subsampling keeps word w with word2vec.c's probability (the vocabulary's thresholds).
    kept = examples(vocab, corpus, 7)[3]
    keep = vocab.sample_int.astype(np.float64) / (2**32 - 1)
    expected_kept = keep[corpus.tokens].sum()
    assert abs(kept - expected_kept) < 5 * math.sqrt(np.sum(keep[corpus.tokens] * (1 - keep[corpus.tokens])))
    assert kept < 0.9 * len(corpus.tokens)
    # Each center reaches r = window - b words each side, b uniform in [0, window): the pairs of
    # center i of a sentence of length L are min(r, i) + min(r, L - 1 - i).
    centers = examples(vocab, corpus, 8, subsample=False)[1]
    mean = variance = 0.0
    for length in np.diff(corpus.sentence_starts):
        i = np.arange(length)[:, None]
        per_reach = np.minimum(np.arange(1, 6), i) + np.minimum(np.arange(1, 6), length - 1 - i)  # (L, 5)
        mean += per_reach.mean(axis=1).sum()
        variance += per_reach.var(axis=1).sum()
    assert abs(len(centers) - mean) < 5 * math.sqrt(variance)
    # Noise words are drawn in proportion to count ** 0.75 (Mikolov et al. 2013, section 2.2).
    negatives = examples(vocab, corpus, 9, subsample=False)[2].reshape(-1).numpy()
    observed = np.bincount(negatives, minlength=len(vocab)) / len(negatives)
    expected = vocab.counts**0.75 / np.sum(vocab.counts**0.75)
    common = expected * len(negatives) >= 20  # where the normal approximation holds
    assert common.sum() > 100
    sd = np.sqrt(expected * (1 - expected) / len(negatives))
    assert np.all(np.abs(observed - expected)[common] <= 5 * sd[common])
    assert observed[0] > 0.01  # the most frequent words really are drawn most


def test_a_jobs_draws_depend_only_on_its_seed(lee):
    vocab, corpus = encoded_small_corpus(lee)
    first = examples(vocab, corpus, 99)
    examples(vocab, corpus, 5)  # another job in between changes nothing
    again = examples(vocab, corpus, 99)
    for a, b in zip(first[:3], again[:3]):
        assert torch.equal(a, b)
    assert not torch.equal(first[2][:100], examples(vocab, corpus, 98)[2][:100])


def test_cpu_training_is_deterministic_and_the_seed_matters(lee):
    """The same seed gives the same vectors bit for bit with one worker (as on the numba path)."""
    params = dict(sg=1, vector_size=16, min_count=3, epochs=2, workers=1, backend="torch", batch_size=2048,
                  compute_loss=True)
    first, second = Word2Vec(lee, seed=3, **params), Word2Vec(lee, seed=3, **params)
    np.testing.assert_array_equal(first.wv.vectors, second.wv.vectors)
    np.testing.assert_array_equal(first.syn1neg, second.syn1neg)
    assert first.epoch_losses == second.epoch_losses
    assert not np.allclose(first.wv.vectors, Word2Vec(lee, seed=4, **params).wv.vectors)
    losses = [report.loss_per_pair for report in first.epoch_reports]
    assert losses[0] > losses[-1] and all(0 < loss < 6 * math.log(2) for loss in losses)


def test_cpu_workers_are_threads_that_each_run_whole_jobs(lee, monkeypatch, caplog):
    """Each job runs in one thread with torch's intra-op parallelism off: no OpenMP team whose threads
    spin-wait for each other (on a busy 2-core machine 2 intra-op threads took 100 s for what 1 did in
    9.8 s). No more threads than usable cores, and a warning when more are asked for."""
    seen = []
    original = sgns_torch.TorchTrainer.train_job

    def recording(self, *args):
        seen.append((threading.get_ident(), torch.get_num_threads()))
        return original(self, *args)

    monkeypatch.setattr(sgns_torch.TorchTrainer, "train_job", recording)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})  # a 2-core machine
    before = torch.get_num_threads()
    with caplog.at_level(logging.WARNING):
        model = Word2Vec(lee, sg=1, vector_size=16, min_count=3, epochs=2, workers=8, backend="torch", batch_words=2000,
                         compute_loss=True)
    assert "workers=8 asks for more threads than the 2 CPU core(s) this process may use: training with 2" in caplog.text
    assert {intra_op for _, intra_op in seen} == {1}
    assert len({thread for thread, _ in seen}) == 2
    assert torch.get_num_threads() == before  # restored after training
    losses = [report.loss_per_pair for report in model.epoch_reports]
    assert losses[0] > losses[-1] and np.isfinite(model.wv.vectors).all()


def test_learning_rate_decays_like_gensim(lee, monkeypatch):
    """Each job's rate is gensim's _get_next_alpha at the job's position, as on the numba path."""
    seen = []
    original = sgns_torch.TorchTrainer.train_job

    def recording(self, tokens, lengths, alpha, seed, compute_loss):
        seen.append(alpha)
        return original(self, tokens, lengths, alpha, seed, compute_loss)

    monkeypatch.setattr(sgns_torch.TorchTrainer, "train_job", recording)
    model = Word2Vec(lee, sg=1, vector_size=8, min_count=2, epochs=3, workers=1, batch_words=4000, alpha=0.03,
                     min_alpha=0.001, backend="torch")  # fmt: skip
    gensim_model = ref.train(None, vector_size=8, alpha=0.03, min_alpha=0.001, epochs=3)  # untrained: the schedule
    raw_total = model.corpus_total_words
    jobs = [(start, before) for start, _, before in _jobs(model, lee, 4000)]
    assert len(seen) == 3 * len(jobs) > 6
    for n, alpha in enumerate(seen):
        epoch, job = divmod(n, len(jobs))
        assert alpha == pytest.approx(gensim_model._get_next_alpha(jobs[job][1] / raw_total, epoch), rel=1e-12)


def test_skip_saturated_reaches_the_torch_step(lee, monkeypatch):
    """``skip_saturated=True`` trains every step under gensim's MAX_EXP rule; the default under none."""
    seen = set()
    original = sgns_torch.sgns_step

    def recording(*args, **kwargs):
        seen.add(args[-1])
        return original(*args, **kwargs)

    monkeypatch.setattr(sgns_torch, "sgns_step", recording)
    for skip, expected in ((True, sgns_numpy.GENSIM_MAX_EXP), (False, math.inf)):
        seen.clear()
        Word2Vec(lee[:50], sg=1, vector_size=8, min_count=2, epochs=1, backend="torch", skip_saturated=skip)
        assert seen == {expected}


def _jobs(model, sentences, batch_words):
    from scratch.word2vec.corpus import encode_sentences

    return encode_sentences(sentences, model.vocabulary.key_to_index).batches(batch_words)


def test_save_load_keeps_the_backend_and_trains_on(lee, tmp_path):
    model = Word2Vec(lee, sg=1, vector_size=16, min_count=3, epochs=1, workers=1, seed=2, backend="torch", batch_size=512)
    model.save(tmp_path / "model.npz")
    loaded = Word2Vec.load(tmp_path / "model.npz")
    assert (loaded.backend, loaded.device, loaded.batch_size) == ("torch", "cpu", 512)
    np.testing.assert_array_equal(loaded.wv.vectors, model.wv.vectors)
    model.train(lee, total_examples=model.corpus_count, epochs=1)
    loaded.train(lee, total_examples=loaded.corpus_count, epochs=1)
    np.testing.assert_array_equal(loaded.wv.vectors, model.wv.vectors)


def test_bad_input_is_a_clear_error():
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match=r"device='cuda' needs CUDA.*torch.cuda.is_available\(\) is False"):
            Word2Vec(sg=1, backend="torch", device="cuda")
    for bad in (0, -3, 2.5):
        with pytest.raises(ValueError, match="batch_size must be a positive integer"):
            Word2Vec(sg=1, backend="torch", batch_size=bad)
    with pytest.raises(ValueError, match="device must be 'cpu', 'cuda' or 'cuda:N'"):
        Word2Vec(sg=1, backend="torch", device="tpu")
    with pytest.raises(ValueError, match="needs backend='torch'"):
        Word2Vec(backend="numba", device="cuda")
    with pytest.raises(ValueError, match="sync_every must be a positive integer"):
        Word2Vec(sg=1, backend="torch", sync_every=0)


# ----------------------------------------------------------------------------- quality
# The numba suite's comparison (tests/test_word2vec_quality.py): same corpus (the first 2 M
# words of gutenberg), same hyperparameters, same bounds and evaluator, and the same gensim
# runs (six seeds, computed once per session). The torch backend trains with one torch
# thread (on two cores the step's small operations run no faster on two) and three seeds,
# the most that fits the test budget on the CPU (~110k words/s against the numba loop's
# ~300k). With one run's WS-353 correlation varying by about 0.013 from seed to seed, the
# difference of a three-seed and a six-seed mean has a spread of about 0.009.
#
# WS-353 is held to the bound from below only. On this corpus, 3 epochs leave the vectors
# under-trained and WS-353 follows the learning rate steeply: the numba loop with alpha 0.05
# instead of 0.025 scored 0.35 and 0.31 (two seeds) against 0.17. Summed minibatch updates
# act as a slightly longer step (rows touched by several pairs of a step move by the sum of
# updates that sequential SGD would have damped one after another), and the torch backend
# scored 0.203, 0.196 and 0.192 against gensim's 0.161: better, not worse, by 0.036. On the
# full 12.5 M-word corpus with 5 epochs the benchmark finds torch inside both sides of every
# bound (WS-353 +0.0095 over two seeds; benchmarks/results/word2vec_torch.md).
TORCH_SEEDS = (1, 2, 3)


@pytest.fixture(scope="module")
def gutenberg():
    return quality_corpus()


@pytest.fixture(scope="module", params=["pair", "window"])
def scores(request):
    """gensim's runs and the torch backend's, noise words per pair or shared by a window (issue 21)."""
    data = fetch("gensim-test-data")
    results = {"gensim": list(gensim_scores()), "torch": []}
    for seed in TORCH_SEEDS:
        torch_wv = Word2Vec(quality_corpus(), seed=seed, backend="torch", negative_sharing=request.param,
                            **(QUALITY_SETTINGS | {"workers": 1})).wv  # fmt: skip
        results["torch"].append(quality(torch_wv, data, analogies=True))
    return results, request.param


@pytest.mark.parametrize("metric,bound,both_sides", [("analogy", 0.01, True), ("ws353", 0.02, False),
                                                     ("simlex", 0.02, True)])  # fmt: skip
def test_quality_matches_gensim(scores, metric, bound, both_sides):
    """At least gensim's quality less the bound; no more than it plus the bound where summed updates
    do not help (per pair). Shared noise words are another algorithm: held from below only."""
    scores, negative_sharing = scores
    both_sides = both_sides and negative_sharing == "pair"
    means = {name: statistics.mean(run[metric] for run in runs if metric in run) for name, runs in scores.items()}
    print(f"{metric}: " + ", ".join(f"{n} {[round(r[metric], 4) for r in runs if metric in r]}"
                                    for n, runs in scores.items()))  # fmt: skip
    assert means["torch"] >= means["gensim"] - bound
    if both_sides:
        assert means["torch"] <= means["gensim"] + bound
    # Not vacuous: untrained vectors score ~0 on all three (the numba suite's floors).
    assert means["torch"] > {"analogy": 0.03, "ws353": 0.08, "simlex": 0.08}[metric]


# ------------------------------------------------------------------------- distributed
@pytest.mark.parametrize("negative_sharing", ["pair", "window"])
def test_two_gloo_processes_train_like_one_with_identical_replicas(gutenberg, tmp_path, negative_sharing):
    """torchrun with two gloo processes, noise words per pair or shared by a window (issue 21)."""
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(" ".join(sentence) for sentence in gutenberg[:30]) + "\n", encoding="utf-8")
    options = dict(vector_size=50, min_count=5, epochs=3, seed=7, batch_size=4096, negative_sharing=negative_sharing)
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
               "-m", "scratch.word2vec.distributed", "--corpus-file", str(corpus), "--out", str(tmp_path / "m.npz"),
               "--save-replicas", "--threads", "1"]  # fmt: skip
    command += [f"--{key.replace('_', '-')}={value}" for key, value in options.items()]
    environment = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    done = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    replicas = [Word2Vec.load(tmp_path / f"m.rank{rank}.npz") for rank in (0, 1)]
    np.testing.assert_array_equal(replicas[0].wv.vectors, replicas[1].wv.vectors)
    np.testing.assert_array_equal(replicas[0].syn1neg, replicas[1].syn1neg)
    parallel = Word2Vec.load(tmp_path / "m.npz")
    np.testing.assert_array_equal(parallel.wv.vectors, replicas[0].wv.vectors)

    single = Word2Vec(corpus_file=corpus, sg=1, workers=1, backend="torch", compute_loss=True, **options)
    assert parallel.wv.index_to_key == single.wv.index_to_key
    # The ranks together trained on exactly the one process's examples (same job seeds) ...
    assert [r.pairs for r in parallel.epoch_reports] == [r.pairs for r in single.epoch_reports]
    assert [r.raw_words for r in parallel.epoch_reports] == [r.raw_words for r in single.epoch_reports]
    # ... to the same final training loss (the first epoch starts slower: frequent words,
    # touched on both ranks, move by the mean of two half-corpus updates) ...
    assert parallel.epoch_reports[-1].loss_per_pair == pytest.approx(single.epoch_reports[-1].loss_per_pair, rel=0.03)
    # ... and the same loss on held-out text. (WordSim-353 and SimLex are noise on a corpus this
    # small: single runs score around zero, so they cannot tell good vectors from bad here.)
    held_out = gutenberg[30:33]
    parallel_loss, single_loss = heldout_loss(parallel, held_out), heldout_loss(single, held_out)
    assert parallel_loss == pytest.approx(single_loss, rel=0.03)
    assert single_loss < 0.75 * 6 * math.log(2)  # well below the untrained loss of 1 + 5 coin flips


def heldout_loss(model, sentences) -> float:
    """The negative-sampling loss per pair of the model's vectors on the full-window pairs of
    ``sentences``, with noise words drawn by the NumPy reference from a fixed seed."""
    rng = sgns_numpy.RandomStream(12345)
    index = model.wv.key_to_index
    contexts, centers, noise = [], [], []
    for sentence in sentences:
        words = [index[w] for w in sentence if w in index]
        for context, center in sgns_numpy.skipgram_pairs(words, model.window, None):
            contexts.append(context)
            centers.append(center)
            noise.append(sgns_numpy.noise_words(model.vocabulary.cum_table, model.negative, rng))
    u = model.wv.vectors[contexts].astype(np.float64)
    positive = np.einsum("pd,pd->p", u, model.syn1neg[centers])
    negative = np.einsum("pd,pkd->pk", u, model.syn1neg[np.array(noise)])
    return float((np.logaddexp(0, -positive).sum() + np.logaddexp(0, negative).sum()) / len(contexts))
