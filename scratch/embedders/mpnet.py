"""MPNet's encoder (Song et al. 2020, "MPNet: Masked and Permuted Pre-training for
Language Understanding"), as all-mpnet-base-v2 uses it.

The layers are BERT's (:mod:`.transformer`); two things differ.

* **Input embeddings** have no segment part, and the learned absolute positions are
  counted the fairseq/RoBERTa way: real tokens get positions ``pad + 1, pad + 2, ...``
  and padding tokens get position ``pad`` (``pad`` = the padding id, 1), so a text's
  positions do not depend on how much padding follows it.

      x_t = LayerNorm(E_token[id_t] + E_position[p_t])

* **Relative position bias** (section 2.3 and appendix of the paper, borrowed from T5:
  Raffel et al. 2020, "Exploring the Limits of Transfer Learning ...", section 2.1):
  every layer adds to the attention score of query ``i`` and key ``j`` a learned scalar
  per head, looked up by the *bucket* of the offset ``i - j``. There are 32 buckets:
  16 for keys to the left, 16 to the right; in each half, offsets 0..7 get a bucket
  each, and offsets 8..127 share 8 logarithmically wider buckets (128 and beyond share
  the last). Near neighbours are told apart exactly, far ones only roughly. The buckets
  use the plain token index ``0..T-1`` (padding at the end changes nothing).

The bucket arithmetic follows transformers' ``MPNetEncoder.relative_position_bucket``
operation for operation, so that float32 rounding puts every offset in the same bucket.
"""

from __future__ import annotations

import math

import torch

from .transformer import Encoder, LayerNames, LayerNorm, padding_bias
from .weights import take

Tensor = torch.Tensor


def relative_position_bucket(relative_position: Tensor, num_buckets: int = 32, max_distance: int = 128) -> Tensor:
    """The bucket (``0..num_buckets-1``) of each offset ``key - query`` in ``relative_position``."""
    n = -relative_position  # query - key: positive when the key lies to the left
    half = num_buckets // 2
    bucket = (n < 0).to(torch.long) * half  # keys to the right use the upper half
    n = torch.abs(n)
    max_exact = half // 2  # offsets below this get a bucket each
    # Logarithmic buckets for max_exact <= n < max_distance; clamp(min=1) only keeps log()
    # finite where the small-offset branch is taken anyway.
    log_ratio = torch.log(n.clamp(min=1).float() / max_exact) / math.log(max_distance / max_exact)
    large = max_exact + (log_ratio * (half - max_exact)).to(torch.long)
    large = torch.clamp(large, max=half - 1)
    return bucket + torch.where(n < max_exact, n, large)


class MPNetModel(Encoder):
    model_type = "mpnet"
    layer_names = LayerNames(
        query="attention.attn.q",
        key="attention.attn.k",
        value="attention.attn.v",
        attention_out="attention.attn.o",
        attention_norm="attention.LayerNorm",
    )

    def __init__(self, config: dict, weights: dict[str, Tensor]):
        super().__init__(config, weights)
        D, H = self.hidden_size, config["num_attention_heads"]
        self.pad_token_id = config.get("pad_token_id", 1)
        n_positions = config["max_position_embeddings"]
        self.max_positions = n_positions - self.pad_token_id - 1  # positions start after pad
        self.position_embeddings = take(weights, "embeddings.position_embeddings.weight", (n_positions, D))
        self.embedding_norm = LayerNorm.load(weights, "embeddings.LayerNorm", D, config["layer_norm_eps"])
        self.num_buckets = config.get("relative_attention_num_buckets", 32)
        self.relative_attention_bias = take(weights, "encoder.relative_attention_bias.weight", (self.num_buckets, H))

    def position_ids(self, input_ids: Tensor) -> Tensor:
        """``pad + 1, pad + 2, ...`` over real tokens, ``pad`` at padding."""
        is_token = (input_ids != self.pad_token_id).to(torch.long)
        return torch.cumsum(is_token, dim=1) * is_token + self.pad_token_id

    def embed(self, input_ids: Tensor, token_type_ids: Tensor | None, fused: bool = True) -> Tensor:
        """Token + position embeddings (no segments), then LayerNorm."""
        if token_type_ids is not None and bool(torch.as_tensor(token_type_ids).any()):
            raise ValueError("MPNet has no token types (segments): pass token_type_ids=None")
        x = self.word_embeddings[input_ids] + self.position_embeddings[self.position_ids(input_ids)]
        return self.embedding_norm(x, fused)

    def position_bias(self, length: int) -> Tensor:
        """``[1, H, T, T]``: the learned bias of each head for each (query, key) pair."""
        positions = torch.arange(length)
        offsets = positions[None, :] - positions[:, None]  # key - query
        buckets = relative_position_bucket(offsets, num_buckets=self.num_buckets)
        return self.relative_attention_bias[buckets].permute(2, 0, 1)[None]

    def attention_bias(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        """Relative-position bias plus the padding mask, ``[B, H, T, T]``."""
        return self.position_bias(input_ids.shape[1]) + padding_bias(attention_mask)

