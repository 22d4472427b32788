"""Skip-gram training: the NumPy step and the numba loop agree, the step is the gradient of the
true loss, sampling follows the paper and gensim, and the trainer behaves like gensim's."""

from __future__ import annotations

import dataclasses
import json
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference import word2vec as ref
from scratch.artifacts import fetch
from scratch.word2vec import Word2Vec, sgns_numba, sgns_numpy
from scratch.word2vec.corpus import LineSentence, encode_sentences
from scratch.word2vec.vocab import build_vocabulary, count_words, noise_cum_table
from scratch.word2vec.settings import JobSettings


@pytest.fixture(scope="module")
def lee():
    return list(LineSentence(fetch("gensim-test-data") / "lee_background.cor"))


def random_problem(rng, vocab, size, n_pairs, negative, scale):
    syn0 = ((rng.random((vocab, size), dtype=np.float32) - 0.5) * scale).astype(np.float32)
    syn1neg = ((rng.random((vocab, size), dtype=np.float32) - 0.5) * scale).astype(np.float32)
    contexts = rng.integers(0, vocab, n_pairs)
    centers = rng.integers(0, vocab, n_pairs)
    negatives = rng.integers(0, vocab, (n_pairs, negative))  # small vocabularies: repeats and hits of the center
    alphas = rng.uniform(0.0001, 0.05, n_pairs)
    return syn0, syn1neg, contexts, centers, negatives, alphas


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    vocab=st.integers(2, 12),
    size=st.sampled_from([1, 3, 8, 17, 50, 100]),
    negative=st.integers(1, 8),
    scale=st.sampled_from([0.01, 1.0, 4.0]),
)
def test_numpy_and_numba_make_the_same_update(seed, vocab, size, negative, scale):
    """Same pairs, noise words and learning rates in, same vectors and loss out."""
    rng = np.random.default_rng(seed)
    syn0, syn1neg, contexts, centers, negatives, alphas = random_problem(rng, vocab, size, 40, negative, scale)
    numpy_syn0, numpy_syn1neg = syn0.copy(), syn1neg.copy()
    numpy_loss = sum(
        sgns_numpy.sgns_step(numpy_syn0, numpy_syn1neg, c, t, n, a)
        for c, t, n, a in zip(contexts, centers, negatives, alphas)
    )
    numba_loss = sgns_numba.sgns_steps(syn0, syn1neg, contexts, centers, negatives, alphas, True)
    np.testing.assert_allclose(syn0, numpy_syn0, rtol=1e-4, atol=2e-6)
    np.testing.assert_allclose(syn1neg, numpy_syn1neg, rtol=1e-4, atol=2e-6)
    assert numba_loss == pytest.approx(numpy_loss, rel=1e-5)
    assert not np.array_equal(syn0, random_problem(np.random.default_rng(seed), vocab, size, 40, negative, scale)[0])


def true_pair_loss(u: np.ndarray, targets: np.ndarray, labels: list[float]) -> float:
    """-log sigmoid(u.v) for the center, -log sigmoid(-u.n) for each noise word, in float64."""
    loss = 0.0
    for v, label in zip(targets, labels):
        f = float(np.dot(u.astype(np.float64), v.astype(np.float64)))
        loss += math.log1p(math.exp(-f)) if label == 1.0 else math.log1p(math.exp(f))
    return loss


@pytest.mark.parametrize("scale", [0.05, 1.0, 3.0])
def test_step_is_sgd_on_the_true_negative_sampling_loss(scale):
    """The loss is Mikolov et al.'s objective and the update is -alpha times its gradient."""
    rng = np.random.default_rng(7)
    vocab, size, alpha = 20, 16, 1e-3
    syn0 = ((rng.random((vocab, size)) - 0.5) * scale).astype(np.float32)
    syn1neg = ((rng.random((vocab, size)) - 0.5) * scale).astype(np.float32)
    context, center, negatives = 3, 5, np.array([1, 9, 14, 17])
    targets = [center, *negatives]
    labels = [1.0] + [0.0] * len(negatives)
    u, rows = syn0[context].astype(np.float64), syn1neg[targets].astype(np.float64)
    expected_loss = true_pair_loss(u, rows, labels)
    eps = 1e-6
    grad_u = np.array([(true_pair_loss(u + eps * e, rows, labels) - true_pair_loss(u - eps * e, rows, labels))
                       / (2 * eps) for e in np.eye(size)])  # fmt: skip
    grad_rows = np.zeros_like(rows)
    for r in range(len(rows)):
        for k in range(size):
            plus, minus = rows.copy(), rows.copy()
            plus[r, k] += eps
            minus[r, k] -= eps
            grad_rows[r, k] = (true_pair_loss(u, plus, labels) - true_pair_loss(u, minus, labels)) / (2 * eps)
    for step in (lambda *a: sgns_numpy.sgns_step(*a),
                 lambda s0, s1, c, t, n, al: sgns_numba.sgns_steps(s0, s1, np.array([c]), np.array([t]), n[None],
                                                                   np.array([al]), True)):  # fmt: skip
        new_syn0, new_syn1neg = syn0.copy(), syn1neg.copy()
        loss = step(new_syn0, new_syn1neg, context, center, negatives, alpha)
        assert loss == pytest.approx(expected_loss, rel=1e-5)
        np.testing.assert_allclose(new_syn0[context] - syn0[context], -alpha * grad_u, rtol=2e-3, atol=2e-7)
        np.testing.assert_allclose(new_syn1neg[targets] - syn1neg[targets], -alpha * grad_rows, rtol=2e-3, atol=2e-7)


