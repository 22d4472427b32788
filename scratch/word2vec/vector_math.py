"""The two vector helpers whose exact arithmetic the rest depends on (gensim's ``matutils.unitvec`` and ``argsort``).

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
