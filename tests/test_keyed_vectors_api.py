"""KeyedVectors' gensim API (issue #20): each method against gensim 4.4.0's on the same vectors.

Hypothesis draws the vectors, the keys (non-ASCII among them) and the methods' options;
gensim's ``KeyedVectors`` holding the same rows is the oracle, and answers must be equal
(to the bit where gensim's arithmetic is reproduced, which is everywhere here). The
correlation p-values are checked against SciPy (which gensim calls), the incomplete beta
function against ``scipy.special.betainc``.
"""

from __future__ import annotations

import math
import warnings

import gensim.models
import numpy as np
import pytest
import scipy.special
import scipy.stats
from gensim.test.utils import datapath
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scratch.word2vec import KeyedVectors
from scratch.word2vec.model_files import ModelFileError
from scratch.word2vec.significance import pearsonr, regularized_incomplete_beta, spearmanr

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = ["café", "naïve", "東京", "日本語", "🙂", "e\u0301", "straße", "war", "peace", "Ωmega", "x", "ℕ"]
KEY = st.one_of(st.sampled_from(WORDS), st.text(st.characters(min_codepoint=0x21, max_codepoint=0x2FFF,
                                                             blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")),
                                                min_size=1, max_size=5))  # fmt: skip


@st.composite
def vector_sets(draw, min_keys: int = 2, max_keys: int = 25):
    keys = draw(st.lists(KEY, min_size=min_keys, max_size=max_keys, unique=True))
    dim = draw(st.integers(1, 8))
    seed = draw(st.integers(0, 2**32 - 1))
    vectors = np.random.default_rng(seed).normal(size=(len(keys), dim)).astype(np.float32)
    return keys, vectors


def both(keys, vectors, counts=None):
    """scratch's and gensim's KeyedVectors holding ``vectors`` under ``keys``."""
    ours = KeyedVectors.from_vectors(vectors, keys, counts)
    theirs = gensim.models.KeyedVectors(vectors.shape[1], count=0, dtype=np.float32)
    theirs.add_vectors(list(keys), vectors.copy())
    if counts is not None:
        for key, count in zip(keys, counts):
            theirs.set_vecattr(key, "count", int(count))
    return ours, theirs


def same_answer(ours, theirs):
    if isinstance(theirs, np.ndarray):
        assert isinstance(ours, np.ndarray) and ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours, theirs)
    else:
        assert ours == theirs


