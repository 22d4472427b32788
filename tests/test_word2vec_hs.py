"""Hierarchical softmax (``hs=1``): gensim's Huffman tree, the NumPy step as SGD on the true
loss, the numba step and corpus loops equal to the NumPy ones.

The trees' expected codes and points come from gensim 4.4 (``build_vocab`` /
``build_vocab_from_freq`` with ``hs=1, negative=0``); the gradients from finite differences of
the hierarchical-softmax loss written out here in float64.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch.artifacts import fetch
from scratch.word2vec import cbow_numba, cbow_numpy, hs_numba, hs_numpy, sgns_numba, sgns_numpy
from scratch.word2vec.corpus import LineSentence, encode_sentences
from scratch.word2vec.huffman import HuffmanTree, huffman_codes, huffman_tree
from scratch.word2vec.sgns_numpy import GENSIM_MAX_EXP
from scratch.word2vec.vocab import build_vocabulary, count_words


@pytest.fixture(scope="module")
def lee():
    return list(LineSentence(fetch("gensim-test-data") / "lee_background.cor"))


def gensim_paths(wv) -> tuple[list[int], list[np.ndarray], list[np.ndarray]]:
    """gensim's counts, codes and points, in gensim's vocabulary order."""
    words = range(len(wv))
    return ([wv.get_vecattr(w, "count") for w in words], [np.asarray(wv.get_vecattr(w, "code")) for w in words],
            [np.asarray(wv.get_vecattr(w, "point")) for w in words])  # fmt: skip


def assert_same_paths(counts, expected_codes, expected_points):
    codes, points = huffman_codes(counts)
    assert len(codes) == len(expected_codes)
    for word, (code, point, expected_code, expected_point) in enumerate(
        zip(codes, points, expected_codes, expected_points)
    ):
        assert code.dtype == np.uint8 and point.dtype == np.uint32
        assert code.tolist() == expected_code.tolist(), word
        assert point.tolist() == expected_point.tolist(), word


@pytest.mark.parametrize("min_count", [1, 5])
def test_huffman_tree_is_gensims_on_the_lee_corpus(lee, min_count):
    """10 781 words at min_count=1, thousands of them tied at count 1: ties fall as in gensim's heap."""
    from gensim.models import Word2Vec

    model = Word2Vec(vector_size=4, min_count=min_count, hs=1, negative=0)
    model.build_vocab(lee)
    counts, codes, points = gensim_paths(model.wv)
    assert_same_paths(counts, codes, points)
    assert huffman_tree(counts).max_depth == max(len(c) for c in codes)


WORD_STEMS = ["mot", "wörd", "日本語", "🙂", "e\u0301té", "слово"]


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(1, 6) | st.integers(1, 10**6), min_size=1, max_size=80),
    sorted_vocab=st.booleans(),
)
def test_huffman_tree_is_gensims_for_drawn_counts(counts, sorted_vocab):
    """Small counts repeat a lot: every tie-break of the heap is exercised."""
    from gensim.models import Word2Vec

    model = Word2Vec(vector_size=2, min_count=1, hs=1, negative=0, sorted_vocab=int(sorted_vocab))
    model.build_vocab_from_freq({f"{WORD_STEMS[i % len(WORD_STEMS)]}{i}": c for i, c in enumerate(counts)})
    assert_same_paths(*gensim_paths(model.wv))


def test_tree_of_no_word_and_of_one_word():
    empty = huffman_tree(np.array([], dtype=np.int64))
    assert len(empty.codes) == 0 and empty.starts.tolist() == [0] and empty.max_depth == 0
    one = huffman_tree(np.array([7]))
    assert one.code(0).tolist() == [] and one.point(0).tolist() == []  # gensim: code [] and point []


