"""The folders a trained tokenizer is saved in, and loading such a folder back.

A byte-level BPE folder (:func:`save_byte_bpe`) holds the two classic files and the
one-file form:

* ``vocab.json`` (spelled token -> id) and ``merges.txt`` (``#version: 0.2`` then one
  ranked pair a line), as GPT-2 ships them;
* ``tokenizer.json``, Hugging Face ``tokenizers``' format (model, pre-tokenizer,
  decoder, added tokens), which ``tokenizers.Tokenizer.from_file`` and transformers'
  ``PreTrainedTokenizerFast(tokenizer_file=...)`` load as they are.

A WordPiece folder (:func:`save_vocab_txt`) holds ``vocab.txt`` (one token a line, id =
line number) and a ``tokenizer.json``; a SentencePiece-style BPE folder
(:func:`save_spm_bpe`) holds ``spm_bpe.json`` (pieces, scores, types); a Unigram folder
holds ``tokenizer.model`` (:func:`.sentencepiece_model.write_model`). Every save is all
or nothing (:func:`scratch.files.atomic_folder`): if writing fails part-way, the files
already in the folder stay as they were, and a new folder is not left behind.

:func:`from_directory` picks the loader from what is in the folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import TextDecodeError, atomic_folder, read_text, write_text_atomic
from . import pretokenizers
from .base import AddedToken, MalformedVocabError
from .gguf_vocab import BYTE, CONTROL, NORMAL, UNKNOWN
from .sentencepiece_bpe import SentencePieceBPE
from .sentencepiece_rules import META_PIECES
from .wordpiece import BERT_SPECIAL_TOKENS, CONTINUING_PREFIX

if TYPE_CHECKING:
    from .base import Tokenizer
    from .train_bpe import BPEResult
    from .train_spm_bpe import SpmBPEResult


def _added_tokens_json(special_tokens, vocab) -> list[dict]:
    return [
        {
            "id": vocab[t],
            "content": t,
            "single_word": False,
            "lstrip": False,
            "rstrip": False,
            "normalized": False,
            "special": True,
        }
        for t in special_tokens
    ]


def byte_bpe_tokenizer_json(result: BPEResult) -> dict:
    """The ``tokenizer.json`` structure of a trained byte-level BPE."""
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    if result.pretokenizer == "cl100k":
        pre_tokenizer = {
            "type": "Sequence",
            "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": pretokenizers.LLAMA3_PATTERN}, "behavior": "Isolated", "invert": False},
                {**byte_level, "use_regex": False},
            ],
        }
    else:
        pre_tokenizer = byte_level
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": _added_tokens_json(result.special_tokens, result.vocab),
        "normalizer": None,
        "pre_tokenizer": pre_tokenizer,
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": dict(sorted(result.vocab.items(), key=lambda kv: kv[1])),
            "merges": [[a, b] for a, b in result.merges],
        },
    }


# ---- byte-level BPE: vocab.json, merges.txt, tokenizer.json -----------------------------
def save_byte_bpe(result: BPEResult, folder: str | Path) -> Path:
    """Write ``vocab.json``, ``merges.txt`` and ``tokenizer.json`` into ``folder`` (all or nothing)."""
    vocab = dict(sorted(result.vocab.items(), key=lambda kv: kv[1]))
    lines = ["#version: 0.2", *(f"{a} {b}" for a, b in result.merges)]
    with atomic_folder(folder) as staging:
        write_text_atomic(staging / "vocab.json", json.dumps(vocab, ensure_ascii=False))
        write_text_atomic(staging / "merges.txt", "\n".join(lines) + "\n")
        spec = byte_bpe_tokenizer_json(result)
        write_text_atomic(staging / "tokenizer.json", json.dumps(spec, ensure_ascii=False, indent=1))
    return Path(folder)


# ---- WordPiece: vocab.txt, tokenizer.json ---------------------------------------------------
def wordpiece_tokenizer_json(vocab: dict[str, int], lowercase: bool = True) -> dict:
    """The ``tokenizer.json`` structure of a trained WordPiece vocabulary (BERT's pipeline)."""
    ordered = sorted(vocab, key=vocab.__getitem__)
    special = [t for t in ordered if t in BERT_SPECIAL_TOKENS]
    post = None
    if "[CLS]" in vocab and "[SEP]" in vocab:
        post = {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [vocab[t]], "tokens": [t]} for t in ("[CLS]", "[SEP]")},
        }  # fmt: skip
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": _added_tokens_json(special, vocab),
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": lowercase},  # fmt: skip
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": post,
        "decoder": {"type": "WordPiece", "prefix": CONTINUING_PREFIX, "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": CONTINUING_PREFIX,
                  "max_input_chars_per_word": 100, "vocab": {t: vocab[t] for t in ordered}},  # fmt: skip
    }


def save_vocab_txt(vocab: dict[str, int], folder: str | Path, lowercase: bool = True) -> Path:
    """Write ``vocab.txt`` (BERT's format) and a WordPiece ``tokenizer.json`` into ``folder`` (all or nothing)."""
    ordered = sorted(vocab, key=vocab.__getitem__)
    spec = wordpiece_tokenizer_json(vocab, lowercase)
    with atomic_folder(folder) as staging:
        write_text_atomic(staging / "vocab.txt", "\n".join(ordered) + "\n")
        write_text_atomic(staging / "tokenizer.json", json.dumps(spec, ensure_ascii=False, indent=1))
    return Path(folder)


