"""BERT's encoder (Devlin et al. 2019, "BERT: Pre-training of Deep Bidirectional
Transformers for Language Understanding"), as all-MiniLM-L6-v2 uses it.

The input representation (section 3, figure 2) is the sum of three learned embeddings,
then LayerNorm:

    x_t = LayerNorm(E_token[id_t] + E_segment[type_t] + E_position[t])

with ``t`` the absolute position 0, 1, 2 ... (padding included: padding sits at the
end and no real token attends to it, so its positions change nothing) and ``type_t`` 0
for a single text. The Transformer layers then run as in :mod:`.transformer`, with
padding masked out of the attention. The output is the *last hidden state*, one
contextual vector per token, which transformers' ``BertModel`` returns as
``last_hidden_state`` (its tanh "pooler" over ``[CLS]`` is not used by sentence
embedders and is not computed here).
"""

from __future__ import annotations

import torch

from .transformer import Encoder, LayerNames, LayerNorm, padding_bias
from .weights import ModelFolderError, take

Tensor = torch.Tensor


class BertModel(Encoder):
    model_type = "bert"
    layer_names = LayerNames(
        query="attention.self.query",
        key="attention.self.key",
        value="attention.self.value",
        attention_out="attention.output.dense",
        attention_norm="attention.output.LayerNorm",
    )

    def __init__(self, config: dict, weights: dict[str, Tensor]):
        super().__init__(config, weights)
        D = self.hidden_size
        self.max_positions = config["max_position_embeddings"]
        self.position_embeddings = take(weights, "embeddings.position_embeddings.weight", (self.max_positions, D))
        n_types = config.get("type_vocab_size", 2)
        self.token_type_embeddings = take(weights, "embeddings.token_type_embeddings.weight", (n_types, D))
        self.embedding_norm = LayerNorm.load(weights, "embeddings.LayerNorm", D, config["layer_norm_eps"])

    @classmethod
    def check_config(cls, config: dict) -> None:
        super().check_config(config)
        if config.get("position_embedding_type", "absolute") != "absolute":
            raise ModelFolderError(f"position_embedding_type {config['position_embedding_type']!r} "
                                   "is not supported (only 'absolute')")  # fmt: skip

    def embed(self, input_ids: Tensor, token_type_ids: Tensor | None, fused: bool = True) -> Tensor:
        """Token + segment + absolute position embeddings, then LayerNorm."""
        T = input_ids.shape[1]
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        token_type_ids = torch.as_tensor(token_type_ids, dtype=torch.long)
        x = self.word_embeddings[input_ids] + self.token_type_embeddings[token_type_ids]
        x = x + self.position_embeddings[:T]
        return self.embedding_norm(x, fused)

    def attention_bias(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        """Only the padding mask: BERT's positions are already in the input embeddings."""
        return padding_bias(attention_mask)
