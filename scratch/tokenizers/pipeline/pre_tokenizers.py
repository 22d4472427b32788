"""Pre-tokenizers: the stage that cuts normalized text into words (pre-tokens).

The model (BPE, WordPiece ...) never makes a token across a cut, so this stage decides
which tokens can exist at all. Every pre-tokenizer of Hugging Face ``tokenizers``
(``tokenizers/src/pre_tokenizers/*.rs``) is built here from one operation, the split of
``NormalizedString::split`` (``tokenizers/src/tokenizer/normalizer.rs``):

1. a *pattern* finds its matches in a piece: a string, a regex, or a test on each
   character (``tokenizers/src/tokenizer/pattern.rs``, ``Pattern::find_matches``); the
   result covers the piece with spans flagged *match* or *not* (``invert`` flips the flags);
2. a *behaviour* (``SplitDelimiterBehavior``) decides what becomes of the matches:

   ==========================  =====================================================
   ``removed``                 matches dropped: ``"a b"`` split on ``" "`` -> ``a``, ``b``
   ``isolated``                matches kept as pieces of their own -> ``a``, `` ``, ``b``
   ``merged_with_previous``    a match glued to the piece before it -> ``a ``, ``b``
   ``merged_with_next``        a match glued to the piece after it -> ``a``, `` b``
   ``contiguous``              adjacent matches become one piece: ``"a  b"`` -> ``a``, ``  ``, ``b``
   ==========================  =====================================================

3. each resulting span is cut out with :meth:`.NormalizedString.slice`, whose alignments
   stay absolute, so every piece knows the span of the original text it came from; empty
   pieces are dropped (``PreTokenizedString::split``).

A pre-tokenizer works on a list of pieces (``pre_tokenize``) and cuts each one further,
so a ``Sequence`` simply applies its members in turn. Some also rewrite their pieces:
``ByteLevel`` spells every UTF-8 byte as one character (a character of three bytes
becomes three, all aligned with it), ``Metaspace`` writes ``▁`` for spaces.

Offsets are character offsets into the original text (the reference keeps bytes and
converts; ``pre_tokenize_str`` gives characters, as the reference's Python method does).

Regular expressions: ``tokenizers`` runs them on Oniguruma with Ruby syntax, Python on
``re``/``regex``. :mod:`.oniguruma` translates a pattern, and refuses (at load time) what
it cannot translate exactly.
"""

from __future__ import annotations

import bisect
import functools
from typing import Callable, Iterable

import regex

from .. import unicode_classes
from ..base import MalformedVocabError
from ..bytes_to_unicode import BYTE_TO_CHAR
from ..pretokenizers import GPT2_PATTERN, RUST_WORD, spell_ranges
from .normalized import NormalizedString
from .oniguruma import OnigPattern, Regex, find_iter, pattern_from_json, pattern_to_json
from .spec import Component, Reader, UnsupportedComponentError, field, read_component

Span = tuple[int, int]
#: One span of a piece found by a pattern: (start, end, is_match), character offsets.
Match = tuple[int, int, bool]

#: ``SplitDelimiterBehavior``: the Python API's names -> the names ``tokenizer.json`` writes.
BEHAVIORS = {
    "removed": "Removed",
    "isolated": "Isolated",
    "merged_with_previous": "MergedWithPrevious",
    "merged_with_next": "MergedWithNext",
    "contiguous": "Contiguous",
}
_BEHAVIOR_NAMES = {json_name: name for name, json_name in BEHAVIORS.items()}


# ---- patterns: where the matches are ---------------------------------------------------------
def char_matches(text: str, is_match: Callable[[str], bool]) -> list[Match]:
    """Each character for which ``is_match`` holds is a match of its own; the stretches
    between them are non-matches (``impl Pattern for Fn(char) -> bool``)."""
    matches: list[Match] = []
    last = 0
    for i, ch in enumerate(text):
        if is_match(ch):
            if last < i:
                matches.append((last, i, False))
            matches.append((i, i + 1, True))
            last = i + 1
    if last < len(text):
        matches.append((last, len(text), False))
    return matches


def span_matches(spans: Iterable[Span], length: int) -> list[Match]:
    """Match spans (in order, not overlapping) and the stretches between them, covering a
    piece of ``length`` characters (``Pattern::find_matches`` of ``pattern.rs``)."""
    found: list[Match] = []
    previous = 0  # end of the last match
    for start, end in spans:
        if previous != start:
            found.append((previous, start, False))
        found.append((start, end, True))
        previous = end
    if previous != length:
        found.append((previous, length, False))
    return found


def regex_matches(pattern, text: str) -> list[Match]:
    """The matches of a compiled ``pattern`` and the stretches between them, the matches as
    Oniguruma's ``find_iter`` finds them (:func:`.oniguruma.find_iter`)."""
    return span_matches(find_iter(pattern, text), len(text))


def split_piece(piece: NormalizedString, matches: Iterable[Match], behavior: str) -> list[NormalizedString]:
    """Cut ``piece`` at ``matches`` with ``behavior`` (see the module docstring); empty
    pieces are dropped. ``NormalizedString::split`` in ``normalizer.rs``."""
    spans: list[tuple[int, int, bool]] = []  # (start, end, remove)
    if behavior == "isolated":
        spans = [(start, end, False) for start, end, _ in matches]
    elif behavior == "removed":
        spans = list(matches)
    elif behavior == "contiguous":
        previous_match = False
        for start, end, is_match in matches:
            if is_match == previous_match and spans:
                spans[-1] = (spans[-1][0], end, False)
            else:
                spans.append((start, end, False))
            previous_match = is_match
    elif behavior == "merged_with_previous":
        previous_match = False
        for start, end, is_match in matches:
            if is_match and not previous_match and spans:
                spans[-1] = (spans[-1][0], end, False)
            else:
                spans.append((start, end, False))
            previous_match = is_match
    elif behavior == "merged_with_next":
        previous_match = False  # walking backwards: whether the span after this one matched
        for start, end, is_match in reversed(list(matches)):
            if is_match and not previous_match and spans:
                spans[-1] = (start, spans[-1][1], False)
            else:
                spans.append((start, end, False))
            previous_match = is_match
        spans.reverse()
    else:
        raise ValueError(f"unknown split behavior {behavior!r}; known: {', '.join(BEHAVIORS)}")
    return [piece.slice(start, end) for start, end, remove in spans if not remove and end > start]


def in_ranges(ranges: tuple[tuple[int, int], ...]) -> Callable[[str], bool]:
    """A test ``ch -> bool``: whether the code point of ``ch`` is in one of ``ranges``."""
    starts = [first for first, _ in ranges]

    def test(ch: str) -> bool:
        i = bisect.bisect_right(starts, ord(ch)) - 1
        return i >= 0 and ord(ch) <= ranges[i][1]

    return test


