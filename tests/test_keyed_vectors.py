"""KeyedVectors: neighbours, similarity, evaluations and file formats equal gensim's on the same vectors."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference import word2vec as ref
from scratch.artifacts import fetch
from scratch.word2vec import KeyedVectors
from scratch.word2vec.corpus import LineSentence
from scratch.word2vec.significance import rank_data, spearmanr
from scratch.word2vec.model_files import ModelFileError
from scratch.word2vec.pretrained import load_glove


@pytest.fixture(scope="module")
def test_data():
    return fetch("gensim-test-data")


@pytest.fixture(scope="module")
def glove():
    return load_glove("glove-50"), ref.glove("glove-50")


@pytest.fixture(scope="module")
def trained(test_data):
    """Vectors trained by gensim on the Lee corpus, loaded into both classes."""
    model = ref.train(list(LineSentence(test_data / "lee_background.cor")), vector_size=32, min_count=2, epochs=3,
                      workers=1, seed=5)  # fmt: skip
    counts = [model.wv.get_vecattr(k, "count") for k in model.wv.index_to_key]
    return KeyedVectors(model.wv.vectors, model.wv.index_to_key, counts), model.wv


def test_book_neighbours_of_king(glove):
    """The book: glove-wiki-gigaword-50, most_similar([model['king']], topn=11)."""
    scratch, gensim = glove
    result = scratch.most_similar([scratch["king"]], topn=11)
    assert result == gensim.most_similar([gensim["king"]], topn=11)
    words = [word for word, _ in result]
    assert words[:6] == ["king", "prince", "queen", "ii", "emperor", "son"]  # as printed in the book


QUERIES = [
    dict(positive=["king", "woman"], negative=["man"], topn=20),
    dict(positive="paris", topn=15, restrict_vocab=5000),
    dict(positive=[("king", 2.0), "woman"], negative=[("man", 0.5)], topn=10),
    dict(positive=["computer"], negative=["keyboard"], topn=None),
    dict(negative=["good"], topn=7),
    dict(positive=[0, "the"], topn=5),
]


@pytest.mark.parametrize("query", QUERIES, ids=str)
def test_most_similar_equals_gensim(glove, query):
    scratch, gensim = glove
    got, expected = scratch.most_similar(**query), gensim.most_similar(**query)
    if query["topn"] is None:
        np.testing.assert_array_equal(got, expected)
    else:
        assert got == expected


def test_most_similar_with_a_raw_vector_mix(glove):
    scratch, gensim = glove
    vector = scratch["queen"] - scratch["woman"]
    assert scratch.most_similar(positive=[vector, "man"], topn=10) == gensim.most_similar(positive=[vector, "man"],
                                                                                            topn=10)  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(a=st.integers(0, 4999), b=st.integers(0, 4999))
def test_similarity_equals_gensim(glove, a, b):
    scratch, gensim = glove
    w1, w2 = scratch.index_to_key[a], scratch.index_to_key[b]
    assert scratch.similarity(w1, w2) == gensim.similarity(w1, w2)
    np.testing.assert_array_equal(scratch.get_vector(w1, norm=True), gensim.get_vector(w1, norm=True))


@pytest.mark.parametrize("words", ["breakfast cereal dinner lunch", "paris berlin london banana tokyo",
                                   "red blue green car"])  # fmt: skip
def test_doesnt_match_equals_gensim(glove, words):
    scratch, gensim = glove
    words = words.split()
    assert scratch.rank_by_centrality(words) == gensim.rank_by_centrality(words)
    assert scratch.doesnt_match(words) == gensim.doesnt_match(words)


def test_unknown_key_is_a_keyerror_naming_it(glove):
    scratch, _ = glove
    with pytest.raises(KeyError, match="qwertzuiopasdf"):
        scratch.most_similar("qwertzuiopasdf")
    with pytest.raises(KeyError, match="zzqqxx"):
        scratch.most_similar(positive=["king"], negative=["zzqqxx"])
    with pytest.raises(KeyError, match="nope_nope"):
        scratch["nope_nope"]


def test_glove_analogies_and_word_pairs_equal_gensim(glove, test_data):
    scratch, gensim = glove
    accuracy, sections = scratch.evaluate_word_analogies(test_data / "questions-words.txt", restrict_vocab=2000)
    expected_accuracy, expected_sections = ref.evaluate_word_analogies(gensim, test_data / "questions-words.txt",
                                                                       restrict_vocab=2000)  # fmt: skip
    assert sections == expected_sections
    assert accuracy == expected_accuracy
    assert len(sections[-1]["correct"]) > 100  # the comparison is not vacuous
    for name in ("wordsim353.tsv", "simlex999.txt"):
        got = scratch.evaluate_word_pairs(test_data / name)
        expected = ref.evaluate_word_pairs(gensim, test_data / name)
        assert got.oov_ratio == expected.oov_ratio < 50
        assert got.spearman.correlation == pytest.approx(expected.spearman.correlation, abs=1e-12)
        assert got.pearson.statistic == pytest.approx(expected.pearson.statistic, abs=1e-12)
        assert got.spearman.pvalue == pytest.approx(expected.spearman.pvalue, rel=1e-11)
        assert got.pearson.pvalue == pytest.approx(expected.pearson.pvalue, rel=1e-11)


@pytest.mark.parametrize("restrict_vocab,dummy4unknown", [(300000, False), (500, True), (3000, False)])
def test_trained_vectors_evaluations_equal_gensim(trained, test_data, restrict_vocab, dummy4unknown):
    scratch, gensim = trained
    path = test_data / "questions-words.txt"
    got = scratch.evaluate_word_analogies(path, restrict_vocab=restrict_vocab, dummy4unknown=dummy4unknown)
    assert got == ref.evaluate_word_analogies(gensim, path, restrict_vocab=restrict_vocab,
                                              dummy4unknown=dummy4unknown)  # fmt: skip
    for name in ("wordsim353.tsv", "simlex999.txt"):
        mine = scratch.evaluate_word_pairs(test_data / name, restrict_vocab=restrict_vocab, dummy4unknown=dummy4unknown)
        theirs = ref.evaluate_word_pairs(gensim, test_data / name, restrict_vocab=restrict_vocab,
                                         dummy4unknown=dummy4unknown)  # fmt: skip
        assert mine.oov_ratio == theirs.oov_ratio
        assert mine.spearman.correlation == pytest.approx(theirs.spearman.correlation, abs=1e-12)
        assert mine.pearson.statistic == pytest.approx(theirs.pearson.statistic, abs=1e-12)
        assert mine.spearman.pvalue == pytest.approx(theirs.spearman.pvalue, rel=1e-11)
        assert mine.pearson.pvalue == pytest.approx(theirs.pearson.pvalue, rel=1e-11)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(-5, 5), st.floats(-10, 10, allow_nan=False)), min_size=3, max_size=40))
def test_spearman_equals_scipy(pairs):
    import scipy.stats as scipy_stats  # installed with gensim
    x = [float(a) for a, _ in pairs]
    y = [b for _, b in pairs]
    np.testing.assert_array_equal(rank_data(x), scipy_stats.rankdata(x))
    expected = scipy_stats.spearmanr(x, y).statistic
    if np.isnan(expected):
        return
    assert spearmanr(x, y).correlation == pytest.approx(expected, abs=1e-12)


# ----------------------------------------------------------------- file formats


@pytest.mark.parametrize("binary", [False, True])
def test_word2vec_format_written_by_scratch_is_read_by_gensim(trained, tmp_path, binary):
    scratch, gensim = trained
    ours, theirs = tmp_path / "scratch.w2v", tmp_path / "gensim.w2v"
    scratch.save_word2vec_format(ours, binary=binary)
    gensim.save_word2vec_format(str(theirs), binary=binary)
    assert ours.read_bytes() == theirs.read_bytes()
    loaded = ref.load_word2vec_format(ours, binary=binary)
    assert loaded.index_to_key == scratch.index_to_key
    np.testing.assert_array_equal(loaded.vectors, scratch.vectors)


@pytest.mark.parametrize("binary", [False, True])
def test_word2vec_format_written_by_gensim_is_read_by_scratch(trained, tmp_path, binary):
    _, gensim = trained
    path = tmp_path / "gensim.w2v"
    gensim.save_word2vec_format(str(path), binary=binary)
    loaded = KeyedVectors.load_word2vec_format(path, binary=binary)
    expected = ref.load_word2vec_format(path, binary=binary)
    assert loaded.index_to_key == expected.index_to_key
    np.testing.assert_array_equal(loaded.vectors, expected.vectors)


def test_word2vec_c_binary_with_newlines_and_glove_text_without_header(tmp_path):
    vectors = np.arange(12, dtype=np.float32).reshape(3, 4) / 7
    words = ["alpha", "β", "c"]
    binary = tmp_path / "c.bin"  # word2vec.c writes a newline after each vector
    binary.write_bytes(b"3 4\n" + b"".join(w.encode() + b" " + v.tobytes() + b"\n" for w, v in zip(words, vectors)))
    loaded = KeyedVectors.load_word2vec_format(binary, binary=True)
    expected = ref.load_word2vec_format(binary, binary=True)
    assert loaded.index_to_key == expected.index_to_key == words
    np.testing.assert_array_equal(loaded.vectors, expected.vectors)
    text = tmp_path / "glove.txt"
    text.write_text("".join(f"{w} {' '.join(str(x) for x in v)}\n" for w, v in zip(words, vectors)), encoding="utf-8")
    loaded = KeyedVectors.load_word2vec_format(text, no_header=True)
    expected = ref.load_word2vec_format(text, no_header=True)
    assert loaded.index_to_key == expected.index_to_key
    np.testing.assert_array_equal(loaded.vectors, expected.vectors)


def test_truncated_file_is_a_clear_error(tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("3 2\na 1 2\nb 3 4\n")
    with pytest.raises(ModelFileError, match="line 4: the file ends after 2 of the 3"):
        KeyedVectors.load_word2vec_format(path)
    path.write_text("a 1 2\n")
    with pytest.raises(ModelFileError, match="no_header"):
        KeyedVectors.load_word2vec_format(path)


def test_npz_save_and_load_round_trip(trained, tmp_path):
    scratch, _ = trained
    scratch.save(tmp_path / "kv.npz")
    loaded = KeyedVectors.load(tmp_path / "kv.npz")
    assert loaded.index_to_key == scratch.index_to_key
    np.testing.assert_array_equal(loaded.vectors, scratch.vectors)
    np.testing.assert_array_equal(loaded.counts, scratch.counts)


def test_tokemb_similar_prints_the_books_neighbours_with_gensims_scores(glove):
    from reference.cli import main

    _, gensim = glove
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["similar", "king", "--vectors", "glove-50", "--topn", "11"]) == 0
    rows = [line.split() for line in out.getvalue().splitlines()[1:]]
    expected = gensim.most_similar([gensim["king"]], topn=11)
    assert [row[1] for row in rows] == [word for word, _ in expected]
    assert [row[2] for row in rows] == [f"{score:.7f}" for _, score in expected]  # scratch's column
    assert [row[3] for row in rows] == [f"{score:.7f}" for _, score in expected]  # gensim's column
