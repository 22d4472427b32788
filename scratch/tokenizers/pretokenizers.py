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
final ``|\\s+`` dropped); the ones here are the originals, which the ``regex`` module
runs as they are.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import regex

from .gguf_vocab import MalformedVocabError

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


#: Letters and numbers new in Unicode 17.0 (2025): the ``regex`` module knows them, the
#: regex engines of the references (Oniguruma in Hugging Face ``tokenizers``, Rust's
#: ``regex`` in tiktoken) are at Unicode 16 and see unassigned code points. The CJK
#: Extension J block (U+323B0..U+3347F) is most of them. A test checks this list
#: against both engines.
UNICODE_17_LETTERS_AND_NUMBERS = [
    (0x088F, 0x088F), (0x0C5C, 0x0C5C), (0x0CDC, 0x0CDC), (0xA7CE, 0xA7CF), (0xA7D2, 0xA7D2),
    (0xA7D4, 0xA7D4), (0xA7F1, 0xA7F1), (0x10940, 0x10959), (0x10EC5, 0x10EC7), (0x11DB0, 0x11DDB),
    (0x11DE0, 0x11DE9), (0x16EA0, 0x16EB8), (0x16EBB, 0x16ED3), (0x16FF2, 0x16FF6), (0x187F8, 0x187FF),
    (0x18D09, 0x18D1E), (0x18D80, 0x18DF2), (0x1E6C0, 0x1E6DE), (0x1E6E0, 0x1E6E2), (0x1E6E4, 0x1E6E5),
    (0x1E6E7, 0x1E6ED), (0x1E6F0, 0x1E6F4), (0x1E6FE, 0x1E6FF), (0x2B73A, 0x2B73F), (0x2CEA2, 0x2CEAD),
    (0x323B0, 0x33479),
]  # fmt: skip
_UNICODE_17_CLASS = "".join(f"{chr(a)}-{chr(b)}" for a, b in UNICODE_17_LETTERS_AND_NUMBERS)
_UNICODE_17 = regex.compile("[" + _UNICODE_17_CLASS + "]")
_UNASSIGNED = "\u0378"  # a code point unassigned in every Unicode version so far
#: A numeric character as the references see it (``\p{N}`` without Unicode 17's), captured
#: so that ``split`` keeps it. ``--`` is set difference in the regex module's VERSION1 syntax.
_DIGIT = regex.compile(r"(?V1)([\p{N}--[" + _UNICODE_17_CLASS + "]])")


# ---- the fast path: the same patterns for Python's own ``re`` ----------------------------
# The ``regex`` module is needed for ``\p{L}`` and ``\p{N}``, but the standard library's
# ``re`` (possessive quantifiers since Python 3.11) runs these patterns faster.
# ``fast_pattern`` rewrites a pattern for ``re``: each ``\p{L}``, ``\p{N}``, ``\s`` and ``\S``
# becomes an explicit class of code-point ranges, listing exactly what the ``regex`` module
# matches for it (minus the Unicode 17 letters and numbers, which the references do not
# know). Python's own ``\s`` would differ: it also holds U+001C..U+001F. Only the Basic
# Multilingual Plane (U+0000..U+FFFF) is listed: ``re`` turns such a class into a bitmap
# looked up in one step, but tries the ranges above U+FFFF one by one, which would make
# it slower than ``regex``. So the fast path is for text without such characters (emoji
# are above U+FFFF); other text goes to the ``regex`` path.
_CLASS_BODIES: dict[str, str] = {}


def _every_code_point() -> str:
    from array import array

    code_points = array("I", range(0xD800))
    code_points.extend(range(0xE000, 0x110000))
    return code_points.tobytes().decode("utf-32-le" if array("I", [1]).tobytes()[0] else "utf-32-be")


