"""A decoder-only transformer, written out in plain torch operations.

This is the network behind Llama (Touvron et al. 2023, "LLaMA: Open and Efficient
Foundation Language Models"), SmolLM2 and Phi-3: a stack of identical blocks, each

    x = x + Attention(RMSNorm(x))        # grouped-query self-attention, rotary positions
    x = x + MLP(RMSNorm(x))              # SwiGLU feed-forward

between a token embedding and a final RMSNorm + linear "language-model head" that gives
one logit per vocabulary entry. The parts:

* **RMSNorm** (Zhang & Sennrich 2019, "Root Mean Square Layer Normalization"): scale each
  vector by the inverse of its root mean square, then by a learned per-channel weight.
  No mean subtraction and no bias, unlike LayerNorm.
* **Rotary position embeddings** (Su et al. 2021, "RoFormer"): position enters attention
  by rotating pairs of query/key channels by an angle proportional to the position, so
  that ``q·k`` depends only on the *distance* between two tokens. Which channels form a
  pair is a convention: Hugging Face's Llama and Phi-3 pair channel ``i`` with channel
  ``i + d/2`` (``rotate_half``), which is what this module does. (The original Meta code
  and llama.cpp pair neighbours ``2i, 2i+1``; that is why llama.cpp's converter permutes
  the rows of ``W_q``/``W_k``, see :mod:`scratch.generation.weights`.)
* **Grouped-query attention** (Ainslie et al. 2023, "GQA"): fewer key/value heads than
  query heads; each key/value head serves a group of ``n_heads / n_kv_heads`` query
  heads. SmolLM2-135M has 9 query heads and 3 key/value heads; Phi-3-mini has 32 and 32
  (plain multi-head attention is the special case of one query head per group).
* **Causal mask and KV cache**: a token attends to itself and the tokens before it
  (Phi-3 additionally to at most ``sliding_window`` of them). During generation the keys
  and values of earlier tokens never change, so they are kept in a :class:`KVCache` and
  only the new token is pushed through the network at each step.
* **SwiGLU MLP** (Shazeer 2020, "GLU Variants Improve Transformer"):
  ``down(silu(gate(x)) * up(x))``.

Layout. Phi-3 stores the query/key/value projections as one fused matrix ``qkv_proj``
and the gate/up projections as one ``gate_up_proj``; Llama stores them separately. This
module uses the fused layout for both (one matrix multiplication instead of three, or
two): the loaders in :mod:`scratch.generation.weights` concatenate Llama's matrices.
The result is the same function; only the bookkeeping differs.

Everything matches Hugging Face transformers' ``LlamaForCausalLM`` /
``Phi3ForCausalLM``: the float32 RMSNorm, the ``rotate_half`` convention, the scaling
``1/sqrt(head_dim)``, Phi-3's partial rotary dimensions and its "longrope" frequency
switch. Attention has two kernels (:func:`attend`): the formula written out, operation
for operation as transformers' eager attention, and torch's fused
``scaled_dot_product_attention``, as transformers' default (and this module's).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class LongRope:
    """Phi-3's "longrope" (LongRoPE, Ding et al. 2024) rotary scaling, as in its config.json.

    Each rotary frequency is divided by a per-frequency factor: ``short_factor`` while the
    sequence fits the pretraining length ``original_max_position_embeddings``, else
    ``long_factor``; cos and sin are then scaled by ``attention_factor``.
    """

    short_factor: tuple[float, ...]
    long_factor: tuple[float, ...]
    original_max_position_embeddings: int
    attention_factor: float


@dataclass(frozen=True)
class DecoderConfig:
    """The shape of a Llama-family decoder. Field names follow Hugging Face's config.json."""

    vocab_size: int
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    head_dim: int
    max_position_embeddings: int
    rms_norm_eps: float = 1e-5
    rope_theta: float = 10000.0
    partial_rotary_factor: float = 1.0  # the fraction of each head's channels that rotate
    long_rope: LongRope | None = None
    sliding_window: int | None = None  # a token sees at most this many tokens (itself included)
    tie_word_embeddings: bool = False  # the LM head reuses the token embedding matrix
    architecture: str = "llama"  # "llama" or "phi3": only where the weights came from
    eos_token_ids: tuple[int, ...] = field(default=())
    bos_token_id: int | None = None

    def __post_init__(self):
        problems = []
        if self.num_attention_heads % self.num_key_value_heads:
            problems.append(f"{self.num_attention_heads} query heads are not a multiple of "
                            f"{self.num_key_value_heads} key/value heads")  # fmt: skip
        if self.rotary_dim % 2 or not 0 < self.rotary_dim <= self.head_dim:
            problems.append(f"rotary dimension {self.rotary_dim} must be even and within head_dim {self.head_dim}")
        if self.long_rope is not None:
            for name in ("short_factor", "long_factor"):
                n = len(getattr(self.long_rope, name))
                if n != self.rotary_dim // 2:
                    problems.append(f"longrope {name} has {n} entries, expected rotary_dim/2 = {self.rotary_dim // 2}")
        if problems:
            raise ValueError("invalid decoder configuration: " + "; ".join(problems))

    @property
    def rotary_dim(self) -> int:
        return int(self.head_dim * self.partial_rotary_factor)

    @property
    def q_size(self) -> int:
        return self.num_attention_heads * self.head_dim

    @property
    def kv_size(self) -> int:
        return self.num_key_value_heads * self.head_dim


