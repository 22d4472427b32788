"""sentence-transformers' ``util`` functions, on scratch's own search code.

The chapter writes ``from sentence_transformers import util`` and calls
``util.cos_sim(a, b)`` and ``util.semantic_search(queries, corpus, top_k=...)``; with
``from scratch.embedders import util`` the same calls give the same results:

* :func:`cos_sim` and :func:`dot_score` return a ``torch.Tensor`` ``[n, m]``
  (sentence_transformers/util/similarity.py ``cos_sim``, ``dot_score``): inputs may be
  numpy arrays, torch tensors or lists of either, one vector counting as one row;
* :func:`semantic_search` returns, per query, a list of ``{"corpus_id": int, "score":
  float}`` dicts, best first (sentence_transformers/util/retrieval.py
  ``semantic_search``).

The arithmetic is :mod:`.search`'s (one implementation): rows divided by their L2 norm
(at least 1e-12, as ``F.normalize``), then one matrix product, in float32. Differences
from the reference, on purpose: results are always float32 on the CPU (the reference keeps
a float64 input's dtype and a CUDA input's device); ``semantic_search`` ranks equal scores
lower corpus row first (the reference's order of ties follows its heap); ``top_k`` must be
positive, and only ``score_function=cos_sim`` is accepted (another function is refused,
not silently replaced). ``query_chunk_size`` / ``corpus_chunk_size`` only bound the
reference's memory, so they are checked and otherwise have no effect.
"""

from __future__ import annotations

import numpy as np
import torch

# Imported by name: in the package, ``search`` is rebound to the function search.search.
from .search import cos_sim as cosine_matrix
from .search import semantic_search as ranked_by_cosine


def as_numpy_rows(x) -> np.ndarray:
    """``x`` (array, tensor, or a list of vectors of either kind) as a float32 numpy array
    on the CPU; :mod:`.search` then checks its shape."""
    if isinstance(x, torch.Tensor):
        return x.detach().to("cpu", torch.float32).numpy()
    if isinstance(x, (list, tuple)) and x and all(isinstance(v, torch.Tensor) for v in x):
        return torch.stack([v.detach().to("cpu", torch.float32) for v in x]).numpy()
    return np.asarray(x, dtype=np.float32)


def cos_sim(a, b) -> torch.Tensor:
    """``[n, m]`` tensor, ``res[i][j]`` = cosine of ``a[i]`` and ``b[j]``."""
    return torch.from_numpy(cosine_matrix(as_numpy_rows(a), as_numpy_rows(b)))


def dot_score(a, b) -> torch.Tensor:
    """``[n, m]`` tensor, ``res[i][j]`` = dot product of ``a[i]`` and ``b[j]``."""
    a, b = as_numpy_rows(a), as_numpy_rows(b)
    a, b = (x[None, :] if x.ndim == 1 else x for x in (a, b))
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(f"dot_score needs [n, dim] and [m, dim] with the same dim, got {a.shape} and {b.shape}")
    return torch.from_numpy(a @ b.T)


def semantic_search(query_embeddings, corpus_embeddings, query_chunk_size: int = 100,
                    corpus_chunk_size: int = 500000, top_k: int = 10,
                    score_function=cos_sim) -> list[list[dict[str, int | float]]]:  # fmt: skip
    """For each query, the ``top_k`` corpus rows of highest cosine, best first, as
    ``{"corpus_id": row, "score": cosine}`` dicts (fewer when the corpus is smaller)."""
    if score_function is not cos_sim:
        raise ValueError("semantic_search supports only score_function=util.cos_sim here, "
                         f"got {getattr(score_function, '__name__', score_function)!r}")  # fmt: skip
    for name, value in (("query_chunk_size", query_chunk_size), ("corpus_chunk_size", corpus_chunk_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    hits = ranked_by_cosine(as_numpy_rows(query_embeddings), as_numpy_rows(corpus_embeddings), top_k=top_k)
    return [[{"corpus_id": row, "score": score} for row, score in query] for query in hits]


__all__ = ["cos_sim", "dot_score", "semantic_search"]
