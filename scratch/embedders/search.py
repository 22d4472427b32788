"""Cosine similarity and semantic search over text embeddings.

Two texts are similar when their embeddings point the same way: the cosine of the angle,
``a·b / (‖a‖ ‖b‖)``, 1 for the same direction, 0 for unrelated (orthogonal) vectors.
Semantic search (Reimers and Gurevych 2019, section 1) embeds a query and every
document once, and returns the documents whose embeddings have the highest cosine with
the query's. ``cos_sim`` and ``semantic_search`` give what sentence-transformers'
``util.cos_sim`` and ``util.semantic_search`` give (without their chunking, which only
bounds memory).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np


def _as_matrix(x, name: str) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2 or x.shape[1] == 0:
        raise ValueError(f"{name} must be one vector or a [n, dim] matrix, got shape {x.shape}")
    return x


def normalize_rows(x: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    """Each row divided by its L2 norm (at least ``eps``), as ``F.normalize`` does."""
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), eps)


def cos_sim(a, b) -> np.ndarray:
    """``[n, m]`` matrix of cosines between the rows of ``a`` and of ``b`` (a single vector
    counts as one row)."""
    a, b = _as_matrix(a, "a"), _as_matrix(b, "b")
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"a has {a.shape[1]} dimensions, b has {b.shape[1]}")
    return normalize_rows(a) @ normalize_rows(b).T


def semantic_search(query_embeddings, corpus_embeddings, top_k: int = 10) -> list[list[tuple[int, float]]]:
    """For each query, the ``top_k`` corpus rows with the highest cosine: ``(row, score)``,
    best first (ties: lower row first)."""
    if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k <= 0:
        raise ValueError(f"top_k must be a positive integer, got {top_k!r}")
    scores = cos_sim(query_embeddings, corpus_embeddings)
    results = []
    for row in scores:
        best = np.argsort(-row, kind="stable")[:top_k]
        results.append([(int(i), float(row[i])) for i in best])
    return results


def search(embedder, query: str, documents: Sequence[str], top_k: int = 5) -> list[tuple[float, str]]:
    """Embed ``query`` and ``documents`` with ``embedder`` (anything with
    ``encode(texts) -> [n, dim]``) and return the ``top_k`` ``(score, document)``."""
    if not documents:
        raise ValueError("no documents to search")
    docs = embedder.encode(list(documents))
    hits = semantic_search(embedder.encode([query]), docs, top_k=top_k)[0]
    return [(score, documents[i]) for i, score in hits]
