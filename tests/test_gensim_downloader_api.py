"""scratch.word2vec.downloader against gensim: ``api.load("glove-wiki-gigaword-50")`` as the book calls it.

The oracle is gensim's KeyedVectors built from the same GloVe arrays (the artifact's
``vectors.npy`` and ``words.txt``): ``most_similar([v], topn=11)`` gives the same words and
scores (within 1e-6), starting with the book's ``model.most_similar([model["king"]], topn=11)``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gensim
from scratch.artifacts import fetch
from scratch.errors import TokembError
from scratch.word2vec import KeyedVectors
from scratch.word2vec import downloader as api

NAME = "glove-wiki-gigaword-50"


@pytest.fixture(scope="module")
def model():
    return api.load(NAME)


@pytest.fixture(scope="module")
def reference():
    folder = fetch("glove-6b-50d")
    words = (folder / "words.txt").read_text(encoding="utf-8").split("\n")
    words = words[:-1] if words[-1] == "" else words
    vectors = np.load(folder / "vectors.npy")
    kv = gensim.models.KeyedVectors(vectors.shape[1])
    kv.add_vectors(words, vectors)
    return kv


def _same_neighbours(got, expected):
    assert [w for w, _ in got] == [w for w, _ in expected]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in expected], atol=1e-6, rtol=0)


def test_load_returns_scratch_keyed_vectors(model, reference):
    assert isinstance(model, KeyedVectors)
    assert len(model) == len(reference) == 400_000 and model.vector_size == 50
    np.testing.assert_array_equal(model["king"], reference["king"])


def test_the_books_king_neighbours_equal_gensim(model, reference):
    got = model.most_similar([model["king"]], topn=11)
    _same_neighbours(got, reference.most_similar([reference["king"]], topn=11))
    assert got[0][0] == "king" and {"prince", "queen"} <= {w for w, _ in got}


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 399_999), st.integers(1, 20))
def test_most_similar_to_a_vector_equals_gensim(model, reference, row, topn):
    word = reference.index_to_key[row]
    _same_neighbours(model.most_similar([model[word]], topn=topn),
                     reference.most_similar([reference[word]], topn=topn))  # fmt: skip


def test_info_describes_what_is_available():
    assert NAME in api.info()["models"] and api.info()["corpora"] == {}
    assert api.info(name_only=True)["models"] == [NAME]
    entry = api.info(NAME)
    assert entry["num_records"] == 400_000 and entry["parameters"] == {"dimension": 50}


def test_return_path_gives_the_folder_of_the_files():
    folder = api.load(NAME, return_path=True)
    assert isinstance(folder, str) and folder == str(fetch("glove-6b-50d"))


@pytest.mark.parametrize("name", ["word2vec-google-news-300", "glove-wiki-gigaword-300", "fasttext-wiki-news-subwords-300",
                                  "text8", "no-such-thing"])  # fmt: skip
def test_other_names_are_refused_saying_what_is_available(name):
    for call in (lambda: api.load(name), lambda: api.info(name)):
        with pytest.raises(api.DataNotAvailableError, match="cannot be obtained here") as caught:
            call()
        assert isinstance(caught.value, TokembError) and NAME in str(caught.value)
