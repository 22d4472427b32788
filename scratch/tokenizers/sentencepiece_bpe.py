"""SentencePiece BPE with byte fallback, the tokenizer of Llama-2 and Phi-3.

SentencePiece (Kudo & Richardson 2018) treats text as a plain sequence of characters,
with no pre-splitting into words: spaces are just the character ``▁`` (U+2581).

1. **Normalize**: put ``▁`` in front of the text (the *dummy prefix*, so that the first
   word looks like every other word: ``"Hello"`` and ``" Hello"`` inside a sentence both
   start with ``▁Hello``) and replace every space by ``▁``.
2. **Merge**: start from single characters; repeatedly merge the two neighbours whose
   concatenation is a piece of the vocabulary with the **highest score**, the leftmost
   such pair when scores tie, until no neighbouring pair forms a piece. The scores
   record training's merge order: in Llama-2's vocabulary piece ``i`` scores
   ``259 - i`` (pieces learnt earlier merge first), except the 16 runs of ``▁``, which
   score -1e9 and so merge only when nothing else can. Unlike GPT-2's BPE there is
   no merges list, only the scored vocabulary.
3. **Byte fallback**: a piece that is not in the vocabulary (a rare character such as
   ``"🦙"``) is written as its UTF-8 bytes, one ``<0xNN>`` piece per byte; so no text
   ever becomes ``<unk>``.
4. The model's **BOS** ``<s>`` goes in front (``add_bos`` from the GGUF).

    >>> from scratch import tokenizers
    >>> llama = tokenizers.load("llama-2")
    >>> llama.tokenize("Hello world 🦙")
    ['▁Hello', '▁world', '▁', '<0xF0>', '<0x9F>', '<0xA6>', '<0x99>']

This is SentencePiece's ``bpe_model.cc`` (its agenda pops the highest score, ties to
the leftmost pair); :meth:`SentencePieceBPE.bpe` is the plain quadratic loop to read,
and :meth:`SentencePieceBPE.bpe_fast` the same algorithm with a heap, on chunks that
merges cannot cross, with a cache (a test checks both agree).

Added tokens (``<s>``, ``</s>``, ``<unk>``; Phi-3's ``<|user|>``, ``<|assistant|>``,
``<|end|>`` ...) are cut out of the raw text first, as the Hugging Face tokenizers of
these models do, and every piece of text between them gets its own dummy prefix
(their ``tokenizer.json`` normalizer, ``Prepend("▁")`` + ``Replace(" ", "▁")``, runs on
each piece). Phi-3's tokens 32001-32010 and ``</s>`` have ``rstrip``: they swallow the
whitespace after them, so ``"<|user|>\\nHi"`` tokenizes as ``<|user|>``, ``▁Hi``.
A GGUF file does not store that flag; like llama.cpp (``llama-vocab.cpp``, keyed on
the model name) it is set here for the ``phi3`` architecture, as in Phi-3's published
``tokenizer_config.json``.

Decoding mirrors the Hugging Face decoder of these models: ``▁`` back to spaces,
runs of ``<0xNN>`` pieces back to characters (a run that is not valid UTF-8 becomes
one U+FFFD per byte), and the first character dropped if it is a space (the dummy
prefix). Special tokens are written out (``decode([1, 15043]) == "<s> Hello"``) unless
``skip_special_tokens``. So ``decode(encode(x), skip_special_tokens=True) == x`` for
every text without added-token strings in it and without ``▁`` itself (which comes
back as a space).

Vocabulary size (Phi-3): the GGUF pads the vocabulary to 32064 entries, the rows of
the model's embedding matrix, with pieces ``[PAD32011]`` ... ``[PAD32063]``. They are not
tokens of the real tokenizer, which has 32011 (32000 SentencePiece pieces + 11 added
tokens), so ``vocab_size`` is 32011 and those ids are unknown to ``decode``.
"""

