"""The vector helpers whose exact arithmetic the rest depends on (gensim's ``matutils.unitvec``, ``argsort``, cosines).

Shared by :mod:`.keyed_vectors` (similarity queries) and :mod:`.evaluation` (word-pair
similarity), so that both normalise and rank as gensim does, to the last bit.
"""

from __future__ import annotations

import math

import numpy as np


def unit_vector(vector: np.ndarray) -> np.ndarray:
    """``vector / ||vector||``, scaled in float64 and returned in the input's dtype (gensim's ``unitvec``).

    gensim takes the norm with BLAS ``dnrm2``, which is correctly rounded; ``math.hypot``
    is too. A zero vector is returned unchanged.
    """
    length = math.hypot(*vector.astype(np.float64)) if vector.size else 0.0
    if length > 0.0:
        return (vector.astype(np.float64) * (1.0 / length)).astype(vector.dtype)
    return vector


def top_indices(scores: np.ndarray, topn: int) -> np.ndarray:
    """Indices of the ``topn`` largest scores, largest first (gensim's ``matutils.argsort``).

    A partial partition picks the candidates, then a sort orders them; using the same two
    numpy calls as gensim keeps even tied scores in the same order.
    """
    negated = -scores
    if topn >= negated.size:
        return np.argsort(negated)[:topn]
    candidates = np.argpartition(negated, topn)[:topn]
    return candidates.take(np.argsort(negated.take(candidates)))


def cosine_similarities(vector_1: np.ndarray, vectors_all: np.ndarray) -> np.ndarray:
    """Cosine of ``vector_1`` with each row of ``vectors_all`` (gensim's ``KeyedVectors.cosine_similarities``).

    The same expression as gensim: the dot products divided by the product of the two
    ``np.linalg.norm`` norms, in the inputs' precision.
    """
    norm = np.linalg.norm(vector_1)
    all_norms = np.linalg.norm(vectors_all, axis=1)
    return np.dot(vectors_all, vector_1) / (norm * all_norms)


_DEFAULT_GENERATOR = np.random.default_rng()


def pseudorandom_weak_vector(size: int, seed_string: str | None = None, hashfxn=hash) -> np.ndarray:
    """A small random float32 vector, uniform in ``[-0.5, 0.5) / size`` (gensim's ``pseudorandom_weak_vector``).

    With ``seed_string`` the vector is derived from ``hashfxn(seed_string)`` (its low 32
    bits seed an SFC64 generator, as in gensim); without, it comes from a generator
    seeded once per process.
    """
    if seed_string:
        generator = np.random.Generator(np.random.SFC64(hashfxn(seed_string) & 0xFFFFFFFF))
    else:
        generator = _DEFAULT_GENERATOR
    return (generator.random(size).astype(np.float32) - 0.5) / size
