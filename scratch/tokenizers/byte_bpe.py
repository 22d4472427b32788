"""Byte-level BPE: the tokenizer of GPT-2, GPT-4 (cl100k_base), StarCoder2, Qwen2,
Llama-3 and SmolLM2 (Radford et al. 2019; Sennrich et al. 2016).

Encoding a text takes three steps:

1. **Pre-tokenize**: a regex cuts the text into chunks (words with their leading space,
   numbers, punctuation runs, whitespace); see :mod:`.pretokenizers`. Merges never
   cross a chunk boundary.
2. **Bytes**: each chunk becomes its UTF-8 bytes. All 256 byte values are tokens, so
   any text can be encoded and nothing is ever unknown.
3. **Merge**: the vocabulary comes with a ranked list of merges (``"Ġ" + "t" ->
   "Ġt"`` is GPT-2's first). Repeatedly find the adjacent pair of parts whose merge
   has the lowest rank and glue it into one part; stop when no adjacent pair has a
   merge. Each final part is a token.

    >>> from scratch import tokenizers
    >>> gpt2 = tokenizers.load("gpt2")
    >>> gpt2.tokenize(" lowering")
    ['Ġlowering']
    >>> gpt2.encode("🎵")        # 4 bytes, no merge makes the whole emoji
    [8582, 236, 113]

:meth:`ByteLevelBPE.bpe` is that loop, written to be read (it is Karpathy's minbpe /
tiktoken's ``_educational.py`` algorithm). ``encode`` gives the same ids faster: a
cache maps each chunk string seen before to its ids, and the new chunks of a text go
to :meth:`ByteLevelBPE.bpe_many`, the same loop on integer ids with a packed rank table,
compiled with numba (:mod:`.bpe_merge_numba`); :meth:`ByteLevelBPE.bpe_fast` is that in
Python, and hands a very long chunk to the compiled heap (``merge_long``, O(n log n)). A
long text whose pre-tokenizer is GPT-2's, cl100k_base's, o200k_base's or Llama-3's is encoded
in one numba call instead (:mod:`.bytelevel_numba`: a hand-written scanner for that pattern,
then each chunk's ids from a hash table of whole tokens or the merge loop), which is what
makes ``encode`` faster than tiktoken. Tests check that all of
them agree, and with the references.

Where the references differ in detail, this module follows them:

* **Ranks.** Hugging Face ``tokenizers`` ranks *pairs* (the line number in
  ``merges.txt``); tiktoken ranks *tokens*: the pair ``(a, b)`` has the rank of the
  token ``a + b``. :func:`from_tiktoken` turns the second into the first by listing
  every split of every token into two tokens.
* **Whole-chunk lookup** (``ignore_merges``): tiktoken, and Llama-3's ``tokenizer.json``,
  look the chunk up in the vocabulary first and only merge when it is missing.
* **Decoding** maps every token back to its bytes, joins them all (the contents of
  added tokens included) and decodes the result as UTF-8 with ``errors="replace"``:
  a token sequence that cuts a character in half gives ``"\\ufffd"``, as in Hugging Face's
  ``ByteLevel`` decoder (``String::from_utf8_lossy``) and tiktoken's ``decode``.
"""

from __future__ import annotations

import binascii
import dataclasses
import hashlib
import json
import zipfile
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple, Sequence

import numpy as np

from . import pretokenizers
from .base import AddedToken, AddedTokenSplitter, MalformedVocabError, MergeStep, MergeTrace, Tokenizer, check_valid_text
from .bytes_to_unicode import is_spelled, spell, unspell, unspell_all
from .gguf_vocab import CONTROL, USER_DEFINED, GGUFVocab
from .pretokenizers import PreTokenizer

#: cl100k_base's special tokens (tiktoken_ext/openai_public.py). ``encode`` follows
#: tiktoken's ``encode_ordinary`` and never matches them in text; ``decode`` knows them.
CL100K_SPECIAL_TOKENS = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}

#: What llama.cpp (``llama_vocab::impl::load``) switches on for a GGUF ``pre`` name,
#: besides the regex: Llama-3 adds ``<|begin_of_text|>`` and looks whole chunks up first
#: (its ``tokenizer.json`` has ``"ignore_merges": true`` and a ``TemplateProcessing``
#: post-processor with the BOS token). A GGUF ``add_bos_token`` key overrides ``add_bos``.
_GGUF_PRE_FLAGS: dict[str, dict[str, bool]] = {
    "llama-bpe": {"ignore_merges": True, "add_bos": True},
    "llama3": {"ignore_merges": True, "add_bos": True},
    "llama-v3": {"ignore_merges": True, "add_bos": True},
}

_NO_MERGE = 1 << 62  # larger than any packed (rank, id) value
# bpe_many gives chunks up to this many bytes to the compiled loop; longer ones go to the
# compiled heap (bpe_fast, bytelevel_numba), as the loop is quadratic in the chunk's length.
_COMPILED_UP_TO = 1024
# The compiled loop costs a few seconds once per process (numba loading its on-disk
# cache), so encode() only uses it for texts with at least this many new chunks.
_COMPILED_FROM = 4096
_CACHE_LIMIT = 200_000  # chunk cache entries before the cache starts over
# The whole-text compiled encoder (bytelevel_numba) is built once a tokenizer has encoded this
# many characters (loading numba's cached code takes about 0.5 s once per process), and then
# used for texts from _WHOLE_TEXT_FROM characters on (measured: 3.3 us either way at 20
# characters, 5.8 against 9.2 us at 100, 29 against 66 us at 1000, on English).
_WHOLE_TEXT_BUILD_FROM = 20_000
_WHOLE_TEXT_FROM = 32


