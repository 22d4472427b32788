"""The model stage: one pre-token (a word) in, its tokens out.

Four models, as in Hugging Face ``tokenizers`` (``tokenizers/src/models/``):

* :class:`BPE` (Sennrich et al. 2016): start from the word's characters, then keep gluing
  the adjacent pair with the best-ranked merge until no pair has one.
* :class:`WordPiece` (BERT): greedy longest match first, from the left; a piece that does
  not start the word carries the ``##`` prefix; a word that cannot be cut is ``[UNK]``.
* :class:`WordLevel`: the whole word is one token, or the unknown token.
* :class:`Unigram` (Kudo 2018): every piece has a log-probability; the most probable
  segmentation (Viterbi) wins.

Every model has the same small interface (:class:`Model`): ``tokenize(word)`` gives
:class:`~.encoding.Token` s whose offsets are *character* offsets in the word, the vocabulary
both ways (``token_to_id``, ``id_to_token``, ``get_vocab``, ``vocab_size``), and ``to_json()``,
the ``"model"`` object of a ``tokenizer.json`` exactly as ``tokenizers`` 0.23.3 writes it.
:func:`model_from_json` builds a model from that object and refuses what it does not know.

The reference works on UTF-8 bytes: its token offsets are byte offsets, which the tokenizer
later maps to characters. Where a token covers part of a character (BPE's byte fallback
gives one ``<0xXX>`` token per byte), the mapping widens it to the whole character, so here
every such token gets the offsets of the character it came from.
"""

from __future__ import annotations

import heapq
import math
import random
import re
import struct
from decimal import Decimal
from typing import Any, Iterable, Mapping, Sequence

from ..base import MalformedVocabError
from .encoding import Token
from .spec import Reader, UnsupportedComponentError, field, read_component

#: ``tokenizers``' ``utils::cache::DEFAULT_CACHE_CAPACITY``; the cache only saves time.
CACHE_CAPACITY = 10_000

#: A JSON number: sign, integer digits, fraction digits, exponent.
NUMBER = re.compile(r"(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?")

#: Unigram's penalty for an unknown character (``unigram/model.rs`` ``K_UNK_PENALTY``).
UNK_PENALTY = 10.0


def byte_token(byte: int) -> str:
    """The vocabulary entry of one byte for byte fallback: ``<0x41>`` (two upper-case hex digits)."""
    return f"<0x{byte:02X}>"


