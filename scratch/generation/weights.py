"""Load a :class:`~scratch.generation.decoder.Decoder` from the files people have.

Two sources:

* **A GGUF file** (llama.cpp's format; SmolLM2-135M-Instruct ships as one). The tensors
  are read straight from the file and dequantized with the ``gguf`` package
  (``gguf.quants.dequantize``: Q4_1 blocks of 32 weights ``w = d * q + m``, Q8_0 blocks
  ``w = d * q``). llama.cpp's converter (``convert_hf_to_gguf.py``, ``LlamaModel.permute``)
  reorders the rows of ``W_q`` and ``W_k`` of Llama models, because llama.cpp rotates
  *neighbouring* channels ``(2i, 2i+1)`` while the Hugging Face checkpoint rotates
  ``(i, i + d/2)`` (``rotate_half``). :func:`unpermute_rope_rows` undoes it, exactly as
  transformers does when it loads a GGUF file (``_reverse_permute_weights``).
* **A Hugging Face folder** (``config.json`` + ``*.safetensors``) of a
  ``LlamaForCausalLM`` or a ``Phi3ForCausalLM``. Phi-3 stores ``qkv_proj`` and
  ``gate_up_proj`` fused (query rows, then key rows, then value rows; gate rows, then up
  rows), which is the layout the decoder uses; Llama's separate matrices are concatenated
  in that order.

``load(spec)`` takes ``"smollm2"`` (the cached GGUF artifact), a ``.gguf`` file or a folder.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import torch

from .decoder import Decoder, DecoderConfig, LongRope, long_rope_attention_factor
from ..errors import TokembError

PRETRAINED = {"smollm2": ("smollm2-135m-instruct", "SmolLM2-135M-Instruct.Q4_1.gguf")}


class WeightsError(TokembError, ValueError):
    """A model file is not something this decoder can run; the message says why."""


# --------------------------------------------------------------------------- GGUF

_GGUF_SCALAR_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
_GGUF_STRING, _GGUF_ARRAY = 8, 9


def gguf_tensor_directory(path: str | Path) -> tuple[dict[str, tuple[int, tuple[int, ...], int]], int]:
    """Where each tensor of a GGUF file is: ``{name: (ggml_type, numpy_shape, offset)}``
    and the offset of the data section.

    The file is ``b"GGUF"``, a uint32 version, uint64 tensor and key/value counts, the
    key/value metadata (read by :func:`scratch.tokenizers.gguf_vocab.read_gguf_metadata`;
    here only stepped over), then one entry per tensor: its name, uint32 ``n_dims``,
    ``n_dims`` uint64 sizes (innermost first, so the numpy shape is reversed), uint32 ggml
    type and uint64 offset; the data follows, aligned to ``general.alignment`` (32).
    ``gguf.GGUFReader`` reads the same, but builds a numpy view per metadata array item,
    which takes seconds on a 49k-token vocabulary.
    """
    with open(path, "rb") as f:
        data = f.read(64 << 20)  # the header of a small model fits; grown below if not
    if data[:4] != b"GGUF":
        raise WeightsError(f"{path} is not a GGUF file")
    version, n_tensors, n_kv = struct.unpack_from("<IQQ", data, 4)
    if version not in (2, 3):
        raise WeightsError(f"{path}: unsupported GGUF version {version}")
    pos, alignment = 24, 32

    def need(n: int) -> None:
        nonlocal data
        if pos + n > len(data):
            data = Path(path).read_bytes()

    def string() -> str:
        nonlocal pos
        need(8)
        (n,) = struct.unpack_from("<Q", data, pos)
        need(8 + n)
        pos += 8 + n
        return data[pos - n : pos].decode("utf-8", errors="replace")

    def skip(kind: int) -> None:
        nonlocal pos
        if kind == _GGUF_STRING:
            string()
        elif kind == _GGUF_ARRAY:
            need(12)
            item, count = struct.unpack_from("<IQ", data, pos)
            pos += 12
            if item in _GGUF_SCALAR_SIZES:
                pos += count * _GGUF_SCALAR_SIZES[item]
            else:
                for _ in range(count):
                    skip(item)
        else:
            pos += _GGUF_SCALAR_SIZES[kind]

    for _ in range(n_kv):
        key = string()
        need(8)
        (kind,) = struct.unpack_from("<I", data, pos)
        pos += 4
        if key == "general.alignment":
            (alignment,) = struct.unpack_from("<I", data, pos)
        skip(kind)
    tensors = {}
    for _ in range(n_tensors):
        name = string()
        need(4 + 8 * 4 + 12)
        (n_dims,) = struct.unpack_from("<I", data, pos)
        dims = struct.unpack_from(f"<{n_dims}Q", data, pos + 4)
        ggml_type, offset = struct.unpack_from("<IQ", data, pos + 4 + 8 * n_dims)
        pos += 4 + 8 * n_dims + 12
        tensors[name] = (ggml_type, tuple(reversed(dims)), offset)
    return tensors, pos + (-pos) % alignment


def read_gguf_tensors(path: str | Path) -> dict[str, np.ndarray]:
    """Every tensor of a GGUF file, dequantized to float32 numpy arrays."""
    import gguf  # the reference implementation of ggml's block formats

    directory, data_start = gguf_tensor_directory(path)
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    out = {}
    for name, (ggml_type, shape, offset) in directory.items():
        qtype = gguf.GGMLQuantizationType(ggml_type)
        block, block_bytes = gguf.GGML_QUANT_SIZES[qtype]
        row = shape[-1]
        if row % block:
            raise WeightsError(f"{path}: tensor {name} rows of {row} are not whole {qtype.name} blocks")
        rows = int(np.prod(shape[:-1], dtype=np.int64))
        row_bytes = row // block * block_bytes
        start = data_start + offset
        chunk = raw[start : start + rows * row_bytes].reshape(rows, row_bytes)
        # (F32 tensors come back as views of the read-only file: copied, as torch wants to own them)
        out[name] = np.array(gguf.quants.dequantize(chunk, qtype), dtype=np.float32).reshape(shape)
    return out


def unpermute_rope_rows(w: np.ndarray, n_heads: int) -> np.ndarray:
    """Undo llama.cpp's ``permute`` of ``W_q`` / ``W_k`` rows.

    Per head, llama.cpp reorders rows ``[0..d/2) , [d/2..d)`` into interleaved pairs
    ``0, d/2, 1, d/2+1, ...`` (``reshape(n_heads, 2, d/2, -1).swapaxes(1, 2)``); reading
    them back as ``(n_heads, d/2, 2)`` and swapping again restores the checkpoint's order.
    """
    half = w.shape[0] // n_heads // 2
    return w.reshape(n_heads, half, 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def load_gguf(path: str | Path, dtype: torch.dtype = torch.float32) -> Decoder:
    """A decoder from a Llama-architecture GGUF file, weights dequantized."""
    from scratch.tokenizers.gguf_vocab import read_gguf_metadata

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no GGUF file at {path}")
    meta = read_gguf_metadata(path)
    arch = meta.get("general.architecture")
    if arch != "llama":
        raise WeightsError(f"{path}: GGUF architecture {arch!r} is not supported (only 'llama'; "
                           "for Phi-3 use its Hugging Face folder)")  # fmt: skip
    get = lambda key, default=None: meta.get(f"llama.{key}", default)  # noqa: E731
    if get("rope.scaling.type") not in (None, "none"):
        raise WeightsError(f"{path}: rope scaling {get('rope.scaling.type')!r} is not supported")
    tensors = read_gguf_tensors(path)
    if "rope_freqs.weight" in tensors:
        raise WeightsError(f"{path}: per-frequency rope factors (Llama 3.1 rope scaling) are not supported")
    heads, hidden = int(get("attention.head_count")), int(get("embedding_length"))
    kv_heads = int(get("attention.head_count_kv", heads))
    head_dim = int(get("attention.key_length", hidden // heads))
    eos = meta.get("tokenizer.ggml.eos_token_id")
    bos = meta.get("tokenizer.ggml.bos_token_id")
    config = DecoderConfig(
        vocab_size=tensors["token_embd.weight"].shape[0],
        hidden_size=hidden,
        intermediate_size=int(get("feed_forward_length")),
        num_hidden_layers=int(get("block_count")),
        num_attention_heads=heads,
        num_key_value_heads=kv_heads,
        head_dim=head_dim,
        max_position_embeddings=int(get("context_length")),
        rms_norm_eps=float(get("attention.layer_norm_rms_epsilon", 1e-5)),
        rope_theta=float(get("rope.freq_base", 10000.0)),
        partial_rotary_factor=int(get("rope.dimension_count", head_dim)) / head_dim,
        tie_word_embeddings="output.weight" not in tensors,
        architecture="llama",
        eos_token_ids=() if eos is None else (int(eos),),
        bos_token_id=None if bos is None else int(bos),
    )
    state = {"embed.weight": tensors.pop("token_embd.weight"), "norm.weight": tensors.pop("output_norm.weight")}
    if "output.weight" in tensors:
        state["lm_head.weight"] = tensors.pop("output.weight")
    for i in range(config.num_hidden_layers):
        t = lambda name: tensors.pop(f"blk.{i}.{name}.weight")  # noqa: E731
        q = unpermute_rope_rows(t("attn_q"), heads)
        k = unpermute_rope_rows(t("attn_k"), kv_heads)
        state[f"layers.{i}.attn.qkv.weight"] = np.concatenate([q, k, t("attn_v")])
        state[f"layers.{i}.attn.out.weight"] = t("attn_output")
        state[f"layers.{i}.mlp.gate_up.weight"] = np.concatenate([t("ffn_gate"), t("ffn_up")])
        state[f"layers.{i}.mlp.down.weight"] = t("ffn_down")
        state[f"layers.{i}.attn_norm.weight"] = t("attn_norm")
        state[f"layers.{i}.mlp_norm.weight"] = t("ffn_norm")
    if tensors:
        raise WeightsError(f"{path}: tensors this decoder does not know: {sorted(tensors)[:5]}")
    return Decoder.from_state_dict(config, {k: torch.from_numpy(np.ascontiguousarray(v)).to(dtype)
                                            for k, v in state.items()})  # fmt: skip


# --------------------------------------------------------------------------- Hugging Face folders

ARCHITECTURES = {"llama": "LlamaForCausalLM", "phi3": "Phi3ForCausalLM"}


def config_from_hf(config: dict, generation_config: dict | None = None) -> DecoderConfig:
    """A :class:`DecoderConfig` from a ``config.json`` of a Llama or Phi-3 model
    (transformers 4's ``rope_theta`` / ``rope_scaling`` keys or transformers 5's
    ``rope_parameters``)."""
    model_type = config.get("model_type")
    if model_type not in ARCHITECTURES:
        raise WeightsError(f"model_type {model_type!r} is not supported; this decoder runs "
                           f"{', '.join(ARCHITECTURES.values())}")  # fmt: skip
    if config.get("hidden_act", "silu") != "silu":
        raise WeightsError(f"hidden_act {config['hidden_act']!r} is not supported (SwiGLU uses silu)")
    for flag in ("attention_bias", "mlp_bias"):
        if config.get(flag):
            raise WeightsError(f"{flag}=true is not supported (Llama and Phi-3 have no biases)")
    rope = dict(config.get("rope_parameters") or config.get("rope_scaling") or {})
    rope_type = rope.get("rope_type", rope.get("type", "default")) or "default"
    if rope_type in ("su", "yarn") and model_type == "phi3":  # Phi-3's old names for longrope
        rope_type = "longrope"
    theta = float(rope.get("rope_theta", config.get("rope_theta", 10000.0)))
    partial = float(rope.get("partial_rotary_factor", config.get("partial_rotary_factor", 1.0)))
    heads = config["num_attention_heads"]
    head_dim = config.get("head_dim") or config["hidden_size"] // heads
    max_positions = config["max_position_embeddings"]
    long_rope = None
    if rope_type == "longrope":
        original = rope.get("original_max_position_embeddings", config.get("original_max_position_embeddings"))
        factor = rope.get("attention_factor")
        if factor is None:  # the paper's default, from the extension ratio
            factor = long_rope_attention_factor(rope.get("factor") or max_positions / original, original)
        long_rope = LongRope(tuple(rope["short_factor"]), tuple(rope["long_factor"]), int(original), float(factor))
    elif rope_type != "default":
        raise WeightsError(f"rope type {rope_type!r} is not supported (default, and Phi-3's longrope)")
    eos = (generation_config or {}).get("eos_token_id", config.get("eos_token_id"))
    eos = () if eos is None else tuple(eos) if isinstance(eos, list) else (eos,)
    return DecoderConfig(
        vocab_size=config["vocab_size"],
        hidden_size=config["hidden_size"],
        intermediate_size=config["intermediate_size"],
        num_hidden_layers=config["num_hidden_layers"],
        num_attention_heads=heads,
        num_key_value_heads=config.get("num_key_value_heads") or heads,
        head_dim=head_dim,
        max_position_embeddings=max_positions,
        rms_norm_eps=float(config.get("rms_norm_eps", 1e-6)),
        rope_theta=theta,
        partial_rotary_factor=partial,
        long_rope=long_rope,
        sliding_window=config.get("sliding_window") if model_type == "phi3" else None,
        tie_word_embeddings=bool(config.get("tie_word_embeddings", False)),
        architecture=model_type,
        eos_token_ids=tuple(int(e) for e in eos),
        bos_token_id=config.get("bos_token_id"),
    )


def hf_state_to_decoder(state: dict[str, torch.Tensor], config: DecoderConfig) -> dict[str, torch.Tensor]:
    """Rename a Hugging Face state dict to the decoder's names, fusing Llama's projections."""
    state = dict(state)
    take = lambda name: state.pop(name)  # noqa: E731
    out = {"embed.weight": take("model.embed_tokens.weight"), "norm.weight": take("model.norm.weight")}
    if "lm_head.weight" in state:
        head = take("lm_head.weight")
        if not config.tie_word_embeddings:
            out["lm_head.weight"] = head
    for i in range(config.num_hidden_layers):
        p = f"model.layers.{i}."
        if config.architecture == "phi3":
            qkv, gate_up = take(p + "self_attn.qkv_proj.weight"), take(p + "mlp.gate_up_proj.weight")
        else:
            qkv = torch.cat([take(p + f"self_attn.{n}_proj.weight") for n in "qkv"])
            gate_up = torch.cat([take(p + "mlp.gate_proj.weight"), take(p + "mlp.up_proj.weight")])
        out[f"layers.{i}.attn.qkv.weight"] = qkv
        out[f"layers.{i}.attn.out.weight"] = take(p + "self_attn.o_proj.weight")
        out[f"layers.{i}.mlp.gate_up.weight"] = gate_up
        out[f"layers.{i}.mlp.down.weight"] = take(p + "mlp.down_proj.weight")
        out[f"layers.{i}.attn_norm.weight"] = take(p + "input_layernorm.weight")
        out[f"layers.{i}.mlp_norm.weight"] = take(p + "post_attention_layernorm.weight")
    leftover = [n for n in state if not n.endswith("rotary_emb.inv_freq")]
    if leftover:
        raise WeightsError(f"weights this decoder does not know: {sorted(leftover)[:5]}")
    return out


def load_hf_folder(path: str | Path, dtype: torch.dtype | str = "auto") -> Decoder:
    """A decoder from a local Hugging Face model folder (``config.json`` + safetensors).

    ``dtype="auto"`` keeps the dtype the weights are stored in (as transformers 5 does).
    """
    from safetensors.torch import load_file

    path = Path(path)
    if not (path / "config.json").is_file():
        raise WeightsError(f"{path} is not a Hugging Face model folder (no config.json)")
    hf_config = json.loads((path / "config.json").read_text())
    generation = path / "generation_config.json"
    config = config_from_hf(hf_config, json.loads(generation.read_text()) if generation.is_file() else None)
    index = path / "model.safetensors.index.json"
    if index.is_file():
        files = sorted(set(json.loads(index.read_text())["weight_map"].values()))
    else:
        files = [p.name for p in sorted(path.glob("*.safetensors"))]
    if not files:
        raise WeightsError(f"{path} has no *.safetensors weights (pytorch_model.bin is not read; convert it first)")
    state: dict[str, torch.Tensor] = {}
    for name in files:
        state.update(load_file(path / name))
    state = hf_state_to_decoder(state, config)
    if dtype == "auto":
        dtype = state["embed.weight"].dtype
    return Decoder.from_state_dict(config, {k: v.to(dtype) for k, v in state.items()})


def load(spec: str | Path, dtype: torch.dtype | str = "auto") -> Decoder:
    """``"smollm2"`` (the cached SmolLM2-135M-Instruct GGUF), a ``.gguf`` file, or a folder."""
    if str(spec) in PRETRAINED:
        from scratch.artifacts import fetch_file  # standard-library-only fetcher

        spec = fetch_file(*PRETRAINED[str(spec)])
    path = Path(spec)
    if path.is_dir():
        return load_hf_folder(path, dtype)
    if path.suffix == ".gguf":
        return load_gguf(path, torch.float32 if dtype == "auto" else dtype)
    if not path.exists():
        raise FileNotFoundError(f"no model {spec!r}: name one of {sorted(PRETRAINED)}, a .gguf file or a folder")
    raise WeightsError(f"{path}: expected a .gguf file or a Hugging Face model folder")
