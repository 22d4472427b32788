"""Byte-level BPE ``encode`` of a whole text in one numba call, for GPT-2's, cl100k_base's, o200k_base's and Llama-3's split.

:meth:`.byte_bpe.ByteLevelBPE.encode_readable` is the algorithm to read: cut the text with
the pre-tokenizer's regex (:meth:`.pretokenizers.PreTokenizer.split`), then merge each chunk
(:meth:`~.byte_bpe.ByteLevelBPE.bpe`). Done chunk by chunk in Python, the time goes to the
per-chunk work around the merging (a match object, a dict lookup and a list per chunk),
not to the merging. This module does both steps inside one compiled function, on the
text's UTF-8 bytes, and gives Python one array of ids:

1. **The split** (:func:`chunk_ends`) is a hand-written scanner for the four patterns it
   knows, not a regex engine. Each pattern is a list of alternatives tried in order at the
   current position, each a run of one character class with an optional lead character,
   so the scanner reads a code point, looks its class up in a table of all 0x110000 code
   points (:func:`class_table`: letter ``\\p{L}``, number ``\\p{N}``, whitespace ``\\s``
   or other, from :mod:`.unicode_classes`, the tables the ``regex`` path uses too; for
   o200k_base, :func:`case_class_table`, letters by case and marks apart) and follows the
   branch of the pattern that matches (see :func:`_gpt2_end`, :func:`_cl100k_end` and
   :func:`_o200k_end` for how each branch of the regex reads). Which pattern a
   pre-tokenizer has is recognised exactly (:func:`scanner_of`: the pattern string itself,
   and no other step); any other pre-tokenizer is not handled here.
2. **Each chunk's ids** (:func:`encode_bytes`): a single byte is its byte's id; a chunk that
   is a whole token is found in a hash table of token bytes (:class:`WholeTokens`), which is
   most chunks of real text (measured on 100k characters: 92% of English chunks for both
   GPT-2 and cl100k_base, 76% and 92% of Python source chunks); any other chunk goes through the merge loop of
   :mod:`.bpe_merge_numba` (:func:`~.bpe_merge_numba.merge_span`, with the merges in a hash
   table). Which tokens the whole-token table holds follows the tokenizer's rule: with
   ``ignore_merges`` (tiktoken, Llama-3) every token, as ``bpe`` looks the chunk up first;
   otherwise only the tokens whose own bytes merge back into themselves, so that a hit is
   exactly what the merge loop would give. Chunks longer than ``long_from`` bytes are merged
   by :func:`~.bpe_merge_numba.merge_long` (a heap, O(n log n)): ``merge_span`` is quadratic
   in the chunk's length, and a megabyte-long word or run of spaces is one chunk.

There is no chunk cache kept between calls (so a call changes nothing shared, and calls
can run on several threads at once). Within a call, the merged chunks of up to
``_SEEN_UP_TO`` bytes are remembered in a small table by hash (the chunk's bytes are
compared, so a collision only costs a merge): a word that is not a token, repeated in
the text, is merged once. (Measured on 0.5 MB of GPT-2 English and Python source, a busy
machine: 16.5 -> 15.5 ms and 17.6 -> 13.8 ms a call.)
Tests (``tests/test_tokenizers_compiled_encode.py``) check the scanner against the ``regex``
split and the ids against the readable path and tiktoken.
"""

from __future__ import annotations

import functools

import numpy as np

from ..numba_cache import cached_njit
from . import pretokenizers, unicode_classes
from .bpe_merge_numba import merge_chunks, merge_long, merge_span

# the character classes of the table
OTHER, LETTER, NUMBER, SPACE = 0, 1, 2, 3
_END = 4  # (past the end of the text)
# o200k_base's pattern tells letters apart by case, and counts marks (\p{M}, not letters) with
# them: its table (case_class_table) has these four in place of LETTER, and marks out of OTHER
UPPER, LOWER, CASELESS, MARK = 5, 6, 7, 8  # \p{Lu}+\p{Lt}; \p{Ll}; \p{Lm}+\p{Lo}; \p{M}

