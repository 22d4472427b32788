"""The Transformer encoder that BERT and MPNet share, written with plain tensor operations.

Both models are the encoder of Vaswani et al. 2017 ("Attention Is All You Need",
section 3.1) in its original *post-LayerNorm* form, as BERT uses it (Devlin et al. 2019,
section 3): every layer is

    h   = LayerNorm(x + MultiHeadSelfAttention(x))
    out = LayerNorm(h + W2 · GELU(W1 · h + b1) + b2)

and a stack of such layers turns the input embeddings (one vector per token, the same
whatever the context) into *contextual* token embeddings. The two models differ only
around that stack: how the input embeddings are built (BERT adds learned absolute
positions and segment types, :mod:`.bert`; MPNet adds learned positions that skip the
padding, :mod:`.mpnet`) and what is added to the attention scores (MPNet adds a learned
bias per relative-position bucket). :class:`Encoder` runs the stack; a model supplies
``embed`` and ``attention_bias``.

Shapes: ``B`` texts in a batch, ``T`` tokens each (padded), ``D`` hidden values, ``H``
attention heads of ``D / H`` values each.

Every step is written out as its formula, and is computed, by default, by torch's fused
kernel for the same formula (``fused=True``), as nanoGPT does with flash attention: the
written-out attention makes four extra copies of q, k, v and the context, and a pass over
the ``[B, H, T, T]`` scores for each of scaling, bias and softmax; layer norm and GELU
take one pass instead of five to nine. ``fused=False`` runs the formulas; the tests check
both against transformers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import torch
import torch.nn.functional as F

from .weights import ModelFolderError, load_weights, lookup, read_json, take

Tensor = torch.Tensor


@dataclass
class Linear:
    """``y = x Wᵀ + b``, with ``W`` stored ``[out, in]`` as PyTorch stores it.

    ``torch.nn.functional.linear`` computes exactly that, adding ``b`` inside the matrix
    product (``addmm``) instead of in a second pass over the output.
    """

    weight: Tensor
    bias: Tensor

    def __call__(self, x: Tensor) -> Tensor:
        return F.linear(x, self.weight, self.bias)  # x @ W.T + b

    @classmethod
    def load(cls, weights: Mapping[str, Tensor], name: str, n_in: int, n_out: int) -> Linear:
        return cls(take(weights, f"{name}.weight", (n_out, n_in)), take(weights, f"{name}.bias", (n_out,)))


@dataclass
class LayerNorm:
    """Layer normalisation (Ba, Kiros and Hinton 2016): standardise each vector over its
    ``D`` values (biased variance), then scale and shift by the learned ``γ``, ``β``."""

    weight: Tensor
    bias: Tensor
    eps: float

    def __call__(self, x: Tensor, fused: bool = True) -> Tensor:
        if fused:
            return F.layer_norm(x, self.weight.shape, self.weight, self.bias, self.eps)
        mean = x.mean(dim=-1, keepdim=True)
        centred = x - mean
        variance = (centred * centred).mean(dim=-1, keepdim=True)
        return centred * torch.rsqrt(variance + self.eps) * self.weight + self.bias

    @classmethod
    def load(cls, weights: Mapping[str, Tensor], name: str, size: int, eps: float) -> LayerNorm:
        return cls(take(weights, f"{name}.weight", (size,)), take(weights, f"{name}.bias", (size,)), eps)


def gelu(x: Tensor, fused: bool = True) -> Tensor:
    """The Gaussian Error Linear Unit, ``x · Φ(x) = x · (1 + erf(x / √2)) / 2`` with Φ the
    standard normal CDF (Hendrycks and Gimpel 2016): the exact form, not the tanh
    approximation."""
    if fused:
        return F.gelu(x, approximate="none")
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


# Where each model keeps a layer's tensors, relative to ``encoder.layer.{i}.``.
@dataclass(frozen=True)
class LayerNames:
    query: str
    key: str
    value: str
    attention_out: str
    attention_norm: str
    ff_in: str = "intermediate.dense"
    ff_out: str = "output.dense"
    output_norm: str = "output.LayerNorm"


@dataclass
class EncoderLayer:
    """One post-LayerNorm Transformer encoder layer: self-attention, then feed-forward."""

    query: Linear
    key: Linear
    value: Linear
    attention_out: Linear
    attention_norm: LayerNorm
    ff_in: Linear
    ff_out: Linear
    output_norm: LayerNorm
    n_heads: int

    def self_attention(self, x: Tensor, bias: Tensor, fused: bool = True) -> Tensor:
        """Scaled dot-product attention in ``H`` heads (Vaswani et al. 2017, 3.2):
        ``softmax(Q Kᵀ / √d + bias) V`` per head, heads concatenated, then projected.

        ``bias`` is added to the ``[B, H, T, T]`` scores before the softmax: a very
        negative number at padded keys, so padding gets no attention weight, plus
        whatever the model adds per position pair (MPNet's relative-position bias).
        """
        B, T, D = x.shape
        H = self.n_heads

        def heads(t: Tensor) -> Tensor:  # [B, T, D] -> [B, H, T, D/H]
            return t.view(B, T, H, D // H).transpose(1, 2)

        q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
        if fused:  # the formula below in one kernel, never holding all the scores
            context = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        else:
            scores = q @ k.transpose(-1, -2) / math.sqrt(D // H) + bias  # [B, H, T, T]
            context = torch.softmax(scores, dim=-1) @ v
        context = context.transpose(1, 2).reshape(B, T, D)  # concatenate the heads
        return self.attention_out(context)

    def feed_forward(self, x: Tensor, fused: bool = True) -> Tensor:
        """The position-wise feed-forward network: ``W2 · GELU(W1 x + b1) + b2``."""
        return self.ff_out(gelu(self.ff_in(x), fused))

    def __call__(self, x: Tensor, bias: Tensor, fused: bool = True) -> Tensor:
        x = self.attention_norm(x + self.self_attention(x, bias, fused), fused)
        return self.output_norm(x + self.feed_forward(x, fused), fused)

    @classmethod
    def load(cls, weights: Mapping[str, Tensor], prefix: str, names: LayerNames, config: dict) -> EncoderLayer:
        D, D_ff, eps = config["hidden_size"], config["intermediate_size"], config["layer_norm_eps"]
        return cls(
            query=Linear.load(weights, prefix + names.query, D, D),
            key=Linear.load(weights, prefix + names.key, D, D),
            value=Linear.load(weights, prefix + names.value, D, D),
            attention_out=Linear.load(weights, prefix + names.attention_out, D, D),
            attention_norm=LayerNorm.load(weights, prefix + names.attention_norm, D, eps),
            ff_in=Linear.load(weights, prefix + names.ff_in, D, D_ff),
            ff_out=Linear.load(weights, prefix + names.ff_out, D_ff, D),
            output_norm=LayerNorm.load(weights, prefix + names.output_norm, D, eps),
            n_heads=config["num_attention_heads"],
        )


def padding_bias(attention_mask: Tensor) -> Tensor:
    """``[B, T]`` mask of 1 (token) / 0 (padding) -> ``[B, 1, 1, T]`` additive score bias:
    0 where a key may be attended to, the most negative float32 where it is padding
    (``exp`` of it is exactly 0 after the softmax's max subtraction)."""
    blocked = torch.finfo(torch.float32).min
    return (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * blocked


class Encoder:
    """A stack of :class:`EncoderLayer` over a model's input embeddings.

    Calling it maps ``input_ids`` (``[B, T]``) and ``attention_mask`` (``[B, T]``, 1 for
    tokens, 0 for padding) to the last hidden state, ``[B, T, D]``: one contextual
    embedding per token. Subclasses give the config checks, ``embed`` and
    ``attention_bias``.
    """

    model_type = ""
    layer_names: LayerNames

    def __init__(self, config: dict, weights: Mapping[str, Tensor]):
        self.check_config(config)
        self.config = config
        self.hidden_size: int = config["hidden_size"]
        self.vocab_size: int = config["vocab_size"]
        self.pad_token_id: int = config.get("pad_token_id", 0)
        self.word_embeddings = take(weights, "embeddings.word_embeddings.weight", (self.vocab_size, self.hidden_size))
        self.layers = [
            EncoderLayer.load(weights, f"encoder.layer.{i}.", self.layer_names, config)
            for i in range(config["num_hidden_layers"])
        ]

    # -- what a model supplies ----------------------------------------------------------
    max_positions: int  # the longest sequence the position embeddings cover

    def embed(self, input_ids: Tensor, token_type_ids: Tensor | None, fused: bool = True) -> Tensor:
        raise NotImplementedError

    def attention_bias(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        raise NotImplementedError

    # -- shared ---------------------------------------------------------------------------
    @classmethod
    def from_pretrained(cls, folder: str | Path) -> Encoder:
        """The model in ``folder``: ``config.json`` and ``model.safetensors``."""
        folder = Path(folder)
        return cls(read_json(folder / "config.json"), load_weights(folder))

    @classmethod
    def check_config(cls, config: dict) -> None:
        if config.get("model_type") != cls.model_type:
            raise ModelFolderError(f"config.json has model_type {config.get('model_type')!r}, "
                                   f"expected {cls.model_type!r}")  # fmt: skip
        if config.get("hidden_act", "gelu") != "gelu":
            raise ModelFolderError(f"hidden_act {config['hidden_act']!r} is not supported (only exact 'gelu')")
        required = ("hidden_size", "intermediate_size", "num_attention_heads", "num_hidden_layers",
                    "vocab_size", "layer_norm_eps", "max_position_embeddings")  # fmt: skip
        missing = [k for k in required if k not in config]
        if missing:
            raise ModelFolderError(f"config.json lacks {', '.join(missing)}")
        if config["hidden_size"] % config["num_attention_heads"]:
            raise ModelFolderError("hidden_size is not a multiple of num_attention_heads")

    def token_embeddings(self, ids: Sequence[int] | Tensor) -> Tensor:
        """The static input embeddings of ``ids``: rows of the embedding matrix."""
        return lookup(self.word_embeddings, ids)

    def _check_inputs(self, input_ids, attention_mask) -> tuple[Tensor, Tensor]:
        input_ids = torch.as_tensor(input_ids, dtype=torch.long)
        if input_ids.dim() != 2 or 0 in input_ids.shape:
            raise ValueError(f"input_ids must be a non-empty [batch, length] array, got shape {tuple(input_ids.shape)}")
        if input_ids.shape[1] > self.max_positions:
            raise ValueError(f"sequences of {input_ids.shape[1]} tokens are longer than the "
                             f"{self.max_positions} positions this {self.model_type} model has")  # fmt: skip
        if int(input_ids.min()) < 0 or int(input_ids.max()) >= self.vocab_size:
            raise ValueError(f"input_ids must lie in 0..{self.vocab_size - 1}")
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        attention_mask = torch.as_tensor(attention_mask)
        if attention_mask.shape != input_ids.shape:
            raise ValueError(f"attention_mask has shape {tuple(attention_mask.shape)}, "
                             f"input_ids {tuple(input_ids.shape)}")  # fmt: skip
        return input_ids, attention_mask

    @torch.inference_mode()
    def __call__(self, input_ids, attention_mask=None, token_type_ids=None, *, fused: bool = True) -> Tensor:
        """The last hidden state ``[B, T, D]`` for ``input_ids`` ``[B, T]`` (``fused=False``:
        every step computed by its written-out formula)."""
        input_ids, attention_mask = self._check_inputs(input_ids, attention_mask)
        x = self.embed(input_ids, token_type_ids, fused)
        bias = self.attention_bias(input_ids, attention_mask)
        for layer in self.layers:
            x = layer(x, bias, fused)
        return x

    def __repr__(self) -> str:
        c = self.config
        return (f"{type(self).__name__}({c['num_hidden_layers']} layers, hidden {c['hidden_size']}, "
                f"{c['num_attention_heads']} heads, vocabulary {c['vocab_size']})")  # fmt: skip

