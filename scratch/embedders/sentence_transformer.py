"""``SentenceTransformer``: sentence-transformers' entry point, on :class:`SentenceEmbedder`.

The chapter writes ``SentenceTransformer("sentence-transformers/all-mpnet-base-v2")``
and ``model.encode(texts)``; with ``from scratch.embedders import SentenceTransformer``
the same lines give the same vectors. The model is found by name or folder:

* the hub ids ``sentence-transformers/all-mpnet-base-v2`` and
  ``sentence-transformers/all-MiniLM-L6-v2`` (also without the ``sentence-transformers/``
  prefix, as the reference accepts them) are tokemb's artifacts of the same names, fetched
  with :func:`scratch.artifacts.fetch`;
* an existing folder is read as a sentence-transformers model folder;
* any other id is refused with :class:`ModelNotAvailableError` naming what is available:
  there is no model hub here.

``encode`` follows ``SentenceTransformer.encode`` (sentence_transformers/
sentence_transformer/model.py) in what it returns:

* a string gives one 1-D embedding, a list (or tuple) of strings a 2-D one;
* ``convert_to_tensor=True`` gives a ``torch.Tensor`` (it overrides ``convert_to_numpy``),
  else ``convert_to_numpy=True`` (the default) a float32 ``numpy.ndarray``, else a list of
  1-D tensors (one tensor for a string);
* an empty list gives ``np.array([])``, ``torch.tensor([])`` or ``[]`` as the reference does;
* ``normalize_embeddings=True`` L2-normalises; ``False`` leaves the model folder's own
  Normalize module in place (the reference's meaning: both chapter models always normalise);
* the texts are sorted longest first and cut into batches of ``batch_size`` as the
  reference cuts them, each batch embedded by :meth:`SentenceEmbedder.encode`;
  ``show_progress_bar`` shows a tqdm bar over the batches (``None``: no bar; the reference
  decides from its logger's level).

Tensors are on the CPU; the reference's other options (``prompt``, ``precision``,
``output_value``, ``device``, ``truncate_dim``, pools) are not accepted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import torch
from tqdm.auto import tqdm

from scratch.errors import ModelNotAvailableError

from . import util
from .sentence_embedder import SentenceEmbedder

# Hub id -> tokemb artifact holding that model's sentence-transformers folder.
KNOWN_MODELS = {
    "sentence-transformers/all-mpnet-base-v2": "all-mpnet-base-v2",
    "all-mpnet-base-v2": "all-mpnet-base-v2",
    "sentence-transformers/all-MiniLM-L6-v2": "all-MiniLM-L6-v2",
    "all-MiniLM-L6-v2": "all-MiniLM-L6-v2",
}


def model_folder(name_or_path: str | Path) -> Path:
    """The sentence-transformers folder for a known hub id or an existing folder."""
    if isinstance(name_or_path, str) and name_or_path in KNOWN_MODELS:
        from scratch.artifacts import fetch  # standard library only; imported when needed

        return fetch(KNOWN_MODELS[name_or_path])
    path = Path(name_or_path)
    if path.is_dir():
        return path
    raise ModelNotAvailableError(
        f"model {str(name_or_path)!r}: its files cannot be obtained here (there is no model hub "
        f"and it is not a local folder); available: {', '.join(KNOWN_MODELS)}, "
        "or the path of a local sentence-transformers model folder")


class SentenceTransformer:
    """A sentence-transformers model by hub id or folder: ``encode`` texts into vectors."""

    def __init__(self, model_name_or_path: str | Path):
        self.model_name_or_path = model_name_or_path
        self.embedder = SentenceEmbedder.from_pretrained(model_folder(model_name_or_path))

    def __repr__(self) -> str:
        return f"SentenceTransformer({str(self.model_name_or_path)!r}: {self.embedder!r})"

    @property
    def max_seq_length(self) -> int:
        """Texts are cut to this many tokens, special tokens included."""
        return self.embedder.max_seq_length

    @property
    def tokenizer(self):
        return self.embedder.tokenizer

    def get_embedding_dimension(self) -> int:
        return self.embedder.dimension

    get_sentence_embedding_dimension = get_embedding_dimension  # the older name, still used by the chapter's era

    def similarity(self, a, b) -> torch.Tensor:
        """Cosine similarity matrix (the chapter models' similarity function)."""
        return util.cos_sim(a, b)

    def encode(self, sentences: str | Sequence[str], batch_size: int = 32, show_progress_bar: bool | None = None,
               convert_to_numpy: bool = True, convert_to_tensor: bool = False,
               normalize_embeddings: bool = False):  # fmt: skip
        """Embed ``sentences`` (see the module docstring for the shapes and types returned)."""
        single = isinstance(sentences, str)
        texts = [sentences] if single else list(sentences)
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"sentences[{i}] is {type(text).__name__} ({text!r:.40}), not a string")
        if not texts:
            return torch.tensor([]) if convert_to_tensor else np.array([]) if convert_to_numpy else []

        # The reference's batches: longest text first, batch_size texts at a time.
        order = np.argsort([-len(t) for t in texts])
        vectors = np.empty((len(texts), self.embedder.dimension), dtype=np.float32)
        starts = range(0, len(texts), batch_size)
        for start in tqdm(starts, desc="Batches", disable=not show_progress_bar):
            chosen = order[start : start + batch_size]
            vectors[chosen] = self.embedder.encode([texts[i] for i in chosen], batch_size=batch_size,
                                                   normalize_embeddings=True if normalize_embeddings else None)  # fmt: skip

        if convert_to_tensor:
            result = torch.from_numpy(vectors)
        elif convert_to_numpy:
            result = vectors
        else:
            result = list(torch.from_numpy(vectors))
        return result[0] if single else result
