"""Saving a trained tokenizer to a folder, and loading such a folder back.

A byte-level BPE folder holds the two classic files and the one-file form:

* ``vocab.json`` (spelled token -> id) and ``merges.txt`` (``#version: 0.2`` then one
  ranked pair a line), as GPT-2 ships them;
* ``tokenizer.json``, Hugging Face ``tokenizers``' format (model, pre-tokenizer,
  decoder, added tokens), which ``tokenizers.Tokenizer.from_file`` and transformers'
  ``PreTrainedTokenizerFast(tokenizer_file=...)`` load as they are.

A WordPiece folder holds ``vocab.txt`` (one token a line, id = line number) and a
``tokenizer.json``; a SentencePiece-style BPE folder holds ``spm_bpe.json`` (pieces,
scores, types).

:func:`from_directory` picks the loader from what is in the folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import atomic_folder, write_text_atomic
from . import pretokenizers
from .gguf_vocab import MalformedVocabError

if TYPE_CHECKING:
    from .base import Tokenizer
    from .train_bpe import BPEResult


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


def save_byte_bpe(result: BPEResult, folder: str | Path) -> Path:
    """Write ``vocab.json``, ``merges.txt`` and ``tokenizer.json`` into ``folder``.

    All or nothing (:func:`scratch.files.atomic_folder`): if writing fails part-way, the
    files already in ``folder`` stay as they were, and a new folder is not left behind."""
    vocab = dict(sorted(result.vocab.items(), key=lambda kv: kv[1]))
    lines = ["#version: 0.2", *(f"{a} {b}" for a, b in result.merges)]
    with atomic_folder(folder) as staging:
        write_text_atomic(staging / "vocab.json", json.dumps(vocab, ensure_ascii=False))
        write_text_atomic(staging / "merges.txt", "\n".join(lines) + "\n")
        spec = byte_bpe_tokenizer_json(result)
        write_text_atomic(staging / "tokenizer.json", json.dumps(spec, ensure_ascii=False, indent=1))
    return Path(folder)


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
        from . import from_tokenizer_json

        tok = _load(from_tokenizer_json, spec_path)
    elif (folder / "tokenizer.model").is_file():  # SentencePiece (tokemb's Unigram trainer)
        from . import from_sentencepiece

        tok = _load(from_sentencepiece, folder / "tokenizer.model")
    elif (folder / "spm_bpe.json").is_file():
        from .train_spm_bpe import load_spm_bpe

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
