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

import hashlib
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .base import MalformedVocabError

NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6


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
    # SentencePiece-style normalisation ("t5" unigram files; llama.cpp's llm_tokenizer_ugm):
    precompiled_charsmap: bytes | None = None  # tokenizer.ggml.precompiled_charsmap, sentencepiece's compiled rules
    add_space_prefix: bool | None = None  # tokenizer.ggml.add_space_prefix (sentencepiece's add_dummy_prefix)
    remove_extra_whitespaces: bool | None = None  # tokenizer.ggml.remove_extra_whitespaces


# GGUF value types (ggml's gguf.h): scalar struct formats, 8 = string, 9 = array.
_SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
_STRING, _ARRAY = 8, 9


_HEADER = 24  # magic, version, tensor count, key/value count
_LENGTH = struct.Struct("<Q")  # the length in front of a string
_MAX_NESTING = 4  # arrays of arrays: GGUF writers nest one level; deeper is corruption


def read_gguf_metadata(path: str | Path) -> dict[str, object]:
    """All key/value metadata of a GGUF file, without touching its tensors.

    The layout (little-endian): ``b"GGUF"``, uint32 version (2 or 3), uint64 tensor
    count, uint64 key/value count, then for each pair a string key (uint64 length +
    UTF-8), a uint32 value type and the value; an array is a uint32 item type, a uint64
    count and the items. The ``gguf`` package's ``GGUFReader`` reads the same, but
    builds a numpy view per array item, which takes ~20 s on a 128k-token vocabulary;
    this direct reader takes well under a second.

    A truncated or corrupt file is a :class:`MalformedVocabError` naming the file, the
    byte offset and what was being read. Every length and count is checked against the
    bytes left in the file before anything is allocated, so a corrupt count cannot ask
    for gigabytes.
    """
    data = Path(path).read_bytes()
    if len(data) < _HEADER:
        raise MalformedVocabError(f"{path} is not a GGUF file: only {len(data)} bytes, shorter than the {_HEADER}-byte header")
    if data[:4] != b"GGUF":
        raise MalformedVocabError(f"{path} is not a GGUF file (magic {data[:4]!r}, expected b'GGUF')")
    version = struct.unpack_from("<I", data, 4)[0]
    if version not in (2, 3):
        raise MalformedVocabError(f"{path}: unsupported GGUF version {version}")
    n_kv = struct.unpack_from("<Q", data, 16)[0]
    pos = _HEADER

    def corrupt(what: str) -> MalformedVocabError:
        return MalformedVocabError(f"{path}: truncated or corrupt GGUF metadata at byte {pos}: {what}")

    def take(fmt: str, what: str) -> tuple:
        nonlocal pos
        size = struct.calcsize(fmt)
        if pos + size > len(data):
            raise corrupt(f"{what} needs {size} bytes, {len(data) - pos} left")
        values = struct.unpack_from(fmt, data, pos)
        pos += size
        return values

    def read_string(what: str) -> str:
        # (take() inlined: a vocabulary is read as hundreds of thousands of strings)
        nonlocal pos
        if pos + 8 > len(data):
            raise corrupt(f"the length of {what} needs 8 bytes, {len(data) - pos} left")
        (n,) = _LENGTH.unpack_from(data, pos)
        pos += 8
        if n > len(data) - pos:
            raise corrupt(f"{what} of {n:,} bytes, {len(data) - pos:,} left in the file")
        pos += n
        return data[pos - n : pos].decode("utf-8", errors="surrogateescape")

    def read_value(kind: int, key: str, depth: int = 0):
        nonlocal pos
        if kind == _STRING:
            return read_string(f"the value of {key!r}")
        if kind == _ARRAY:
            if depth >= _MAX_NESTING:
                raise corrupt(f"arrays nested more than {_MAX_NESTING} deep in {key!r}")
            item_kind, count = take("<IQ", f"the array header of {key!r}")
            if item_kind in _SCALARS:
                dtype = np.dtype("<" + _SCALARS[item_kind])
                if count > (len(data) - pos) // dtype.itemsize:
                    raise corrupt(f"{key!r} declares {count:,} items of {dtype.itemsize} bytes, {len(data) - pos:,} bytes left")
                values = np.frombuffer(data, dtype=dtype, count=count, offset=pos).tolist()
                pos += dtype.itemsize * count
                return values
            if item_kind not in (_STRING, _ARRAY):
                raise corrupt(f"{key!r} is an array of unknown GGUF value type {item_kind}")
            smallest = 8 if item_kind == _STRING else 12  # a string's length / an array's header
            if count > (len(data) - pos) // smallest:
                raise corrupt(f"{key!r} declares {count:,} items, more than the {len(data) - pos:,} bytes left can hold")
            if item_kind == _STRING:
                what = f"the value of {key!r}"
                return [read_string(what) for _ in range(count)]
            return [read_value(item_kind, key, depth + 1) for _ in range(count)]
        return take("<" + _SCALARS[kind], f"the value of {key!r}")[0]

    if n_kv > (len(data) - pos) // 13:  # a key/value pair takes at least 8 + 4 + 1 bytes
        raise corrupt(f"{n_kv:,} key/value pairs declared, more than the {len(data) - pos:,} bytes left can hold")
    metadata: dict[str, object] = {}
    for _ in range(n_kv):
        key = read_string("a key")
        (kind,) = take("<I", f"the value type of {key!r}")
        if kind not in _SCALARS and kind not in (_STRING, _ARRAY):
            raise MalformedVocabError(f"{path}: key {key!r} has unknown GGUF value type {kind}")
        metadata[key] = read_value(kind, key)
    return metadata


