"""Normalizers: the first stage of the pipeline, rewriting the text before it is cut.

Each normalizer of Hugging Face ``tokenizers`` (``tokenizers/src/normalizers/``) works on
a :class:`.NormalizedString` in place, so every normalized character keeps the span of
the original text it came from (the offsets of the tokens, later, come from it):

==================  =========================================================================
``NFC`` ``NFD``     Unicode normalization forms, with the alignment the reference's crate
``NFKC`` ``NFKD``   (``unicode-normalization-alignments``) gives (see "Unicode" below)
``Lowercase``       Rust's ``char::to_lowercase`` per character (``İ`` -> ``i̇``, two chars)
``Strip``           remove leading / trailing Unicode ``White_Space``
``StripAccents``    remove combining marks (category ``M`` of the crate's Unicode version)
``Replace``         every match of a string or a regex -> ``content``
``Prepend``         put a string in front of a non-empty text
``Precompiled``     SentencePiece's ``precompiled_charsmap`` (T5, ALBERT, XLNet, mBART ...)
``BertNormalizer``  BERT's cleaning, CJK spacing, accent stripping, lower case
``ByteLevel``       each UTF-8 byte -> its GPT-2 stand-in character
``Nmt``             sentencepiece's NMT rules: drop control chars, odd spaces -> ``" "``
``Sequence``        the above, one after the other
==================  =========================================================================

``normalizer_from_json`` reads the ``"normalizer"`` object of a ``tokenizer.json`` and
:meth:`Normalizer.to_json` writes exactly what ``tokenizers`` 0.23.3 writes.

**Unicode.** The reference normalizes with the crate ``unicode-normalization-alignments``
0.1.12, whose tables are Unicode 12.0; Python 3.11's ``unicodedata`` is 14.0. Asked of
the reference over every code point (``tests/test_pipeline_normalizers.py`` re-checks
it), they differ in exactly three ways, corrected here: 72 characters have a
compatibility decomposition only since 12.1 (:data:`NEW_COMPAT_DECOMPOSITIONS`), U+11938
a canonical one (and so it also never composes), and 98 combining marks assigned after
12.0 have combining class 0 to the reference, so they never reorder
(:data:`NEW_COMBINING_CLASSES`). ``StripAccents`` uses the crate's ``is_combining_mark``
(category ``M`` in Unicode 12.0): :data:`NEW_MARKS` / :data:`FORMER_MARKS` correct it.
Grapheme clusters (``Precompiled``) come from the ``regex`` module's ``\\X``, whose
Unicode version is newer than the reference's ``unicode-segmentation``; they can differ
on scripts and emoji sequences defined after Unicode 15 (not corrected, not observed).
"""

from __future__ import annotations

import base64
import binascii
import functools
import unicodedata
from typing import Any, ClassVar, Iterable

import regex

from ..base import WHITESPACE, MalformedVocabError
from ..bert_normalizer import is_cjk, is_control, is_in_ranges, parse_ranges, to_lower, unicode8_category
from ..bytes_to_unicode import BYTE_TO_CHAR
from ..sentencepiece_model import CharsMap
from .normalized import NormalizedString
from .oniguruma import OnigPattern, Regex, pattern_from_json, pattern_to_json
from .spec import Component, Reader, field, read_component

Change = tuple[str, int]


