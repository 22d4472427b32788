"""How byte-level BPE vocabularies spell bytes as printable characters.

Byte-level BPE (GPT-2 and its descendants) works on the UTF-8 *bytes* of the text, so
every one of the 256 byte values is a token and no text is ever "unknown". Vocabulary
files (``vocab.json``, ``merges.txt``, a GGUF's ``tokenizer.ggml.tokens``, a
``tokenizer.json``) are text, though, and a raw byte such as ``0x20`` (space) or ``0x0a``
(newline) would make them unreadable or ambiguous (``merges.txt`` separates a pair with a
space). GPT-2's ``encoder.py`` therefore gives each byte a stand-in character:

* the 188 bytes that are already visible, non-space Latin-1 characters (``!`` .. ``~``,
  ``¡`` .. ``¬``, ``®`` .. ``ÿ``) stand for themselves;
* the other 68 (control characters, space, DEL, NBSP, soft hyphen ...) get the
  characters from U+0100 upward, in byte order: ``0x00`` -> ``Ā``, ..., ``0x20`` (space)
  -> ``Ġ``, ``0x0a`` (newline) -> ``Ċ``.

So the token for ``" world"`` is written ``"Ġworld"``, and the emoji 🎵 (bytes
``F0 9F 8E B5``) is spelled ``"ðŁİµ"``; GPT-2 cuts it into the tokens ``"ðŁ"``,
``"İ"`` and ``"µ"`` (ids 8582, 236, 113), none of which is a whole character.

The map is the same for every byte-level model in tokemb (GPT-2, StarCoder2, Qwen2,
Llama-3, SmolLM2; cl100k_base's ranks are raw bytes, spelled the same way here for
display).
"""

from __future__ import annotations

from itertools import accumulate
from typing import Sequence


def bytes_to_unicode() -> dict[int, str]:
    """The stand-in character of each byte value (GPT-2's ``bytes_to_unicode``)."""
    visible = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    mapping = {b: chr(b) for b in visible}
    next_free = 256
    for b in range(256):
        if b not in mapping:
            mapping[b] = chr(next_free)
            next_free += 1
    return mapping


BYTE_TO_CHAR: dict[int, str] = bytes_to_unicode()
CHAR_TO_BYTE: dict[str, int] = {c: b for b, c in BYTE_TO_CHAR.items()}

# str.translate tables for the two directions (the loaders spell hundreds of thousands of
# tokens). Read through Latin-1, byte b is the character chr(b).
_SPELL = {b: c for b, c in BYTE_TO_CHAR.items()}
# stand-in -> chr(byte); a Latin-1 character that is *not* a stand-in (a real space, a
# control character) -> U+FFFF, so that encoding to Latin-1 fails for it as for any
# character above U+00FF.
_UNSPELL = {**{b: "\uffff" for b in range(256)}, **{ord(c): chr(b) for b, c in BYTE_TO_CHAR.items()}}


def spell(data: bytes) -> str:
    """The vocabulary spelling of a byte string: ``b" world"`` -> ``"Ġworld"``."""
    return data.decode("latin-1").translate(_SPELL)


def unspell(token: str) -> bytes:
    """The bytes a vocabulary string stands for: ``"Ġworld"`` -> ``b" world"``.

    A string with a character outside the 256 stand-ins (an added token such as
    ``"<think> "`` with a real space, or a GGUF token written in plain UTF-8) stands for
    its own UTF-8 bytes. This is the rule of Hugging Face ``tokenizers``' ``ByteLevel``
    decoder (each token is mapped character by character, falling back to the token's
    UTF-8 bytes when any character has no byte) and of transformers' GGUF loader.
    """
    try:
        return token.translate(_UNSPELL).encode("latin-1")
    except UnicodeEncodeError:
        return token.encode("utf-8")


def is_spelled(token: str) -> bool:
    """Whether every character of ``token`` is one of the 256 byte stand-ins."""
    return all(c in CHAR_TO_BYTE for c in token)


def unspell_all(tokens: Sequence[str | None]) -> list[bytes | None]:
    """``[unspell(t) for t in tokens]`` (``None`` kept), in one ``translate`` when every token
    is spelled in the byte alphabet, as a byte-level vocabulary's are (loading one
    unspells 100,000 tokens or more): a stand-in is one byte, so the joined bytes cut at
    the tokens' lengths are the tokens' bytes. When some token is not spelled so (the
    joined text does not encode as Latin-1), every token goes through :func:`unspell`."""
    present = [t for t in tokens if t is not None]
    try:
        joined = "".join(present).translate(_UNSPELL).encode("latin-1")
    except UnicodeEncodeError:
        return [None if t is None else unspell(t) for t in tokens]
    ends = list(accumulate(map(len, present)))
    parts = iter([joined[a:b] for a, b in zip([0, *ends], ends)])
    return [None if t is None else next(parts) for t in tokens]
