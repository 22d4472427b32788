"""Added tokens: the tokens cut out of the text before the normalizer and the model see it.

``tokenizers``' ``AddedVocabulary::extract_and_normalize`` (``tokenizer/added_vocabulary.rs``)
works in two passes:

1. the tokens with ``normalized: false`` (special tokens usually) are found in the *raw*
   text; the text between them is a piece of its own;
2. each remaining piece is normalized, and the tokens with ``normalized: true`` are found
   in the *normalized* piece, spelled as the normalizer spells them (``"Day"`` under a
   lower-casing normalizer is looked for as ``"day"``).

Within a pass, matches are leftmost-longest and do not overlap (an Aho-Corasick scan).
A match of a ``single_word`` token is dropped when a word character touches it on either
side; ``lstrip`` / ``rstrip`` widen a match over the whitespace before / after it (never
into the previous match). A kept match becomes one token whose string is the matched text
(stripped whitespace included, as the reference reports it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable, Sequence

import regex

from ..base import WHITESPACE, MalformedVocabError
from ..pretokenizers import RUST_WORD, spell_ranges
from .normalized import NormalizedString
from .spec import field

# Rust ``regex``'s Unicode ``\w`` (UTS #18) in the reference's Unicode version: what
# ``single_word`` treats as a word character (``\w$`` / ``^\w`` in added_vocabulary.rs).
_WORD_CHAR = regex.compile("[" + spell_ranges(RUST_WORD) + "]")

FLAGS = ("single_word", "lstrip", "rstrip", "normalized", "special")


@dataclass(frozen=True)
class AddedTokenSpec:
    """One entry of ``added_tokens`` in ``tokenizer.json``."""

    id: int
    content: str
    single_word: bool = False
    lstrip: bool = False
    rstrip: bool = False
    normalized: bool = True
    special: bool = False

    @classmethod
    def from_json(cls, spec: object) -> AddedTokenSpec:
        where = "added_tokens"
        if not isinstance(spec, dict):
            raise MalformedVocabError(f"{where}: expected an object, got {spec!r:.80}")
        flags = {name: field(spec, name, bool, where, default) for name, default in
                 (("single_word", False), ("lstrip", False), ("rstrip", False), ("normalized", True), ("special", False))}  # fmt: skip
        token_id = field(spec, "id", int, where)
        if token_id < 0:
            raise MalformedVocabError(f"{where}: negative id {token_id}")
        return cls(token_id, field(spec, "content", str, where), **flags)

    def to_json(self) -> dict:
        return {"id": self.id, "content": self.content, **{name: getattr(self, name) for name in FLAGS}}


def ids_as_loaded(tokens: Iterable[AddedTokenSpec], model_token_to_id: Callable[[str], int | None],
                  model_vocab_size: int) -> list[AddedTokenSpec]:  # fmt: skip
    """The added tokens with the ids ``tokenizers`` gives them when it loads a file.

    The ``id`` written beside each entry of ``added_tokens`` is not what the reference uses:
    loading adds the entries one by one, in the file's order (``AddedVocabulary::add_tokens``,
    called from the ``Tokenizer`` deserializer, which only warns on a mismatch). An entry
    whose content is already known (an earlier entry, or a token of the model's vocabulary)
    takes that id; any other takes the next free id, counting up from the model's vocabulary
    size. An empty content is skipped; a content given twice keeps one id and the later flags."""
    by_content: dict[str, AddedTokenSpec] = {}
    next_id = model_vocab_size
    for token in tokens:
        if not token.content:
            continue
        known = by_content.get(token.content)
        token_id = known.id if known is not None else model_token_to_id(token.content)
        if token_id is None:
            token_id, next_id = next_id, next_id + 1
        by_content[token.content] = replace(token, id=token_id)
    return list(by_content.values())


class AddedVocabulary:
    """The added tokens of a tokenizer, and the two-pass search for them."""

    def __init__(self, tokens: Iterable[AddedTokenSpec], normalize: Callable[[str], str] | None = None):
        self.tokens: list[AddedTokenSpec] = sorted(tokens, key=lambda t: t.id)
        self.by_id = {t.id: t for t in self.tokens}
        self.by_content = {t.content: t.id for t in self.tokens}
        #: How a ``normalized`` token is spelled in normalized text (and handed to the decoder).
        self.normalized_forms: dict[int, str] = {}
        if normalize is not None:
            for t in self.tokens:
                if t.normalized and normalize(t.content) != t.content:
                    self.normalized_forms[t.id] = normalize(t.content)
        raw = {t.content: t for t in self.tokens if not t.normalized and t.content}
        normalized = {self.normalized_forms.get(t.id, t.content): t for t in self.tokens if t.normalized and t.content}
        self._raw = (raw, _alternation(raw))
        self._normalized = (normalized, _alternation(normalized))

    @property
    def special_ids(self) -> set[int]:
        return {t.id for t in self.tokens if t.special}

    def decoder_form(self, id: int) -> str | None:
        """The string the decoder gets for an added token (its normalized form when it has one)."""
        token = self.by_id.get(id)
        return None if token is None else self.normalized_forms.get(id, token.content)

    def split_raw(self, text: NormalizedString) -> list[tuple[NormalizedString, AddedTokenSpec | None]]:
        """Pass 1: cut the raw text at the non-normalized tokens."""
        return _split(text, *self._raw)

    def split_normalized(self, text: NormalizedString) -> list[tuple[NormalizedString, AddedTokenSpec | None]]:
        """Pass 2: cut a normalized piece at the normalized tokens."""
        return _split(text, *self._normalized)


def _alternation(patterns: dict[str, AddedTokenSpec]):
    """A regex finding the leftmost-longest of ``patterns`` (longest first in the alternation)."""
    if not patterns:
        return None
    return regex.compile("|".join(regex.escape(p) for p in sorted(patterns, key=len, reverse=True)))


def _split(text: NormalizedString, tokens: dict[str, AddedTokenSpec], pattern) -> list[tuple[NormalizedString, AddedTokenSpec | None]]:
    s = text.normalized
    if pattern is None or not s:
        # Still a slice, as the reference's ``split_with_indices`` always slices: the piece's
        # original start becomes that of its first normalized character (a normalizer that
        # stripped leading spaces moves it), which Metaspace's ``prepend_scheme="first"`` reads.
        return [(text.slice(0, len(s)) if s else text, None)]
    pieces: list[tuple[NormalizedString, AddedTokenSpec | None]] = []
    position = 0  # end of the last kept match (its rstrip included)
    for m in pattern.finditer(s):  # the scan goes on from each match's own end, as the trie's does
        token = tokens[m.group()]
        start, end = m.span()
        if token.single_word:
            word_before = start > 0 and _WORD_CHAR.match(s[start - 1]) is not None
            word_after = end < len(s) and _WORD_CHAR.match(s[end]) is not None
            if word_before or word_after:
                continue
        if token.lstrip:  # never into the previous match: past its end if it swallowed this one
            while start > 0 and s[start - 1] in WHITESPACE:
                start -= 1
            start = max(start, position)
        if token.rstrip:
            while end < len(s) and s[end] in WHITESPACE:
                end += 1
        if position < start:
            pieces.append((text.slice(position, start), None))
        # A match inside the previous one's rstrip is still a piece (the reference's
        # overlapping split); one an lstrip pushed past its own end is empty, and dropped.
        pieces.append((text.slice(start, max(start, end)), token))
        position = end
    if position < len(s):
        pieces.append((text.slice(position, len(s)), None))
    return pieces


def added_tokens_json(tokens: Sequence[AddedTokenSpec]) -> list[dict]:
    """The ``added_tokens`` list of ``tokenizer.json``, by id."""
    return [t.to_json() for t in sorted(tokens, key=lambda t: t.id)]
