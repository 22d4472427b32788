"""scratch.embedders.SentenceTransformer and util against sentence-transformers, as the chapter calls them.

* ``SentenceTransformer(folder).encode`` == the reference on the same artifact folder, to
  1e-5 in float32, for a string and a list, every combination of ``convert_to_numpy``,
  ``convert_to_tensor``, ``normalize_embeddings``, ``batch_size`` and the progress bar:
  same shapes, same types (numpy / tensor / list of tensors);
* the hub ids the chapter uses load the artifacts; unknown ids are refused naming what exists;
* ``util.cos_sim``, ``util.dot_score``, ``util.semantic_search`` == the reference's on
  random embeddings (hypothesis).
"""

from __future__ import annotations

import itertools
import os

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import sentence_transformers
from sentence_transformers import util as ref_util
from scratch.artifacts import fetch
from scratch.embedders import ModelNotAvailableError, SentenceTransformer, util
from scratch.errors import TokembError

TOLERANCE = 1e-5
SENTENCES = ["Best movie ever!", "Hello world", "Café crème, naïve façade", "東京は日本の首都です 🍣",
             "e\u0301 combining\u00a0nbsp\u2003em space", "I love llamas " * 40, ""]  # fmt: skip


@pytest.fixture(scope="module", params=["all-MiniLM-L6-v2", "all-mpnet-base-v2"])
def pair(request):
    folder = fetch(request.param)
    return SentenceTransformer(str(folder)), sentence_transformers.SentenceTransformer(str(folder), device="cpu")


@pytest.fixture(scope="module")
def unnormalized_pair(tmp_path_factory):
    """all-MiniLM-L6-v2 without its Normalize module, so normalize_embeddings matters."""
    folder = fetch("all-MiniLM-L6-v2")
    copy = tmp_path_factory.mktemp("minilm-no-normalize")
    for entry in folder.iterdir():
        if entry.name != "modules.json" and not entry.name.startswith("."):
            os.symlink(entry, copy / entry.name)
    (copy / "modules.json").write_text((folder / "modules.json").read_text().replace(
        ',\n  {\n    "idx": 2,\n    "name": "2",\n    "path": "2_Normalize",\n    "type": "sentence_transformers.models.Normalize"\n  }', ""))  # fmt: skip
    assert "Normalize" not in (copy / "modules.json").read_text()
    return SentenceTransformer(copy), sentence_transformers.SentenceTransformer(str(copy), device="cpu")


def _same(ours, theirs):
    """Same type and shape, values within TOLERANCE."""
    if isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            _same(o, t)
        return
    assert type(ours) is type(theirs), (type(ours), type(theirs))
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert ours.dtype == theirs.dtype
    o = ours.numpy() if isinstance(ours, torch.Tensor) else ours
    t = theirs.numpy() if isinstance(theirs, torch.Tensor) else theirs
    np.testing.assert_allclose(o, t, atol=TOLERANCE, rtol=0)


OPTIONS = list(itertools.product([True, False], [True, False], [True, False]))  # numpy, tensor, normalize


@pytest.mark.parametrize("inputs", [SENTENCES[0], SENTENCES[3], SENTENCES], ids=["str", "cjk", "list"])
@pytest.mark.parametrize("convert_to_numpy,convert_to_tensor,normalize_embeddings", OPTIONS)
def test_encode_equals_sentence_transformers(pair, inputs, convert_to_numpy, convert_to_tensor,
                                             normalize_embeddings):  # fmt: skip
    ours, theirs = pair
    kwargs = dict(convert_to_numpy=convert_to_numpy, convert_to_tensor=convert_to_tensor,
                  normalize_embeddings=normalize_embeddings)  # fmt: skip
    _same(ours.encode(inputs, **kwargs), theirs.encode(inputs, **kwargs))


@pytest.mark.parametrize("batch_size,show_progress_bar", [(1, False), (2, True), (3, None), (32, False)])
@pytest.mark.parametrize("normalize_embeddings", [True, False])
def test_batches_progress_and_normalization_equal_the_reference(unnormalized_pair, batch_size, show_progress_bar,
                                                                normalize_embeddings):  # fmt: skip
    ours, theirs = unnormalized_pair
    kwargs = dict(batch_size=batch_size, show_progress_bar=show_progress_bar, normalize_embeddings=normalize_embeddings)
    expected = theirs.encode(SENTENCES, **kwargs)
    _same(ours.encode(SENTENCES, **kwargs), expected)
    _same(ours.encode(tuple(SENTENCES), convert_to_tensor=True, **kwargs), theirs.encode(SENTENCES, convert_to_tensor=True, **kwargs))
    norms = np.linalg.norm(expected, axis=1)
    assert np.allclose(norms, 1, atol=1e-5) == normalize_embeddings  # the switch really matters here


@pytest.mark.parametrize("convert_to_numpy,convert_to_tensor", [(True, False), (False, True), (False, False)])
def test_empty_list_returns_what_the_reference_returns(unnormalized_pair, convert_to_numpy, convert_to_tensor):
    ours, theirs = unnormalized_pair
    kwargs = dict(convert_to_numpy=convert_to_numpy, convert_to_tensor=convert_to_tensor)
    got, expected = ours.encode([], **kwargs), theirs.encode([], **kwargs)
    assert type(got) is type(expected) and len(got) == len(expected) == 0
    if not isinstance(expected, list):
        assert got.dtype == expected.dtype and tuple(got.shape) == tuple(expected.shape)