#: The patterns the scanner knows -> its number for each.
GPT2, CL100K, O200K, LLAMA3 = 1, 2, 3, 4
SCANNERS = {pretokenizers.GPT2_PATTERN: GPT2, pretokenizers.CL100K_PATTERN: CL100K,
            pretokenizers.GPT4O_PATTERN: O200K, pretokenizers.LLAMA3_PATTERN: LLAMA3}  # fmt: skip


def scanner_of(pre: pretokenizers.PreTokenizer) -> int | None:
    """The scanner for ``pre`` (:data:`GPT2`, :data:`CL100K`, :data:`O200K` or :data:`LLAMA3`), or ``None`` when
    ``pre`` is anything but exactly one of those patterns on its own (no normalization, no
    digit splitting, no steps before or after it)."""
    if pre.normalization or pre.isolate_digits or pre.before or pre.after:
        return None
    return SCANNERS.get(pre.pattern)


@functools.cache
def class_table() -> np.ndarray:
    """The class of every code point (uint8, 0x110000 entries): :data:`LETTER` for
    ``\\p{L}``, :data:`NUMBER` for ``\\p{N}``, :data:`SPACE` for ``\\s`` (the references'
    tables, :mod:`.unicode_classes`), :data:`OTHER` for the rest (surrogates included; UTF-8
    text never holds them). The three classes must not overlap: a code point in two would
    make the scanner's answer depend on which it asks first."""
    table = np.zeros(0x110000, dtype=np.uint8)
    for value, ranges in ((LETTER, unicode_classes.LETTERS), (NUMBER, unicode_classes.NUMBERS),
                          (SPACE, unicode_classes.WHITESPACE)):  # fmt: skip
        for first, last in ranges:
            if table[first : last + 1].any():
                raise ValueError(f"class_table: U+{first:04X}..U+{last:04X} is in two of \\p{{L}}, \\p{{N}}, \\s")
            table[first : last + 1] = value
    table.flags.writeable = False
    return table


@functools.cache
def case_class_table() -> np.ndarray:
    """:func:`class_table` for o200k_base's pattern: each letter is :data:`UPPER` (``\\p{Lu}``,
    ``\\p{Lt}``), :data:`LOWER` (``\\p{Ll}``) or :data:`CASELESS` (``\\p{Lm}``, ``\\p{Lo}``), and
    each mark (``\\p{M}``, which is not a letter) is :data:`MARK`; the rest as there."""
    table = class_table().copy()
    for value, ranges in ((UPPER, unicode_classes.UPPERCASE_LETTERS + unicode_classes.TITLECASE_LETTERS),
                          (LOWER, unicode_classes.LOWERCASE_LETTERS),
                          (CASELESS, unicode_classes.MODIFIER_LETTERS + unicode_classes.OTHER_LETTERS)):  # fmt: skip
        for first, last in ranges:
            if (table[first : last + 1] != LETTER).any():
                raise ValueError(f"case_class_table: U+{first:04X}..U+{last:04X} is not all \\p{{L}} or in two cases")
            table[first : last + 1] = value
    for first, last in unicode_classes.MARKS:
        if (table[first : last + 1] != OTHER).any():
            raise ValueError(f"case_class_table: the mark range U+{first:04X}..U+{last:04X} meets \\p{{L}}, \\p{{N}} or \\s")
        table[first : last + 1] = MARK
    if (table == LETTER).any():
        raise ValueError("case_class_table: a letter in none of Lu, Lt, Ll, Lm, Lo")
    table.flags.writeable = False
    return table


def table_of(scanner: int) -> np.ndarray:
    """The class table ``scanner`` reads."""
    return case_class_table() if scanner == O200K else class_table()


