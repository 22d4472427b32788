"""Tokenizers from scratch: WordPiece (BERT), byte-level BPE (GPT-2 family),
SentencePiece BPE with byte fallback (Llama-2, Phi-3) and character BPE with byte
fallback (Gemma 4).

    >>> from scratch import tokenizers
    >>> tok = tokenizers.load("gpt2")
    >>> tok.encode("🎵")
    [8582, 236, 113]

``load(name)`` knows the pretrained tokenizers of chapter 2 (their files come from
``scratch.artifacts``); ``from_gguf(path)`` reads any GGUF vocabulary of these kinds,
``from_tokenizer_json(path)`` any Hugging Face ``tokenizer.json`` (the whole pipeline of
normalizer, pre-tokenizer, model, post-processor and decoder, :mod:`.pipeline`) and
``from_directory(path)`` a folder written by ``tokemb train-tokenizer``. Every tokenizer
saves itself as a ``tokenizer.json`` (``save(path)``) where that format can say what it does.

:mod:`.tiktoken_api` gives the byte-level encodings tiktoken's surface
(``from scratch.tokenizers import tiktoken_api as tiktoken``; ``tiktoken.get_encoding("cl100k_base")``).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from .base import (
    AddedToken,
    AddedTokenSplitter,
    InvalidTextError,
    MalformedVocabError,
    NotExpressibleError,
    Tokenizer,
    TrainingError,
)
from .gguf_vocab import read_gguf_vocab, resolve_pre


@dataclass(frozen=True)
class Pretrained:
    """Where a pretrained tokenizer's files are, and which loader reads them."""

    name: str
    artifact: str  # name in scratch.artifacts
    file: str  # the file in that artifact the loader opens
    loader: str  # "wordpiece-cased", "wordpiece-uncased", "bpe-vocab-merges", "tiktoken", "gguf", "sentencepiece-model"
    model: str  # the model it belongs to, for display


def llama_cpp_vocab(name: str, vocab: str, model: str) -> Pretrained:
    """A vocabulary-only GGUF of llama.cpp's test set (``ggml-vocab-<vocab>.gguf``, artifact ``gguf-vocabs``)."""
    return Pretrained(name, "gguf-vocabs", f"ggml-vocab-{vocab}.gguf", "gguf", model)


PRETRAINED: dict[str, Pretrained] = {
    p.name: p
    for p in [
        Pretrained("bert-base-uncased", "bert-base-uncased", "vocab.txt", "wordpiece-uncased", "BERT (uncased)"),
        Pretrained("bert-base-cased", "bert-base-cased", "vocab.txt", "wordpiece-cased", "BERT (cased)"),
        Pretrained("gpt2", "gpt2", "vocab.json", "bpe-vocab-merges", "GPT-2"),
        Pretrained("cl100k_base", "cl100k_base", "cl100k_base.tiktoken", "tiktoken", "GPT-4 (cl100k_base)"),
        llama_cpp_vocab("llama-2", "llama-spm", "Llama-2"),
        llama_cpp_vocab("phi-3", "phi-3", "Phi-3-mini"),
        llama_cpp_vocab("starcoder2", "starcoder", "StarCoder2"),
        llama_cpp_vocab("qwen2", "qwen2", "Qwen2"),
        llama_cpp_vocab("llama-3", "llama-bpe", "Llama-3"),
        Pretrained("smollm2", "smollm2-135m-instruct", "SmolLM2-135M-Instruct.Q4_1.gguf", "gguf", "SmolLM2-135M"),
        Pretrained("botchan-unigram", "sentencepiece-models", "botchan_en_unigram_1000.model", "sentencepiece-model", "SentencePiece Unigram (botchan, 1000)"),
        Pretrained("kyoto-unigram", "sentencepiece-models", "kyoto_ja_unigram_8000.model", "sentencepiece-model", "SentencePiece Unigram (kyoto, 8000)"),
    ]
}


def pretrained_path(name: str) -> Path:
    """The local file of pretrained tokenizer ``name``, fetched and verified if needed."""
    from scratch.artifacts import fetch_file  # standard-library-only fetcher

    if name not in PRETRAINED:
        raise KeyError(f"unknown tokenizer {name!r}; known: {', '.join(PRETRAINED)}")
    entry = PRETRAINED[name]
    return fetch_file(entry.artifact, entry.file)


