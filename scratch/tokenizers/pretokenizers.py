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

#: The classes the patterns use -> their members, as the references see them.
CLASSES: dict[str, Ranges] = {r"\p{L}": unicode_classes.LETTERS, r"\p{N}": unicode_classes.NUMBERS,
                              r"\s": unicode_classes.WHITESPACE, r"\p{M}": unicode_classes.MARKS,
                              r"\p{P}": unicode_classes.PUNCTUATION}  # fmt: skip
#: The same for the digit splitter: ``Digits(individual_digits=True)`` asks Rust's
#: ``char::is_numeric``, whose Unicode version is the Rust standard library's, not the
#: regex engines'.
DIGIT_CLASSES: dict[str, Ranges] = {**CLASSES, r"\p{N}": unicode_classes.NUMERIC}
#: The same for ``Punctuation`` (Falcon): ASCII punctuation and Rust's ``unicode_categories``
#: punctuation, which is not Oniguruma's ``\p{P}`` (it lacks e.g. U+10F58, Sogdian punctuation).
PUNCTUATION_CLASSES: dict[str, Ranges] = {**CLASSES, r"\p{P}": unicode_classes.PUNCTUATION_SPLIT}
#: One numeric character (``Digits(individual_digits=True)``).
DIGIT_PATTERN = r"\p{N}"


def _spell(ranges) -> str:
    """Code-point ranges as the inside of a character class: ``\\U00000041-\\U0000005a...``."""
    return "".join(f"\\U{first:08x}" if first == last else f"\\U{first:08x}-\\U{last:08x}" for first, last in ranges)


class UntranslatablePattern(ValueError):
    """A pattern that Python's ``re`` would read otherwise than the references' engines."""


#: Escapes that mean the same character to ``re``, Rust's ``regex`` and Oniguruma.
_SAME_EVERYWHERE = frozenset("rntfv")


def _escape_at(pattern: str, i: int) -> str:
    """The escape that starts at ``pattern[i]`` (a backslash): ``\\p{..}``/``\\P{..}`` whole, else two characters."""
    if pattern.startswith(("\\p{", "\\P{"), i):
        close = pattern.find("}", i)
        if close != -1:
            return pattern[i : close + 1]
    return pattern[i : i + 2]


def _rewrite_classes(pattern: str, items, strict: bool = False) -> str:
    """``pattern`` with each class of :data:`CLASSES` (``\\p{L}``, ``\\p{N}``, ``\\s`` ...) and ``\\S``
    replaced: ``items(escape)`` is what goes inside a character class for that escape
    (outside one it is wrapped in ``[...]``, unless it is the escape itself).

    Any other escape is kept as it is; with ``strict`` (the fast path) only those that
    every engine reads alike are (``\\n``, ``\\t``, an escaped ``.`` ...), and anything else
    (``\\p{Lu}``, ``\\P{L}``, ``\\d``, ``\\w``, ``\\b``, ``\\x41``, ``\\S`` inside a class ...) raises
    :class:`UntranslatablePattern`: ``re`` has no ``\\p{..}`` and its ``\\d``/``\\w`` follow
    Python's Unicode version, so a translation would be wrong or fail at encode time."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            escape = _escape_at(pattern, i)
            i += len(escape)
            if escape == "\\S" and not in_class:
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
            in_class = True
        elif ch == "]" and in_class and pattern[i - 1] not in "[^":
            in_class = False
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
    return f"[[\\U{min(code_points):08x}-\\U0010ffff]&&[{_spell(code_point_runs(code_points))}]]"


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
    return _spell((first, min(last, 0xFFFF)) for first, last in ranges if first <= 0xFFFF)


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

#: GGUF ``tokenizer.ggml.pre`` names (llama.cpp's ``convert_hf_to_gguf.py``) -> pre-tokenizer.
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
}


def for_gguf_pre(pre: str) -> PreTokenizer:
    """The pre-tokenizer a GGUF file's ``tokenizer.ggml.pre`` names.

    ``"default"`` (also what a file without the key reads as) is refused: llama.cpp's
    converter writes it when it did not recognise the model's pre-tokenizer (GPT-NeoX,
    Aquila), and llama.cpp then splits with a guess of its own; which rules the original
    tokenizer had is not in the file."""
    try:
        return GGUF_PRE_TOKENIZERS[pre]
    except KeyError:
        known = ", ".join(GGUF_PRE_TOKENIZERS)
        if pre == "default":
            raise MalformedVocabError(
                "byte-level BPE without a pre-tokenizer name (tokenizer.ggml.pre is 'default' or missing: "
                f"the converter did not recognise the split rules, so they are unknown); known names: {known}"
            ) from None
        raise MalformedVocabError(
            f"byte-level BPE pre-tokenizer {pre!r} is not supported; known names: {known}"
        ) from None