def _checked(path: Path, key: str, value, kind: type | tuple[type, ...], what: str, items: bool = False):
    """``value`` if it (or each of its items, for ``items``) is a ``kind``; else :class:`MalformedVocabError`."""
    if value is None:
        return None
    ok = isinstance(value, list) and all(isinstance(v, kind) for v in value) if items else isinstance(value, kind)
    if not ok:
        raise MalformedVocabError(f"{path}: tokenizer.ggml.{key} should be {what}, is {type(value).__name__}")
    return value


def read_gguf_vocab(path: str | Path) -> GGUFVocab:
    """Read the ``tokenizer.ggml.*`` metadata of a GGUF file (model weights are not loaded).

    Each field is checked for its type and the lists for their lengths, so that a
    corrupt file is a :class:`MalformedVocabError` here rather than a puzzling error in
    the tokenizer built from it."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no GGUF file at {path}")
    metadata = read_gguf_metadata(path)
    get = lambda key: metadata.get("tokenizer.ggml." + key)  # noqa: E731
    model = _checked(path, "model", get("model"), str, "a string")
    tokens = _checked(path, "tokens", get("tokens"), str, "a list of strings", items=True)
    if model is None or tokens is None:
        raise MalformedVocabError(f"{path} has no tokenizer (tokenizer.ggml.model / tokens missing)")
    types = _checked(path, "token_type", get("token_type"), int, "a list of integers", items=True)
    types = types or [NORMAL] * len(tokens)
    scores = _checked(path, "scores", get("scores"), (int, float), "a list of numbers", items=True)
    merges = _checked(path, "merges", get("merges"), str, "a list of strings", items=True)
    for name, values in (("token types", types), ("scores", scores)):
        if values is not None and len(values) != len(tokens):
            raise MalformedVocabError(f"{path}: {len(tokens)} tokens but {len(values)} {name}")
    specials = {}
    for key in ("bos", "eos", "unknown", "padding", "seperator", "cls", "mask", "eot", "eom"):
        value = _checked(path, f"{key}_token_id", get(f"{key}_token_id"), int, "an integer")
        if value is not None:
            if not 0 <= value < len(tokens):
                raise MalformedVocabError(f"{path}: tokenizer.ggml.{key}_token_id {value} is not one of the {len(tokens)} token ids")
            specials["separator" if key == "seperator" else key] = value
    add_bos = _checked(path, "add_bos_token", get("add_bos_token"), (bool, int), "a boolean")
    add_eos = _checked(path, "add_eos_token", get("add_eos_token"), (bool, int), "a boolean")
    arch = metadata.get("general.architecture")
    charsmap = _checked(path, "precompiled_charsmap", get("precompiled_charsmap"), int, "a list of bytes", items=True)
    if charsmap is not None and not all(-128 <= b <= 255 for b in charsmap):
        raise MalformedVocabError(f"{path}: tokenizer.ggml.precompiled_charsmap should be a list of bytes")
    flags = {key: _checked(path, key, get(key), (bool, int), "a boolean") for key in ("add_space_prefix", "remove_extra_whitespaces")}
    return GGUFVocab(
        path=path,
        model=model,
        pre=_checked(path, "pre", get("pre"), str, "a string") or "default",
        tokens=tokens,
        token_types=types,
        scores=None if scores is None else [float(s) for s in scores],
        merges=merges,
        special_ids=specials,
        add_bos=None if add_bos is None else bool(add_bos),
        add_eos=None if add_eos is None else bool(add_eos),
        chat_template=_checked(path, "chat_template", get("chat_template"), str, "a string"),
        architecture=arch if isinstance(arch, str) else None,
        precompiled_charsmap=None if charsmap is None else bytes(b & 0xFF for b in charsmap),
        **{key: None if value is None else bool(value) for key, value in flags.items()},
    )


def vocabulary_fingerprint(vocab: GGUFVocab) -> str:
    """sha256 of a vocabulary's tokens and merges (each list joined by NUL, the two by \\x01):
    what identifies a byte-level BPE whose file does not name its pre-tokenizer."""
    digest = hashlib.sha256()
    for part in (vocab.tokens, vocab.merges or []):
        digest.update("\0".join(part).encode("utf-8", "surrogateescape"))
        digest.update(b"\1")
    return digest.hexdigest()


#: Byte-level BPE vocabularies of llama.cpp's test set whose file has no pre-tokenizer name
#: (``tokenizer.ggml.pre`` missing or ``"default"``: converted before the converter recorded
#: one), recognised by :func:`vocabulary_fingerprint` -> (the GGUF name of their original
#: split rules, where those rules come from).
UNNAMED_BPE_VOCABULARIES: dict[str, tuple[str, str]] = {
    "39582096fb93d9c403a0af8346c8082fc259c04b5fb7b283faf0edbe9b71320b": (
        "mpt",
        "GPT-NeoX-20B's tokenizer.json (NFC, then ByteLevel with GPT-2's regex); "
        "MPT reuses that tokenizer, and its GGUF file, named 'mpt', has the same tokens and merges",
    ),
    "ee419a2bea33405b96afaa80b910bf0773f3acacd748ca209707221094e5e3da": (
        "gpt-2",
        "Aquila-7B's GPT2Tokenizer (BAAI's vocab.json + merges.txt, tokenizer_config.json "
        "'tokenizer_class': 'GPT2Tokenizer'): GPT-2's regex, no normalizer",
    ),
}


def resolve_pre(vocab: GGUFVocab) -> str:
    """The pre-tokenizer name to split ``vocab``'s text with: ``tokenizer.ggml.pre``, or for
    a byte-level BPE file without one (``"default"``) the name of its original rules when
    the vocabulary is one of :data:`UNNAMED_BPE_VOCABULARIES`.

    ``"default"`` itself names no rules: llama.cpp then splits with a guess of its own
    (``llm_tokenizer_bpe``'s ``default:`` case: ``[\\p{P}\\$\\+<=>\\^~\\|]+`` isolated, GPT-2's
    regex, ``\\p{N}+``, ``[0-9][0-9][0-9]``, i.e. Falcon's steps), which is not what either
    original tokenizer does (``" ..."`` stays one chunk for GPT-2's regex, ``"1234"`` too);
    an unrecognised ``"default"`` file stays ``"default"`` and is refused by
    :func:`.pretokenizers.for_gguf_pre`."""
    if vocab.model == "gpt2" and vocab.pre == "default":
        known = UNNAMED_BPE_VOCABULARIES.get(vocabulary_fingerprint(vocab))
        if known is not None:
            return known[0]
    return vocab.pre
