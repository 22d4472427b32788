"""Pre-tokenizers: how byte-level BPE models cut text into chunks before merging.

BPE never merges across a chunk boundary, so the split decides which tokens can exist
at all: with GPT-2's regex a space sticks to the word after it (``" world"``), letters
never merge with digits, and punctuation runs stay together. Each model family chose
its own regex, and the vocabulary only works with the regex it was trained with.

Every pattern below covers every character (each ends with ``\\s+`` or ``\\s`` and the
other branches take letters, numbers and everything else), so ``findall`` returns a
partition of the text; Hugging Face's ``Split(..., behavior="isolated")`` and tiktoken's
``find_iter`` produce the same chunks (a pattern that does not cover the text keeps the
stretches between its matches, as ``Split`` does). Some models split in several steps,
each applied to the chunks of the one before (:class:`Isolate`, :class:`PreTokenizer`).

=============  ===========================================================================
GGUF ``pre``   what the original ``tokenizer.json`` / tiktoken does
=============  ===========================================================================
``gpt-2``      ``ByteLevel(use_regex=True)``: :data:`GPT2_PATTERN`
(tiktoken)     cl100k_base: :data:`CL100K_PATTERN` (tiktoken's ``openai_public.py``)
``llama-bpe``  Llama-3: ``Split(LLAMA3_PATTERN, isolated)`` + ``ByteLevel(use_regex=False)``
``qwen2``      Qwen2: ``NFC`` normalizer, ``Split(QWEN2_PATTERN, isolated)`` + ``ByteLevel``
``starcoder``  StarCoder2: ``Digits(individual_digits=True)`` + ``ByteLevel(use_regex=True)``
``smollm``     SmolLM / SmolLM2: the same as StarCoder2
``refact``     Refact: the same as StarCoder2
``command-r``  Command-R: ``NFC``, then the same as StarCoder2
``mpt``        MPT (GPT-NeoX's tokenizer): ``NFC`` + ``ByteLevel(use_regex=True)``
``qwen35``     Qwen3.5: ``Split(QWEN35_PATTERN, isolated)`` (marks join letters) + ``ByteLevel``
``falcon``     ``Punctuation`` + ``ByteLevel(use_regex=True)`` + ``Digits`` + 3-digit groups
``deepseek-*`` a ``Sequence`` of ``Split`` s (line breaks, letters, punctuation, CJK) + ``Digits``
=============  ===========================================================================

A table name that is not here is refused with the list of known ones; so is
``"default"``, the name a converter writes when it did not know the split rules.

llama.cpp (``src/llama-vocab.cpp``, ``llm_tokenizer_bpe``) files ``smollm`` in the same
case as ``starcoder``: first ``\\p{N}``, then GPT-2's regex. Its versions of the
patterns are rewritten for its own regex engine (``(?i:'s)`` spelled ``'[sS]``, GPT-2's
final ``|\\s+`` dropped); the ones here are the originals, run with the references'
character classes (see "the character classes" below).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import regex

from . import unicode_classes
from .base import MalformedVocabError
from .bytes_to_unicode import spell, unspell

#: GPT-2 (``encoder.py``; ``tokenizers``' ``ByteLevel`` pre-tokenizer): English
#: contractions, then an optional space + a run of letters / of numbers / of other
#: symbols, then whitespace. ``\s+(?!\S)`` leaves the last space of a run to the word
#: after it, so ``"a   b"`` -> ``"a", "  ", " b"``.
GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""

#: cl100k_base (GPT-3.5/GPT-4), exactly as tiktoken ships it: contractions in any case,
#: one non-letter (e.g. a space or ``"``) glued in front of a letter run, numbers in
#: groups of at most three digits, symbol runs with the newlines after them, and
#: newline-aware whitespace. The possessive quantifiers (``?+``, ``++``, ``*+``) never
#: give back what they took, which makes tiktoken's engine faster without changing the
#: matches; ``\s++$`` is whitespace at the very end of the text (Python's ``$`` also
#: matches before a final newline, but ``\s++`` has taken that newline already).
CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)

#: Llama-3, from its ``tokenizer.json`` (the cl100k regex before tiktoken rewrote it).
LLAMA3_PATTERN = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"""
    r"""|\s*[\r\n]+|\s+(?!\S)|\s+"""
)