# ---- the scanner ---------------------------------------------------------------------------
@cached_njit(nogil=True)
def _char(data, i, n, classes):
    """The code point at byte ``i`` of the UTF-8 ``data``: ``(code point, its byte length,
    its class)``; past the end, ``(-1, 0, _END)``. ``data`` is valid UTF-8 (``str.encode``)."""
    if i >= n:
        return -1, 0, _END
    b = np.int64(data[i])
    if b < 0x80:
        return b, 1, np.int64(classes[b])
    if b < 0xE0:
        cp = ((b & 0x1F) << 6) | (np.int64(data[i + 1]) & 0x3F)
        return cp, 2, np.int64(classes[cp])
    if b < 0xF0:
        cp = ((b & 0x0F) << 12) | ((np.int64(data[i + 1]) & 0x3F) << 6) | (np.int64(data[i + 2]) & 0x3F)
        return cp, 3, np.int64(classes[cp])
    cp = (((b & 0x07) << 18) | ((np.int64(data[i + 1]) & 0x3F) << 12) | ((np.int64(data[i + 2]) & 0x3F) << 6)
          | (np.int64(data[i + 3]) & 0x3F))  # fmt: skip
    return cp, 4, np.int64(classes[cp])


@cached_njit(nogil=True)
def _run_in(data, i, n, classes, mask):
    """The end of the run of characters whose class is in ``mask`` that starts at ``i``."""
    while i < n:
        _, length, c = _char(data, i, n, classes)
        if not (1 << c) & mask:
            break
        i += length
    return i


@cached_njit(nogil=True)
def _lower(b):
    """An ASCII byte in lower case (other bytes unchanged)."""
    return b | 0x20 if 0x41 <= b <= 0x5A else b


@cached_njit(nogil=True)
def _contraction(data, i, n, any_case):
    """The end of the contraction at ``i`` (``'s 't 'm 'd 're 've 'll``), or -1: GPT-2's are lower
    case only; cl100k's ``'(?i:[sdmt]|ll|ve|re)`` takes any case, and ``ſ`` (U+017F, bytes C5 BF),
    whose simple case folding is ``s``, as both tiktoken's and the ``regex`` module's ``(?i)`` do."""
    if i + 1 >= n or data[i] != 0x27:
        return -1
    a = np.int64(data[i + 1])
    if any_case:
        a = _lower(a)
        if a == 0xC5 and i + 2 < n and data[i + 2] == 0xBF:
            return i + 3
    if a == 0x73 or a == 0x74 or a == 0x6D or a == 0x64:  # s t m d
        return i + 2
    if i + 2 >= n:
        return -1
    b = np.int64(data[i + 2])
    if any_case:
        b = _lower(b)
    if (a == 0x72 and b == 0x65) or (a == 0x76 and b == 0x65) or (a == 0x6C and b == 0x6C):  # re ve ll
        return i + 3
    return -1


@cached_njit(nogil=True)
def _numbers_end(data, i, n, classes):
    """The end of ``\\p{N}{1,3}`` at ``i``: one to three numbers."""
    end = i
    for _ in range(3):
        _, length, c = _char(data, end, n, classes)
        if c != NUMBER:
            break
        end += length
    return end


@cached_njit(nogil=True)
def _whitespace(data, i, n, classes):
    """The whitespace run at ``i``: ``(its end, the start of its last character, the end
    of its last \\r or \\n or -1)``."""
    last = i
    newline_end = -1
    while i < n:
        cp, length, c = _char(data, i, n, classes)
        if c != SPACE:
            break
        last = i
        i += length
        if cp == 0x0A or cp == 0x0D:
            newline_end = i
    return i, last, newline_end


@cached_njit(nogil=True)
def _gpt2_end(data, i, n, classes):
    """The end of the chunk at ``i`` under GPT-2's
    ``'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+``:

    * a lower-case contraction;
    * else a run of letters, of numbers or of others, with one space in front if the
      character after the space starts such a run (``" ?"``);
    * else (whitespace) the whole run at the end of the text; before a non-space, the run
      but its last character (``\\s+(?!\\S)`` backs off one character, which then goes with
      what follows), or a single character when the run is one character (``\\s+``).
    """
    end = _contraction(data, i, n, False)
    if end >= 0:
        return end
    cp, length, c = _char(data, i, n, classes)
    if cp == 0x20:
        _, _, after = _char(data, i + 1, n, classes)
        if after != SPACE and after != _END:
            return _run_in(data, i + 1, n, classes, 1 << after)
    if c != SPACE:
        return _run_in(data, i, n, classes, 1 << c)
    end, last, _ = _whitespace(data, i, n, classes)
    if end == n or last == i:
        return end
    return last