class IdMerges(NamedTuple):
    """BPE merges on token ids: ``left[i]`` and ``right[i]`` merge into ``merged[i]`` at rank
    ``rank[i]`` (four int64 arrays of one length). What :class:`ByteLevelBPE` packs for its
    fast paths; :func:`tiktoken_merges` makes them straight from a rank file, and a compiled
    tokenizer (:func:`save_compiled`) stores them."""

    left: np.ndarray
    right: np.ndarray
    rank: np.ndarray
    merged: np.ndarray

    @classmethod
    def of(cls, left: Sequence[int], right: Sequence[int], rank: Sequence[int], merged: Sequence[int]) -> IdMerges:
        columns = [np.asarray(column, dtype=np.int64).reshape(-1) for column in (left, right, rank, merged)]
        if len({len(c) for c in columns}) != 1:
            raise ValueError(f"IdMerges: columns of different lengths {[len(c) for c in columns]}")
        return cls(*columns)


class ByteLevelBPE(Tokenizer):
    """A byte-level BPE tokenizer.

    ``tokens[i]`` is the vocabulary string of id ``i`` in the byte-to-unicode spelling
    (``"Ġworld"``; ``None`` for an id with no token, as cl100k_base has), ``merges`` the
    ranked pairs of vocabulary strings (rank = position; a later duplicate of a pair
    replaces the earlier, as in ``tokenizers``' ``HashMap`` of merges), a mapping from pair
    to rank, or the same on ids (:class:`IdMerges`: tiktoken ranks, a compiled tokenizer),
    which skips spelling every merge out as strings; the string pairs are then made only
    when asked for (:attr:`merge_ranks`, ``to_tokenizer_json``). ``added_tokens`` are matched in the text before
    the model runs unless ``match_added_tokens`` is false (cl100k_base's
    ``encode_ordinary``). ``bos_id`` is prepended by ``encode(add_special_tokens=True)``.
    ``replace_surrogates`` is tiktoken's handling of lone surrogates (see ``_encode_ordinary``).
    """

    def __init__(
        self,
        tokens: Sequence[str | None],
        merges: Iterable[tuple[str, str]] | Mapping[tuple[str, str], int] | IdMerges,
        pre_tokenizer: PreTokenizer,
        added_tokens: Sequence[AddedToken] = (),
        *,
        ignore_merges: bool = False,
        bos_id: int | None = None,
        match_added_tokens: bool = True,
        replace_surrogates: bool = False,
        name: str = "byte-level-bpe",
    ):
        self.name = name
        self.replace_surrogates = replace_surrogates
        self.pre_tokenizer = pre_tokenizer
        self.ignore_merges = ignore_merges
        self.bos_id = bos_id
        self.match_added_tokens = match_added_tokens
        self.added_tokens = tuple(added_tokens)
        self.pieces = list(tokens)
        # The model's vocabulary, string -> id and bytes -> id (a later duplicate wins, as in
        # a dict built from the token list). Added tokens are kept apart, as ``tokenizers``'
        # AddedVocabulary is: merges never produce them.
        self._vocab = {t: i for i, t in enumerate(self.pieces) if t is not None}
        self._token_bytes: list[bytes | None] = unspell_all(self.pieces)
        self.bytes_to_id: dict[bytes, int] = {b: i for i, b in enumerate(self._token_bytes) if b is not None}
        self._filled_by_added: list[int] = []  # ids whose piece is an added token's content
        for token in self.added_tokens:
            self._check_id(token.id, f"added token {token.content!r}")
            if self.pieces[token.id] is None:  # cl100k's specials have no vocabulary entry
                self.pieces[token.id] = token.content
                self._filled_by_added.append(token.id)
                self._token_bytes[token.id] = unspell(token.content)
        self._string_to_id = {**self._vocab, **{t.content: t.id for t in self.added_tokens}}
        # id of each single byte; None for a byte the vocabulary lacks (see bpe())
        self._byte_ids = [self.bytes_to_id.get(bytes([b])) for b in range(256)]
        self._lacks_bytes = None in self._byte_ids
        if bos_id is not None:
            self._check_id(bos_id, "bos token")
        self._shift = max(len(self.pieces), 2).bit_length()
        id_merges = merges if isinstance(merges, IdMerges) else self._merges_to_ids(merges)
        self._packed_merges = self._pack(id_merges)
        self._cache: dict[str, list[int]] = {}

    # ---- loading helpers ------------------------------------------------------------
    def _check_id(self, id: int, what: str) -> None:
        if not 0 <= id < len(self.pieces):
            raise MalformedVocabError(f"{self.name}: {what} has id {id}, outside the vocabulary of {len(self.pieces)}")

    def _merges_to_ids(self, merges) -> IdMerges:
        """Merges given as vocabulary strings (ranked pairs, or a ``pair -> rank`` mapping)
        as :class:`IdMerges`; a merge naming a string outside the vocabulary is refused."""
        items = merges.items() if isinstance(merges, Mapping) else ((pair, rank) for rank, pair in enumerate(merges))
        vocab = self._vocab
        lefts, rights, ranks, merged = [], [], [], []
        for (left, right), rank in items:
            try:
                a, b, ab = vocab[left], vocab[right], vocab[left + right]
            except KeyError as exc:
                raise MalformedVocabError(
                    f"{self.name}: merge {left!r} + {right!r} (rank {rank}) uses {exc.args[0]!r}, "
                    "which is not in the vocabulary"
                ) from None
            lefts.append(a)
            rights.append(b)
            ranks.append(rank)
            merged.append(ab)
        return IdMerges.of(lefts, rights, ranks, merged)

    def _pack(self, merges: IdMerges) -> dict[int, int]:
        """The merges packed for the fast path: ``left_id << shift | right_id -> rank << shift |
        merged_id``, one int each way (a later duplicate of a pair replaces the earlier, as in
        ``tokenizers``' ``HashMap`` of merges).

        Comparing packed values compares ranks (a rank names one merged token), so the
        fast path finds the best pair with a plain ``min`` over a list of ints. Every id must
        name a token of the model's vocabulary (not an added token), and ranks must leave
        room for the shift; merges on ids (:class:`IdMerges`) are checked for that here.
        """
        if len(merges.rank):
            has_token = np.array([t is not None for t in self.pieces], dtype=bool)
            has_token[self._filled_by_added] = False  # added tokens are not the model's: never merged into
            for what, ids in (("left", merges.left), ("right", merges.right), ("merged", merges.merged)):
                bad = (ids < 0) | (ids >= len(self.pieces))
                bad[~bad] = ~has_token[ids[~bad]]
                if bad.any():
                    at = int(np.argmax(bad))
                    raise MalformedVocabError(
                        f"{self.name}: merge {at} (rank {int(merges.rank[at])}) has {what} id {int(ids[at])}, "
                        "which names no vocabulary token"
                    )
            if (merges.rank < 0).any() or (merges.rank >= 1 << (62 - self._shift)).any():
                raise MalformedVocabError(f"{self.name}: merge ranks must be in 0..2**{62 - self._shift}")
        s = self._shift
        keys = (merges.left << s) | merges.right
        values = (merges.rank << s) | merges.merged
        return dict(zip(keys.tolist(), values.tolist()))

    @cached_property
    def _merge_ranks_by_string(self) -> dict[tuple[str, str], int]:
        """The merges as ``(left, right) -> rank`` in the vocabulary spelling, made from the
        packed table when first asked for (``to_tokenizer_json``, :attr:`merge_ranks`): a
        loader gives merges as strings or as ids, and encoding never needs these."""
        pieces, s = self.pieces, self._shift
        mask = (1 << s) - 1
        return {(pieces[key >> s], pieces[key & mask]): value >> s for key, value in self._packed_merges.items()}

    @cached_property
    def merge_ranks(self) -> dict[tuple[bytes, bytes], int]:
        """The merges as byte pairs -> rank, the table :meth:`bpe` reads."""
        return {(unspell(a), unspell(b)): rank for (a, b), rank in self._merge_ranks_by_string.items()}

    # ---- the algorithm, to read ---------------------------------------------------------
    def bpe(self, piece: bytes) -> list[int]:
        """The token ids of one pre-tokenized chunk: the plain BPE merge loop.

        Start from single bytes; while some adjacent pair has a merge, merge the pair
        with the lowest rank (the leftmost one if the same pair occurs twice); the parts
        left are the tokens. With ``ignore_merges`` a chunk that is itself a token is
        that token.

        A byte with no token of its own is dropped, as ``tokenizers``' BPE does when it
        has no unknown token. Only a vocabulary that lacks bytes is affected: StarCoder2's
        has no token for 0xF1 (nor for 0xC0, 0xC1, 0xF5..0xFF, which UTF-8 never uses), so
        a character of the unassigned planes 4 to 7 (UTF-8 ``F1 xx xx xx``) loses its
        first byte.
        """
        return [self.bytes_to_id[part] for part in self.merge_steps(piece).final]

    def merge_steps(self, piece: bytes) -> MergeTrace:
        """:meth:`bpe`'s loop, each merge recorded (its pair, position and rank): what the
        playground shows, as tiktoken's educational ``visualise``. A chunk that
        ``ignore_merges`` takes whole starts as that one part and has no merge."""
        if self.ignore_merges and piece in self.bytes_to_id:
            return MergeTrace((piece,), [])
        parts = [bytes([b]) for b in piece if bytes([b]) in self.bytes_to_id]
        trace = MergeTrace(tuple(parts), [])
        while len(parts) > 1:
            ranks = [self.merge_ranks.get(pair, _NO_MERGE) for pair in zip(parts, parts[1:])]
            best = min(ranks)
            if best == _NO_MERGE:
                break
            i = ranks.index(best)
            step = MergeStep(i, parts[i], parts[i + 1], best, ())
            parts[i : i + 2] = [parts[i] + parts[i + 1]]
            trace.steps.append(step._replace(parts=tuple(parts)))
        return trace

    def encode_readable(self, text: str) -> list[int]:
        """:meth:`encode` without added tokens, BOS, cache or fast merge: chunks, then :meth:`bpe`."""
        return [i for chunk in self.pre_tokenizer.split(text) for i in self.bpe(chunk.encode("utf-8"))]

    # ---- the same, fast -------------------------------------------------------------------
    def bpe_fast(self, piece: bytes) -> list[int]:
        """:meth:`bpe` on integer ids: same result, a lot less work per merge. A chunk of
        more than ``_COMPILED_UP_TO`` bytes is merged by the compiled heap
        (:func:`.bpe_merge_numba.merge_long`, O(n log n)); this loop is quadratic in it."""
        if self.ignore_merges:
            whole = self.bytes_to_id.get(piece)
            if whole is not None:
                return [whole]
        if len(piece) > _COMPILED_UP_TO:
            return self._merge_long(piece)
        ids = [self._byte_ids[b] for b in piece]
        if self._lacks_bytes:
            ids = [i for i in ids if i is not None]
        merges, s, mask = self._packed_merges, self._shift, (1 << self._shift) - 1
        # ranks[i] is the packed merge of the pair (ids[i], ids[i + 1])
        ranks = [merges.get((a << s) | b, _NO_MERGE) for a, b in zip(ids, ids[1:])]
        while ranks:
            best = min(ranks)
            if best == _NO_MERGE:
                break
            i = ranks.index(best)
            ids[i] = best & mask
            del ids[i + 1], ranks[i]
            if i < len(ranks):
                ranks[i] = merges.get((ids[i] << s) | ids[i + 1], _NO_MERGE)
            if i > 0:
                ranks[i - 1] = merges.get((ids[i - 1] << s) | ids[i], _NO_MERGE)
        return ids

    def _merge_long(self, piece: bytes) -> list[int]:
        """The merge loop of :meth:`bpe` (no whole-chunk lookup) on ``piece``, compiled, in
        O(n log n): :func:`.bpe_merge_numba.merge_long`."""
        from .bpe_merge_numba import merge_long

        keys, values, byte_ids = self._merge_arrays
        ids = byte_ids[np.frombuffer(piece, dtype=np.uint8)]
        if self._lacks_bytes:  # drop the bytes without a token, as bpe() does
            ids = ids[ids >= 0]
        ids = np.ascontiguousarray(ids)
        return ids[: merge_long(ids, len(ids), keys, values, self._shift)].tolist()

    @cached_property
    def _merge_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The packed merges as a hash table (:func:`.bpe_merge_numba.pair_table`: its key and
        value arrays), and byte -> id (-1: none)."""
        from .bpe_merge_numba import pair_table

        keys = np.fromiter(self._packed_merges.keys(), dtype=np.int64, count=len(self._packed_merges))
        values = np.fromiter(self._packed_merges.values(), dtype=np.int64, count=len(self._packed_merges))
        byte_ids = np.array([-1 if i is None else i for i in self._byte_ids], dtype=np.int64)
        return (*pair_table(keys, values), byte_ids)

    def bpe_many(self, pieces: Sequence[bytes]) -> list[list[int]]:
        """:meth:`bpe` of each piece; the merges of all of them run in one compiled call
        (:func:`.bpe_merge_numba.merge_chunks`). Single bytes and whole-chunk hits stay in
        Python; very long chunks go to the compiled heap (:meth:`bpe_fast`)."""
        from .bpe_merge_numba import merge_chunks

        results: list[list[int] | None] = [None] * len(pieces)
        todo: list[int] = []
        for n, piece in enumerate(pieces):
            whole = self.bytes_to_id.get(piece) if self.ignore_merges or len(piece) == 1 else None
            if whole is not None:
                results[n] = [whole]
            elif len(piece) > _COMPILED_UP_TO:
                results[n] = self.bpe_fast(piece)
            else:
                todo.append(n)
        if todo:
            keys, values, byte_ids = self._merge_arrays
            ids = byte_ids[np.frombuffer(b"".join(pieces[n] for n in todo), dtype=np.uint8)]
            lengths = np.array([len(pieces[n]) for n in todo], dtype=np.int64)
            if self._lacks_bytes:  # drop the bytes without a token, as bpe() does
                kept = np.concatenate(([0], np.cumsum(ids >= 0)))
                ends = np.cumsum(lengths)
                lengths = kept[ends] - kept[ends - lengths]
                ids = ids[ids >= 0]
            starts = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
            merged_lengths = merge_chunks(ids, starts, keys, values, self._shift)
            flat = ids.tolist()
            for n, start, length in zip(todo, starts.tolist(), merged_lengths.tolist()):
                results[n] = flat[start : start + length]
        return results  # type: ignore[return-value]

    def _encode_ordinary(self, text: str) -> list[int]:
        """Pre-tokenize, then each chunk's ids from the cache or :meth:`bpe_many`.

        A lone surrogate (``"\\ud800"``, which Python strings allow and UTF-8 cannot
        hold) is replaced by U+FFFD when ``replace_surrogates`` is set, as tiktoken does;
        otherwise it is an :class:`~.base.InvalidTextError` (``tokenizers`` refuses such text too;
        :meth:`~.base.Tokenizer.encode` checks the whole text first, so the position is in it).
        """
        try:
            return self._encode_chunks(text)
        except UnicodeEncodeError:
            if self.replace_surrogates:
                return self._encode_chunks(text.encode("utf-16", "surrogatepass").decode("utf-16", "replace"))
            check_valid_text(text, f"{self.name}.encode")  # raises InvalidTextError
            raise

    def encode_ordinary(self, text: str) -> list[int]:
        """The model's ids for all of ``text``: no added token is matched (their text is
        ordinary text) and no BOS is added, as tiktoken's ``Encoding.encode_ordinary``
        (tiktoken/core.py). ``encode`` keeps this tokenizer's own added-token policy; this
        call lets a caller (:mod:`.tiktoken_api`) match special tokens by its own rules and
        encode the text between them. A lone surrogate is treated as ``encode`` treats it
        (replaced by U+FFFD with ``replace_surrogates``, else :class:`~.base.InvalidTextError`)."""
        if not isinstance(text, str):
            raise TypeError(f"{self.name}.encode_ordinary expects a str, got {type(text).__name__}")
        if not self.replace_surrogates:
            check_valid_text(text, f"{self.name}.encode_ordinary")
        return self._encode_ordinary(text)

    def _compiled_encoder(self, size: int):
        """The whole-text compiled encoder (:class:`.bytelevel_numba.CompiledEncoder`) for a
        text of ``size`` characters, or ``None`` to take the path of :meth:`_encode_chunks`:
        when the pre-tokenizer is not one it has a scanner for, and for short texts. It is
        built (numba's cached code loaded, the hash tables filled) once this tokenizer has been
        given ``_WHOLE_TEXT_BUILD_FROM`` characters in all in texts of at least
        ``_WHOLE_TEXT_FROM`` characters, then used for every such text."""
        encoder = self.__dict__.get("_whole_text_encoder")
        if encoder is None:
            if size < _WHOLE_TEXT_FROM or self.__dict__.get("_no_whole_text_encoder"):
                return None
            seen = self.__dict__["_characters_encoded"] = self.__dict__.get("_characters_encoded", 0) + size
            if seen < _WHOLE_TEXT_BUILD_FROM:
                return None
            from .bytelevel_numba import CompiledEncoder, scanner_of

            if scanner_of(self.pre_tokenizer) is None:
                self.__dict__["_no_whole_text_encoder"] = True
                return None
            encoder = self.__dict__["_whole_text_encoder"] = CompiledEncoder(self, _COMPILED_UP_TO)
        return encoder if size >= _WHOLE_TEXT_FROM else None

    def _encode_chunks(self, text: str) -> list[int]:
        """The chunks' ids. A long text whose pre-tokenizer has a compiled scanner (GPT-2's,
        cl100k_base's, o200k_base's, Llama-3's) is encoded in one numba call (:meth:`_compiled_encoder`); otherwise
        each chunk's ids come from the cache, or, for the chunks it lacks, :meth:`bpe_fast`
        (:meth:`bpe_many` when there are thousands). ``split_fast`` is the pre-tokenizer on
        Python's ``re`` (the same chunks as ``split``; tests check it)."""
        encoder = self._compiled_encoder(len(text))
        if encoder is not None:
            return encoder.encode(text)
        cache = self._cache
        chunks = self.pre_tokenizer.split_fast(text)
        found = list(map(cache.get, chunks))
        try:  # every chunk seen before: the common case in a long-running process
            return list(chain.from_iterable(found))
        except TypeError:  # some are new (None)
            pass
        new = list(dict.fromkeys(c for c, ids in zip(chunks, found) if ids is None))
        pieces = [c.encode("utf-8") if isinstance(c, str) else c for c in new]  # (bytes: see PreTokenizer)
        if len(pieces) >= _COMPILED_FROM:
            merged = dict(zip(new, self.bpe_many(pieces)))
        else:
            merged = {c: self.bpe_fast(piece) for c, piece in zip(new, pieces)}
        found = [merged[c] if ids is None else ids for c, ids in zip(chunks, found)]
        if len(cache) + len(merged) > _CACHE_LIMIT:
            cache.clear()
        cache.update(merged)
        return list(chain.from_iterable(found))

    # ---- Tokenizer interface ----------------------------------------------------------
    def _splitter(self) -> AddedTokenSplitter:
        splitter = self.__dict__.get("_added_splitter")
        if splitter is None:
            matched = self.added_tokens if self.match_added_tokens else ()
            splitter = self.__dict__["_added_splitter"] = AddedTokenSplitter(matched)
        return splitter

    def _wrap(self, ids: list[int]) -> list[int]:
        return [self.bos_id, *ids] if self.bos_id is not None else ids

    def token_bytes(self, id: int) -> bytes:
        """The bytes token ``id`` stands for (an added token: its UTF-8 text); ``decode``
        joins these. ``ValueError`` for an id without a token."""
        data = self._token_bytes[id] if isinstance(id, int) and 0 <= id < len(self._token_bytes) else None
        if data is None:
            raise ValueError(f"{self.name}: unknown token id {id!r} (vocab_size {self.vocab_size})")
        return data

    def _decode_ordinary(self, ids: list[int]) -> str:
        return b"".join(self._token_bytes[i] for i in ids).decode("utf-8", errors="replace")  # type: ignore[misc]

    # decode: all bytes joined, then decoded with errors="replace". Unlike the
    # segment-by-segment default, bytes on both sides of a skipped special token join up, as
    # in ``tokenizers`` (which drops skipped tokens before running the ByteLevel decoder).
    decode_as_one_sequence = True

    def token_to_id(self, token: str) -> int | None:
        return self._string_to_id.get(token)

    def to_tokenizer_json(self) -> dict:
        """This tokenizer as a Hugging Face ``tokenizer.json`` (:func:`.tokenizer_json.byte_level_bpe`)."""
        from . import tokenizer_json

        return tokenizer_json.byte_level_bpe(
            name=self.name,
            vocab=self._vocab,
            merge_ranks=self._merge_ranks_by_string,
            pre_tokenizer=self.pre_tokenizer,
            added_tokens=self.added_tokens,
            ignore_merges=self.ignore_merges,
            bos=None if self.bos_id is None else (self.id_to_token(self.bos_id), self.bos_id),
            match_added_tokens=self.match_added_tokens,
        )


# ---- loaders ------------------------------------------------------------------------------
def _read_json(path: Path, what: str):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedVocabError(f"{path}: not a valid {what} JSON file ({exc})") from exc


def _tokens_from_vocab(vocab: object, path: Path) -> list[str | None]:
    """A ``{token: id}`` mapping as a list indexed by id (``None`` where no token has the id)."""
    if not isinstance(vocab, dict) or not vocab:
        raise MalformedVocabError(f"{path}: the vocabulary must be a non-empty JSON object of token -> id")
    bad = [(t, i) for t, i in vocab.items() if not isinstance(i, int) or isinstance(i, bool) or i < 0]
    if bad:
        raise MalformedVocabError(f"{path}: ids must be non-negative integers; got {bad[:3]}")
    if max(vocab.values()) >= len(vocab) + 65536:  # holes that large mean a corrupt id, not a real vocabulary
        raise MalformedVocabError(f"{path}: id {max(vocab.values())} is far beyond the {len(vocab)} tokens")
    tokens: list[str | None] = [None] * (max(vocab.values()) + 1)
    for token, id in vocab.items():
        tokens[id] = token
    return tokens


def _parse_merge(line: str, where: str) -> tuple[str, str]:
    parts = line.split(" ")
    if len(parts) != 2 or not all(parts):
        raise MalformedVocabError(f"{where}: a merge is two tokens separated by one space, got {line!r}")
    return parts[0], parts[1]


def from_vocab_merges(vocab_json_path: str | Path, merges_txt_path: str | Path) -> ByteLevelBPE:
    """GPT-2's files: ``vocab.json`` (token -> id) and ``merges.txt`` (one ranked pair a line,
    after a ``#version`` header line), with GPT-2's regex.

    ``<|endoftext|>``, when in the vocabulary, is a special added token, as in
    transformers' ``GPT2Tokenizer`` (its default unk, bos and eos token).
    """
    vocab_json_path, merges_txt_path = Path(vocab_json_path), Path(merges_txt_path)
    tokens = _tokens_from_vocab(_read_json(vocab_json_path, "vocab.json"), vocab_json_path)
    try:
        lines = merges_txt_path.read_text(encoding="utf-8").split("\n")
    except UnicodeDecodeError as exc:
        raise MalformedVocabError(f"{merges_txt_path}: not UTF-8 text ({exc})") from exc
    merges = [
        _parse_merge(line, f"{merges_txt_path}:{n}")
        for n, line in enumerate(lines, 1)
        if line and not (n == 1 and line.startswith("#version"))
    ]
    added = [AddedToken("<|endoftext|>", tokens.index("<|endoftext|>"))] if "<|endoftext|>" in tokens else []
    return ByteLevelBPE(tokens, merges, pretokenizers.GPT2, added, name=vocab_json_path.parent.name or "gpt2")


def read_tiktoken_ranks(path: str | Path) -> dict[bytes, int]:
    """A ``.tiktoken`` file: one ``base64(token bytes) rank`` pair a line (tiktoken's
    ``load_tiktoken_bpe``). The base64 is decoded strictly (``binascii.a2b_base64`` in
    ``strict_mode``: only the alphabet, padding only at the end)."""
    path = Path(path)
    ranks: dict[bytes, int] = {}
    for n, line in enumerate(path.read_bytes().splitlines(), 1):
        if not line:
            continue
        try:
            parts = line.split()
            if len(parts) != 2:
                raise ValueError("expected two fields")
            ranks[binascii.a2b_base64(parts[0], strict_mode=True)] = int(parts[1])
        except ValueError as exc:  # binascii.Error is a ValueError
            raise MalformedVocabError(f"{path}:{n}: expected 'base64-token rank', got {line[:60]!r} ({exc})") from exc
    if not ranks:
        raise MalformedVocabError(f"{path}: no token ranks")
    return ranks


def tiktoken_merges(ranks: Mapping[bytes, int]) -> IdMerges:
    """tiktoken's ranks as BPE merges on ids.

    tiktoken merges the adjacent pair whose *concatenation* has the lowest rank, and the
    token of rank ``r`` is id ``r``: so every way of cutting a token into two tokens is a
    merge of those two ids into the token's id, at the token's rank. (A token can be cut
    in several such ways; each is a merge, as each pair is one tiktoken would merge.)
    """
    lefts: list[int] = []
    rights: list[int] = []
    merged: list[int] = []
    rank_of = ranks.get
    for data, rank in ranks.items():
        for cut in range(1, len(data)):
            left = rank_of(data[:cut])
            if left is not None:
                right = rank_of(data[cut:])
                if right is not None:
                    lefts.append(left)
                    rights.append(right)
                    merged.append(rank)
    return IdMerges.of(lefts, rights, merged, merged)


def from_tiktoken(
    path: str | Path,
    pre_tokenizer: PreTokenizer = pretokenizers.CL100K,
    special_tokens: Mapping[str, int] = CL100K_SPECIAL_TOKENS,
) -> ByteLevelBPE:
    """A tiktoken encoding (cl100k_base by default) from its ``.tiktoken`` rank file.

    The token of rank ``r`` is id ``r``; the merges are :func:`tiktoken_merges` (BPE with
    the pair ``(a, b)`` ranked as the token ``a + b``). Whole chunks are looked up first
    (``ignore_merges``), and special tokens are not matched in the text (``encode_ordinary``).
    """
    ranks = read_tiktoken_ranks(path)
    size = max(max(ranks.values()), *special_tokens.values()) + 1 if special_tokens else max(ranks.values()) + 1
    tokens: list[str | None] = [None] * size
    for data, rank in ranks.items():
        if tokens[rank] is not None:
            raise MalformedVocabError(f"{path}: rank {rank} is given to two tokens")
        tokens[rank] = spell(data)
    added = [AddedToken(content, id) for content, id in special_tokens.items()]
    return ByteLevelBPE(
        tokens,
        tiktoken_merges(ranks),
        pre_tokenizer,
        added,
        ignore_merges=True,
        match_added_tokens=False,
        replace_surrogates=True,
        name=Path(path).stem,
    )


def from_gguf_vocab(vocab: GGUFVocab) -> ByteLevelBPE:
    """A GGUF file's ``"gpt2"`` (byte-level BPE) tokenizer.

    The regex comes from ``tokenizer.ggml.pre`` (:func:`.pretokenizers.for_gguf_pre`).
    Tokens typed *control* become special added tokens and *user-defined* ones plain
    added tokens, as transformers' GGUF loader (``add_gguf_special_tokens``) and
    llama.cpp do. Like that loader, a control token is added only when written in the
    byte alphabet (it calls one spelled otherwise a llama.cpp mislabel). A user-defined
    token spelled otherwise is raw text, as in the original ``tokenizer.json``: MPT's and
    GPT-NeoX's runs of 2..24 spaces, which the original matches before the split (``"  Hello"``
    -> ``"  "``, ``"Hello"``). transformers' loader loses those (it looks them up in the
    respelled vocabulary); llama.cpp keeps them, and so does this loader.
    """
    if vocab.model != "gpt2":
        raise MalformedVocabError(f"{vocab.path}: tokenizer model {vocab.model!r} is not byte-level BPE ('gpt2')")
    try:
        pre_tokenizer = pretokenizers.for_gguf_pre(vocab.pre)
    except MalformedVocabError as error:
        raise MalformedVocabError(f"{vocab.path}: {error}") from None
    if not vocab.merges:
        raise MalformedVocabError(f"{vocab.path}: a byte-level BPE vocabulary needs tokenizer.ggml.merges")
    # transformers respells a token with characters outside the byte alphabet as its UTF-8 bytes
    tokens = [t if is_spelled(t) else spell(t.encode("utf-8")) for t in vocab.tokens]
    added = [
        AddedToken(t, i, special=kind == CONTROL)
        for i, (t, kind) in enumerate(zip(vocab.tokens, vocab.token_types))
        if kind == USER_DEFINED or (kind == CONTROL and is_spelled(t))
    ]
    flags = _GGUF_PRE_FLAGS.get(vocab.pre, {})
    add_bos = vocab.add_bos if vocab.add_bos is not None else flags.get("add_bos", False)
    bos_id = vocab.special_ids.get("bos") if add_bos else None
    if add_bos and bos_id is None:
        raise MalformedVocabError(f"{vocab.path}: add_bos_token is set but there is no bos_token_id")
    merges = [_parse_merge(m, f"{vocab.path}: tokenizer.ggml.merges[{n}]") for n, m in enumerate(vocab.merges)]
    return ByteLevelBPE(
        tokens,
        merges,
        pre_tokenizer,
        added,
        ignore_merges=flags.get("ignore_merges", False),
        bos_id=bos_id,
        name=vocab.path.stem,
    )


def _pre_tokenizer_from_json(spec: object, normalizer: object, path: Path) -> PreTokenizer:
    """The :class:`PreTokenizer` for a ``tokenizer.json``'s normalizer + pre-tokenizer.

    Understood: ``ByteLevel(use_regex=True)`` alone (GPT-2);
    ``Sequence([Split(Regex(p), "Isolated"), ByteLevel(use_regex=False)])`` (Llama-3,
    Qwen2); ``Sequence([Digits(individual_digits=True), ByteLevel(use_regex=True)])``
    (StarCoder2, SmolLM2); and no normalizer or ``NFC`` (Qwen2).
    """

    def unsupported(what: str) -> MalformedVocabError:
        return MalformedVocabError(f"{path}: {what} is not supported by this byte-level BPE loader: {spec!r}"[:400])

    if normalizer is None:
        normalization = None
    elif isinstance(normalizer, dict) and normalizer.get("type") == "NFC":
        normalization = "NFC"
    else:
        raise MalformedVocabError(f"{path}: normalizer {normalizer!r} is not supported (none or NFC)")
    steps = spec.get("pretokenizers") if isinstance(spec, dict) and spec.get("type") == "Sequence" else [spec]
    if not isinstance(steps, list) or not steps or not all(isinstance(s, dict) for s in steps):
        raise unsupported("this pre-tokenizer")
    *first, byte_level = steps
    if byte_level.get("type") != "ByteLevel" or byte_level.get("add_prefix_space", False):
        raise unsupported("a pre-tokenizer that does not end in ByteLevel(add_prefix_space=False)")
    uses_regex = byte_level.get("use_regex", True)
    if not first and uses_regex:
        return PreTokenizer("gpt-2", pretokenizers.GPT2_PATTERN, normalization=normalization)
    if len(first) == 1 and first[0].get("type") == "Digits" and first[0].get("individual_digits") and uses_regex:
        return PreTokenizer("digits+gpt-2", pretokenizers.GPT2_PATTERN, True, normalization)
    if len(first) == 1 and first[0].get("type") == "Split" and not uses_regex:
        split = first[0]
        pattern = split.get("pattern", {})
        if split.get("behavior") != "Isolated" or split.get("invert") or "Regex" not in pattern:
            raise unsupported("a Split other than Split(Regex(...), 'Isolated')")
        return PreTokenizer("split", pattern["Regex"], normalization=normalization)
    raise unsupported("this pre-tokenizer")


def from_tokenizer_json(path: str | Path) -> ByteLevelBPE:
    """A Hugging Face ``tokenizer.json`` with a byte-level BPE model.

    Reads the BPE vocabulary and merges (``"a b"`` strings or ``["a", "b"]`` pairs),
    ``ignore_merges``, the added tokens with their flags, the pre-tokenizer (see
    :func:`_pre_tokenizer_from_json`) and a ``TemplateProcessing`` post-processor that
    puts one special token in front (the BOS of Llama-3).
    """
    path = Path(path)
    spec = _read_json(path, "tokenizer.json")
    model = spec.get("model") if isinstance(spec, dict) else None
    if not isinstance(model, dict) or model.get("type") != "BPE":
        raise MalformedVocabError(f"{path}: not a BPE tokenizer.json (model type {model and model.get('type')!r})")
    if model.get("continuing_subword_prefix") or model.get("end_of_word_suffix") or model.get("byte_fallback"):
        raise MalformedVocabError(f"{path}: a BPE with subword prefixes/suffixes or byte fallback is not byte-level")
    if spec.get("decoder") is not None and spec["decoder"].get("type") != "ByteLevel":
        raise MalformedVocabError(f"{path}: decoder {spec['decoder'].get('type')!r} is not ByteLevel")
    pre_tokenizer = _pre_tokenizer_from_json(spec.get("pre_tokenizer"), spec.get("normalizer"), path)
    added_specs = spec.get("added_tokens") or []
    vocab = dict(model.get("vocab") or {})
    tokens = _tokens_from_vocab(vocab, path)
    top = max([len(tokens) - 1, *(t.get("id", -1) for t in added_specs)])
    tokens += [None] * (top + 1 - len(tokens))
    merges = []
    for n, merge in enumerate(model.get("merges") or []):
        if isinstance(merge, str):
            merges.append(_parse_merge(merge, f"{path}: merges[{n}]"))
        elif isinstance(merge, list) and len(merge) == 2 and all(isinstance(m, str) for m in merge):
            merges.append((merge[0], merge[1]))
        else:
            raise MalformedVocabError(f"{path}: merges[{n}] is {merge!r}, not 'a b' or ['a', 'b']")
    added = []
    for t in added_specs:
        if t.get("normalized") and pre_tokenizer.normalization:
            raise MalformedVocabError(
                f"{path}: added token {t.get('content')!r} is matched after normalization (unsupported)"
            )
        added.append(
            AddedToken(
                t["content"],
                t["id"],
                special=t.get("special", False),
                single_word=t.get("single_word", False),
                lstrip=t.get("lstrip", False),
                rstrip=t.get("rstrip", False),
            )
        )
    bos_id = None
    post = spec.get("post_processor")
    if isinstance(post, dict) and post.get("type") == "TemplateProcessing":
        single = post.get("single", [])
        if single and "SpecialToken" in single[0] and len(single) == 2 and "Sequence" in single[1]:
            bos = single[0]["SpecialToken"]["id"]
            bos_id = post["special_tokens"][bos]["ids"][0]
        elif not (len(single) == 1 and "Sequence" in single[0]):
            raise MalformedVocabError(f"{path}: post-processor template {single!r} is not supported ('$A' or 'BOS $A')")
    elif post is not None and post.get("type") != "ByteLevel":
        raise MalformedVocabError(f"{path}: post-processor {post.get('type')!r} is not supported")
    return ByteLevelBPE(
        tokens,
        merges,
        pre_tokenizer,
        added,
        ignore_merges=bool(model.get("ignore_merges", False)),
        bos_id=bos_id,
        name=path.parent.name or path.stem,
    )



# ---- the compiled form: a built tokenizer as arrays, read back without the loaders ------------------
#: Version of the compiled file's layout; a file of another version is never read.
COMPILED_FORMAT = 1


class CompiledTokenizerError(MalformedVocabError):
    """A compiled tokenizer file that cannot be used: unreadable, of another format or key, or
    not the bytes that were written (its digest does not match)."""


def _pre_tokenizer_fields(pre: PreTokenizer) -> dict:
    return dataclasses.asdict(pre)


def _pre_tokenizer_of(fields: dict) -> PreTokenizer:
    steps = {side: tuple(pretokenizers.Isolate(**step) for step in fields[side]) for side in ("before", "after")}
    return PreTokenizer(**{**fields, **steps})


def _digest(arrays: Mapping[str, np.ndarray]) -> str:
    digest = hashlib.sha256()
    for name in sorted(arrays):
        digest.update(name.encode() + b"\0" + str(arrays[name].dtype).encode() + b"\0")
        digest.update(np.ascontiguousarray(arrays[name]).tobytes())
    return digest.hexdigest()


def compiled_arrays(tok: ByteLevelBPE, key: str) -> dict[str, np.ndarray]:
    """``tok`` as the arrays :func:`save_compiled` writes (see there)."""
    packed = sorted(tok._packed_merges.items())
    tokens = list(tok.pieces)
    for id in tok._filled_by_added:  # the model's own vocabulary has no token there
        tokens[id] = None
    meta = {
        "format": COMPILED_FORMAT,
        "key": key,
        "name": tok.name,
        "shift": tok._shift,
        "pre_tokenizer": _pre_tokenizer_fields(tok.pre_tokenizer),
        "added_tokens": [dataclasses.asdict(t) for t in tok.added_tokens],
        "ignore_merges": tok.ignore_merges,
        "bos_id": tok.bos_id,
        "match_added_tokens": tok.match_added_tokens,
        "replace_surrogates": tok.replace_surrogates,
    }
    arrays = {
        "keys": np.array([k for k, _ in packed], dtype=np.int64),
        "values": np.array([v for _, v in packed], dtype=np.int64),
        "tokens": np.frombuffer(json.dumps(tokens, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
        "meta": np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8),
    }
    arrays["digest"] = np.frombuffer(_digest(arrays).encode("ascii"), dtype=np.uint8)
    return arrays


def save_compiled(tok: ByteLevelBPE, path: str | Path, key: str) -> None:
    """Write ``tok`` to ``path`` (an uncompressed ``.npz``), atomically, so that
    :func:`load_compiled` builds the same tokenizer without its loader.

    The file holds the packed merge table (``keys`` and ``values``, sorted by key: pairs of
    ids to ``rank << shift | merged id``), the vocabulary as a JSON list of strings
    (``null`` for an id without a token), a JSON ``meta`` (format version, ``key``, the
    pre-tokenizer's fields, the added tokens and the switches) and the sha256 of all of
    these (``digest``). ``key`` names what the tokenizer was built from (the caller's choice:
    :func:`scratch.tokenizers.load` uses the source files' sha256 and the loaders' code)."""
    from scratch.files import atomic_write

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = compiled_arrays(tok, key)
    with atomic_write(path, "wb") as out:
        np.savez(out, **arrays)


def load_compiled(path: str | Path, key: str) -> ByteLevelBPE:
    """The tokenizer :func:`save_compiled` wrote to ``path``, when the file is of this
    format, was written for ``key`` and its digest matches its content; otherwise
    :class:`CompiledTokenizerError` saying which (never a tokenizer from a file that is not
    what was written)."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in ("keys", "values", "tokens", "meta", "digest")}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise CompiledTokenizerError(f"{path}: not a readable compiled tokenizer ({type(exc).__name__}: {exc})") from None
    try:
        meta = json.loads(arrays["meta"].tobytes())
        written_digest = arrays.pop("digest").tobytes().decode("ascii")
    except (ValueError, UnicodeDecodeError) as exc:
        raise CompiledTokenizerError(f"{path}: its meta or digest is not readable ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != COMPILED_FORMAT:
        found = meta.get("format") if isinstance(meta, dict) else None
        raise CompiledTokenizerError(f"{path}: compiled format {found!r}, not {COMPILED_FORMAT}")
    if meta.get("key") != key:
        raise CompiledTokenizerError(f"{path}: built from {meta.get('key')!r}, not from {key!r} (stale)")
    if _digest(arrays) != written_digest:
        raise CompiledTokenizerError(f"{path}: content does not match its sha256 digest (corrupted)")
    tokens = json.loads(arrays["tokens"].tobytes())
    keys, values, shift = arrays["keys"], arrays["values"], meta["shift"]
    mask = (1 << shift) - 1
    merges = IdMerges(keys >> shift, keys & mask, values >> shift, values & mask)
    tok = ByteLevelBPE(
        tokens,
        merges,
        _pre_tokenizer_of(meta["pre_tokenizer"]),
        [AddedToken(**t) for t in meta["added_tokens"]],
        ignore_merges=meta["ignore_merges"],
        bos_id=meta["bos_id"],
        match_added_tokens=meta["match_added_tokens"],
        replace_surrogates=meta["replace_surrogates"],
        name=meta["name"],
    )
    if tok._shift != shift:
        raise CompiledTokenizerError(f"{path}: merge table packed with shift {shift}, the vocabulary needs {tok._shift}")
    return tok
