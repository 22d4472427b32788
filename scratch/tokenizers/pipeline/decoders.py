"""Decoders: the last stage, from tokens back to text.

The model's tokens are not text yet: byte-level BPE spells bytes as stand-in characters
(``"Ġworld"``), SentencePiece marks word starts with ``▁`` and spells rare characters as
byte tokens (``<0xE2>``), WordPiece marks the inside of a word with ``##``. A decoder
undoes that spelling. Like ``tokenizers``' ``Decoder`` trait (``tokenizers/src/tokenizer/
mod.rs``), every decoder is a **chain step**: ``decode_chain`` takes a list of token
strings and returns a new list of strings (some decoders keep one string per token,
others fuse them), so that a :class:`Sequence` can feed one decoder's output to the next;
``decode`` joins the final list.

Llama-2's tokenizer.json, for example, decodes with
``Sequence([Replace("▁", " "), ByteFallback(), Fuse(), Strip(" ", 1, 0)])``: spaces back,
byte tokens to characters, everything in one string, the leading space added by the
encoder removed.

Each class takes the options of ``tokenizers.decoders.X`` (same names), writes with
``to_json`` exactly the object ``tokenizers`` 0.23.3 writes in ``tokenizer.json``, and is
read back by :func:`decoder_from_json`, which refuses unknown types and options.
Where the reference panics on an input (``Strip`` asked to strip more characters than a
token has), ``decode_chain`` raises :class:`DecodingError` instead.
"""

from __future__ import annotations

import itertools
import re
from typing import Any, ClassVar

from ..base import MalformedVocabError
from ..bytes_to_unicode import unspell
from .oniguruma import OnigPattern, Regex, pattern_from_json, pattern_to_json
from .spec import Component, Reader, field, read_component


class DecodingError(ValueError):
    """Tokens that a decoder cannot decode (where ``tokenizers`` itself panics)."""


class Decoder(Component):
    """One decoding step (``tokenizers``' ``Decoder`` trait)."""

    type_name: ClassVar[str]

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """The tokens after this step (one string per token, or fewer when fused)."""
        raise NotImplementedError

    def decode(self, tokens: list[str]) -> str:
        """The text: the strings of :meth:`decode_chain` joined (``Decoder::decode``)."""
        return "".join(self.decode_chain(list(tokens)))


# ---- WordPiece's cleanup, shared with CTC --------------------------------------------------

#: ``decoders::wordpiece::cleanup``: spaces that a word-level join puts before punctuation
#: and English contractions, removed (in this order, each ``str.replace`` over the whole text).
CLEANUP_RULES = (
    (" .", "."),
    (" ?", "?"),
    (" !", "!"),
    (" ,", ","),
    (" ' ", "'"),
    (" n't", "n't"),
    (" 'm", "'m"),
    (" do not", " don't"),
    (" 's", "'s"),
    (" 've", "'ve"),
    (" 're", "'re"),
)


def cleanup(text: str) -> str:
    """``tokenizers``' ``decoders::wordpiece::cleanup``: ``"hello , world ."`` -> ``"hello, world."``."""
    for dirty, clean in CLEANUP_RULES:
        text = text.replace(dirty, clean)
    return text


# ---- the decoders ---------------------------------------------------------------------------


class ByteLevel(Decoder):
    """Byte-level BPE (GPT-2): each token's stand-in characters back to bytes, then all the
    bytes of all the tokens decoded as UTF-8 at once, into a single string.

    A token with a character that is not one of the 256 stand-ins (an added token such as
    ``"<|endoftext|>"`` is fine, ``"héllo "`` with a real space is not) stands for its own
    UTF-8 bytes; bytes that are not valid UTF-8 become U+FFFD, per maximal invalid
    subsequence (Rust's ``String::from_utf8_lossy``, which Python's ``"replace"`` matches).
    Decoding everything at once lets a character cut across tokens (GPT-2 spells 🎵 in
    three tokens) come back whole. ``tokenizers``: ``pre_tokenizers/byte_level.rs``,
    ``impl Decoder for ByteLevel``.

    The options are the pre-tokenizer's (the same struct in ``tokenizers``); the decoder
    ignores them but keeps them for ``to_json``."""

    type_name = "ByteLevel"

    def __init__(self, add_prefix_space: bool = True, trim_offsets: bool = True, use_regex: bool = True):
        self.add_prefix_space = add_prefix_space
        self.trim_offsets = trim_offsets
        self.use_regex = use_regex

    def decode_chain(self, tokens: list[str]) -> list[str]:
        data = b"".join(unspell(token) for token in tokens)
        return [data.decode("utf-8", errors="replace")]

    def to_json(self) -> dict[str, Any]:
        return {"type": "ByteLevel", "add_prefix_space": self.add_prefix_space,
                "trim_offsets": self.trim_offsets, "use_regex": self.use_regex}  # fmt: skip