def test_dimension_and_max_seq_length_equal_the_reference(pair):
    ours, theirs = pair
    assert ours.get_embedding_dimension() == ours.get_sentence_embedding_dimension() == theirs.get_embedding_dimension()
    assert ours.max_seq_length == theirs.max_seq_length


@pytest.mark.parametrize("name,artifact", [("sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2"),
                                           ("all-MiniLM-L6-v2", "all-MiniLM-L6-v2"),
                                           ("sentence-transformers/all-mpnet-base-v2", "all-mpnet-base-v2"),
                                           ("all-mpnet-base-v2", "all-mpnet-base-v2")])  # fmt: skip
def test_the_chapter_hub_ids_load_the_artifacts(name, artifact):
    model = SentenceTransformer(name)
    by_folder = SentenceTransformer(fetch(artifact))
    text = "Best movie ever!"
    np.testing.assert_array_equal(model.encode(text), by_folder.encode(text))


@pytest.mark.parametrize("name", ["microsoft/deberta-v3-xsmall", "sentence-transformers/all-MiniLM-L12-v2",
                                  "no/such-model", "/no/such/folder"])  # fmt: skip
def test_unobtainable_ids_are_refused_naming_what_is_available(name):
    with pytest.raises(ModelNotAvailableError, match="cannot be obtained here") as caught:
        SentenceTransformer(name)
    assert isinstance(caught.value, TokembError)
    assert "all-mpnet-base-v2" in str(caught.value) and "all-MiniLM-L6-v2" in str(caught.value)


def test_bad_inputs_are_refused(unnormalized_pair):
    ours, _ = unnormalized_pair
    with pytest.raises(ValueError, match="batch_size"):
        ours.encode(["a"], batch_size=0)
    with pytest.raises(TypeError, match=r"sentences\[1\]"):
        ours.encode(["a", 3])


# ---------------------------------------------------------------------------- util
def _embeddings(rows: int, dim: int):
    return arrays(np.float32, (rows, dim), elements=st.floats(-10, 10, width=32))


@st.composite
def query_and_corpus(draw):
    dim = draw(st.integers(1, 12))
    queries = draw(_embeddings(draw(st.integers(1, 4)), dim))
    corpus = draw(_embeddings(draw(st.integers(1, 30)), dim))
    kind = draw(st.sampled_from(["numpy", "tensor", "list-of-tensors", "list-of-arrays", "one-vector"]))
    if kind == "tensor":
        queries, corpus = torch.from_numpy(queries), torch.from_numpy(corpus)
    elif kind == "list-of-tensors":
        queries, corpus = list(torch.from_numpy(queries)), list(torch.from_numpy(corpus))
    elif kind == "list-of-arrays":
        queries, corpus = list(queries), list(corpus)
    elif kind == "one-vector":
        queries = queries[0]
    return queries, corpus


@settings(max_examples=150, deadline=None)
@given(query_and_corpus())
def test_cos_sim_and_dot_score_equal_the_reference(data):
    a, b = data
    for ours, theirs in ((util.cos_sim, ref_util.cos_sim), (util.dot_score, ref_util.dot_score)):
        got, expected = ours(a, b), theirs(a, b)
        assert isinstance(got, torch.Tensor) and got.shape == expected.shape and got.dtype == expected.dtype
        scale = max(1.0, float(expected.abs().max()))
        torch.testing.assert_close(got, expected, atol=1e-5 * scale, rtol=1e-5)


@settings(max_examples=150, deadline=None)
@given(query_and_corpus(), st.integers(1, 40))
def test_semantic_search_equals_the_reference(data, top_k):
    queries, corpus = data
    got = util.semantic_search(queries, corpus, top_k=top_k)
    expected = ref_util.semantic_search(queries, corpus, top_k=top_k)
    assert len(got) == len(expected)
    reference_scores = ref_util.cos_sim(queries, corpus)
    for query, (ours, theirs) in enumerate(zip(got, expected)):
        assert len(ours) == len(theirs)
        assert all(set(hit) == {"corpus_id", "score"} and isinstance(hit["corpus_id"], int)
                   and isinstance(hit["score"], float) for hit in ours)  # fmt: skip
        np.testing.assert_allclose([h["score"] for h in ours], [h["score"] for h in theirs], atol=1e-5)
        # Each returned row carries its own score; rows differ from the reference's only where
        # scores tie within rounding (the order of ties is the implementations' own).
        for hit in ours:
            assert abs(hit["score"] - float(reference_scores[query, hit["corpus_id"]])) <= 1e-5
        assert len({h["corpus_id"] for h in ours}) == len(ours)
        for o, t in zip(ours, theirs):
            assert o["corpus_id"] == t["corpus_id"] or abs(o["score"] - t["score"]) <= 1e-5


def test_semantic_search_refuses_other_score_functions_and_bad_top_k():
    x = np.eye(3, dtype=np.float32)
    with pytest.raises(ValueError, match="cos_sim"):
        util.semantic_search(x, x, score_function=util.dot_score)
    with pytest.raises(ValueError, match="top_k"):
        util.semantic_search(x, x, top_k=0)
