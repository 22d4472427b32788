"""SentencePiece ``.model`` files, read without sentencepiece or protobuf, and their normaliser.

A ``.model`` file is one serialised protobuf message, ``ModelProto`` of sentencepiece's
``sentencepiece_model.proto`` (Kudo & Richardson 2018, *SentencePiece: A simple and
language independent subword tokenizer and detokenizer for Neural Text Processing*).
The protobuf **wire format** is short to read: a message is a sequence of fields, each
a *key* varint ``field_number << 3 | wire_type`` followed by its value:

* wire type 0, a **varint**: 7 bits per byte, little end first, high bit = "more";
  negative ``int32`` values are sign-extended to 64 bits (ten bytes);
* wire type 1 / 5, fixed 8 / 4 bytes (``float`` is type 5, little-endian IEEE single);
* wire type 2, **length-delimited**: a varint length, then that many bytes (strings,
  bytes, and nested messages, which are parsed the same way).

The fields used (numbers from ``sentencepiece_model.proto``)::

    ModelProto      1 pieces (repeated SentencePiece)  2 trainer_spec  3 normalizer_spec
                    5 denormalizer_spec
    SentencePiece   1 piece  2 score (float)  3 type (1 normal, 2 unknown, 3 control,
                    4 user-defined, 5 unused, 6 byte)
    NormalizerSpec  1 name  2 precompiled_charsmap  3 add_dummy_prefix  4
                    remove_extra_whitespaces  5 escape_whitespaces
    TrainerSpec     3 model_type (1 unigram, 2 bpe, 3 word, 4 char)  4 vocab_size
                    35 byte_fallback  40-43 unk/bos/eos/pad ids  44 unk_surface ...

:func:`write_model` writes the same fields back (for models trained by
``train_unigram``), so that sentencepiece can load them.

**Normalisation** (sentencepiece's ``normalizer.cc``): the rules (``nmt_nfkc``, ``nfkc``
...) are compiled into ``precompiled_charsmap``: a little-endian ``uint32`` size, a
**Darts double-array trie** of that many bytes keyed by UTF-8 byte strings, then a
blob of NUL-terminated replacement strings; a key's trie value is the offset of its
replacement. Normalising walks the text: at each position the *longest* key of the
trie that is a prefix of the rest is replaced; with no key, one character is copied.
Around that: leading, trailing and repeated spaces are dropped
(``remove_extra_whitespaces``), a ``▁`` is put in front (``add_dummy_prefix``) and
spaces become ``▁`` (``escape_whitespaces``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from ..files import write_bytes_atomic
from .base import MalformedVocabError
from .sentencepiece_rules import SPACE

# SentencePiece.Type
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6
MODEL_TYPES = {1: "unigram", 2: "bpe", 3: "word", 4: "char"}


# ---- the protobuf wire format --------------------------------------------------------
def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """The varint at ``data[pos:]`` and the position after it."""
    value = shift = 0
    while True:
        if pos >= len(data):
            raise MalformedVocabError("truncated varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
        if shift >= 70:
            raise MalformedVocabError("varint longer than 10 bytes")


def parse_message(data: bytes) -> list[tuple[int, int, int | bytes]]:
    """The fields of one protobuf message: ``(field_number, wire_type, value)``.

    Varints come back as ints, fixed32/fixed64 and length-delimited fields as bytes.
    """
    fields: list[tuple[int, int, int | bytes]] = []
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise MalformedVocabError("field number 0")
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            if pos + size > len(data):
                raise MalformedVocabError(f"truncated fixed{size * 8} field {number}")
            value, pos = data[pos : pos + size], pos + size
        elif wire == 2:
            size, pos = _varint(data, pos)
            if pos + size > len(data):
                raise MalformedVocabError(f"length-delimited field {number} runs past the end ({size} bytes)")
            value, pos = data[pos : pos + size], pos + size
        else:
            raise MalformedVocabError(f"unsupported wire type {wire} (field {number})")
        fields.append((number, wire, value))
    return fields


def _int(value: int | bytes) -> int:
    """A varint as a signed 64-bit integer (protobuf's ``int32``/``int64``)."""
    if not isinstance(value, int):
        raise MalformedVocabError("expected a varint")
    return value - (1 << 64) if value >= 1 << 63 else value


def _float(value: int | bytes) -> float:
    if not isinstance(value, bytes) or len(value) != 4:
        raise MalformedVocabError("expected a 32-bit float")
    return struct.unpack("<f", value)[0]


def _str(value: int | bytes) -> str:
    if not isinstance(value, bytes):
        raise MalformedVocabError("expected a string")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedVocabError(f"string field is not UTF-8: {error}") from None


# ---- the model -------------------------------------------------------------------------
@dataclass
class NormalizerSpec:
    name: str = ""
    precompiled_charsmap: bytes = b""
    add_dummy_prefix: bool = True
    remove_extra_whitespaces: bool = True
    escape_whitespaces: bool = True


@dataclass
class TrainerSpec:
    """The trainer flags a ``.model`` records (the ones tokemb uses; defaults as the proto's)."""

    model_type: str = "unigram"
    vocab_size: int = 8000
    byte_fallback: bool = False
    unk_id: int = 0
    bos_id: int = 1
    eos_id: int = 2
    pad_id: int = -1
    unk_surface: str = " \u2047 "
    treat_whitespace_as_suffix: bool = False
    character_coverage: float = 0.9995
    max_sentencepiece_length: int = 16
    shrinking_factor: float = 0.75
    num_sub_iterations: int = 2
    split_by_whitespace: bool = True
    split_by_unicode_script: bool = True
    split_by_number: bool = True
    split_digits: bool = False
    other: dict[int, list] = field(default_factory=dict)  # field number -> raw values


@dataclass
class SentencePieceModel:
    pieces: list[str]
    scores: list[float]
    types: list[int]
    trainer: TrainerSpec
    normalizer: NormalizerSpec
    denormalizer: NormalizerSpec | None
    path: Path | None = None


_TRAINER_FIELDS = {
    3: ("model_type", "enum"), 4: ("vocab_size", "int"), 35: ("byte_fallback", "bool"),
    40: ("unk_id", "int"), 41: ("bos_id", "int"), 42: ("eos_id", "int"), 43: ("pad_id", "int"),
    44: ("unk_surface", "str"), 24: ("treat_whitespace_as_suffix", "bool"),
    10: ("character_coverage", "float"), 20: ("max_sentencepiece_length", "int"),
    15: ("shrinking_factor", "float"), 17: ("num_sub_iterations", "int"),
    22: ("split_by_whitespace", "bool"), 21: ("split_by_unicode_script", "bool"),
    23: ("split_by_number", "bool"), 25: ("split_digits", "bool"),
}  # fmt: skip


def _trainer_spec(data: bytes) -> TrainerSpec:
    spec = TrainerSpec()
    for number, _, value in parse_message(data):
        if number not in _TRAINER_FIELDS:
            spec.other.setdefault(number, []).append(value)
            continue
        name, kind = _TRAINER_FIELDS[number]
        if kind == "enum":
            if _int(value) not in MODEL_TYPES:
                raise MalformedVocabError(f"unknown model_type {_int(value)}")
            setattr(spec, name, MODEL_TYPES[_int(value)])
        elif kind == "int":
            setattr(spec, name, _int(value))
        elif kind == "bool":
            setattr(spec, name, bool(_int(value)))
        elif kind == "float":
            setattr(spec, name, _float(value))
        else:
            setattr(spec, name, _str(value))
    return spec


def _normalizer_spec(data: bytes) -> NormalizerSpec:
    spec = NormalizerSpec()
    for number, _, value in parse_message(data):
        if number == 1:
            spec.name = _str(value)
        elif number == 2:
            if not isinstance(value, bytes):
                raise MalformedVocabError("precompiled_charsmap is not bytes")
            spec.precompiled_charsmap = value
        elif number in (3, 4, 5):
            name = {3: "add_dummy_prefix", 4: "remove_extra_whitespaces", 5: "escape_whitespaces"}[number]
            setattr(spec, name, bool(_int(value)))
    return spec


def _piece(data: bytes) -> tuple[str, float, int]:
    piece, score, kind = None, 0.0, NORMAL
    for number, _, value in parse_message(data):
        if number == 1:
            piece = _str(value)
        elif number == 2:
            score = _float(value)
        elif number == 3:
            kind = _int(value)
    if not piece:
        raise MalformedVocabError("a piece is missing or empty")
    if kind not in (NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE):
        raise MalformedVocabError(f"piece {piece!r} has unknown type {kind}")
    return piece, score, kind


def parse_model(data: bytes, path: Path | None = None) -> SentencePieceModel:
    """A :class:`SentencePieceModel` from the bytes of a ``.model`` file."""
    where = str(path) if path is not None else "SentencePiece model"
    try:
        pieces, scores, types = [], [], []
        trainer, normalizer, denormalizer = TrainerSpec(), NormalizerSpec(), None
        for number, wire, value in parse_message(data):
            if number in (1, 2, 3, 5) and wire != 2:
                raise MalformedVocabError(f"field {number} should be a message, has wire type {wire}")
            if number == 1:
                piece, score, kind = _piece(value)  # type: ignore[arg-type]
                pieces.append(piece)
                scores.append(score)
                types.append(kind)
            elif number == 2:
                trainer = _trainer_spec(value)  # type: ignore[arg-type]
            elif number == 3:
                normalizer = _normalizer_spec(value)  # type: ignore[arg-type]
            elif number == 5:
                denormalizer = _normalizer_spec(value)  # type: ignore[arg-type]
    except MalformedVocabError as error:
        raise MalformedVocabError(f"{where}: not a valid SentencePiece model ({error})") from None
    if not pieces:
        raise MalformedVocabError(f"{where}: not a SentencePiece model (no pieces)")
    seen: dict[str, int] = {}
    for i, (piece, kind) in enumerate(zip(pieces, types)):
        if piece in seen:
            raise MalformedVocabError(f"{where}: piece {piece!r} appears twice (ids {seen[piece]}, {i})")
        seen[piece] = i
    unknown = [i for i, kind in enumerate(types) if kind == UNKNOWN]
    if len(unknown) != 1:
        raise MalformedVocabError(f"{where}: needs exactly one unknown piece, has {len(unknown)}")
    if BYTE in types and not trainer.byte_fallback:
        raise MalformedVocabError(f"{where}: byte pieces in a model without byte_fallback")
    return SentencePieceModel(pieces, scores, types, trainer, normalizer, denormalizer, path)


def read_model(path: str | Path) -> SentencePieceModel:
    """Read a SentencePiece ``.model`` file; :class:`MalformedVocabError` if it is not one."""
    path = Path(path)
    return parse_model(path.read_bytes(), path)


# ---- writing -------------------------------------------------------------------------------
def _key(number: int, wire: int) -> bytes:
    return _encode_varint(number << 3 | wire)


def _encode_varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int32 values: ten bytes, two's complement
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, value: int | float | bool | str | bytes) -> bytes:
    if isinstance(value, (str, bytes)):
        data = value.encode("utf-8") if isinstance(value, str) else value
        return _key(number, 2) + _encode_varint(len(data)) + data
    if isinstance(value, float):
        return _key(number, 5) + struct.pack("<f", value)
    return _key(number, 0) + _encode_varint(int(value))


