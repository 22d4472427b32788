"""Static text embeddings (averaged GloVe vectors) against gensim, and cos_sim / semantic
search against sentence-transformers' ``util``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from reference import embedders as ref
from scratch.artifacts import fetch
from scratch.embedders import StaticEmbedder, cos_sim, search, semantic_search
from scratch.embedders.static import words
from scratch.word2vec.pretrained import load_glove_folder
from text_corpora import english


@pytest.fixture(scope="module")
def glove():
    return load_glove_folder(fetch("glove-6b-50d"))


@pytest.fixture(scope="module")
def static(glove):
    return StaticEmbedder(glove)


def test_average_of_glove_vectors_equals_gensim_mean_vector(glove, static):
    lines = [line for line in english(60_000, offset=3_000_000).splitlines() if line.strip()][:150]
    ours = static.encode(lines)
    assert ours.shape == (len(lines), 50) and ours.dtype == np.float32
    for line, vector in zip(lines, ours):
        keys = words(line)
        known = [w for w in keys if w in glove]
        if not known:
            assert not vector.any()
            continue
        needed = sorted(set(known))
        rows = np.stack([np.asarray(glove[w]) for w in needed])
        assert np.max(np.abs(vector - ref.gensim_mean_vector(rows, needed, keys))) <= 1e-6


def test_unknown_words_are_skipped_and_all_unknown_gives_zeros(static):
    assert np.allclose(static.encode("king qqzzxxyy"), static.encode("king"))
    assert not static.encode("qqzzxxyy zzqqyyxx").any()


def test_a_word_has_one_static_vector_whatever_its_context(static):
    assert np.array_equal(static.word_vector("bank"), static.encode("bank"))
    river, account = static.encode(["river bank", "bank account"])
    assert np.allclose(river, (static.word_vector("river") + static.word_vector("bank")) / 2, atol=1e-7)
    assert np.allclose(account, (static.word_vector("bank") + static.word_vector("account")) / 2, atol=1e-7)


def test_static_bad_input(static):
    with pytest.raises(ValueError):
        static.encode([])
    with pytest.raises(TypeError, match=r"texts\[0\] is int"):
        static.encode([5])
    with pytest.raises(KeyError, match="not in the vocabulary"):
        static.word_vector("qqzzxxyy")
    with pytest.raises(TypeError):
        StaticEmbedder(42)


finite = st.floats(-100, 100, width=32, allow_subnormal=False)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 6), m=st.integers(1, 9), dim=st.integers(1, 12), data=st.data())
def test_cos_sim_equals_sentence_transformers(n, m, dim, data):
    a = data.draw(arrays(np.float32, (n, dim), elements=finite), label="a")
    b = data.draw(arrays(np.float32, (m, dim), elements=finite), label="b")
    ours = cos_sim(a, b)
    assert ours.shape == (n, m)
    assert np.max(np.abs(ours - ref.cos_sim(a, b))) <= 1e-5


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 4), m=st.integers(1, 30), top_k=st.integers(1, 12))
def test_semantic_search_equals_sentence_transformers(seed, n, m, top_k):
    rng = np.random.default_rng(seed)
    queries, corpus = rng.normal(size=(n, 16)).astype(np.float32), rng.normal(size=(m, 16)).astype(np.float32)
    ours, theirs = semantic_search(queries, corpus, top_k=top_k), ref.semantic_search(queries, corpus, top_k=top_k)
    assert [[i for i, _ in q] for q in ours] == [[i for i, _ in q] for q in theirs]
    assert np.allclose([s for q in ours for _, s in q], [s for q in theirs for _, s in q], atol=1e-5)


def test_search_ranks_documents_as_sentence_transformers_would(static):
    documents = ["the stock market fell sharply", "a cat chased the mouse", "the dog barked at the cat",
                 "interest rates rose again", "my kitten sleeps all day"]  # fmt: skip
    query = "kitten and puppy"
    hits = search(static, query, documents, top_k=3)
    theirs = ref.semantic_search(static.encode([query]), static.encode(documents), top_k=3)[0]
    assert [d for _, d in hits] == [documents[i] for i, _ in theirs]
    assert np.allclose([s for s, _ in hits], [s for _, s in theirs], atol=1e-6)


def test_search_bad_input():
    with pytest.raises(ValueError, match="top_k"):
        semantic_search(np.ones((1, 3)), np.ones((2, 3)), top_k=0)
    with pytest.raises(ValueError, match="dimensions"):
        cos_sim(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="shape"):
        cos_sim(np.ones((2, 2, 2)), np.ones(2))
