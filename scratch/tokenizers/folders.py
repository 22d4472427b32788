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
(:func:`save_spm_bpe`) holds ``spm_bpe.json`` (pieces, scores, types) and a
``tokenizer.json``; a Unigram folder (:func:`save_unigram`) holds ``tokenizer.model``
(:func:`.sentencepiece_model.write_model`) and, where ``tokenizers`` can do what it does,
a ``tokenizer.json``. Each ``tokenizer.json`` is the tokenizer's own
(:meth:`~.base.Tokenizer.to_tokenizer_json`, built in :mod:`.tokenizer_json`). Every save is all
or nothing (:func:`scratch.files.atomic_folder`): if writing fails part-way, the files
already in the folder stay as they were, and a new folder is not left behind.

:func:`from_directory` picks the loader from what is in the folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import TextDecodeError, atomic_folder, read_text, write_text_atomic
from .base import AddedToken, MalformedVocabError, NotExpressibleError
from .gguf_vocab import BYTE, CONTROL, NORMAL, UNKNOWN
from .sentencepiece_bpe import SentencePieceBPE
from .sentencepiece_model import SentencePieceModel, write_model
from .sentencepiece_rules import META_PIECES
from .wordpiece import BERT_SPECIAL_TOKENS, WordPieceTokenizer

if TYPE_CHECKING:
    from .base import Tokenizer
    from .byte_bpe import ByteLevelBPE
    from .train_bpe import BPEResult
    from .train_spm_bpe import SpmBPEResult


def trained_byte_bpe(result: BPEResult) -> ByteLevelBPE:
    """The tokenizer of a trained byte-level BPE (its special tokens are special added tokens)."""
    from .byte_bpe import ByteLevelBPE
    from .train_bpe import pre_tokenizer_for

    tokens = sorted(result.vocab, key=result.vocab.__getitem__)
    added = [AddedToken(t, result.vocab[t]) for t in result.special_tokens]
    return ByteLevelBPE(tokens, result.merges, pre_tokenizer_for(result.pretokenizer), added, name="bpe")


def _json_text(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False, indent=1)


# ---- byte-level BPE: vocab.json, merges.txt, tokenizer.json -----------------------------
def save_byte_bpe(result: BPEResult, folder: str | Path) -> Path:
    """Write ``vocab.json``, ``merges.txt`` and ``tokenizer.json`` into ``folder`` (all or nothing)."""
    vocab = dict(sorted(result.vocab.items(), key=lambda kv: kv[1]))
    lines = ["#version: 0.2", *(f"{a} {b}" for a, b in result.merges)]
    with atomic_folder(folder) as staging:
        write_text_atomic(staging / "vocab.json", json.dumps(vocab, ensure_ascii=False))
        write_text_atomic(staging / "merges.txt", "\n".join(lines) + "\n")
        write_text_atomic(staging / "tokenizer.json", _json_text(trained_byte_bpe(result).to_tokenizer_json()))
    return Path(folder)


# ---- WordPiece: vocab.txt, tokenizer.json ---------------------------------------------------
def trained_wordpiece(vocab: dict[str, int], lowercase: bool = True) -> WordPieceTokenizer:
    """The tokenizer of a trained WordPiece vocabulary, with BERT's pipeline: its BERT special
    tokens are special added tokens, ``[CLS] ... [SEP]`` around a sequence when both exist.
    :class:`MalformedVocabError` without ``[UNK]``."""
    ordered = sorted(vocab, key=vocab.__getitem__)
    added = [AddedToken(t, vocab[t]) for t in ordered if t in BERT_SPECIAL_TOKENS]
    wrap = "[CLS]" in vocab and "[SEP]" in vocab
    return WordPieceTokenizer(ordered, lowercase=lowercase, added_tokens=added, cls_token="[CLS]" if wrap else None,
                              sep_token="[SEP]" if wrap else None, name="wordpiece")  # fmt: skip


