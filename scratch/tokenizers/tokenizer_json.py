"""Saving a scratch tokenizer as a Hugging Face ``tokenizer.json``: one builder per kind of
tokenizer, each describing the same tokenizer in the reference's five stages.

A ``tokenizer.json`` (the format of Hugging Face ``tokenizers``, read by
``tokenizers.Tokenizer.from_file`` and transformers' ``PreTrainedTokenizerFast``) is the
pipeline written out: ``added_tokens`` (matched in the raw text first, with their flags),
``normalizer``, ``pre_tokenizer``, ``model``, ``post_processor`` (the special tokens put
around a sequence) and ``decoder``. Every JSON object here is the one ``tokenizers``
0.23 itself writes for that component (``tokenizers/src/**/serialization``: ``"type"``
first, then the options).

=====================  ==================================================================
scratch tokenizer      its ``tokenizer.json``
=====================  ==================================================================
:class:`.ByteLevelBPE`  optional ``NFC``; the split steps of its :class:`.PreTokenizer` as
                        ``Split(Regex, "Isolated")`` / ``Digits`` / ``Punctuation`` and a
                        ``ByteLevel`` (with GPT-2's regex, or ``use_regex=False`` after a
                        ``Split``); ``BPE`` with the ranked merges and ``ignore_merges``;
                        ``ByteLevel`` decoder; BOS as a ``TemplateProcessing``
WordPiece               ``BertNormalizer`` + ``BertPreTokenizer`` + ``WordPiece``,
                        ``[CLS] $A [SEP]``, ``WordPiece`` decoder (BERT's file)
SentencePiece BPE       ``Prepend("▁")`` + ``Replace(" ", "▁")``; ``BPE`` with
                        ``byte_fallback``, merges made from the scores; decoder
                        ``Replace("▁", " ")``, ``ByteFallback``, ``Fuse``, ``Strip(1, 0)``
                        (Llama-2's file)
character BPE (Gemma)   ``Replace(" ", "▁")``; ``BPE`` with ``byte_fallback``; decoder
                        ``Replace``, ``ByteFallback``, ``Fuse``
Unigram                 refused: ``tokenizers``' ``Unigram`` matches control and byte
                        pieces in the text (see :func:`unigram`)
=====================  ==================================================================

Where ``tokenizers`` cannot do exactly what the scratch tokenizer does, saving is refused
with :class:`NotExpressibleError` naming what cannot be expressed: a file that gave other
ids on some text would be worse than no file.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from .base import AddedToken, NotExpressibleError
from .bytes_to_unicode import is_spelled
from .pretokenizers import GPT2_PATTERN, Isolate, PreTokenizer
from .sentencepiece_model import BYTE, CONTROL, UNKNOWN
from .sentencepiece_rules import SPACE, byte_piece_value


# ---- the envelope and the small parts ----------------------------------------------------
def document(*, model: dict, added_tokens: list[dict] = (), normalizer: dict | None = None,  # type: ignore[assignment]
             pre_tokenizer: dict | None = None, post_processor: dict | None = None,
             decoder: dict | None = None) -> dict:  # fmt: skip
    """The whole ``tokenizer.json`` object, its keys in the order ``tokenizers`` writes them."""
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": sorted(added_tokens, key=lambda t: t["id"]),
        "normalizer": normalizer,
        "pre_tokenizer": pre_tokenizer,
        "post_processor": post_processor,
        "decoder": decoder,
        "model": model,
    }


def added_token(token: AddedToken, normalized: bool = False) -> dict:
    """One entry of ``added_tokens`` (``AddedToken`` with its id; tokenizers' ``AddedTokenWithId``)."""
    return {
        "id": token.id,
        "content": token.content,
        "single_word": token.single_word,
        "lstrip": token.lstrip,
        "rstrip": token.rstrip,
        "normalized": normalized,
        "special": token.special,
    }


def sequence(kind: str, items: list[dict]) -> dict | None:
    """``items`` as one component: nothing, the one item, or a ``Sequence`` of them
    (``"pretokenizers"``, ``"normalizers"``, ``"decoders"`` hold the list)."""
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    return {"type": "Sequence", kind: items}


def template_processing(front: Sequence[tuple[str, int]], back: Sequence[tuple[str, int]] = (),
                        bert_pair: bool = False) -> dict | None:  # fmt: skip
    """``TemplateProcessing`` putting the special tokens ``front`` (``(content, id)``) before a
    sequence and ``back`` after it (``"<s> $A </s>"``); the pair template repeats them around
    ``$B`` with type id 1, as Llama's files do, or only ``back`` (``bert_pair``: BERT's
    ``[CLS] $A [SEP] $B:1 [SEP]:1``). None when there is nothing to add."""
    if not front and not back:
        return None

    def part(tokens: Sequence[tuple[str, int]], type_id: int) -> list[dict]:
        return [{"SpecialToken": {"id": content, "type_id": type_id}} for content, _ in tokens]

    single = [*part(front, 0), {"Sequence": {"id": "A", "type_id": 0}}, *part(back, 0)]
    pair = [*single, *part(() if bert_pair else front, 1), {"Sequence": {"id": "B", "type_id": 1}}, *part(back, 1)]
    special = {content: {"id": content, "ids": [id], "tokens": [content]} for content, id in [*front, *back]}
    return {"type": "TemplateProcessing", "single": single, "pair": pair, "special_tokens": special}


def bpe_model(vocab: Mapping[str, int], merges: Iterable[tuple[str, str]], *, unk_token: str | None = None,
              byte_fallback: bool = False, fuse_unk: bool = False, ignore_merges: bool = False) -> dict:  # fmt: skip
    """A ``BPE`` model: ``vocab`` (token -> id) and the merges in rank order."""
    return {
        "type": "BPE",
        "dropout": None,
        "unk_token": unk_token,
        "continuing_subword_prefix": None,
        "end_of_word_suffix": None,
        "fuse_unk": fuse_unk,
        "byte_fallback": byte_fallback,
        "ignore_merges": ignore_merges,
        "vocab": dict(sorted(vocab.items(), key=lambda item: item[1])),
        "merges": [[a, b] for a, b in merges],
    }


def replace(old: str, new: str) -> dict:
    """``Replace(String(old), new)``: the normalizer and the decoder have the same JSON."""
    return {"type": "Replace", "pattern": {"String": old}, "content": new}


def byte_fallback_decoders() -> list[dict]:
    """``▁`` back to spaces, runs of ``<0xNN>`` tokens back to text (one U+FFFD per byte when
    not UTF-8), all joined: the decoders of Llama-2's and Gemma's files."""
    return [replace(SPACE, " "), {"type": "ByteFallback"}, {"type": "Fuse"}]


def check_merges_in_vocab(name: str, vocab: Mapping[str, int], merges: Iterable[tuple[str, str]]) -> None:
    """``tokenizers`` refuses a merge whose parts or result are not in the vocabulary."""
    for left, right in merges:
        for token in (left, right, left + right):
            if token not in vocab:
                raise NotExpressibleError(f"{name}: merge {left!r} + {right!r} uses {token!r}, which is not in the vocabulary")


def vocabulary_with_added(name: str, vocab: Mapping[str, int], added_tokens: Sequence[AddedToken],
                          may_add=lambda token: False) -> dict[str, int]:  # fmt: skip
    """The model's vocabulary, such that ``tokenizers`` gives every added token its id.

    Loading a ``tokenizer.json``, ``tokenizers`` gives an added token the id of its content in
    the model's vocabulary, and to content that is not there the next free id (one past the
    vocabulary, or past the largest added id); the ``id`` written beside it is only checked.
    Content that ``may_add`` (text the model can never see whole, such as MPT's raw runs of
    spaces in a byte-level vocabulary) is put into the vocabulary with its id; any other
    added token whose id would come out otherwise is refused."""
    vocab = dict(vocab)
    for token in added_tokens:
        if token.content not in vocab and may_add(token):
            vocab[token.content] = token.id
    largest = None
    for token in sorted(added_tokens, key=lambda t: t.id):
        given = vocab.get(token.content)
        if given is None:
            given = largest + 1 if largest is not None and largest >= len(vocab) else len(vocab)
        if given != token.id:
            raise NotExpressibleError(
                f"{name}: added token {token.content!r} has id {token.id}, but a tokenizer.json gives it id {given}"
            )
        largest = given if largest is None else max(largest, given)
    return vocab


# ---- byte-level BPE ------------------------------------------------------------------------
def byte_level(use_regex: bool) -> dict:
    return {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": use_regex}


#: Oniguruma (``tokenizers``' regex engine, Ruby syntax) reads ``X{1,3}+`` as ``(X{1,3})+``:
#: only ``?+``, ``*+`` and ``++`` are possessive there. An interval followed by ``+``.
_POSSESSIVE_INTERVAL = re.compile(r"\{\d*,?\d*\}\+")


def oniguruma_pattern(pattern: str) -> str:
    r"""``pattern`` (as tiktoken and the ``regex`` module read it) spelled so that Oniguruma
    reads it the same: a possessive interval ``X{n,m}+`` becomes the atomic group
    ``(?>X{n,m})`` (cl100k_base's ``\p{N}{1,3}+``). Everything else is kept.

    The atom before the interval is an escape (``\p{N}``, ``\d``, ``\.``), a bracketed class,
    a group or one character."""
    atoms: list[str] = []
    i = 0
    while i < len(pattern):
        found = _POSSESSIVE_INTERVAL.match(pattern, i)
        if found and atoms:
            atoms[-1] = f"(?>{atoms[-1]}{found.group()[:-1]})"
            i = found.end()
            continue
        end = _atom_end(pattern, i)
        atoms.append(pattern[i:end])
        i = end
    return "".join(atoms)


def _atom_end(pattern: str, i: int) -> int:
    """Where the atom starting at ``pattern[i]`` ends (see :func:`oniguruma_pattern`)."""
    ch = pattern[i]
    if ch == "\\":
        if pattern.startswith(("\\p{", "\\P{"), i) and "}" in pattern[i:]:
            return pattern.index("}", i) + 1
        return i + 2
    if ch == "[":
        return _class_end(pattern, i)
    if ch != "(":
        return i + 1
    depth, j = 0, i
    while j < len(pattern):
        c = pattern[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class_end(pattern, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return len(pattern)


def _class_end(pattern: str, i: int) -> int:
    """Where the bracketed class starting at ``pattern[i]`` ends (nested classes included)."""
    j = i + 1
    if pattern.startswith("^", j):
        j += 1
    if pattern.startswith("]", j):  # a literal ] first
        j += 1
    while j < len(pattern):
        c = pattern[j]
        if c == "\\":
            j += 2
        elif c == "[":
            j = _class_end(pattern, j)
        elif c == "]":
            return j + 1
        else:
            j += 1
    return len(pattern)


def _step(step: Isolate, name: str) -> dict:
    """One :class:`.Isolate` step as the component that does it in ``tokenizers``."""
    if step.numeric:
        if step.pattern not in (r"\p{N}", r"\p{N}+"):
            raise NotExpressibleError(f"{name}: a numeric split on {step.pattern!r} (Digits splits on \\p{{N}} or \\p{{N}}+ only)")
        return {"type": "Digits", "individual_digits": step.pattern == r"\p{N}"}
    if step.punctuation:
        if step.pattern != r"\p{P}+":
            raise NotExpressibleError(f"{name}: a punctuation split on {step.pattern!r} (Punctuation isolates \\p{{P}}+ only)")
        return {"type": "Punctuation", "behavior": "Contiguous"}
    return {"type": "Split", "pattern": {"Regex": oniguruma_pattern(step.pattern)}, "behavior": "Isolated", "invert": False}


def byte_level_steps(pre: PreTokenizer, name: str) -> tuple[dict | None, dict]:
    """The normalizer and pre-tokenizer of :class:`.PreTokenizer` ``pre`` (see its steps):
    ``before`` steps, ``Digits`` for ``isolate_digits``, the pattern (GPT-2's as
    ``ByteLevel(use_regex=True)``, another as ``Split`` + ``ByteLevel(use_regex=False)``),
    then the ``after`` steps, which see the byte spelling as steps after ``ByteLevel`` do."""
    if pre.normalization not in (None, "NFC", "NFD", "NFKC", "NFKD"):
        raise NotExpressibleError(f"{name}: normalization {pre.normalization!r}")
    normalizer = {"type": pre.normalization} if pre.normalization else None
    steps = [_step(s, name) for s in pre.before]
    if any(s.byte_level for s in pre.before):
        raise NotExpressibleError(f"{name}: a byte-level split before the main pattern")
    if pre.isolate_digits:
        steps.append({"type": "Digits", "individual_digits": True})
    if pre.pattern == GPT2_PATTERN:
        steps.append(byte_level(use_regex=True))
    else:
        if pre.pattern is not None:
            steps.append(_step(Isolate(pre.pattern), name))
        steps.append(byte_level(use_regex=False))
    for s in pre.after:
        if not s.byte_level:
            raise NotExpressibleError(f"{name}: a split on the text (not its byte spelling) after the main pattern")
        steps.append(_step(s, name))
    return normalizer, sequence("pretokenizers", steps)  # type: ignore[return-value]


def byte_level_bpe(*, name: str, vocab: Mapping[str, int], merge_ranks: Mapping[tuple[str, str], int],
                   pre_tokenizer: PreTokenizer, added_tokens: Sequence[AddedToken], ignore_merges: bool,
                   bos: tuple[str, int] | None, match_added_tokens: bool) -> dict:  # fmt: skip
    """A :class:`.ByteLevelBPE` (GPT-2, Llama-3, Qwen2, StarCoder2, the GGUF byte-level kinds).

    Refused: added tokens that are never matched in the text (cl100k_base follows tiktoken's
    ``encode_ordinary``; ``tokenizers`` always matches its added tokens), and merges that
    share a rank (tiktoken's ranks: ``tokenizers`` ranks every merge apart)."""
    if added_tokens and not match_added_tokens:
        listed = ", ".join(t.content for t in added_tokens[:5])
        raise NotExpressibleError(
            f"{name}: its added tokens ({listed}) are never matched in the text (tiktoken's encode_ordinary), "
            "but a tokenizer.json's added tokens always are"
        )
    order = sorted(merge_ranks.items(), key=lambda item: item[1])
    shared = next(((a, b) for a, b in zip(order, order[1:]) if a[1] == b[1]), None)
    if shared is not None:
        raise NotExpressibleError(
            f"{name}: merges {shared[0][0]} and {shared[1][0]} share rank {shared[0][1]} (tiktoken-style ranks); "
            "a tokenizer.json ranks every merge apart"
        )
    merges = [pair for pair, _ in order]
    check_merges_in_vocab(name, vocab, merges)
    normalizer, pre = byte_level_steps(pre_tokenizer, name)
    vocab = vocabulary_with_added(name, vocab, added_tokens, lambda token: not is_spelled(token.content))
    return document(
        added_tokens=[added_token(t) for t in added_tokens],
        normalizer=normalizer,
        pre_tokenizer=pre,
        post_processor=template_processing([bos] if bos else []),
        decoder=byte_level(use_regex=True) | {"add_prefix_space": True},
        model=bpe_model(vocab, merges, ignore_merges=ignore_merges),
    )


# ---- WordPiece ---------------------------------------------------------------------------------
def wordpiece(*, vocab: Sequence[str], unk_token: str, continuing_prefix: str, max_input_chars_per_word: int,
              lowercase: bool, strip_accents: bool | None, clean_text: bool, handle_chinese_chars: bool,
              added_tokens: Sequence[AddedToken], normalized_added_tokens: Sequence[AddedToken],
              cls: tuple[str, int] | None, sep: tuple[str, int] | None, decode_cleanup: bool) -> dict:  # fmt: skip
    """A WordPiece tokenizer, as BERT's ``tokenizer.json``: ``BertNormalizer`` (its four
    flags), ``BertPreTokenizer``, the ``WordPiece`` model, ``[CLS] $A [SEP]`` and the
    ``WordPiece`` decoder. ``normalized_added_tokens`` are matched in the normalized text."""
    vocabulary_with_added("wordpiece", {piece: i for i, piece in enumerate(vocab)}, [*added_tokens, *normalized_added_tokens])
    return document(
        added_tokens=[added_token(t) for t in added_tokens] + [added_token(t, True) for t in normalized_added_tokens],
        normalizer={"type": "BertNormalizer", "clean_text": clean_text, "handle_chinese_chars": handle_chinese_chars,
                    "strip_accents": strip_accents, "lowercase": lowercase},  # fmt: skip
        pre_tokenizer={"type": "BertPreTokenizer"},
        post_processor=template_processing([cls] if cls else [], [sep] if sep else [], bert_pair=True),
        decoder={"type": "WordPiece", "prefix": continuing_prefix, "cleanup": decode_cleanup},
        model={"type": "WordPiece", "unk_token": unk_token, "continuing_subword_prefix": continuing_prefix,
               "max_input_chars_per_word": max_input_chars_per_word,
               "vocab": {piece: i for i, piece in enumerate(vocab)}},  # fmt: skip
    )


# ---- SentencePiece BPE -----------------------------------------------------------------------
def merges_from_scores(name: str, scores: Mapping[str, float], ids: Mapping[str, int]) -> list[tuple[str, str]]:
    """SentencePiece BPE's scored pieces as ranked merges: every way of cutting a piece into
    two tokens of the vocabulary is a merge, best score first (then by piece id, then by the
    ids of the two halves), as transformers' ``SentencePieceExtractor`` orders them.

    SentencePiece merges the best-scoring adjacent pair whose concatenation is a piece, of
    any two symbols; ``tokenizers`` only merges two tokens of its vocabulary. So a piece
    with a half that is a single character outside the vocabulary (which SentencePiece
    could still merge, ``tokenizers`` never) is refused."""
    merges = []
    for piece, score in scores.items():
        for cut in range(1, len(piece)):
            left, right = piece[:cut], piece[cut:]
            if left in scores and right in scores or left in ids and right in ids:
                if left not in scores and len(left) > 1 or right not in scores and len(right) > 1:
                    continue  # such a half never exists as a symbol: merges only make pieces
                merges.append((-score, ids[piece], ids[left], ids[right], left, right))
            elif (len(left) == 1 and left not in ids and (right in scores or len(right) == 1)) or (
                len(right) == 1 and right not in ids and (left in scores or len(left) == 1)
            ):
                raise NotExpressibleError(
                    f"{name}: piece {piece!r} can be merged from {left!r} + {right!r}, but a character outside "
                    "the vocabulary cannot take part in a tokenizers BPE merge"
                )
    merges.sort()
    return [(left, right) for *_, left, right in merges]


def sentencepiece_bpe(*, name: str, pieces: Sequence[str], scores: Mapping[str, float],
                      piece_ids: Mapping[str, int], unk_id: int, added_tokens: Sequence[AddedToken],
                      bos: tuple[str, int] | None, eos: tuple[str, int] | None) -> dict:  # fmt: skip
    """A SentencePiece-style BPE with byte fallback (Llama-2, Phi-3, Baichuan, tokemb's
    ``spm-bpe``), as Llama-2's ``tokenizer.json``: ``Prepend("▁")`` + ``Replace(" ", "▁")``
    on each stretch between added tokens, no pre-tokenizer, ``BPE(byte_fallback=True)``,
    the decoder ``Replace("▁", " ")``, ``ByteFallback``, ``Fuse``, ``Strip(" ", 1, 0)``.

    ``scores`` are the pieces merging may make, ``piece_ids`` every token the model may
    output whole. ``fuse_unk`` is off: the scratch tokenizer gives one unknown token per
    character that has no byte pieces, as ``tokenizers`` does without fusing.
    A single-character piece the model never outputs (an unused piece) would be taken
    whole by ``tokenizers``, and is refused."""
    vocab = {piece: i for i, piece in enumerate(pieces)}
    added = {t.id for t in added_tokens}
    for i, piece in enumerate(pieces):
        if len(piece) == 1 and piece not in piece_ids and i not in added and byte_piece_value(piece) is None:
            raise NotExpressibleError(f"{name}: the one-character piece {piece!r} (id {i}) is not output whole by the model")
    merges = merges_from_scores(name, scores, vocab)
    check_merges_in_vocab(name, vocab, merges)
    vocabulary_with_added(name, vocab, added_tokens)
    decoders = [*byte_fallback_decoders(), {"type": "Strip", "content": " ", "start": 1, "stop": 0}]
    return document(
        added_tokens=[added_token(t) for t in added_tokens],
        normalizer=sequence("normalizers", [{"type": "Prepend", "prepend": SPACE}, replace(" ", SPACE)]),
        pre_tokenizer=None,
        post_processor=template_processing([bos] if bos else [], [eos] if eos else []),
        decoder=sequence("decoders", decoders),
        model=bpe_model(vocab, merges, unk_token=pieces[unk_id], byte_fallback=True),
    )


# ---- character BPE with byte fallback (Gemma 4) -------------------------------------------------
def char_bpe(*, name: str, tokens: Sequence[str], merge_ranks: Mapping[tuple[str, str], int],
             added_tokens: Sequence[AddedToken], unk_id: int | None, bos: tuple[str, int] | None) -> dict:  # fmt: skip
    """Gemma 4's tokenizer: ``Replace(" ", "▁")``, no pre-tokenizer, ``BPE`` over characters
    with ``byte_fallback``, decoder ``Replace("▁", " ")``, ``ByteFallback``, ``Fuse``.

    Refused: byte tokens missing (the scratch tokenizer then writes the unknown token per
    missing byte, ``tokenizers`` one per character), and merges that make byte tokens or
    use them (``tokenizers`` would merge the fallback bytes, the scratch tokenizer not)."""
    vocab = {t: i for i, t in enumerate(tokens)}
    missing = [b for b in range(256) if f"<0x{b:02X}>" not in vocab]
    if missing:
        raise NotExpressibleError(f"{name}: byte tokens missing ({len(missing)}, e.g. <0x{missing[0]:02X}>)")
    merges = [pair for pair, _ in sorted(merge_ranks.items(), key=lambda item: item[1])]
    for left, right in merges:
        if any(byte_piece_value(t) is not None for t in (left, right, left + right)):
            raise NotExpressibleError(f"{name}: merge {left!r} + {right!r} involves a byte token")
    check_merges_in_vocab(name, vocab, merges)
    vocabulary_with_added(name, vocab, added_tokens)
    return document(
        added_tokens=[added_token(t) for t in added_tokens],
        normalizer=replace(" ", SPACE),
        pre_tokenizer=None,
        post_processor=template_processing([bos] if bos else []),
        decoder=sequence("decoders", byte_fallback_decoders()),
        model=bpe_model(vocab, merges, unk_token=tokens[unk_id] if unk_id is not None else None, byte_fallback=True),
    )


# ---- Unigram ------------------------------------------------------------------------------------
def unigram(*, name: str, pieces: Sequence[str], types: Sequence[int], unk_surface: str) -> dict:
    """A SentencePiece Unigram model: refused, because ``tokenizers``' ``Unigram`` cannot do
    what sentencepiece (and the scratch tokenizer) does:

    * its lattice holds every piece of the vocabulary (``Unigram::populate_nodes`` searches
      a trie of all of them), so ``"<s>"``, ``"<unk>"`` or ``"<0x41>"`` in the text become
      the control, unknown or byte piece, which score 0, the best score there is;
      sentencepiece only matches normal and user-defined pieces and spells these out;
    * hiding them some other way changes the lowest score, from which the unknown piece's
      score (``min_score - 10``) is computed, and so the segmentations with unknown pieces;
    * decoding writes the unknown piece as sentencepiece's ``unk_surface`` (``" ⁇ "``) and
      control pieces as nothing, which the decoders cannot express for one id;
    * sentencepiece adds scores in 32-bit floats, ``tokenizers`` in 64-bit, so near-ties can
      be broken differently."""
    control = [p for p, t in zip(pieces, types) if t in (UNKNOWN, CONTROL, BYTE)][:3]
    raise NotExpressibleError(
        f"{name}: a SentencePiece Unigram model cannot be written as a tokenizer.json that gives the same ids: "
        f"tokenizers' Unigram matches its control, unknown and byte pieces ({', '.join(control)}) in the text, "
        f"which sentencepiece never does, and cannot decode the unknown piece as {unk_surface!r}"
    )