# ---- Unicode, as the reference's crate sees it --------------------------------------------
#: Characters with a compatibility decomposition in Unicode 14.0 (Python) but none in the
#: reference's 12.0 tables: NFKD/NFKC leave them as they are.
NEW_COMPAT_DECOMPOSITIONS = parse_ranges("""
32FF A7F2-A7F4 AB69 10781-10785 10787-107B0 107B2-107BA 1F16C 1FBF0-1FBF9
""")
#: The character with a canonical decomposition since Unicode 13.0 (DIVES AKURU VOWEL SIGN O).
NEW_CANONICAL_DECOMPOSITIONS = parse_ranges("11938")
#: Combining marks assigned after Unicode 12.0: combining class 0 to the reference.
NEW_COMBINING_CLASSES = parse_ranges("""
07FD 0898-089F 08CA-08D3 09FE 0C3C 0D3B-0D3C 0EBA 1715 1ABF-1ACE 1DF6-1DFA A82C
10D24-10D27 10EAB-10EAC 10F46-10F50 10F82-10F85 11070 1133B 1145E 11839-1183A
1193D-1193E 11943 119E0 11A34 11A47 11A99 11D42 11D44-11D45 11D97 16FF0-16FF1
1E130-1E136 1E2AE 1E2EC-1E2EF
""")
#: Category ``M`` in Unicode 14.0 but not in 12.0 (mostly unassigned then).
NEW_MARKS = parse_ranges("""
07FD 0898-089F 08CA-08D3 09FE 0AFA-0AFF 0B55 0C04 0C3C 0D00 0D3B-0D3C 0D81 0EBA 1715
180F 1ABF-1ACE 1CF7 1DF6-1DFA A82C A8FF 10D24-10D27 10EAB-10EAC 10F46-10F50
10F82-10F85 11070 11073-11074 110C2 11145-11146 111C9 111CE-111CF 1133B 1145E
1182C-1183A 11930-11935 11937-11938 1193B-1193E 11940 11942-11943 119D1-119D7
119DA-119E0 119E4 11A01-11A0A 11A33-11A39 11A3B-11A3E 11A47 11A51-11A5B 11A8A-11A99
11D31-11D36 11D3A 11D3C-11D3D 11D3F-11D45 11D47 11D8A-11D8E 11D90-11D91 11D93-11D97
11EF3-11EF6 16F4F 16F7F-16F87 16FE4 16FF0-16FF1 1CF00-1CF2D 1CF30-1CF46 1E130-1E136
1E2AE 1E2EC-1E2EF
""")
#: Category ``M`` in Unicode 12.0 but not in 14.0 (VEDIC SIGN ARDHAVISARGA ..., now ``Lo``).
FORMER_MARKS = parse_ranges("1CF2-1CF3")

_HANGUL_S, _HANGUL_L, _HANGUL_V, _HANGUL_T = 0xAC00, 0x1100, 0x1161, 0x11A7
_HANGUL_V_COUNT, _HANGUL_T_COUNT, _HANGUL_S_COUNT = 21, 28, 11172


def combining_class(ch: str) -> int:
    """The canonical combining class of ``ch`` in the reference's tables."""
    return 0 if is_in_ranges(ord(ch), NEW_COMBINING_CLASSES) else unicodedata.combining(ch)


def decompose(ch: str, compatibility: bool) -> str:
    """The full (canonical or compatibility) decomposition of one character."""
    cp = ord(ch)
    if is_in_ranges(cp, NEW_CANONICAL_DECOMPOSITIONS) or compatibility and is_in_ranges(cp, NEW_COMPAT_DECOMPOSITIONS):
        return ch
    return unicodedata.normalize("NFKD" if compatibility else "NFD", ch)


@functools.cache
def _composition_pairs() -> dict[tuple[str, str], str]:
    """(first, second) -> primary composite: every canonical pair decomposition whose
    character is not excluded from composition (Python's ``NFC`` leaves it whole)."""
    pairs = {}
    for cp in range(0x110000):
        decomposition = unicodedata.decomposition(chr(cp)) if not 0xD800 <= cp <= 0xDFFF else ""
        if not decomposition or decomposition.startswith("<") or is_in_ranges(cp, NEW_CANONICAL_DECOMPOSITIONS):
            continue
        parts = decomposition.split()
        if len(parts) == 2 and unicodedata.normalize("NFC", chr(cp)) == chr(cp):
            pairs[chr(int(parts[0], 16)), chr(int(parts[1], 16))] = chr(cp)
    return pairs


