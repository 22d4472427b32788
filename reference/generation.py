"""The reference for text generation: transformers' models, ``generate`` and chat templates.

* **SmolLM2-135M-Instruct**: ``AutoModelForCausalLM.from_pretrained(folder,
  gguf_file=...)`` dequantizes the artifact's Q4_1 GGUF into a float32
  ``LlamaForCausalLM`` (un-permuting ``W_q``/``W_k`` on the way). That takes 20-80 s,
  so it is done once and the result saved as a Hugging Face folder under
  ``scratch.artifacts.cache_dir()/derived/`` (``config.json``, ``generation_config.json``,
  ``model.safetensors``); later loads read that folder in a second or two. The folder is
  transformers' own output: scratch's GGUF loader never touches it.
* **Tokenizers**: :mod:`reference.tokenizers` (SmolLM2: transformers' GGUF tokenizer,
  repaired; Phi-3: sentencepiece + tokenizers' added vocabulary).
* **Chat templates**: the Jinja ``chat_template`` stored in each GGUF file, rendered by
  transformers' own renderer (``render_jinja_template``, what ``apply_chat_template``
  calls) and tokenized with ``add_special_tokens=False``, as ``apply_chat_template`` does.
* **A tiny Phi-3**: ``Phi3ForCausalLM`` from a small ``Phi3Config`` (Phi-3's vocabulary
  of 32064, a few layers), with seeded random weights.
* **Greedy generation**: ``model.generate(do_sample=False)``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from scratch.artifacts import cache_dir, fetch_file, human_size, say, tree_size
from reference.embedders import quiet_transformers
from scratch.tokenizers.gguf_vocab import read_gguf_metadata

SMOLLM2_ARTIFACT = ("smollm2-135m-instruct", "SmolLM2-135M-Instruct.Q4_1.gguf")
PHI3_VOCAB = ("gguf-vocabs", "ggml-vocab-phi-3.gguf")
_DERIVED_VERSION = 1  # bump when the derivation changes
PHI3_TOKENS = 32011  # Phi-3's tokenizer: 32000 SentencePiece pieces + 11 added tokens


def smollm2_gguf() -> Path:
    return fetch_file(*SMOLLM2_ARTIFACT)


def smollm2_folder() -> Path:
    """A Hugging Face folder of SmolLM2-135M-Instruct made by transformers from the GGUF, once."""
    import transformers

    gguf = smollm2_gguf()
    stamp = {"source": gguf.name, "size": gguf.stat().st_size, "transformers": transformers.__version__,
             "version": _DERIVED_VERSION}  # fmt: skip
    target = cache_dir() / "derived" / "smollm2-135m-instruct-hf"
    stamp_file = target / "derived.json"
    if _read_stamp(stamp_file) == stamp:
        return target
    from transformers import AutoModelForCausalLM

    say(f"deriving SmolLM2-135M-Instruct's float32 Hugging Face folder from {gguf.name} with transformers "
        f"(about 540 MB, 20-80 s, once) into {target} ...")  # fmt: skip
    with quiet_transformers(), _conversion_bar_on_terminals_only():
        loaded = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        # A GGUF-loaded model refuses save_pretrained (it still says "quantized"); its weights
        # are plain float32 by now, so they go into an identical model without that mark.
        config = loaded.config.to_dict()
        config.pop("quantization_config", None)
        plain = type(loaded)(type(loaded.config).from_dict(config))
        plain.load_state_dict(loaded.state_dict(), strict=True)
        plain.generation_config = loaded.generation_config
        tmp = target.with_name(f"{target.name}.tmp{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        plain.save_pretrained(str(tmp))
    (tmp / "derived.json").write_text(json.dumps(stamp))
    shutil.rmtree(target, ignore_errors=True)
    tmp.replace(target)
    say(f"derived {target.name} ({human_size(tree_size(target))})")
    return target


@contextlib.contextmanager
def _conversion_bar_on_terminals_only():
    """Inside, transformers' bar over the GGUF tensors it converts (a plain ``tqdm``, which
    :func:`quiet_transformers` does not reach) shows on a terminal only: the derivation's
    one useful bar, kept out of logs and pipes, where its carriage returns are noise."""
    from transformers import modeling_gguf_pytorch_utils as gguf_utils

    original = gguf_utils.tqdm
    gguf_utils.tqdm = functools.partial(original, disable=None)  # tqdm: None = off unless a terminal
    try:
        yield
    finally:
        gguf_utils.tqdm = original


def _read_stamp(stamp_file: Path) -> object:
    """The stamp of a derived folder, or None when it is missing or unreadable (then the
    folder is derived again rather than failing on every later call)."""
    try:
        return json.loads(stamp_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_smollm2(attn_implementation: str | None = None):
    """transformers' ``LlamaForCausalLM`` for SmolLM2-135M-Instruct (float32, eval mode)."""
    from transformers import AutoModelForCausalLM

    kwargs = {"attn_implementation": attn_implementation} if attn_implementation else {}
    folder = smollm2_folder()
    with quiet_transformers():
        return AutoModelForCausalLM.from_pretrained(str(folder), **kwargs).eval()


