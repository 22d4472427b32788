"""word2vec vocabulary, sampling tables and initial vectors: exactly gensim's.

Expected values come from gensim, run in the test on the same corpus.
"""

from __future__ import annotations

import numpy as np
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference import word2vec as ref
from scratch.artifacts import fetch
from scratch.word2vec import Word2Vec
from scratch.word2vec.corpus import LineSentence, chunk_words, lowercase_words
from scratch.word2vec.trainer import initial_vectors
from scratch.word2vec.vocab import build_vocabulary, count_words


@pytest.fixture(scope="module")
def test_data():
    return fetch("gensim-test-data")


def assert_same_vocabulary(scratch: Word2Vec, gensim: ref.GensimVocabulary) -> None:
    vocab = scratch.vocabulary
    assert vocab.index_to_key == gensim.index_to_key
    np.testing.assert_array_equal(vocab.counts, gensim.counts)
    np.testing.assert_array_equal(vocab.sample_int, gensim.sample_int)
    np.testing.assert_array_equal(vocab.cum_table, gensim.cum_table)
    np.testing.assert_array_equal(scratch.wv.vectors, gensim.vectors)
    assert (vocab.total_words, vocab.sentence_count) == (gensim.total_words, gensim.sentence_count)
    assert vocab.effective_min_count == gensim.effective_min_count


SETTINGS = [
    dict(min_count=5, sample=1e-3, ns_exponent=0.75),
    dict(min_count=1, sample=1e-5, ns_exponent=0.75),
    dict(min_count=2, max_final_vocab=1000, sample=0.5, ns_exponent=0.5),
    dict(min_count=3, sample=0, ns_exponent=-0.5),
    dict(min_count=1, max_final_vocab=50, sample=2.0, ns_exponent=1.0),
]