def compose(first: str, second: str) -> str | None:
    """The primary composite of a pair (Hangul syllables arithmetically), or None."""
    a, b = ord(first), ord(second)
    if _HANGUL_L <= a < _HANGUL_L + 19 and _HANGUL_V <= b < _HANGUL_V + _HANGUL_V_COUNT:
        return chr(_HANGUL_S + ((a - _HANGUL_L) * _HANGUL_V_COUNT + b - _HANGUL_V) * _HANGUL_T_COUNT)
    s = a - _HANGUL_S
    if 0 <= s < _HANGUL_S_COUNT and s % _HANGUL_T_COUNT == 0 and _HANGUL_T < b < _HANGUL_T + _HANGUL_T_COUNT:
        return chr(a + b - _HANGUL_T)
    return _composition_pairs().get((first, second))


def decomposition_changes(text: str, compatibility: bool) -> list[Change]:
    """NFD/NFKD as ``(char, change)``: each character's decomposition, its first char
    ``0`` (replaces it) and the rest ``1`` (inserted); then every run of non-starters
    sorted (stably) by combining class, each char carrying its change along
    (``Decompositions`` in the crate's ``decompose.rs``)."""
    out: list[tuple[int, str, int]] = []
    run_start = 0
    for ch in text:
        for i, d in enumerate(decompose(ch, compatibility)):
            ccc = combining_class(d)
            if ccc == 0:
                out[run_start:] = sorted(out[run_start:], key=lambda item: item[0])
                run_start = len(out) + 1
            out.append((ccc, d, 0 if i == 0 else 1))
    out[run_start:] = sorted(out[run_start:], key=lambda item: item[0])
    return [(d, change) for _, d, change in out]


def composition_changes(text: str, compatibility: bool) -> list[Change]:
    """NFC/NFKC as ``(char, change)``: the decomposition above, then canonical composition;
    a composed pair carries ``change_1 + change_2 - 1`` (``Recompositions`` in the
    crate's ``recompose.rs``): a starter waits as the *composee*, the non-starters that do
    not compose with it wait in a buffer until the next starter that does not compose."""
    out: list[Change] = []
    composee: Change | None = None
    buffer: list[Change] = []
    last_ccc: int | None = None  # the combining class of the last buffered char
    for ch, change in decomposition_changes(text, compatibility):
        ccc = combining_class(ch)
        if composee is None:
            if ccc != 0:
                out.append((ch, change))
            else:
                composee = (ch, change)
            continue
        blocked = last_ccc is not None and last_ccc >= ccc
        composite = None if blocked else compose(composee[0], ch)
        if composite is not None:
            composee = (composite, composee[1] + change - 1)
        elif ccc == 0:  # a new starter: what waited goes out
            out.append(composee)
            out.extend(buffer)
            buffer.clear()
            composee, last_ccc = (ch, change), None
        else:
            buffer.append((ch, change))
            last_ccc = ccc
    if composee is not None:
        out.append(composee)
    out.extend(buffer)
    return out


def is_combining_mark(ch: str) -> bool:
    """General category ``M`` in the reference's Unicode 12.0 (``is_combining_mark``)."""
    cp = ord(ch)
    if is_in_ranges(cp, NEW_MARKS):
        return False
    return is_in_ranges(cp, FORMER_MARKS) or unicodedata.category(ch).startswith("M")


# ---- the normalizers --------------------------------------------------------------------
class Normalizer(Component):
    """One normalizer: :meth:`normalize` rewrites a :class:`.NormalizedString` in place.
    Normalizers are hashable, and shown with their whole JSON object."""

    def normalize(self, s: NormalizedString) -> None:
        raise NotImplementedError

    def normalize_str(self, text: str) -> str:
        """The normalized form of ``text`` (``tokenizers``' ``normalize_str``)."""
        s = NormalizedString(text)
        self.normalize(s)
        return s.normalized

    def to_json(self) -> dict:
        """The JSON object ``tokenizers`` writes for this normalizer: by default its type only."""
        return {"type": type(self).__name__}

    def __hash__(self) -> int:
        return hash(repr(self.to_json()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_json()!r:.120})"


class UnicodeNormalizationForm(Normalizer):
    """One of Unicode's four normalization forms, as the reference's Unicode 12.0 tables
    give them: decomposition (canonical, or with ``compatibility`` also compatibility),
    followed by canonical composition in the composed forms
    (:func:`decomposition_changes`, :func:`composition_changes`)."""

    composed: ClassVar[bool]
    compatibility: ClassVar[bool]

    def normalize(self, s: NormalizedString) -> None:
        changes = composition_changes if self.composed else decomposition_changes
        s.transform(changes(s.normalized, compatibility=self.compatibility))