PREPEND_SCHEMES = ("always", "first", "never")


class Metaspace(Decoder):
    """SentencePiece's word-start marker: every ``replacement`` (``▁``) becomes a space,
    except in the first token, where the encoder added it (unless ``prepend_scheme`` is
    ``"never"``) and where every ``▁`` is dropped, not only a leading one.
    ``tokenizers``: ``pre_tokenizers/metaspace.rs``, ``impl Decoder for Metaspace``."""

    type_name = "Metaspace"

    def __init__(self, replacement: str = "▁", prepend_scheme: str = "always", split: bool = True):
        if not isinstance(replacement, str) or len(replacement) != 1:
            raise MalformedVocabError(f"decoder Metaspace: replacement must be one character, got {replacement!r}")
        if prepend_scheme not in PREPEND_SCHEMES:
            raise MalformedVocabError(f"decoder Metaspace: prepend_scheme must be one of {PREPEND_SCHEMES}, got {prepend_scheme!r}")
        self.replacement = replacement
        self.prepend_scheme = prepend_scheme
        self.split = split

    def decode_chain(self, tokens: list[str]) -> list[str]:
        out = []
        for i, token in enumerate(tokens):
            added_by_encoder = i == 0 and self.prepend_scheme != "never"
            out.append(token.replace(self.replacement, "" if added_by_encoder else " "))
        return out

    def to_json(self) -> dict[str, Any]:
        return {"type": "Metaspace", "replacement": self.replacement,
                "prepend_scheme": self.prepend_scheme, "split": self.split}  # fmt: skip


class WordPiece(Decoder):
    """WordPiece (BERT): a token starting with ``prefix`` (``##``) continues the word
    before it and loses the prefix; any other token but the first starts a new word, after
    a space. With ``cleanup``, :func:`cleanup` then runs on each token (with its space).
    ``tokenizers``: ``decoders/wordpiece.rs``."""

    type_name = "WordPiece"

    def __init__(self, prefix: str = "##", cleanup: bool = True):
        self.prefix = prefix
        self.cleanup = cleanup

    def decode_chain(self, tokens: list[str]) -> list[str]:
        out = []
        for i, token in enumerate(tokens):
            if i > 0:
                token = token[len(self.prefix) :] if token.startswith(self.prefix) else " " + token
            out.append(cleanup(token) if self.cleanup else token)
        return out

    def to_json(self) -> dict[str, Any]:
        return {"type": "WordPiece", "prefix": self.prefix, "cleanup": self.cleanup}


class BPEDecoder(Decoder):
    """Original (character) BPE: ``suffix`` (``</w>``) marks a word's end; each occurrence
    becomes a space, or nothing in the last token. ``tokenizers``: ``decoders/bpe.rs``."""

    type_name = "BPEDecoder"

    def __init__(self, suffix: str = "</w>"):
        self.suffix = suffix

    def decode_chain(self, tokens: list[str]) -> list[str]:
        last = len(tokens) - 1
        return [token.replace(self.suffix, "" if i == last else " ") for i, token in enumerate(tokens)]

    def to_json(self) -> dict[str, Any]:
        return {"type": "BPEDecoder", "suffix": self.suffix}


#: A byte token as ``ByteFallback`` reads it (6 bytes, ``<0x`` + what Rust's
#: ``u8::from_str_radix(_, 16)`` accepts in two bytes: two hex digits, or ``+`` and one).
BYTE_TOKEN = re.compile(rb"<0x(\+?[0-9A-Fa-f]{1,2})>")


class ByteFallback(Decoder):
    """SentencePiece's byte fallback: a run of byte tokens (``<0xE2><0x82><0xAC>``) becomes
    the text those bytes spell (``€``); a run that is not valid UTF-8 becomes one U+FFFD per
    byte token. Other tokens pass unchanged. ``tokenizers``: ``decoders/byte_fallback.rs``."""

    type_name = "ByteFallback"

    def decode_chain(self, tokens: list[str]) -> list[str]:
        out: list[str] = []
        run = bytearray()

        def flush() -> None:
            if run:
                try:
                    out.append(run.decode("utf-8"))
                except UnicodeDecodeError:
                    out.extend("\ufffd" * len(run))
                run.clear()

        for token in tokens:
            match = BYTE_TOKEN.fullmatch(token.encode("utf-8"))
            if match and len(match[0]) == 6:
                run.append(int(match[1], 16))
            else:
                flush()
                out.append(token)
        flush()
        return out

    def to_json(self) -> dict[str, Any]:
        return {"type": "ByteFallback"}