def load(name: str, compiled: bool = True) -> Tokenizer:
    """A scratch tokenizer for one of :data:`PRETRAINED`'s names.

    A byte-level BPE tokenizer is built from its files once and kept compiled in the
    artifact cache (:func:`compiled_path`, :func:`.byte_bpe.save_compiled`: the packed merge
    table as arrays, the vocabulary, the settings); later loads read that, which takes a
    fraction of the time (reading and checking a rank file or a GGUF vocabulary, and
    listing every merge, is what loading costs). The file's name and content carry a key
    made of the source files' sha256, the compiled format and the tokenizer modules' code,
    so a file made from other sources or by other code is never used; one that does not
    match its own digest is said to be corrupted and is built again. ``compiled=False``
    builds from the files and leaves the cache alone (the readable path, which tests compare
    the compiled one with)."""
    if not compiled:
        return _build(name, pretrained_path(name))
    path = pretrained_path(name)
    if PRETRAINED[name].loader in _NEVER_COMPILED:
        return _build(name, path)
    from scratch.artifacts import say

    from .byte_bpe import ByteLevelBPE, CompiledTokenizerError, load_compiled, save_compiled

    target, key = compiled_path(name), _compiled_key(name)
    if target.is_file():
        try:
            return load_compiled(target, key)
        except CompiledTokenizerError as error:
            say(f"{error}; building {name} from its files again")
    tok = _build(name, path)
    if isinstance(tok, ByteLevelBPE):
        try:
            save_compiled(tok, target, key)
        except OSError as error:
            say(f"could not keep {name} compiled in {target} ({error}); it is built from its files each time")
        else:
            for old in target.parent.glob(f"{name}.*.npz"):
                if old != target and old.name.count(".") == 2:
                    old.unlink(missing_ok=True)
    return tok


#: Loaders whose tokenizers are not byte-level BPE (nothing to compile: they load in
#: milliseconds to a few tenths of a second).
_NEVER_COMPILED = ("wordpiece-cased", "wordpiece-uncased", "sentencepiece-model")


def compiled_path(name: str) -> Path:
    """Where :func:`load` keeps pretrained tokenizer ``name`` compiled:
    ``<cache>/derived/tokenizers/<name>.<key>.npz`` (the key's first 16 hex digits)."""
    from scratch.artifacts import cache_dir

    return cache_dir() / "derived" / "tokenizers" / f"{name}.{_compiled_key(name)[:16]}.npz"


def _compiled_key(name: str) -> str:
    """sha256 of what a compiled tokenizer is made from: the compiled format, the entry of
    :data:`PRETRAINED`, the pinned sha256 of every file its loader reads (the artifact store
    has verified each), and the source of the tokenizer modules (a change to a loader or a
    pre-tokenizer table must not keep serving what the old code built)."""
    from scratch.artifacts import ARTIFACTS

    from .byte_bpe import COMPILED_FORMAT

    entry = PRETRAINED[name]
    files = [entry.file, "merges.txt"] if entry.loader == "bpe-vocab-merges" else [entry.file]
    pinned = ARTIFACTS[entry.artifact].files
    parts = [f"format {COMPILED_FORMAT}", repr(entry), *(f"{f} {pinned[f]}" for f in files), _code_digest()]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def _build(name: str, path: Path) -> Tokenizer:
    """Pretrained tokenizer ``name`` built by its loader from its file ``path``."""
    loader = PRETRAINED[name].loader
    if loader.startswith("wordpiece"):
        from .wordpiece import from_vocab_file

        tok = from_vocab_file(path, lowercase=loader == "wordpiece-uncased")
    elif loader == "bpe-vocab-merges":
        from .byte_bpe import from_vocab_merges

        tok = from_vocab_merges(path, path.with_name("merges.txt"))
    elif loader == "tiktoken":
        from .byte_bpe import from_tiktoken

        tok = from_tiktoken(path)
    elif loader == "sentencepiece-model":
        tok = from_sentencepiece(path)
    else:
        tok = from_gguf(path)
    tok.name = name
    return tok


def from_directory(path: str | Path) -> Tokenizer:
    """A tokenizer trained by tokemb (``tokemb train-tokenizer``), from its output folder."""
    from .folders import from_directory as load_folder

    return load_folder(path)


def from_sentencepiece(path: str | Path) -> Tokenizer:
    """A scratch tokenizer from a SentencePiece ``.model`` file (Unigram models)."""
    from .unigram import from_sentencepiece as load_unigram

    return load_unigram(path)


def from_tokenizer_json(path: str | Path) -> Tokenizer:
    """Any Hugging Face ``tokenizer.json`` that the ``tokenizers`` library loads, built from
    scratch as the five stages (:mod:`.pipeline`), or refused at load naming what is not built
    (:class:`.pipeline.spec.UnsupportedComponentError`)."""
    from .folders import from_tokenizer_json as load_json

    return load_json(path)