class RMSNorm(nn.Module):
    """``weight * x / sqrt(mean(x**2) + eps)``, computed in float32 (Zhang & Sennrich 2019)."""

    def __init__(self, size: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x32 = x.float()
        x32 = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * x32.to(x.dtype)


class Rotary:
    """Rotary position embeddings (Su et al. 2021) in Hugging Face's ``rotate_half`` layout.

    Channel pair ``(i, i + r/2)`` of the first ``r = rotary_dim`` channels of each head is
    rotated by the angle ``position * theta**(-2i/r)``; the remaining channels (Phi-3
    variants with ``partial_rotary_factor < 1``) pass unchanged.
    """

    def __init__(self, config: DecoderConfig):
        self.config = config
        r = config.rotary_dim
        # Small tables, always built on the CPU (even while the model is built on "meta")
        # and moved to the positions' device when used.
        exponents = torch.arange(0, r, 2, dtype=torch.int64, device="cpu").float() / r
        wavelengths = config.rope_theta**exponents
        self.inv_freq, self.long_inv_freq, self.scale = 1.0 / wavelengths, None, 1.0
        if config.long_rope is not None:
            lr = config.long_rope
            self.inv_freq = 1.0 / (torch.tensor(lr.short_factor, dtype=torch.float32, device="cpu") * wavelengths)
            self.long_inv_freq = 1.0 / (torch.tensor(lr.long_factor, dtype=torch.float32, device="cpu") * wavelengths)
            self.scale = lr.attention_factor

    def cos_sin(self, positions: torch.Tensor, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
        """cos and sin of every angle, shape ``(len(positions), rotary_dim)``."""
        inv_freq = self.inv_freq
        lr = self.config.long_rope
        # LongRoPE picks one set of factors for the whole forward pass, from the furthest
        # position in it (transformers' ``longrope_frequency_update``).
        if lr is not None and int(positions.max()) + 1 > lr.original_max_position_embeddings:
            inv_freq = self.long_inv_freq
        angles = positions.float()[:, None] * inv_freq.to(positions.device)[None, :]
        angles = torch.cat((angles, angles), dim=-1)
        return (angles.cos() * self.scale).to(dtype), (angles.sin() * self.scale).to(dtype)

    @staticmethod
    def rotate_half(x: torch.Tensor) -> torch.Tensor:
        """``(x1, x2) -> (-x2, x1)``: a quarter turn of every pair ``(i, i + r/2)``."""
        half = x.shape[-1] // 2
        return torch.cat((-x[..., half:], x[..., :half]), dim=-1)

    def apply(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        """Rotate ``x`` of shape ``(batch, heads, seq, head_dim)``."""
        r = cos.shape[-1]
        x_rot, x_pass = x[..., :r], x[..., r:]
        x_rot = x_rot * cos + self.rotate_half(x_rot) * sin
        return torch.cat((x_rot, x_pass), dim=-1) if x_pass.shape[-1] else x_rot


class KVCache:
    """The keys and values of every layer for the tokens seen so far.

    Shapes ``(batch, n_kv_heads, seq, head_dim)``; each step appends the new tokens'.
    """

    def __init__(self, num_layers: int):
        self.keys: list[torch.Tensor | None] = [None] * num_layers
        self.values: list[torch.Tensor | None] = [None] * num_layers

    def __len__(self) -> int:
        """How many positions are cached."""
        return 0 if self.keys[0] is None else self.keys[0].shape[2]

    def update(self, layer: int, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        if self.keys[layer] is not None:
            k = torch.cat((self.keys[layer], k), dim=2)
            v = torch.cat((self.values[layer], v), dim=2)
        self.keys[layer], self.values[layer] = k, v
        return k, v


ATTENTION_KERNELS = ("fused", "explicit")


def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None, kernel: str):
    """``softmax(q k^T / sqrt(head_dim), hiding what mask forbids) v`` for grouped query heads.

    ``q``: ``(batch, n_heads, seq, head_dim)``; ``k``, ``v``: ``(batch, n_kv_heads, total,
    head_dim)``; ``mask``: ``(seq, total)``, True where a query may see a key, or None
    for "everything". Two kernels compute it (as nanoGPT offers both):

    * ``"explicit"``: the formula written out, in the order of transformers' eager
      attention (float32 softmax);
    * ``"fused"``: ``torch.nn.functional.scaled_dot_product_attention``, one fused
      operation, the kernel transformers uses by default. On a CPU it is also faster when
      other work competes for the cores: one multi-threaded operation instead of three.
    """
    batch, n_heads, seq, head_dim = q.shape
    n_kv_heads, total = k.shape[1], k.shape[2]
    if kernel == "fused":
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=n_heads != n_kv_heads)
    if kernel != "explicit":
        raise ValueError(f"attention kernel must be one of {ATTENTION_KERNELS}, got {kernel!r}")
    # Grouped-query attention: the query heads come in groups, one per key/value head.
    # Stacking each group's rows, (kv_heads, group * seq, head_dim), lets every key/value
    # head serve its whole group in one matrix product, without copying it per query head.
    group = n_heads // n_kv_heads
    q = q.reshape(batch, n_kv_heads, group * seq, head_dim)
    scores = (q @ k.transpose(-1, -2)) * head_dim**-0.5  # (batch, kv_heads, group * seq, total)
    if mask is not None:
        scores = scores.view(batch, n_kv_heads, group, seq, total).masked_fill(~mask, float("-inf"))
    weights = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
    y = weights.view(batch, n_kv_heads, group * seq, total) @ v  # (batch, kv_heads, group * seq, head_dim)
    return y.view(batch, n_heads, seq, head_dim)


class Attention(nn.Module):
    """Grouped-query causal self-attention (Ainslie et al. 2023) with a KV cache."""

    def __init__(self, config: DecoderConfig, layer: int):
        super().__init__()
        self.config, self.layer = config, layer
        self.qkv = nn.Linear(config.hidden_size, config.q_size + 2 * config.kv_size, bias=False)
        self.out = nn.Linear(config.q_size, config.hidden_size, bias=False)

    def forward(self, x, rotary: Rotary, cos, sin, mask, cache: KVCache | None, kernel: str):
        c = self.config
        batch, seq, _ = x.shape
        q, k, v = self.qkv(x).split([c.q_size, c.kv_size, c.kv_size], dim=-1)
        # (batch, seq, heads * head_dim) -> (batch, heads, seq, head_dim)
        q = q.view(batch, seq, c.num_attention_heads, c.head_dim).transpose(1, 2)
        k = k.view(batch, seq, c.num_key_value_heads, c.head_dim).transpose(1, 2)
        v = v.view(batch, seq, c.num_key_value_heads, c.head_dim).transpose(1, 2)
        q, k = rotary.apply(q, cos, sin), rotary.apply(k, cos, sin)
        if cache is not None:
            k, v = cache.update(self.layer, k, v)  # now every position so far
        y = attend(q, k, v, mask, kernel)  # (batch, heads, seq, head_dim)
        return self.out(y.transpose(1, 2).reshape(batch, seq, c.q_size))


class MLP(nn.Module):
    """SwiGLU (Shazeer 2020): ``down(silu(gate x) * up x)``, gate and up fused in one matrix."""

    def __init__(self, config: DecoderConfig):
        super().__init__()
        self.gate_up = nn.Linear(config.hidden_size, 2 * config.intermediate_size, bias=False)
        self.down = nn.Linear(config.intermediate_size, config.hidden_size, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate, up = self.gate_up(x).chunk(2, dim=-1)
        return self.down(F.silu(gate) * up)


class Block(nn.Module):
    """One pre-norm transformer block: attention, then MLP, each added to the residual stream."""

    def __init__(self, config: DecoderConfig, layer: int):
        super().__init__()
        self.attn_norm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.attn = Attention(config, layer)
        self.mlp_norm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.mlp = MLP(config)

    def forward(self, x, rotary, cos, sin, mask, cache, kernel):
        x = x + self.attn(self.attn_norm(x), rotary, cos, sin, mask, cache, kernel)
        return x + self.mlp(self.mlp_norm(x))


class Decoder(nn.Module):
    """The whole model: token ids in, next-token logits out.

    >>> logits = model(ids)                      # (batch, seq, vocab), no cache
    >>> cache = model.new_cache()
    >>> logits = model(prompt_ids, cache)        # prefill: the prompt's keys/values are kept
    >>> logits = model(next_id[:, None], cache)  # one more token, attending to all of them
    >>> model.attention = "explicit"             # the attention formula written out (see attend())
    """

    def __init__(self, config: DecoderConfig, attention: str = "fused"):
        super().__init__()
        if attention not in ATTENTION_KERNELS:
            raise ValueError(f"attention kernel must be one of {ATTENTION_KERNELS}, got {attention!r}")
        self.config = config
        self.attention = attention  # which kernel computes attention: see attend()
        self.embed = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(Block(config, i) for i in range(config.num_hidden_layers))
        self.norm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)
        self.rotary = Rotary(config)

    @property
    def dtype(self) -> torch.dtype:
        return self.embed.weight.dtype

    def new_cache(self) -> KVCache:
        return KVCache(self.config.num_hidden_layers)

    def causal_mask(self, start: int, seq: int, total: int) -> torch.Tensor:
        """``mask[i, j]``: may the token at position ``start + i`` see the one at ``j``?"""
        device = self.embed.weight.device
        query = torch.arange(start, start + seq, device=device)[:, None]
        key = torch.arange(total, device=device)[None, :]
        mask = key <= query
        if self.config.sliding_window is not None:
            mask &= key > query - self.config.sliding_window
        return mask

    def forward(self, ids: torch.Tensor, cache: KVCache | None = None, last_only: bool = False) -> torch.Tensor:
        """Logits for every position of ``ids`` (``(batch, seq)``), or only the last one.

        With a ``cache``, ``ids`` continue the sequence already in it, and their keys and
        values are added to it.
        """
        if ids.dim() != 2:
            raise ValueError(f"ids must have shape (batch, seq), got {tuple(ids.shape)}")
        batch, seq = ids.shape
        start = len(cache) if cache is not None else 0
        if start + seq > self.config.max_position_embeddings:
            raise ValueError(f"{start + seq} positions exceed the model's context of "
                             f"{self.config.max_position_embeddings}")  # fmt: skip
        if seq and (int(ids.min()) < 0 or int(ids.max()) >= self.config.vocab_size):
            raise ValueError(f"token ids must be in [0, {self.config.vocab_size}), "
                             f"got {int(ids.min())}..{int(ids.max())}")  # fmt: skip
        positions = torch.arange(start, start + seq, device=ids.device)
        cos, sin = self.rotary.cos_sin(positions, self.dtype)
        mask = self.causal_mask(start, seq, start + seq)
        if bool(mask.all()):  # a single new token with nothing out of its window: nothing to hide
            mask = None
        return self.logits(ids, cos, sin, mask, cache, last_only)

    def logits(self, ids: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, mask: torch.Tensor | None,
               cache: KVCache | None = None, last_only: bool = False) -> torch.Tensor:  # fmt: skip
        """Embeddings, blocks, final norm and head, given the rotary angles of each position and
        the attention mask: what :meth:`forward` and a padded batch (per-row positions and a
        padding mask, ``scratch.auto.models``) share."""
        x = self.embed(ids)
        for block in self.layers:
            x = block(x, self.rotary, cos, sin, mask, cache, self.attention)
        if last_only:
            x = x[:, -1:]
        return self.lm_head(self.norm(x)).float()

    @classmethod
    def from_state_dict(cls, config: DecoderConfig, state: dict[str, torch.Tensor]) -> "Decoder":
        """A model holding ``state`` (names as in :meth:`state_dict`; ``lm_head.weight`` may be
        omitted when the embeddings are tied). Shapes and names are checked."""
        state = dict(state)
        if config.tie_word_embeddings:
            if "lm_head.weight" in state:
                raise ValueError("tied embeddings, yet the weights include a separate lm_head.weight")
            state["lm_head.weight"] = state["embed.weight"]
        with torch.device("meta"):  # no memory and no random initialisation for weights about to be replaced
            model = cls(config)
        expected = {name: p.shape for name, p in model.named_parameters()}
        missing = sorted(set(expected) - set(state))
        unexpected = sorted(set(state) - set(expected))
        wrong = [f"{n}: {tuple(state[n].shape)} instead of {tuple(s)}" for n, s in expected.items()
                 if n in state and state[n].shape != s]  # fmt: skip
        if missing or unexpected or wrong:
            raise ValueError("weights do not fit the configuration: "
                             + "; ".join(filter(None, [f"missing {missing[:5]}" if missing else "",
                                                       f"unexpected {unexpected[:5]}" if unexpected else "",
                                                       f"wrong shapes {wrong[:5]}" if wrong else ""])))  # fmt: skip
        model.load_state_dict(state, assign=True, strict=True)
        if config.tie_word_embeddings:
            model.lm_head.weight = model.embed.weight
        return model.requires_grad_(False).eval()


def long_rope_attention_factor(factor: float, original_max_position_embeddings: int) -> float:
    """LongRoPE's default attention factor for a context extended ``factor`` times:
    ``sqrt(1 + ln(factor) / ln(original_max_position_embeddings))``, 1 when not extended."""
    if factor <= 1.0:
        return 1.0
    return math.sqrt(1 + math.log(factor) / math.log(original_max_position_embeddings))
