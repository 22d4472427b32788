"""Sampling the next token: temperature, top-k and top-p (nucleus), then a seeded draw.

Greedy decoding always takes the highest-scoring token, so a prompt has one answer.
Sampling draws the next token at random from the model's distribution instead, after
reshaping it, in this order (the order of ``model.generate(do_sample=True)``):

1. **Temperature** divides every logit by ``t``: below 1 the distribution sharpens
   towards the best tokens, above 1 it flattens. ``t = 1`` leaves it as it is.
2. **Top-k** keeps the ``k`` highest logits (and any tied with the ``k``-th) and gives
   every other token probability 0. ``k = 0`` keeps all.
3. **Top-p** (nucleus sampling, Holtzman et al. 2019) keeps the smallest set of most
   probable tokens whose probabilities add up to at least ``p``, and always at least
   the most probable token. ``p = 1`` keeps all.
4. The kept logits go through softmax, and one token is drawn with
   ``torch.multinomial`` from a ``torch.Generator`` seeded with ``seed``, so the same
   seed gives the same text.

A removed token's logit becomes ``-inf`` (probability exactly 0), as transformers'
``TemperatureLogitsWarper``, ``TopKLogitsWarper`` and ``TopPLogitsWarper`` do; the
tests hold these filters equal to those three.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import torch

from ..errors import TokembError


class SamplingSettingsError(TokembError, ValueError):
    """A sampling setting out of its range (a temperature of 0, a top-p above 1)."""


def apply_temperature(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """The logits divided by ``temperature`` (> 0)."""
    return logits / temperature


def top_k_filter(logits: torch.Tensor, k: int) -> torch.Tensor:
    """Keep the ``k`` highest logits of each row (ties with the ``k``-th are kept too);
    the others become ``-inf``. ``k = 0`` (or ``k`` >= the vocabulary) keeps all."""
    if k <= 0 or k >= logits.shape[-1]:
        return logits
    kth_highest = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits < kth_highest, -math.inf)


def top_p_filter(logits: torch.Tensor, p: float) -> torch.Tensor:
    """Keep, in each row, the smallest set of most probable tokens whose probabilities
    add up to at least ``p`` (always at least the most probable one); the others become
    ``-inf``. ``p = 1`` keeps all.

    The set is found from the other end: going up from the least probable token, every
    token is dropped while the dropped tokens' total stays at most ``1 - p``. What is
    left then holds at least ``p``, and no smaller set of the most probable tokens does
    (one more drop would leave less than ``p``). Summing the small probabilities first
    is also the order transformers sums them in, so both round alike at the boundary.
    """
    if p >= 1.0:
        return logits
    ascending, order = torch.sort(logits, dim=-1, stable=True)
    dropped_mass = ascending.softmax(dim=-1).cumsum(dim=-1)
    drop_sorted = dropped_mass <= 1.0 - p
    drop_sorted[..., -1] = False  # the most probable token always stays
    drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)
    return logits.masked_fill(drop, -math.inf)


@dataclass
class Sampler:
    """Draws next tokens: temperature, then top-k, then top-p, then a seeded multinomial draw.

    The defaults are transformers' for ``do_sample=True`` (temperature 1, top-k 50,
    top-p 1). ``seed`` None draws a fresh seed (kept in ``seed`` so a run can be
    repeated). One sampler holds one random stream: the tokens of one generation.
    """

    temperature: float = 1.0
    top_k: int = 50
    top_p: float = 1.0
    seed: int | None = None
    generator: torch.Generator = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not (isinstance(self.temperature, (int, float)) and math.isfinite(self.temperature)
                and self.temperature > 0):  # fmt: skip
            raise SamplingSettingsError(f"temperature must be a finite number > 0, got {self.temperature!r} "
                                        "(for the most probable token every time, use greedy decoding)")  # fmt: skip
        if isinstance(self.top_k, bool) or not isinstance(self.top_k, int) or self.top_k < 0:
            raise SamplingSettingsError(f"top_k must be an integer >= 0 (0: no limit), got {self.top_k!r}")
        if not (isinstance(self.top_p, (int, float)) and 0 < self.top_p <= 1):
            raise SamplingSettingsError(f"top_p must be a number in (0, 1] (1: no limit), got {self.top_p!r}")
        if self.seed is not None and (isinstance(self.seed, bool) or not isinstance(self.seed, int)
                                      or not 0 <= self.seed < 2**63):  # fmt: skip
            raise SamplingSettingsError(f"seed must be an integer in [0, 2**63), got {self.seed!r}")
        if self.seed is None:
            self.seed = int.from_bytes(os.urandom(8), "little") >> 1  # any seed torch takes (< 2**63)
        self.generator = torch.Generator().manual_seed(self.seed)

    def filtered_logits(self, logits: torch.Tensor) -> torch.Tensor:
        """The logits after temperature, top-k and top-p (removed tokens at ``-inf``)."""
        logits = apply_temperature(logits.float(), self.temperature)
        return top_p_filter(top_k_filter(logits, self.top_k), self.top_p)

    def probabilities(self, logits: torch.Tensor) -> torch.Tensor:
        """The distribution the next token is drawn from."""
        return self.filtered_logits(logits).softmax(dim=-1)

    def __call__(self, logits: torch.Tensor) -> int:
        """One token id drawn from the (1-D) next-token ``logits``."""
        probabilities = self.probabilities(logits.detach().to("cpu")).reshape(-1)
        return int(torch.multinomial(probabilities, 1, generator=self.generator))