#: Rust's ``char::is_whitespace`` (the ``White_Space`` property), as the references see it.
is_whitespace = in_ranges(unicode_classes.WHITESPACE)
#: Rust's ``char::is_numeric`` (``Digits``).
is_numeric = in_ranges(unicode_classes.NUMERIC)
#: ``is_ascii_punctuation() || is_punctuation()`` (``Punctuation``, ``BertPreTokenizer``).
is_punctuation = in_ranges(unicode_classes.PUNCTUATION_SPLIT)


# ---- the pre-tokenizers ----------------------------------------------------------------------
class PreTokenizer(Component):
    """Base class: cuts each piece with :meth:`split` (pieces that come out empty are dropped)."""

    def split(self, piece: NormalizedString) -> list[NormalizedString]:
        raise NotImplementedError

    def pre_tokenize(self, pieces: list[NormalizedString]) -> list[NormalizedString]:
        """Every piece cut further (``PreTokenizedString::split``)."""
        return [part for piece in pieces for part in self.split(piece) if len(part)]

    def pre_tokenize_str(self, text: str) -> list[tuple[str, Span]]:
        """The pre-tokens of ``text`` with their character offsets in it, as
        ``tokenizers``' ``PreTokenizer.pre_tokenize_str``."""
        return [(p.normalized, (p.original_start, p.original_end)) for p in self.pre_tokenize([NormalizedString(text)])]


def _check_behavior(behavior: str) -> str:
    if behavior not in BEHAVIORS:
        raise ValueError(f"unknown split behavior {behavior!r}; known: {', '.join(BEHAVIORS)}")
    return behavior


class Split(PreTokenizer):
    """Split on a string or a regex with one of the five behaviours; ``invert`` takes the
    stretches *between* matches as the matches (``pre_tokenizers/split.rs``).

    ``pattern`` is a ``str`` (a literal; the empty string matches the empty string at every
    position, as the reference's escaped regex does) or :class:`.Regex`, translated exactly
    or refused at load (:class:`.OnigPattern`)."""

    def __init__(self, pattern: str | Regex, behavior: str, invert: bool = False):
        self.pattern = pattern
        self.behavior = _check_behavior(behavior)
        self.invert = invert
        self.matcher = OnigPattern(pattern, "pre_tokenizer Split")

    def split(self, piece: NormalizedString) -> list[NormalizedString]:
        text = piece.normalized
        found = span_matches(self.matcher.find_iter(text), len(text))
        if self.invert:
            found = [(start, end, not is_match) for start, end, is_match in found]
        return split_piece(piece, found, self.behavior)

    def to_json(self) -> dict:
        return {"type": "Split", "pattern": pattern_to_json(self.pattern), "behavior": BEHAVIORS[self.behavior],
                "invert": self.invert}  # fmt: skip


class ByteLevel(PreTokenizer):
    """GPT-2's pre-tokenizer (``pre_tokenizers/byte_level.rs``):

    1. with ``add_prefix_space``, a space is put before each piece that does not start
       with one (so the first word is spelled like the others, ``" hello"``);
    2. with ``use_regex``, each piece is split with GPT-2's regex, ``isolated``;
    3. every character becomes the stand-ins of its UTF-8 bytes (:mod:`..bytes_to_unicode`):
       ``"é"`` (C3 A9) -> ``"Ã©"``, both aligned with the ``é`` of the original.

    ``trim_offsets`` only matters to the post-processor and decoder; it is kept for the JSON."""

    GPT2 = GPT2_PATTERN

    def __init__(self, add_prefix_space: bool = True, trim_offsets: bool = True, use_regex: bool = True):
        self.add_prefix_space = add_prefix_space
        self.trim_offsets = trim_offsets
        self.use_regex = use_regex
        self.matcher = OnigPattern(Regex(GPT2_PATTERN), "pre_tokenizer ByteLevel")

    def split(self, piece: NormalizedString) -> list[NormalizedString]:
        if self.add_prefix_space and not piece.normalized.startswith(" "):
            piece.prepend(" ")
        if not self.use_regex:
            return [piece]
        text = piece.normalized
        return split_piece(piece, span_matches(self.matcher.find_iter(text), len(text)), "isolated")

    def pre_tokenize(self, pieces: list[NormalizedString]) -> list[NormalizedString]:
        pieces = super().pre_tokenize(pieces)
        for piece in pieces:
            piece.transform(byte_level_changes(piece.normalized))
        return pieces

    def to_json(self) -> dict:
        return {"type": "ByteLevel", "add_prefix_space": self.add_prefix_space,
                "trim_offsets": self.trim_offsets, "use_regex": self.use_regex}  # fmt: skip


def byte_level_changes(text: str) -> list[tuple[str, int]]:
    """The :meth:`.NormalizedString.transform` changes that spell ``text`` byte by byte: the
    first byte of a character replaces it (``0``), the others are inserted after it (``1``)."""
    changes: list[tuple[str, int]] = []
    for ch in text:
        data = ch.encode("utf-8")
        changes.append((BYTE_TO_CHAR[data[0]], 0))
        changes.extend((BYTE_TO_CHAR[b], 1) for b in data[1:])
    return changes


class Metaspace(PreTokenizer):
    """SentencePiece's spaces (``pre_tokenizers/metaspace.rs``): each space becomes
    ``replacement`` (``▁``); the piece gets one in front unless it starts with one,
    depending on ``prepend_scheme``: ``always``, ``never``, or ``first``: only the piece
    that starts at offset 0 of the original text (the reference tests
    ``offsets_original().0 == 0``; here :attr:`.NormalizedString.original_start`, which is 0
    for the whole text and for a piece sliced from its start). With ``split``, the piece is
    cut before each ``replacement`` (``merged_with_next``)."""

    SCHEMES = ("always", "never", "first")

    def __init__(self, replacement: str = "\u2581", prepend_scheme: str = "always", split: bool = True):
        if len(replacement) != 1:
            raise ValueError(f"Metaspace: replacement must be one character, got {replacement!r}")
        if prepend_scheme not in self.SCHEMES:
            raise ValueError(f"Metaspace: prepend_scheme must be one of {self.SCHEMES}, got {prepend_scheme!r}")
        self.replacement = replacement
        self.prepend_scheme = prepend_scheme
        self.split_on_replacement = split

    def split(self, piece: NormalizedString) -> list[NormalizedString]:
        if " " in piece.normalized:
            piece.map(lambda ch: self.replacement if ch == " " else ch)
        prepend = self.prepend_scheme == "always" or (self.prepend_scheme == "first" and piece.original_start == 0)
        if prepend and not piece.normalized.startswith(self.replacement):
            piece.prepend(self.replacement)
        if not self.split_on_replacement:
            return [piece]
        return split_piece(piece, char_matches(piece.normalized, self.replacement.__eq__), "merged_with_next")

    def to_json(self) -> dict:
        return {"type": "Metaspace", "replacement": self.replacement, "prepend_scheme": self.prepend_scheme,
                "split": self.split_on_replacement}  # fmt: skip