@pytest.mark.parametrize("corpus", ["lee_background.cor", "head500.noblanks.cor"])
@pytest.mark.parametrize("params", SETTINGS, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_vocabulary_tables_and_initial_vectors_equal_gensim(test_data, corpus, params):
    sentences = list(LineSentence(test_data / corpus))
    model = Word2Vec(vector_size=16, seed=7, **params)
    model.build_vocab(sentences)
    assert_same_vocabulary(model, ref.vocabulary(sentences, vector_size=16, seed=7, **params))


def test_corpus_file_vocabulary_equals_gensim(test_data, tmp_path):
    # Long lines are cut into 10,000-word sentences and empty lines skipped, as LineSentence does.
    words = (test_data / "lee_background.cor").read_text(encoding="utf-8").split()
    path = tmp_path / "corpus.txt"
    short_lines = "\n".join(" ".join(words[i : i + 9]) for i in range(0, 5000, 9))
    path.write_text(" ".join(words[:25_000]) + "\n\n" + short_lines)
    model = Word2Vec(vector_size=8, min_count=2)
    model.build_vocab(corpus_file=path)
    assert_same_vocabulary(model, ref.vocabulary(corpus_file=path, vector_size=8, min_count=2))


def test_gutenberg_slice_vocabulary_equals_gensim():
    from scratch.data import data_path

    sentences = chunk_words(lowercase_words(data_path("gutenberg", "english.txt"), max_words=1_000_000))
    model = Word2Vec(vector_size=100, min_count=5)
    model.build_vocab(sentences)
    assert_same_vocabulary(model, ref.vocabulary(sentences, vector_size=100, min_count=5))


words = st.sampled_from([f"w{i}" for i in range(40)] + ["The", "the", "é", "日本"])


@settings(max_examples=40, deadline=None)
@given(
    sentences=st.lists(st.lists(words, min_size=1, max_size=30), min_size=1, max_size=30),
    min_count=st.integers(1, 4),
    max_final_vocab=st.one_of(st.none(), st.integers(1, 30)),
    sample=st.sampled_from([0, 1e-4, 1e-2, 0.3, 1.0, 3.0]),
    ns_exponent=st.sampled_from([0.0, 0.75, 1.0, -0.5]),
)
def test_random_corpora_vocabulary_equals_gensim(sentences, min_count, max_final_vocab, sample, ns_exponent):
    params = dict(min_count=min_count, max_final_vocab=max_final_vocab, sample=sample, ns_exponent=ns_exponent)
    expected = ref.vocabulary(sentences, vector_size=4, seed=3, **params)
    if not expected.index_to_key:  # gensim keeps an empty vocabulary, and so does scratch; training it says why
        assert len(build_vocabulary(count_words(sentences), **params)) == 0
        with pytest.raises(RuntimeError, match="min_count"):
            Word2Vec(sentences, vector_size=4, seed=3, **params)
        return
    model = Word2Vec(vector_size=4, seed=3, **params)
    model.build_vocab(sentences)
    assert_same_vocabulary(model, expected)


@pytest.mark.parametrize("seed", [0, 1, 12345])
def test_initial_vectors_follow_gensim_prep_vectors(seed):
    expected = ref.vocabulary([["a", "b", "c"] * 3, ["d"] * 5], vector_size=7, min_count=1, seed=seed).vectors
    np.testing.assert_array_equal(initial_vectors(4, 7, seed), expected)


# ------------------------------------------------------------------ bad input


def test_empty_corpus_is_a_clear_error():
    with pytest.raises(ValueError, match="empty"):
        Word2Vec([[], []])
    with pytest.raises(ValueError, match="empty"):
        Word2Vec([])


def test_min_count_that_removes_every_word_is_a_clear_error():
    with pytest.raises(ValueError, match=r"min_count=10 removes every word.*occurs 3 time"):
        Word2Vec([["a", "b", "a"], ["a"]], min_count=10)


def test_non_string_tokens_are_a_clear_error():
    with pytest.raises(TypeError, match="tokens must be str.*42.*int"):
        Word2Vec([["a", "b"], ["c", 42]], min_count=1)
    # a sentence that is a plain string is counted as its characters, with gensim's warning (tests/test_word2vec_api.py)
    with pytest.raises(TypeError, match="not a string"):
        Word2Vec("just a string", min_count=1)


@pytest.mark.parametrize("name,value", [("vector_size", 0), ("vector_size", -3), ("window", 0),
                                        ("epochs", 0), ("workers", 0), ("vector_size", 2.5)])  # fmt: skip
def test_invalid_sizes_are_clear_errors(name, value):
    with pytest.raises(ValueError, match=f"{name} must be a positive integer"):
        Word2Vec([["a", "b"]], min_count=1, **{name: value})


def test_no_output_layer_is_gensims_error():
    """negative=0 is hierarchical softmax alone (hs=1); with hs=0 too nothing would train: gensim's
    ValueError, worded as gensim words it."""
    from gensim.models import Word2Vec as GensimWord2Vec

    with pytest.raises(ValueError) as theirs:
        GensimWord2Vec([["a", "b"]], min_count=1, hs=0, negative=0)
    with pytest.raises(ValueError, match=re.escape(str(theirs.value))):
        Word2Vec([["a", "b"]], min_count=1, hs=0, negative=0)
    with pytest.raises(ValueError, match="negative"):
        Word2Vec([["a", "b"]], min_count=1, negative=-1)


def test_generator_and_conflicting_inputs_are_clear_errors(tmp_path):
    with pytest.raises(TypeError, match="one-shot iterator"):
        Word2Vec((s for s in [["a", "b"]]), min_count=1)
    path = tmp_path / "c.txt"
    path.write_text("a b\n")
    with pytest.raises(TypeError, match="exactly one of"):
        Word2Vec([["a"]], corpus_file=path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        Word2Vec(corpus_file=tmp_path / "missing.txt")
    with pytest.raises(ValueError, match="sg must be 0 or 1"):
        Word2Vec(sg=2)
    with pytest.raises(NotImplementedError, match="torch backend trains skip-gram"):
        Word2Vec(sg=0, backend="torch")