def outcome(function):
    """``("ok", result)`` or ``("raises", exception type)``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return "ok", function()
    except (KeyError, ValueError, TypeError, ArithmeticError, IndexError) as exc:
        return "raises", type(exc)


TOPN = st.one_of(st.none(), st.integers(0, 30), st.just(np.uint8(0)), st.just(np.int64(3)))


@SETTINGS
@given(vector_sets(), st.data())
def test_most_similar_cosmul_equals_gensim(vector_set, data):
    keys, vectors = vector_set
    ours, theirs = both(keys, vectors)
    positive = data.draw(st.lists(st.sampled_from(keys), min_size=0, max_size=3))
    negative = data.draw(st.lists(st.sampled_from(keys), max_size=2))
    if data.draw(st.booleans()):
        positive.append(vectors[data.draw(st.integers(0, len(keys) - 1))] * 2)
    topn = data.draw(TOPN)
    got = outcome(lambda: ours.most_similar_cosmul(positive, negative, topn=topn))
    expected = outcome(lambda: theirs.most_similar_cosmul(positive, negative, topn=topn))
    assert got[0] == expected[0]
    if got[0] == "ok":
        same_answer(got[1], expected[1])
    else:
        assert issubclass(got[1], expected[1])


@SETTINGS
@given(vector_sets(), st.data())
def test_most_similar_with_clip_and_integral_topn_equals_gensim(vector_set, data):
    keys, vectors = vector_set
    ours, theirs = both(keys, vectors)
    positive = data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=3))
    topn = data.draw(TOPN)
    clip_start = data.draw(st.integers(0, len(keys) - 1))
    clip_end = data.draw(st.one_of(st.none(), st.integers(clip_start + 1, len(keys))))
    restrict_vocab = data.draw(st.one_of(st.none(), st.integers(1, len(keys))))
    options = dict(topn=topn, clip_start=clip_start, clip_end=clip_end, restrict_vocab=restrict_vocab)
    same_answer(ours.most_similar(positive, **options), theirs.most_similar(positive, **options))


@SETTINGS
@given(vector_sets(), st.data())
def test_pairwise_queries_equal_gensim(vector_set, data):
    keys, vectors = vector_set
    ours, theirs = both(keys, vectors)
    key1, key2 = data.draw(st.sampled_from(keys)), data.draw(st.sampled_from(keys))
    ws1 = data.draw(st.lists(st.sampled_from(keys + ["missing"]), min_size=1, max_size=4))
    ws2 = data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=4))
    others = data.draw(st.lists(st.sampled_from(keys), max_size=4))
    topn = data.draw(st.integers(1, 5))
    calls = [
        lambda kv: kv.n_similarity(ws1, ws2),
        lambda kv: kv.closer_than(key1, key2),
        lambda kv: kv.rank(key1, key2),
        lambda kv: kv.distances(key1, others),
        lambda kv: kv.distances(vectors[0]),
        lambda kv: kv.most_similar_to_given(key1, ws2),
        lambda kv: kv.relative_cosine_similarity(key1, key2, topn),
        lambda kv: type(kv).cosine_similarities(vectors[0], vectors),
    ]
    for call in calls:
        got, expected = outcome(lambda: call(ours)), outcome(lambda: call(theirs))
        assert got[0] == expected[0]
        same_answer(got[1], expected[1])


@SETTINGS
@given(vector_sets(), st.lists(KEY, min_size=1, max_size=6), st.booleans(), st.data())
def test_adding_vectors_equals_gensim(vector_set, new_keys, replace, data):
    keys, vectors = vector_set
    ours, theirs = both(keys, vectors)
    extra = data.draw(st.lists(st.sampled_from(keys), max_size=3))
    added = new_keys + extra
    weights = np.random.default_rng(len(added)).normal(size=(len(added), vectors.shape[1]))  # float64, cast
    ours.add_vectors(added, weights, replace=replace)
    theirs.add_vectors(added, weights, replace=replace)
    assert ours.index_to_key == theirs.index_to_key and ours.key_to_index == theirs.key_to_index
    same_answer(ours.vectors, theirs.vectors)
    ours[added[0]] = weights[-1]
    theirs[added[0]] = weights[-1]
    ours[added] = weights[::-1].copy()
    theirs[added] = weights[::-1].copy()
    assert ours.index_to_key == theirs.index_to_key
    same_answer(ours.vectors, theirs.vectors)


@SETTINGS
@given(vector_sets(max_keys=8), st.integers(0, 4))
def test_preallocated_add_vector_equals_gensim(vector_set, spare):
    keys, vectors = vector_set
    ours = KeyedVectors(vectors.shape[1], count=len(keys) - 1 + spare)
    theirs = gensim.models.KeyedVectors(vectors.shape[1], count=len(keys) - 1 + spare)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key, vector in zip(keys, vectors):
            assert ours.add_vector(key, vector) == theirs.add_vector(key, vector)
    assert ours.index_to_key == theirs.index_to_key and ours.next_index == theirs.next_index
    same_answer(ours.vectors, theirs.vectors)
    assert str(ours) == str(theirs)


@SETTINGS
@given(vector_sets(), st.data())
def test_vecattrs_sorting_and_subsets_equal_gensim(vector_set, data):
    keys, vectors = vector_set
    counts = data.draw(st.lists(st.integers(0, 5), min_size=len(keys), max_size=len(keys)))
    ours, theirs = both(keys, vectors, counts)
    key = data.draw(st.sampled_from(keys))
    ours.set_vecattr(key, "count", 99)
    theirs.set_vecattr(key, "count", 99)
    ours.set_vecattr(key, "tag", 2.5)
    theirs.set_vecattr(key, "tag", 2.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours.sort_by_descending_frequency()
        theirs.sort_by_descending_frequency()
    assert ours.index_to_key == theirs.index_to_key and ours.key_to_index == theirs.key_to_index
    same_answer(ours.vectors, theirs.vectors)
    for attr in ("count", "tag"):
        same_answer(ours.expandos[attr], theirs.expandos[attr])
    wanted = data.draw(st.lists(st.sampled_from(keys + ["missing"]), max_size=8))
    copy = data.draw(st.booleans())
    mine, gensims = ours.vectors_for_all(wanted, copy_vecattrs=copy), theirs.vectors_for_all(wanted, copy_vecattrs=copy)
    assert mine.index_to_key == gensims.index_to_key
    same_answer(mine.vectors, gensims.vectors)
    assert set(mine.expandos) == set(gensims.expandos)
    for attr in mine.expandos:
        same_answer(mine.expandos[attr], gensims.expandos[attr])
    ours.unit_normalize_all()
    theirs.unit_normalize_all()
    same_answer(ours.vectors, theirs.vectors)
    same_answer(ours.norms, theirs.norms)


@SETTINGS
@given(vector_set=vector_sets(max_keys=10), binary=st.booleans(), write_header=st.booleans(),
       prefix=st.sampled_from(["", "pre_", "ü:"]), total_vec=st.one_of(st.none(), st.integers(0, 40)),
       with_counts=st.booleans())  # fmt: skip
def test_save_word2vec_format_gensim_signature_is_byte_identical(tmp_path_factory, vector_set, binary, write_header,
                                                                 prefix, total_vec, with_counts):  # fmt: skip
    keys, vectors = vector_set
    counts = [(index * 7) % 3 for index in range(len(keys))] if with_counts else None
    ours, theirs = both(keys, vectors, counts)
    folder = tmp_path_factory.mktemp("w2v")
    fvocab = (str(folder / "ours.vocab"), str(folder / "theirs.vocab")) if with_counts else (None, None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours.save_word2vec_format(str(folder / "ours"), fvocab[0], binary, total_vec, write_header, prefix)
        theirs.save_word2vec_format(str(folder / "theirs"), fvocab[1], binary, total_vec, write_header, prefix)
        ours.save_word2vec_format(str(folder / "ours"), None, binary, None, False, prefix, True)  # append
        theirs.save_word2vec_format(str(folder / "theirs"), None, binary, None, False, prefix, True)
    assert (folder / "ours").read_bytes() == (folder / "theirs").read_bytes()
    if with_counts:
        assert (folder / "ours.vocab").read_bytes() == (folder / "theirs.vocab").read_bytes()


@pytest.mark.parametrize("datatype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("binary", [False, True])
def test_load_word2vec_format_datatype_and_counts_equal_gensim(datatype, binary):
    path = datapath("euclidean_vectors.bin") if binary else datapath("word2vec_pre_kv_c")
    ours = KeyedVectors.load_word2vec_format(path, None, binary, datatype=datatype, limit=50)
    theirs = gensim.models.KeyedVectors.load_word2vec_format(path, None, binary, datatype=datatype, limit=50)
    assert ours.index_to_key == theirs.index_to_key
    same_answer(ours.vectors, theirs.vectors)
    same_answer(ours.expandos["count"], theirs.expandos["count"])


def test_load_word2vec_format_with_fvocab_positional():
    path, vocab = datapath("w2v_keyedvectors_load_test.modeldata"), datapath("w2v_keyedvectors_load_test.vocab")
    ours = KeyedVectors.load_word2vec_format(path, vocab, False, "utf8", "replace")
    theirs = gensim.models.KeyedVectors.load_word2vec_format(path, vocab, False, "utf8", "replace")
    assert ours.index_to_key == theirs.index_to_key
    same_answer(ours.expandos["count"], theirs.expandos["count"])


def test_save_and_load_with_mmap(tmp_path):
    keys = WORDS
    vectors = np.random.default_rng(0).normal(size=(len(keys), 5)).astype(np.float32)
    kv = KeyedVectors.from_vectors(vectors, keys, list(range(len(keys))))
    kv.set_vecattr("café", "tag", 1.5)
    kv.save(str(tmp_path / "kv.npz"), sep_limit=0)
    for mmap in (None, "r"):
        loaded = KeyedVectors.load(str(tmp_path / "kv.npz"), mmap=mmap)
        assert loaded.index_to_key == keys
        np.testing.assert_array_equal(loaded.vectors, vectors)
        assert isinstance(loaded.vectors, np.memmap) == (mmap is not None)
        assert loaded.get_vecattr("café", "tag") == 1.5 and loaded.get_vecattr("東京", "count") == 2
        assert loaded.most_similar("war", topn=3) == kv.most_similar("war", topn=3)
    with pytest.raises(ValueError, match="mmap='x'"):
        KeyedVectors.load(str(tmp_path / "kv.npz"), mmap="x")


def test_load_refuses_gensim_pickle():
    with pytest.raises(ModelFileError, match="pickle.*foreign code|unpickling runs code"):
        KeyedVectors.load(datapath("old_keyedvectors_320.dat"))


def test_errors_are_gensim_s():
    vectors = np.eye(3, dtype=np.float32)
    ours, theirs = both(["a", "b", "c"], vectors)
    for call in (lambda kv: kv.get_vector("zz"), lambda kv: kv.most_similar("zz"), lambda kv: kv.rank("a", "zz"),
                 lambda kv: kv.most_similar_cosmul("zz")):  # fmt: skip
        with pytest.raises(KeyError) as mine:
            call(ours)
        with pytest.raises(KeyError) as reference:
            call(theirs)
        assert str(mine.value) == str(reference.value)
    for call, error in ((lambda kv: kv.n_similarity([], ["a"]), ZeroDivisionError),
                        (lambda kv: kv.most_similar_cosmul(negative=["a"]), ValueError),
                        (lambda kv: kv.save_word2vec_format("unused", fvocab="unused.vocab"), ValueError)):  # fmt: skip
        with pytest.raises(error):
            call(theirs)
        with pytest.raises(error):
            call(ours)
    with pytest.raises(TypeError, match="str keys or vectors"):
        ours.most_similar_cosmul([0])


def test_init_sims_replace_equals_gensim():
    vectors = np.random.default_rng(3).normal(size=(6, 4)).astype(np.float32)
    ours, theirs = both(WORDS[:6], vectors)
    with pytest.warns(DeprecationWarning):
        ours.init_sims(replace=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs.init_sims(replace=True)
    same_answer(ours.vectors, theirs.vectors)
    same_answer(ours.norms, theirs.norms)


def test_constructor_forms():
    kv = KeyedVectors(4, count=2, dtype=np.float64)
    assert kv.vectors.shape == (2, 4) and kv.vectors.dtype == np.float64 and kv.index_to_key == [None, None]
    legacy = KeyedVectors(np.eye(2, dtype=np.float32), ["a", "b"], [3, 4])
    assert legacy.get_vecattr("b", "count") == 4 and legacy.vector_size == 2


def test_evaluations_match_gensim_shape_and_values():
    path = datapath("euclidean_vectors.bin")
    ours = KeyedVectors.load_word2vec_format(path, binary=True)
    theirs = gensim.models.KeyedVectors.load_word2vec_format(path, binary=True)
    for name in ("wordsim353.tsv", "simlex999.txt"):
        (r, r_p), (rho, rho_p), oov = ours.evaluate_word_pairs(datapath(name))
        (er, er_p), expected_spearman, expected_oov = theirs.evaluate_word_pairs(datapath(name))
        assert (r, rho, oov) == (er, expected_spearman.correlation, expected_oov)
        assert r_p == pytest.approx(er_p, rel=1e-12) and rho_p == pytest.approx(expected_spearman.pvalue, rel=1e-12)
    analogies = datapath("questions-words.txt")
    expected = theirs.evaluate_word_analogies(analogies, similarity_function="most_similar_cosmul")
    assert ours.evaluate_word_analogies(analogies, similarity_function="most_similar_cosmul") == expected


CORRELATION_INPUT = st.integers(3, 400).flatmap(lambda n: st.tuples(
    st.just(n), st.integers(0, 2**32 - 1), st.sampled_from([0.0, 0.05, 0.5, 2.0, 50.0]), st.booleans()))


@settings(max_examples=150, deadline=None)
@given(CORRELATION_INPUT)
def test_correlations_and_p_values_equal_scipy(drawn):
    n, seed, noise, rounded = drawn
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = (x + noise * rng.normal(size=n)).astype(np.float32)
    if rounded:  # ties
        x, y = np.round(x, 1), np.round(y, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected_pearson, expected_spearman = scipy.stats.pearsonr(x, y), scipy.stats.spearmanr(x, y)
    for got, expected in ((pearsonr(list(x), list(y)), expected_pearson),
                          (spearmanr(list(x), list(y)), expected_spearman)):  # fmt: skip
        if math.isnan(expected.statistic):
            assert math.isnan(got[0]) and math.isnan(got[1])
            continue
        assert got[0] == expected.statistic
        if expected.pvalue > 1e-280:  # SciPy (Boost) loses digits near underflow; see the next test
            assert got[1] == pytest.approx(expected.pvalue, rel=1e-11, abs=0)
        else:
            assert got[1] < 1e-270


@settings(max_examples=200, deadline=None)
@given(st.floats(0.5, 3000), st.floats(0.5, 3000), st.one_of(st.just(0.0), st.floats(1e-300, 1)))
def test_regularized_incomplete_beta_equals_scipy(a, b, x):
    """Against SciPy for normal (not subnormal) x, where SciPy's own answer is exact to ~1e-14."""
    expected = scipy.special.betainc(a, b, x)
    got = regularized_incomplete_beta(a, b, x)
    if expected > 1e-280:
        assert got == pytest.approx(expected, rel=5e-11, abs=1e-300)
    else:
        assert got < 1e-270