@functools.cache
def whitespace_regex():
    r"""``\w+|[^\w\s]+`` with Rust's ``\w`` (:data:`..pretokenizers.RUST_WORD`) and ``\s``
    (:data:`..unicode_classes.WHITESPACE`), the reference's tables, spelled out as ranges."""
    word = "[" + spell_ranges(RUST_WORD) + "]"
    space = spell_ranges(unicode_classes.WHITESPACE)
    return regex.compile(f"{word}+|[^{spell_ranges(RUST_WORD)}{space}]+")


class Whitespace(PreTokenizer):
    r"""Runs of word characters and runs of other non-space characters; spaces are dropped
    (``pre_tokenizers/whitespace.rs``: ``\w+|[^\w\s]+`` inverted, ``removed``):
    ``"Hello, world!"`` -> ``Hello``, ``,``, ``world``, ``!``."""

    def split(self, piece: NormalizedString) -> list[NormalizedString]:
        found = regex_matches(whitespace_regex(), piece.normalized)
        return split_piece(piece, [(s, e, not m) for s, e, m in found], "removed")

    def to_json(self) -> dict:
        return {"type": "Whitespace"}


class WhitespaceSplit(PreTokenizer):
    """Split on whitespace (``char::is_whitespace``), which is dropped."""

    def split(self, piece: NormalizedString) -> list[NormalizedString]:
        return split_piece(piece, char_matches(piece.normalized, is_whitespace), "removed")

    def to_json(self) -> dict:
        return {"type": "WhitespaceSplit"}


class BertPreTokenizer(PreTokenizer):
    """BERT's: split on whitespace (dropped), then each punctuation character alone
    (``pre_tokenizers/bert.rs``)."""

    def split(self, piece: NormalizedString) -> list[NormalizedString]:
        words = split_piece(piece, char_matches(piece.normalized, is_whitespace), "removed")
        return [p for w in words for p in split_piece(w, char_matches(w.normalized, is_punctuation), "isolated")]

    def to_json(self) -> dict:
        return {"type": "BertPreTokenizer"}


class Punctuation(PreTokenizer):
    """Split on each punctuation character (ASCII punctuation and Unicode ``P*``, Rust's
    ``unicode_categories``: :data:`..unicode_classes.PUNCTUATION_SPLIT`) with ``behavior``."""

    def __init__(self, behavior: str = "isolated"):
        self.behavior = _check_behavior(behavior)

    def split(self, piece: NormalizedString) -> list[NormalizedString]:
        return split_piece(piece, char_matches(piece.normalized, is_punctuation), self.behavior)

    def to_json(self) -> dict:
        return {"type": "Punctuation", "behavior": BEHAVIORS[self.behavior]}


class Digits(PreTokenizer):
    """Numbers apart from the rest (``char::is_numeric``): each digit alone with
    ``individual_digits`` (``isolated``), else runs of them (``contiguous``)."""

    def __init__(self, individual_digits: bool = False):
        self.individual_digits = individual_digits

    def split(self, piece: NormalizedString) -> list[NormalizedString]:
        behavior = "isolated" if self.individual_digits else "contiguous"
        return split_piece(piece, char_matches(piece.normalized, is_numeric), behavior)

    def to_json(self) -> dict:
        return {"type": "Digits", "individual_digits": self.individual_digits}


class CharDelimiterSplit(PreTokenizer):
    """Split on one character, which is dropped."""

    def __init__(self, delimiter: str):
        if len(delimiter) != 1:
            raise ValueError(f"CharDelimiterSplit: delimiter must be one character, got {delimiter!r}")
        self.delimiter = delimiter

    def split(self, piece: NormalizedString) -> list[NormalizedString]:
        return split_piece(piece, char_matches(piece.normalized, self.delimiter.__eq__), "removed")

    def to_json(self) -> dict:
        return {"type": "CharDelimiterSplit", "delimiter": self.delimiter}


class FixedLength(PreTokenizer):
    """Pieces of ``length`` characters (the last one shorter)."""

    def __init__(self, length: int = 5):
        if length < 1:
            raise ValueError(f"FixedLength: length must be at least 1, got {length}")
        self.length = length

    def split(self, piece: NormalizedString) -> list[NormalizedString]:
        return [piece.slice(i, min(i + self.length, len(piece))) for i in range(0, len(piece), self.length)]

    def to_json(self) -> dict:
        return {"type": "FixedLength", "length": self.length}


class UnicodeScripts(PreTokenizer):
    """A cut wherever the Unicode script changes (``pre_tokenizers/unicode_scripts``), as
    SentencePiece does: Hiragana, Katakana and ``ー`` count as Han, a space and unassigned
    characters (script "Any") go with what is before them. The first cut is before the
    first character that has a script, so leading characters without one are dropped
    (``"  ab"`` -> ``ab``), as in the reference."""

    def split(self, piece: NormalizedString) -> list[NormalizedString]:
        cuts = [*script_cuts(piece.normalized), len(piece)]
        return [piece.slice(start, end) for start, end in zip(cuts, cuts[1:])]

    def to_json(self) -> dict:
        return {"type": "UnicodeScripts"}


class Sequence(PreTokenizer):
    """Several pre-tokenizers, each cutting the pieces the ones before it left."""

    def __init__(self, pretokenizers: list[PreTokenizer]):
        self.pretokenizers = list(pretokenizers)

    def pre_tokenize(self, pieces: list[NormalizedString]) -> list[NormalizedString]:
        for member in self.pretokenizers:
            pieces = member.pre_tokenize(pieces)
        return pieces

    def to_json(self) -> dict:
        return {"type": "Sequence", "pretokenizers": [p.to_json() for p in self.pretokenizers]}


def script_cuts(text: str) -> list[int]:
    """Where :class:`UnicodeScripts` cuts ``text``: before each character whose script is
    not the last one seen (characters of script "Any" are skipped over, not seen)."""
    cuts: list[int] = []
    last = None
    for i, ch in enumerate(text):
        current = script(ch)
        if current != "Any" and last != "Any" and last != current:
            cuts.append(i)
        if current != "Any":
            last = current
    return cuts