@cached_njit(nogil=True)
def _cl100k_end(data, i, n, classes, run_at_end_first):
    """The end of the chunk at ``i`` under cl100k_base's
    ``'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}++|\\p{N}{1,3}+| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*+|\\s++$|\\s*[\\r\\n]|\\s+(?!\\S)|\\s``:

    * a contraction in any case;
    * a letter run, with one character in front that is neither \\r, \\n, a letter nor a
      number (possessive: once taken it is not given back, so the branch needs a letter
      right after it);
    * one to three numbers;
    * a run of others, with one space in front, then any \\r and \\n after it;
    * whitespace: the whole run at the end of the text (``\\s++$``); else the run up to and
      including its last \\r or \\n (``\\s*[\\r\\n]``); else the run but its last character
      when that is followed by a non-space (``\\s+(?!\\S)``); else one character (``\\s``).

    Llama-3's pattern (``run_at_end_first`` false) is the same regex without possessive
    quantifiers, which change nothing here (no later part of a branch can fail), and
    without ``\\s++$``: a run of whitespace at the end of the text that holds a newline
    ends after its last \\r or \\n (``\\s*[\\r\\n]+``), and what follows it is a chunk of
    its own (``\\s+(?!\\S)``).
    """
    end = _contraction(data, i, n, True)
    if end >= 0:
        return end
    cp, length, c = _char(data, i, n, classes)
    if c == LETTER:
        return _run_in(data, i, n, classes, 1 << LETTER)
    if c == NUMBER:
        return _numbers_end(data, i, n, classes)
    if cp != 0x0A and cp != 0x0D:  # [^\r\n\p{L}\p{N}]?+\p{L}++
        _, _, after = _char(data, i + length, n, classes)
        if after == LETTER:
            return _run_in(data, i + length, n, classes, 1 << LETTER)
    start = i
    if cp == 0x20:
        _, _, after = _char(data, i + 1, n, classes)
        if after == OTHER:
            start = i + 1
            c = OTHER
    if c == OTHER:
        end = _run_in(data, start, n, classes, 1 << OTHER)
        while end < n and (data[end] == 0x0A or data[end] == 0x0D):
            end += 1
        return end
    end, last, newline_end = _whitespace(data, i, n, classes)
    if end == n and run_at_end_first:
        return end
    if newline_end >= 0:
        return newline_end
    if end == n:
        return end
    if last > i:
        return last
    return i + length


# o200k_base's sets of the case table's classes, as bit masks (1 << class)
_UPPER_SET = (1 << UPPER) | (1 << CASELESS) | (1 << MARK)  # [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
_LOWER_SET = (1 << LOWER) | (1 << CASELESS) | (1 << MARK)  # [\p{Ll}\p{Lm}\p{Lo}\p{M}]
_SYMBOL_SET = (1 << OTHER) | (1 << MARK)  # [^\s\p{L}\p{N}]


@cached_njit(nogil=True)
def _case_run_end(data, j, n, classes, lower_first):
    """The end of o200k_base's letter branches from ``j``, their optional contraction
    included, or -1 where the branch does not match. With ``lower_first``, the first branch
    ``[upper set]*[lower set]+``: the upper-set run is greedy and gives characters back
    until a lower-set character follows, so it ends after the lower-set run that follows
    the whole upper-set run, or else right after the run's last character that is in both
    sets (caseless letters, marks), or fails. Otherwise the second branch,
    ``[upper set]+[lower set]*``: the whole upper-set run (at least one character) and
    the lower-set run after it."""
    k = j
    both_end = -1  # the end of the last character in both sets
    c, length = _END, 0
    while k < n:
        _, length, c = _char(data, k, n, classes)
        if not (1 << c) & _UPPER_SET:
            break
        k += length
        if (1 << c) & _LOWER_SET:
            both_end = k
        c = _END
    if lower_first:
        if c == LOWER:
            end = _run_in(data, k + length, n, classes, _LOWER_SET)
        elif both_end >= 0:
            end = both_end
        else:
            return -1
    else:
        if k == j:
            return -1
        end = _run_in(data, k, n, classes, _LOWER_SET)
    after = _contraction(data, end, n, True)
    return after if after >= 0 else end