def test_loss_stays_finite_and_correct_for_saturated_scores():
    syn0 = np.full((3, 4), 10.0, dtype=np.float32)  # u.v = 400: far outside gensim's [-6, 6] table
    syn1neg = np.full((3, 4), 10.0, dtype=np.float32)
    loss = sgns_numpy.sgns_step(syn0.copy(), syn1neg.copy(), 0, 1, np.array([2]), 0.01)
    assert loss == pytest.approx(400.0)  # the noise word scores 400: -log sigmoid(-400) = 400
    numba_loss = sgns_numba.sgns_steps(syn0, syn1neg, np.array([0]), np.array([1]), np.array([[2]]), np.array([0.01]),
                                       True)  # fmt: skip
    assert numba_loss == pytest.approx(400.0)


def encoded_small_corpus(lee, min_count=2):
    vocab = build_vocabulary(count_words(lee), min_count)
    return vocab, encode_sentences(lee[:40], vocab.key_to_index)


def assert_corpus_loops_agree(readable, compiled, vocab, corpus, syn0, syn1neg, job: JobSettings):
    """Run ``readable.train_sentences`` (NumPy) on copies of the arrays and ``compiled.train_sentences``
    (numba) on the arrays themselves, with the same ``job`` settings (and so the same random state):
    they must count the same words and examples, end in the same random state, sum the same loss
    and make the same updates."""
    numpy_syn0, numpy_syn1neg = syn0.copy(), syn1neg.copy()
    numpy_result = readable.train_sentences(corpus.tokens, corpus.sentence_starts, numpy_syn0, numpy_syn1neg,
                                            vocab.sample_int, vocab.cum_table, **job.keywords())  # fmt: skip
    numba_result = compiled.train_sentences(corpus.tokens, corpus.sentence_starts, syn0, syn1neg, vocab.sample_int,
                                            vocab.cum_table, sgns_numba.noise_guide(vocab.cum_table),
                                            **job.keywords())  # fmt: skip
    assert numba_result[0] == numpy_result[0] and numba_result[1] == numpy_result[1]  # words and examples
    assert int(numba_result[3]) == numpy_result[3]  # the random stream ended in the same state
    assert numba_result[2] == pytest.approx(numpy_result[2], rel=1e-6)
    np.testing.assert_allclose(syn0, numpy_syn0, rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(syn1neg, numpy_syn1neg, rtol=1e-3, atol=1e-5)


def test_numpy_and_numba_corpus_loops_walk_the_same_pairs(lee):
    vocab, corpus = encoded_small_corpus(lee)
    rng = np.random.default_rng(0)
    syn0 = ((rng.random((len(vocab), 24), dtype=np.float32) * 2 - 1) / 24).astype(np.float32)
    syn1neg = np.zeros_like(syn0)
    job = JobSettings(window=5, negative=5, alpha=0.025, state=987654321, subsample_words=True, shrink_windows=True,
                      compute_loss=True)  # fmt: skip
    assert_corpus_loops_agree(sgns_numpy, sgns_numba, vocab, corpus, syn0, syn1neg, job)


def test_word2vec_backends_train_the_same_vectors(lee):
    params = dict(sg=1, vector_size=20, min_count=3, epochs=1, workers=1, seed=11, compute_loss=True)
    numba_model = Word2Vec(lee[:60], **params)
    numpy_model = Word2Vec(lee[:60], backend="numpy", **params)
    np.testing.assert_allclose(numba_model.wv.vectors, numpy_model.wv.vectors, rtol=1e-3, atol=1e-5)
    assert numba_model.epoch_reports[0].pairs == numpy_model.epoch_reports[0].pairs
    assert numba_model.epoch_losses[0] == pytest.approx(numpy_model.epoch_losses[0], rel=1e-6)


@pytest.fixture(scope="module")
def lee_counts(lee):
    return build_vocabulary(count_words(lee), 1).counts


@settings(max_examples=30, deadline=None)
@given(states=st.lists(st.integers(0, 2**48 - 1), min_size=1, max_size=50), exponent=st.sampled_from([0.75, 0.0, 1.0]))
def test_guided_noise_draw_is_the_binary_search(lee_counts, states, exponent):
    table = noise_cum_table(lee_counts, exponent)
    guide = sgns_numba.noise_guide(table)
    for state in states:
        expected, _ = sgns_numpy.draw_noise_word(table, state)
        assert sgns_numba._draw_noise_word(table, guide, np.uint64(state)) == expected


def test_noise_words_follow_the_unigram_distribution_to_the_three_quarters():
    counts = np.array([1000, 300, 100, 30, 10, 5, 5, 1])
    table = noise_cum_table(counts, 0.75)
    draws, state = np.empty(200_000, dtype=np.int64), 12345
    for i in range(len(draws)):
        draws[i], state = sgns_numpy.draw_noise_word(table, state)
    observed = np.bincount(draws, minlength=len(counts)) / len(draws)
    expected = counts**0.75 / np.sum(counts**0.75)  # Mikolov et al. 2013, section 2.2
    assert np.all(np.abs(observed - expected) <= 5 * np.sqrt(expected * (1 - expected) / len(draws)))


def test_subsampling_keeps_words_with_word2vecs_probability(lee):
    vocab = build_vocabulary(count_words(lee), 1, sample=1e-3)
    corpus = encode_sentences(lee, vocab.key_to_index)
    syn0 = np.zeros((len(vocab), 2), dtype=np.float32)
    kept, *_ = sgns_numba.train_sentences(corpus.tokens, corpus.sentence_starts, syn0, syn0.copy(), vocab.sample_int,
                                          vocab.cum_table, sgns_numba.noise_guide(vocab.cum_table), 1, 1, 0.0, 42,
                                          True, True, False)  # fmt: skip
    threshold = 1e-3 * vocab.counts.sum()
    keep = np.minimum(1.0, (np.sqrt(vocab.counts / threshold) + 1) * threshold / vocab.counts)  # word2vec.c's formula
    expected = float(np.sum(keep[corpus.tokens]))
    sd = math.sqrt(float(np.sum(keep[corpus.tokens] * (1 - keep[corpus.tokens]))))
    assert abs(kept - expected) < 5 * sd
    assert kept < 0.9 * len(corpus.tokens)  # frequent words really are dropped


def test_learning_rate_decays_like_gensim(lee, monkeypatch):
    """Each job's rate is gensim's _get_next_alpha at the job's position in the corpus."""
    seen = []
    original = sgns_numba.train_sentences

    def recording(*args, **settings):
        seen.append((args[1][0], settings["alpha"]))  # first token offset of the job, alpha
        return original(*args, **settings)

    monkeypatch.setattr(sgns_numba, "train_sentences", recording)
    model = Word2Vec(lee, sg=1, vector_size=8, min_count=2, epochs=3, workers=1, batch_words=4000, alpha=0.03,
                     min_alpha=0.001)  # fmt: skip
    gensim_model = ref.train(None, vector_size=8, alpha=0.03, min_alpha=0.001, epochs=3)  # untrained: just the schedule
    corpus = encode_sentences(lee, model.vocabulary.key_to_index)
    jobs = corpus.batches(4000)
    assert len(seen) == 3 * len(jobs) > 6
    for n, (offset, alpha) in enumerate(seen):
        epoch, job = divmod(n, len(jobs))
        first, _, raw_before = jobs[job]
        assert offset == corpus.sentence_starts[first]
        assert alpha == pytest.approx(gensim_model._get_next_alpha(raw_before / corpus.raw_words, epoch), rel=1e-12)


def test_one_worker_is_deterministic_and_the_seed_matters(lee):
    params = dict(sg=1, vector_size=16, min_count=3, epochs=2, workers=1)
    first, second = Word2Vec(lee, seed=3, **params), Word2Vec(lee, seed=3, **params)
    np.testing.assert_array_equal(first.wv.vectors, second.wv.vectors)
    assert not np.allclose(first.wv.vectors, Word2Vec(lee, seed=4, **params).wv.vectors)


def test_corpus_file_streams_the_same_training(lee, tmp_path):
    path = tmp_path / "lee.txt"
    path.write_text("\n".join(" ".join(s) for s in lee) + "\n", encoding="utf-8")
    params = dict(sg=1, vector_size=16, min_count=3, epochs=2, workers=1, seed=5)
    from_file = Word2Vec(corpus_file=path, **params)
    from_list = Word2Vec(lee, **params)
    assert from_file.wv.index_to_key == from_list.wv.index_to_key
    np.testing.assert_array_equal(from_file.wv.vectors, from_list.wv.vectors)


def test_loss_is_reported_per_epoch_and_falls(lee):
    class Recorder:
        def __init__(self):
            self.events = []

        def on_train_begin(self, model):
            self.events.append("begin")

        def on_epoch_end(self, model):
            self.events.append(model.get_latest_training_loss())

    recorder = Recorder()
    model = Word2Vec(lee, sg=1, vector_size=32, min_count=2, epochs=4, workers=2, callbacks=[recorder],
                     compute_loss=True)
    # gensim's meaning: the running total of the train() call so far; the per-epoch losses are scratch's extra
    assert recorder.events[0] == "begin" and recorder.events[1:] == list(itertools.accumulate(model.epoch_losses))
    losses = [report.loss_per_pair for report in model.epoch_reports]
    assert losses[0] > losses[-1] and all(0 < loss < 6 * math.log(2) for loss in losses)  # below the untrained loss
    assert all(report.pairs > 0 and report.raw_words == model.corpus_total_words for report in model.epoch_reports)


def test_save_load_and_train_on(lee, tmp_path):
    model = Word2Vec(lee, sg=1, vector_size=16, min_count=3, epochs=1, workers=1, seed=2)
    model.save(tmp_path / "model.npz")
    loaded = Word2Vec.load(tmp_path / "model.npz")
    assert loaded.wv.index_to_key == model.wv.index_to_key
    np.testing.assert_array_equal(loaded.wv.vectors, model.wv.vectors)
    np.testing.assert_array_equal(loaded.syn1neg, model.syn1neg)
    np.testing.assert_array_equal(loaded.vocabulary.cum_table, model.vocabulary.cum_table)
    assert loaded.epoch_losses == model.epoch_losses
    model.train(lee, total_examples=model.corpus_count, epochs=1)
    loaded.train(lee, total_examples=loaded.corpus_count, epochs=1)
    np.testing.assert_array_equal(loaded.wv.vectors, model.wv.vectors)


# The "config" of every saved model since the format began: files saved before must load.
SAVED_SETTINGS = {"vector_size", "window", "min_count", "sample", "negative", "ns_exponent", "alpha", "min_alpha",
                  "epochs", "workers", "seed", "shrink_windows", "max_final_vocab", "compute_loss", "batch_words",
                  "backend", "device", "batch_size", "sync_every", "sg", "cbow_mean", "skip_saturated",
                  "max_vocab_size", "sorted_vocab", "null_word", "hs", "negative_sharing"}  # fmt: skip


def test_settings_are_one_frozen_record_read_as_gensims_attributes(tmp_path):
    model = Word2Vec(vector_size=12, window=3, sg=0, negative=7, alpha=0.05, progress=True)
    assert (model.vector_size, model.window, model.sg, model.negative, model.alpha, model.hs) == (12, 3, 0, 7, 0.05, 0)
    assert model.settings.window == 3 and model.epochs == 5  # gensim's defaults where not given
    model.window = 10  # as in gensim (model.alpha -= 0.002 between train() calls): the record is replaced, checked
    assert model.window == model.settings.window == 10
    with pytest.raises(ValueError, match="window must be a positive integer"):
        model.window = 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.settings.window = 10
    assert set(model.settings.saved()) == SAVED_SETTINGS
    model.build_vocab([["a", "b", "c"]] * 5)
    model.train([["a", "b", "c"]] * 5, total_examples=5, epochs=1, start_alpha=0.02, end_alpha=0.01)  # gensim: becomes the model's
    assert (model.alpha, model.min_alpha) == (0.02, 0.01)
    model.save(tmp_path / "model.npz")
    with np.load(tmp_path / "model.npz") as data:
        assert set(json.loads(data["meta"].tobytes())["config"]) == SAVED_SETTINGS
    loaded = Word2Vec.load(tmp_path / "model.npz")
    assert loaded.settings == dataclasses.replace(model.settings, progress=False)  # how it was shown is not kept


def test_train_before_build_vocab_is_a_clear_error():
    with pytest.raises(RuntimeError, match="build_vocab"):
        Word2Vec().train([["a", "b"]], epochs=1)