def serialize_model(model: SentencePieceModel) -> bytes:
    """The ``.model`` bytes of ``model`` (the fields :func:`parse_model` reads)."""
    out = bytearray()
    for piece, score, kind in zip(model.pieces, model.scores, model.types):
        body = _field(1, piece) + _field(2, float(score)) + (_field(3, kind) if kind != NORMAL else b"")
        out += _field(1, body)
    t = model.trainer
    model_type = {name: number for number, name in MODEL_TYPES.items()}[t.model_type]
    trainer = b"".join(
        [_field(3, model_type), _field(4, t.vocab_size), _field(10, float(t.character_coverage)),
         _field(15, float(t.shrinking_factor)), _field(17, t.num_sub_iterations), _field(20, t.max_sentencepiece_length),
         _field(21, t.split_by_unicode_script), _field(22, t.split_by_whitespace), _field(23, t.split_by_number),
         _field(24, t.treat_whitespace_as_suffix), _field(25, t.split_digits), _field(35, t.byte_fallback),
         _field(40, t.unk_id), _field(41, t.bos_id), _field(42, t.eos_id), _field(43, t.pad_id), _field(44, t.unk_surface)]
    )  # fmt: skip
    out += _field(2, trainer)
    for number, spec in ((3, model.normalizer), (5, model.denormalizer)):
        if spec is not None:
            body = _field(1, spec.name) + (_field(2, spec.precompiled_charsmap) if spec.precompiled_charsmap else b"")
            body += _field(3, spec.add_dummy_prefix) + _field(4, spec.remove_extra_whitespaces) + _field(5, spec.escape_whitespaces)
            out += _field(number, body)
    return bytes(out)


