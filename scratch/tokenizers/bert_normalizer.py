"""BERT's "basic tokenizer": clean the text, then cut it into words and punctuation.

Before WordPiece sees anything, BERT (Devlin et al. 2018, ``tokenization.py``'s
``BasicTokenizer``; Hugging Face ``tokenizers``' ``BertNormalizer`` + ``BertPreTokenizer``)
turns raw text into a list of words:

1. **clean**: drop NUL, U+FFFD and control/format characters (category ``Cc``, ``Cf``,
   ``Co``), and turn every whitespace character (tab, newline, no-break space ...) into
   a plain space;
2. **CJK**: put spaces around every CJK ideograph, so each becomes a word of its own;
3. **accents** (uncased models only): decompose (NFD) and drop the non-spacing marks
   (category ``Mn``), so ``"café"`` becomes ``"cafe"``;
4. **lowercase** (uncased models only), character by character;
5. **split** on whitespace (dropped) and around every punctuation character (kept as
   a word of its own). BERT's punctuation is all ASCII non-alphanumeric symbols
   (``$``, ``+``, ``^``, ```` ` ```` ... are not Unicode punctuation) plus Unicode ``P*``.

    >>> normalize("Héllo,\\tWORLD 你好", lowercase=True)
    'hello, world  你  好 '
    >>> pre_tokenize('hello, world  你  好 ')
    ['hello', ',', 'world', '你', '好']

Matching the reference to the character. Hugging Face ``tokenizers`` classifies
characters with the Rust crate ``unicode_categories``, whose tables are from
**Unicode 8.0** (2015), while Python's ``unicodedata`` is newer (14.0 on Python 3.11).
So a character assigned after 8.0 (say U+2E52, a punctuation mark from Unicode 13) is
*unassigned* to the reference: not punctuation, not a control character, not a
non-spacing mark. Three characters also changed category since 8.0. The table below
lists exactly these code points (those this Python calls ``Cf``, ``P*`` or ``Mn``
but Unicode 8.0 did not); a test checks every code point against the reference. Two
more details follow the reference rather than the original BERT: its CJK block list
(``0x2B920``, not ``0x2B820``, starts the Extension E range), and the *Rust*
definition of whitespace (Unicode ``White_Space``), which unlike ``str.isspace`` does
not include U+001C..U+001F. Its decompositions (NFD) predate Unicode 13.0, which
matters for one character (U+11938). Lower case is the reference's too (Rust's
``char::to_lowercase``, whose Unicode version is newer than Python 3.11's 14.0: U+1C89
and Garay U+10D50.. are from 16.0), from the table generated from the reference
(:data:`.unicode_classes.LOWERCASE`, ``python -m reference.unicode_tables``).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right

from .base import WHITESPACE
from .unicode_classes import LOWERCASE

# Code points that Python's unicodedata (14.0) puts in Cf, P* or Mn but that were not
# yet assigned in Unicode 8.0, the version of the reference's category tables.
_ASSIGNED_AFTER_UNICODE_8 = """
0x061D 0x07FD 0x0890-0x0891 0x0898-0x089F 0x08CA-0x08E2 0x09FD-0x09FE 0x0A76
0x0AFA-0x0AFF 0x0B55 0x0C04 0x0C3C 0x0C77 0x0C84 0x0D00 0x0D3B-0x0D3C 0x0D81 0x0EBA
0x180F 0x1885-0x1886 0x1ABF-0x1ACE 0x1B7D-0x1B7E 0x1DF6-0x1DFB 0x2E43-0x2E4F
0x2E52-0x2E5D 0xA82C 0xA8C5 0xA8FF 0xA9BD 0x10D24-0x10D27 0x10EAB-0x10EAD
0x10F46-0x10F50 0x10F55-0x10F59 0x10F82-0x10F89 0x11070 0x11073-0x11074 0x110C2
0x110CD 0x111CF 0x1123E 0x1133B 0x11438-0x1143F 0x11442-0x11444 0x11446
0x1144B-0x1144F 0x1145A-0x1145B 0x1145D-0x1145E 0x11660-0x1166C 0x116B9
0x1182F-0x11837 0x11839-0x1183B 0x1193B-0x1193C 0x1193E 0x11943-0x11946
0x119D4-0x119D7 0x119DA-0x119DB 0x119E0 0x119E2 0x11A01-0x11A0A 0x11A33-0x11A38
0x11A3B-0x11A47 0x11A51-0x11A56 0x11A59-0x11A5B 0x11A8A-0x11A96 0x11A98-0x11A9C
0x11A9E-0x11AA2 0x11C30-0x11C36 0x11C38-0x11C3D 0x11C3F 0x11C41-0x11C45
0x11C70-0x11C71 0x11C92-0x11CA7 0x11CAA-0x11CB0 0x11CB2-0x11CB3 0x11CB5-0x11CB6
0x11D31-0x11D36 0x11D3A 0x11D3C-0x11D3D 0x11D3F-0x11D45 0x11D47 0x11D90-0x11D91
0x11D95 0x11D97 0x11EF3-0x11EF4 0x11EF7-0x11EF8 0x11FFF 0x12FF1-0x12FF2
0x13430-0x13438 0x16E97-0x16E9A 0x16F4F 0x16FE2 0x16FE4 0x1CF00-0x1CF2D
0x1CF30-0x1CF46 0x1E000-0x1E006 0x1E008-0x1E018 0x1E01B-0x1E021 0x1E023-0x1E024
0x1E026-0x1E02A 0x1E130-0x1E136 0x1E2AE 0x1E2EC-0x1E2EF 0x1E944-0x1E94A
0x1E95E-0x1E95F
"""

# Characters whose category changed after Unicode 8.0: their 8.0 category.
_UNICODE_8_CATEGORY_CHANGES = {
    0x166D: "Po",  # CANADIAN SYLLABICS CHI SIGN, So since Unicode 12
    0x111C9: "Po",  # SHARADA SANDHI MARK, Mn since Unicode 11
    0x1734: "Mn",  # HANUNOO SIGN PAMUDPOD, Mc since Unicode 14
}


def parse_ranges(text: str) -> tuple[list[int], list[int]]:
    """A table of code point ranges written as hexadecimal ``FIRST-LAST`` or ``ONE`` items
    separated by white space (``"0x2E52-0x2E5D 11938"``), as ``(starts, ends)``, both sorted
    when the items are: the form :func:`is_in_ranges` searches."""
    starts, ends = [], []
    for item in text.split():
        first, _, last = item.partition("-")
        starts.append(int(first, 16))
        ends.append(int(last or first, 16))
    return starts, ends


def is_in_ranges(cp: int, ranges: tuple[list[int], list[int]]) -> bool:
    """Whether code point ``cp`` is in one of the ranges of a :func:`parse_ranges` table
    (binary search over the starts)."""
    i = bisect_right(ranges[0], cp) - 1
    return i >= 0 and cp <= ranges[1][i]


_NEW_STARTS, _NEW_ENDS = _NEW_RANGES = parse_ranges(_ASSIGNED_AFTER_UNICODE_8)


def unicode8_category(ch: str) -> str:
    """The general category of ``ch`` as the reference sees it (Unicode 8.0 tables)."""
    cp = ord(ch)
    if cp in _UNICODE_8_CATEGORY_CHANGES:
        return _UNICODE_8_CATEGORY_CHANGES[cp]
    if is_in_ranges(cp, _NEW_RANGES):
        return "Cn"
    return unicodedata.category(ch)


def is_whitespace(ch: str) -> bool:
    """Unicode ``White_Space`` (Rust's ``char::is_whitespace``), not ``str.isspace``."""
    return ch in WHITESPACE


def is_control(ch: str) -> bool:
    """Characters that cleaning removes: control, format, private use (tab/CR/LF are whitespace)."""
    if ch in "\t\n\r":
        return False
    return unicode8_category(ch) in ("Cc", "Cf", "Co", "Cs")


def is_punctuation(ch: str) -> bool:
    """BERT punctuation: every non-alphanumeric ASCII symbol, plus Unicode P*."""
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicode8_category(ch).startswith("P")


def to_lower(ch: str) -> str:
    """``ch`` in lower case as the reference does it (one or more characters); unlike
    ``str.lower``, independent of this Python's Unicode version."""
    return LOWERCASE.get(ord(ch), ch)


def is_cjk(ch: str) -> bool:
    """CJK Unified Ideographs (and extensions, compatibility ideographs), as the reference lists them."""
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B920 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


# The reference's decomposition tables predate Unicode 13.0, which gave U+11938 (DIVES
# AKURU VOWEL SIGN O) its decomposition U+11935 U+11930: there it stays whole.
_NOT_DECOMPOSED = "\U00011938"


def nfd(text: str) -> str:
    """Canonical decomposition (NFD), as the reference's tables do it."""
    return _NOT_DECOMPOSED.join(unicodedata.normalize("NFD", part) for part in text.split(_NOT_DECOMPOSED))


def normalize(
    text: str,
    lowercase: bool,
    strip_accents: bool | None = None,
    clean_text: bool = True,
    handle_chinese_chars: bool = True,
) -> str:
    """Steps 1-4 above; ``strip_accents=None`` means "strip when lowercasing", as BERT does."""
    if clean_text:
        text = "".join(
            " " if ch in "\t\n\r" or is_whitespace(ch) else ch
            for ch in text
            if ch != "\x00" and ch != "\ufffd" and not is_control(ch)
        )
    if handle_chinese_chars:
        text = "".join(f" {ch} " if is_cjk(ch) else ch for ch in text)
    if lowercase if strip_accents is None else strip_accents:
        text = "".join(ch for ch in nfd(text) if unicode8_category(ch) != "Mn")
    if lowercase:
        # Per character: no final-sigma rule, as the reference (Rust's char::to_lowercase).
        text = "".join(map(to_lower, text))
    return text


def pre_tokenize(text: str) -> list[str]:
    """Step 5: split on whitespace, and isolate each punctuation character."""
    words: list[str] = []
    current: list[str] = []
    for ch in text:
        if is_whitespace(ch) or is_punctuation(ch):
            if current:
                words.append("".join(current))
                current = []
            if not is_whitespace(ch):
                words.append(ch)
        else:
            current.append(ch)
    if current:
        words.append("".join(current))
    return words


# ---- the fast path ------------------------------------------------------------------------
class _CharRuleTable(dict):
    """A ``str.translate`` table filled on demand: code point -> ``rule(character)``.

    ``str.translate`` looks every character up in C; a character seen for the first time
    goes through ``__missing__`` (the readable per-character rule) and is remembered, so a
    long text costs one Python call per *distinct* character.
    """

    def __init__(self, rule):
        super().__init__()
        self.rule = rule

    def __missing__(self, code_point: int) -> str:
        replacement = self.rule(chr(code_point))
        self[code_point] = replacement
        return replacement


class BasicTokenizer:
    """Steps 1-5 at C speed: the same words as ``pre_tokenize(normalize(text, ...))``.

    Every step above but the NFD of step 3 works character by character, so each is a
    ``str.translate`` table whose entries come from the readable functions:

    * table 1 (steps 1-2): a removed character -> ``""``, whitespace -> ``" "``, a CJK
      ideograph -> ``" 你 "``;
    * ``nfd`` over the whole text (canonical reordering spans characters), when stripping
      accents and the text is not ASCII;
    * table 2 (steps 3-5): a non-spacing mark -> ``""``, otherwise the lower-cased
      character (when lowercasing) with whitespace turned into ``" "`` and every
      punctuation character padded as ``" , "``;
    * ``split(" ")``, dropping empty strings. (``str.split()`` without an argument would
      also split on U+001C..U+001F, which the reference keeps inside words.)

    ``tests/test_tokenizers_wordpiece.py`` checks it against the readable path on every code
    point and on generated text, for every combination of the flags.
    """

    def __init__(self, lowercase: bool, strip_accents: bool | None = None, clean_text: bool = True,
                 handle_chinese_chars: bool = True):  # fmt: skip
        self.lowercase = lowercase
        self.strip_accents = lowercase if strip_accents is None else strip_accents
        self.clean_text = clean_text
        self.handle_chinese_chars = handle_chinese_chars
        self._clean_and_space_cjk = _CharRuleTable(self._steps_1_and_2)
        self._strip_lower_and_split = _CharRuleTable(self._steps_3_to_5)

    def _steps_1_and_2(self, ch: str) -> str:
        if self.clean_text:
            if ch == "\x00" or ch == "\ufffd" or is_control(ch):
                return ""
            if is_whitespace(ch):
                return " "
        if self.handle_chinese_chars and is_cjk(ch):
            return f" {ch} "
        return ch

    def _steps_3_to_5(self, ch: str) -> str:
        if self.strip_accents and unicode8_category(ch) == "Mn":
            return ""
        lowered = to_lower(ch) if self.lowercase else ch  # may be several characters
        return "".join(" " if is_whitespace(c) else f" {c} " if is_punctuation(c) else c for c in lowered)

    def words(self, text: str) -> list[str]:
        text = text.translate(self._clean_and_space_cjk)
        if self.strip_accents and not text.isascii():
            text = nfd(text)
        return [word for word in text.translate(self._strip_lower_and_split).split(" ") if word]