def save_vocab_txt(vocab: dict[str, int], folder: str | Path, lowercase: bool = True) -> Path:
    """Write ``vocab.txt`` (BERT's format) and a WordPiece ``tokenizer.json`` into ``folder`` (all or
    nothing; no ``tokenizer.json`` for a vocabulary without ``[UNK]``)."""
    ordered = sorted(vocab, key=vocab.__getitem__)
    spec = trained_wordpiece(vocab, lowercase).to_tokenizer_json() if "[UNK]" in vocab else None
    with atomic_folder(folder) as staging:
        write_text_atomic(staging / "vocab.txt", "\n".join(ordered) + "\n")
        if spec is not None:
            write_text_atomic(staging / "tokenizer.json", _json_text(spec))
    return Path(folder)


# ---- SentencePiece-style BPE: spm_bpe.json ---------------------------------------------------
def save_spm_bpe(result: SpmBPEResult, folder: str | Path) -> Path:
    """Write ``spm_bpe.json`` (pieces, scores, types) and its ``tokenizer.json`` into ``folder``
    (all or nothing; no ``tokenizer.json`` where ``tokenizers`` cannot do what it does, see
    :func:`.tokenizer_json.sentencepiece_bpe`)."""
    spec = {"model": "spm-bpe", "pieces": result.pieces, "scores": result.scores, "types": result.types}
    tokenizer = spm_bpe_tokenizer(result.pieces, result.scores, result.types, Path(folder).name)
    with atomic_folder(folder) as staging:
        write_text_atomic(staging / "spm_bpe.json", json.dumps(spec, ensure_ascii=False))
        _write_tokenizer_json(tokenizer, staging)
    return Path(folder)


def _write_tokenizer_json(tokenizer: Tokenizer, folder: Path) -> None:
    """``folder/tokenizer.json`` for ``tokenizer``, unless it cannot be expressed as one."""
    try:
        spec = tokenizer.to_tokenizer_json()
    except NotExpressibleError:
        return
    write_text_atomic(folder / "tokenizer.json", _json_text(spec))


def spm_bpe_tokenizer(pieces: list[str], scores: list[float], types: list[int], name: str) -> SentencePieceBPE:
    """The tokenizer of a trained SentencePiece-style BPE: control pieces are special added
    tokens, ``<unk>`` (id 0) the unknown piece, no BOS or EOS added."""
    added = [AddedToken(piece, i) for i, (piece, kind) in enumerate(zip(pieces, types)) if kind == CONTROL]
    return SentencePieceBPE(
        pieces, scores, types, unk_id=0, bos_id=1, eos_id=2, add_bos=False, add_eos=False,
        added_tokens=added, name=name,
    )  # fmt: skip


def save_unigram(model: SentencePieceModel, folder: str | Path) -> Path:
    """Write a Unigram model as ``tokenizer.model`` (SentencePiece's file) and, where
    ``tokenizers`` can do what it does, ``tokenizer.json`` into ``folder`` (all or nothing)."""
    from .unigram import UnigramTokenizer

    tokenizer = UnigramTokenizer(model, name=Path(folder).name)
    with atomic_folder(folder) as staging:
        write_model(model, staging / "tokenizer.model")
        _write_tokenizer_json(tokenizer, staging)
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
    return spm_bpe_tokenizer(pieces, scores, types, path.parent.name)


# ---- loading ---------------------------------------------------------------------------------
def from_tokenizer_json(path: str | Path) -> Tokenizer:
    """A scratch tokenizer from any Hugging Face ``tokenizer.json``: the whole pipeline
    (:class:`.pipeline.tokenizer.PipelineTokenizer`), every stage built from scratch, or a
    refusal at load naming what is not built.

    When the file is exactly what one of the chapter's specialised tokenizers writes (a
    byte-level BPE or a BERT WordPiece: its own :meth:`~.base.Tokenizer.to_tokenizer_json`,
    read back through the same stages, equals the file's), ``encode`` runs on that
    tokenizer's fast path; everything else (offsets, pairs, decoding) runs on the pipeline.
    """
    from .pipeline.tokenizer import PipelineTokenizer

    path = Path(path)
    pipeline = PipelineTokenizer.from_file(path)
    pipeline.name = path.parent.name or path.stem
    pipeline.fast = fast_equivalent(pipeline, path)
    return pipeline