def test_huffman_paths_are_prefix_free_and_inner_nodes_numbered_from_zero():
    counts = np.array([50, 20, 20, 9, 9, 9, 3, 1, 1])
    codes, points = huffman_codes(counts)
    assert all(p[0] == len(counts) - 2 for p in points)  # every path starts at the root (the last merge)
    words = ["".join(map(str, c)) for c in codes]
    assert not any(a != b and b.startswith(a) for a in words for b in words)
    assert sorted({int(n) for p in points for n in p}) == list(range(len(counts) - 1))
    expected_length = sum(c * len(code) for c, code in zip(counts, codes))
    assert expected_length == 305  # optimal: the sum of the merged counts, 2+5+14+18+32+40+72+122


# ---------------------------------------------------------------------------------------------
# The step is SGD on the hierarchical-softmax loss


def true_path_loss(hidden: np.ndarray, rows: np.ndarray, code: np.ndarray) -> float:
    """sum over the path of -log sigmoid((1 - 2 code) * hidden . row), in float64."""
    scores = rows @ hidden * (1.0 - 2.0 * code)
    return float(np.sum(np.logaddexp(0.0, -scores)))


def finite_difference(loss, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    grad = np.zeros_like(x)
    for index in np.ndindex(*x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        grad[index] = (loss(plus) - loss(minus)) / (2 * eps)
    return grad


def small_tree() -> tuple[HuffmanTree, int]:
    tree = huffman_tree(np.array([40, 30, 12, 12, 9, 5, 5, 3, 2, 2, 1, 1]))
    deepest = int(np.argmax(np.diff(tree.starts)))
    return tree, deepest


def random_vectors(rng, rows, size, scale):
    return ((rng.random((rows, size)) - 0.5) * scale).astype(np.float32)


@pytest.mark.parametrize("scale", [0.05, 1.0, 3.0])
def test_skipgram_step_is_sgd_on_the_true_hs_loss(scale):
    rng = np.random.default_rng(3)
    tree, center = small_tree()
    code, point = tree.code(center), tree.point(center)
    vocab, size, alpha, context = 12, 16, 1e-3, 4
    syn0, syn1 = random_vectors(rng, vocab, size, scale), random_vectors(rng, vocab, size, scale)
    u, rows = syn0[context].astype(np.float64), syn1[point].astype(np.float64)
    expected_loss = true_path_loss(u, rows, code)
    grad_u = finite_difference(lambda x: true_path_loss(x, rows, code), u)
    grad_rows = finite_difference(lambda x: true_path_loss(u, x, code), rows)
    steps = {
        "numpy": lambda s0, s1: hs_numpy.hs_sg_step(s0, s1, context, code, point, alpha),
        "numba": lambda s0, s1: hs_numba.hs_sg_steps(s0, s1, np.array([context]), np.array([center]), tree.codes,
                                                     tree.points, tree.starts, np.array([alpha]), True),  # fmt: skip
    }
    for name, step in steps.items():
        new_syn0, new_syn1 = syn0.copy(), syn1.copy()
        assert step(new_syn0, new_syn1) == pytest.approx(expected_loss, rel=1e-5), name
        np.testing.assert_allclose(new_syn0[context] - syn0[context], -alpha * grad_u, rtol=2e-3, atol=2e-7)
        np.testing.assert_allclose(new_syn1[point] - syn1[point], -alpha * grad_rows, rtol=2e-3, atol=2e-7)
        untouched = np.setdiff1d(np.arange(vocab), point)
        np.testing.assert_array_equal(new_syn1[untouched], syn1[untouched])


@pytest.mark.parametrize("cbow_mean", [True, False])
def test_cbow_step_moves_every_context_word_by_the_hidden_gradient(cbow_mean):
    """The update of each context word is -alpha * dloss/dhidden (word2vec.c's and gensim's rule:
    not divided among the words for the mean, divided by their number for the sum)."""
    rng = np.random.default_rng(5)
    tree, center = small_tree()
    code, point = tree.code(center), tree.point(center)
    size, alpha, contexts = 8, 1e-3, [1, 6, 9]
    syn0, syn1 = random_vectors(rng, 12, size, 1.0), random_vectors(rng, 12, size, 1.0)
    hidden = syn0[contexts].astype(np.float64).sum(axis=0) / (len(contexts) if cbow_mean else 1)
    rows = syn1[point].astype(np.float64)
    grad_hidden = finite_difference(lambda x: true_path_loss(x, rows, code), hidden)
    grad_rows = finite_difference(lambda x: true_path_loss(hidden, x, code), rows)
    share = 1.0 if cbow_mean else 1.0 / len(contexts)
    steps = {
        "numpy": lambda s0, s1: cbow_numpy.hs_cbow_step(s0, s1, contexts, code, point, alpha, cbow_mean),
        "numba": lambda s0, s1: cbow_numba.hs_cbow_steps(s0, s1, np.array(contexts), np.array([0, len(contexts)]),
                                                         np.array([center]), tree.codes, tree.points, tree.starts,
                                                         np.array([alpha]), cbow_mean, True),  # fmt: skip
    }
    for name, step in steps.items():
        new_syn0, new_syn1 = syn0.copy(), syn1.copy()
        assert step(new_syn0, new_syn1) == pytest.approx(true_path_loss(hidden, rows, code), rel=1e-5), name
        for c in contexts:
            np.testing.assert_allclose(new_syn0[c] - syn0[c], -alpha * share * grad_hidden, rtol=2e-3, atol=2e-7)
        np.testing.assert_allclose(new_syn1[point] - syn1[point], -alpha * grad_rows, rtol=2e-3, atol=2e-7)


def test_saturated_nodes_are_skipped_by_gensims_rule_and_their_loss_stays_finite():
    """gensim leaves a node out when |f| >= MAX_EXP (6); the loss is exact even at f = -800."""
    tree = huffman_tree(np.array([5, 3, 2]))  # word 2's path: two nodes
    center = 2
    code, point = tree.code(center), tree.point(center)
    syn0 = np.zeros((3, 4), dtype=np.float32)
    syn0[0] = 10.0
    syn1 = np.zeros((3, 4), dtype=np.float32)
    syn1[point[0]] = -20.0 if code[0] == 0 else 20.0  # signed score -800: the wrong turn, saturated
    syn1[point[1]] = 0.01  # f = 0.4: not saturated
    expected_loss = 800.0 + math.log1p(math.exp(-800.0)) + float(np.logaddexp(0.0, -0.4 * (1 - 2.0 * code[1])))
    for max_score in (GENSIM_MAX_EXP, math.inf):
        numpy_syn0, numpy_syn1 = syn0.copy(), syn1.copy()
        numpy_loss = hs_numpy.hs_sg_step(numpy_syn0, numpy_syn1, 0, code, point, 0.01, max_score=max_score)
        numba_syn0, numba_syn1 = syn0.copy(), syn1.copy()
        numba_loss = hs_numba.hs_sg_steps(numba_syn0, numba_syn1, np.array([0]), np.array([center]), tree.codes,
                                          tree.points, tree.starts, np.array([0.01]), True, max_score)  # fmt: skip
        assert numpy_loss == pytest.approx(expected_loss) and numba_loss == pytest.approx(expected_loss)
        for new_syn1 in (numpy_syn1, numba_syn1):
            assert np.array_equal(new_syn1[point[0]], syn1[point[0]]) == (max_score == GENSIM_MAX_EXP)
            assert not np.array_equal(new_syn1[point[1]], syn1[point[1]])
        np.testing.assert_allclose(numba_syn0, numpy_syn0, rtol=1e-5)
        np.testing.assert_allclose(numba_syn1, numpy_syn1, rtol=1e-5)


# ---------------------------------------------------------------------------------------------
# numba == NumPy


def random_hs_problem(rng, counts, size, n_examples, scale):
    tree = huffman_tree(np.asarray(counts))
    vocab = len(counts)
    syn0, syn1 = random_vectors(rng, vocab, size, scale), random_vectors(rng, vocab, size, scale)
    centers = rng.integers(0, vocab, n_examples)
    alphas = rng.uniform(0.0001, 0.05, n_examples)
    return tree, syn0, syn1, centers, alphas


problem_options = dict(
    seed=st.integers(0, 2**32 - 1),
    counts=st.lists(st.integers(1, 50), min_size=2, max_size=30),
    size=st.sampled_from([1, 3, 8, 17, 50]),
    scale=st.sampled_from([0.01, 1.0, 4.0]),
)


@settings(max_examples=30, deadline=None)
@given(**problem_options)
def test_numba_and_numpy_skipgram_steps_agree(seed, counts, size, scale):
    rng = np.random.default_rng(seed)
    tree, syn0, syn1, centers, alphas = random_hs_problem(rng, counts, size, 40, scale)
    contexts = rng.integers(0, len(counts), 40)
    numpy_syn0, numpy_syn1 = syn0.copy(), syn1.copy()
    numpy_loss = sum(hs_numpy.hs_sg_step(numpy_syn0, numpy_syn1, c, tree.code(t), tree.point(t), a)
                     for c, t, a in zip(contexts, centers, alphas))  # fmt: skip
    numba_loss = hs_numba.hs_sg_steps(syn0, syn1, contexts, centers, tree.codes, tree.points, tree.starts, alphas, True)
    np.testing.assert_allclose(syn0, numpy_syn0, rtol=1e-4, atol=2e-6)
    np.testing.assert_allclose(syn1, numpy_syn1, rtol=1e-4, atol=2e-6)
    assert numba_loss == pytest.approx(numpy_loss, rel=1e-5)


@settings(max_examples=30, deadline=None)
@given(**problem_options, cbow_mean=st.booleans())
def test_numba_and_numpy_cbow_steps_agree(seed, counts, size, scale, cbow_mean):
    rng = np.random.default_rng(seed)
    tree, syn0, syn1, centers, alphas = random_hs_problem(rng, counts, size, 30, scale)
    lengths = rng.integers(1, 7, len(centers))  # repeated context words too, in small vocabularies
    context_starts = np.concatenate([[0], np.cumsum(lengths)])
    context_words = rng.integers(0, len(counts), context_starts[-1])
    numpy_syn0, numpy_syn1 = syn0.copy(), syn1.copy()
    numpy_loss = 0.0
    for p, (t, a) in enumerate(zip(centers, alphas)):
        contexts = context_words[context_starts[p] : context_starts[p + 1]].tolist()
        numpy_loss += cbow_numpy.hs_cbow_step(numpy_syn0, numpy_syn1, contexts, tree.code(t), tree.point(t), a,
                                              cbow_mean)
    numba_loss = cbow_numba.hs_cbow_steps(syn0, syn1, context_words, context_starts, centers, tree.codes,
                                          tree.points, tree.starts, alphas, cbow_mean, True)  # fmt: skip
    np.testing.assert_allclose(syn0, numpy_syn0, rtol=1e-4, atol=2e-6)
    np.testing.assert_allclose(syn1, numpy_syn1, rtol=1e-4, atol=2e-6)
    assert numba_loss == pytest.approx(numpy_loss, rel=1e-5)


@pytest.fixture(scope="module")
def small_corpus(lee):
    vocab = build_vocabulary(count_words(lee), 2)
    return vocab, encode_sentences(lee[:40], vocab.key_to_index), huffman_tree(vocab.counts)


@pytest.mark.parametrize(
    "sg, negative, cbow_mean, locked",
    [(True, 0, None, False), (True, 4, None, False), (True, 4, None, True), (False, 0, True, False),
     (False, 0, False, True), (False, 4, True, False), (False, 4, False, True)],
)
def test_numba_and_numpy_corpus_loops_walk_the_same_examples(small_corpus, sg, negative, cbow_mean, locked):
    """The one corpus loop of each architecture with hierarchical softmax (and negative sampling):
    same words kept, same windows, same noise words, same counts, random state, loss and vectors;
    a word whose ``vectors_lockf`` is 0 keeps its vector."""
    vocab, corpus, tree = small_corpus
    rng = np.random.default_rng(1)
    size = 24
    syn0 = ((rng.random((len(vocab), size), dtype=np.float32) * 2 - 1) / size).astype(np.float32)
    syn1, syn1neg = np.zeros_like(syn0), np.zeros_like(syn0)
    lockf = None
    if locked:
        lockf = np.ones(len(vocab), dtype=np.float32)
        lockf[::2], lockf[1::6] = 0.0, 0.5
    options = dict(window=5, negative=negative, alpha=0.025, state=987654321, subsample_words=True,
                   shrink_windows=True, compute_loss=True, lockf=lockf, codes=tree.codes, points=tree.points,
                   code_starts=tree.starts)  # fmt: skip
    if not sg:
        options["cbow_mean"] = cbow_mean
    readable, compiled = (sgns_numpy, sgns_numba) if sg else (cbow_numpy, cbow_numba)
    start = syn0.copy()
    arrays = [syn0.copy(), syn1.copy(), syn1neg.copy()]
    numpy_result = readable.train_sentences(corpus.tokens, corpus.sentence_starts, arrays[0], arrays[2],
                                            vocab.sample_int, vocab.cum_table, syn1=arrays[1], **options)  # fmt: skip
    numba_result = compiled.train_sentences(corpus.tokens, corpus.sentence_starts, syn0, syn1neg, vocab.sample_int,
                                            vocab.cum_table, sgns_numba.noise_guide(vocab.cum_table), syn1=syn1,
                                            **options)  # fmt: skip
    assert numba_result[0] == numpy_result[0] and numba_result[1] == numpy_result[1] > 0  # words and examples
    assert int(numba_result[3]) == numpy_result[3]  # the random stream ended in the same state
    assert numba_result[2] == pytest.approx(numpy_result[2], rel=1e-6)
    for compiled_array, readable_array in zip((syn0, syn1, syn1neg), arrays):
        np.testing.assert_allclose(compiled_array, readable_array, rtol=1e-3, atol=1e-5)
    assert np.any(syn1 != 0) and np.any(syn1neg != 0) == (negative > 0)
    if locked:
        np.testing.assert_array_equal(syn0[::2], start[::2])
        assert np.any(syn0[1::2] != start[1::2])


# ---------------------------------------------------------------------------------------------
# gensim itself as the oracle of the training


def gensim_sigmoid_tables():
    """gensim's sigmoid and log-sigmoid lookups (``word2vec_inner.pyx``: ``EXP_TABLE``, ``LOG_TABLE``).

    1000 float32 entries over [-6, 6), indexed by ``int((f + MAX_EXP) * (EXP_TABLE_SIZE / MAX_EXP / 2))``,
    where the compiled module divides integers: the factor is 83, not 83.33 (``word2vec_inner.c``:
    ``((0x3E8 / 6) / 2)``), so the table's sigmoid is that of about ``0.996 f - 0.03``. A score
    beyond +-6 is skipped, its loss not counted.
    """
    x = (np.arange(1000, dtype=np.float32) / np.float32(1000) * 2 - 1) * 6
    exp_table = np.exp(x.astype(np.float64)).astype(np.float32)
    exp_table = (exp_table / (exp_table + 1)).astype(np.float32)
    log_table = np.log(exp_table.astype(np.float64)).astype(np.float32)

    def index(f):
        return int((f + 6.0) * (1000 // 6 // 2))

    def sigmoid(f):
        return float(exp_table[index(f)]) if abs(f) < 6.0 else 0.0  # (saturated nodes are skipped)

    def minus_log_sigmoid(f):
        return -float(log_table[index(f)]) if abs(f) < 6.0 else 0.0

    return sigmoid, minus_log_sigmoid


@pytest.mark.parametrize("sg, cbow_mean", [(1, 1), (0, 1), (0, 0)])
def test_an_epoch_makes_gensims_hs_updates(lee, monkeypatch, sg, cbow_mean):
    """gensim's ``hs=1`` training, run without random numbers (no subsampling, full windows, no
    noise words) at a constant rate for an epoch from gensim's initial vectors, and the NumPy
    loop from the same vectors with gensim's sigmoid table put in place of the exact sigmoid,
    end in the same vectors, ``syn1`` and loss (to float32 rounding). The NumPy and numba loops
    are tied above; with the exact sigmoid they differ from gensim by its table alone."""
    from gensim.models import Word2Vec

    sentences = lee[:30]
    model = Word2Vec(vector_size=16, min_count=2, hs=1, negative=0, sg=sg, cbow_mean=cbow_mean, window=3, sample=0,
                     shrink_windows=False, alpha=0.05, min_alpha=0.05, workers=1, seed=3)  # fmt: skip
    model.build_vocab(sentences)
    syn0 = model.wv.vectors.copy()
    syn1 = np.zeros_like(syn0)
    model.train(sentences, total_examples=model.corpus_count, epochs=1, compute_loss=True)
    counts, _, _ = gensim_paths(model.wv)
    tree = huffman_tree(counts)
    corpus = encode_sentences(sentences, model.wv.key_to_index)
    sigmoid, minus_log_sigmoid = gensim_sigmoid_tables()
    monkeypatch.setattr(hs_numpy, "sigmoid", sigmoid)
    monkeypatch.setattr(hs_numpy, "minus_log_sigmoid", minus_log_sigmoid)
    options = dict(window=3, negative=0, alpha=0.05, state=1, subsample_words=False, shrink_windows=False,
                   compute_loss=True, max_score=GENSIM_MAX_EXP)  # fmt: skip
    loop = sgns_numpy.train_sentences
    if not sg:
        loop, options["cbow_mean"] = cbow_numpy.train_sentences, bool(cbow_mean)
    start = syn0.copy()
    # with negative=0, syn1neg and cum_table are not read (and without subsampling, sample_int)
    words, _, loss, _ = loop(corpus.tokens, corpus.sentence_starts, syn0, None, None, None, syn1=syn1,
                             codes=tree.codes, points=tree.points, code_starts=tree.starts, **options)  # fmt: skip
    assert words == len(corpus.tokens)
    for ours, theirs, before in ((syn0, model.wv.vectors, start), (syn1, model.syn1, np.zeros_like(syn1))):
        moved = np.linalg.norm(theirs - before)
        assert moved > 0.5 and np.linalg.norm(ours - theirs) < 1e-3 * moved
    assert loss == pytest.approx(model.get_latest_training_loss(), rel=1e-3)  # gensim sums in float32


# ---------------------------------------------------------------------------------------------
# Word2Vec(hs=1): quality equal to gensim's, and the model's own hierarchical-softmax API


@pytest.mark.parametrize("sg", [1, 0])
def test_hs_vectors_are_as_good_as_gensims_on_the_lee_corpus(lee, sg):
    """Classic hierarchical softmax (``hs=1, negative=0``) on gensim's ``lee_background.cor``: the
    WordSim-353 Spearman correlation (gensim's ``test_data/wordsim353.tsv``) of scratch's vectors,
    averaged over 3 seeds, lies within one spread (max - min) of gensim's over 3 seeds from gensim's
    mean. The seeds drive different random streams in the two libraries, so the runs are compared
    as samples; one worker each keeps every run reproducible."""
    from gensim.models import Word2Vec as GensimWord2Vec
    from gensim.test.utils import datapath

    from scratch.word2vec import Word2Vec

    params = dict(vector_size=50, window=5, min_count=3, hs=1, negative=0, sg=sg, epochs=10, workers=1)
    if not sg:
        params["alpha"] = 0.05  # gensim's CBOW hs tests train at a larger rate too
    pairs = datapath("wordsim353.tsv")

    def spearman(model_class, seed):
        return model_class(lee, seed=seed, **params).wv.evaluate_word_pairs(pairs)[1][0]

    theirs = [spearman(GensimWord2Vec, seed) for seed in (1, 2, 3)]
    ours = [spearman(Word2Vec, seed) for seed in (1, 2, 3)]
    spread = max(theirs) - min(theirs)
    assert abs(np.mean(ours) - np.mean(theirs)) <= spread, (ours, theirs)
    assert min(ours) > -0.05  # and no run is broken


def test_hs_model_trains_saves_scores_and_grows_like_gensims(lee, tmp_path):
    """``syn1`` (gensim's name and shape), the Huffman paths as ``wv`` attributes, the scores of
    ``score`` close to gensim's for the same weights, ``syn1`` saved and loaded, and a vocabulary
    update that grows ``syn1`` and rebuilds the tree, as gensim's ``update_weights``."""
    from gensim.models import Word2Vec as GensimWord2Vec

    from scratch.word2vec import Word2Vec

    sentences = lee[:200]
    for sg in (1, 0):
        params = dict(vector_size=16, min_count=2, hs=1, negative=0, sg=sg, epochs=2, workers=1, seed=5)
        ours, theirs = Word2Vec(sentences, **params), GensimWord2Vec(sentences, **params)
        assert ours.syn1.shape == theirs.syn1.shape and ours.syn1neg is None and np.any(ours.syn1 != 0)
        for word in ("the", theirs.wv.index_to_key[-1]):
            assert ours.wv.get_vecattr(word, "code").tolist() == theirs.wv.get_vecattr(word, "code").tolist()
            assert ours.wv.get_vecattr(word, "point").tolist() == theirs.wv.get_vecattr(word, "point").tolist()
        # the same weights in both: gensim's score reads a float32 log-sigmoid table and skips |f| >= 6;
        # its entry for f = 0 is log sigmoid(-0.024) (see gensim_sigmoid_tables), 1.7% below log(1/2)
        ours.wv.vectors[:] = theirs.wv.vectors
        ours.syn1[:] = theirs.syn1
        texts = sentences[:5] + [["the", "日本語", "police", "said"], ["émigré"]]
        expected = theirs.score(texts, total_sentences=len(texts))
        got = ours.score(texts, total_sentences=len(texts))
        assert got.dtype == np.float32 and len(got) == len(texts) == len(expected)
        np.testing.assert_allclose(got, expected, rtol=0.03, atol=0.05)
        assert len(ours.score(texts, total_sentences=2)) == 2
        ours.save(tmp_path / "hs.npz")
        loaded = Word2Vec.load(tmp_path / "hs.npz")
        np.testing.assert_array_equal(loaded.syn1, ours.syn1)
        np.testing.assert_array_equal(loaded.score(texts, len(texts)), got)
    more = [["brand", "new", "wörds", "police"]] * 3
    ours.build_vocab(more, update=True, min_count=1)
    theirs.build_vocab(more, update=True, min_count=1)
    assert ours.syn1.shape == theirs.syn1.shape
    np.testing.assert_array_equal(ours.syn1[: len(loaded.syn1)], loaded.syn1)
    for word in ("wörds", "police", "the"):
        assert ours.wv.get_vecattr(word, "code").tolist() == theirs.wv.get_vecattr(word, "code").tolist()
    ours.train(more, total_examples=3, epochs=1)


def test_hs_numba_and_numpy_backends_train_the_same_model(lee):
    from scratch.word2vec import Word2Vec

    for sg, negative in ((1, 0), (0, 0), (1, 3), (0, 3)):
        params = dict(vector_size=12, min_count=3, hs=1, negative=negative, sg=sg, epochs=1, workers=1, seed=2,
                      compute_loss=True)  # fmt: skip
        compiled, readable = Word2Vec(lee[:40], **params), Word2Vec(lee[:40], backend="numpy", **params)
        np.testing.assert_allclose(compiled.wv.vectors, readable.wv.vectors, rtol=1e-3, atol=1e-5)
        np.testing.assert_allclose(compiled.syn1, readable.syn1, rtol=1e-3, atol=1e-5)
        assert compiled.get_latest_training_loss() == pytest.approx(readable.get_latest_training_loss(), rel=1e-6)
        assert compiled.get_latest_training_loss() > 0