@cached_njit(nogil=True)
def _o200k_end(data, i, n, classes):
    r"""The end of the chunk at ``i`` under o200k_base's (GPT-4o's) pattern, a backtracking
    regex (no possessive parts), read in order::

        [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
        |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
        |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+

    * the two letter branches (:func:`_case_run_end`), each first with one leading
      character that is not \r, \n, a letter or a number (a mark is such a character, and
      in both letter sets), then without it;
    * one to three numbers;
    * a run of symbols and marks, with one space in front, then any \r, \n and ``/``;
    * whitespace: up to and including its last \r or \n (``\s*[\r\n]+``); else the whole
      run at the end of the text, or the run but its last character before a non-space
      (``\s+(?!\S)``); else the one character (``\s+`` of a run of one).
    """
    cp, length, c = _char(data, i, n, classes)
    # which of the four tries can match: with the lead, only if a letter or mark follows
    # it; without, only from a letter or mark
    leads = c != NUMBER and c != UPPER and c != LOWER and c != CASELESS and cp != 0x0A and cp != 0x0D
    if leads:
        _, _, after = _char(data, i + length, n, classes)
        leads = ((1 << after) & (_UPPER_SET | _LOWER_SET)) != 0
    alone = ((1 << c) & (_UPPER_SET | _LOWER_SET)) != 0
    for lower_first in (True, False):
        if leads:
            end = _case_run_end(data, i + length, n, classes, lower_first)
            if end >= 0:
                return end
        if alone:
            end = _case_run_end(data, i, n, classes, lower_first)
            if end >= 0:
                return end
    if c == NUMBER:
        return _numbers_end(data, i, n, classes)
    start = i
    if cp == 0x20:
        _, _, after = _char(data, i + 1, n, classes)
        if (1 << after) & _SYMBOL_SET:
            start = i + 1
            c = OTHER
    if (1 << c) & _SYMBOL_SET:
        end = _run_in(data, start, n, classes, _SYMBOL_SET)
        while end < n and (data[end] == 0x0A or data[end] == 0x0D or data[end] == 0x2F):
            end += 1
        return end
    end, last, newline_end = _whitespace(data, i, n, classes)
    if newline_end >= 0:
        return newline_end
    if end == n:
        return end
    if last > i:
        return last
    return i + length


@cached_njit(nogil=True)
def chunk_end(data, i, n, classes, scanner):
    """The end (a byte offset) of the chunk that starts at byte ``i``."""
    if scanner == GPT2:
        return _gpt2_end(data, i, n, classes)
    if scanner == CL100K or scanner == LLAMA3:
        return _cl100k_end(data, i, n, classes, scanner == CL100K)
    return _o200k_end(data, i, n, classes)


@cached_njit(nogil=True)
def chunk_ends(data, classes, scanner):
    """The end offset of every chunk of the UTF-8 ``data``, in order."""
    n = data.shape[0]
    ends = np.empty(n, dtype=np.int64)
    k = 0
    i = 0
    while i < n:
        i = chunk_end(data, i, n, classes, scanner)
        ends[k] = i
        k += 1
    return ends[:k]


def split(text: str, scanner: int) -> list[str]:
    """The chunks of ``text`` by the scanner (what ``PreTokenizer.split`` gives for its
    pattern; tests check it). ``UnicodeEncodeError`` for a lone surrogate."""
    data = text.encode("utf-8")
    ends = chunk_ends(np.frombuffer(data, dtype=np.uint8), table_of(scanner), scanner).tolist()
    return [data[start:end].decode("utf-8") for start, end in zip([0, *ends], ends)]


# ---- whole tokens and the encoder ---------------------------------------------------------------
@cached_njit(nogil=True)
def hash_bytes(data, start, end):
    """FNV-1a, 64 bits, of ``data[start:end]``."""
    h = np.uint64(0xCBF29CE484222325)
    for i in range(start, end):
        h = (h ^ np.uint64(data[i])) * np.uint64(0x100000001B3)
    return h


