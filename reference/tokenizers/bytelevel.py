"""The real byte-level BPE tokenizers (GPT-2, cl100k_base, StarCoder2, Qwen2, Llama-3,
SmolLM2), behind scratch's methods.

* **gpt2**: transformers' ``GPT2Tokenizer.from_pretrained`` on the artifact folder
  (OpenAI's original ``vocab.json`` + ``merges.txt``).
* **cl100k_base**: tiktoken's own ``cl100k_base`` encoding. tiktoken downloads its rank
  file from a fixed URL into ``TIKTOKEN_CACHE_DIR`` under ``sha1(url)``; the artifact is
  copied there first (``cache_dir()/derived/tiktoken``), so it never downloads.
  ``encode`` is ``encode_ordinary`` (special tokens in the text are plain text),
  ``decode`` is tiktoken's (``errors="replace"``; ``skip_special_tokens`` drops the
  special ids first, tiktoken having no such switch).
* **starcoder2, qwen2, llama-3, smollm2**: transformers' GGUF loader
  (``from_pretrained(folder, gguf_file=...)``) on llama.cpp's vocabulary files, with its
  known mistakes repaired so that the result is the model's published tokenizer. The
  class is the one ``AutoTokenizer`` picks for each file (``GPT2Tokenizer`` for
  StarCoder2, ``Qwen2Tokenizer``, ``TokenizersBackend`` for the Llama-architecture
  files); it is called directly because ``AutoTokenizer`` first rebuilds the model
  config with ``gguf.GGUFReader``, which takes 25-50 s on these vocabularies and
  changes nothing about the tokenizer. The repairs, each changing one part of the
  ``tokenizers`` pipeline:

  - **StarCoder2 and SmolLM2: digits one by one.** Their ``tokenizer.json`` pre-tokenizer
    is ``Sequence([Digits(individual_digits=True), ByteLevel(use_regex=True)])``; the
    loader knows neither ``pre`` name and keeps GPT-2's plain ``ByteLevel``. Evidence:
    llama.cpp's StarCoder2 case ``"ied 4 ½ months"`` (``½`` is a number, so it must be a
    chunk of its own) is wrong without the fix (45/46) and right with it (46/46);
    llama.cpp's ``llm_tokenizer_bpe`` runs the same ``\\p{N}`` split first for both
    ``starcoder`` and ``smollm``.
  - **Qwen2: NFC.** Qwen2's ``tokenizer.json`` normalizes to NFC, as transformers' own
    ``Qwen2Tokenizer`` builds it (``normalizers.NFC()``); the GGUF loader replaces that
    pipeline and loses the normalizer. (llama.cpp skips it as well; its 46 Qwen2 cases
    are all NFC already, so they pass either way.)
  - **Llama-3: whole-chunk lookup, BOS, no extra token.** Llama-3's ``tokenizer.json``
    has ``"ignore_merges": true`` and a ``TemplateProcessing`` post-processor that puts
    ``<|begin_of_text|>`` first, and 128,256 tokens; llama.cpp sets ``ignore_merges`` and
    ``add_bos`` for the ``llama-bpe`` pre-tokenizer. The loader sets neither, and adds
    GPT-2's ``<|endoftext|>`` as a 128,257th token. Evidence: llama.cpp's case
    ``"Cửa Việt"`` is wrong without ``ignore_merges`` (45/46) and right with it.

Each repaired tokenizer is a ``tokenizers.Tokenizer`` rebuilt from the loader's JSON with
the change, wrapped in a transformers ``TokenizersBackend`` with the loader's special
tokens, so that encoding and decoding still run through transformers.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Sequence

from .wordpiece_spm import TransformersAdapter

CL100K_URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"

# The transformers class AutoTokenizer picks for each GGUF file (by its architecture).
_GGUF_CLASSES = {
    "starcoder2": "GPT2Tokenizer",
    "qwen2": "Qwen2Tokenizer",
    "llama-3": "TokenizersBackend",
    "smollm2": "TokenizersBackend",
}


def load_reference(name: str, path: Path):
    """The reference tokenizer ``name`` (a ``scratch.tokenizers.PRETRAINED`` name) from ``path``."""
    if name == "gpt2":
        from transformers import GPT2Tokenizer

        return TransformersAdapter(GPT2Tokenizer.from_pretrained(str(Path(path).parent)), name)
    if name == "cl100k_base":
        return TiktokenAdapter(load_cl100k(path), name)
    if name in _GGUF_CLASSES:
        return TransformersAdapter(load_gguf(name, path), name)
    raise KeyError(f"no byte-level reference tokenizer called {name!r}")


# ---- tiktoken --------------------------------------------------------------------------------
def load_cl100k(path: Path):
    """tiktoken's ``cl100k_base`` encoding, its rank file taken from ``path``, offline."""
    import tiktoken
    from scratch.artifacts import cache_dir

    folder = cache_dir() / "derived" / "tiktoken"
    target = folder / hashlib.sha1(CL100K_URL.encode()).hexdigest()
    if not target.exists() or target.stat().st_size != Path(path).stat().st_size:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target.with_suffix(".tmp"))
        os.replace(target.with_suffix(".tmp"), target)
    before = os.environ.get("TIKTOKEN_CACHE_DIR")
    os.environ["TIKTOKEN_CACHE_DIR"] = str(folder)
    try:
        # tiktoken checks the file's sha256 against the one it pins and would only
        # download on a mismatch; the artifact store has verified the same hash.
        return tiktoken.get_encoding("cl100k_base")
    finally:
        if before is None:
            del os.environ["TIKTOKEN_CACHE_DIR"]
        else:
            os.environ["TIKTOKEN_CACHE_DIR"] = before


