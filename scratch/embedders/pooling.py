"""From token embeddings to one text embedding: pooling, and L2 normalisation.

Sentence-BERT (Reimers and Gurevych 2019, "Sentence-BERT: Sentence Embeddings using
Siamese BERT-Networks", section 3) turns the ``[T, D]`` contextual token embeddings of
a text into one ``D``-vector by pooling, and found the **mean** over tokens to work best
(table 6). The modes here are those of sentence-transformers' ``Pooling`` module:

* ``mean``: the average of the token embeddings, padding excluded through the attention
  mask (special tokens ``[CLS]``/``[SEP]`` included, as in the reference);
* ``cls``: the embedding of the first token (BERT's ``[CLS]``, section 3 of Devlin et
  al. 2019);
* ``max``: the per-dimension maximum over the real tokens;
* ``mean_sqrt_len_tokens``: the sum divided by ``√(number of tokens)``.

Several modes concatenate, in that order of the config file keys, as the reference does.
All-MiniLM-L6-v2 and all-mpnet-base-v2 use ``mean`` followed by L2 normalisation
(``x / ‖x‖``), so that the dot product of two text embeddings is their cosine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from .weights import ModelFolderError, read_json

Tensor = torch.Tensor


def _mask(attention_mask: Tensor, like: Tensor) -> Tensor:
    """``[B, T]`` 1/0 mask -> ``[B, T, 1]`` in ``like``'s dtype, to broadcast over ``D``."""
    return attention_mask.unsqueeze(-1).to(like.dtype)


def mean_pooling(token_embeddings: Tensor, attention_mask: Tensor) -> Tensor:
    """``Σ_t m_t x_t / Σ_t m_t``: the mean over real tokens, ``[B, T, D] -> [B, D]``."""
    mask = _mask(attention_mask, token_embeddings)
    total = (token_embeddings * mask).sum(dim=1)
    count = torch.clamp(mask.sum(dim=1), min=1e-9)  # an all-padding row gives 0, not NaN
    return total / count


def mean_sqrt_len_pooling(token_embeddings: Tensor, attention_mask: Tensor) -> Tensor:
    """``Σ_t m_t x_t / √(Σ_t m_t)``."""
    mask = _mask(attention_mask, token_embeddings)
    total = (token_embeddings * mask).sum(dim=1)
    return total / torch.sqrt(torch.clamp(mask.sum(dim=1), min=1e-9))


def cls_pooling(token_embeddings: Tensor, attention_mask: Tensor) -> Tensor:
    """The first real token's embedding (``[CLS]``; with right padding, position 0)."""
    first = attention_mask.to(torch.int).argmax(dim=1)
    return token_embeddings[torch.arange(token_embeddings.shape[0]), first]


def max_pooling(token_embeddings: Tensor, attention_mask: Tensor) -> Tensor:
    """The maximum of each dimension over real tokens (padding set to -inf first)."""
    padding = _mask(attention_mask, token_embeddings) == 0
    return token_embeddings.masked_fill(padding, float("-inf")).max(dim=1).values


def l2_normalize(x: Tensor, eps: float = 1e-12) -> Tensor:
    """``x / max(‖x‖₂, eps)`` along the last dimension (``torch.nn.functional.normalize``)."""
    norm = torch.linalg.vector_norm(x, ord=2, dim=-1, keepdim=True)
    return x / torch.clamp(norm, min=eps)


POOLING_MODES = {
    "cls": cls_pooling,
    "max": max_pooling,
    "mean": mean_pooling,
    "mean_sqrt_len_tokens": mean_sqrt_len_pooling,
}

# The legacy flags of 1_Pooling/config.json, in the order the reference concatenates them.
_CONFIG_FLAGS = {
    "pooling_mode_cls_token": "cls",
    "pooling_mode_max_tokens": "max",
    "pooling_mode_mean_tokens": "mean",
    "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len_tokens",
    "pooling_mode_weightedmean_tokens": "weightedmean",
    "pooling_mode_lasttoken": "lasttoken",
}


@dataclass(frozen=True)
class Pooling:
    """One or more pooling modes, concatenated: ``[B, T, D] -> [B, len(modes) * D]``."""

    modes: tuple[str, ...] = ("mean",)

    def __post_init__(self):
        if not self.modes:
            raise ValueError("Pooling needs at least one mode")
        unknown = [m for m in self.modes if m not in POOLING_MODES]
        if unknown:
            raise ValueError(f"pooling mode(s) {unknown} not supported; supported: {sorted(POOLING_MODES)}")

    def __call__(self, token_embeddings: Tensor, attention_mask: Tensor) -> Tensor:
        attention_mask = torch.as_tensor(attention_mask)
        if attention_mask.shape != token_embeddings.shape[:2]:
            raise ValueError(f"attention_mask {tuple(attention_mask.shape)} does not match token embeddings "
                             f"{tuple(token_embeddings.shape)}")  # fmt: skip
        return torch.cat([POOLING_MODES[m](token_embeddings, attention_mask) for m in self.modes], dim=-1)

    @classmethod
    def from_config(cls, path: str | Path) -> Pooling:
        """Read a sentence-transformers ``1_Pooling/config.json`` (old flags or ``pooling_mode``)."""
        config = read_json(Path(path))
        if "pooling_mode" in config:
            mode = config["pooling_mode"]
            modes = (mode,) if isinstance(mode, str) else tuple(mode)
        else:
            modes = tuple(mode for key, mode in _CONFIG_FLAGS.items() if config.get(key, False)) or ("mean",)
        if config.get("include_prompt", True) is False:
            raise ModelFolderError(f"{path}: include_prompt=false is not supported")
        try:
            return cls(modes)
        except ValueError as exc:
            raise ModelFolderError(f"{path}: {exc}") from None