# ------------------------------------------------- intersect_word2vec_format, resize_vectors
def word2vec_file_bytes(rows, size: int, binary: bool, declared: int | None = None) -> bytes:
    """A word2vec-format file of ``rows`` (word, float32 vector), repeats allowed; text values as gensim writes them."""
    out = [f"{len(rows) if declared is None else declared} {size}\n".encode()]
    for word, vector in rows:
        if binary:
            out.append(f"{word} ".encode() + vector.astype("<f4").tobytes())
        else:
            out.append(f"{word} {' '.join(str(value) for value in vector)}\n".encode())
    return b"".join(out)


@SETTINGS
@given(vector_set=vector_sets(), data=st.data())
def test_intersect_word2vec_format_equals_gensim(tmp_path_factory, vector_set, data):
    """Keys in the file (repeated ones too: the last vector wins) take its vectors and the lock factor.

    gensim 4.4.0 reads only the text format (its binary reader calls ``np.fromstring``,
    removed in NumPy 2), and only with ``vectors_lockf`` set to one factor per key
    beforehand: the binary file, holding the same float32 values, must give gensim's
    text result, and scratch must not need ``vectors_lockf`` set.
    """
    keys, vectors = vector_set
    dim = vectors.shape[1]
    file_keys = data.draw(st.lists(st.one_of(st.sampled_from(keys), KEY), min_size=1, max_size=12))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    rows = [(key, rng.normal(size=dim).astype(np.float32)) for key in file_keys]
    lockf = data.draw(st.sampled_from([0.0, 0.5, 1.0]))
    preset = data.draw(st.sampled_from(["none", "single", "per key"]))
    folder = tmp_path_factory.mktemp("intersect")
    text, binary = folder / "vectors.txt", folder / "vectors.bin"
    text.write_bytes(word2vec_file_bytes(rows, dim, binary=False))
    binary.write_bytes(word2vec_file_bytes(rows, dim, binary=True))
    _, theirs = both(keys, vectors)
    theirs.vectors_lockf = np.ones(len(keys), dtype=np.float32)
    theirs.intersect_word2vec_format(str(text), lockf=lockf, binary=False)
    for path, is_binary in ((text, False), (binary, True)):
        ours, _ = both(keys, vectors)
        if preset == "single":
            ours.vectors_lockf = np.ones(1, dtype=np.float32)
        elif preset == "per key":
            ours.vectors_lockf = np.ones(len(keys), dtype=np.float32)
        ours.intersect_word2vec_format(path, lockf, is_binary)
        np.testing.assert_array_equal(ours.vectors, theirs.vectors)
        np.testing.assert_array_equal(ours.vectors_lockf, theirs.vectors_lockf)
        assert ours.index_to_key == theirs.index_to_key