def o200k_pattern() -> str:
    """tiktoken's own o200k_base pattern, taken from its registry's constructor
    (``tiktoken_ext.openai_public.o200k_base``) with the rank-file download stubbed out:
    o200k_base's ranks are not obtainable here, its pattern is."""
    from unittest import mock

    import tiktoken_ext.openai_public as public

    with mock.patch.object(public, "load_tiktoken_bpe", lambda *args, **kwargs: {}):
        return public.o200k_base()["pat_str"]


def load_o200k_style(path: Path):
    """An "o200k-style" tiktoken encoding: cl100k_base's ranks (the rank file at ``path``)
    cut by o200k_base's pattern (:func:`o200k_pattern`), no special tokens. It stands in for
    o200k_base, whose ranks are not obtainable, wherever what is tested or measured is the
    pattern (the split and the time it takes)."""
    import tiktoken
    from tiktoken.load import load_tiktoken_bpe

    ranks = load_tiktoken_bpe(str(path))
    return tiktoken.Encoding("o200k-style", pat_str=o200k_pattern(), mergeable_ranks=ranks, special_tokens={})


class TiktokenAdapter:
    """A ``tiktoken.Encoding`` behind scratch's methods (token strings in GPT-2's byte spelling)."""

    def __init__(self, encoding, name: str):
        from transformers.convert_slow_tokenizer import bytes_to_unicode

        self.encoding = encoding
        self.name = name
        self._spelling = bytes_to_unicode()

    def encode(self, text: str, add_special_tokens: bool = True) -> list[int]:
        return self.encoding.encode_ordinary(text)

    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False) -> str:
        ids = list(ids)
        if skip_special_tokens:
            special = set(self.encoding._special_tokens.values())
            ids = [i for i in ids if i not in special]
        return self.encoding.decode(ids)

    def tokenize(self, text: str) -> list[str]:
        return [self.id_to_token(i) for i in self.encode(text)]

    @property
    def vocab_size(self) -> int:
        return self.encoding.n_vocab

    @property
    def special_tokens(self) -> dict[str, int]:
        return dict(self.encoding._special_tokens)

    def token_to_id(self, token: str) -> int | None:
        if token in self.encoding._special_tokens:
            return self.encoding._special_tokens[token]
        reverse = {c: b for b, c in self._spelling.items()}
        try:
            data = bytes(reverse[c] for c in token)
        except KeyError:
            return None
        return self.encoding._mergeable_ranks.get(data)

    def id_to_token(self, id: int) -> str | None:
        for content, special_id in self.encoding._special_tokens.items():
            if special_id == id:
                return content
        try:
            data = self.encoding.decode_single_token_bytes(id)
        except KeyError:
            return None
        return "".join(self._spelling[b] for b in data)


# ---- transformers' GGUF loader, repaired ----------------------------------------------------------
def load_gguf(name: str, path: Path):
    """The transformers tokenizer for GGUF file ``path``, with the repairs described above."""
    import transformers
    from tokenizers import Tokenizer

    cls = getattr(transformers, _GGUF_CLASSES[name], None)
    if cls is None:
        from transformers.tokenization_utils_tokenizers import TokenizersBackend as cls
    path = Path(path)
    loaded = cls.from_pretrained(str(path.parent), gguf_file=path.name)
    spec = json.loads(loaded.backend_tokenizer.to_str())
    if name in ("starcoder2", "smollm2"):
        spec["pre_tokenizer"] = {
            "type": "Sequence",
            "pretokenizers": [
                {"type": "Digits", "individual_digits": True},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
            ],
        }
    elif name == "qwen2":
        spec["normalizer"] = {"type": "NFC"}
    elif name == "llama-3":
        spec["model"]["ignore_merges"] = True
        size = len(spec["model"]["vocab"])
        spec["added_tokens"] = [t for t in spec["added_tokens"] if t["id"] < size]
    backend = Tokenizer.from_str(json.dumps(spec))
    from transformers.tokenization_utils_tokenizers import TokenizersBackend

    specials = {k: getattr(loaded, k) for k in ("bos_token", "eos_token", "unk_token", "pad_token")}
    specials = {k: v for k, v in specials.items() if v is not None}
    # add_bos_token=True makes transformers build the TemplateProcessing "<|begin_of_text|> $A"
    return TokenizersBackend(tokenizer_object=backend, add_bos_token=name == "llama-3", **specials)
