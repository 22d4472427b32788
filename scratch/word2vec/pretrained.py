"""Pretrained word vectors: GloVe 6B (Pennington, Socher and Manning 2014), as the book loads them.

The book calls ``gensim.downloader.load("glove-wiki-gigaword-50")``; here the same
400,000 x 50 vectors come from tokemb's artifact cache (``tokemb artifacts fetch
glove-6b-50d``): ``vectors.npy`` and ``words.txt``, line ``i`` naming row ``i``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .keyed_vectors import KeyedVectors

GLOVE_ARTIFACTS = {"glove-50": "glove-6b-50d", "glove-wiki-gigaword-50": "glove-6b-50d"}


def load_glove_folder(folder: str | os.PathLike) -> KeyedVectors:
    """KeyedVectors from a folder holding ``vectors.npy`` and ``words.txt``."""
    folder = Path(folder)
    vectors = np.load(folder / "vectors.npy")
    words = (folder / "words.txt").read_text(encoding="utf-8").split("\n")
    if words and words[-1] == "":
        words.pop()
    return KeyedVectors.from_vectors(vectors, words)


def load_glove(name: str = "glove-50") -> KeyedVectors:
    """GloVe vectors by name (``glove-50``, or the gensim-data name ``glove-wiki-gigaword-50``)."""
    from scratch.artifacts import fetch  # the standard-library-only fetcher

    if name not in GLOVE_ARTIFACTS:
        raise ValueError(f"unknown pretrained vectors {name!r}; known: {', '.join(GLOVE_ARTIFACTS)}")
    return load_glove_folder(fetch(GLOVE_ARTIFACTS[name]))
