"""Pre-tokenizers: how byte-level BPE models cut text into chunks before merging.

BPE never merges across a chunk boundary, so the split decides which tokens can exist
at all: with GPT-2's regex a space sticks to the word after it (``" world"``), letters
never merge with digits, and punctuation runs stay together. Each model family chose
its own regex, and the vocabulary only works with the regex it was trained with.

Every pattern below covers every character (each ends with ``\\s+`` or ``\\s`` and the
other branches take letters, numbers and everything else), so ``findall`` returns a
partition of the text; Hugging Face's ``Split(..., behavior="isolated")`` and tiktoken's
``find_iter`` produce the same chunks.

=============  ===========================================================================
GGUF ``pre``   what the original ``tokenizer.json`` / tiktoken does
=============  ===========================================================================
``gpt-2``      ``ByteLevel(use_regex=True)``: :data:`GPT2_PATTERN`
(tiktoken)     cl100k_base: :data:`CL100K_PATTERN` (tiktoken's ``openai_public.py``)
``llama-bpe``  Llama-3: ``Split(LLAMA3_PATTERN, isolated)`` + ``ByteLevel(use_regex=False)``
``qwen2``      Qwen2: ``NFC`` normalizer, ``Split(QWEN2_PATTERN, isolated)`` + ``ByteLevel``
``starcoder``  StarCoder2: ``Digits(individual_digits=True)`` + ``ByteLevel(use_regex=True)``
``smollm``     SmolLM / SmolLM2: the same as StarCoder2
=============  ===========================================================================

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
                              r"\s": unicode_classes.WHITESPACE}  # fmt: skip
#: The same for the digit splitter: ``Digits(individual_digits=True)`` asks Rust's
#: ``char::is_numeric``, whose Unicode version is the Rust standard library's, not the
#: regex engines'.
DIGIT_CLASSES: dict[str, Ranges] = {**CLASSES, r"\p{N}": unicode_classes.NUMERIC}
#: Isolates one numeric character, captured so that ``split`` keeps it.
DIGIT_PATTERN = r"(\p{N})"


def _spell(ranges) -> str:
    """Code-point ranges as the inside of a character class: ``\\U00000041-\\U0000005a...``."""
    return "".join(f"\\U{first:08x}" if first == last else f"\\U{first:08x}-\\U{last:08x}" for first, last in ranges)


def _rewrite_classes(pattern: str, items) -> str:
    """``pattern`` with each ``\\p{L}``, ``\\p{N}``, ``\\s`` and ``\\S`` replaced: ``items(escape)``
    is what goes inside a character class for that escape (outside one it is wrapped in
    ``[...]``, unless it is the escape itself)."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            escape = pattern[i : i + 5] if pattern.startswith(("\\p{L}", "\\p{N}"), i) else pattern[i : i + 2]
            i += len(escape)
            if escape == "\\S":
                if in_class:
                    raise ValueError(f"\\S inside a character class is not supported: {pattern!r}")
                spelled = items("\\s")
                out.append(escape if spelled == "\\s" else "[^" + spelled + "]")
            elif escape in ("\\p{L}", "\\p{N}", "\\s"):
                spelled = items(escape)
                out.append(spelled if in_class or spelled == escape else "[" + spelled + "]")
            else:
                out.append(escape)
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class and pattern[i - 1] not in "[^":
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def _code_points(ranges) -> set[int]:
    return {c for first, last in ranges for c in range(first, last + 1)}