# ---- reading tokenizer.json ------------------------------------------------------------------
def _behavior(spec: dict, where: str, default: str | None = None) -> str:
    value = field(spec, "behavior", str, where, *([BEHAVIORS[default]] if default else []))
    if value not in _BEHAVIOR_NAMES:
        raise MalformedVocabError(f"{where}: unknown behavior {value!r}; known: {', '.join(_BEHAVIOR_NAMES)}")
    return _BEHAVIOR_NAMES[value]


def _one_char(spec: dict, name: str, where: str) -> str:
    value = field(spec, name, str, where)
    if len(value) != 1:
        raise MalformedVocabError(f"{where}: {name} should be one character, got {value!r}")
    return value


def _split_from_json(spec: dict, where: str) -> Split:
    pattern = pattern_from_json(field(spec, "pattern", dict, where), where)
    return Split(pattern, _behavior(spec, where), field(spec, "invert", bool, where))


def _metaspace_from_json(spec: dict, where: str) -> Metaspace:
    scheme = field(spec, "prepend_scheme", str, where, "always")
    if scheme not in Metaspace.SCHEMES:
        raise MalformedVocabError(f"{where}: unknown prepend_scheme {scheme!r}; known: {', '.join(Metaspace.SCHEMES)}")
    if field(spec, "add_prefix_space", bool, where, None) is False:  # (older files)
        if scheme != "never":
            raise MalformedVocabError(f"{where}: add_prefix_space does not match declared prepend_scheme")
    return Metaspace(_one_char(spec, "replacement", where), scheme, field(spec, "split", bool, where, True))


def _fixed_length_from_json(spec: dict, where: str) -> FixedLength:
    length = field(spec, "length", int, where, 5)
    if length < 1:
        raise UnsupportedComponentError(f"{where}: length {length} is not supported (the reference cannot run it)")
    return FixedLength(length)


#: type -> (the fields it may have besides "type", how to build it from the JSON object).
_READERS: dict[str, Reader] = {
    "ByteLevel": (frozenset({"add_prefix_space", "trim_offsets", "use_regex"}), lambda s, w: ByteLevel(
        field(s, "add_prefix_space", bool, w), field(s, "trim_offsets", bool, w), field(s, "use_regex", bool, w, True))),
    "Split": (frozenset({"pattern", "behavior", "invert"}), _split_from_json),
    "Metaspace": (frozenset({"replacement", "prepend_scheme", "split", "add_prefix_space", "str_rep"}), _metaspace_from_json),
    "Whitespace": (frozenset(), lambda s, w: Whitespace()),
    "WhitespaceSplit": (frozenset(), lambda s, w: WhitespaceSplit()),
    "BertPreTokenizer": (frozenset(), lambda s, w: BertPreTokenizer()),
    "Punctuation": (frozenset({"behavior"}), lambda s, w: Punctuation(_behavior(s, w, "isolated"))),
    "Digits": (frozenset({"individual_digits"}), lambda s, w: Digits(field(s, "individual_digits", bool, w))),
    "CharDelimiterSplit": (frozenset({"delimiter"}), lambda s, w: CharDelimiterSplit(_one_char(s, "delimiter", w))),
    "UnicodeScripts": (frozenset(), lambda s, w: UnicodeScripts()),
    "FixedLength": (frozenset({"length"}), _fixed_length_from_json),
    "Sequence": (frozenset({"pretokenizers"}), lambda s, w: Sequence(
        [pre_tokenizer_from_json(p) for p in field(s, "pretokenizers", list, w)])),
}


def pre_tokenizer_from_json(spec: dict | None) -> PreTokenizer | None:
    """The pre-tokenizer a ``tokenizer.json``'s ``"pre_tokenizer"`` object describes (``None``
    for none). An unknown type, or a field the type does not have, is refused with
    :class:`UnsupportedComponentError`; a field of the wrong kind is a :class:`MalformedVocabError`."""
    return read_component(spec, "pre_tokenizer", _READERS)


# ---- Unicode scripts -------------------------------------------------------------------------
def script(ch: str) -> str:
    """The script ``UnicodeScripts`` gives ``ch`` (``fixed_script``): from :data:`SCRIPTS`,
    with Hiragana, Katakana and U+30FC as Han, a space and unlisted characters as ``Any``."""
    if ch == " ":
        return "Any"
    if ch == "\u30fc":
        return "Han"
    code = ord(ch)
    i = bisect.bisect_right(_SCRIPT_STARTS, code) - 1
    if i < 0 or code > _SCRIPT_RANGES[i][1]:
        return "Any"
    name = _SCRIPT_RANGES[i][2]
    return "Han" if name in ("Hiragana", "Katakana") else name


def _script_ranges(text: str) -> list[tuple[int, int, str]]:
    """``"0041-005A:Latin 00AA:Latin"`` -> ``[(0x41, 0x5A, "Latin"), (0xAA, 0xAA, "Latin")]``."""
    ranges = []
    for item in text.split():
        span, _, name = item.partition(":")
        first, _, last = span.partition("-")
        ranges.append((int(first, 16), int(last or first, 16), name))
    return ranges