from __future__ import annotations

import heapq
from typing import Iterable, Sequence

import regex

from .base import AddedToken, MalformedVocabError, MergeStep, MergeTrace, TokenJoiningTokenizer
from .gguf_vocab import BYTE, CONTROL, NORMAL, UNKNOWN, UNUSED, USER_DEFINED, GGUFVocab
from .sentencepiece_rules import SPACE, byte_piece_value, decode_byte_run

# Chunks that merges never cross when no piece has a "▁" after another character:
# a run of "▁" followed by a run of anything else.
_CHUNK = regex.compile(f"{SPACE}*[^{SPACE}]+|{SPACE}+")
_SPACE_AFTER_OTHER = regex.compile(f"[^{SPACE}]{SPACE}")  # a piece that would cross those chunks


class SentencePieceBPE(TokenJoiningTokenizer):
    """A scored SentencePiece BPE vocabulary with byte fallback, plus added tokens."""

    def __init__(
        self,
        pieces: Sequence[str],
        scores: Sequence[float],
        types: Sequence[int],
        *,
        unk_id: int,
        bos_id: int | None,
        eos_id: int | None,
        add_bos: bool,
        add_eos: bool,
        added_tokens: Iterable[AddedToken] = (),
        name: str = "sentencepiece",
    ):
        self.name = name
        self.pieces = list(pieces)
        self.added_tokens = list(added_tokens)
        self._added_by_id = {t.id: t for t in self.added_tokens}
        self._added_by_content = {t.content: t.id for t in self.added_tokens}
        self.unk_id, self.bos_id, self.eos_id = unk_id, bos_id, eos_id
        self.add_bos, self.add_eos = add_bos, add_eos
        # What merging may produce: normal pieces, with their scores. (SentencePiece
        # also merges into "unused" pieces and splits them back; none of the
        # vocabularies here has any, so they are left out.)
        self.merge_scores: dict[str, float] = {}
        self.piece_ids: dict[str, int] = {}
        self.byte_ids: list[int | None] = [None] * 256
        for i, (piece, score, kind) in enumerate(zip(pieces, scores, types)):
            if kind == BYTE:
                value = byte_piece_value(piece)
                if value is None:
                    raise MalformedVocabError(f"{name}: byte piece {i} is {piece!r}, expected <0xNN>")
                self.byte_ids[value] = i
            elif kind == NORMAL and i not in self._added_by_id:
                if piece in self.piece_ids:
                    raise MalformedVocabError(f"{name}: piece {piece!r} appears twice (ids {self.piece_ids[piece]}, {i})")
                self.piece_ids[piece] = i
                self.merge_scores[piece] = float(score)
        self._chunkable = not any(map(_SPACE_AFTER_OTHER.search, self.merge_scores))
        self._cache: dict[str, list[int]] = {}

    # ---- the algorithm (readable) -----------------------------------------------------
    def normalize(self, text: str) -> str:
        """The dummy prefix, and spaces as ``▁``."""
        return SPACE + text.replace(" ", SPACE) if text else ""

    def bpe(self, text: str) -> list[str]:
        """Merge characters into pieces: best-scoring neighbour pair first, ties to the left."""
        return list(self.merge_steps(text).final)

    def merge_steps(self, text: str) -> MergeTrace:
        """:meth:`bpe`'s loop, each merge recorded (its pair, position and the merged
        piece's score): what the playground shows."""
        symbols = list(text)
        trace = MergeTrace(tuple(symbols), [])
        while True:
            best_score, best_i = None, None
            for i in range(len(symbols) - 1):
                score = self.merge_scores.get(symbols[i] + symbols[i + 1])
                if score is not None and (best_score is None or score > best_score):
                    best_score, best_i = score, i
            if best_i is None:
                return trace
            step = MergeStep(best_i, symbols[best_i], symbols[best_i + 1], best_score, ())
            symbols[best_i : best_i + 2] = [symbols[best_i] + symbols[best_i + 1]]
            trace.steps.append(step._replace(parts=tuple(symbols)))

    def piece_to_ids(self, piece: str) -> list[int]:
        """A piece's id, or with byte fallback the ids of its UTF-8 bytes."""
        if piece in self.piece_ids:
            return [self.piece_ids[piece]]
        byte_ids = [self.byte_ids[b] for b in piece.encode("utf-8")]
        if any(i is None for i in byte_ids):
            return [self.unk_id]
        return byte_ids  # type: ignore[return-value]

    def encode_readable(self, text: str) -> list[int]:
        """Ids of ``text`` (no added tokens, no BOS) by the plain loop."""
        return [i for piece in self.bpe(self.normalize(text)) for i in self.piece_to_ids(piece)]

    # ---- the same, fast ---------------------------------------------------------------
    def bpe_fast(self, text: str) -> list[str]:
        """:meth:`bpe` with a heap of candidate pairs (SentencePiece's agenda): O(n log n)."""
        symbols = list(text)
        n = len(symbols)
        prev = list(range(-1, n - 1))
        nxt = list(range(1, n + 1))
        nxt[-1:] = [-1] if n else []
        heap: list[tuple[float, int, str, str]] = []

        def push(left: int, right: int) -> None:
            if left < 0 or right < 0:
                return
            score = self.merge_scores.get(symbols[left] + symbols[right])
            if score is not None:
                heapq.heappush(heap, (-score, left, symbols[left], symbols[right]))

        for i in range(n - 1):
            push(i, i + 1)
        while heap:
            _, left, left_piece, right_piece = heapq.heappop(heap)
            right = nxt[left]
            # Skip pairs that earlier merges have changed.
            if right < 0 or symbols[left] != left_piece or symbols[right] != right_piece:
                continue
            symbols[left] = left_piece + right_piece
            symbols[right] = ""
            nxt[left] = nxt[right]
            if nxt[right] >= 0:
                prev[nxt[right]] = left
            push(prev[left], left)
            push(left, nxt[left])
        return [s for s in symbols if s]

    def _encode_ordinary(self, text: str) -> list[int]:
        normalized = self.normalize(text)
        chunks = _CHUNK.findall(normalized) if self._chunkable else [normalized]
        ids: list[int] = []
        for chunk in chunks:
            cached = self._cache.get(chunk)
            if cached is None:
                cached = [i for piece in self.bpe_fast(chunk) for i in self.piece_to_ids(piece)]
                if len(chunk) < 256 and len(self._cache) < 200_000:
                    self._cache[chunk] = cached
            ids.extend(cached)
        return ids

    def _wrap(self, ids: list[int]) -> list[int]:
        front = [self.bos_id] if self.add_bos and self.bos_id is not None else []
        back = [self.eos_id] if self.add_eos and self.eos_id is not None else []
        return front + ids + back

    # ---- decoding -----------------------------------------------------------------------
    def join_tokens(self, tokens: Sequence[str]) -> str:
        """Token strings back to text: ``▁`` -> space, byte runs -> UTF-8, one leading space off."""
        parts: list[str] = []
        run = bytearray()
        for token in tokens:
            value = byte_piece_value(token)
            if value is not None:
                run.append(value)
                continue
            if run:
                parts.append(decode_byte_run(run))
                run = bytearray()
            parts.append(token.replace(SPACE, " "))
        if run:
            parts.append(decode_byte_run(run))
        text = "".join(parts)
        return text[1:] if text.startswith(" ") else text

    # ---- vocabulary -----------------------------------------------------------------------
    def token_to_id(self, token: str) -> int | None:
        if token in self._added_by_content:
            return self._added_by_content[token]
        if token in self.piece_ids:
            return self.piece_ids[token]
        value = byte_piece_value(token)
        return self.byte_ids[value] if value is not None else None

    def to_tokenizer_json(self) -> dict:
        """This tokenizer as a Hugging Face ``tokenizer.json`` (:func:`.tokenizer_json.sentencepiece_bpe`)."""
        from . import tokenizer_json

        def special(id: int | None, added: bool) -> tuple[str, int] | None:
            return (self.pieces[id], id) if added and id is not None else None

        return tokenizer_json.sentencepiece_bpe(
            name=self.name,
            pieces=self.pieces,
            scores=self.merge_scores,
            piece_ids=self.piece_ids,
            unk_id=self.unk_id,
            added_tokens=self.added_tokens,
            bos=special(self.bos_id, self.add_bos),
            eos=special(self.eos_id, self.add_eos),
        )