@lru_cache(maxsize=None)
def tokenizer(name: str):
    """The reference tokenizer ``"smollm2"`` or ``"phi-3"`` (scratch's interface), loaded once."""
    from reference import tokenizers

    return tokenizers.load(name)


def chat_template(name: str) -> str:
    """The Jinja chat template stored in the model's GGUF file."""
    artifact = {"smollm2": SMOLLM2_ARTIFACT, "phi-3": PHI3_VOCAB}[name]
    return read_gguf_metadata(fetch_file(*artifact))["tokenizer.chat_template"]


def apply_chat_template(name: str, messages: Sequence[dict], add_generation_prompt: bool = True) -> list[int]:
    """Token ids of a conversation, as transformers' ``apply_chat_template(tokenize=True)``.

    SmolLM2: the transformers tokenizer itself, given the GGUF's template. Phi-3 (whose
    reference tokenizer is not a transformers object): transformers' template renderer
    with the special tokens of Phi-3's tokenizer config, then that tokenizer's
    ``encode(add_special_tokens=False)``, which is what ``apply_chat_template`` runs.
    """
    ref = tokenizer(name)
    if name == "smollm2":
        tok = ref.tokenizer
        tok.chat_template = chat_template(name)
        out = tok.apply_chat_template(list(messages), add_generation_prompt=add_generation_prompt, tokenize=True)
        ids = out["input_ids"] if hasattr(out, "keys") else out
        return list(ids)
    from transformers.utils.chat_template_utils import render_jinja_template

    rendered, _ = render_jinja_template(
        conversations=[list(messages)],
        chat_template=chat_template(name),
        add_generation_prompt=add_generation_prompt,
        bos_token="<s>",
        eos_token="<|endoftext|>",
        unk_token="<unk>",
        pad_token="<|endoftext|>",
    )
    return ref.encode(rendered[0], add_special_tokens=False)


def tiny_phi3(seed: int = 0, num_layers: int = 2, long_rope: bool = False, sliding_window: int | None = None,
              hidden_size: int = 64, num_heads: int = 4, num_kv_heads: int = 2, init_std: float = 0.02):  # fmt: skip
    """A ``Phi3ForCausalLM`` with Phi-3's vocabulary (32064) and seeded random weights.

    ``long_rope`` gives it Phi-3-mini-128k's kind of rope settings ("longrope" short and
    long factors, ``original_max_position_embeddings`` small enough that a test's
    sequences cross it); ``sliding_window`` Phi-3-mini-4k's kind of local attention.
    """
    import torch
    from transformers import Phi3Config, Phi3ForCausalLM

    head_dim = hidden_size // num_heads
    rope = {"rope_type": "default", "rope_theta": 10000.0}
    max_positions = 4096
    if long_rope:
        generator = torch.Generator().manual_seed(seed + 1)
        half = head_dim // 2
        short = (1 + torch.rand(half, generator=generator)).tolist()
        long = (1 + 8 * torch.rand(half, generator=generator)).tolist()
        rope = {"rope_type": "longrope", "rope_theta": 10000.0, "short_factor": short, "long_factor": long,
                "original_max_position_embeddings": 24, "factor": 96 / 24}  # fmt: skip
        max_positions = 96
    config = Phi3Config(
        vocab_size=32064,
        hidden_size=hidden_size,
        intermediate_size=2 * hidden_size,
        num_hidden_layers=num_layers,
        num_attention_heads=num_heads,
        num_key_value_heads=num_kv_heads,
        max_position_embeddings=max_positions,
        original_max_position_embeddings=24 if long_rope else max_positions,
        rope_parameters=rope,
        sliding_window=sliding_window,
        initializer_range=init_std,
        bos_token_id=1,
        eos_token_id=32000,
        pad_token_id=32000,
        tie_word_embeddings=False,
    )
    torch.manual_seed(seed)
    model = Phi3ForCausalLM(config).eval()
    # Phi-3's embedding matrix has 53 rows past its 32011 tokens, padding that a trained
    # model never predicts. Zero LM-head rows give them logit 0, far below the largest of
    # 32011 random logits, so that this random model never predicts them either.
    with torch.no_grad():
        model.lm_head.weight[PHI3_TOKENS:] = 0
    return model


def greedy(model, prompt_ids: Sequence[int], max_new_tokens: int) -> list[int]:
    """transformers' greedy generation: the new ids of ``model.generate(do_sample=False)``."""
    import torch

    input_ids = torch.tensor([list(prompt_ids)])
    with torch.no_grad():
        out = model.generate(input_ids, attention_mask=torch.ones_like(input_ids), do_sample=False,
                             max_new_tokens=max_new_tokens, top_p=None, top_k=None, temperature=None)  # fmt: skip
    return out[0, input_ids.shape[1] :].tolist()


def reverse_permute(weights, n_head: int, n_kv_head: int):
    """transformers' GGUF un-permutation of a ``W_k`` (``n_kv_head`` heads) as it loads a
    Llama GGUF file (``LlamaTensorProcessor.process`` on a ``blk.N.attn_k.weight``)."""
    from transformers.modeling_gguf_pytorch_utils import LlamaTensorProcessor

    processor = LlamaTensorProcessor(config={"num_attention_heads": n_head, "num_key_value_heads": n_kv_head})
    return processor.process(weights, "blk.0.attn_k.weight").weights