#: Qwen2 (and Qwen1.5/Qwen2.5): Llama-3's regex with single digits (``\p{N}``).
QWEN2_PATTERN = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"""
    r"""|\s*[\r\n]+|\s+(?!\S)|\s+"""
)


# ---- the character classes: the references', not the installed regex module's -------------
# ``\p{L}``, ``\p{N}`` and ``\s`` mean whatever the Unicode tables of the regex engine say.
# The references' engines (tiktoken: Rust's ``regex`` crate; Hugging Face ``tokenizers``:
# Oniguruma) are frozen at the Unicode version they were built with, while the ``regex``
# module follows the newest Unicode: a new release of it knows thousands of letters the
# references do not, and the ids would change with it. So every pattern is run with the
# classes of :mod:`.unicode_classes`, a table generated from the references themselves
# (``python -m reference.unicode_tables``), on both paths:
#
# * the ``regex`` path (:func:`regex_pattern`) keeps ``\p{L}`` and friends where the
#   installed ``regex`` agrees with the table, and otherwise subtracts the code points it
#   has in excess and adds those it lacks, with the set operations of ``regex``'s
#   VERSION1 syntax: ``[\p{L}--<extra>]<missing>``, where ``<extra>`` is
#   ``[[\U00000558-\U0010ffff]&&[<the ranges>]]``: ``regex`` tries a list of ranges one by
#   one, and the window in front spares that to every character below the first of them
#   (all of ASCII, Latin, Greek and Cyrillic). Measured on 0.5 MB of English, Python
#   source and multilingual text (``regex`` 2026.11.19, 48 ranges of extra letters):
#   83-97% of the speed of the uncorrected pattern; without the window 35-60%; with the
#   whole class spelled out as ranges 5-10%.
# * the fast path (:func:`fast_pattern`) is for Python's own ``re`` (possessive
#   quantifiers since Python 3.11), which runs these patterns faster and has no
#   ``\p{..}``: each class becomes an explicit class of code-point ranges. Python's own
#   ``\s`` would differ too (it also holds U+001C..U+001F). Only the Basic Multilingual
#   Plane (U+0000..U+FFFF) is listed: ``re`` turns such a class into a bitmap looked up
#   in one step, but tries ranges above U+FFFF one by one, which would make it slower
#   than ``regex``. So the fast path is for text without such characters (emoji are
#   above U+FFFF); other text goes to the ``regex`` path.
Ranges = tuple[tuple[int, int], ...]

#: ``\p{..}`` short names -> the table of :mod:`.unicode_classes` (the general categories, their
#: unions, and the scripts that real patterns use: Kimi-K2's ``\p{Han}`` ...).
_PROPERTIES = {
    "Lu": "UPPERCASE_LETTERS", "Ll": "LOWERCASE_LETTERS", "Lt": "TITLECASE_LETTERS", "Lm": "MODIFIER_LETTERS",
    "Lo": "OTHER_LETTERS", "L": "LETTERS",
    "Mn": "NONSPACING_MARKS", "Mc": "SPACING_MARKS", "Me": "ENCLOSING_MARKS", "M": "MARKS",
    "Nd": "DECIMAL_NUMBERS", "Nl": "LETTER_NUMBERS", "No": "OTHER_NUMBERS", "N": "NUMBERS",
    "Sm": "MATH_SYMBOLS", "Sc": "CURRENCY_SYMBOLS", "Sk": "MODIFIER_SYMBOLS", "So": "OTHER_SYMBOLS", "S": "SYMBOLS",
    "Pc": "CONNECTOR_PUNCTUATION", "Pd": "DASH_PUNCTUATION", "Ps": "OPEN_PUNCTUATION", "Pe": "CLOSE_PUNCTUATION",
    "Pi": "INITIAL_PUNCTUATION", "Pf": "FINAL_PUNCTUATION", "Po": "OTHER_PUNCTUATION", "P": "PUNCTUATION",
    "Zs": "SPACE_SEPARATORS", "Zl": "LINE_SEPARATORS", "Zp": "PARAGRAPH_SEPARATORS", "Z": "SEPARATORS",
    "Cc": "CONTROLS", "Cf": "FORMATS", "Co": "PRIVATE_USE", "Cn": "UNASSIGNED", "C": "OTHERS",
    "Han": "HAN", "Hiragana": "HIRAGANA", "Katakana": "KATAKANA", "Hangul": "HANGUL",
}  # fmt: skip
_MATCHING: dict[str, Ranges] = {
    **{f"\\p{{{short}}}": getattr(unicode_classes, table) for short, table in _PROPERTIES.items()},
    r"\s": unicode_classes.WHITESPACE,
    r"\d": unicode_classes.DIGITS,
    r"\w": unicode_classes.WORD,  # (Oniguruma's: Rust's also has U+200C/U+200D)
}

#: The classes a pattern may use -> their members, as the references see them: those of
#: ``_MATCHING`` and the negation of each (``\P{Lu}``, ``\S``, ``\D``, ``\W``: every code point but
#: the surrogates that the class lacks). Only these spellings are known (``\p{Lu}``, not
#: ``\p{Uppercase_Letter}`` nor ``\pL``); any other makes a pattern untranslatable.
CLASSES: dict[str, Ranges] = {
    **_MATCHING,
    **{escape[0] + escape[1].upper() + escape[2:]: unicode_classes.complement(ranges)  # \p{Lu} -> \P{Lu}, \s -> \S
       for escape, ranges in _MATCHING.items()},
}
#: ``\w`` of Rust's ``regex`` crate (``tokenizers``' ``Whitespace`` pre-tokenizer and the
#: added tokens' ``single_word`` test; UTS #18's definition): Oniguruma's (``unicode_classes.WORD``)
#: and the two joiners U+200C, U+200D (Join_Control), which Rust counts and Oniguruma does not.
RUST_WORD: Ranges = tuple(sorted(unicode_classes.WORD + ((0x200C, 0x200D),)))
#: The same for the digit splitter: ``Digits(individual_digits=True)`` asks Rust's
#: ``char::is_numeric``, whose Unicode version is the Rust standard library's, not the
#: regex engines'.
DIGIT_CLASSES: dict[str, Ranges] = {**CLASSES, r"\p{N}": unicode_classes.NUMERIC,
                                     r"\P{N}": unicode_classes.complement(unicode_classes.NUMERIC)}
#: The same for ``Punctuation`` (Falcon): ASCII punctuation and Rust's ``unicode_categories``
#: punctuation, which is not Oniguruma's ``\p{P}`` (it lacks e.g. U+10F58, Sogdian punctuation).
PUNCTUATION_CLASSES: dict[str, Ranges] = {**CLASSES, r"\p{P}": unicode_classes.PUNCTUATION_SPLIT,
                                           r"\P{P}": unicode_classes.complement(unicode_classes.PUNCTUATION_SPLIT)}
#: One numeric character (``Digits(individual_digits=True)``).
DIGIT_PATTERN = r"\p{N}"


def spell_ranges(ranges) -> str:
    """Code-point ranges as the inside of a character class: ``\\U00000041-\\U0000005a...``."""
    return "".join(f"\\U{first:08x}" if first == last else f"\\U{first:08x}-\\U{last:08x}" for first, last in ranges)


class UntranslatablePattern(ValueError):
    """A pattern that Python's ``re`` would read otherwise than the references' engines."""


#: Escapes that mean the same character to ``re``, Rust's ``regex`` and Oniguruma.
_SAME_EVERYWHERE = frozenset("rntfv")


def escape_at(pattern: str, i: int) -> str:
    """The escape that starts at ``pattern[i]`` (a backslash): ``\\p{..}``/``\\P{..}`` and
    ``\\uHHHH`` whole, else the backslash and one character (the escapes of Oniguruma,
    Rust's ``regex`` and Python's ``re`` alike)."""
    if pattern.startswith(("\\p{", "\\P{"), i):
        close = pattern.find("}", i)
        if close != -1:
            return pattern[i : close + 1]
    if pattern.startswith("\\u", i) and re.fullmatch(r"[0-9A-Fa-f]{4}", pattern[i + 2 : i + 6]):
        return pattern[i : i + 6]
    return pattern[i : i + 2]


#: What Oniguruma's ``\w`` (and ``\W``'s complement) adds *outside* a character class: below
#: U+0100 it asks its ISO-8859-1 ctype table, where ² ³ ¹ ¼ ½ ¾ are word characters; inside a
#: class (and in :data:`CLASSES`' ``\w``, ``unicode_classes.WORD``) they are not. Measured on
#: every code point (``tests/test_pipeline_oniguruma.py``).
LATIN1_WORD_OUTSIDE_A_CLASS = "\u00b2\u00b3\u00b9\u00bc-\u00be"


def _rewrite_classes(pattern: str, items, strict: bool = False) -> str:
    """``pattern`` with each class of :data:`CLASSES` (``\\p{L}``, ``\\p{N}``, ``\\s`` ...) and ``\\S``
    replaced: ``items(escape)`` is what goes inside a character class for that escape
    (outside one it is wrapped in ``[...]``, unless it is the escape itself).

    Outside a class ``\\w``/``\\W`` take Oniguruma's Latin-1 word characters
    (:data:`LATIN1_WORD_OUTSIDE_A_CLASS`). A negated class holding an escape and its own
    negation (``[^\\S\\s]``) raises :class:`UntranslatablePattern` (the ``regex`` module reads
    it as any character). Any other escape is kept as it is; with ``strict`` (the fast path)
    only those that every engine reads alike are (``\\n``, ``\\t``, an escaped ``.`` ...), and
    anything else (``\\b``, ``\\x41``, ``\\p{Greek}`` ...) raises :class:`UntranslatablePattern`:
    ``re`` has no such escape or reads it otherwise, so a translation would be wrong or fail
    at encode time."""
    out: list[str] = []
    in_class = negated = False
    in_this_class: set[str] = set()
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            escape = escape_at(pattern, i)
            i += len(escape)
            if in_class:
                in_this_class.add(escape)
            if escape in ("\\w", "\\W") and not in_class:
                # Outside a class Oniguruma reads \w with its ISO-8859-1 table below U+0100.
                spelled = items("\\w") + LATIN1_WORD_OUTSIDE_A_CLASS
                out.append(("[" if escape == "\\w" else "[^") + spelled + "]")
            elif escape == "\\S" and not in_class:
                spelled = items("\\s")
                out.append(escape if spelled == "\\s" else "[^" + spelled + "]")
            elif escape in CLASSES:
                spelled = items(escape)
                out.append(spelled if in_class or spelled == escape else "[" + spelled + "]")
            elif strict and not (len(escape) == 2 and (escape[1] in _SAME_EVERYWHERE or
                                                      (escape[1].isascii() and not escape[1].isalnum()))):
                raise UntranslatablePattern(f"{escape} has no exact equivalent in Python's re: {pattern!r}")
            else:
                out.append(escape)
            continue
        if strict and ch == "[" and in_class and pattern.startswith("[:", i):
            raise UntranslatablePattern(f"POSIX classes ([:name:]) differ in Python's re: {pattern!r}")
        if ch == "[" and not in_class:
            in_class, negated, in_this_class = True, pattern.startswith("[^", i), set()
        elif ch == "]" and in_class and pattern[i - 1] not in "[^":
            in_class = False
            both = sorted(e for e in in_this_class if e[1] in "pPsSdDwW" and e[0] + e[1].swapcase() + e[2:] in in_this_class)
            if negated and both:
                # The regex module reads [^X\X] as any character; Oniguruma as none.
                raise UntranslatablePattern(f"a negated class holding both {both[0]} and its negation: {pattern!r}")
        out.append(ch)
        i += 1
    return "".join(out)


def _code_points(ranges) -> set[int]:
    return {c for first, last in ranges for c in range(first, last + 1)}


def code_point_runs(code_points: set[int]) -> list[tuple[int, int]]:
    """Sorted code points as (first, last) runs: ``{65, 66, 67, 97}`` -> ``[(65, 67), (97, 97)]``."""
    runs: list[tuple[int, int]] = []
    for c in sorted(code_points):
        if runs and runs[-1][1] == c - 1:
            runs[-1] = (runs[-1][0], c)
        else:
            runs.append((c, c))
    return runs


@functools.cache
def _installed_class(escape: str) -> frozenset[int]:
    """The code points the installed ``regex`` module matches with ``escape`` (surrogates aside)."""
    text = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
    return frozenset(ord(c) for run in regex.findall(escape + "+", text) for c in run)


def _from_the_first(code_points: set[int]) -> str:
    """A set of just ``code_points``, in which a character below the first of them fails
    at once: ``[[\\U00000558-\\U0010ffff]&&[\\U00000558\\U0000058b-\\U0000058c...]]``."""
    return f"[[\\U{min(code_points):08x}-\\U0010ffff]&&[{spell_ranges(code_point_runs(code_points))}]]"


@functools.cache
def _regex_items(escape: str, ranges: Ranges) -> str:
    """``escape`` corrected to ``ranges`` with VERSION1 set operations (see above)."""
    wanted, installed = _code_points(ranges), _installed_class(escape)
    extra, missing = installed - wanted, wanted - installed
    item = f"[{escape}--{_from_the_first(extra)}]" if extra else escape
    return item + (_from_the_first(missing) if missing else "")


def regex_pattern(pattern: str, classes: dict[str, Ranges] = CLASSES) -> str:
    """``pattern`` for the ``regex`` module, its classes those of ``classes`` (see above):
    the pattern itself when the installed ``regex`` agrees with the references, else with
    the differences spelled out, e.g. ``r"(?V1-f)... ?[[\\p{L}--[[\\U00000558-...]&&[...]]]]+..."``
    (``-f``: VERSION1 would also turn on full case folding, which neither reference does)."""
    rewritten = _rewrite_classes(pattern, lambda escape: _regex_items(escape, classes[escape]))
    return rewritten if rewritten == pattern else "(?V1-f)" + rewritten


def fast_pattern(pattern: str, classes: dict[str, Ranges] = CLASSES) -> str:
    """``pattern`` with its classes spelled out for ``re`` (see above), the Basic
    Multilingual Plane only: ``r"[^\\s]"`` becomes ``r"[^\\U00000009-\\U0000000d\\U00000020..."``,
    ``r"\\p{L}+"`` becomes ``r"[\\U00000041-\\U0000005a...]+"``.

    Raises :class:`UntranslatablePattern` for a pattern ``re`` would read otherwise (see
    :func:`_rewrite_classes`); such a pattern runs on the ``regex`` path only."""

    return _rewrite_classes(pattern, lambda escape: _bmp_items(classes[escape]), strict=True)


@functools.cache
def _bmp_items(ranges: Ranges) -> str:
    """The Basic Multilingual Plane part of ``ranges``, spelled for a character class."""
    return spell_ranges((first, min(last, 0xFFFF)) for first, last in ranges if first <= 0xFFFF)


@functools.cache
def compiled(pattern: str, fast: bool = False, digits: bool = False, punctuation: bool = False):
    """``pattern`` compiled with the references' classes: for ``re`` (:func:`fast_pattern`)
    or for ``regex`` (:func:`regex_pattern`); ``digits`` takes ``\\p{N}`` from
    ``char::is_numeric`` (:data:`DIGIT_CLASSES`), ``punctuation`` ``\\p{P}`` from
    ``Punctuation`` (:data:`PUNCTUATION_CLASSES`)."""
    classes = DIGIT_CLASSES if digits else PUNCTUATION_CLASSES if punctuation else CLASSES
    return re.compile(fast_pattern(pattern, classes)) if fast else regex.compile(regex_pattern(pattern, classes))


@dataclass(frozen=True)
class Isolate:
    r"""One splitting step, ``tokenizers``' ``Split(pattern, behavior="isolated")``: each match
    of ``pattern`` becomes a chunk of its own, and so does each stretch between matches.
    With ``numeric``, ``\p{N}`` means Rust's ``char::is_numeric`` (:data:`DIGIT_CLASSES`), as
    in ``Digits``: ``Isolate(r"\p{N}", numeric=True)`` is ``Digits(individual_digits=True)``,
    ``Isolate(r"\p{N}+", numeric=True)`` is ``Digits(individual_digits=False)``; with
    ``punctuation``, ``Isolate(r"\p{P}+", punctuation=True)`` is ``Punctuation("contiguous")``.

    With ``byte_level`` the step sees each chunk as a step after ``ByteLevel`` does: its
    UTF-8 bytes spelled one character each (:func:`.bytes_to_unicode.spell`). A cut inside
    a character then gives pieces that are not text; those come out as ``bytes``."""

    pattern: str
    numeric: bool = False
    byte_level: bool = False
    punctuation: bool = False  # \p{P} is what ``Punctuation`` isolates (:data:`PUNCTUATION_CLASSES`)

    def compiled(self, fast: bool):
        return compiled(self.pattern, fast, self.numeric, self.punctuation)


@dataclass(frozen=True)
class PreTokenizer:
    r"""Cuts text into the chunks that BPE merges inside of.

    The steps, as the steps of a ``pre_tokenizers.Sequence``, each one applied to every
    chunk the steps before it left:

    1. ``normalization`` (``"NFC"`` for Qwen2, MPT ...) on the whole text;
    2. each :class:`Isolate` of ``before`` (DeepSeek's script splits, Falcon's punctuation);
    3. with ``isolate_digits``, every numeric character a chunk of its own (``Digits(individual_digits=True)``);
    4. ``pattern``'s matches and what lies between them (``ByteLevel(use_regex=True)``, or
       ``Split(pattern, "isolated")``); ``None`` for none;
    5. each :class:`Isolate` of ``after`` (Falcon's digit groups).

    The chunks are ``str``, except where a ``byte_level`` step cuts inside a character:
    such a piece is its ``bytes`` (a byte-level BPE merges the bytes of either alike).

    The patterns are compiled on first use. Whether the fast path (:func:`fast_pattern`,
    Python's ``re``) can run every step is decided here, at construction: a pattern that
    ``re`` would read otherwise than the references (``\p{Lu}``, ``\d`` ...) runs on the
    ``regex`` path only, never on a mistranslation.
    """

    name: str
    pattern: str | None
    isolate_digits: bool = False
    normalization: str | None = None
    before: tuple[Isolate, ...] = ()
    after: tuple[Isolate, ...] = ()

    def __post_init__(self) -> None:
        # (the rewriting is cheap; compiling waits for the first use, see _fast_compiles)
        object.__setattr__(self, "fast_path", all(map(_translates, self._steps())))

    def _steps(self) -> list[Isolate]:
        """Every step that has a pattern, in order."""
        steps = [*self.before]
        if self.isolate_digits:
            steps.append(Isolate(DIGIT_PATTERN, numeric=True))
        if self.pattern is not None:
            steps.append(Isolate(self.pattern))
        steps.extend(self.after)
        return steps

    def normalize(self, text: str) -> str:
        return unicodedata.normalize(self.normalization, text) if self.normalization else text

    def split(self, text: str) -> list[str]:
        """The chunks of ``text`` (after normalization), in order; they join to the text (their
        UTF-8 bytes to its bytes, where a ``byte_level`` step left ``bytes``)."""
        return self._cut(self.normalize(text), fast=False)

    def split_fast(self, text: str) -> list[str]:
        """:meth:`split` on the fast path: the patterns rewritten for ``re`` (:func:`fast_pattern`),
        for text without characters above U+FFFF (other text, and every text when a
        pattern cannot be rewritten exactly, goes to the ``regex`` path)."""
        text = self.normalize(text)  # (NFC can turn a BMP character into one above U+FFFF)
        fast = self.fast_path and (not text or max(text) <= "\uffff") and self._fast_compiles()
        return self._cut(text, fast=fast)

    def _fast_compiles(self) -> bool:
        """Whether ``re`` compiles every rewritten pattern; if it does not (syntax that only
        ``regex`` has, such as ``\\K`` or ``(?V1)``), the fast path is off for good."""
        if self.fast_path and not self.__dict__.get("_fast_compiled"):
            try:
                for step in self._steps():
                    step.compiled(fast=True)
            except re.error:
                object.__setattr__(self, "fast_path", False)
            object.__setattr__(self, "_fast_compiled", True)
        return self.fast_path

    def _cut(self, text: str, fast: bool) -> list[str]:
        """The chunks of normalized ``text``."""
        chunks = [text] if text else []
        for step in self.before:
            chunks = _isolated(step.compiled(fast), chunks)
        if self.isolate_digits:
            chunks = _isolated(compiled(DIGIT_PATTERN, fast, digits=True), chunks)
        if self.pattern is not None:
            chunks = _matches(compiled(self.pattern, fast), chunks)
        for step in self.after:
            isolate = _isolated_bytes if step.byte_level else _isolated
            chunks = isolate(step.compiled(fast), chunks)
        return chunks


def _translates(step: Isolate) -> bool:
    """Whether ``step``'s pattern can be rewritten for ``re`` exactly (see :func:`fast_pattern`)."""
    classes = DIGIT_CLASSES if step.numeric else PUNCTUATION_CLASSES if step.punctuation else CLASSES
    try:
        fast_pattern(step.pattern, classes)
    except UntranslatablePattern:
        return False
    return True


def _isolated(compiled_pattern, pieces: list[str]) -> list[str]:
    """Each piece cut at the matches of ``compiled_pattern``, matches and the text between kept."""
    chunks: list[str] = []
    for piece in pieces:
        at = 0
        for match in compiled_pattern.finditer(piece):
            start, end = match.span()
            if start > at:
                chunks.append(piece[at:start])
            if end > start:
                chunks.append(piece[start:end])
            at = max(at, end)
        if at < len(piece):
            chunks.append(piece[at:])
    return chunks


def _matches(compiled_pattern, pieces: list[str]) -> list[str]:
    """:func:`_isolated` for the main pattern, on the quick path of ``findall`` where the
    matches cover the piece (they do for every pattern of the table); a pattern that
    leaves characters out, or has capturing groups (``findall`` would give the groups),
    goes the long way, so no character is ever dropped."""
    if compiled_pattern.groups:
        return _isolated(compiled_pattern, pieces)
    chunks: list[str] = []
    for piece in pieces:
        found = compiled_pattern.findall(piece)
        if len("".join(found)) != len(piece):
            found = _isolated(compiled_pattern, [piece])
        if len(pieces) == 1:
            return found
        chunks += found
    return chunks


def _isolated_bytes(compiled_pattern, pieces: list) -> list:
    """:func:`_isolated` on each piece's byte-level spelling; a piece that is whole
    characters comes back as ``str``, one cut inside a character as ``bytes``."""
    chunks: list = []
    for piece in pieces:
        data = piece.encode("utf-8") if isinstance(piece, str) else piece
        for part in _isolated(compiled_pattern, [spell(data)]):
            raw = unspell(part)
            try:
                chunks.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                chunks.append(raw)
    return chunks


#: Qwen3.5: Qwen2's regex with combining marks (``\p{M}``) kept in letter runs, and out of symbol runs.
QWEN35_PATTERN = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*"""
    r"""|\s*[\r\n]+|\s+(?!\S)|\s+"""
)

#: DeepSeek LLM's and DeepSeek-Coder's ``tokenizer.json``: a sequence of isolating splits and no
#: ByteLevel regex. Line breaks alone; CJK (the ranges of the original file) in runs.
_LINE_BREAKS = Isolate(r"[\r\n]")
_CJK = Isolate(r"[一-龥ࠀ-一가-퟿]+")
DEEPSEEK_LLM = PreTokenizer(
    "deepseek-llm",
    None,
    before=(
        _LINE_BREAKS,
        Isolate(  # (characters written \uXXXX are ones NFC would change: the range is of code points)
            "\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-\u1f7dᾀ-ᾴᾶ-ᾼ\u1fbeῂ-ῄῆ-ῌῐ-\u1fd3ῖ-\u1fdbῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤ\u2126ℨ\u212a-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+"
        ),
        Isolate(r"\s?[!-/:-~！-／：-～‘-‟　-。]+"),
        Isolate(r"\s+$"),  # (no chunk holds a newline any more, so $ is the end of the chunk)
        _CJK,
        Isolate(r"\p{N}+", numeric=True),  # Digits(individual_digits=False)
    ),
)
DEEPSEEK_CODER = PreTokenizer(
    "deepseek-coder",
    None,
    before=(_LINE_BREAKS, Isolate(r"\s?\p{L}+"), Isolate(r"\s?\p{P}+"), _CJK, Isolate(r"\p{N}", numeric=True)),
)
#: Falcon: ``Punctuation(contiguous)``, ``ByteLevel(use_regex=True)``, ``Digits(individual_digits=False)``,
#: then ``Split("[0-9][0-9][0-9]", isolated)``. ``Punctuation`` takes ASCII punctuation and
#: Rust's Unicode punctuation (:data:`PUNCTUATION_CLASSES`); the last two steps come after
#: ByteLevel and see its spelling, in which the
#: continuation bytes B2 B3 B9 BC BD BE are the numeric ``²³¹¼½¾``: ``"½"`` (C2 BD) is cut in two.
FALCON = PreTokenizer(
    "falcon",
    GPT2_PATTERN,
    before=(Isolate(r"\p{P}+", punctuation=True),),
    after=(Isolate(r"\p{N}+", numeric=True, byte_level=True), Isolate(r"[0-9][0-9][0-9]", byte_level=True)),
)

GPT2 = PreTokenizer("gpt-2", GPT2_PATTERN)
CL100K = PreTokenizer("cl100k_base", CL100K_PATTERN)
LLAMA3 = PreTokenizer("llama-bpe", LLAMA3_PATTERN)
QWEN2 = PreTokenizer("qwen2", QWEN2_PATTERN, normalization="NFC")
QWEN35 = PreTokenizer("qwen35", QWEN35_PATTERN)
STARCODER = PreTokenizer("starcoder", GPT2_PATTERN, isolate_digits=True)
SMOLLM = PreTokenizer("smollm", GPT2_PATTERN, isolate_digits=True)
REFACT = PreTokenizer("refact", GPT2_PATTERN, isolate_digits=True)
COMMAND_R = PreTokenizer("command-r", GPT2_PATTERN, isolate_digits=True, normalization="NFC")
MPT = PreTokenizer("mpt", GPT2_PATTERN, normalization="NFC")

# ---- the other names of llama.cpp's table (src/llama-vocab.cpp, llm_tokenizer_bpe) ---------------
# Their steps are llama.cpp's regex sets, written as the original tokenizer.json's patterns
# where llama.cpp quotes them ("original regex from tokenizer.json"; llama.cpp rewrites
# ``(?i:'s)`` as ``'[sS]`` and possessive quantifiers as greedy ones for its own engine).
# llama.cpp applies no normalizer: where an original has one (NFC ...) it is not known here.
# Unlike the names above, these have no .inp/.out cases to prove them against the original.
#: GPT-4o's ``o200k_base`` split (llama.cpp's ``GPT4O``): case-aware letter runs with contractions.
GPT4O_PATTERN = (
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"""
    r"""|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"""
    r"""|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
)
#: tiktoken's o200k_base split (tests check the pattern is tiktoken's own string).
O200K = PreTokenizer("o200k_base", GPT4O_PATTERN)
#: Mistral's Tekken: GPT-4o's split without contractions, single digits.
TEKKEN_PATTERN = (
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+"""
    r"""|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*"""
    r"""|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
)
_NO_CONTRACTIONS = r"""[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
_DEEPSEEK3_CJK = Isolate(r"[一-龥぀-ゟ゠-ヿ]+")
_DEEPSEEK3_MAIN = (
    r"""[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+"""
    r"""| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
)
_BLOOM_PATTERN = r" ?[^(\s|.,!?…。，、।۔،)]+"


def _same(name: str, like: PreTokenizer, normalization: str | None = None) -> PreTokenizer:
    """A pre-tokenizer named ``name`` with ``like``'s steps (llama.cpp files many names under one rule set)."""
    return PreTokenizer(name, like.pattern, like.isolate_digits, normalization, like.before, like.after)


def classes_without_table(pre: PreTokenizer) -> list[str]:
    """The ``\\p{..}`` classes of ``pre``'s steps that :data:`CLASSES` has no reference table for."""
    patterns = [step.pattern for step in pre._steps()]
    return sorted({m for p in patterns for m in regex.findall(r"\\[pP]\{[^}]*\}", p) if m.replace("\\P", "\\p") not in CLASSES})


_LLAMA_CPP_RULES = [
    *(_same(n, GPT2) for n in ("phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0", "mellum",
                               "modern-bert", "jina-v1-en", "jina-v2-code", "roberta-bpe", "exaone4", "olmo", "jais",
                               "trillion", "granite-docling")),
    *(_same(n, STARCODER) for n in ("codeshell", "exaone", "minerva-7b", "mellum2")),
    *(_same(n, LLAMA3) for n in ("falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano", "dbrx", "smaug-bpe",
                                 "chatglm-bpe", "glm4", "glm5")),
    _same("deepseek-r1-qwen", QWEN2),  # (Qwen2.5's own tokenizer.json, NFC included)
    *(_same(n, QWEN2, normalization=None) for n in ("kormo", "f2llmv2", "megrez", "stablelm2", "hunyuan", "solar-open", "grok-2")),
    *(PreTokenizer(n, GPT4O_PATTERN) for n in ("gpt-4o", "llama4", "kanana2", "talkie", "minimax-m2")),
    PreTokenizer("tekken", TEKKEN_PATTERN),
    PreTokenizer(  # llama.cpp's own rewrite (no original quoted): upper/lower runs by lookahead, marks join letters
        "granite-embed-multi-97m",
        r"""[^\r\n\p{L}\p{N}]?((?=[\p{L}\p{M}])([^a-z]))*((?=[\p{L}\p{M}])([^A-Z]))+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?"""
        r"""|[^\r\n\p{L}\p{N}]?((?=[\p{L}\p{M}])([^a-z]))+((?=[\p{L}\p{M}])([^A-Z]))*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?"""
        r"""|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+""",
    ),
    *(PreTokenizer(n, _DEEPSEEK3_MAIN, before=(Isolate(r"\p{N}{1,3}"), _DEEPSEEK3_CJK))
      for n in ("deepseek-v3", "hunyuan-dense", "joyai-llm", "hy_v4")),
    PreTokenizer(
        "spark2_5",
        r"""[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+|[\r\n]|\s+(?!\S)|\s+""",
        before=(Isolate(r"\p{N}{1,3}"), _DEEPSEEK3_CJK),
        after=(Isolate(r"\p{N}"),),
    ),
    PreTokenizer(
        "youtu",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"""
        r"""|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"""
        r"""|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+""",
        before=(Isolate(r"[가-힣ㄱ-ㆎ]+|[！…“”‘’—：；，、-〿︰-﹏]+|[ㄅ-ㄯ]+|[一-龥぀-ゟ゠-ヿ]+"),),
    ),
    *(PreTokenizer(n, _BLOOM_PATTERN) for n in ("poro-chat", "bloom", "gpt3-finnish")),
    PreTokenizer("viking", _BLOOM_PATTERN, after=(Isolate(r"\p{N}"),)),
    PreTokenizer(
        "chameleon",
        GPT2_PATTERN,
        before=(Isolate(r"<sentinel:[0-9]+>"), Isolate(r"(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z"), Isolate(r"([\t\n]|    |  )"),
                Isolate(r"\p{N}"), Isolate(r"[\p{P}!-/:-@\[-`{-~]")),
    ),  # fmt: skip
    PreTokenizer(
        "seed-coder",
        r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1}| ?[^\s\p{L}\p{N}\r\n]+|\s*[\r\n]+|\s+(?!\S)|\s+""",
    ),
    *(PreTokenizer(n, r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+""")
      for n in ("bailingmoe", "bailingmoe2", "llada-moe")),
    PreTokenizer("ufakzeka", _NO_CONTRACTIONS),  # Qwen2's split without the contractions
    PreTokenizer("laguna", QWEN2_PATTERN, before=(Isolate(r"[^\n]+|[\n]+"),)),
    PreTokenizer(
        "exaone-moe",
        r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?(?:\p{L}\p{M}*(?: \p{L}\p{M}*)*)+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]?"""
        r"""|\s*[\r\n]|\s+(?!\S)|\s+""",
    ),
    PreTokenizer(
        "minicpm5",
        r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}+| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+""",
        before=(Isolate(r"\p{N}{1,3}"),),
    ),
    PreTokenizer(
        "jais-2",
        r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+"""
        r"""|\s{512}(?!\S)|\s{256}(?!\S)|\s{128}(?!\S)|\s{64}(?!\S)|\s{32}(?!\S)|\s{16}(?!\S)|\s{8}(?!\S)|\s{4}(?!\S)|\s{1,2}(?!\S)|\s{1}""",
    ),
]

#: GGUF ``tokenizer.ggml.pre`` names (llama.cpp's ``convert_hf_to_gguf.py``) -> pre-tokenizer.
#: The names of :data:`GGUF_PRE_VERIFIED` are proven on llama.cpp's .inp/.out cases (the
#: original tokenizers' ids); the others follow llama.cpp's regex sets (see above).
GGUF_PRE_TOKENIZERS: dict[str, PreTokenizer] = {
    "gpt-2": GPT2,
    "llama-bpe": LLAMA3,
    "llama3": LLAMA3,
    "llama-v3": LLAMA3,
    "qwen2": QWEN2,
    "qwen35": QWEN35,
    "starcoder": STARCODER,
    "smollm": SMOLLM,
    "refact": REFACT,
    "command-r": COMMAND_R,
    "mpt": MPT,
    "falcon": FALCON,
    "deepseek-llm": DEEPSEEK_LLM,
    "deepseek-coder": DEEPSEEK_CODER,
    **{pre.name: pre for pre in _LLAMA_CPP_RULES},
}

#: Names whose split is proven against the original tokenizer (llama.cpp's .inp/.out cases).
GGUF_PRE_VERIFIED = frozenset({"gpt-2", "llama-bpe", "qwen2", "qwen35", "starcoder", "refact", "command-r", "mpt",
                               "falcon", "deepseek-llm", "deepseek-coder"})  # fmt: skip

#: What llama.cpp (``llama_vocab::impl::load``) switches on for a name besides the split:
#: ``ignore_merges`` (a chunk that is a token is taken whole) and ``add_bos`` (the default
#: when the file has no ``add_bos_token``).
GGUF_PRE_FLAGS: dict[str, dict[str, bool]] = {
    **{n: {"ignore_merges": True, "add_bos": True}
       for n in ("llama-bpe", "llama3", "llama-v3", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano", "tekken")},
    **{n: {"ignore_merges": True} for n in ("minicpm5", "youtu", "glm4", "glm5", "granite-embed-multi-97m")},
    "chameleon": {"add_bos": True},
}  # fmt: skip

#: llama.cpp names that are refused, and what building them would take.
GGUF_PRE_NOT_BUILT: dict[str, str] = {
    "kimi-k2": "llama.cpp splits it with a custom handler in unicode.cpp (tiktoken-style patterns that keep "
    "Han characters apart) and the file has no merges; neither is built",
    "afmoe": "its digit grouping (\\p{AFMoE_digits}: leading 1-2 digits by length modulo 3) is a custom "
    "handler in llama.cpp's unicode.cpp, not a regex; not built",
    "superbpe": "it splits at zero-width lookahead matches ((?=(\\d{3})+(?!\\d))) with \\d, whose Unicode "
    "reading in the original engine is not reproduced here",
    "tiny_aya": "its digit split \\d{1,3}(?=(?:\\d{3})*\\b) uses \\d and \\b, whose Unicode reading in the "
    "original engine is not reproduced here",
    "cohere2moe": "the same rules as 'tiny_aya': \\d{1,3}(?=(?:\\d{3})*\\b) uses \\d and \\b, whose Unicode reading "
    "in the original engine is not reproduced here",
    "gemma4": "SentencePiece-style BPE on raw UTF-8 (spaces as U+2581, no byte-level spelling); it is built for "
    "tokenizer.ggml.model 'gemma4' (char_bpe.py), not for a byte-level 'gpt2' model",
    "granite-embed-multi-311m": "SentencePiece-style BPE on raw UTF-8 (llama.cpp's GEMMA4 rules: spaces as U+2581, "
    "no byte-level spelling) under a 'gpt2' model; the byte-level loader would spell it wrong",
    "sarvam-moe": "SentencePiece-style BPE on raw UTF-8 (spaces as U+2581, no byte-level spelling) under a 'gpt2' "
    "model; the byte-level loader would spell it wrong",
    "whitespace": "the 'whitespace' tokenizer model (jina-embeddings-v2-base-zh: \\S+ chunks, raw UTF-8, "
    "no byte-level spelling) is not built",
}

#: llama.cpp's own split for ``"default"`` (``llm_tokenizer_bpe``'s ``default:`` case): a guess,
#: not any original's rules, kept here only to name it in the refusal.
LLAMA_CPP_DEFAULT_STEPS = (r"[\p{P}\$\+<=>\^~\|]+", r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)",
                           r"\p{N}+", r"[0-9][0-9][0-9]")  # fmt: skip


def for_gguf_pre(pre: str) -> PreTokenizer:
    """The pre-tokenizer a GGUF file's ``tokenizer.ggml.pre`` names.

    Every name of llama.cpp's table (``llama_vocab::impl::load``) is either here
    (:data:`GGUF_PRE_TOKENIZERS`) or refused saying what is missing
    (:data:`GGUF_PRE_NOT_BUILT`); any other name is refused with the list of known ones.

    ``"default"`` (also what a file without the key reads as) is refused too: llama.cpp's
    converter writes it when it did not recognise the model's pre-tokenizer (GPT-NeoX,
    Aquila), and llama.cpp then splits with a guess of its own (:data:`LLAMA_CPP_DEFAULT_STEPS`,
    Falcon's steps), which is not the original's; which rules the original tokenizer had is
    not in the file. (``from_gguf`` recognises GPT-NeoX's and Aquila's vocabularies, see
    :func:`.gguf_vocab.resolve_pre`, and takes the rules by name: ``from_gguf(path, pre=...)``.)"""
    try:
        return GGUF_PRE_TOKENIZERS[pre]
    except KeyError:
        known = ", ".join(GGUF_PRE_TOKENIZERS)
        if pre == "default":
            raise MalformedVocabError(
                "byte-level BPE without a pre-tokenizer name (tokenizer.ggml.pre is 'default' or missing: "
                "the converter did not recognise the split rules, so they are unknown; llama.cpp would guess "
                f"Falcon-like steps {' | '.join(LLAMA_CPP_DEFAULT_STEPS)}, which are not the original's; "
                f"name the rules with from_gguf(path, pre=...)); known names: {known}"
            ) from None
        if pre in GGUF_PRE_NOT_BUILT:
            raise MalformedVocabError(
                f"byte-level BPE pre-tokenizer {pre!r} is not supported: {GGUF_PRE_NOT_BUILT[pre]}"
            ) from None
        raise MalformedVocabError(
            f"byte-level BPE pre-tokenizer {pre!r} is not supported; known names: {known}; "
            f"refused: {', '.join(GGUF_PRE_NOT_BUILT)}"
        ) from None