@cached_njit(nogil=True)
def equal_bytes(a, a_start, b, b_start, length):
    """Whether ``a[a_start:a_start + length]`` and ``b[b_start:b_start + length]`` are the same bytes."""
    for j in range(length):
        if a[a_start + j] != b[b_start + j]:
            return False
    return True


@cached_njit(nogil=True)
def _fill_whole(token_data, token_offsets, ids, bits):
    slots = np.full(1 << bits, -1, dtype=np.int64)  # index into ids, -1: empty
    mask = np.uint64((1 << bits) - 1)
    for k in range(ids.shape[0]):
        i = hash_bytes(token_data, token_offsets[k], token_offsets[k + 1]) & mask
        while slots[i] >= 0:
            i = (i + np.uint64(1)) & mask
        slots[i] = k
    return slots


@cached_njit(nogil=True)
def _whole_token(data, start, end, h, slots, token_data, token_offsets, token_ids):
    """The id of the token whose bytes are ``data[start:end]`` (their hash ``h``), or -1."""
    mask = np.uint64(slots.shape[0] - 1)
    i = h & mask
    length = end - start
    while True:
        k = slots[i]
        if k < 0:
            return -1
        at = token_offsets[k]
        if token_offsets[k + 1] - at == length and equal_bytes(token_data, at, data, start, length):
            return token_ids[k]
        i = (i + np.uint64(1)) & mask


class WholeTokens:
    """Token bytes -> id as an open-addressing hash table of FNV-1a hashes: the tokens'
    bytes one after the other (``data``, ``offsets``), their ids (``ids``) and the slots
    (index into ``ids``, -1 for an empty slot; at most half full)."""

    def __init__(self, tokens: dict[bytes, int]):
        self.data = np.frombuffer(b"".join(tokens), dtype=np.uint8)
        self.offsets = np.concatenate(([0], np.cumsum([len(t) for t in tokens]))).astype(np.int64)
        self.ids = np.fromiter(tokens.values(), dtype=np.int64, count=len(tokens))
        self.slots = _fill_whole(self.data, self.offsets, self.ids, max(4, (2 * len(tokens)).bit_length()))


_SEEN_UP_TO = 32  # encode_bytes remembers the merged chunks of up to this many bytes


@cached_njit(nogil=True)
def _same_bytes(data, start, end, seen_bytes, seen_length, slot):
    """Whether ``data[start:end]`` is the chunk remembered in ``slot``."""
    if seen_length[slot] != end - start:
        return False
    for j in range(end - start):
        if seen_bytes[slot, j] != data[start + j]:
            return False
    return True


@cached_njit(nogil=True)
def _byte_ids_of(data, start, end, byte_ids, dest, at):
    """Write the ids of the bytes ``data[start:end]`` to ``dest[at:]``, a byte without a token
    dropped (as ``bpe`` drops it); returns how many were written."""
    length = 0
    for j in range(start, end):
        b = byte_ids[data[j]]
        if b >= 0:
            dest[at + length] = b
            length += 1
    return length