def char_offsets(text: str, byte_spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Byte spans in ``text``'s UTF-8 turned into character spans, each widened to whole
    characters: what ``NormalizedString::convert_offsets`` and the byte-to-char converter of
    ``tokenizers`` give for a token that starts or ends inside a character."""
    if text.isascii():
        return list(byte_spans)
    byte_spans = list(byte_spans)
    char_of_byte = [i for i, c in enumerate(text) for _ in range(len(c.encode("utf-8")))]
    n = len(char_of_byte)  # a span past the end (byte fallback of a prefix) stays in bytes
    return [(char_of_byte[start], char_of_byte[end - 1] + 1) if end <= n else (start, end) for start, end in byte_spans]


def f32_json(x: float) -> float:
    """``x`` as ``tokenizers`` writes an ``f32`` (serde_json: the shortest decimal that reads
    back as the same 32-bit float), read back by Python as a float."""
    pack = struct.Struct("<f")
    single = pack.unpack(pack.pack(x))[0]
    for digits in range(1, 18):
        shortest = float(f"{single:.{digits}g}")
        if pack.unpack(pack.pack(shortest))[0] == single:
            return shortest
    return single


U64_MAX = 2**64 - 1
POW10 = [float(f"1e{k}") for k in range(309)]


def serde_json_f64(number: float | int | Decimal | str) -> float:
    """The f64 that ``tokenizers`` reads for a JSON number (serde_json without its
    ``float_roundtrip`` feature, ``de.rs`` ``parse_integer`` ... ``f64_from_parts``).

    serde_json does not round decimals correctly: it collects up to 19-20 digits into a
    u64 ``significand`` (later digits are dropped), then computes ``significand * 10**e``
    or ``significand / 10**-e`` in f64 arithmetic, which can be one unit in the last place
    off. Unigram scores read from a ``tokenizer.json`` are those values, so this model
    reads them the same way. ``number`` is the JSON text, or a :class:`~decimal.Decimal`
    (its text), or a float (then its shortest ``repr``, which is the text ``tokenizers`` and
    Python write)."""
    text = str(number) if isinstance(number, (str, Decimal)) else repr(number)
    match = NUMBER.fullmatch(text)
    if match is None:
        raise MalformedVocabError(f"not a JSON number: {text!r:.40}")
    sign, integer, fraction, exp = match.groups()

    def fits(significand: int, digit: int) -> bool:  # serde_json's overflow! macro, negated
        return significand < U64_MAX // 10 or significand == U64_MAX // 10 and digit <= U64_MAX % 10

    significand, kept = 0, 0
    while kept < len(integer) and fits(significand, int(integer[kept])):
        significand = significand * 10 + int(integer[kept])
        kept += 1
    exponent = len(integer) - kept  # integer digits past the u64 are dropped but counted
    if fraction is None and exp is None and kept == len(integer):
        value = float(significand)  # a plain integer: read as u64 / i64, then `as f64`
        return -value if sign else value
    for digit in map(int, fraction or ""):
        if not fits(significand, digit):
            break  # parse_decimal_overflow: this and every later digit dropped
        significand, exponent = significand * 10 + digit, exponent - 1
    exponent += int(exp or 0)
    f = float(significand)
    while True:
        if abs(exponent) < len(POW10):
            if exponent >= 0:
                f *= POW10[exponent]
                if math.isinf(f):
                    raise MalformedVocabError(f"number out of range: {text!r:.40}")
            else:
                f /= POW10[-exponent]
            break
        if f == 0.0:
            break
        if exponent >= 0:
            raise MalformedVocabError(f"number out of range: {text!r:.40}")
        f /= 1e308
        exponent += 308
    return -f if sign else f


def check_vocab(vocab: Any, where: str) -> dict[str, int]:
    """A ``{token: id}`` mapping with ids that fit in a u32 and no id used twice (the
    reference would then write one of the tokens at random)."""
    if not isinstance(vocab, Mapping):
        raise MalformedVocabError(f"{where}: the field 'vocab' should be an object {{token: id}}, got {vocab!r:.80}")
    seen: dict[int, str] = {}
    for token, id in vocab.items():
        if not isinstance(token, str) or isinstance(id, bool) or not isinstance(id, int) or not 0 <= id < 2**32:
            raise MalformedVocabError(f"{where}: the field 'vocab' has a bad entry {token!r:.40}: {id!r:.40}")
        if id in seen:
            raise MalformedVocabError(f"{where}: the field 'vocab' gives id {id} to both {seen[id]!r:.40} and {token!r:.40}")
        seen[id] = token
    return dict(vocab)


class Model:
    """What every model offers; subclasses fill ``tokenize`` and ``to_json``."""

    type_name = "Model"

    def tokenize(self, text: str) -> list[Token]:
        raise NotImplementedError

    def to_json(self) -> dict:
        raise NotImplementedError

    def token_to_id(self, token: str) -> int | None:
        raise NotImplementedError

    def id_to_token(self, id: int) -> str | None:
        raise NotImplementedError

    def get_vocab(self) -> dict[str, int]:
        raise NotImplementedError

    @property
    def vocab_size(self) -> int:
        raise NotImplementedError

    def tokenize_ids(self, text: str) -> list[int]:
        """Only the ids of :meth:`tokenize`."""
        return [token.id for token in self.tokenize(text)]


class VocabModel(Model):
    """A model whose vocabulary is a ``{token: id}`` object (BPE, WordPiece, WordLevel)."""

    def __init__(self, vocab: Mapping[str, int]):
        self.vocab = check_vocab(vocab, self.type_name)
        self.vocab_r = {id: token for token, id in self.vocab.items()}

    def token_to_id(self, token: str) -> int | None:
        return self.vocab.get(token)

    def id_to_token(self, id: int) -> str | None:
        return self.vocab_r.get(id)

    def get_vocab(self) -> dict[str, int]:
        return dict(self.vocab)

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def ordered_vocab(self) -> dict[str, int]:
        """The vocabulary in id order, as ``OrderedVocabIter`` writes it (holes skipped)."""
        return {self.vocab_r[id]: id for id in sorted(self.vocab_r)}

    def unk_id(self, unk_token: str) -> int:
        """The id of the unknown token, needed now: an error if the vocabulary lacks it
        (the reference fails the same way, at encode time, not at load)."""
        id = self.vocab.get(unk_token)
        if id is None:
            raise MalformedVocabError(f"{self.type_name}: the unk_token {unk_token!r} is not in the vocabulary")
        return id


# --- BPE ------------------------------------------------------------------------------


class BPE(VocabModel):
    """Byte-pair encoding with ``tokenizers``' options (``models/bpe/model.rs``).

    ``tokenize(word)``, as ``BPE::merge_word`` then ``Word::merge_all``:

    1. **Symbols.** Each character becomes a symbol: the character, with
       ``continuing_subword_prefix`` before it unless it is the first, and
       ``end_of_word_suffix`` after it if it is the last. A symbol missing from the
       vocabulary becomes, with ``byte_fallback``, one ``<0xXX>`` symbol per UTF-8 byte
       (when all of those are in the vocabulary); otherwise the ``unk_token`` (consecutive
       ones glued into one with ``fuse_unk``); with neither, it is dropped. As in the
       reference, a pending unknown symbol is only written when the next *known character*
       comes (or at the end), so byte-fallback symbols met meanwhile come before it.
    2. **Merges.** A merge ``(a, b)`` of rank ``r`` (its line in the merges list; when a
       pair is listed twice the later line counts) glues adjacent symbols ``a b`` into
       ``a + b`` (``b``'s continuing prefix removed). Repeatedly apply the merge of lowest
       rank, the leftmost among equal ranks (a priority queue of ``(rank, position)``;
       entries made stale by an earlier merge are skipped).
    3. **Dropout** (Provilkov et al. 2020): each time the queue gives a merge, it is set
       aside with probability ``dropout`` (and put back after the next merge that is done).
       With ``dropout`` in (0, 1] the result is random: reproducible here given ``seed``
       (a :class:`random.Random` per model), and never cached.

    ``ignore_merges`` looks the whole word up first (Llama-3); like the reference it only
    applies without dropout. Words are cached (without dropout); the cache never changes a
    result, so its size does not matter.

    ``byte_fallback`` together with a ``continuing_subword_prefix`` or
    ``end_of_word_suffix``: an unknown character's fallback spells the prefix (suffix) in
    bytes too (``"##b"`` -> ``<0x23> <0x23> <0x62>``), as the reference does. Each byte token
    counts one byte of the word there, so the reference's offsets run past the end of the
    word; the ids and tokens are the reference's, the offsets past the end are kept as
    those byte numbers (what the reference reports with no normalizer).
    """

    type_name = "BPE"

    def __init__(
        self,
        vocab: Mapping[str, int],
        merges: Sequence[tuple[str, str]],
        unk_token: str | None = None,
        continuing_subword_prefix: str | None = None,
        end_of_word_suffix: str | None = None,
        fuse_unk: bool = False,
        byte_fallback: bool = False,
        ignore_merges: bool = False,
        dropout: float | None = None,
        seed: int | None = None,
    ):
        super().__init__(vocab)
        if dropout is not None and not 0.0 <= dropout <= 1.0:
            raise MalformedVocabError(f"BPE: dropout should be between 0 and 1, got {dropout!r}")
        self.unk_token = unk_token
        self.continuing_subword_prefix = continuing_subword_prefix
        self.end_of_word_suffix = end_of_word_suffix
        self.fuse_unk = fuse_unk
        self.byte_fallback = byte_fallback
        self.ignore_merges = ignore_merges
        self.dropout = None if dropout is None else f32_json(dropout)
        self.rng = random.Random(seed)
        #: (left id, right id) -> (rank, merged id)
        self.merges: dict[tuple[int, int], tuple[int, int]] = {}
        for rank, merge in enumerate(merges):
            left, right = merge
            self.merges[self.merge_ids(left, right, rank)] = (rank, self.merged_id(left, right, rank))
        self.cache: dict[str, list[Token]] = {}

    def merge_ids(self, left: str, right: str, rank: int) -> tuple[int, int]:
        ids = self.vocab.get(left), self.vocab.get(right)
        if None in ids:
            missing = left if ids[0] is None else right
            raise MalformedVocabError(f"BPE: the field 'merges' (line {rank}) uses {missing!r}, not in the vocabulary")
        return ids  # type: ignore[return-value]

    def merged_id(self, left: str, right: str, rank: int) -> int:
        """The id of ``left + right`` without ``right``'s continuing prefix. Like the
        reference, the prefix's length in bytes is cut from ``right`` whether or not it
        starts with it."""
        cut = len((self.continuing_subword_prefix or "").encode("utf-8"))
        right_bytes = right.encode("utf-8")
        try:
            if len(right_bytes) < cut:
                raise UnicodeDecodeError("utf-8", right_bytes, 0, cut, "shorter than the prefix")
            merged = left + right_bytes[cut:].decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedVocabError(
                f"BPE: the field 'merges' (line {rank}) {right!r} cannot lose the prefix "
                f"{self.continuing_subword_prefix!r}"
            ) from None
        id = self.vocab.get(merged)
        if id is None:
            raise MalformedVocabError(f"BPE: the field 'merges' (line {rank}) makes {merged!r}, not in the vocabulary")
        return id

    def uses_dropout(self) -> bool:
        return self.dropout is not None and self.dropout != 0.0

    def tokenize(self, text: str) -> list[Token]:
        if not text:
            return []
        if self.uses_dropout():
            return self.merge_word(text)
        if self.ignore_merges and text in self.vocab:
            return [Token(self.vocab[text], text, (0, len(text)))]
        tokens = self.cache.get(text)
        if tokens is None:
            tokens = self.merge_word(text)
            if len(self.cache) < CACHE_CAPACITY:
                self.cache[text] = tokens
        return list(tokens)

    def symbols(self, text: str) -> list[tuple[int, int]]:
        """Step 1: the word's initial symbols as ``(id, length in UTF-8 bytes)``."""
        symbols: list[tuple[int, int]] = []
        unk: tuple[int, int] | None = None  # the pending unknown symbol
        last = len(text) - 1
        for i, char in enumerate(text):
            piece = char
            if i > 0 and self.continuing_subword_prefix is not None:
                piece = self.continuing_subword_prefix + piece
            if i == last and self.end_of_word_suffix is not None:
                piece = piece + self.end_of_word_suffix
            n_bytes = len(char.encode("utf-8"))
            id = self.vocab.get(piece)
            if id is not None:
                if unk is not None:
                    symbols.append(unk)
                    unk = None
                symbols.append((id, n_bytes))
                continue
            if self.byte_fallback:
                byte_ids = [self.vocab.get(byte_token(b)) for b in piece.encode("utf-8")]
                if None not in byte_ids:
                    symbols += [(b, 1) for b in byte_ids]  # type: ignore[misc]
                    continue
            if self.unk_token is not None:
                if unk is not None and self.fuse_unk:
                    unk = (unk[0], unk[1] + n_bytes)
                else:
                    if unk is not None:
                        symbols.append(unk)
                    unk = (self.unk_id(self.unk_token), n_bytes)
        if unk is not None:
            symbols.append(unk)
        return symbols

    def merge_all(self, symbols: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Step 2 (and 3): apply the merges to the symbols, lowest rank first, leftmost
        first among equal ranks. Symbols are a doubly linked list over their first
        positions; a merged-away symbol gets length 0."""
        ids = [id for id, _ in symbols]
        lengths = [length for _, length in symbols]
        n = len(ids)
        prev = list(range(-1, n - 1))
        next = list(range(1, n)) + [-1] if n else []
        queue = []
        for pos in range(n - 1):
            merge = self.merges.get((ids[pos], ids[pos + 1]))
            if merge is not None:
                queue.append((merge[0], pos, merge[1]))
        heapq.heapify(queue)
        dropout = self.dropout if self.uses_dropout() else None
        skipped: list[tuple[int, int, int]] = []
        while queue:
            top = heapq.heappop(queue)
            if dropout is not None and self.rng.random() < dropout:
                skipped.append(top)
                continue
            for entry in skipped:
                heapq.heappush(queue, entry)
            skipped.clear()
            _, pos, new_id = top
            if lengths[pos] == 0 or next[pos] == -1:
                continue  # merged away, or the last symbol
            right = next[pos]
            current = self.merges.get((ids[pos], ids[right]))
            if current is None or current[1] != new_id:
                continue  # a stale entry: this pair is no longer there
            ids[pos] = new_id
            lengths[pos] += lengths[right]
            lengths[right] = 0
            next[pos] = next[right]
            if next[pos] != -1:
                prev[next[pos]] = pos
            if prev[pos] >= 0:
                merge = self.merges.get((ids[prev[pos]], new_id))
                if merge is not None:
                    heapq.heappush(queue, (merge[0], prev[pos], merge[1]))
            if next[pos] != -1:
                merge = self.merges.get((new_id, ids[next[pos]]))
                if merge is not None:
                    heapq.heappush(queue, (merge[0], pos, merge[1]))
        return [(id, length) for id, length in zip(ids, lengths) if length != 0]

    def merge_word(self, text: str) -> list[Token]:
        merged = self.merge_all(self.symbols(text))
        spans, start = [], 0
        for _, length in merged:
            spans.append((start, start + length))
            start += length
        offsets = char_offsets(text, spans)
        return [Token(id, self.vocab_r[id], span) for (id, _), span in zip(merged, offsets)]

    def to_json(self) -> dict:
        by_rank = sorted(self.merges.items(), key=lambda item: item[1][0])
        return {
            "type": "BPE",
            "dropout": self.dropout,
            "unk_token": self.unk_token,
            "continuing_subword_prefix": self.continuing_subword_prefix,
            "end_of_word_suffix": self.end_of_word_suffix,
            "fuse_unk": self.fuse_unk,
            "byte_fallback": self.byte_fallback,
            "ignore_merges": self.ignore_merges,
            "vocab": self.ordered_vocab(),
            "merges": [[self.vocab_r[a], self.vocab_r[b]] for (a, b), _ in by_rank],
        }


def parse_merges(merges: Any, where: str) -> list[tuple[str, str]]:
    """The ``merges`` field in either spelling: ``[["a", "b"], ...]`` (tokenizers >= 0.20)
    or ``["a b", ...]`` (older files and ``merges.txt``: exactly one space, ``#version``
    lines skipped, as ``convert_merges_to_hashmap``)."""
    if not isinstance(merges, list):
        raise MalformedVocabError(f"{where}: the field 'merges' should be a list, got {merges!r:.80}")
    if all(isinstance(m, list) and len(m) == 2 and all(isinstance(p, str) for p in m) for m in merges):
        return [(a, b) for a, b in merges]
    if not all(isinstance(m, str) for m in merges):
        raise MalformedVocabError(f"{where}: the field 'merges' should hold [a, b] pairs or 'a b' strings")
    pairs = []
    for line, merge in enumerate(m for m in merges if not m.startswith("#version")):
        parts = merge.split(" ")
        if len(parts) != 2:
            raise MalformedVocabError(f"{where}: the field 'merges' line {line + 1} is {merge!r:.60}, not 'a b'")
        pairs.append((parts[0], parts[1]))
    return pairs


def bpe_from_json(spec: dict, where: str) -> BPE:
    dropout = field(spec, "dropout", (int, float, Decimal), where, None)
    return BPE(
        field(spec, "vocab", dict, where),
        parse_merges(field(spec, "merges", list, where), where),
        unk_token=field(spec, "unk_token", str, where, None),
        continuing_subword_prefix=field(spec, "continuing_subword_prefix", str, where, None),
        end_of_word_suffix=field(spec, "end_of_word_suffix", str, where, None),
        fuse_unk=field(spec, "fuse_unk", bool, where, None) or False,
        byte_fallback=field(spec, "byte_fallback", bool, where, None) or False,
        ignore_merges=field(spec, "ignore_merges", bool, where, None) or False,
        dropout=None if dropout is None else serde_json_f64(dropout),
    )


# --- WordPiece and WordLevel ----------------------------------------------------------


class WordPiece(VocabModel):
    """BERT's WordPiece (``models/wordpiece/mod.rs``, ``WordPiece::tokenize``).

    From the start of the word, take the longest prefix in the vocabulary (shrinking one
    character at a time); every piece after the first is looked up with
    ``continuing_subword_prefix`` (``##``) before it; continue after it. If at some point
    no prefix is in the vocabulary, the *whole word* is one ``unk_token``. A word of more
    than ``max_input_chars_per_word`` *characters* (not bytes) is ``unk_token`` at once.
    """

    type_name = "WordPiece"

    def __init__(self, vocab: Mapping[str, int], unk_token: str = "[UNK]", max_input_chars_per_word: int = 100,
                 continuing_subword_prefix: str = "##"):  # fmt: skip
        super().__init__(vocab)
        self.unk_token = unk_token
        self.max_input_chars_per_word = max_input_chars_per_word
        self.continuing_subword_prefix = continuing_subword_prefix
        self.max_piece_chars = max((len(t) for t in self.vocab), default=0)

    def tokenize(self, text: str) -> list[Token]:
        if len(text) > self.max_input_chars_per_word:
            return self.unknown(text)
        tokens, start = [], 0
        while start < len(text):
            prefix = self.continuing_subword_prefix if start > 0 else ""
            # no piece is longer than the longest token: start shrinking from there
            end = min(len(text), start + self.max_piece_chars)
            while end > start and prefix + text[start:end] not in self.vocab:
                end -= 1
            if end == start:
                return self.unknown(text)
            piece = prefix + text[start:end]
            tokens.append(Token(self.vocab[piece], piece, (start, end)))
            start = end
        return tokens

    def unknown(self, text: str) -> list[Token]:
        """The whole word as one ``unk_token``."""
        return [Token(self.unk_id(self.unk_token), self.unk_token, (0, len(text)))]

    def to_json(self) -> dict:
        return {
            "type": "WordPiece",
            "unk_token": self.unk_token,
            "continuing_subword_prefix": self.continuing_subword_prefix,
            "max_input_chars_per_word": self.max_input_chars_per_word,
            "vocab": self.ordered_vocab(),
        }


def wordpiece_from_json(spec: dict, where: str) -> WordPiece:
    max_chars = field(spec, "max_input_chars_per_word", int, where)
    if max_chars < 0:
        raise MalformedVocabError(f"{where}: the field 'max_input_chars_per_word' should be >= 0, got {max_chars}")
    return WordPiece(
        field(spec, "vocab", dict, where),
        unk_token=field(spec, "unk_token", str, where),
        max_input_chars_per_word=max_chars,
        continuing_subword_prefix=field(spec, "continuing_subword_prefix", str, where),
    )


class WordLevel(VocabModel):
    """A word is one token, or ``unk_token`` (``models/wordlevel/mod.rs``)."""

    type_name = "WordLevel"

    def __init__(self, vocab: Mapping[str, int], unk_token: str = "<unk>"):
        super().__init__(vocab)
        self.unk_token = unk_token

    def tokenize(self, text: str) -> list[Token]:
        id = self.vocab.get(text)
        if id is not None:
            return [Token(id, text, (0, len(text)))]
        return [Token(self.unk_id(self.unk_token), self.unk_token, (0, len(text)))]

    def to_json(self) -> dict:
        return {"type": "WordLevel", "vocab": self.ordered_vocab(), "unk_token": self.unk_token}


def wordlevel_from_json(spec: dict, where: str) -> WordLevel:
    return WordLevel(field(spec, "vocab", dict, where), unk_token=field(spec, "unk_token", str, where))


# --- Unigram --------------------------------------------------------------------------


class Unigram(Model):
    """The Unigram language model (``models/unigram/model.rs``, ``encode_optimized``).

    The vocabulary is a list of ``(piece, score)``, the score a log-probability (an f64);
    a piece's id is its index (a piece listed twice gets its last index). The best
    segmentation of a word maximises the sum of the scores, found by Viterbi:

    * ``best[j]`` is the best score of a segmentation of the first ``j`` characters and the
      piece that ends it. Going left to right over the start positions ``i``, every piece
      ``text[i:j]`` in the vocabulary (shortest first) proposes ``best[i] + score``; a
      proposal replaces the current one only if strictly better.
    * If no single-character piece starts at ``i``, the character is *unknown*: it
      proposes ``best[i] + (min score - 10)`` with ``unk_id`` (an error if there is none
      and it wins).
    * Back from the end, the pieces of the best path; runs of unknown pieces are glued
      into one token (the reference's Unigram always fuses unknowns), whose text is the
      original text, not the unk piece.

    Each resulting string is then looked up: a known piece is its id; an unknown run
    becomes, with ``byte_fallback``, one ``<0xXX>`` token per UTF-8 byte (all with the run's
    offsets), if all are in the vocabulary, else ``unk_id``.
    """

    type_name = "Unigram"

    def __init__(self, vocab: Sequence[tuple[str, float]], unk_id: int | None = None, byte_fallback: bool = False):
        self.vocab = [(piece, float(score)) for piece, score in vocab]
        if unk_id is not None and not 0 <= unk_id < len(self.vocab):
            raise MalformedVocabError(f"Unigram: unk_id {unk_id} is not an index of the vocabulary ({len(self.vocab)} pieces)")
        self.unk_id = unk_id
        self.byte_fallback = byte_fallback
        self.token_to_ids = {piece: id for id, (piece, _) in enumerate(self.vocab)}
        self.min_score = min((score for _, score in self.vocab), default=float("inf"))
        self.max_piece_chars = max((len(piece) for piece in self.token_to_ids), default=0)
        self.cache: dict[str, list[str]] = {}

    def token_to_id(self, token: str) -> int | None:
        return self.token_to_ids.get(token)

    def id_to_token(self, id: int) -> str | None:
        return self.vocab[id][0] if 0 <= id < len(self.vocab) else None

    def get_vocab(self) -> dict[str, int]:
        return dict(self.token_to_ids)

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def missing_unk(self) -> MalformedVocabError:
        return MalformedVocabError("Unigram: an unknown character, but the model has no unk_id")

    def encode(self, text: str) -> list[str]:
        """The best segmentation of ``text``, as strings (unknown runs fused)."""
        if not text:
            return []
        cached = self.cache.get(text)
        if cached is not None:
            return cached
        n = len(text)
        unk_score = self.min_score - UNK_PENALTY
        best_score = [0.0] * (n + 1)
        best_start: list[int | None] = [None] * (n + 1)
        best_id = [0] * (n + 1)

        def propose(start: int, end: int, score: float, id: int | None) -> None:
            candidate = best_score[start] + score
            if best_start[end] is None or candidate > best_score[end]:
                if id is None:
                    raise self.missing_unk()
                best_score[end], best_start[end], best_id[end] = candidate, start, id

        for start in range(n):
            has_single_char = False
            for end in range(start + 1, min(n, start + self.max_piece_chars) + 1):
                id = self.token_to_ids.get(text[start:end])
                if id is not None:
                    propose(start, end, self.vocab[id][1], id)
                    has_single_char |= end == start + 1
            if not has_single_char:
                propose(start, start + 1, unk_score, self.unk_id)

        pieces: list[str] = []
        unknown_run: list[str] = []  # read backwards
        end = n
        while end > 0:
            start = best_start[end]
            assert start is not None
            if best_id[end] == self.unk_id:
                unknown_run.append(text[start:end])
            else:
                if unknown_run:
                    pieces.append("".join(reversed(unknown_run)))
                    unknown_run = []
                pieces.append(text[start:end])
            end = start
        if unknown_run:
            pieces.append("".join(reversed(unknown_run)))
        pieces.reverse()
        if len(self.cache) < CACHE_CAPACITY:
            self.cache[text] = pieces
        return pieces

    def tokenize(self, text: str) -> list[Token]:
        tokens: list[Token] = []
        start = 0
        for piece in self.encode(text):
            span = (start, start + len(piece))
            start = span[1]
            id = self.token_to_ids.get(piece)
            if id is None and self.byte_fallback:
                byte_ids = [self.token_to_ids.get(byte_token(b)) for b in piece.encode("utf-8")]
                if None not in byte_ids:
                    tokens += [Token(b, byte_token(byte), span) for b, byte in zip(byte_ids, piece.encode("utf-8"))]  # type: ignore[arg-type]
                    continue
            if id is None:
                if self.unk_id is None:
                    raise self.missing_unk()
                id = self.unk_id
            tokens.append(Token(id, piece, span))
        return tokens

    def to_json(self) -> dict:
        return {
            "type": "Unigram",
            "unk_id": self.unk_id,
            "vocab": [[piece, score] for piece, score in self.vocab],
            "byte_fallback": self.byte_fallback,
        }


def unigram_from_json(spec: dict, where: str) -> Unigram:
    vocab = field(spec, "vocab", list, where)
    for entry in vocab:
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
                and isinstance(entry[1], (int, float, Decimal)) and not isinstance(entry[1], bool)):  # fmt: skip
            raise MalformedVocabError(f"{where}: the field 'vocab' should hold [piece, score] pairs, got {entry!r:.80}")
    unk_id = field(spec, "unk_id", int, where, None)
    if unk_id is not None and unk_id < 0:
        raise MalformedVocabError(f"{where}: the field 'unk_id' should be >= 0, got {unk_id}")
    if unk_id is not None and not vocab:
        raise MalformedVocabError(f"{where}: the vocabulary is empty but an unk_id is given")
    # the scores as the reference reads them (serde_json's decimal parsing)
    return Unigram([(p, serde_json_f64(s)) for p, s in vocab], unk_id=unk_id, byte_fallback=field(spec, "byte_fallback", bool, where, None) or False)


#: type -> (its options, how to build it from its JSON object, whose options
#: :func:`.read_component` has checked).
MODELS: dict[str, Reader] = {
    "BPE": (("dropout", "unk_token", "continuing_subword_prefix", "end_of_word_suffix", "fuse_unk", "byte_fallback",
             "ignore_merges", "vocab", "merges"), bpe_from_json),
    "WordPiece": (("unk_token", "continuing_subword_prefix", "max_input_chars_per_word", "vocab"), wordpiece_from_json),
    "WordLevel": (("vocab", "unk_token"), wordlevel_from_json),
    "Unigram": (("unk_id", "vocab", "byte_fallback"), unigram_from_json),
}  # fmt: skip


def model_from_json(spec: dict | None, seed: int | None = None) -> Model | None:
    """The model of a ``tokenizer.json`` (its ``"model"`` object); ``None`` stays ``None``.

    ``seed`` seeds BPE dropout. An unknown ``type`` or option is an
    :class:`UnsupportedComponentError`; a malformed vocabulary or merges list a
    :class:`MalformedVocabError` naming the field. A model object without a ``type``
    (files older than ``tokenizers`` 0.9) gets the type its fields say, tried in the
    reference's order (``ModelUntagged``: BPE, WordPiece, WordLevel, Unigram)."""
    if spec is None:
        return None
    if isinstance(spec, dict) and "type" not in spec:
        spec = {**spec, "type": legacy_model_type(spec)}
    model = read_component(spec, "model", MODELS)
    if seed is not None and isinstance(model, BPE):
        model.rng = random.Random(seed)
    return model


def legacy_model_type(spec: dict) -> str:
    """The type of a model object written without ``"type"``: BPE has merges, WordPiece a
    subword prefix or a word length limit, WordLevel a vocabulary object, Unigram a list."""
    if "merges" in spec:
        return "BPE"
    if "continuing_subword_prefix" in spec or "max_input_chars_per_word" in spec:
        return "WordPiece"
    if isinstance(spec.get("vocab"), dict):
        return "WordLevel"
    if isinstance(spec.get("vocab"), list):
        return "Unigram"
    raise MalformedVocabError(f"model: an object without a 'type' whose fields fit no model: {sorted(spec)}")