def write_model(model: SentencePieceModel, path: str | Path) -> Path:
    """Save ``model`` as a ``.model`` file that sentencepiece (and :func:`read_model`) loads.

    Atomic: a failed write leaves a file already at ``path`` as it was."""
    path = Path(path)
    write_bytes_atomic(path, serialize_model(model))
    return path


# ---- normalisation -----------------------------------------------------------------------
class CharsMap:
    """``precompiled_charsmap``: a Darts double-array trie over UTF-8 keys + replacements.

    A trie *unit* is a ``uint32``: bits 0-7 the label (the byte that leads to it),
    bit 8 "has a leaf" (a key ends here; its value sits in the unit at ``pos ^ offset``),
    bit 9 and bits 10-31 the offset to the children (shifted by 8 when bit 9 is set).
    Walking byte ``c`` from node ``pos`` goes to ``pos ^ offset(unit) ^ c``, valid if
    that unit's label is ``c`` (Darts-clone, ``darts.h``).
    """

    def __init__(self, blob: bytes):
        if len(blob) < 4:
            raise MalformedVocabError("precompiled_charsmap is shorter than its header")
        (trie_size,) = struct.unpack_from("<I", blob)
        if trie_size % 4 or 4 + trie_size > len(blob) or trie_size == 0:
            raise MalformedVocabError(f"precompiled_charsmap: bad trie size {trie_size}")
        self.units = struct.unpack_from(f"<{trie_size // 4}I", blob, 4)
        self.replacements = blob[4 + trie_size :]

    def longest_prefix(self, data: bytes, start: int) -> tuple[int, int] | None:
        """``(length, value)`` of the longest key that starts ``data[start:]``, or None."""
        units = self.units
        pos = (units[0] >> 10) << ((units[0] & 0x200) >> 6)
        best = None
        for i in range(start, len(data)):
            c = data[i]
            pos ^= c
            if pos >= len(units):
                break
            unit = units[pos]
            if unit & 0x800000FF != c:
                break
            pos ^= (unit >> 10) << ((unit & 0x200) >> 6)
            if unit & 0x100:
                best = (i + 1 - start, units[pos] & 0x7FFFFFFF)
        return best

    def replacement(self, value: int) -> bytes:
        end = self.replacements.find(b"\0", value)
        return self.replacements[value : end if end >= 0 else len(self.replacements)]


