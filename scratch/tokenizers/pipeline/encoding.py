"""What the model stage produces and the post-processor and decoder consume.

A :class:`Token` is one piece the model found in one pre-token; an :class:`Encoding` is
the whole sequence, shaped like ``tokenizers.Encoding`` (``tokenizers/src/tokenizer/
encoding.rs``, exposed to Python by ``bindings/python/src/encoding.rs``): ids, token
strings, offsets into the original text, type ids (which sequence of a pair), a mask of
the special tokens the post-processor added, the attention mask (0 on padding), the index
of the pre-token (word) each token came from, the pieces truncation cut off
(``overflowing``, each an :class:`Encoding` itself) and which tokens belong to which
sequence of a pair (``sequence_ranges``; ``sequence_ids`` reads them).

The methods mirror the reference's one by one, with its corner cases: ``truncate`` cuts
with a ``stride`` of tokens repeated between consecutive pieces, ``merge`` combines the
overflowing pieces of the encodings it joins, ``pad`` pads the overflowing pieces too, and
the lookups (``char_to_token``, ``word_to_tokens``, ...) return ``None`` where the reference
does. Indices are unsigned in the reference: a negative one raises ``OverflowError``, as
pyo3 does when it converts it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Iterable

Span = tuple[int, int]

#: The two directions the Python API takes for ``pad`` and ``truncate``.
DIRECTIONS = ("left", "right")


@dataclass(frozen=True)
class Token:
    """One token of a pre-token: ``offsets`` are character offsets in that pre-token's text."""

    id: int
    value: str
    offsets: Span


def _unsigned(value: object, name: str) -> int:
    """``value`` as a Rust ``usize``/``u32`` argument: an int, not negative."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}: expected an int, got {type(value).__name__}")
    if value < 0:
        raise OverflowError(f"{name}: can't convert negative int to unsigned")
    return value


def _direction(value: object, message: str = "Unknown `direction`: `{}`. Use one of `left` or `right`") -> str:
    """A direction of the Python API (``"left"``/``"right"``), refused with the binding's message."""
    if value not in DIRECTIONS:
        raise ValueError(message.format(value))
    return value  # type: ignore[return-value]