class Fuse(Decoder):
    """All the tokens joined into one string (for steps that need the whole text).
    ``tokenizers``: ``decoders/fuse.rs``."""

    type_name = "Fuse"

    def decode_chain(self, tokens: list[str]) -> list[str]:
        return ["".join(tokens)]

    def to_json(self) -> dict[str, Any]:
        return {"type": "Fuse"}


class Strip(Decoder):
    """Each token loses up to ``left`` leading and ``right`` trailing ``content`` characters
    (``tokenizers``' JSON calls them ``start`` and ``stop``): Llama-2's ``Strip(" ", 1, 0)``
    removes the space that ``Metaspace``'s ``▁`` left at the start. ``tokenizers``:
    ``decoders/strip.rs``; where it panics (``right`` reaching past the start of a token made
    of ``content`` only, or the two cuts crossing) this raises :class:`DecodingError`."""

    type_name = "Strip"

    def __init__(self, content: str = " ", left: int = 0, right: int = 0):
        if not isinstance(content, str) or len(content) != 1:
            raise MalformedVocabError(f"decoder Strip: content must be one character, got {content!r}")
        self.content = content
        self.left = left
        self.right = right

    def strip(self, token: str) -> str:
        start = 0
        while start < min(self.left, len(token)) and token[start] == self.content:
            start += 1
        stop = len(token)
        for i in range(self.right):
            if i == len(token):
                raise DecodingError(f"Strip(right={self.right}) reaches past the start of {token!r} (tokenizers panics)")
            if token[len(token) - 1 - i] != self.content:
                break
            stop = len(token) - 1 - i
        if start > stop:
            raise DecodingError(f"Strip(left={self.left}, right={self.right}) cuts {token!r} past itself (tokenizers panics)")
        return token[start:stop]

    def decode_chain(self, tokens: list[str]) -> list[str]:
        return [self.strip(token) for token in tokens]

    def to_json(self) -> dict[str, Any]:
        return {"type": "Strip", "content": self.content, "start": self.left, "stop": self.right}


class Replace(Decoder):
    """Each token with every match of ``pattern`` replaced by ``content`` (taken literally).
    ``pattern`` is a literal string or a :class:`.Regex` (``tokenizers``:
    ``Replace(Regex(...), content)``). Matches follow Oniguruma's ``find_iter``
    (:class:`.OnigPattern`, which translates the regex exactly or refuses it at load); an
    empty token stays empty. ``tokenizers``: ``normalizers/replace.rs``, ``impl Decoder for Replace``."""

    type_name = "Replace"

    def __init__(self, pattern: str | Regex, content: str):
        self.pattern = pattern
        self.content = content
        self.matcher = OnigPattern(pattern, "decoder Replace")

    def replace(self, token: str) -> str:
        if not token:  # the reference finds no match in an empty string
            return ""
        pieces, done = [], 0
        for start, end in self.matcher.find_iter(token):
            pieces += [token[done:start], self.content]
            done = end
        return "".join(pieces) + token[done:]

    def decode_chain(self, tokens: list[str]) -> list[str]:
        return [self.replace(token) for token in tokens]

    def to_json(self) -> dict[str, Any]:
        return {"type": "Replace", "pattern": pattern_to_json(self.pattern), "content": self.content}


class CTC(Decoder):
    """Connectionist Temporal Classification (speech models): repeats of a token collapse
    into one, ``pad_token`` vanishes, and with ``cleanup`` the text is cleaned
    (:func:`cleanup`) and ``word_delimiter_token`` becomes a space (only with ``cleanup``);
    tokens left empty are dropped. ``tokenizers``: ``decoders/ctc.rs``."""

    type_name = "CTC"

    def __init__(self, pad_token: str = "<pad>", word_delimiter_token: str = "|", cleanup: bool = True):
        self.pad_token = pad_token
        self.word_delimiter_token = word_delimiter_token
        self.cleanup = cleanup

    def decode_chain(self, tokens: list[str]) -> list[str]:
        out = []
        for token, _repeats in itertools.groupby(tokens):
            token = token.replace(self.pad_token, "")
            if self.cleanup:
                token = cleanup(token).replace(self.word_delimiter_token, " ")
            if token:
                out.append(token)
        return out

    def to_json(self) -> dict[str, Any]:
        return {"type": "CTC", "pad_token": self.pad_token,
                "word_delimiter_token": self.word_delimiter_token, "cleanup": self.cleanup}  # fmt: skip