def _utf8_length(first_byte: int) -> int:
    return 1 if first_byte < 0x80 else 2 if first_byte < 0xE0 else 3 if first_byte < 0xF0 else 4


class Normalizer:
    """sentencepiece's ``Normalizer::Normalize`` for one :class:`NormalizerSpec`.

    ``user_defined`` pieces are copied untouched where they start the rest of the text
    (longest first), as sentencepiece's ``PrefixMatcher`` does.
    """

    def __init__(self, spec: NormalizerSpec, user_defined: list[str] = ()):  # type: ignore[assignment]
        self.spec = spec
        self.charsmap = CharsMap(spec.precompiled_charsmap) if spec.precompiled_charsmap else None
        self.user_defined = sorted({u.encode("utf-8") for u in user_defined}, key=len, reverse=True)

    def _prefix(self, data: bytes, pos: int) -> tuple[bytes, int]:
        """The normalised form of the start of ``data[pos:]`` and how many bytes it consumes."""
        for symbol in self.user_defined:
            if data.startswith(symbol, pos):
                return symbol, len(symbol)
        if self.charsmap is not None:
            match = self.charsmap.longest_prefix(data, pos)
            if match is not None:
                return self.charsmap.replacement(match[1]), match[0]
        n = _utf8_length(data[pos])
        return data[pos : pos + n], n

    def normalize(self, text: str) -> str:
        spec = self.spec
        data = text.encode("utf-8")
        pos = 0
        if spec.remove_extra_whitespaces:  # leading spaces
            while pos < len(data):
                piece, n = self._prefix(data, pos)
                if piece != b" ":
                    break
                pos += n
        if pos == len(data):
            return ""
        space = SPACE.encode("utf-8") if spec.escape_whitespaces else b" "
        out = bytearray(space if spec.add_dummy_prefix else b"")
        is_prev_space = spec.remove_extra_whitespaces
        while pos < len(data):
            piece, n = self._prefix(data, pos)
            if is_prev_space:
                piece = piece.lstrip(b" ")
            if piece:
                out += piece.replace(b" ", space) if spec.escape_whitespaces else piece
                is_prev_space = piece.endswith(b" ")
            pos += n
            if not spec.remove_extra_whitespaces:
                is_prev_space = False
        if spec.remove_extra_whitespaces:  # trailing spaces
            while out.endswith(space):
                del out[-len(space) :]
        return out.decode("utf-8")
