"""Generation with a KV cache: the loop behind ``model.generate()``, greedy or sampled.

A causal language model gives, for every position, a score (logit) for each vocabulary
entry being the next token. Generating is repeating one step:

1. **Prefill**: run the whole prompt through the model once. Every layer's keys and
   values are kept in the cache; only the logits of the last position matter.
2. **Decode**: pick the highest-scoring token (greedy decoding), or draw one from the
   reshaped distribution (sampling, :mod:`.sampling`), feed *only that token* with the
   cache, and get the logits for the next one. Each step costs one token's worth of
   computation instead of the whole sequence's.
3. Stop at an end-of-sequence token or after ``max_new_tokens``.

The model can be a :class:`~scratch.generation.decoder.Decoder`, or any Hugging Face
style causal LM (``transformers``' ``LlamaForCausalLM``, ``Phi3ForCausalLM`` ...), used
only for its forward pass: ``model(input_ids=..., past_key_values=..., use_cache=True)``
returning ``.logits`` and ``.past_key_values``. It is recognised by that shape, not
imported.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import torch

from .decoder import Decoder
from .sampling import Sampler
from .streaming import StreamingDetokenizer


@dataclass
class Generation:
    """What :func:`generate` produced."""

    prompt_ids: list[int]
    ids: list[int]  # the new tokens; a stopping EOS is included, as model.generate includes it
    text: str  # the new text, without the stopping EOS
    stop: str  # "eos" or "length"
    prefill_seconds: float = 0.0  # running the prompt (and choosing the first new token)
    decode_seconds: float = 0.0  # every later step

    @property
    def tokens_per_second(self) -> float:
        """New tokens per second of the whole generation, prompt included (0 when none)."""
        seconds = self.prefill_seconds + self.decode_seconds
        return len(self.ids) / seconds if self.ids and seconds > 0 else 0.0

    @property
    def answer_ids(self) -> list[int]:
        """The new tokens without the stopping EOS."""
        return self.ids[:-1] if self.stop == "eos" else self.ids


class _Stepper:
    """Runs the model on the tokens not seen yet and returns the next-token logits.

    It also does the one thing Phi-3's LongRoPE asks of a generation loop: its rotary
    frequencies depend on the sequence length (short factors up to the pretraining
    context ``original_max_position_embeddings``, long factors beyond), so when the
    sequence first outgrows that context the cached keys, rotated with the short
    factors, are dropped and the whole sequence is run again (transformers'
    ``Phi3ForCausalLM.prepare_inputs_for_generation`` does the same).
    """

    def __init__(self, switch_after: int | None):
        self.switch_after = switch_after
        self.ids: list[int] = []  # every token so far
        self.cached = 0  # how many of them the cache holds

    def __call__(self, new_ids: list[int]) -> torch.Tensor:
        self.ids += new_ids
        if self.switch_after is not None and 0 < self.cached <= self.switch_after < len(self.ids):
            self.reset()
            new_ids = self.ids
        logits = self.forward(torch.tensor([new_ids]))
        self.cached = len(self.ids)
        return logits

    def reset(self) -> None:
        raise NotImplementedError

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


class _DecoderStepper(_Stepper):
    def __init__(self, model: Decoder):
        long_rope = model.config.long_rope
        super().__init__(long_rope.original_max_position_embeddings if long_rope else None)
        self.model, self.cache = model, model.new_cache()

    def reset(self) -> None:
        self.cache = self.model.new_cache()

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.model(ids, self.cache, last_only=True)[:, -1]


class _HuggingFaceStepper(_Stepper):
    """A transformers-style causal LM, its ``past_key_values`` carried along."""

    def __init__(self, model):
        super().__init__(getattr(model.config, "original_max_position_embeddings", None))
        self.model, self.past = model, None

    def reset(self) -> None:
        self.past = None

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        out = self.model(input_ids=ids, past_key_values=self.past, use_cache=True, logits_to_keep=1)
        self.past = out.past_key_values
        return out.logits[:, -1].float()


def _model_facts(model) -> tuple[int, int, list[int]]:
    """Vocabulary size, context length and default EOS ids of a model."""
    if isinstance(model, Decoder):
        c = model.config
        return c.vocab_size, c.max_position_embeddings, list(c.eos_token_ids)
    config = getattr(model, "config", None)
    if config is None or not callable(model):
        raise TypeError(f"model must be a scratch Decoder or a transformers-style causal LM, "
                        f"got {type(model).__name__}")  # fmt: skip
    eos = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
    if eos is None:
        eos = getattr(config, "eos_token_id", None)
    eos = [] if eos is None else [eos] if isinstance(eos, int) else list(eos)
    return config.vocab_size, config.max_position_embeddings, eos


def check_tokenizer_fits(tokenizer, model) -> None:
    """Fail clearly when ``tokenizer`` cannot be the model's.

    Two signs of a mismatch: a vocabulary larger than the model's embedding matrix (ids
    the model has no row for), and end-of-sequence ids that are not special tokens of the
    tokenizer (SmolLM2 stops at id 2, its ``<|im_end|>``; in Phi-3's vocabulary id 2 is
    ``</s>``, an ordinary added token).
    """
    vocab, _, eos = _model_facts(model)
    name = getattr(tokenizer, "name", type(tokenizer).__name__)
    if tokenizer.vocab_size > vocab:
        raise ValueError(f"tokenizer {name!r} has {tokenizer.vocab_size} tokens but the model only {vocab}: "
                         "they do not belong together")  # fmt: skip
    special = set(tokenizer.special_tokens.values())
    foreign = [e for e in eos if e not in special]
    if foreign:
        raise ValueError(f"the model's end-of-sequence id(s) {foreign} are not special tokens of tokenizer "
                         f"{name!r}: they do not belong together")  # fmt: skip


@torch.inference_mode()
def generate(
    model,
    tokenizer,
    prompt: str | Sequence[int],
    max_new_tokens: int = 20,
    eos: int | Iterable[int] | None | str = "model",
    stream: Callable[[str], object] | None = None,
    add_special_tokens: bool = True,
    sampler: Sampler | None = None,
) -> Generation:
    """Generation of up to ``max_new_tokens`` tokens after ``prompt``: greedy, or drawn by
    ``sampler`` (a :class:`~scratch.generation.sampling.Sampler`: temperature, top-k,
    top-p and its seed).

    ``prompt`` is a text (encoded with ``tokenizer.encode(prompt, add_special_tokens)``)
    or a list of token ids (e.g. from :func:`scratch.generation.chat.encode_chat`).
    ``eos``: the id(s) that stop generation; ``"model"`` (default) takes the model's own
    (its ``generation_config``, or the GGUF / config.json ones), ``None`` never stops
    early. ``stream`` is called with each new piece of text as soon as it is certain
    (see :class:`~scratch.generation.streaming.StreamingDetokenizer`); the pieces join
    to the returned ``text``.
    """
    if isinstance(max_new_tokens, bool) or not isinstance(max_new_tokens, int) or max_new_tokens < 0:
        raise ValueError(f"max_new_tokens must be an integer >= 0, got {max_new_tokens!r}")
    check_tokenizer_fits(tokenizer, model)
    vocab, context, model_eos = _model_facts(model)
    if isinstance(prompt, str):
        prompt_ids = tokenizer.encode(prompt, add_special_tokens=add_special_tokens)
    else:
        prompt_ids = [int(i) for i in prompt]
    if not prompt_ids:
        raise ValueError("the prompt has no tokens: a model needs at least one token to continue from")
    bad = [i for i in prompt_ids if not 0 <= i < vocab]
    if bad:
        raise ValueError(f"prompt ids {bad[:5]} are outside the model's vocabulary of {vocab}")
    if len(prompt_ids) + max_new_tokens > context:
        raise ValueError(f"the prompt ({len(prompt_ids)} tokens) plus max_new_tokens ({max_new_tokens}) exceeds "
                         f"the model's context of {context} tokens")  # fmt: skip
    eos_ids = set(model_eos if eos == "model" else [] if eos is None else [eos] if isinstance(eos, int) else eos)

    step = _DecoderStepper(model) if isinstance(model, Decoder) else _HuggingFaceStepper(model)
    detokenizer = StreamingDetokenizer(tokenizer)
    new_ids: list[int] = []
    stop = "length"
    started = time.perf_counter()
    prefill_seconds = 0.0
    if max_new_tokens:
        logits = step(prompt_ids)  # prefill
        while True:
            if sampler is None:
                next_id = int(logits[0].argmax())  # greedy: the first of the highest logits
            else:
                next_id = sampler(logits[0])
            if not new_ids:
                prefill_seconds = time.perf_counter() - started
            new_ids.append(next_id)
            if next_id in eos_ids:
                stop = "eos"
                break
            piece = detokenizer.push(next_id)
            if stream is not None and piece:
                stream(piece)
            if len(new_ids) == max_new_tokens:
                break
            logits = step([next_id])  # decode: one token, the cache holds the rest
    piece = detokenizer.finish()
    if stream is not None and piece:
        stream(piece)
    decode_seconds = time.perf_counter() - started - prefill_seconds
    return Generation(prompt_ids, new_ids, detokenizer.text, stop, prefill_seconds, decode_seconds)