class Sequence(Decoder):
    """Decoders applied one after the other, each to the list the one before returned.
    ``tokenizers``: ``decoders/sequence.rs``."""

    type_name = "Sequence"

    def __init__(self, decoders: list[Decoder]):
        self.decoders = list(decoders)

    def decode_chain(self, tokens: list[str]) -> list[str]:
        for decoder in self.decoders:
            tokens = decoder.decode_chain(tokens)
        return tokens

    def to_json(self) -> dict[str, Any]:
        return {"type": "Sequence", "decoders": [decoder.to_json() for decoder in self.decoders]}


# ---- reading tokenizer.json ---------------------------------------------------------------


def _one_char(spec: dict, name: str, where: str) -> str:
    value = field(spec, name, str, where)
    if len(value) != 1:
        raise MalformedVocabError(f"{where}: the field {name!r} should be one character, got {value!r}")
    return value


def _count(spec: dict, name: str, where: str) -> int:
    value = field(spec, name, int, where)
    if value < 0:
        raise MalformedVocabError(f"{where}: the field {name!r} should not be negative, got {value}")
    return value


def _metaspace(spec: dict, where: str) -> Metaspace:
    """Metaspace, with the legacy ``add_prefix_space`` (``false`` means ``prepend_scheme``
    ``"never"``, and must say so when there is a scheme: the reference refuses
    ``add_prefix_space: false`` beside any other scheme, the default ``"always"`` included)
    and ``str_rep`` (ignored) of older files."""
    scheme = field(spec, "prepend_scheme", str, where, "always")
    if field(spec, "add_prefix_space", bool, where, None) is False and scheme != "never":
        raise MalformedVocabError(f"{where}: add_prefix_space false does not match prepend_scheme {scheme!r}")
    field(spec, "str_rep", str, where, None)
    return Metaspace(_one_char(spec, "replacement", where), scheme, field(spec, "split", bool, where, True))


def _replace(spec: dict, where: str) -> Replace:
    return Replace(pattern_from_json(field(spec, "pattern", dict, where), where), field(spec, "content", str, where))


#: type -> (its options, how to build it from its JSON object).
_READERS: dict[str, Reader] = {
    "ByteLevel": (("add_prefix_space", "trim_offsets", "use_regex"), lambda s, w: ByteLevel(
        field(s, "add_prefix_space", bool, w), field(s, "trim_offsets", bool, w), field(s, "use_regex", bool, w, True))),
    "Metaspace": (("replacement", "prepend_scheme", "split", "add_prefix_space", "str_rep"), _metaspace),
    "WordPiece": (("prefix", "cleanup"), lambda s, w: WordPiece(field(s, "prefix", str, w), field(s, "cleanup", bool, w))),
    "BPEDecoder": (("suffix",), lambda s, w: BPEDecoder(field(s, "suffix", str, w))),
    "ByteFallback": ((), lambda s, w: ByteFallback()),
    "Fuse": ((), lambda s, w: Fuse()),
    "Strip": (("content", "start", "stop"), lambda s, w: Strip(
        _one_char(s, "content", w), _count(s, "start", w), _count(s, "stop", w))),
    "Replace": (("pattern", "content"), _replace),
    "CTC": (("pad_token", "word_delimiter_token", "cleanup"), lambda s, w: CTC(
        field(s, "pad_token", str, w), field(s, "word_delimiter_token", str, w), field(s, "cleanup", bool, w))),
    "Sequence": (("decoders",), lambda s, w: Sequence([decoder_from_json(d) for d in field(s, "decoders", list, w)])),
}  # fmt: skip


def decoder_from_json(spec: dict | None) -> Decoder | None:
    """The decoder of a ``tokenizer.json``'s ``"decoder"`` object (``None`` for none).

    Fields are read as ``tokenizers`` 0.23.3 reads them (which are required, the defaults
    of the others); an unknown ``type`` or option is refused with
    :class:`.UnsupportedComponentError`, a field of the wrong kind with
    :class:`MalformedVocabError`."""
    return read_component(spec, "decoder", _READERS)