#: The script of each code point, as ``UnicodeScripts`` sees it: the table of
#: ``tokenizers/src/pre_tokenizers/unicode_scripts/scripts.rs`` (SentencePiece's, an older
#: Unicode version than Python's), adjacent ranges of one script merged. Code points not listed
#: have the script "Any". Checked over every code point against the reference by
#: ``tests/test_pipeline_pre_tokenizers.py::test_unicode_scripts_table_matches_the_reference``.
SCRIPTS = """
    0000-0040:Common 0041-005A:Latin 005B-0060:Common 0061-007A:Latin 007B-00A9:Common 00AA:Latin
    00AB-00B9:Common 00BA:Latin 00BB-00BF:Common 00C0-00D6:Latin 00D7:Common 00D8-00F6:Latin
    00F7:Common 00F8-02B8:Latin 02B9-02DF:Common 02E0-02E4:Latin 02E5-02E9:Common 02EA-02EB:Bopomofo
    02EC-02FF:Common 0300-036F:Inherited 0370-0373:Greek 0374:Common 0375-0377:Greek 037A-037D:Greek
    037E:Common 037F:Greek 0384:Greek 0385:Common 0386:Greek 0387:Common 0388-038A:Greek 038C:Greek
    038E-03A1:Greek 03A3-03E1:Greek 03E2-03EF:Coptic 03F0-03FF:Greek 0400-0484:Cyrillic
    0485-0486:Inherited 0487-052F:Cyrillic 0531-0556:Armenian 0559-055F:Armenian 0561-0587:Armenian
    0589:Common 058A:Armenian 058D-058F:Armenian 0591-05C7:Hebrew 05D0-05EA:Hebrew 05F0-05F4:Hebrew
    0600-0604:Arabic 0605:Common 0606-060B:Arabic 060C:Common 060D-061A:Arabic 061B-061C:Common
    061E:Arabic 061F:Common 0620-063F:Arabic 0640:Common 0641-064A:Arabic 064B-0655:Inherited
    0656-066F:Arabic 0670:Inherited 0671-06DC:Arabic 06DD:Common 06DE-06FF:Arabic 0700-070D:Syriac
    070F-074A:Syriac 074D-074F:Syriac 0750-077F:Arabic 0780-07B1:Thaana 07C0-07FA:Nko
    0800-082D:Samaritan 0830-083E:Samaritan 0840-085B:Mandaic 085E:Mandaic 08A0-08B4:Arabic
    08B6-08BD:Arabic 08D4-08E1:Arabic 08E2:Common 08E3-08FF:Arabic 0900-0950:Devanagari
    0951-0952:Inherited 0953-0963:Devanagari 0964-0965:Common 0966-097F:Devanagari 0980-0983:Bengali
    0985-098C:Bengali 098F-0990:Bengali 0993-09A8:Bengali 09AA-09B0:Bengali 09B2:Bengali
    09B6-09B9:Bengali 09BC-09C4:Bengali 09C7-09C8:Bengali 09CB-09CE:Bengali 09D7:Bengali
    09DC-09DD:Bengali 09DF-09E3:Bengali 09E6-09FB:Bengali 0A01-0A03:Gurmukhi 0A05-0A0A:Gurmukhi
    0A0F-0A10:Gurmukhi 0A13-0A28:Gurmukhi 0A2A-0A30:Gurmukhi 0A32-0A33:Gurmukhi 0A35-0A36:Gurmukhi
    0A38-0A39:Gurmukhi 0A3C:Gurmukhi 0A3E-0A42:Gurmukhi 0A47-0A48:Gurmukhi 0A4B-0A4D:Gurmukhi
    0A51:Gurmukhi 0A59-0A5C:Gurmukhi 0A5E:Gurmukhi 0A66-0A75:Gurmukhi 0A81-0A83:Gujarati
    0A85-0A8D:Gujarati 0A8F-0A91:Gujarati 0A93-0AA8:Gujarati 0AAA-0AB0:Gujarati 0AB2-0AB3:Gujarati
    0AB5-0AB9:Gujarati 0ABC-0AC5:Gujarati 0AC7-0AC9:Gujarati 0ACB-0ACD:Gujarati 0AD0:Gujarati
    0AE0-0AE3:Gujarati 0AE6-0AF1:Gujarati 0AF9:Gujarati 0B01-0B03:Oriya 0B05-0B0C:Oriya
    0B0F-0B10:Oriya 0B13-0B28:Oriya 0B2A-0B30:Oriya 0B32-0B33:Oriya 0B35-0B39:Oriya 0B3C-0B44:Oriya
    0B47-0B48:Oriya 0B4B-0B4D:Oriya 0B56-0B57:Oriya 0B5C-0B5D:Oriya 0B5F-0B63:Oriya 0B66-0B77:Oriya
    0B82-0B83:Tamil 0B85-0B8A:Tamil 0B8E-0B90:Tamil 0B92-0B95:Tamil 0B99-0B9A:Tamil 0B9C:Tamil
    0B9E-0B9F:Tamil 0BA3-0BA4:Tamil 0BA8-0BAA:Tamil 0BAE-0BB9:Tamil 0BBE-0BC2:Tamil 0BC6-0BC8:Tamil
    0BCA-0BCD:Tamil 0BD0:Tamil 0BD7:Tamil 0BE6-0BFA:Tamil 0C00-0C03:Telugu 0C05-0C0C:Telugu
    0C0E-0C10:Telugu 0C12-0C28:Telugu 0C2A-0C39:Telugu 0C3D-0C44:Telugu 0C46-0C48:Telugu
    0C4A-0C4D:Telugu 0C55-0C56:Telugu 0C58-0C5A:Telugu 0C60-0C63:Telugu 0C66-0C6F:Telugu
    0C78-0C7F:Telugu 0C80-0C83:Kannada 0C85-0C8C:Kannada 0C8E-0C90:Kannada 0C92-0CA8:Kannada
    0CAA-0CB3:Kannada 0CB5-0CB9:Kannada 0CBC-0CC4:Kannada 0CC6-0CC8:Kannada 0CCA-0CCD:Kannada
    0CD5-0CD6:Kannada 0CDE:Kannada 0CE0-0CE3:Kannada 0CE6-0CEF:Kannada 0CF1-0CF2:Kannada
    0D01-0D03:Malayalam 0D05-0D0C:Malayalam 0D0E-0D10:Malayalam 0D12-0D3A:Malayalam
    0D3D-0D44:Malayalam 0D46-0D48:Malayalam 0D4A-0D4F:Malayalam 0D54-0D63:Malayalam
    0D66-0D7F:Malayalam 0D82-0D83:Sinhala 0D85-0D96:Sinhala 0D9A-0DB1:Sinhala 0DB3-0DBB:Sinhala
    0DBD:Sinhala 0DC0-0DC6:Sinhala 0DCA:Sinhala 0DCF-0DD4:Sinhala 0DD6:Sinhala 0DD8-0DDF:Sinhala
    0DE6-0DEF:Sinhala 0DF2-0DF4:Sinhala 0E01-0E3A:Thai 0E3F:Common 0E40-0E5B:Thai 0E81-0E82:Lao
    0E84:Lao 0E87-0E88:Lao 0E8A:Lao 0E8D:Lao 0E94-0E97:Lao 0E99-0E9F:Lao 0EA1-0EA3:Lao 0EA5:Lao
    0EA7:Lao 0EAA-0EAB:Lao 0EAD-0EB9:Lao 0EBB-0EBD:Lao 0EC0-0EC4:Lao 0EC6:Lao 0EC8-0ECD:Lao
    0ED0-0ED9:Lao 0EDC-0EDF:Lao 0F00-0F47:Tibetan 0F49-0F6C:Tibetan 0F71-0F97:Tibetan
    0F99-0FBC:Tibetan 0FBE-0FCC:Tibetan 0FCE-0FD4:Tibetan 0FD5-0FD8:Common 0FD9-0FDA:Tibetan
    1000-109F:Myanmar 10A0-10C5:Georgian 10C7:Georgian 10CD:Georgian 10D0-10FA:Georgian 10FB:Common
    10FC-10FF:Georgian 1100-11FF:Hangul 1200-1248:Ethiopic 124A-124D:Ethiopic 1250-1256:Ethiopic
    1258:Ethiopic 125A-125D:Ethiopic 1260-1288:Ethiopic 128A-128D:Ethiopic 1290-12B0:Ethiopic
    12B2-12B5:Ethiopic 12B8-12BE:Ethiopic 12C0:Ethiopic 12C2-12C5:Ethiopic 12C8-12D6:Ethiopic
    12D8-1310:Ethiopic 1312-1315:Ethiopic 1318-135A:Ethiopic 135D-137C:Ethiopic 1380-1399:Ethiopic
    13A0-13F5:Cherokee 13F8-13FD:Cherokee 1400-167F:CanadianAboriginal 1680-169C:Ogham
    16A0-16EA:Runic 16EB-16ED:Common 16EE-16F8:Runic 1700-170C:Tagalog 170E-1714:Tagalog
    1720-1734:Hanunoo 1735-1736:Common 1740-1753:Buhid 1760-176C:Tagbanwa 176E-1770:Tagbanwa
    1772-1773:Tagbanwa 1780-17DD:Khmer 17E0-17E9:Khmer 17F0-17F9:Khmer 1800-1801:Mongolian
    1802-1803:Common 1804:Mongolian 1805:Common 1806-180E:Mongolian 1810-1819:Mongolian
    1820-1877:Mongolian 1880-18AA:Mongolian 18B0-18F5:CanadianAboriginal 1900-191E:Limbu
    1920-192B:Limbu 1930-193B:Limbu 1940:Limbu 1944-194F:Limbu 1950-196D:TaiLe 1970-1974:TaiLe
    1980-19AB:NewTaiLue 19B0-19C9:NewTaiLue 19D0-19DA:NewTaiLue 19DE-19DF:NewTaiLue 19E0-19FF:Khmer
    1A00-1A1B:Buginese 1A1E-1A1F:Buginese 1A20-1A5E:TaiTham 1A60-1A7C:TaiTham 1A7F-1A89:TaiTham
    1A90-1A99:TaiTham 1AA0-1AAD:TaiTham 1AB0-1ABE:Inherited 1B00-1B4B:Balinese 1B50-1B7C:Balinese
    1B80-1BBF:Sundanese 1BC0-1BF3:Batak 1BFC-1BFF:Batak 1C00-1C37:Lepcha 1C3B-1C49:Lepcha
    1C4D-1C4F:Lepcha 1C50-1C7F:OlChiki 1C80-1C88:Cyrillic 1CC0-1CC7:Sundanese 1CD0-1CD2:Inherited
    1CD3:Common 1CD4-1CE0:Inherited 1CE1:Common 1CE2-1CE8:Inherited 1CE9-1CEC:Common 1CED:Inherited
    1CEE-1CF3:Common 1CF4:Inherited 1CF5-1CF6:Common 1CF8-1CF9:Inherited 1D00-1D25:Latin
    1D26-1D2A:Greek 1D2B:Cyrillic 1D2C-1D5C:Latin 1D5D-1D61:Greek 1D62-1D65:Latin 1D66-1D6A:Greek
    1D6B-1D77:Latin 1D78:Cyrillic 1D79-1DBE:Latin 1DBF:Greek 1DC0-1DF5:Inherited 1DFB-1DFF:Inherited
    1E00-1EFF:Latin 1F00-1F15:Greek 1F18-1F1D:Greek 1F20-1F45:Greek 1F48-1F4D:Greek 1F50-1F57:Greek
    1F59:Greek 1F5B:Greek 1F5D:Greek 1F5F-1F7D:Greek 1F80-1FB4:Greek 1FB6-1FC4:Greek 1FC6-1FD3:Greek
    1FD6-1FDB:Greek 1FDD-1FEF:Greek 1FF2-1FF4:Greek 1FF6-1FFE:Greek 2000-200B:Common
    200C-200D:Inherited 200E-2064:Common 2066-2070:Common 2071:Latin 2074-207E:Common 207F:Latin
    2080-208E:Common 2090-209C:Latin 20A0-20BE:Common 20D0-20F0:Inherited 2100-2125:Common
    2126:Greek 2127-2129:Common 212A-212B:Latin 212C-2131:Common 2132:Latin 2133-214D:Common
    214E:Latin 214F-215F:Common 2160-2188:Latin 2189-218B:Common 2190-23FE:Common 2400-2426:Common
    2440-244A:Common 2460-27FF:Common 2800-28FF:Braille 2900-2B73:Common 2B76-2B95:Common
    2B98-2BB9:Common 2BBD-2BC8:Common 2BCA-2BD1:Common 2BEC-2BEF:Common 2C00-2C2E:Glagolitic
    2C30-2C5E:Glagolitic 2C60-2C7F:Latin 2C80-2CF3:Coptic 2CF9-2CFF:Coptic 2D00-2D25:Georgian
    2D27:Georgian 2D2D:Georgian 2D30-2D67:Tifinagh 2D6F-2D70:Tifinagh 2D7F:Tifinagh
    2D80-2D96:Ethiopic 2DA0-2DA6:Ethiopic 2DA8-2DAE:Ethiopic 2DB0-2DB6:Ethiopic 2DB8-2DBE:Ethiopic
    2DC0-2DC6:Ethiopic 2DC8-2DCE:Ethiopic 2DD0-2DD6:Ethiopic 2DD8-2DDE:Ethiopic 2DE0-2DFF:Cyrillic
    2E00-2E44:Common 2E80-2E99:Han 2E9B-2EF3:Han 2F00-2FD5:Han 2FF0-2FFB:Common 3000-3004:Common
    3005:Han 3006:Common 3007:Han 3008-3020:Common 3021-3029:Han 302A-302D:Inherited
    302E-302F:Hangul 3030-3037:Common 3038-303B:Han 303C-303F:Common 3041-3096:Hiragana
    3099-309A:Inherited 309B-309C:Common 309D-309F:Hiragana 30A0:Common 30A1-30FA:Katakana
    30FB-30FC:Common 30FD-30FF:Katakana 3105-312D:Bopomofo 3131-318E:Hangul 3190-319F:Common
    31A0-31BA:Bopomofo 31C0-31E3:Common 31F0-31FF:Katakana 3200-321E:Hangul 3220-325F:Common
    3260-327E:Hangul 327F-32CF:Common 32D0-32FE:Katakana 3300-3357:Katakana 3358-33FF:Common
    3400-4DB5:Han 4DC0-4DFF:Common 4E00-9FD5:Han A000-A48C:Yi A490-A4C6:Yi A4D0-A4FF:Lisu
    A500-A62B:Vai A640-A69F:Cyrillic A6A0-A6F7:Bamum A700-A721:Common A722-A787:Latin
    A788-A78A:Common A78B-A7AE:Latin A7B0-A7B7:Latin A7F7-A7FF:Latin A800-A82B:SylotiNagri
    A830-A839:Common A840-A877:PhagsPa A880-A8C5:Saurashtra A8CE-A8D9:Saurashtra
    A8E0-A8FD:Devanagari A900-A92D:KayahLi A92E:Common A92F:KayahLi A930-A953:Rejang A95F:Rejang
    A960-A97C:Hangul A980-A9CD:Javanese A9CF:Common A9D0-A9D9:Javanese A9DE-A9DF:Javanese
    A9E0-A9FE:Myanmar AA00-AA36:Cham AA40-AA4D:Cham AA50-AA59:Cham AA5C-AA5F:Cham AA60-AA7F:Myanmar
    AA80-AAC2:TaiViet AADB-AADF:TaiViet AAE0-AAF6:MeeteiMayek AB01-AB06:Ethiopic AB09-AB0E:Ethiopic
    AB11-AB16:Ethiopic AB20-AB26:Ethiopic AB28-AB2E:Ethiopic AB30-AB5A:Latin AB5B:Common
    AB5C-AB64:Latin AB65:Greek AB70-ABBF:Cherokee ABC0-ABED:MeeteiMayek ABF0-ABF9:MeeteiMayek
    AC00-D7A3:Hangul D7B0-D7C6:Hangul D7CB-D7FB:Hangul F900-FA6D:Han FA70-FAD9:Han FB00-FB06:Latin
    FB13-FB17:Armenian FB1D-FB36:Hebrew FB38-FB3C:Hebrew FB3E:Hebrew FB40-FB41:Hebrew
    FB43-FB44:Hebrew FB46-FB4F:Hebrew FB50-FBC1:Arabic FBD3-FD3D:Arabic FD3E-FD3F:Common
    FD50-FD8F:Arabic FD92-FDC7:Arabic FDF0-FDFD:Arabic FE00-FE0F:Inherited FE10-FE19:Common
    FE20-FE2D:Inherited FE2E-FE2F:Cyrillic FE30-FE52:Common FE54-FE66:Common FE68-FE6B:Common
    FE70-FE74:Arabic FE76-FEFC:Arabic FEFF:Common FF01-FF20:Common FF21-FF3A:Latin FF3B-FF40:Common
    FF41-FF5A:Latin FF5B-FF65:Common FF66-FF6F:Katakana FF70:Common FF71-FF9D:Katakana
    FF9E-FF9F:Common FFA0-FFBE:Hangul FFC2-FFC7:Hangul FFCA-FFCF:Hangul FFD2-FFD7:Hangul
    FFDA-FFDC:Hangul FFE0-FFE6:Common FFE8-FFEE:Common FFF9-FFFD:Common 10000-1000B:LinearB
    1000D-10026:LinearB 10028-1003A:LinearB 1003C-1003D:LinearB 1003F-1004D:LinearB
    10050-1005D:LinearB 10080-100FA:LinearB 10100-10102:Common 10107-10133:Common 10137-1013F:Common
    10140-1018E:Greek 10190-1019B:Common 101A0:Greek 101D0-101FC:Common 101FD:Inherited
    10280-1029C:Lycian 102A0-102D0:Carian 102E0:Inherited 102E1-102FB:Common 10300-10323:OldItalic
    10330-1034A:Gothic 10350-1037A:OldPermic 10380-1039D:Ugaritic 1039F:Ugaritic
    103A0-103C3:OldPersian 103C8-103D5:OldPersian 10400-1044F:Deseret 10450-1047F:Shavian
    10480-1049D:Osmanya 104A0-104A9:Osmanya 104B0-104D3:Osage 104D8-104FB:Osage 10500-10527:Elbasan
    10530-10563:CaucasianAlbanian 1056F:CaucasianAlbanian 10600-10736:LinearA 10740-10755:LinearA
    10760-10767:LinearA 10800-10805:Cypriot 10808:Cypriot 1080A-10835:Cypriot 10837-10838:Cypriot
    1083C:Cypriot 1083F:Cypriot 10840-10855:ImperialAramaic 10857-1085F:ImperialAramaic
    10860-1087F:Palmyrene 10880-1089E:Nabataean 108A7-108AF:Nabataean 108E0-108F2:Hatran
    108F4-108F5:Hatran 108FB-108FF:Hatran 10900-1091B:Phoenician 1091F:Phoenician 10920-10939:Lydian
    1093F:Lydian 10980-1099F:MeroiticHieroglyphs 109A0-109B7:MeroiticCursive
    109BC-109CF:MeroiticCursive 109D2-109FF:MeroiticCursive 10A00-10A03:Kharoshthi
    10A05-10A06:Kharoshthi 10A0C-10A13:Kharoshthi 10A15-10A17:Kharoshthi 10A19-10A33:Kharoshthi
    10A38-10A3A:Kharoshthi 10A3F-10A47:Kharoshthi 10A50-10A58:Kharoshthi 10A60-10A7F:OldSouthArabian
    10A80-10A9F:OldNorthArabian 10AC0-10AE6:Manichaean 10AEB-10AF6:Manichaean 10B00-10B35:Avestan
    10B39-10B3F:Avestan 10B40-10B55:InscriptionalParthian 10B58-10B5F:InscriptionalParthian
    10B60-10B72:InscriptionalPahlavi 10B78-10B7F:InscriptionalPahlavi 10B80-10B91:PsalterPahlavi
    10B99-10B9C:PsalterPahlavi 10BA9-10BAF:PsalterPahlavi 10C00-10C48:OldTurkic
    10C80-10CB2:OldHungarian 10CC0-10CF2:OldHungarian 10CFA-10CFF:OldHungarian 10E60-10E7E:Arabic
    11000-1104D:Brahmi 11052-1106F:Brahmi 1107F:Brahmi 11080-110C1:Kaithi 110D0-110E8:SoraSompeng
    110F0-110F9:SoraSompeng 11100-11134:Chakma 11136-11143:Chakma 11150-11176:Mahajani
    11180-111CD:Sharada 111D0-111DF:Sharada 111E1-111F4:Sinhala 11200-11211:Khojki
    11213-1123E:Khojki 11280-11286:Multani 11288:Multani 1128A-1128D:Multani 1128F-1129D:Multani
    1129F-112A9:Multani 112B0-112EA:Khudawadi 112F0-112F9:Khudawadi 11300-11303:Grantha
    11305-1130C:Grantha 1130F-11310:Grantha 11313-11328:Grantha 1132A-11330:Grantha
    11332-11333:Grantha 11335-11339:Grantha 1133C-11344:Grantha 11347-11348:Grantha
    1134B-1134D:Grantha 11350:Grantha 11357:Grantha 1135D-11363:Grantha 11366-1136C:Grantha
    11370-11374:Grantha 11400-11459:Newa 1145B:Newa 1145D:Newa 11480-114C7:Tirhuta
    114D0-114D9:Tirhuta 11580-115B5:Siddham 115B8-115DD:Siddham 11600-11644:Modi 11650-11659:Modi
    11660-1166C:Mongolian 11680-116B7:Takri 116C0-116C9:Takri 11700-11719:Ahom 1171D-1172B:Ahom
    11730-1173F:Ahom 118A0-118F2:WarangCiti 118FF:WarangCiti 11AC0-11AF8:PauCinHau
    11C00-11C08:Bhaiksuki 11C0A-11C36:Bhaiksuki 11C38-11C45:Bhaiksuki 11C50-11C6C:Bhaiksuki
    11C70-11C8F:Marchen 11C92-11CA7:Marchen 11CA9-11CB6:Marchen 12000-12399:Cuneiform
    12400-1246E:Cuneiform 12470-12474:Cuneiform 12480-12543:Cuneiform
    13000-1342E:EgyptianHieroglyphs 14400-14646:AnatolianHieroglyphs 16800-16A38:Bamum
    16A40-16A5E:Mro 16A60-16A69:Mro 16A6E-16A6F:Mro 16AD0-16AED:BassaVah 16AF0-16AF5:BassaVah
    16B00-16B45:PahawhHmong 16B50-16B59:PahawhHmong 16B5B-16B61:PahawhHmong 16B63-16B77:PahawhHmong
    16B7D-16B8F:PahawhHmong 16F00-16F44:Miao 16F50-16F7E:Miao 16F8F-16F9F:Miao 16FE0:Tangut
    17000-187EC:Tangut 18800-18AF2:Tangut 1B000:Katakana 1B001:Hiragana 1BC00-1BC6A:Duployan
    1BC70-1BC7C:Duployan 1BC80-1BC88:Duployan 1BC90-1BC99:Duployan 1BC9C-1BC9F:Duployan
    1BCA0-1BCA3:Common 1D000-1D0F5:Common 1D100-1D126:Common 1D129-1D166:Common
    1D167-1D169:Inherited 1D16A-1D17A:Common 1D17B-1D182:Inherited 1D183-1D184:Common
    1D185-1D18B:Inherited 1D18C-1D1A9:Common 1D1AA-1D1AD:Inherited 1D1AE-1D1E8:Common
    1D200-1D245:Greek 1D300-1D356:Common 1D360-1D371:Common 1D400-1D454:Common 1D456-1D49C:Common
    1D49E-1D49F:Common 1D4A2:Common 1D4A5-1D4A6:Common 1D4A9-1D4AC:Common 1D4AE-1D4B9:Common
    1D4BB:Common 1D4BD-1D4C3:Common 1D4C5-1D505:Common 1D507-1D50A:Common 1D50D-1D514:Common
    1D516-1D51C:Common 1D51E-1D539:Common 1D53B-1D53E:Common 1D540-1D544:Common 1D546:Common
    1D54A-1D550:Common 1D552-1D6A5:Common 1D6A8-1D7CB:Common 1D7CE-1D7FF:Common
    1D800-1DA8B:SignWriting 1DA9B-1DA9F:SignWriting 1DAA1-1DAAF:SignWriting 1E000-1E006:Glagolitic
    1E008-1E018:Glagolitic 1E01B-1E021:Glagolitic 1E023-1E024:Glagolitic 1E026-1E02A:Glagolitic
    1E800-1E8C4:MendeKikakui 1E8C7-1E8D6:MendeKikakui 1E900-1E94A:Adlam 1E950-1E959:Adlam
    1E95E-1E95F:Adlam 1EE00-1EE03:Arabic 1EE05-1EE1F:Arabic 1EE21-1EE22:Arabic 1EE24:Arabic
    1EE27:Arabic 1EE29-1EE32:Arabic 1EE34-1EE37:Arabic 1EE39:Arabic 1EE3B:Arabic 1EE42:Arabic
    1EE47:Arabic 1EE49:Arabic 1EE4B:Arabic 1EE4D-1EE4F:Arabic 1EE51-1EE52:Arabic 1EE54:Arabic
    1EE57:Arabic 1EE59:Arabic 1EE5B:Arabic 1EE5D:Arabic 1EE5F:Arabic 1EE61-1EE62:Arabic 1EE64:Arabic
    1EE67-1EE6A:Arabic 1EE6C-1EE72:Arabic 1EE74-1EE77:Arabic 1EE79-1EE7C:Arabic 1EE7E:Arabic
    1EE80-1EE89:Arabic 1EE8B-1EE9B:Arabic 1EEA1-1EEA3:Arabic 1EEA5-1EEA9:Arabic 1EEAB-1EEBB:Arabic
    1EEF0-1EEF1:Arabic 1F000-1F02B:Common 1F030-1F093:Common 1F0A0-1F0AE:Common 1F0B1-1F0BF:Common
    1F0C1-1F0CF:Common 1F0D1-1F0F5:Common 1F100-1F10C:Common 1F110-1F12E:Common 1F130-1F16B:Common
    1F170-1F1AC:Common 1F1E6-1F1FF:Common 1F200:Hiragana 1F201-1F202:Common 1F210-1F23B:Common
    1F240-1F248:Common 1F250-1F251:Common 1F300-1F6D2:Common 1F6E0-1F6EC:Common 1F6F0-1F6F6:Common
    1F700-1F773:Common 1F780-1F7D4:Common 1F800-1F80B:Common 1F810-1F847:Common 1F850-1F859:Common
    1F860-1F887:Common 1F890-1F8AD:Common 1F910-1F91E:Common 1F920-1F927:Common 1F930:Common
    1F933-1F93E:Common 1F940-1F94B:Common 1F950-1F95E:Common 1F980-1F991:Common 1F9C0:Common
    20000-2A6D6:Han 2A700-2B734:Han 2B740-2B81D:Han 2B820-2CEA1:Han 2F800-2FA1D:Han E0001:Common
    E0020-E007F:Common E0100-E01EF:Inherited
"""
_SCRIPT_RANGES = _script_ranges(SCRIPTS)
_SCRIPT_STARTS = [first for first, _, _ in _SCRIPT_RANGES]
