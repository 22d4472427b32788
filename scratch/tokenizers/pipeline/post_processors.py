"""Post-processors: the stage after the model, which adds the special tokens.

BERT wants ``[CLS] sentence [SEP]`` (and ``[CLS] a [SEP] b [SEP]`` for a pair, with type
id 1 on the second sentence), RoBERTa ``<s> a </s></s> b </s>``, Llama ``<s> a``. The
model never produces these: the post-processor puts them around the model's tokens,
marks them in ``special_tokens_mask``, gives them the offsets ``(0, 0)`` and no word,
and sets the type ids. Some post-processors also correct offsets (``trim_offsets``:
a byte-level token ``"Ġworld"`` covers the space before the word, its offsets should not).

How ``tokenizers`` runs it (``PostProcessor::process`` in ``tokenizers/src/tokenizer/
mod.rs``), and so how it runs here:

1. the sequence (and the pair) each get type id ``i`` on every token (0, then 1);
2. ``process_encodings`` maps the list of encodings to a new list: a processor may add
   tokens to each, or, like :class:`TemplateProcessing`, return one encoding per piece
   of its template; a :class:`Sequence` feeds each processor the list the one before
   returned;
3. the final list is concatenated into one encoding (``Encoding::merge``; offsets are
   not shifted: each stays in the text of its own sequence).

Each class takes the options of ``tokenizers.processors.X`` (same names), writes with
``to_json`` exactly the object ``tokenizers`` 0.23.3 writes in ``tokenizer.json``, and is
read back by :func:`post_processor_from_json`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar, Iterable

from ..base import WHITESPACE, MalformedVocabError
from ..bytes_to_unicode import BYTE_TO_CHAR
from .encoding import Encoding
from .spec import Component, Reader, field, read_component

#: The byte-level stand-in of a space (``Ġ``), which offset trimming treats as whitespace.
SPACE_STAND_IN = BYTE_TO_CHAR[ord(" ")]


class PostProcessingError(ValueError):
    """Encodings a post-processor cannot process (where ``tokenizers`` itself panics)."""


def copy(encoding: Encoding) -> Encoding:
    """A copy whose lists can be changed without touching ``encoding``."""
    return Encoding(list(encoding.ids), list(encoding.tokens), list(encoding.offsets), list(encoding.type_ids),
                    list(encoding.special_tokens_mask), list(encoding.word_ids))  # fmt: skip


def with_type_id(encoding: Encoding, type_id: int) -> Encoding:
    """A copy of ``encoding`` with ``type_id`` on every token (``Encoding::set_type_ids``)."""
    out = copy(encoding)
    out.type_ids = [type_id] * len(out)
    return out


def unmarked(encoding: Encoding) -> Encoding:
    """A copy of ``encoding`` with no token marked special. ``BertProcessing`` and
    ``RobertaProcessing`` build the mask anew (``[1] + [0] * len + [1]``), so a token that
    an earlier step of a :class:`Sequence` marked special is unmarked by them."""
    out = copy(encoding)
    out.special_tokens_mask = [0] * len(out)
    return out


def special_tokens(ids: Iterable[int], tokens: Iterable[str], type_id: int) -> Encoding:
    """An encoding of special tokens: offsets ``(0, 0)``, no word, marked special."""
    out = Encoding()
    for id, token in zip(ids, tokens):
        out.append(id, token, (0, 0), type_id, special=True, word=None)
    return out


def merge(encodings: Iterable[Encoding]) -> Encoding:
    """All the encodings one after the other (``Encoding::merge(_, growing_offsets=false)``)."""
    out = Encoding()
    for encoding in encodings:
        out.extend(encoding)
    return out


def trim_offsets(encoding: Encoding, add_prefix_space: bool) -> Encoding:
    """A copy of ``encoding`` whose offsets leave out the whitespace at either end of each
    token (``tokenizers``' ``process_offsets`` in ``pre_tokenizers/byte_level.rs``).

    The whitespace is read from the token string itself, which is all ``tokenizers`` looks
    at too: its leading and trailing characters that are ``Ġ`` (a byte-level space) or
    whitespace (``char::is_whitespace``), one character of the token for one character of
    the text. The start moves right by the leading count (never past the end), the end
    left by the trailing count (never before the start, and only when the end is at least
    that count). With ``add_prefix_space``, one leading space on the first token (index 0,
    or a token starting at offset 0) is kept: the pre-tokenizer added it, so it is not in
    the text and the offsets do not cover it anyway."""
    out = copy(encoding)
    for i, (token, (start, end)) in enumerate(zip(out.tokens, out.offsets)):
        leading = _run_length(token, reverse=False)
        trailing = _run_length(token, reverse=True)
        if leading:
            is_first = i == 0 or start == 0
            if is_first and add_prefix_space and leading == 1:
                leading = 0
            start = min(start + leading, end)
        if trailing and end >= trailing:
            end = max(end - trailing, start)
        out.offsets[i] = (start, end)
    return out


def _run_length(token: str, reverse: bool) -> int:
    """How many characters at the start (or end) of ``token`` are whitespace or ``Ġ``."""
    count = 0
    for char in reversed(token) if reverse else token:
        if char != SPACE_STAND_IN and char not in WHITESPACE:
            break
        count += 1
    return count


class PostProcessor(Component):
    """One post-processor (``tokenizers``' ``PostProcessor`` trait)."""

    type_name: ClassVar[str]

    def added_tokens(self, is_pair: bool) -> int:
        """How many special tokens :meth:`process` adds to a single sequence or a pair
        (the tokenizer leaves that much room when it truncates)."""
        raise NotImplementedError

    def process_encodings(self, encodings: list[Encoding], add_special_tokens: bool) -> list[Encoding]:
        """The step of a :class:`Sequence`: a list of encodings to a new list (inputs unchanged)."""
        raise NotImplementedError

    def process(self, encoding: Encoding, pair: Encoding | None = None, add_special_tokens: bool = True) -> Encoding:
        """The model's encoding (and the pair's) made into the final one: type id 0 (1 for
        the pair) on every token, :meth:`process_encodings`, then all concatenated."""
        encodings = [encoding] if pair is None else [encoding, pair]
        encodings = [with_type_id(e, type_id) for type_id, e in enumerate(encodings)]
        return merge(self.process_encodings(encodings, add_special_tokens))


def _token_and_id(value: Any, where: str) -> tuple[str, int]:
    """``(token, id)`` as ``tokenizers`` takes ``sep``/``cls``: a string and an id."""
    if (not isinstance(value, (tuple, list)) or len(value) != 2 or not isinstance(value[0], str)
            or not _is_u32(value[1])):  # fmt: skip
        raise MalformedVocabError(f"{where}: expected [token, id], got {value!r:.80}")
    return value[0], value[1]


def _is_u32(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**32


class BertProcessing(PostProcessor):
    """BERT: ``[CLS] A [SEP]`` and ``[CLS] A [SEP] B [SEP]``; the pair's tokens and its
    ``[SEP]`` have type id 1. Nothing changes without ``add_special_tokens``.
    ``tokenizers``: ``processors/bert.rs``."""

    type_name = "BertProcessing"

    def __init__(self, sep: tuple[str, int], cls: tuple[str, int]):
        self.sep = _token_and_id(sep, "post-processor BertProcessing sep")
        self.cls = _token_and_id(cls, "post-processor BertProcessing cls")

    def added_tokens(self, is_pair: bool) -> int:
        return 3 if is_pair else 2

    def process_encodings(self, encodings: list[Encoding], add_special_tokens: bool) -> list[Encoding]:
        if not add_special_tokens:
            return [copy(e) for e in encodings]
        (sep, sep_id), (cls, cls_id) = self.sep, self.cls
        out = []
        for i, encoding in enumerate(encodings):
            if i == 0:  # the first sequence: [CLS] ... [SEP], all type id 0 around it
                parts = [special_tokens([cls_id], [cls], 0), unmarked(encoding), special_tokens([sep_id], [sep], 0)]
            else:  # any other: ... [SEP] with type id 1
                parts = [unmarked(encoding), special_tokens([sep_id], [sep], 1)]
            out.append(merge(parts))
        return out

    def to_json(self) -> dict[str, Any]:
        return {"type": "BertProcessing", "sep": list(self.sep), "cls": list(self.cls)}


class RobertaProcessing(PostProcessor):
    """RoBERTa: ``<s> A </s>`` and ``<s> A </s> </s> B </s>``, every type id 0 (RoBERTa has
    no second type). With ``trim_offsets``, each sequence's offsets are first trimmed
    (:func:`trim_offsets`, with ``add_prefix_space``), with or without special tokens.
    ``tokenizers``: ``processors/roberta.rs``."""

    type_name = "RobertaProcessing"

    def __init__(self, sep: tuple[str, int], cls: tuple[str, int], trim_offsets: bool = True,
                 add_prefix_space: bool = True):  # fmt: skip
        self.sep = _token_and_id(sep, "post-processor RobertaProcessing sep")
        self.cls = _token_and_id(cls, "post-processor RobertaProcessing cls")
        self.trim_offsets = trim_offsets
        self.add_prefix_space = add_prefix_space

    def added_tokens(self, is_pair: bool) -> int:
        return 4 if is_pair else 2

    def process_encodings(self, encodings: list[Encoding], add_special_tokens: bool) -> list[Encoding]:
        if self.trim_offsets:
            encodings = [trim_offsets(e, self.add_prefix_space) for e in encodings]
        encodings = [with_type_id(e, 0) for e in encodings]
        if not add_special_tokens:
            return encodings
        (sep, sep_id), (cls, cls_id) = self.sep, self.cls
        out = []
        for i, encoding in enumerate(encodings):
            opening = special_tokens([cls_id], [cls], 0) if i == 0 else special_tokens([sep_id], [sep], 0)
            out.append(merge([opening, unmarked(encoding), special_tokens([sep_id], [sep], 0)]))
        return out

    def to_json(self) -> dict[str, Any]:
        return {"type": "RobertaProcessing", "sep": list(self.sep), "cls": list(self.cls),
                "trim_offsets": self.trim_offsets, "add_prefix_space": self.add_prefix_space}  # fmt: skip


class ByteLevel(PostProcessor):
    """Byte-level BPE's post-processor: adds nothing; with ``trim_offsets`` it trims each
    sequence's offsets (:func:`trim_offsets`). ``tokenizers``: ``pre_tokenizers/
    byte_level.rs``, ``impl PostProcessor for ByteLevel`` (the same struct as the
    pre-tokenizer and the decoder, hence ``use_regex``, unused here but written)."""

    type_name = "ByteLevel"

    def __init__(self, add_prefix_space: bool = True, trim_offsets: bool = True, use_regex: bool = True):
        self.add_prefix_space = add_prefix_space
        self.trim_offsets = trim_offsets
        self.use_regex = use_regex

    def added_tokens(self, is_pair: bool) -> int:
        return 0

    def process_encodings(self, encodings: list[Encoding], add_special_tokens: bool) -> list[Encoding]:
        if self.trim_offsets:
            return [trim_offsets(e, self.add_prefix_space) for e in encodings]
        return [copy(e) for e in encodings]

    def to_json(self) -> dict[str, Any]:
        return {"type": "ByteLevel", "add_prefix_space": self.add_prefix_space,
                "trim_offsets": self.trim_offsets, "use_regex": self.use_regex}  # fmt: skip


# ---- TemplateProcessing -------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """One piece of a template: a sequence (``id`` ``"A"`` or ``"B"``) or a special token
    (``id`` its key in ``special_tokens``), with the type id its tokens get."""

    id: str
    type_id: int
    is_sequence: bool

    def to_json(self) -> dict[str, Any]:
        return {"Sequence" if self.is_sequence else "SpecialToken": {"id": self.id, "type_id": self.type_id}}


#: A ``u32`` as Rust's ``str::parse`` reads it (an optional ``+``, then digits).
_U32 = re.compile(r"\+?[0-9]+")


def _parse_u32(text: str) -> int | None:
    return int(text) if _U32.fullmatch(text) and int(text) < 2**32 else None


def parse_piece(text: str) -> Piece:
    """A piece of a template string (``tokenizers``' ``Piece::try_from``): ``$A``/``$B`` (also
    ``$a``, ``$b``, and ``$`` for ``$A``), ``$<n>`` for sequence A with type id n, anything
    else a special token; ``:<n>`` after any of them sets the type id."""
    parts = text.split(":")
    if len(parts) > 2:
        raise MalformedVocabError(f"TemplateProcessing: cannot read the piece {text!r}")
    name, type_id = parts[0], 0
    if len(parts) == 2:
        type_id = _parse_u32(parts[1])
        if type_id is None:
            raise MalformedVocabError(f"TemplateProcessing: cannot read the type id of {text!r}")
    if not name.startswith("$"):
        return Piece(name, type_id, is_sequence=False)
    rest = name[1:]
    if rest in ("", "A", "a", "B", "b"):
        return Piece(rest.upper() or "A", type_id, is_sequence=True)
    number = _parse_u32(rest)
    if number is None:
        raise MalformedVocabError(f"TemplateProcessing: cannot read the piece {text!r}")
    return Piece("A", number if len(parts) == 1 else type_id, is_sequence=True)


def parse_template(template: str | Iterable[str | Piece]) -> list[Piece]:
    """A template given as a string (pieces separated by single spaces) or a list of pieces."""
    items = template.split(" ") if isinstance(template, str) else template
    return [item if isinstance(item, Piece) else parse_piece(item) for item in items]


@dataclass(frozen=True)
class SpecialToken:
    """A special token of a template: one name (``id``) for one or more tokens."""

    id: str
    ids: tuple[int, ...]
    tokens: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "ids": list(self.ids), "tokens": list(self.tokens)}


def special_token(value: Any) -> SpecialToken:
    """A special token as ``tokenizers.processors.TemplateProcessing`` takes one:
    ``(token, id)``, ``(id, token)``, a dict ``{"id", "ids", "tokens"}`` or a :class:`SpecialToken`."""
    if isinstance(value, SpecialToken):
        return value
    if isinstance(value, (tuple, list)) and len(value) == 2:
        token, id = value if isinstance(value[0], str) else value[::-1]
        if isinstance(token, str) and _is_u32(id):
            return SpecialToken(token, (id,), (token,))
    if isinstance(value, dict) and set(value) == {"id", "ids", "tokens"}:
        id, ids, tokens = value["id"], value["ids"], value["tokens"]
        if (isinstance(id, str) and isinstance(ids, list) and all(map(_is_u32, ids)) and isinstance(tokens, list)
                and all(isinstance(t, str) for t in tokens)):  # fmt: skip
            if len(ids) != len(tokens):
                raise MalformedVocabError(f"TemplateProcessing: special token {id!r} has {len(ids)} ids and {len(tokens)} tokens")
            return SpecialToken(id, tuple(ids), tuple(tokens))
    raise MalformedVocabError(f"TemplateProcessing: cannot read the special token {value!r:.80}")


class TemplateProcessing(PostProcessor):
    """Special tokens placed by a template (``tokenizers``: ``processors/template.rs``).

    ``single`` is the template of one sequence, ``pair`` that of two, e.g. BERT's
    ``"[CLS] $A [SEP]"`` and ``"[CLS] $A [SEP] $B:1 [SEP]:1"``: ``$A``/``$B`` are the
    sequences, other names are special tokens looked up in ``special_tokens`` (each may
    stand for several tokens), ``:n`` is the type id of a piece's tokens (default 0; the
    sequences' own type ids are replaced). Processing returns one encoding per piece, in
    template order; without ``add_special_tokens`` the special pieces are left out.

    Refused here where ``tokenizers`` accepts the template but panics when it encodes: a
    special token missing from ``special_tokens`` or ``$B`` in ``single``."""

    type_name = "TemplateProcessing"

    def __init__(self, single: str | Iterable[str | Piece] = "$0", pair: str | Iterable[str | Piece] = "$A:0 $B:1",
                 special_tokens: Iterable[Any] | dict[str, Any] = ()):  # fmt: skip
        self.single = parse_template("$0" if single is None else single)
        self.pair = parse_template("$A:0 $B:1" if pair is None else pair)
        if isinstance(special_tokens, dict):  # tokenizer.json's map: key -> SpecialToken
            self.special_tokens = {key: special_token(value) for key, value in special_tokens.items()}
        else:
            self.special_tokens = {token.id: token for token in map(special_token, special_tokens or ())}
        missing = {p.id for p in self.single + self.pair if not p.is_sequence} - set(self.special_tokens)
        if missing:
            raise MalformedVocabError(f"TemplateProcessing: special token(s) {sorted(missing)} missing from special_tokens")
        if any(p.is_sequence and p.id == "B" for p in self.single):
            raise MalformedVocabError("TemplateProcessing: the single template cannot use $B")

    def added_tokens(self, is_pair: bool) -> int:
        template = self.pair if is_pair else self.single
        return sum(len(self.special_tokens[p.id].ids) for p in template if not p.is_sequence)

    def process_encodings(self, encodings: list[Encoding], add_special_tokens: bool) -> list[Encoding]:
        if len(encodings) not in (1, 2):
            raise PostProcessingError(f"TemplateProcessing takes 1 or 2 encodings, got {len(encodings)} (tokenizers panics)")
        template = self.single if len(encodings) == 1 else self.pair
        out = []
        for piece in template:
            if piece.is_sequence:
                out.append(with_type_id(encodings[0 if piece.id == "A" else 1], piece.type_id))
            elif add_special_tokens:
                token = self.special_tokens[piece.id]
                out.append(special_tokens(token.ids, token.tokens, piece.type_id))
        return out

    def to_json(self) -> dict[str, Any]:
        return {"type": "TemplateProcessing", "single": [p.to_json() for p in self.single],
                "pair": [p.to_json() for p in self.pair],
                "special_tokens": {key: self.special_tokens[key].to_json() for key in sorted(self.special_tokens)}}  # fmt: skip


class Sequence(PostProcessor):
    """Post-processors applied one after the other to the list of encodings (e.g. Llama-3's
    ``ByteLevel`` offset trimming, then a ``TemplateProcessing`` adding ``<|begin_of_text|>``).
    ``tokenizers``: ``processors/sequence.rs``."""

    type_name = "Sequence"

    def __init__(self, processors: list[PostProcessor]):
        self.processors = list(processors)

    def added_tokens(self, is_pair: bool) -> int:
        return sum(p.added_tokens(is_pair) for p in self.processors)

    def process_encodings(self, encodings: list[Encoding], add_special_tokens: bool) -> list[Encoding]:
        encodings = [copy(e) for e in encodings]
        for processor in self.processors:
            encodings = processor.process_encodings(encodings, add_special_tokens)
        return encodings

    def to_json(self) -> dict[str, Any]:
        return {"type": "Sequence", "processors": [p.to_json() for p in self.processors]}


# ---- reading tokenizer.json ---------------------------------------------------------------


def _bert_or_roberta(spec: dict, where: str) -> PostProcessor:
    """``tokenizers`` reads post-processors as an untagged enum whose first two variants
    do not check ``"type"``: an object with ``sep``, ``cls`` and the booleans
    ``trim_offsets`` and ``add_prefix_space`` is a ``RobertaProcessing``, any other with
    ``sep`` and ``cls`` a ``BertProcessing`` (the rest ignored), whichever of the two it
    says it is."""
    sep, cls = field(spec, "sep", list, where), field(spec, "cls", list, where)
    trim_offsets, add_prefix_space = spec.get("trim_offsets"), spec.get("add_prefix_space")
    if isinstance(trim_offsets, bool) and isinstance(add_prefix_space, bool):
        return RobertaProcessing(sep, cls, trim_offsets, add_prefix_space)
    return BertProcessing(sep, cls)


def _template(spec: dict, where: str) -> TemplateProcessing:
    def template(name: str) -> list[Piece]:
        pieces = []
        for item in field(spec, name, list, where):
            if not (isinstance(item, dict) and len(item) == 1 and set(item) <= {"Sequence", "SpecialToken"}):
                raise MalformedVocabError(f"{where}: cannot read the piece {item!r:.80} of {name!r}")
            (kind, body), = item.items()
            if not (isinstance(body, dict) and set(body) == {"id", "type_id"} and isinstance(body["id"], str)
                    and _is_u32(body["type_id"]) and (kind == "SpecialToken" or body["id"] in ("A", "B"))):  # fmt: skip
                raise MalformedVocabError(f"{where}: cannot read the piece {item!r:.80} of {name!r}")
            pieces.append(Piece(body["id"], body["type_id"], is_sequence=kind == "Sequence"))
        return pieces

    return TemplateProcessing(template("single"), template("pair"), field(spec, "special_tokens", dict, where))


#: type -> (its options, how to build it from its JSON object).
_READERS: dict[str, Reader] = {
    "BertProcessing": (("sep", "cls", "trim_offsets", "add_prefix_space"), _bert_or_roberta),
    "RobertaProcessing": (("sep", "cls", "trim_offsets", "add_prefix_space"), _bert_or_roberta),
    "ByteLevel": (("add_prefix_space", "trim_offsets", "use_regex"), lambda s, w: ByteLevel(
        field(s, "add_prefix_space", bool, w), field(s, "trim_offsets", bool, w), field(s, "use_regex", bool, w, True))),
    "TemplateProcessing": (("single", "pair", "special_tokens"), _template),
    "Sequence": (("processors",), lambda s, w: Sequence(
        [post_processor_from_json(p) for p in field(s, "processors", list, w)])),
}  # fmt: skip


def post_processor_from_json(spec: dict | None) -> PostProcessor | None:
    """The post-processor of a ``tokenizer.json``'s ``"post_processor"`` object (``None``
    for none), read as ``tokenizers`` 0.23.3 reads it; an unknown ``type`` or option is
    refused with :class:`.UnsupportedComponentError`, a malformed field with
    :class:`MalformedVocabError`."""
    return read_component(spec, "post-processor", _READERS)