@dataclass
class Encoding:
    """A tokenized sequence (or a pair merged into one by a post-processor)."""

    ids: list[int] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    offsets: list[Span] = field(default_factory=list)
    type_ids: list[int] = field(default_factory=list)
    special_tokens_mask: list[int] = field(default_factory=list)
    word_ids: list[int | None] = field(default_factory=list)
    #: 1 for a real token, 0 for padding (only :meth:`pad` adds padding). Empty in the
    #: encodings the post-processors build: there it means all ones.
    attention_mask: list[int] = field(default_factory=list)
    #: The pieces truncation cut off, each with the special tokens of the post-processor.
    overflowing: list[Encoding] = field(default_factory=list)
    #: sequence index -> the ``(start, end)`` tokens of that sequence. Empty: one sequence
    #: covering every token (``Encoding::sequence_ranges``).
    sequence_ranges: dict[int, Span] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    # ---- building ------------------------------------------------------------------------------
    def append(self, id: int, token: str, offsets: Span, type_id: int = 0, special: bool = False,
               word: int | None = None) -> None:  # fmt: skip
        """Add one token at the end."""
        self._fill_attention()
        self.ids.append(id)
        self.tokens.append(token)
        self.offsets.append(offsets)
        self.type_ids.append(type_id)
        self.special_tokens_mask.append(int(special))
        self.word_ids.append(word)
        self.attention_mask.append(1)

    def extend(self, other: Encoding, shift: int = 0) -> None:
        """Add all of ``other``'s tokens at the end (offsets moved by ``shift``), and its
        sequence ranges moved past ours. The overflowing pieces are :meth:`merge_with`'s."""
        self._fill_attention()
        length = len(self)
        self.sequence_ranges.update({i: (s + length, e + length) for i, (s, e) in other.sequence_ranges.items()})
        self.ids += other.ids
        self.tokens += other.tokens
        self.offsets += [(s + shift, e + shift) for s, e in other.offsets] if shift else other.offsets
        self.type_ids += other.type_ids
        self.special_tokens_mask += other.special_tokens_mask
        self.word_ids += other.word_ids
        self.attention_mask += other.attention_mask if len(other.attention_mask) == len(other) else [1] * len(other)

    def _fill_attention(self) -> None:
        if len(self.attention_mask) != len(self.ids):
            self.attention_mask = [1] * len(self.ids)

    def clone(self) -> Encoding:
        """A deep copy (the overflowing pieces copied too)."""
        self._fill_attention()
        return Encoding(list(self.ids), list(self.tokens), list(self.offsets), list(self.type_ids),
                        list(self.special_tokens_mask), list(self.word_ids), list(self.attention_mask),
                        [o.clone() for o in self.overflowing], dict(self.sequence_ranges))  # fmt: skip

    def slice(self, start: int, stop: int) -> Encoding:
        """Tokens ``start:stop`` as a new encoding, without overflowing pieces or sequence ranges."""
        self._fill_attention()
        return Encoding(*(getattr(self, name)[start:stop] for name in PER_TOKEN_LISTS))

    def _become(self, other: Encoding) -> None:
        for name in (*PER_TOKEN_LISTS, "overflowing", "sequence_ranges"):
            setattr(self, name, getattr(other, name))

    # ---- sequences -----------------------------------------------------------------------------
    @property
    def n_sequences(self) -> int:
        """How many sequences this encoding holds (1 when no ranges are recorded)."""
        return len(self.sequence_ranges) or 1

    def set_sequence_id(self, sequence_id: int) -> None:
        """Every token belongs to sequence ``sequence_id`` (``Encoding::set_sequence_id``: one
        more range, the others kept)."""
        self.sequence_ranges[_unsigned(sequence_id, "sequence_id")] = (0, len(self))

    def _sequence_range(self, sequence_id: int) -> Span:
        return self.sequence_ranges.get(sequence_id, (0, len(self)))

    @property
    def sequence_ids(self) -> list[int | None]:
        """The sequence of each token; ``None`` for the tokens of none (special tokens, padding)."""
        ids: list[int | None] = [None] * len(self)
        for sequence_id in range(self.n_sequences):
            start, end = self._sequence_range(sequence_id)
            ids[start:end] = [sequence_id] * (end - start)
        return ids

    @property
    def words(self) -> list[int | None]:
        """Deprecated alias of :attr:`word_ids`, as in ``tokenizers``."""
        warnings.warn("Encoding.words is deprecated, please use Encoding.word_ids instead.", DeprecationWarning, stacklevel=2)
        return self.word_ids

    # ---- lookups -----------------------------------------------------------------------------
    def token_to_sequence(self, token_index: int) -> int | None:
        """The sequence holding token ``token_index`` (the reference's bound check is
        ``token > len``: the index one past the end still answers 0 when there are no ranges)."""
        token = _unsigned(token_index, "token_index")
        if token > len(self):
            return None
        if not self.sequence_ranges:
            return 0
        return next((i for i, (s, e) in self.sequence_ranges.items() if s <= token < e), None)

    def token_to_chars(self, token_index: int) -> Span | None:
        """The offsets of token ``token_index``."""
        if self.token_to_sequence(token_index) is None or token_index >= len(self):
            return None
        return self.offsets[token_index]

    def token_to_word(self, token_index: int) -> int | None:
        """The word of token ``token_index`` (``None`` for special tokens and padding)."""
        if self.token_to_sequence(token_index) is None or token_index >= len(self):
            return None
        return self.word_ids[token_index]

    def word_to_tokens(self, word_index: int, sequence_index: int = 0) -> Span | None:
        """``(first token, last token + 1)`` of word ``word_index`` in the given sequence. As
        the reference, the scan stops at the first token of a later word (a token without a
        word never stops it)."""
        word = _unsigned(word_index, "word_index")
        start, end = self._sequence_range(_unsigned(sequence_index, "sequence_index"))
        if end > len(self) or start > end:
            return None
        found = []
        for i, w in enumerate(self.word_ids[start:end]):
            if w is not None and w > word:
                break
            if w == word:
                found.append(i)
        return (start + min(found), start + max(found) + 1) if found else None

    def word_to_chars(self, word_index: int, sequence_index: int = 0) -> Span | None:
        """The character span of word ``word_index`` in the given sequence."""
        tokens = self.word_to_tokens(word_index, sequence_index)
        if tokens is None or tokens[1] == 0:
            return None
        return self.offsets[tokens[0]][0], self.offsets[tokens[1] - 1][1]

    def char_to_token(self, char_pos: int, sequence_index: int = 0) -> int | None:
        """The first token of the given sequence whose offsets contain ``char_pos``."""
        pos = _unsigned(char_pos, "char_pos")
        start, end = self._sequence_range(_unsigned(sequence_index, "sequence_index"))
        if end > len(self) or start > end:
            return None
        for i, (s, e) in enumerate(self.offsets[start:end]):
            if s <= pos < e:
                return start + i
        return None

    def char_to_word(self, char_pos: int, sequence_index: int = 0) -> int | None:
        """The word of the token holding ``char_pos`` in the given sequence."""
        token = self.char_to_token(char_pos, sequence_index)
        return None if token is None else self.token_to_word(token)

    # ---- truncating, merging, padding ------------------------------------------------------------
    def truncate(self, max_length: int, stride: int = 0, direction: str = "right") -> None:
        """Keep ``max_length`` tokens; the rest goes to :attr:`overflowing` in pieces of at
        most ``max_length`` tokens, each starting ``max_length - stride`` tokens after the one
        before (``direction="left"``: keep the end, the pieces walk backwards). The old
        overflowing pieces and sequence ranges are dropped (``Encoding::truncate``).
        ``stride >= max_length`` is refused with :class:`ValueError` where the reference
        panics (only when there is something to cut)."""
        max_length = _unsigned(max_length, "max_length")
        stride = _unsigned(stride, "stride")
        direction = _direction(direction, "Invalid truncation direction value : {}")
        length = len(self)
        if max_length >= length:
            return
        if max_length == 0:
            whole = Encoding()
            whole._become(self)
            self._become(Encoding(overflowing=[whole]))
            return
        if stride >= max_length:
            raise ValueError(
                f"`stride` must be strictly less than `max_len={max_length}` (note that `max_len` may be shorter "
                "than the max length of the original model, as it subtracts the number of special characters"
            )
        step = max_length - stride
        parts: list[Span] = []
        if direction == "right":
            for start in range(0, length, step):
                stop = min(start + max_length, length)
                parts.append((start, stop))
                if stop == length:
                    break
        else:
            for last in range(length - 1, -1, -step):
                stop = last + 1
                start = max(stop - max_length, 0)
                parts.append((start, stop))
                if start == 0:
                    break
        kept = self.slice(*parts[0])
        kept.overflowing = [self.slice(*part) for part in parts[1:]]
        self._become(kept)

    def merge_with(self, pair: Encoding, growing_offsets: bool) -> None:
        """Append ``pair`` in place (``Encoding::merge_with``). The overflowing pieces combine:
        each of ours followed by ``pair`` (whose own pieces make nested ones) and by each of
        ``pair``'s pieces, then all of us followed by each of ``pair``'s pieces. With
        ``growing_offsets``, ``pair``'s offsets move past our last token's end."""
        overflowing = []
        for mine in self.overflowing:
            combined = mine.clone()
            combined.merge_with(pair.clone(), growing_offsets)
            overflowing.append(combined)
            for theirs in pair.overflowing:
                combined = mine.clone()
                combined.merge_with(theirs.clone(), growing_offsets)
                overflowing.append(combined)
        for theirs in pair.overflowing:
            combined = self.clone()
            combined.merge_with(theirs.clone(), growing_offsets)
            overflowing.append(combined)
        shift = self.offsets[-1][1] if growing_offsets and self.offsets else 0
        self.extend(pair, shift)
        self.overflowing = overflowing

    @staticmethod
    def merge(encodings: Iterable[Encoding], growing_offsets: bool = True) -> Encoding:
        """All ``encodings`` one after the other (the inputs are left unchanged)."""
        out = Encoding()
        for encoding in encodings:
            out.merge_with(encoding.clone(), growing_offsets)
        return out

    def pad(self, length: int, direction: str = "right", pad_id: int = 0, pad_type_id: int = 0,
            pad_token: str = "[PAD]") -> None:  # fmt: skip
        """Pad to ``length`` tokens (nothing when already as long), the overflowing pieces
        too: pad tokens are special, with attention 0, offsets ``(0, 0)`` and no word; on the
        left, the sequence ranges move right (``Encoding::pad``)."""
        length = _unsigned(length, "length")
        direction = _direction(direction)
        for piece in self.overflowing:
            piece.pad(length, direction, pad_id, pad_type_id, pad_token)
        n = length - len(self)
        if n <= 0:
            return
        self._fill_attention()
        padding = Encoding([pad_id] * n, [pad_token] * n, [(0, 0)] * n, [pad_type_id] * n, [1] * n, [None] * n, [0] * n)
        if direction == "right":
            self.extend(padding)
            return
        ranges = {i: (s + n, e + n) for i, (s, e) in self.sequence_ranges.items()}
        for name in PER_TOKEN_LISTS:
            setattr(self, name, getattr(padding, name) + getattr(self, name))
        self.sequence_ranges = ranges


#: The names of an :class:`Encoding`'s lists, one value per token each.
PER_TOKEN_LISTS = ("ids", "tokens", "offsets", "type_ids", "special_tokens_mask", "word_ids", "attention_mask")
