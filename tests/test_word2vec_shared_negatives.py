"""Skip-gram with noise words shared by a window (HogBatch, Ji et al. 2016): the NumPy window
step is SGD on the true window loss (finite differences in float64), and the numba loop walks
the same windows, noise words and random stream as the NumPy loop and makes the same updates."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_word2vec_training import assert_corpus_loops_agree, encoded_small_corpus, lee  # noqa: F401  (a fixture)

from scratch.word2vec import sgns_numba, sgns_numpy
from scratch.word2vec import shared_negatives_numba, shared_negatives_numpy
from scratch.word2vec.settings import JobSettings
from scratch.word2vec.vocab import noise_cum_table


def softplus(z: float) -> float:
    """log(1 + exp(z)) = -log sigmoid(-z), finite for large z."""
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def window_loss(syn0: np.ndarray, syn1neg: np.ndarray, contexts, center: int, negatives) -> float:
    """The window's loss written out in float64: for every context word, -log sigmoid(x . y_center)
    plus -log sigmoid(-x . y_n) for every noise word n that is not the center (each draw counted)."""
    loss = 0.0
    for context in contexts:
        x = syn0[context]
        loss += softplus(-float(x @ syn1neg[center]))
        loss += sum(softplus(float(x @ syn1neg[n])) for n in negatives if n != center)
    return loss


def finite_difference_gradient(loss, matrix: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of ``loss()`` with respect to every entry of ``matrix`` (changed in place, restored)."""
    gradient = np.zeros_like(matrix)
    for index in np.ndindex(matrix.shape):
        kept = matrix[index]
        matrix[index] = kept + eps
        plus = loss()
        matrix[index] = kept - eps
        minus = loss()
        matrix[index] = kept
        gradient[index] = (plus - minus) / (2 * eps)
    return gradient


WINDOWS = {
    # contexts, center, negatives
    "plain": ([1, 2, 4, 5], 3, [0, 6, 7]),
    "repeated context word": ([1, 2, 1, 5], 3, [0, 6, 7]),
    "noise word equal to the center": ([1, 2, 4], 3, [0, 3, 7]),
    "noise word drawn twice": ([1, 2, 4, 5], 3, [6, 0, 6]),
    "all at once": ([2, 2, 5], 4, [4, 1, 1, 6, 4]),
}