def fast_equivalent(pipeline, path: Path) -> Tokenizer | None:
    """The specialised tokenizer that does exactly what ``pipeline`` does, or ``None``.

    The family's loader reads the file; its tokenizer describes itself as a
    ``tokenizer.json``; only when that description, built into a pipeline, serializes to
    the same stages as the file (truncation and padding aside: ``encode`` does not apply
    them) is it used. So a file the loader half-understands never reaches the fast path."""
    from .base import NotExpressibleError
    from .pipeline.tokenizer import PipelineTokenizer

    model_type = pipeline.model.to_json().get("type")
    if model_type == "WordPiece":
        from .wordpiece import from_tokenizer_json as loader
    elif model_type == "BPE":
        from .byte_bpe import from_tokenizer_json as loader
    else:
        return None
    try:
        fast = loader(path)
        described = PipelineTokenizer.from_json(fast.to_tokenizer_json()).to_json()
    except (MalformedVocabError, NotExpressibleError):
        return None
    return fast if _what_encode_sees(described) == _what_encode_sees(pipeline.to_json()) else None


def _what_encode_sees(spec: dict) -> dict:
    """The parts of a ``tokenizer.json`` that decide ``encode(text)``'s ids: all but the
    decoder, the truncation and padding (``encode`` does not apply them), and of the
    post-processor only the ids it puts around one sequence (a ``RobertaProcessing`` and
    a ``TemplateProcessing`` that add the same tokens are the same here)."""
    from .pipeline.encoding import Encoding
    from .pipeline.post_processors import post_processor_from_json

    seen = {k: v for k, v in spec.items() if k not in ("decoder", "truncation", "padding", "post_processor")}
    post = post_processor_from_json(spec.get("post_processor"))
    seen["post_processor"] = [[-1], [-1]]
    if post is not None:
        marker = Encoding()
        marker.append(-1, "", (0, 0))
        seen["post_processor"] = [post.process(marker, None, flag).ids for flag in (True, False)]
    model = dict(seen["model"])
    for key in ("continuing_subword_prefix", "end_of_word_suffix"):  # "" and None: no prefix
        model[key] = model.get(key) or None
    seen["model"] = model
    seen["pre_tokenizer"] = _without_trim_offsets(seen.get("pre_tokenizer"))
    return seen


def _without_trim_offsets(spec):
    """A pre-tokenizer's JSON without ``trim_offsets`` (ByteLevel's, which only offsets read)."""
    if isinstance(spec, dict):
        return {k: _without_trim_offsets(v) for k, v in spec.items() if k != "trim_offsets"}
    if isinstance(spec, list):
        return [_without_trim_offsets(v) for v in spec]
    return spec


def from_directory(path: str | Path) -> Tokenizer:
    """A scratch tokenizer from a folder written by ``tokemb train-tokenizer`` (or HF's ``save``).

    SentencePiece's own ``tokenizer.model`` and ``spm_bpe.json`` come first (they hold the
    scores, which a ``tokenizer.json`` written beside them has turned into merges); then
    ``tokenizer.json`` (it knows the pre-tokenizer and special tokens); otherwise
    ``vocab.json`` + ``merges.txt`` (GPT-2's regex) or ``vocab.txt`` (BERT). A file that is corrupt (bad
    JSON, wrong shapes, not UTF-8) is a :class:`MalformedVocabError` naming it.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: not a folder")
    spec_path = folder / "tokenizer.json"
    if (folder / "tokenizer.model").is_file():  # SentencePiece (tokemb's Unigram trainer)
        from .unigram import from_sentencepiece

        tok = _load(from_sentencepiece, folder / "tokenizer.model")
    elif (folder / "spm_bpe.json").is_file():
        tok = _load(load_spm_bpe, folder / "spm_bpe.json")
    elif spec_path.is_file():
        tok = _load(from_tokenizer_json, spec_path)
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
