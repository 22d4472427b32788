"""The reference embedders, in the shape :mod:`scratch.embedders` gives its results.

Thin adapters over transformers (``AutoModel``, ``AutoTokenizer``), sentence-transformers
(``SentenceTransformer.encode``, ``util.cos_sim``, ``util.semantic_search``) and gensim
(``KeyedVectors.get_mean_vector``): they load once per folder and return numpy arrays.
Loading is quiet: transformers' own weight-loading bar and its warnings are switched off
while a model loads (:func:`quiet_transformers`), so tokemb's output is tokemb's.
"""

from __future__ import annotations

import contextlib
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np


@contextlib.contextmanager
def quiet_transformers():
    """Inside, transformers shows no progress bar (its "Loading weights" bar) and logs
    only errors; both settings are put back as they were on leaving."""
    from transformers.utils import logging

    bars_were_on = logging.is_progress_bar_enabled()
    verbosity = logging.get_verbosity()
    logging.disable_progress_bar()
    logging.set_verbosity_error()
    try:
        yield
    finally:
        logging.set_verbosity(verbosity)
        if bars_were_on:
            logging.enable_progress_bar()


@lru_cache(maxsize=4)
def auto_model(folder: str | Path):
    """transformers' ``AutoModel`` for ``folder``, in eval mode, float32, on the CPU."""
    from transformers import AutoModel

    with quiet_transformers():
        return AutoModel.from_pretrained(str(folder)).eval()


@lru_cache(maxsize=2)
def auto_model_float64(folder: str | Path):
    """:func:`auto_model` with every weight in float64: the same computation with rounding errors
    about 2**29 times smaller, the "exact" answer both float32 implementations are judged by."""
    import copy

    return copy.deepcopy(auto_model(folder)).double()


@lru_cache(maxsize=4)
def auto_tokenizer(folder: str | Path):
    from transformers import AutoTokenizer

    with quiet_transformers():
        return AutoTokenizer.from_pretrained(str(folder))


def tokenize(folder: str | Path, texts: Sequence[str], max_length: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(input_ids, attention_mask)``, ``[B, T]``, padded to the longest, truncated to ``max_length``."""
    batch = auto_tokenizer(folder)(
        list(texts), padding=True, truncation=max_length is not None, max_length=max_length, return_tensors="np"
    )
    return batch["input_ids"].astype(np.int64), batch["attention_mask"].astype(np.int64)


def input_embeddings(folder: str | Path, ids) -> np.ndarray:
    """Rows ``ids`` of ``model.get_input_embeddings()``."""
    import torch

    with torch.inference_mode():
        layer = auto_model(folder).get_input_embeddings()
        return layer(torch.as_tensor(np.asarray(ids), dtype=torch.long)).numpy()


def last_hidden_state(folder: str | Path, input_ids, attention_mask, float64: bool = False) -> np.ndarray:
    """``AutoModel(input_ids, attention_mask).last_hidden_state``, ``[B, T, D]`` (computed in
    float64 by :func:`auto_model_float64` with ``float64=True``)."""
    import torch

    model = auto_model_float64(folder) if float64 else auto_model(folder)
    with torch.inference_mode():
        out = model(
            input_ids=torch.as_tensor(np.asarray(input_ids), dtype=torch.long),
            attention_mask=torch.as_tensor(np.asarray(attention_mask), dtype=torch.long),
        )
    return out.last_hidden_state.numpy()


@lru_cache(maxsize=4)
def sentence_transformer(folder: str | Path, normalize: bool = True):
    """``SentenceTransformer(folder)`` on the CPU; ``normalize=False`` drops a Normalize module."""
    from sentence_transformers import SentenceTransformer

    with quiet_transformers():
        model = SentenceTransformer(str(folder), device="cpu")
        if not normalize:
            kept = [m for m in model if type(m).__name__ != "Normalize"]
            model = SentenceTransformer(modules=kept, device="cpu")
    return model


def encode(folder: str | Path, texts, batch_size: int = 32, normalize_embeddings: bool = False,
           normalize: bool = True) -> np.ndarray:  # fmt: skip
    """``SentenceTransformer.encode`` (numpy output); ``normalize=False`` without the Normalize module."""
    model = sentence_transformer(folder, normalize)
    return model.encode(texts, batch_size=batch_size, normalize_embeddings=normalize_embeddings,
                        convert_to_numpy=True)  # fmt: skip


def max_seq_length(folder: str | Path) -> int:
    return int(sentence_transformer(folder).max_seq_length)


def cos_sim(a, b) -> np.ndarray:
    """``sentence_transformers.util.cos_sim`` as a numpy matrix."""
    from sentence_transformers import util

    return util.cos_sim(np.asarray(a, dtype=np.float32), np.asarray(b, dtype=np.float32)).numpy()


def semantic_search(query_embeddings, corpus_embeddings, top_k: int = 10) -> list[list[tuple[int, float]]]:
    """``sentence_transformers.util.semantic_search``: per query, ``(corpus_id, score)`` best first."""
    import torch
    from sentence_transformers import util

    queries = torch.as_tensor(np.asarray(query_embeddings, dtype=np.float32))
    corpus = torch.as_tensor(np.asarray(corpus_embeddings, dtype=np.float32))
    hits = util.semantic_search(queries, corpus, top_k=top_k)
    return [[(h["corpus_id"], h["score"]) for h in per_query] for per_query in hits]


def gensim_mean_vector(vectors: np.ndarray, words: Sequence[str], keys: Sequence[str]) -> np.ndarray:
    """gensim's ``KeyedVectors.get_mean_vector(keys)`` of plain (not pre-normalised) vectors."""
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vectors.shape[1], count=len(words), dtype=vectors.dtype)
    kv.add_vectors(list(words), vectors)
    return kv.get_mean_vector(list(keys), pre_normalize=False, post_normalize=False, ignore_missing=True)


def pool(token_embeddings, attention_mask, modes: Sequence[str]) -> np.ndarray:
    """sentence-transformers' ``Pooling`` module with ``pooling_mode=modes`` on numpy inputs."""
    import torch
    from sentence_transformers.models import Pooling

    x = torch.as_tensor(np.asarray(token_embeddings, dtype=np.float32))
    module = Pooling(x.shape[-1], pooling_mode=tuple(modes))
    with torch.inference_mode():
        features = module({"token_embeddings": x, "attention_mask": torch.as_tensor(np.asarray(attention_mask))})
    return features["sentence_embedding"].numpy()


def normalize(x) -> np.ndarray:
    """sentence-transformers' ``Normalize`` module (``F.normalize(p=2)``)."""
    import torch
    from sentence_transformers.models import Normalize

    with torch.inference_mode():
        out = Normalize()({"sentence_embedding": torch.as_tensor(np.asarray(x, dtype=np.float32))})
    return out["sentence_embedding"].numpy()


def mpnet_relative_position_bucket(relative_position: np.ndarray) -> np.ndarray:
    """transformers' ``MPNetEncoder.relative_position_bucket`` (32 buckets, distance 128)."""
    import torch
    from transformers.models.mpnet.modeling_mpnet import MPNetEncoder

    return MPNetEncoder.relative_position_bucket(torch.as_tensor(relative_position, dtype=torch.long)).numpy()