# ---- SentencePiece-style BPE: spm_bpe.json ---------------------------------------------------
def save_spm_bpe(result: SpmBPEResult, folder: str | Path) -> Path:
    """Write ``spm_bpe.json`` (pieces, scores, types) into ``folder`` (all or nothing)."""
    spec = {"model": "spm-bpe", "pieces": result.pieces, "scores": result.scores, "types": result.types}
    with atomic_folder(folder) as staging:
        write_text_atomic(staging / "spm_bpe.json", json.dumps(spec, ensure_ascii=False))
    return Path(folder)


def load_spm_bpe(path: str | Path) -> SentencePieceBPE:
    """The tokenizer of a ``spm_bpe.json`` written by :func:`save_spm_bpe`.

    :class:`MalformedVocabError` naming the file when it is not valid JSON or not of
    that shape (lists of pieces, scores and types of one length, the types known)."""
    path = Path(path)
    try:
        spec = json.loads(read_text(path))
    except (TextDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise MalformedVocabError(f"{path}: not a valid spm_bpe.json ({exc})") from None
    pieces, scores, types = (spec.get(k) if isinstance(spec, dict) else None for k in ("pieces", "scores", "types"))
    if not (
        isinstance(pieces, list) and all(isinstance(p, str) and p for p in pieces)
        and isinstance(scores, list) and all(isinstance(s, (int, float)) and not isinstance(s, bool) for s in scores)
        and isinstance(types, list) and all(t in (NORMAL, UNKNOWN, CONTROL, BYTE) and not isinstance(t, bool) for t in types)
    ):  # fmt: skip
        raise MalformedVocabError(f"{path}: not a spm_bpe.json (lists 'pieces' of strings, 'scores' of numbers, 'types' of 1/2/3/6)")
    if not len(pieces) == len(scores) == len(types) or len(pieces) < len(META_PIECES) or len(set(pieces)) != len(pieces):
        raise MalformedVocabError(f"{path}: pieces, scores and types differ in length, or pieces are missing or repeated")
    added = [AddedToken(piece, i) for i, (piece, kind) in enumerate(zip(pieces, types)) if kind == CONTROL]
    return SentencePieceBPE(
        pieces, scores, types, unk_id=0, bos_id=1, eos_id=2, add_bos=False, add_eos=False,
        added_tokens=added, name=path.parent.name,
    )  # fmt: skip


# ---- loading ---------------------------------------------------------------------------------
def from_tokenizer_json(path: str | Path) -> Tokenizer:
    """A scratch tokenizer from a Hugging Face ``tokenizer.json``: its ``model.type`` picks the
    loader (``"WordPiece"``: BERT-style; ``"BPE"``: byte-level BPE)."""
    path = Path(path)
    try:
        model_type = json.loads(path.read_text(encoding="utf-8"))["model"]["type"]
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedVocabError(f"{path}: not a tokenizer.json ({exc!r})") from exc
    if model_type == "WordPiece":
        from .wordpiece import from_tokenizer_json as loader
    elif model_type == "BPE":
        from .byte_bpe import from_tokenizer_json as loader
    else:
        raise MalformedVocabError(f"{path}: model type {model_type!r} is not supported (WordPiece, BPE)")
    return loader(path)


def from_directory(path: str | Path) -> Tokenizer:
    """A scratch tokenizer from a folder written by ``tokemb train-tokenizer`` (or HF's ``save``).

    ``tokenizer.json`` is preferred (it knows the pre-tokenizer and special tokens);
    otherwise ``tokenizer.model`` (SentencePiece), ``spm_bpe.json``, ``vocab.json`` +
    ``merges.txt`` (GPT-2's regex) or ``vocab.txt`` (BERT). A file that is corrupt (bad
    JSON, wrong shapes, not UTF-8) is a :class:`MalformedVocabError` naming it.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: not a folder")
    spec_path = folder / "tokenizer.json"
    if spec_path.is_file():
        tok = _load(from_tokenizer_json, spec_path)
    elif (folder / "tokenizer.model").is_file():  # SentencePiece (tokemb's Unigram trainer)
        from .unigram import from_sentencepiece

        tok = _load(from_sentencepiece, folder / "tokenizer.model")
    elif (folder / "spm_bpe.json").is_file():
        tok = _load(load_spm_bpe, folder / "spm_bpe.json")
    elif (folder / "vocab.json").is_file() and (folder / "merges.txt").is_file():
        from .byte_bpe import from_vocab_merges

        tok = _load(from_vocab_merges, folder / "vocab.json", folder / "merges.txt")
    elif (folder / "vocab.txt").is_file():
        from .wordpiece import from_vocab_file

        tok = _load(lambda p: from_vocab_file(p, lowercase=True), folder / "vocab.txt")
    else:
        raise MalformedVocabError(f"{folder}: no tokenizer.json, tokenizer.model, spm_bpe.json, vocab.json + merges.txt or vocab.txt")
    tok.name = folder.name
    return tok


def _load(loader, *paths: Path) -> Tokenizer:
    """``loader(*paths)``, with any sign of a corrupt file turned into :class:`MalformedVocabError`.

    The loaders check what they know to check; a file damaged in a way they do not
    foresee (a list where an object should be, a string where a number should be, JSON
    nested too deep) surfaces as one of these built-in errors, which here become one
    message naming the file(s)."""
    names = " + ".join(str(p) for p in paths)
    try:
        return loader(*paths)
    except MalformedVocabError as exc:
        if any(str(p) in str(exc) for p in paths):
            raise
        raise MalformedVocabError(f"{names}: {exc}") from exc
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as exc:
        raise MalformedVocabError(f"{names}: not a valid tokenizer file ({type(exc).__name__}: {exc})") from exc
