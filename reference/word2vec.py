"""gensim's word2vec, answering in the shapes scratch.word2vec answers in.

A thin adapter: every function here runs gensim 4.4 and converts its result, so the
tests, the benchmark, the walkthrough and the CLI compare like with like. It is the only
tokemb module that imports gensim.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from scratch.word2vec.evaluation import WordPairsResult
from scratch.word2vec.significance import PearsonRResult, SpearmanrResult


@dataclass
class GensimVocabulary:
    """The vocabulary state gensim builds: what scratch.word2vec.vocab.Vocabulary holds."""

    index_to_key: list[str]
    counts: np.ndarray
    sample_int: np.ndarray
    cum_table: np.ndarray
    vectors: np.ndarray  # initial input vectors
    total_words: int
    sentence_count: int
    effective_min_count: int


def _word2vec_class():
    from gensim.models import Word2Vec

    return Word2Vec


def vocabulary(
    sentences: Iterable[list[str]] | None = None,
    corpus_file: str | os.PathLike | None = None,
    vector_size: int = 100,
    min_count: int = 5,
    max_final_vocab: int | None = None,
    sample: float = 1e-3,
    ns_exponent: float = 0.75,
    seed: int = 1,
) -> GensimVocabulary:
    """Run gensim's ``build_vocab`` and return its tables and initial vectors."""
    model = _word2vec_class()(vector_size=vector_size, min_count=min_count, max_final_vocab=max_final_vocab,
                              sample=sample, ns_exponent=ns_exponent, seed=seed, sg=1)  # fmt: skip
    model.build_vocab(corpus_iterable=sentences, corpus_file=None if corpus_file is None else str(corpus_file))
    wv = model.wv
    return GensimVocabulary(
        index_to_key=list(wv.index_to_key),
        counts=np.asarray(wv.expandos.get("count", []), dtype=np.int64),  # no expandos when nothing is kept
        sample_int=np.asarray(wv.expandos.get("sample_int", []), dtype=np.uint32),
        cum_table=np.asarray(model.cum_table),
        vectors=np.array(wv.vectors),
        total_words=model.corpus_total_words,
        sentence_count=model.corpus_count,
        effective_min_count=model.effective_min_count,
    )


def train(sentences: Iterable[list[str]] | None = None, corpus_file: str | os.PathLike | None = None, **params):
    """A trained gensim skip-gram ``Word2Vec`` (``sg=1`` added); ``params`` as for scratch's ``Word2Vec``."""
    params.setdefault("sg", 1)
    if corpus_file is not None:
        params["corpus_file"] = str(corpus_file)
    return _word2vec_class()(sentences=sentences, **params)


def keyed_vectors(vectors: np.ndarray, keys: list[str]):
    """A gensim ``KeyedVectors`` holding exactly these vectors and keys."""
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vectors.shape[1], count=0, dtype=np.float32)
    kv.add_vectors(list(keys), np.asarray(vectors, dtype=np.float32))
    return kv


def load_word2vec_format(path: str | os.PathLike, binary: bool = False, no_header: bool = False):
    from gensim.models import KeyedVectors

    return KeyedVectors.load_word2vec_format(str(path), binary=binary, no_header=no_header)


def glove(name: str = "glove-50"):
    """GloVe 6B 50d in gensim, from the same artifact files scratch reads."""
    from scratch.artifacts import fetch
    from scratch.word2vec.pretrained import GLOVE_ARTIFACTS

    folder = fetch(GLOVE_ARTIFACTS[name])
    words = (folder / "words.txt").read_text(encoding="utf-8").split("\n")
    if words and words[-1] == "":
        words.pop()
    return keyed_vectors(np.load(folder / "vectors.npy"), words)


def evaluate_word_pairs(kv, path: str | os.PathLike, **kwargs) -> WordPairsResult:
    """gensim's ``evaluate_word_pairs``, ``((r, p), (rho, p), oov_ratio)``, as floats in scratch's :class:`WordPairsResult`."""
    pearson, spearman, oov_ratio = kv.evaluate_word_pairs(str(path), **kwargs)
    return WordPairsResult(PearsonRResult(float(pearson[0]), float(pearson[1])),
                           SpearmanrResult(float(spearman[0]), float(spearman[1])), float(oov_ratio))  # fmt: skip


def evaluate_word_analogies(kv, path: str | os.PathLike, restrict_vocab: int = 300000, **kwargs):
    """gensim's ``evaluate_word_analogies``: (accuracy, sections) exactly as gensim returns them."""
    return kv.evaluate_word_analogies(str(path), restrict_vocab=restrict_vocab, **kwargs)