class NFD(UnicodeNormalizationForm):
    """Canonical decomposition (``NormalizedString::nfd``)."""

    composed, compatibility = False, False


class NFKD(UnicodeNormalizationForm):
    """Compatibility decomposition (``NormalizedString::nfkd``)."""

    composed, compatibility = False, True


class NFC(UnicodeNormalizationForm):
    """Canonical decomposition, then composition (``NormalizedString::nfc``)."""

    composed, compatibility = True, False


class NFKC(UnicodeNormalizationForm):
    """Compatibility decomposition, then composition (``NormalizedString::nfkc``)."""

    composed, compatibility = True, True


class Lowercase(Normalizer):
    """Each character in lower case, Rust's ``char::to_lowercase`` (one or more chars, the
    extra ones inserted; no final-sigma rule): ``NormalizedString::lowercase``."""

    def normalize(self, s: NormalizedString) -> None:
        s.map(to_lower)


def is_whitespace(ch: str) -> bool:
    """Unicode ``White_Space`` (Rust's ``char::is_whitespace``)."""
    return ch in WHITESPACE


class Strip(Normalizer):
    """Remove leading (``left``) and/or trailing (``right``) whitespace (``strip.rs``)."""

    def __init__(self, left: bool = True, right: bool = True):
        self.left, self.right = left, right

    def normalize(self, s: NormalizedString) -> None:
        s.strip(self.left, self.right, is_space=is_whitespace)

    def to_json(self) -> dict:
        return {"type": "Strip", "strip_left": self.left, "strip_right": self.right}


class StripAccents(Normalizer):
    """Remove every combining mark (``strip.rs``); usually after ``NFD``, so ``é`` -> ``e``."""

    def normalize(self, s: NormalizedString) -> None:
        s.filter(lambda ch: not is_combining_mark(ch))