@pytest.mark.parametrize("scale", [0.1, 1.0])
@pytest.mark.parametrize("case", list(WINDOWS))
def test_window_step_is_sgd_on_the_window_loss(case, scale):
    """The step adds -alpha * gradient of the window loss to every row of both matrices (rows met twice
    get both terms) and returns that loss. The step rounds G to float32: relative error ~1e-7, hence rel
    1e-6 (the float64 central differences are good to ~1e-9 here)."""
    contexts, center, negatives = WINDOWS[case]
    rng = np.random.default_rng(21)
    syn0 = (rng.random((8, 6)) - 0.5) * scale
    syn1neg = (rng.random((8, 6)) - 0.5) * scale
    alpha = 0.3

    def loss():
        return window_loss(syn0, syn1neg, contexts, center, negatives)

    expected_loss = loss()
    grad_syn0 = finite_difference_gradient(loss, syn0)
    grad_syn1neg = finite_difference_gradient(loss, syn1neg)
    new_syn0, new_syn1neg = syn0.copy(), syn1neg.copy()
    step_loss = shared_negatives_numpy.window_step(new_syn0, new_syn1neg, np.array(contexts), center,
                                                   np.array(negatives), alpha)  # fmt: skip
    assert step_loss == pytest.approx(expected_loss, rel=1e-6)
    np.testing.assert_allclose(new_syn0 - syn0, -alpha * grad_syn0, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(new_syn1neg - syn1neg, -alpha * grad_syn1neg, rtol=1e-6, atol=1e-9)
    assert not np.array_equal(new_syn0, syn0) and not np.array_equal(new_syn1neg, syn1neg)


def test_window_step_without_loss_makes_the_same_update():
    contexts, center, negatives = WINDOWS["all at once"]
    rng = np.random.default_rng(3)
    syn0, syn1neg = rng.random((8, 6)) - 0.5, rng.random((8, 6)) - 0.5
    with_loss, without_loss = (syn0.copy(), syn1neg.copy()), (syn0.copy(), syn1neg.copy())
    shared_negatives_numpy.window_step(*with_loss, np.array(contexts), center, np.array(negatives), 0.1, True)
    assert shared_negatives_numpy.window_step(*without_loss, np.array(contexts), center, np.array(negatives), 0.1,
                                              False) == 0.0  # fmt: skip
    np.testing.assert_array_equal(with_loss[0], without_loss[0])
    np.testing.assert_array_equal(with_loss[1], without_loss[1])


@dataclasses.dataclass(frozen=True)
class LockedJob(JobSettings):
    """A job with gensim's ``vectors_lockf`` passed to both loops (``None``: compiled out / all 1)."""

    lockf: np.ndarray | None = None


@pytest.fixture(scope="module")
def small(lee):  # noqa: F811  (the fixture imported above)
    return encoded_small_corpus(lee)


def starting_vectors(vocab, size=24, seed=0):
    rng = np.random.default_rng(seed)
    syn0 = ((rng.random((len(vocab), size), dtype=np.float32) * 2 - 1) / 4).astype(np.float32)
    syn1neg = ((rng.random((len(vocab), size), dtype=np.float32) * 2 - 1) / 4).astype(np.float32)
    return syn0, syn1neg


# every option on and off, on 40 sentences of Lee's corpus (~29k pairs): the numba loop against the NumPy loop
OPTIONS = list(itertools.product([True, False], [True, False], [True, False], [math.inf, 6.0], [False, True]))


@pytest.mark.parametrize("compute_loss, subsample_words, shrink_windows, max_score, locked", OPTIONS)
def test_numba_loop_walks_the_windows_of_the_numpy_loop(small, compute_loss, subsample_words, shrink_windows,
                                                        max_score, locked):  # fmt: skip
    """Same words, pairs, final random state and loss (rel 1e-6: float32 scores summed in another order),
    vectors to float32 tolerance after ~29k pairs (updates summed in another order); rows whose
    lockf is 0 are exactly unchanged. The vectors start large (|x| <= 0.25, d=24: scores up to ~1.5)
    so that training moves them; max_score 6.0 is reached by no score here and 0.05 by many."""
    vocab, corpus = small
    syn0, syn1neg = starting_vectors(vocab)
    before = syn0.copy()
    lockf = None
    if locked:
        lockf = np.array([0.0, 1.0, 0.5], dtype=np.float32)[np.arange(len(vocab)) % 3]
    for limit in {max_score, 0.05} if max_score != math.inf else {max_score}:
        job = LockedJob(window=5, negative=5, alpha=0.025, state=987654321, subsample_words=subsample_words,
                        shrink_windows=shrink_windows, compute_loss=compute_loss, max_score=limit, lockf=lockf)
        assert_corpus_loops_agree(shared_negatives_numpy, shared_negatives_numba, vocab, corpus, syn0, syn1neg, job)
    if locked:
        frozen = lockf == 0.0
        np.testing.assert_array_equal(syn0[frozen], before[frozen])
        trained = np.unique(corpus.tokens)
        assert not np.array_equal(syn0[trained[lockf[trained] > 0]], before[trained[lockf[trained] > 0]])
    if not compute_loss:
        result = shared_negatives_numba.train_sentences(corpus.tokens, corpus.sentence_starts, syn0, syn1neg,
                                                        vocab.sample_int, vocab.cum_table,
                                                        sgns_numba.noise_guide(vocab.cum_table), 5, 5, 0.025, 1,
                                                        subsample_words, shrink_windows, False)  # fmt: skip
        assert result[2] == 0.0


def random_training_problem(seed, vocab_size, size, lengths):
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, 50, vocab_size)
    cum_table = noise_cum_table(counts, 0.75)
    sample_int = rng.integers(0, 2**32, vocab_size, dtype=np.uint64).astype(np.uint32)  # some words always kept
    sample_int[rng.random(vocab_size) < 0.3] = 2**32 - 1
    tokens = rng.integers(0, vocab_size, sum(lengths)).astype(np.int32)
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    syn0 = ((rng.random((vocab_size, size), dtype=np.float32) - 0.5)).astype(np.float32)
    syn1neg = ((rng.random((vocab_size, size), dtype=np.float32) - 0.5)).astype(np.float32)
    return tokens, starts, sample_int, cum_table, syn0, syn1neg


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    vocab_size=st.integers(1, 12),
    size=st.sampled_from([1, 4, 17, 33]),
    lengths=st.lists(st.integers(0, 12), min_size=1, max_size=6),
    window=st.integers(1, 5),
    negative=st.integers(1, 6),
    state=st.integers(0, 2**48 - 1),
    subsample_words=st.booleans(),
    shrink_windows=st.booleans(),
    compute_loss=st.booleans(),
    max_score=st.sampled_from([math.inf, 6.0, 0.2]),
    locked=st.booleans(),
)
def test_numba_loop_equals_numpy_loop_on_random_problems(seed, vocab_size, size, lengths, window, negative, state,
                                                         subsample_words, shrink_windows, compute_loss, max_score,
                                                         locked):  # fmt: skip
    """Tiny vocabularies make repeated context words, noise words equal to the center and noise words
    drawn twice common; sentences of 0 and 1 words train nothing. Vectors start at |x| <= 0.5 and the
    rate is large (0.1), so few steps move them far: rtol 1e-4 (float32 sums in another order)."""
    tokens, starts, sample_int, cum_table, syn0, syn1neg = random_training_problem(seed, vocab_size, size, lengths)
    lockf = np.random.default_rng(seed).choice(np.float32([0.0, 0.5, 1.0]), vocab_size) if locked else None
    keywords = dict(window=window, negative=negative, alpha=0.1, state=state, subsample_words=subsample_words,
                    shrink_windows=shrink_windows, compute_loss=compute_loss, max_score=max_score)  # fmt: skip
    numpy_syn0, numpy_syn1neg = syn0.copy(), syn1neg.copy()
    expected = shared_negatives_numpy.train_sentences(tokens, starts, numpy_syn0, numpy_syn1neg, sample_int, cum_table,
                                                      lockf=lockf, **keywords)  # fmt: skip
    extra = {} if lockf is None else {"lockf": lockf}
    result = shared_negatives_numba.train_sentences(tokens, starts, syn0, syn1neg, sample_int, cum_table,
                                                    sgns_numba.noise_guide(cum_table), **keywords, **extra)  # fmt: skip
    assert result[:2] == expected[:2]
    assert int(result[3]) == expected[3]
    assert result[2] == pytest.approx(expected[2], rel=1e-6, abs=1e-9)
    np.testing.assert_allclose(syn0, numpy_syn0, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(syn1neg, numpy_syn1neg, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("subsample_words", [True, False])
@pytest.mark.parametrize("loop", ["numpy", "numba"])
def test_a_single_word_sentence_trains_nothing_and_draws_no_noise(loop, subsample_words):
    """A center alone in its sentence has no context word: no step, no noise words; the random
    stream moves by the subsampling draw (when on) and the window draw only."""
    tokens, starts, sample_int, cum_table, syn0, syn1neg = random_training_problem(5, 4, 8, [1])
    sample_int[:] = 2**32 - 1  # kept whatever the draw
    before = syn0.copy(), syn1neg.copy()
    state = 123456789
    arguments = (tokens, starts, syn0, syn1neg, sample_int, cum_table)
    if loop == "numba":
        arguments += (sgns_numba.noise_guide(cum_table),)
    module = shared_negatives_numba if loop == "numba" else shared_negatives_numpy
    words, pairs, loss, end_state = module.train_sentences(*arguments, 5, 5, 0.1, state, subsample_words, True, True)
    expected_state = sgns_numpy.next_random(state)  # the window draw
    if subsample_words:
        expected_state = sgns_numpy.next_random(expected_state)
    assert (words, pairs, loss, int(end_state)) == (1, 0, 0.0, expected_state)
    np.testing.assert_array_equal(syn0, before[0])
    np.testing.assert_array_equal(syn1neg, before[1])


def test_bad_window_is_refused():
    tokens, starts, sample_int, cum_table, syn0, syn1neg = random_training_problem(5, 4, 8, [3])
    with pytest.raises(ValueError, match="window"):
        shared_negatives_numba.train_sentences(tokens, starts, syn0, syn1neg, sample_int, cum_table,
                                               sgns_numba.noise_guide(cum_table), 0, 5, 0.1, 1, True, True, True)  # fmt: skip


# ------------------------------------------------------------------ through Word2Vec
def test_word2vec_with_shared_noise_trains_the_same_vectors_on_numpy_and_numba(lee):
    """``Word2Vec(negative_sharing="window")`` runs the window loops of this scheme: one thread of
    the numba backend and the NumPy backend walk the same windows and give the same vectors, and
    the per-pair scheme (the default) gives different ones (its noise draws move the random stream
    between windows, so even its subsampling differs after the first window)."""
    from scratch.word2vec import Word2Vec

    params = dict(sg=1, vector_size=20, min_count=3, epochs=1, workers=1, seed=11, compute_loss=True)
    numba_model = Word2Vec(lee[:60], negative_sharing="window", **params)
    numpy_model = Word2Vec(lee[:60], backend="numpy", negative_sharing="window", **params)
    np.testing.assert_allclose(numba_model.wv.vectors, numpy_model.wv.vectors, rtol=1e-3, atol=1e-5)
    assert numba_model.epoch_reports[0].pairs == numpy_model.epoch_reports[0].pairs
    assert numba_model.epoch_losses[0] == pytest.approx(numpy_model.epoch_losses[0], rel=1e-6)
    per_pair = Word2Vec(lee[:60], **params)
    assert not np.allclose(per_pair.wv.vectors, numba_model.wv.vectors, rtol=1e-3, atol=1e-5)


def test_the_noise_scheme_is_saved_with_the_model(lee, tmp_path):
    from scratch.word2vec import Word2Vec

    model = Word2Vec(lee[:30], sg=1, vector_size=10, min_count=3, epochs=1, workers=1, negative_sharing="window")
    model.save(tmp_path / "m.npz")
    loaded = Word2Vec.load(tmp_path / "m.npz")
    assert loaded.negative_sharing == "window"
    again = Word2Vec.load(tmp_path / "m.npz")
    loaded.train(lee[:30], total_examples=30, epochs=1)
    again.train(lee[:30], total_examples=30, epochs=1)  # one thread: the same windows, the same vectors
    assert np.array_equal(loaded.wv.vectors, again.wv.vectors)