@cached_njit(nogil=True)
def encode_bytes(data, classes, scanner, byte_ids, pair_keys, pair_values, shift,
                 slots, token_data, token_offsets, token_ids, long_from, out):  # fmt: skip
    """Encode the UTF-8 ``data``: each chunk (:func:`chunk_end`) as its byte's id (one byte;
    a byte without a token is dropped, as ``bpe`` drops it), as the whole token it is
    (``slots``..., see :class:`WholeTokens`), or merged (:func:`.bpe_merge_numba.merge_span`;
    a chunk longer than ``long_from`` bytes by :func:`.bpe_merge_numba.merge_long`).
    ``out`` must hold ``len(data)`` ids. Returns the number of ids written."""
    n = data.shape[0]
    ids = np.empty(long_from, dtype=np.int64)
    ranks = np.empty(long_from, dtype=np.int64)
    # the merged chunks of this call, by hash (one entry a slot, the last one kept)
    size = 16
    while size < 4096 and size * 64 < n:
        size *= 2
    seen_length = np.full(size, -1, dtype=np.int64)
    seen_bytes = np.empty((size, _SEEN_UP_TO), dtype=np.uint8)
    seen_count = np.empty(size, dtype=np.int64)
    seen_ids = np.empty((size, _SEEN_UP_TO), dtype=np.int64)
    m = 0
    i = 0
    while i < n:
        end = chunk_end(data, i, n, classes, scanner)
        if end - i == 1:
            b = byte_ids[data[i]]
            if b >= 0:
                out[m] = b
                m += 1
        else:
            h = hash_bytes(data, i, end)
            whole = _whole_token(data, i, end, h, slots, token_data, token_offsets, token_ids)
            seen = np.int64(h >> np.uint64(40)) & (size - 1)
            if whole >= 0:
                out[m] = whole
                m += 1
            elif end - i > long_from:  # merged in place, where its tokens go
                length = _byte_ids_of(data, i, end, byte_ids, out, m)
                m += merge_long(out[m:], length, pair_keys, pair_values, shift)
            elif _same_bytes(data, i, end, seen_bytes, seen_length, seen):
                for j in range(seen_count[seen]):
                    out[m + j] = seen_ids[seen, j]
                m += seen_count[seen]
            else:
                length = _byte_ids_of(data, i, end, byte_ids, ids, 0)
                length = merge_span(ids, 0, length, ranks, pair_keys, pair_values, shift)
                for j in range(length):
                    out[m + j] = ids[j]
                m += length
                if end - i <= _SEEN_UP_TO:
                    seen_length[seen] = end - i
                    seen_count[seen] = length
                    for j in range(end - i):
                        seen_bytes[seen, j] = data[i + j]
                    for j in range(length):
                        seen_ids[seen, j] = ids[j]
        i = end
    return m


class CompiledEncoder:
    """``tok``'s ``encode_ordinary`` as one compiled call (see the module's docstring), for a
    tokenizer whose pre-tokenizer :func:`scanner_of` knows; ``ValueError`` for another."""

    def __init__(self, tok, long_from: int):  # (tok: a byte_bpe.ByteLevelBPE, which imports this module)
        scanner = scanner_of(tok.pre_tokenizer)
        if scanner is None:
            raise ValueError(f"{tok.name}: no compiled scanner for pre-tokenizer {tok.pre_tokenizer.name!r}")
        self.scanner = scanner
        self.long_from = long_from
        self.classes = table_of(scanner)
        self.pair_keys, self.pair_values, self.byte_ids = tok._merge_arrays
        self.shift = tok._shift
        whole = dict(tok.bytes_to_id)
        if not tok.ignore_merges:  # only tokens that the merge loop gives back whole
            whole = {data: id for (data, id), keep in zip(whole.items(), self._merge_to_themselves(whole)) if keep}
        self.whole = WholeTokens(whole)

    def _merge_to_themselves(self, tokens: dict[bytes, int]) -> list[bool]:
        """For each token, whether the merge loop alone (no whole-token lookup) turns its
        bytes into that one token."""
        ids = self.byte_ids[np.frombuffer(b"".join(tokens), dtype=np.uint8)]
        kept = np.concatenate(([0], np.cumsum(ids >= 0)))
        ends = np.cumsum([len(t) for t in tokens])
        starts = np.concatenate(([0], kept[ends])).astype(np.int64)
        ids = np.ascontiguousarray(ids[ids >= 0])
        lengths = merge_chunks(ids, starts, self.pair_keys, self.pair_values, self.shift)
        first = ids[np.minimum(starts[:-1], max(len(ids) - 1, 0))] if len(ids) else np.full(len(tokens), -1)
        wanted = np.fromiter(tokens.values(), dtype=np.int64, count=len(tokens))
        return ((lengths == 1) & (first == wanted)).tolist()

    def encode(self, text: str) -> list[int]:
        """The ids of ``text`` (no added tokens); ``UnicodeEncodeError`` for a lone surrogate."""
        data = text.encode("utf-8")
        array = np.frombuffer(data, dtype=np.uint8)
        out = np.empty(len(data), dtype=np.int64)
        w = self.whole
        m = encode_bytes(array, self.classes, self.scanner, self.byte_ids, self.pair_keys, self.pair_values,
                         self.shift, w.slots, w.data, w.offsets, w.ids, self.long_from, out)  # fmt: skip
        return out[:m].tolist()