class Nmt(Normalizer):
    """sentencepiece's NMT cleaning (``unicode.rs``, ``do_nmt``): drop ASCII control
    characters, turn tab/newlines, zero-width spaces, U+2581, BOM and U+FFFD into spaces."""

    _DROPPED = frozenset(map(chr, [*range(0x01, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F, 0x8F, 0x9F]))
    _SPACES = frozenset(map(chr, [0x09, 0x0A, 0x0C, 0x0D, 0x1680, *range(0x200B, 0x2010), 0x2028, 0x2029,
                                  0x2581, 0xFEFF, 0xFFFD]))  # fmt: skip

    def normalize(self, s: NormalizedString) -> None:
        s.filter(lambda ch: ch not in self._DROPPED)
        s.map(lambda ch: " " if ch in self._SPACES else ch)


class Prepend(Normalizer):
    """Put ``prepend`` in front of a non-empty text, aligned with its first character."""

    def __init__(self, prepend: str):
        self.prepend = prepend

    def normalize(self, s: NormalizedString) -> None:
        s.prepend(self.prepend)

    def to_json(self) -> dict:
        return {"type": "Prepend", "prepend": self.prepend}


class ByteLevel(Normalizer):
    """Each character -> its UTF-8 bytes spelled as GPT-2's stand-ins (``byte_level.rs``);
    the first byte replaces the character, the others are inserted."""

    def normalize(self, s: NormalizedString) -> None:
        changes = [(BYTE_TO_CHAR[b], int(i > 0)) for ch in s.normalized for i, b in enumerate(ch.encode("utf-8"))]
        s.transform(changes)


class BertNormalizer(Normalizer):
    """BERT's normalizer (``bert.rs``), the character rules of :mod:`..bert_normalizer`:
    ``clean_text`` (drop NUL, U+FFFD, control/format chars; whitespace -> ``" "``),
    ``handle_chinese_chars`` (``" 你 "``: the first space replaces the ideograph),
    ``strip_accents`` (``NFD`` then drop ``Mn`` of Unicode 8.0; ``None``: as
    ``lowercase``), ``lowercase``."""

    def __init__(self, clean_text: bool = True, handle_chinese_chars: bool = True,
                 strip_accents: bool | None = None, lowercase: bool = True):  # fmt: skip
        self.clean_text = clean_text
        self.handle_chinese_chars = handle_chinese_chars
        self.strip_accents = strip_accents
        self.lowercase = lowercase

    def normalize(self, s: NormalizedString) -> None:
        if self.clean_text:
            s.filter(lambda ch: not (ch == "\x00" or ch == "\ufffd" or is_control(ch)))
            s.map(lambda ch: " " if ch in "\t\n\r" or is_whitespace(ch) else ch)
        if self.handle_chinese_chars:
            changes: list[Change] = []
            for ch in s.normalized:
                changes.extend([(" ", 0), (ch, 1), (" ", 1)] if is_cjk(ch) else [(ch, 0)])
            s.transform(changes)
        if self.lowercase if self.strip_accents is None else self.strip_accents:
            NFD().normalize(s)
            s.filter(lambda ch: unicode8_category(ch) != "Mn")
        if self.lowercase:
            s.map(to_lower)

    def to_json(self) -> dict:
        return {"type": "BertNormalizer", "clean_text": self.clean_text,
                "handle_chinese_chars": self.handle_chinese_chars, "strip_accents": self.strip_accents,
                "lowercase": self.lowercase}  # fmt: skip


class Replace(Normalizer):
    """Every match of ``pattern`` (a literal string, or a :class:`.Regex`) -> ``content``
    (``replace.rs`` and ``NormalizedString::replace``). Matches are found on the
    normalized text, left to right without overlap, as ``onig`` finds them
    (:class:`.OnigPattern`: a regex is translated exactly, or refused at load, by
    :mod:`.oniguruma`); the new characters take the alignment of the last matched
    character (an empty match: the one before it).

    One difference stays: an empty match at the very start (``^``, ``a*``, an empty
    string) gives the reference a zero-width alignment that makes its later transforms
    fail (a Rust panic); here they carry on."""

    def __init__(self, pattern: str | Regex, content: str):
        self.pattern = pattern
        self.content = content
        self.matcher = OnigPattern(pattern, "normalizer Replace")

    def normalize(self, s: NormalizedString) -> None:
        if s.normalized:
            s.replace_spans(self.matcher.find_iter(s.normalized), self.content)

    def to_json(self) -> dict:
        return {"type": "Replace", "pattern": pattern_to_json(self.pattern), "content": self.content}


class Precompiled(Normalizer):
    """SentencePiece's ``precompiled_charsmap`` (``precompiled.rs`` and the crate
    ``spm_precompiled``): a trie from UTF-8 strings to their replacements (NFKC plus
    sentencepiece's own rules), read by :class:`..sentencepiece_model.CharsMap`.

    The text goes grapheme cluster by grapheme cluster (``\\X``). A cluster shorter than
    6 UTF-8 bytes is looked up whole; failing that (or when longer) each of its characters
    is. A lookup takes the *shortest* key of the trie that starts the string
    (``common_prefix_search(...)[0]``), and its replacement stands for the whole string.
    Alignment: the replacement's characters replace the old ones one for one; extra ones
    are inserted, and missing ones are removed after the last one written.
    """

    def __init__(self, precompiled_charsmap: bytes):
        self.precompiled_charsmap = bytes(precompiled_charsmap)
        self.charsmap = CharsMap(self.precompiled_charsmap)
        try:
            self.charsmap.replacements.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedVocabError("normalizer Precompiled: the replacements are not UTF-8") from None

    def transform(self, chunk: str) -> str | None:
        """The replacement of the shortest trie key that starts ``chunk`` (a NUL ends the key)."""
        units = self.charsmap.units

        def offset(unit: int) -> int:
            return (unit >> 10) << ((unit & 0x200) >> 6)

        position = offset(units[0])
        for byte in chunk.encode("utf-8"):
            if byte == 0:
                return None
            position ^= byte
            if position >= len(units) or units[position] & 0x800000FF != byte:
                return None
            unit = units[position]
            position ^= offset(unit)
            if unit & 0x100:
                return self.charsmap.replacement(units[position] & 0x7FFFFFFF).decode("utf-8")
        return None

    @staticmethod
    def _replace(changes: list[Change], old: str, new: str) -> None:
        """``replace`` of ``precompiled.rs``: ``new`` for ``old``, changes 0; the surplus
        (the last ones) inserted, or the deficit removed after the last change so far."""
        diff = len(new) - len(old)
        changes.extend((c, 0) for c in new)
        if diff > 0:
            changes[len(changes) - diff :] = [(c, 1) for c, _ in changes[len(changes) - diff :]]
        elif diff < 0 and changes:
            last, change = changes[-1]
            changes[-1] = (last, change + diff)

    def normalize(self, s: NormalizedString) -> None:
        changes: list[Change] = []
        modified = False
        for grapheme in regex.findall(r"\X", s.normalized):
            if len(grapheme.encode("utf-8")) < 6:
                new = self.transform(grapheme)
                if new is not None:
                    modified = True
                    self._replace(changes, grapheme, new)
                    continue
            for ch in grapheme:
                new = self.transform(ch)
                if new is not None:
                    modified = True
                    self._replace(changes, ch, new)
                else:
                    changes.append((ch, 0))
        if modified:
            s.transform(changes)

    def to_json(self) -> dict:
        return {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(self.precompiled_charsmap).decode("ascii")}


class Sequence(Normalizer):
    """Several normalizers, one after the other (``utils.rs``)."""

    def __init__(self, normalizers: Iterable[Normalizer]):
        self.normalizers = list(normalizers)

    def normalize(self, s: NormalizedString) -> None:
        for normalizer in self.normalizers:
            normalizer.normalize(s)

    def to_json(self) -> dict:
        return {"type": "Sequence", "normalizers": [n.to_json() for n in self.normalizers]}


# ---- reading tokenizer.json ---------------------------------------------------------------
def _bert_normalizer(spec: dict, where: str) -> BertNormalizer:
    return BertNormalizer(
        clean_text=field(spec, "clean_text", bool, where),
        handle_chinese_chars=field(spec, "handle_chinese_chars", bool, where),
        strip_accents=field(spec, "strip_accents", bool, where, default=None),
        lowercase=field(spec, "lowercase", bool, where),
    )


#: type -> (its options, how to build it from its JSON object).
_READERS: dict[str, Reader] = {
    **{kind.__name__: ((), lambda s, w, kind=kind: kind())
       for kind in (NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, Nmt, ByteLevel)},
    "Strip": (("strip_left", "strip_right"), lambda s, w: Strip(
        field(s, "strip_left", bool, w), field(s, "strip_right", bool, w))),
    "Prepend": (("prepend",), lambda s, w: Prepend(field(s, "prepend", str, w))),
    "Replace": (("pattern", "content"), lambda s, w: Replace(
        pattern_from_json(field(s, "pattern", dict, w), w), field(s, "content", str, w))),
    "Precompiled": (("precompiled_charsmap",), lambda s, w: Precompiled(
        _base64(field(s, "precompiled_charsmap", str, w), w))),
    "Sequence": (("normalizers",), lambda s, w: Sequence(
        normalizer_from_json(_object(n, w)) for n in field(s, "normalizers", list, w))),
    "BertNormalizer": (("clean_text", "handle_chinese_chars", "strip_accents", "lowercase"), _bert_normalizer),
}  # fmt: skip


def normalizer_from_json(spec: dict | None) -> Normalizer | None:
    """The normalizer of a ``tokenizer.json``'s ``"normalizer"`` object (None -> None).

    An unknown type, or a field the type does not have, is refused
    (:class:`.UnsupportedComponentError`); a field of the wrong kind is a
    :class:`.MalformedVocabError`."""
    return read_component(spec, "normalizer", _READERS)


def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise MalformedVocabError(f"{where}: expected an object, got {value!r:.80}")
    return value


def _base64(text: str, where: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise MalformedVocabError(f"{where}: precompiled_charsmap is not base64: {error}") from None
