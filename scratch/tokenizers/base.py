"""What every tokenizer in tokemb shares: the interface, added (special) tokens, and the
errors of the tokenizers (:class:`InvalidTextError`, :class:`MalformedVocabError`,
:class:`TrainingError`).

A trained tokenizer is a *model* (WordPiece, byte-level BPE, SentencePiece BPE ...) plus
a small set of **added tokens** such as ``[CLS]``, ``<|endoftext|>`` or ``<|assistant|>``.
Added tokens never go through the model: as Hugging Face ``tokenizers`` does
(``AddedVocabulary::split_with_indices``), the text is first cut at every occurrence of
an added token, the pieces between them are tokenized by the model, and each occurrence
becomes its id directly. Four flags per token decide how an occurrence is matched:

* ``single_word``: only matches when not glued to a word character on either side;
* ``lstrip`` / ``rstrip``: the match also swallows the whitespace to its left / right
  (Phi-3's ``<|assistant|>`` has ``rstrip``, so ``"<|assistant|> Hi"`` loses that space);
* ``normalized``: matched on the normalized text (e.g. lower-cased) rather than the raw
  text. Tokenizers here only use non-normalized added tokens, which is what the
  special tokens of all the models in chapter 2 are.

When occurrences overlap, the leftmost wins, and among those the longest
(Aho-Corasick ``LeftmostLongest``, as in ``tokenizers``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

import regex

from ..errors import TokembError


# Unicode's White_Space property: what Rust's ``char::is_whitespace`` (and so ``tokenizers``)
# calls whitespace. Unlike ``str.isspace`` it excludes U+001C..U+001F.
WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


class InvalidTextError(TokembError, ValueError):
    """Text that is not valid Unicode: it holds a lone surrogate (U+D800..U+DFFF).

    Python strings may hold one (``"\\udfff"``, from ``surrogateescape`` decoding or a
    broken JSON escape), UTF-8 cannot. The references refuse such text (``tokenizers``
    with a ``TypeError``, sentencepiece with a ``RuntimeError``) except tiktoken, which
    replaces it by U+FFFD; the scratch tokenizer of each family does what its reference
    does, and refuses with this error, which names the position."""


class MalformedVocabError(TokembError, ValueError):
    """A vocabulary file is not what its loader expects; the message says what is wrong."""


class NotExpressibleError(TokembError, ValueError):
    """A tokenizer does something a ``tokenizer.json`` cannot say (:meth:`Tokenizer.to_tokenizer_json`);
    the message says what."""


class TrainingError(TokembError, ValueError):
    """The corpus or the settings cannot give a tokenizer (empty corpus, vocabulary too small ...)."""


_SURROGATE = regex.compile("[\ud800-\udfff]")


def check_valid_text(text: str, where: str) -> None:
    """:class:`InvalidTextError` naming the first lone surrogate in ``text`` and its position."""
    if text.isascii():
        return
    found = _SURROGATE.search(text)
    if found is not None:
        raise InvalidTextError(
            f"{where}: the text holds a lone surrogate {found.group()!r} at character {found.start()}, "
            "which is not valid Unicode (it cannot be encoded as UTF-8)"
        )


class MergeStep(NamedTuple):
    """One merge of a BPE loop, for showing the algorithm at work (the playground's Merges
    page, as tiktoken's educational ``visualise``): the pair at ``position`` (its left
    part's index), its two parts, its ``priority`` (byte-level BPE: the merge's rank, the
    lowest merges first; SentencePiece BPE: the merged piece's score, the highest first)
    and all the parts after the merge."""

    position: int
    left: bytes | str
    right: bytes | str
    priority: float
    parts: tuple


class MergeTrace(NamedTuple):
    """A BPE loop over one chunk: the parts it started from and each merge in order."""

    start: tuple
    steps: list[MergeStep]

    @property
    def final(self) -> tuple:
        """The parts left when no pair merges any more: the chunk's tokens."""
        return self.steps[-1].parts if self.steps else self.start


@dataclass(frozen=True)
class AddedToken:
    """A token that is matched in the raw text before the model runs."""

    content: str
    id: int
    special: bool = True  # dropped by ``decode(skip_special_tokens=True)``
    single_word: bool = False
    lstrip: bool = False
    rstrip: bool = False


class AddedTokenSplitter:
    """Cuts text into ``(segment, token)`` pairs: ordinary text has ``token=None``.

    >>> s = AddedTokenSplitter([AddedToken("<|end|>", 7, rstrip=True)])
    >>> s.split("hi<|end|>  there")
    [('hi', None), ('<|end|>', AddedToken(content='<|end|>', id=7, special=True, single_word=False, lstrip=False, rstrip=True)), ('there', None)]
    """

    def __init__(self, tokens: Iterable[AddedToken]):
        self.tokens = {t.content: t for t in tokens if t.content}
        # Longest first inside the alternation gives leftmost-longest matching.
        alternatives = sorted(self.tokens, key=len, reverse=True)
        self._pattern = regex.compile("|".join(regex.escape(a) for a in alternatives)) if alternatives else None

    def _is_word_char(self, ch: str) -> bool:
        return ch.isalnum() or ch == "_"

    def split(self, text: str) -> list[tuple[str, AddedToken | None]]:
        if self._pattern is None or not text:
            return [(text, None)] if text else []
        matches: list[tuple[int, int, AddedToken]] = []
        last_end = 0
        for m in self._pattern.finditer(text):
            token = self.tokens[m.group()]
            start, end = m.span()
            if token.single_word:
                before_ok = start == 0 or not self._is_word_char(text[start - 1])
                after_ok = end == len(text) or not self._is_word_char(text[end])
                if not (before_ok and after_ok):
                    continue
            if token.lstrip:
                while start > last_end and text[start - 1] in WHITESPACE:
                    start -= 1
            if token.rstrip:
                while end < len(text) and text[end] in WHITESPACE:
                    end += 1
            matches.append((start, end, token))
            last_end = end
        pieces: list[tuple[str, AddedToken | None]] = []
        position = 0
        for start, end, token in matches:
            if start < position:  # an rstrip swallowed the start of this match's lstrip span
                start = position
            if start > position:
                pieces.append((text[position:start], None))
            pieces.append((token.content, token))
            position = end
        if position < len(text):
            pieces.append((text[position:], None))
        return pieces


class Tokenizer:
    """The interface every scratch tokenizer offers (and every reference adapter mirrors).

    Subclasses implement :meth:`_encode_ordinary` (text without added tokens -> ids) and
    :meth:`_decode_ordinary` (ids of ordinary tokens -> text) and :meth:`token_to_id`,
    and either set :attr:`pieces` (id -> token string) or override :meth:`id_to_token` and
    :attr:`vocab_size`; this class handles added tokens, ``add_special_tokens`` and checks.
    """

    name: str = "tokenizer"
    added_tokens: Sequence[AddedToken] = ()
    #: ``decode`` hands *all* ids, added tokens included, to ``_decode_ordinary`` at once
    #: (after dropping the special ones when asked), instead of decoding the runs between
    #: added tokens separately: for tokenizers whose decoder joins added tokens like any
    #: other (WordPiece's spaces, the byte-level and SentencePiece byte runs).
    decode_as_one_sequence: bool = False
    #: What ``encode`` does with a lone surrogate: refuse it (:class:`InvalidTextError`, as
    #: ``tokenizers`` and sentencepiece do), or, when True, let the model replace it by
    #: U+FFFD (tiktoken's way; see :class:`~.byte_bpe.ByteLevelBPE`).
    replace_surrogates: bool = False

    # ---- to implement -------------------------------------------------------------
    def _encode_ordinary(self, text: str) -> list[int]:
        raise NotImplementedError

    def _decode_ordinary(self, ids: list[int]) -> str:
        raise NotImplementedError

    def _wrap(self, ids: list[int]) -> list[int]:
        """Add the model's special tokens around a sequence (``[CLS] ... [SEP]``, ``<s> ...``)."""
        return ids

    def token_to_id(self, token: str) -> int | None:
        raise NotImplementedError

    # ---- the vocabulary as one list (override where it is not) -------------------
    #: id -> token string (``None`` where an id has none): ``id_to_token`` and
    #: ``vocab_size`` read it.
    pieces: Sequence[str | None] = ()

    def id_to_token(self, id: int) -> str | None:
        return self.pieces[id] if 0 <= id < len(self.pieces) else None

    @property
    def vocab_size(self) -> int:
        return len(self.pieces)

    # ---- shared -------------------------------------------------------------------
    @property
    def special_tokens(self) -> dict[str, int]:
        """Added tokens marked special, content -> id."""
        return {t.content: t.id for t in self.added_tokens if t.special}

    def _splitter(self) -> AddedTokenSplitter:
        splitter = self.__dict__.get("_added_splitter")
        if splitter is None:
            splitter = self.__dict__["_added_splitter"] = AddedTokenSplitter(self.added_tokens)
        return splitter

    def encode(self, text: str, add_special_tokens: bool = True) -> list[int]:
        """Token ids of ``text``, as the reference's ``tokenizer(text)["input_ids"]``."""
        if not isinstance(text, str):
            raise TypeError(f"{self.name}.encode expects a str, got {type(text).__name__}")
        if not self.replace_surrogates:
            check_valid_text(text, f"{self.name}.encode")
        ids: list[int] = []
        for segment, token in self._splitter().split(text):
            if token is not None:
                ids.append(token.id)
            else:
                ids.extend(self._encode_ordinary(segment))
        return self._wrap(ids) if add_special_tokens else ids

    def tokenize(self, text: str) -> list[str]:
        """The token strings of ``encode(text, add_special_tokens=False)``."""
        return [self.id_to_token(i) for i in self.encode(text, add_special_tokens=False)]  # type: ignore[misc]

    def _checked_ids(self, ids: Sequence[int]) -> list[int]:
        """``ids`` as a list of ints: ``TypeError`` for non-integers, ``ValueError`` naming unknown ids."""
        ids = list(ids)
        for i in ids:
            if isinstance(i, bool) or not isinstance(i, int) and not hasattr(i, "__index__"):
                raise TypeError(f"{self.name}.decode expects integer ids, got {i!r}")
        size = self.vocab_size
        bad = [int(i) for i in ids if not 0 <= int(i) < size or self.id_to_token(int(i)) is None]
        if bad:
            raise ValueError(f"{self.name}.decode: unknown token id(s) {bad[:10]} (vocab_size {size})")
        return [int(i) for i in ids]

    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False) -> str:
        """Text for ``ids``. Unknown ids raise ``ValueError`` naming them."""
        ids = self._checked_ids(ids)
        if self.decode_as_one_sequence:
            if skip_special_tokens:
                special = {t.id for t in self.added_tokens if t.special}
                ids = [i for i in ids if i not in special]
            return self._decode_ordinary(ids)
        added = {t.id: t for t in self.added_tokens}
        parts: list[str] = []
        run: list[int] = []
        for i in map(int, ids):
            if i in added:
                if run:
                    parts.append(self._decode_ordinary(run))
                    run = []
                if not (skip_special_tokens and added[i].special):
                    parts.append(added[i].content)
            else:
                run.append(i)
        if run:
            parts.append(self._decode_ordinary(run))
        return "".join(parts)

    # ---- saving --------------------------------------------------------------------
    def to_tokenizer_json(self) -> dict:
        """This tokenizer as a Hugging Face ``tokenizer.json`` object (each kind of tokenizer
        builds it in :mod:`.tokenizer_json`). :class:`NotExpressibleError` when ``tokenizers``
        cannot do exactly what this tokenizer does."""
        raise NotExpressibleError(f"{self.name}: a {type(self).__name__} cannot be written as a tokenizer.json")

    def save(self, path: str | Path) -> Path:
        """Write :meth:`to_tokenizer_json` to ``path`` (a folder: its ``tokenizer.json``), atomically:
        a failure leaves a file already there as it was. Returns the file's path."""
        from ..files import write_text_atomic

        spec = self.to_tokenizer_json()
        target = Path(path)
        if target.is_dir():
            target = target / "tokenizer.json"
        write_text_atomic(target, json.dumps(spec, ensure_ascii=False, indent=2) + "\n")
        return target


class TokenJoiningTokenizer(Tokenizer):
    """A tokenizer whose decoder works on token strings (WordPiece's ``##`` gluing,
    SentencePiece's ``▁`` and byte pieces): ``decode`` looks up every id, added tokens
    included, and hands the strings to :meth:`join_tokens` in one sequence, as the
    reference decoders do."""

    decode_as_one_sequence = True

    def join_tokens(self, tokens: Sequence[str]) -> str:
        raise NotImplementedError

    def _decode_ordinary(self, ids: list[int]) -> str:
        return self.join_tokens([self.id_to_token(i) for i in ids])  # type: ignore[misc]
