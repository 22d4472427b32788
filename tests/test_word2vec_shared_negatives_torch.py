"""The torch backend's shared-negatives step (HogBatch): a batch of windows is the NumPy window step summed.

Expected values come from the NumPy window step (:func:`scratch.word2vec.shared_negatives_numpy.window_step`,
the oracle), from the per-pair torch path's ``job_examples`` (the pairs must be the same), or
from hand-computed shares, never from the code under test itself.

Tolerances: the torch step computes in float32 as the NumPy step does, but sums the same
products in another order (``bmm`` and ``index_add_`` against ``@`` and ``np.add.at``) and takes
the sigmoid in float32 where NumPy takes it in float64: a relative ~1e-6 per value, so
``rtol=1e-5`` with a small ``atol`` for values that cancel to near zero.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from test_word2vec_training import encoded_small_corpus

from scratch.artifacts import fetch
from scratch.word2vec import Word2Vec, sgns_numpy, sgns_torch, shared_negatives_numpy
from scratch.word2vec.corpus import LineSentence, encode_sentences
from scratch.word2vec.settings import SettingError
from scratch.word2vec.vocab import build_vocabulary, count_words
from scratch.word2vec.shared_negatives_torch import job_windows, span_batches, window_step

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


@pytest.fixture(scope="module")
def lee():
    return list(LineSentence(fetch("gensim-test-data") / "lee_background.cor"))


def random_windows(rng, vocab, size, windows, slots, negative, scale):
    """Vectors and ``windows`` random windows: repeated contexts, duplicate noise words and noise ==
    center are all likely with a small ``vocab``; padded slots point at random rows (they must not matter)."""
    syn0 = ((rng.random((vocab, size)) - 0.5) * scale).astype(np.float32)
    syn1neg = ((rng.random((vocab, size)) - 0.5) * scale).astype(np.float32)
    contexts = rng.integers(0, vocab, (windows, slots))
    valid = rng.random((windows, slots)) < 0.7
    valid[np.arange(windows), rng.integers(0, slots, windows)] = True  # at least one context a window
    centers = rng.integers(0, vocab, windows)
    negatives = rng.integers(0, vocab, (windows, negative))
    return syn0, syn1neg, contexts, valid, centers, negatives


def torch_window_step(syn0, syn1neg, contexts, valid, centers, negatives, alpha, max_score=math.inf,
                      max_repeats=None, device="cpu", max_input_repeats=None):  # fmt: skip
    """Run the torch step on copies of NumPy arrays; returns (syn0, syn1neg, loss)."""
    syn0_t, syn1neg_t = torch.tensor(syn0, device=device), torch.tensor(syn1neg, device=device)
    loss = window_step(syn0_t, syn1neg_t, *(torch.as_tensor(a, device=device) for a in (contexts, valid, centers)),
                       torch.as_tensor(negatives, device=device).reshape(len(centers), -1), alpha,
                       max_repeats=max_repeats, max_score=max_score, max_input_repeats=max_input_repeats)  # fmt: skip
    return syn0_t.cpu().numpy(), syn1neg_t.cpu().numpy(), float(loss)


def summed_numpy_windows(syn0, syn1neg, contexts, valid, centers, negatives, alpha, max_score=math.inf):
    """The oracle of a batch: each window's NumPy step from the same starting vectors, the changes summed."""
    delta0, delta1, loss = np.zeros(syn0.shape), np.zeros(syn1neg.shape), 0.0
    for c, v, t, n in zip(contexts, valid, centers, negatives):
        alone0, alone1 = syn0.copy(), syn1neg.copy()
        loss += shared_negatives_numpy.window_step(alone0, alone1, c[v], int(t), n, alpha, max_score=max_score)
        delta0 += alone0 - syn0
        delta1 += alone1 - syn1neg
    return delta0, delta1, loss


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    vocab=st.integers(2, 12),
    size=st.sampled_from([1, 8, 17, 100]),
    slots=st.integers(1, 10),
    negative=st.integers(0, 6),
    scale=st.sampled_from([0.01, 1.0, 8.0]),
    max_score=st.sampled_from([math.inf, sgns_numpy.GENSIM_MAX_EXP]),
    alpha=st.sampled_from([0.025, 0.3]),
)
def test_one_window_is_the_numpy_window_step(seed, vocab, size, slots, negative, scale, max_score, alpha):
    rng = np.random.default_rng(seed)
    syn0, syn1neg, contexts, valid, centers, negatives = random_windows(rng, vocab, size, 1, slots, negative, scale)
    expected0, expected1 = syn0.copy(), syn1neg.copy()
    expected_loss = shared_negatives_numpy.window_step(expected0, expected1, contexts[0][valid[0]], int(centers[0]),
                                                       negatives[0], alpha, max_score=max_score)  # fmt: skip
    got0, got1, loss = torch_window_step(syn0, syn1neg, contexts, valid, centers, negatives, alpha, max_score)
    atol = 1e-6 * max(1.0, scale**2)
    np.testing.assert_allclose(got0, expected0, rtol=1e-5, atol=atol)
    np.testing.assert_allclose(got1, expected1, rtol=1e-5, atol=atol)
    assert loss == pytest.approx(expected_loss, rel=1e-5, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    vocab=st.integers(2, 16),
    size=st.sampled_from([1, 8, 33]),
    windows=st.integers(1, 12),
    slots=st.sampled_from([2, 4, 10]),
    negative=st.integers(1, 5),
    scale=st.sampled_from([0.01, 1.0, 4.0]),
    max_score=st.sampled_from([math.inf, sgns_numpy.GENSIM_MAX_EXP]),
)
def test_a_batch_of_windows_is_the_sum_of_numpy_window_steps_from_the_same_vectors(
    seed, vocab, size, windows, slots, negative, scale, max_score
):
    rng = np.random.default_rng(seed)
    problem = random_windows(rng, vocab, size, windows, slots, negative, scale)
    syn0, syn1neg = problem[:2]
    delta0, delta1, expected_loss = summed_numpy_windows(*problem, 0.05, max_score)
    got0, got1, loss = torch_window_step(*problem, 0.05, max_score)
    atol = 1e-5 * max(1.0, scale**2)
    np.testing.assert_allclose(got0 - syn0, delta0, rtol=1e-4, atol=atol)
    np.testing.assert_allclose(got1 - syn1neg, delta1, rtol=1e-4, atol=atol)
    assert loss == pytest.approx(expected_loss, rel=1e-5, abs=1e-9)
    # ... so the order of the windows in the batch does not matter.
    order = rng.permutation(windows)
    shuffled = torch_window_step(syn0, syn1neg, *(a[order] for a in problem[2:]), 0.05, max_score)
    np.testing.assert_allclose(shuffled[0], got0, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(shuffled[1], got1, rtol=1e-5, atol=1e-6)


# Three windows of two context slots (a third, padded slot points at row 7 and pairs with nothing:
# not counted), one noise word each. "output": noise word 5 is shared by all three windows, so 6
# (context, output) pairs touch row 5 of syn1neg; the centers take 2 pairs each. "input": row 0
# fills a context slot of all three windows, and a slot pairs with its window's used outputs (the
# center, and the noise word unless it is the center: window 1's is not used), so row 0 of syn0
# takes part in 2 + 1 + 2 = 5 pairs; rows 1, 2, 3 in 2 each.
CAP_CASES = {
    "output": dict(contexts=[[0, 1, 7], [2, 3, 7], [4, 0, 7]], negatives=[[5], [5], [5]], row=5, pairs=6),
    "input": dict(contexts=[[0, 1, 7], [2, 0, 7], [0, 3, 7]], negatives=[[5], [2], [5]], row=0, pairs=5),
}


@pytest.mark.parametrize("side", CAP_CASES)
def test_a_row_beyond_its_cap_moves_by_a_capped_share_of_the_sum(side):
    """With a cap of 4, the row with more pairs moves by 4 / pairs of its summed update; every other
    row, on both sides, keeps its whole sum; a cap of ``pairs`` or more caps nothing."""
    case = CAP_CASES[side]
    rng = np.random.default_rng(11)
    syn0 = (rng.random((8, 6)) - 0.5).astype(np.float32)
    syn1neg = (rng.random((8, 6)) - 0.5).astype(np.float32)
    contexts, negatives = np.array(case["contexts"]), np.array(case["negatives"])
    valid = np.array([[True, True, False]] * 3)
    centers = np.array([1, 2, 3])
    problem = (contexts, valid, centers, negatives)
    delta0, delta1, _ = summed_numpy_windows(syn0, syn1neg, *problem, 0.1)
    cap = "max_repeats" if side == "output" else "max_input_repeats"
    got0, got1, _ = torch_window_step(syn0, syn1neg, *problem, 0.1, **{cap: 4})
    share = np.ones((8, 1))
    share[case["row"]] = 4 / case["pairs"]
    capped, whole = (delta1, delta0) if side == "output" else (delta0, delta1)
    got_capped, got_whole = (got1 - syn1neg, got0 - syn0) if side == "output" else (got0 - syn0, got1 - syn1neg)
    np.testing.assert_allclose(got_capped, share * capped, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(got_whole, whole, rtol=1e-5, atol=1e-7)
    assert np.abs(capped[case["row"]]).max() > 1e-3
    uncapped0, uncapped1, _ = torch_window_step(syn0, syn1neg, *problem, 0.1, **{cap: case["pairs"]})
    np.testing.assert_allclose(uncapped0 - syn0, delta0, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(uncapped1 - syn1neg, delta1, rtol=1e-5, atol=1e-7)


def windows_and_examples(vocab, corpus, seed, window=5, negative=5, subsample=True, shrink=True):
    def inputs():
        return (torch.from_numpy(corpus.tokens.astype(np.int64)), torch.from_numpy(np.diff(corpus.sentence_starts)),
                torch.from_numpy(vocab.sample_int.astype(np.int64)) if subsample else None,
                torch.from_numpy(vocab.cum_table.astype(np.int64)), window, negative)  # fmt: skip

    windows = job_windows(*inputs(), torch.Generator().manual_seed(seed), shrink)
    examples = sgns_torch.job_examples(*inputs(), torch.Generator().manual_seed(seed), shrink)
    return windows, examples


@pytest.mark.parametrize("subsample, shrink, window", [(True, True, 5), (False, True, 3), (False, False, 2),
                                                       (True, False, 1)])  # fmt: skip
def test_job_windows_hold_exactly_the_pairs_of_job_examples(lee, subsample, shrink, window):
    vocab, corpus = encoded_small_corpus(lee, min_count=1)
    (contexts, valid, centers, negatives, kept), (pair_contexts, pair_centers, _, pair_kept) = windows_and_examples(
        vocab, corpus, 21, window, 4, subsample, shrink)  # fmt: skip
    assert kept == pair_kept
    assert contexts.shape == valid.shape == (len(centers), 2 * window) and negatives.shape == (len(centers), 4)
    assert torch.equal(contexts[valid], pair_contexts)  # window by window, neighbours left to right
    assert torch.equal(centers.repeat_interleave(valid.sum(1)), pair_centers)
    assert valid.any(1).all() and (contexts[~valid] == 0).all()  # no empty window; padding points at row 0
    assert 0 <= negatives.min() and negatives.max() < len(vocab)


def test_a_word_alone_in_its_sentence_makes_no_window_and_draws_no_noise():
    sentences = [["a", "b", "c"], ["a"], ["b", "a"], ["c"]]
    vocab = build_vocabulary(count_words(sentences), 1)
    corpus = encode_sentences(sentences, vocab.key_to_index)
    (contexts, valid, centers, negatives, kept), _ = windows_and_examples(vocab, corpus, 3, 2, 3, False, False)
    index = vocab.key_to_index
    assert kept == 7 and centers.tolist() == [index[w] for w in "abcba"]
    assert valid.tolist() == [[False, False, True, True], [False, True, True, False], [True, True, False, False],
                              [False, False, True, False], [False, True, False, False]]  # fmt: skip
    # The noise words are the draws that follow the windows: 5 rows, not 7.
    generator = torch.Generator().manual_seed(3)
    table = torch.from_numpy(vocab.cum_table.astype(np.int64))
    values = torch.randint(0, int(table[-1]), (5, 3), generator=generator)  # no subsampling, no window draws
    assert torch.equal(negatives, torch.searchsorted(table, values))


def test_noise_words_follow_the_unigram_table(lee):
    """Noise words are drawn in proportion to count ** 0.75 (Mikolov et al. 2013, section 2.2)."""
    vocab, corpus = encoded_small_corpus(lee, min_count=1)
    negatives = windows_and_examples(vocab, corpus, 9, subsample=False)[0][3].reshape(-1).numpy()
    observed = np.bincount(negatives, minlength=len(vocab)) / len(negatives)
    expected = vocab.counts**0.75 / np.sum(vocab.counts**0.75)
    common = expected * len(negatives) >= 20
    sd = np.sqrt(expected * (1 - expected) / len(negatives))
    assert common.sum() > 50 and np.all(np.abs(observed - expected)[common] <= 5 * sd[common])


@pytest.mark.parametrize("batch_size", [1, 7, 64, 1024])
def test_span_batches_take_every_window_once_cut_to_its_span(lee, batch_size):
    vocab, corpus = encoded_small_corpus(lee)
    contexts, valid, centers, negatives, _ = windows_and_examples(vocab, corpus, 4, window=4)[0]
    ids = torch.arange(len(centers))  # in place of the centers: which window each row is
    seen, spans = [], []
    for c, v, i, n in span_batches(contexts, valid, ids, negatives, batch_size):
        reach = c.shape[1] // 2
        assert c.shape == v.shape and c.shape[1] == 2 * reach and 1 <= reach <= 4
        assert len(i) * 2 * reach <= max(batch_size, 2 * reach)
        columns = slice(4 - reach, 4 + reach)
        assert torch.equal(c, contexts[i, columns]) and torch.equal(v, valid[i, columns])
        assert torch.equal(n, negatives[i])
        assert not valid[i][:, : 4 - reach].any() and not valid[i][:, 4 + reach :].any()  # only padding cut
        assert (v[:, 0] | v[:, -1]).all()  # the span is the farthest context word
        seen += i.tolist()
        spans += [reach] * len(i)
    assert sorted(seen) == list(range(len(centers)))
    assert spans == sorted(spans)  # one span after another, corpus order within each
    assert all(a < b for a, b, r, q in zip(seen, seen[1:], spans, spans[1:]) if r == q)


PARAMS = dict(sg=1, vector_size=16, min_count=3, epochs=3, backend="torch", negative_sharing="window",
              compute_loss=True)  # fmt: skip


@pytest.fixture(scope="module")
def trained(lee):
    return Word2Vec(lee, seed=3, workers=1, **PARAMS)


def test_window_sharing_trains_and_is_deterministic_with_one_thread(lee, trained):
    losses = [report.loss_per_pair for report in trained.epoch_reports]
    assert losses[0] > losses[-1] and all(0 < loss < 6 * math.log(2) for loss in losses)
    pairs = [report.pairs for report in trained.epoch_reports]
    assert all(p > 0.5 * sum(map(len, lee)) for p in pairs)
    again = Word2Vec(lee, seed=3, workers=1, **PARAMS)
    np.testing.assert_array_equal(again.wv.vectors, trained.wv.vectors)
    np.testing.assert_array_equal(again.syn1neg, trained.syn1neg)
    assert again.epoch_losses == trained.epoch_losses
    # The pair scheme's vectors from the same seed are other vectors: the option reaches the step.
    pair = Word2Vec(lee, seed=3, workers=1, **{**PARAMS, "negative_sharing": "pair", "epochs": 1})
    assert not np.allclose(pair.wv.vectors, Word2Vec(lee, seed=3, workers=1, **{**PARAMS, "epochs": 1}).wv.vectors)


def test_window_sharing_lowers_the_held_out_loss(lee, trained):
    """Trained on the first 250 texts, scored on the rest: the loss per pair (full windows, fixed noise
    words drawn by the NumPy reference) falls well below the untrained one, log 2 per output word."""
    from test_word2vec_torch import heldout_loss

    model = Word2Vec(lee[:250], seed=5, workers=1, **{**PARAMS, "epochs": 5, "min_count": 2})
    untrained = 6 * math.log(2)
    assert heldout_loss(model, lee[250:]) < 0.8 * untrained


def test_the_default_step_is_1024_pairs_per_pair_and_4096_shared_by_a_window(lee, tmp_path):
    """The window step's default is larger (settings.DEFAULT_BATCH_SIZE); a given batch_size is kept,
    and a saved model keeps the number it trained with."""
    assert Word2Vec(sg=1, backend="torch").batch_size == 1024
    assert Word2Vec(sg=1, backend="torch", negative_sharing="window").batch_size == 4096
    assert Word2Vec(sg=1, backend="torch", negative_sharing="window", batch_size=512).batch_size == 512
    model = Word2Vec(lee[:50], workers=1, **{**PARAMS, "epochs": 1})
    model.save(tmp_path / "m.model")
    assert Word2Vec.load(tmp_path / "m.model").batch_size == 4096


def test_a_bad_negative_sharing_is_refused_by_the_trainer():
    arrays = np.zeros((4, 2), np.float32), np.zeros((4, 2), np.float32), np.ones(4, np.uint32), np.arange(1, 5)
    with pytest.raises(SettingError, match="negative_sharing.*'windows'"):
        sgns_torch.TorchTrainer(*arrays, device="cpu", window=2, negative=1, batch_size=8, subsample=False,
                                shrink_windows=True, threads=1, sync_every=1, negative_sharing="windows")  # fmt: skip


@pytest.mark.parametrize("device", DEVICES)
def test_the_step_on_each_device_is_the_numpy_sum(device):
    """The same code runs on the CPU and, where there is one, on a CUDA device."""
    rng = np.random.default_rng(2)
    problem = random_windows(rng, 30, 16, 50, 10, 5, 1.0)
    delta0, delta1, expected_loss = summed_numpy_windows(*problem, 0.025)
    got0, got1, loss = torch_window_step(*problem, 0.025, max_repeats=sgns_torch.MAX_REPEATS, device=device)
    np.testing.assert_allclose(got0 - problem[0], delta0, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(got1 - problem[1], delta1, rtol=1e-4, atol=1e-6)
    assert loss == pytest.approx(expected_loss, rel=1e-5)