def test_intersect_word2vec_format_reads_what_gensim_reads(tmp_path):
    """Text: every line after the header, whatever its count says; a wrong dimension is a ValueError."""
    keys, vectors = ["a", "β", "日本"], np.zeros((3, 2), dtype=np.float32)
    rows = [("β", np.array([1.5, -2], dtype=np.float32)), ("日本", np.array([3, 4], dtype=np.float32))]
    path = tmp_path / "undercounted.txt"
    path.write_bytes(word2vec_file_bytes(rows, 2, binary=False, declared=1))
    ours, theirs = both(keys, vectors)
    theirs.vectors_lockf = np.ones(3, dtype=np.float32)
    theirs.intersect_word2vec_format(str(path))
    ours.intersect_word2vec_format(path)
    np.testing.assert_array_equal(ours.vectors, theirs.vectors)
    np.testing.assert_array_equal(ours.vectors, [[0, 0], [1.5, -2], [3, 4]])
    path.write_bytes(word2vec_file_bytes(rows, 2, binary=False).replace(b"2 2\n", b"2 3\n"))
    for kv in both(keys, vectors):
        with pytest.raises(ValueError, match="incompatible vector size 3"):
            kv.intersect_word2vec_format(str(path))
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(word2vec_file_bytes(rows, 2, binary=True, declared=3))
    with pytest.raises(EOFError, match=str(truncated)):
        both(keys, vectors)[0].intersect_word2vec_format(truncated, binary=True)