def from_gguf(path: str | Path, pre: str | None = None) -> Tokenizer:
    """A scratch tokenizer from the vocabulary stored in any GGUF file.

    ``tokenizer.ggml.model`` picks the model (``gpt2`` byte-level BPE, ``llama``
    SentencePiece BPE, ``bert`` WordPiece, ``gemma4`` character BPE, ``t5`` SentencePiece
    unigram) and, for byte-level BPE, ``tokenizer.ggml.pre`` the split rules
    (:func:`.pretokenizers.for_gguf_pre`). A file without a pre-tokenizer name
    (``"default"``) is split by its original rules when its vocabulary is recognised
    (:func:`.gguf_vocab.resolve_pre`: GPT-NeoX, Aquila), and refused otherwise; ``pre``
    names the rules instead of the file (any name of :data:`.pretokenizers.GGUF_PRE_TOKENIZERS`),
    for a file whose original tokenizer one knows."""
    vocab = read_gguf_vocab(path)
    vocab.pre = pre if pre is not None else resolve_pre(vocab)
    if vocab.model == "gpt2":
        from .byte_bpe import from_gguf_vocab
    elif vocab.model == "llama":
        from .sentencepiece_bpe import from_gguf_vocab
    elif vocab.model == "bert":
        from .wordpiece import from_gguf_vocab
    elif vocab.model == "gemma4":
        from .char_bpe import from_gguf_vocab
    elif vocab.model == "t5":
        from .unigram import from_gguf_vocab
    elif vocab.model in GGUF_MODELS_NOT_BUILT:
        why = GGUF_MODELS_NOT_BUILT[vocab.model]
        raise MalformedVocabError(f"{path}: tokenizer model {vocab.model!r} is not supported: {why}")
    else:
        raise MalformedVocabError(f"{path}: unknown tokenizer model {vocab.model!r}; known: gpt2, llama, bert, gemma4, t5; refused: {', '.join(GGUF_MODELS_NOT_BUILT)}")
    tok = from_gguf_vocab(vocab)
    if vocab.model == "gpt2":
        _apply_gguf_pre_flags(tok, vocab)
    return tok


def _apply_gguf_pre_flags(tok, vocab) -> None:
    """What llama.cpp switches on for the pre-tokenizer name besides the split
    (:data:`.pretokenizers.GGUF_PRE_FLAGS`): whole-chunk lookup (``ignore_merges``) and, when
    the file has no ``add_bos_token``, BOS in front. (The byte-level loader knows the
    Llama-3 names itself; this covers the rest of llama.cpp's table.)"""
    from .pretokenizers import GGUF_PRE_FLAGS

    flags = GGUF_PRE_FLAGS.get(vocab.pre, {})
    if flags.get("ignore_merges"):
        tok.ignore_merges = True
    if flags.get("add_bos") and vocab.add_bos is None and tok.bos_id is None:
        if "bos" not in vocab.special_ids:
            raise MalformedVocabError(f"{vocab.path}: pre-tokenizer {vocab.pre!r} adds BOS but there is no bos_token_id")
        tok.bos_id = vocab.special_ids["bos"]


#: llama.cpp's other ``tokenizer.ggml.model`` values (``llama_vocab::impl::load``), and what
#: building them would take.
GGUF_MODELS_NOT_BUILT = {
    "rwkv": "RWKV's greedy trie tokenizer is not built",
    "plamo2": "PLaMo-2's Aho-Corasick tokenizer is not built",
    "hybriddna": "HybriDNA's k-mer vocabulary (BPE with marker-suffixed k-mers) is not built",
    "whitespace": "the whitespace-split tokenizer (jina-embeddings-v2-base-zh: \\S+ chunks on raw UTF-8) is not built",
    "no_vocab": "the file has no vocabulary (a model without a tokenizer)",
    "none": "the file has no vocabulary (a model without a tokenizer)",
    "test": "llama.cpp's internal test vocabulary type has no tokenizer to build",
}


__all__ = [
    "AddedToken",
    "AddedTokenSplitter",
    "InvalidTextError",
    "MalformedVocabError",
    "NotExpressibleError",
    "PRETRAINED",
    "Tokenizer",
    "TrainingError",
    "compiled_path",
    "from_directory",
    "from_gguf",
    "from_sentencepiece",
    "from_tokenizer_json",
    "load",
    "pretrained_path",
    "read_gguf_vocab",
]