def _class_body(escape: str) -> str:
    """The ranges (``\\U0000000a-\\U0000000d...``) of the BMP code points ``regex`` matches with ``escape``."""
    if escape not in _CLASS_BODIES:
        text = _every_code_point()
        view = _UNICODE_17.sub(_UNASSIGNED, text) if escape in (r"\p{L}", r"\p{N}") else text
        ranges = [(ord(text[m.start()]), ord(text[m.end() - 1])) for m in regex.finditer(escape + "+", view)]
        ranges = [(first, min(last, 0xFFFF)) for first, last in ranges if first <= 0xFFFF]
        _CLASS_BODIES[escape] = "".join(
            f"\\U{first:08x}" if first == last else f"\\U{first:08x}-\\U{last:08x}" for first, last in ranges
        )
    return _CLASS_BODIES[escape]


def fast_pattern(pattern: str) -> str:
    """``pattern`` with its Unicode classes spelled out for ``re`` (see above): ``r"[^\\s]"``
    becomes ``r"[^\\U00000009-\\U0000000d\\U00000020..."``, ``r"\\p{L}+"`` becomes
    ``r"[\\U00000041-\\U0000005a...]+"``."""
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
                    raise ValueError(f"fast_pattern: \\S inside a character class is not supported: {pattern!r}")
                out.append("[^" + _class_body("\\s") + "]")
            elif escape in ("\\p{L}", "\\p{N}", "\\s"):
                out.append(_class_body(escape) if in_class else "[" + _class_body(escape) + "]")
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


@dataclass(frozen=True)
class PreTokenizer:
    """Cuts text into the chunks that BPE merges inside of.

    ``normalization`` (Qwen2's ``"NFC"``) is applied first; with ``isolate_digits`` every
    numeric character (``\\p{N}``, what Rust's ``char::is_numeric`` and so
    ``tokenizers``' ``Digits(individual_digits=True)`` accept) becomes a chunk of its
    own and the regex then runs on each stretch between them separately, as the two
    steps of a ``pre_tokenizers.Sequence`` do.
    """

    name: str
    pattern: str
    isolate_digits: bool = False
    normalization: str | None = None
    _compiled: regex.Pattern = field(init=False, repr=False, compare=False)
    _fast: dict = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", regex.compile(self.pattern))

    def _fast_compiled(self, what: str):
        """The ``re`` versions of the pattern and of the digit splitter, compiled on first use."""
        if not self._fast:
            import re

            self._fast["pattern"] = re.compile(fast_pattern(self.pattern))
            self._fast["digit"] = re.compile(fast_pattern(r"(\p{N})"))
        return self._fast[what]

    def normalize(self, text: str) -> str:
        return unicodedata.normalize(self.normalization, text) if self.normalization else text

    def split(self, text: str) -> list[str]:
        """The chunks of ``text`` (after normalization), in order; they join to the text."""
        return self._cut(self.normalize(text), self._find_chunks, _DIGIT.split)

    def split_fast(self, text: str) -> list[str]:
        """:meth:`split` on the fast path: the pattern rewritten for ``re`` (:func:`fast_pattern`),
        for text without characters above U+FFFF (other text goes to :meth:`split`)."""
        text = self.normalize(text)  # (NFC can turn a BMP character into one above U+FFFF)
        if text and max(text) > "\uffff":
            return self._cut(text, self._find_chunks, _DIGIT.split)
        return self._cut(text, self._fast_compiled("pattern").findall, self._fast_compiled("digit").split)

    def _cut(self, text: str, find_chunks, split_digits) -> list[str]:
        """The chunks of normalized ``text``: ``find_chunks``, on each stretch between the
        digits that ``split_digits`` isolates when the model wants that."""
        if not self.isolate_digits:
            return find_chunks(text)
        chunks: list[str] = []
        # split() with a capturing group keeps the digits, at the odd positions:
        # "ab12" -> ["ab", "1", "", "2", ""]
        for i, piece in enumerate(split_digits(text)):
            if i % 2:
                chunks.append(piece)
            elif piece:
                chunks.extend(find_chunks(piece))
        return chunks

    def _find_chunks(self, text: str) -> list[str]:
        """Every match of the pattern; letters and numbers new in Unicode 17 count as
        unassigned code points, as in the references' Unicode 16 regex engines."""
        if not _UNICODE_17.search(text):
            return self._compiled.findall(text)
        view = _UNICODE_17.sub(_UNASSIGNED, text)  # one character for one: same positions
        return [text[m.start() : m.end()] for m in self._compiled.finditer(view)]


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
