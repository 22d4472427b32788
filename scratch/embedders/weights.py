"""Reading a pretrained encoder from disk: its ``config.json`` and its safetensors weights.

A Hugging Face model folder holds the hyper-parameters in ``config.json`` and every
learned tensor in ``model.safetensors``: a small JSON header naming each tensor (its
dtype, shape and byte range) followed by the raw little-endian bytes. The ``safetensors``
package reads that format; here it only maps names to ``torch`` tensors.

The first of those tensors is the **input embedding matrix**
(``embeddings.word_embeddings.weight``, one row of ``hidden_size`` values per vocabulary
entry). A *token embedding* is nothing but a row of it: token id ``i`` -> row ``i``
(Devlin et al. 2019, "BERT", section 3, "Input/Output Representations"). Everything
that makes the vectors *contextual* happens in the layers after the lookup.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping, Sequence

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file
from ..errors import TokembError

WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"


class ModelFolderError(TokembError, ValueError):
    """A folder that does not hold the model files asked for (or holds broken ones)."""


def read_json(path: Path) -> dict:
    """A JSON file as a dict, with an error naming the file when it is missing or broken."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelFolderError(f"{path}: file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelFolderError(f"{path}: not valid JSON ({exc})") from None


def load_weights(path: str | Path) -> dict[str, torch.Tensor]:
    """Every tensor of a ``.safetensors`` file (or of ``model.safetensors`` in a folder).

    Checkpoints saved from a task model carry the encoder under a prefix (``bert.``,
    ``mpnet.``); it is removed, so names always start at ``embeddings.``/``encoder.``.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "model.safetensors"
    if not path.is_file():
        raise ModelFolderError(f"{path}: no safetensors weights here")
    try:
        tensors = load_file(str(path))
    except (SafetensorError, OSError) as exc:
        raise ModelFolderError(f"{path}: cannot read safetensors weights ({exc})") from None
    prefix = next((k[: -len(WORD_EMBEDDINGS)] for k in tensors if k.endswith(WORD_EMBEDDINGS)), None)
    if prefix is None:
        raise ModelFolderError(f"{path}: no {WORD_EMBEDDINGS!r} tensor, so not a BERT-style encoder")
    return {k[len(prefix) :]: v.float() for k, v in tensors.items() if k.startswith(prefix)}


def take(weights: Mapping[str, torch.Tensor], name: str, shape: Sequence[int]) -> torch.Tensor:
    """``weights[name]``, checked to have ``shape``, with an error that says what is wrong."""
    if name not in weights:
        raise ModelFolderError(f"the weights have no tensor {name!r}")
    tensor = weights[name]
    if tuple(tensor.shape) != tuple(shape):
        raise ModelFolderError(f"tensor {name!r} has shape {tuple(tensor.shape)}, the config says {tuple(shape)}")
    return tensor


def input_embeddings(weights: Mapping[str, torch.Tensor]) -> torch.Tensor:
    """The input embedding matrix, ``[vocab_size, hidden_size]``."""
    if WORD_EMBEDDINGS not in weights:
        raise ModelFolderError(f"the weights have no tensor {WORD_EMBEDDINGS!r}")
    return weights[WORD_EMBEDDINGS]


def lookup(matrix: torch.Tensor, ids: Sequence[int] | torch.Tensor) -> torch.Tensor:
    """Token embeddings: row ``ids[i]`` of the embedding matrix for every ``i``.

    Works for any shape of ``ids`` (a list, a ``[batch, length]`` tensor ...); the result
    has that shape plus the hidden dimension. Ids outside the vocabulary are an error.
    """
    ids = torch.as_tensor(ids, dtype=torch.long)
    if ids.numel() and (int(ids.min()) < 0 or int(ids.max()) >= matrix.shape[0]):
        bad = ids[(ids < 0) | (ids >= matrix.shape[0])][0]
        raise IndexError(f"token id {int(bad)} is outside the vocabulary (0..{matrix.shape[0] - 1})")
    return matrix[ids]