@SETTINGS
@given(vector_set=vector_sets(), extra=st.lists(KEY, max_size=6, unique=True), seed=st.integers(0, 2**32 - 1),
       wider=st.integers(0, 3))  # fmt: skip
def test_resize_vectors_equals_gensim(vector_set, extra, seed, wider):
    """New keys (and dimensions) get gensim's random rows, bit for bit; the old rows stay."""
    keys, vectors = vector_set
    extra = [key for key in extra if key not in keys]
    ours, theirs = both(keys, vectors, counts=list(range(len(keys), 0, -1)))
    for kv in (ours, theirs):
        kv.index_to_key.extend(extra)
        kv.key_to_index.update({key: len(keys) + index for index, key in enumerate(extra)})
        kv.vector_size += wider
        kv.resize_vectors(seed=seed)
    np.testing.assert_array_equal(ours.vectors, theirs.vectors)
    assert ours.vectors.dtype == theirs.vectors.dtype
    np.testing.assert_array_equal(ours.expandos["count"], theirs.expandos["count"])
    if extra:
        assert ours.most_similar(extra[0], topn=3) == theirs.most_similar(extra[0], topn=3)


def test_resize_vectors_does_not_shrink():
    ours, theirs = both(["a", "b", "c"], np.eye(3, dtype=np.float32))
    for kv in (ours, theirs):
        del kv.index_to_key[-1]
        with pytest.raises(ValueError):
            kv.resize_vectors()
    ours, theirs = both(["a", "b"], np.eye(2, dtype=np.float32))
    kept = ours.vectors
    ours.resize_vectors()  # the right shape already: the same array
    assert ours.vectors is kept
