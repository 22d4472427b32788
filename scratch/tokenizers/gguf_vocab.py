"""Read the tokenizer stored in a GGUF file (llama.cpp's format) into plain Python.

A GGUF file keeps its tokenizer as key/value metadata (the ``tokenizer.ggml.*`` keys
written by llama.cpp's ``convert_hf_to_gguf.py``):

* ``tokenizer.ggml.model``: the method: ``"gpt2"`` (byte-level BPE), ``"llama"``
  (SentencePiece BPE with byte fallback) or ``"bert"`` (WordPiece);
* ``tokenizer.ggml.pre``: the pre-tokenizer's name (``"gpt-2"``, ``"llama-bpe"``,
  ``"qwen2"``, ``"starcoder"`` ...), which decides the split regex;
* ``tokenizer.ggml.tokens`` / ``scores`` / ``token_type`` / ``merges``;
* special ids (``bos_token_id`` ...) and the ``add_bos_token`` / ``add_eos_token`` flags.

Token types follow llama.cpp's enum: 1 normal, 2 unknown, 3 control, 4 user-defined,
5 unused, 6 byte.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from ..errors import TokembError

NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6


class MalformedVocabError(TokembError, ValueError):
    """A vocabulary file is not what its loader expects; the message says what is wrong."""


@dataclass
class GGUFVocab:
    path: Path
    model: str
    pre: str
    tokens: list[str]
    token_types: list[int]
    scores: list[float] | None = None
    merges: list[str] | None = None
    special_ids: dict[str, int] = field(default_factory=dict)  # "bos", "eos", "unknown", "padding", ...
    add_bos: bool | None = None
    add_eos: bool | None = None
    chat_template: str | None = None
    architecture: str | None = None


# GGUF value types (ggml's gguf.h): scalar struct formats, 8 = string, 9 = array.
_SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
_STRING, _ARRAY = 8, 9


def read_gguf_metadata(path: str | Path) -> dict[str, object]:
    """All key/value metadata of a GGUF file, without touching its tensors.

    The layout (little-endian): ``b"GGUF"``, uint32 version (2 or 3), uint64 tensor
    count, uint64 key/value count, then for each pair a string key (uint64 length +
    UTF-8), a uint32 value type and the value; an array is a uint32 item type, a uint64
    count and the items. The ``gguf`` package's ``GGUFReader`` reads the same, but
    builds a numpy view per array item, which takes ~20 s on a 128k-token vocabulary;
    this direct reader takes well under a second.
    """
    data = Path(path).read_bytes()
    if data[:4] != b"GGUF":
        raise MalformedVocabError(f"{path} is not a GGUF file (magic {data[:4]!r}, expected b'GGUF')")
    version = struct.unpack_from("<I", data, 4)[0]
    if version not in (2, 3):
        raise MalformedVocabError(f"{path}: unsupported GGUF version {version}")
    n_kv = struct.unpack_from("<Q", data, 16)[0]
    pos = 24

    def read_string() -> str:
        nonlocal pos
        (n,) = struct.unpack_from("<Q", data, pos)
        text = data[pos + 8 : pos + 8 + n].decode("utf-8", errors="surrogateescape")
        pos += 8 + n
        return text

    def read_value(kind: int):
        nonlocal pos
        if kind == _STRING:
            return read_string()
        if kind == _ARRAY:
            item_kind, count = struct.unpack_from("<IQ", data, pos)
            pos += 12
            if item_kind in _SCALARS:
                dtype = np.dtype("<" + _SCALARS[item_kind])
                values = np.frombuffer(data, dtype=dtype, count=count, offset=pos).tolist()
                pos += dtype.itemsize * count
                return values
            return [read_value(item_kind) for _ in range(count)]
        fmt = "<" + _SCALARS[kind]
        (value,) = struct.unpack_from(fmt, data, pos)
        pos += struct.calcsize(fmt)
        return value

    metadata: dict[str, object] = {}
    try:
        for _ in range(n_kv):
            key = read_string()
            (kind,) = struct.unpack_from("<I", data, pos)
            pos += 4
            if kind not in _SCALARS and kind not in (_STRING, _ARRAY):
                raise MalformedVocabError(f"{path}: key {key!r} has unknown GGUF value type {kind}")
            metadata[key] = read_value(kind)
    except (struct.error, UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, MalformedVocabError):
            raise
        raise MalformedVocabError(f"{path}: truncated or corrupt GGUF metadata ({exc})") from exc
    return metadata


def read_gguf_vocab(path: str | Path) -> GGUFVocab:
    """Read the ``tokenizer.ggml.*`` metadata of a GGUF file (model weights are not loaded)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no GGUF file at {path}")
    metadata = read_gguf_metadata(path)
    get = lambda key: metadata.get("tokenizer.ggml." + key)  # noqa: E731
    model, tokens = get("model"), get("tokens")
    if model is None or tokens is None:
        raise MalformedVocabError(f"{path} has no tokenizer (tokenizer.ggml.model / tokens missing)")
    types = get("token_type") or [NORMAL] * len(tokens)
    if len(types) != len(tokens):
        raise MalformedVocabError(f"{path}: {len(tokens)} tokens but {len(types)} token types")
    specials = {}
    for key in ("bos", "eos", "unknown", "padding", "seperator", "cls", "mask", "eot", "eom"):
        value = get(f"{key}_token_id")
        if value is not None:
            specials["separator" if key == "seperator" else key] = int(value)
    add_bos, add_eos = get("add_bos_token"), get("add_eos_token")
    arch = metadata.get("general.architecture")
    return GGUFVocab(
        path=path,
        model=model,
        pre=get("pre") or "default",
        tokens=tokens,
        token_types=[int(t) for t in types],
        scores=[float(s) for s in get("scores")] if get("scores") is not None else None,
        merges=get("merges"),
        special_ids=specials,
        add_bos=None if add_bos is None else bool(add_bos),
        add_eos=None if add_eos is None else bool(add_eos),
        chat_template=get("chat_template"),
        architecture=arch,
    )