def _phi3_rstrip(content: str) -> bool:
    """Phi-3's added tokens swallow the whitespace after them, except these three."""
    return content not in ("<unk>", "<s>", "<|endoftext|>")


def from_gguf_vocab(vocab: GGUFVocab) -> SentencePieceBPE:
    """A SentencePiece BPE tokenizer from a llama.cpp ``"llama"`` GGUF vocabulary.

    Token types: normal pieces merge; ``<0xNN>`` byte pieces are the fallback; control
    and user-defined pieces, and the unknown piece, are added tokens (special unless
    user-defined, as llama.cpp's converter marks non-special added tokens). Trailing
    ``[PADnnnnn]`` entries that only pad the embedding matrix are dropped.
    """
    tokens, types, scores = list(vocab.tokens), list(vocab.token_types), vocab.scores
    if scores is None or len(scores) != len(tokens):
        raise MalformedVocabError(f"{vocab.path}: a llama (SentencePiece) vocabulary needs one score per token")
    while tokens and tokens[-1] == f"[PAD{len(tokens) - 1}]":
        tokens.pop()
    types, scores = types[: len(tokens)], scores[: len(tokens)]
    unk_id = vocab.special_ids.get("unknown")
    typed_unknown = [i for i, t in enumerate(types) if t == UNKNOWN]
    if unk_id is None and len(typed_unknown) == 1:  # no unknown_token_id key (Baichuan): the piece typed unknown
        unk_id = typed_unknown[0]
    if unk_id is None or not 0 <= unk_id < len(tokens):
        raise MalformedVocabError(
            f"{vocab.path}: no unknown-token id inside the vocabulary (tokenizer.ggml.unknown_token_id, "
            f"or exactly one token of type unknown; {len(typed_unknown)} found)"
        )
    if sum(t == BYTE for t in types) != 256:
        raise MalformedVocabError(f"{vocab.path}: byte fallback needs the 256 pieces <0x00>..<0xFF>")
    phi3 = vocab.architecture == "phi3"
    added = []
    for i, (token, kind) in enumerate(zip(tokens, types)):
        if kind in (CONTROL, USER_DEFINED) or i == unk_id:
            added.append(
                AddedToken(token, i, special=kind != USER_DEFINED, rstrip=phi3 and _phi3_rstrip(token))
            )
        elif kind not in (NORMAL, BYTE, UNUSED, UNKNOWN):
            raise MalformedVocabError(f"{vocab.path}: token {i} has unknown type {kind}")
    bos_id, eos_id = vocab.special_ids.get("bos"), vocab.special_ids.get("eos")
    for key, value in (("bos", bos_id), ("eos", eos_id)):
        if value is not None and not 0 <= value < len(tokens):
            raise MalformedVocabError(f"{vocab.path}: {key} token id {value} is outside the vocabulary")
    return SentencePieceBPE(
        tokens,
        scores,
        types,
        unk_id=unk_id,
        bos_id=bos_id,
        eos_id=eos_id,
        add_bos=bool(vocab.add_bos) if vocab.add_bos is not None else True,
        add_eos=bool(vocab.add_eos),
        added_tokens=added,
        name=vocab.path.stem,
    )