def _runs(code_points: set[int]) -> list[tuple[int, int]]:
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
    return f"[[\\U{min(code_points):08x}-\\U0010ffff]&&[{_spell(_runs(code_points))}]]"


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
    ``r"\\p{L}+"`` becomes ``r"[\\U00000041-\\U0000005a...]+"``."""

    def bmp_ranges(escape: str) -> str:
        return _spell((first, min(last, 0xFFFF)) for first, last in classes[escape] if first <= 0xFFFF)

    return _rewrite_classes(pattern, bmp_ranges)


@functools.cache
def compiled(pattern: str, fast: bool = False, digits: bool = False):
    """``pattern`` compiled with the references' classes: for ``re`` (:func:`fast_pattern`)
    or for ``regex`` (:func:`regex_pattern`); ``digits`` takes ``\\p{N}`` from
    ``char::is_numeric`` (:data:`DIGIT_CLASSES`)."""
    classes = DIGIT_CLASSES if digits else CLASSES
    return re.compile(fast_pattern(pattern, classes)) if fast else regex.compile(regex_pattern(pattern, classes))


@dataclass(frozen=True)
class PreTokenizer:
    """Cuts text into the chunks that BPE merges inside of.

    ``normalization`` (Qwen2's ``"NFC"``) is applied first; with ``isolate_digits`` every
    numeric character (what Rust's ``char::is_numeric`` and so ``tokenizers``'
    ``Digits(individual_digits=True)`` accept) becomes a chunk of its own and the regex
    then runs on each stretch between them separately, as the two steps of a
    ``pre_tokenizers.Sequence`` do. The patterns are compiled on first use.
    """

    name: str
    pattern: str
    isolate_digits: bool = False
    normalization: str | None = None

    def normalize(self, text: str) -> str:
        return unicodedata.normalize(self.normalization, text) if self.normalization else text

    def split(self, text: str) -> list[str]:
        """The chunks of ``text`` (after normalization), in order; they join to the text."""
        return self._cut(self.normalize(text), fast=False)

    def split_fast(self, text: str) -> list[str]:
        """:meth:`split` on the fast path: the pattern rewritten for ``re`` (:func:`fast_pattern`),
        for text without characters above U+FFFF (other text goes to the ``regex`` path)."""
        text = self.normalize(text)  # (NFC can turn a BMP character into one above U+FFFF)
        return self._cut(text, fast=not text or max(text) <= "\uffff")

    def _cut(self, text: str, fast: bool) -> list[str]:
        """The chunks of normalized ``text``: the pattern's matches, on each stretch between
        the digits when the model isolates them."""
        find_chunks = compiled(self.pattern, fast).findall
        if not self.isolate_digits:
            return find_chunks(text)
        chunks: list[str] = []
        # split() with a capturing group keeps the digits, at the odd positions:
        # "ab12" -> ["ab", "1", "", "2", ""]
        for i, piece in enumerate(compiled(DIGIT_PATTERN, fast, digits=True).split(text)):
            if i % 2:
                chunks.append(piece)
            elif piece:
                chunks.extend(find_chunks(piece))
        return chunks


GPT2 = PreTokenizer("gpt-2", GPT2_PATTERN)
CL100K = PreTokenizer("cl100k_base", CL100K_PATTERN)
LLAMA3 = PreTokenizer("llama-bpe", LLAMA3_PATTERN)
QWEN2 = PreTokenizer("qwen2", QWEN2_PATTERN, normalization="NFC")
STARCODER = PreTokenizer("starcoder", GPT2_PATTERN, isolate_digits=True)
SMOLLM = PreTokenizer("smollm", GPT2_PATTERN, isolate_digits=True)

#: GGUF ``tokenizer.ggml.pre`` names (llama.cpp's ``convert_hf_to_gguf.py``) -> pre-tokenizer.
GGUF_PRE_TOKENIZERS: dict[str, PreTokenizer] = {
    "gpt-2": GPT2,
    "llama-bpe": LLAMA3,
    "llama3": LLAMA3,
    "llama-v3": LLAMA3,
    "qwen2": QWEN2,
    "starcoder": STARCODER,
    "smollm": SMOLLM,
}


def for_gguf_pre(pre: str) -> PreTokenizer:
    """The pre-tokenizer a GGUF file's ``tokenizer.ggml.pre`` names."""
    try:
        return GGUF_PRE_TOKENIZERS[pre]
    except KeyError:
        raise MalformedVocabError(
            f"byte-level BPE pre-tokenizer {pre!r} is not supported; supported: {', '.join(GGUF_PRE_TOKENIZERS)}"
        ) from None
