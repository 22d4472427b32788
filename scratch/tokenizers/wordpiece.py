"""WordPiece, the subword tokenizer of BERT (Schuster & Nakajima 2012; Devlin et al. 2018).

A WordPiece vocabulary holds whole words (``"token"``) and word *continuations*
marked with ``##`` (``"##s"``, ``"##ization"``). Tokenizing is greedy:

1. the basic tokenizer (:mod:`.bert_normalizer`) cleans the text and cuts it into
   words and punctuation (lower-casing and stripping accents for uncased models);
2. each word is cut, left to right, into the **longest** piece of the vocabulary that
   fits at the current position; pieces after the first one carry the ``##`` prefix.
   ``"tokens"`` -> ``"token"``, ``"##s"``;
3. a word with a position where no piece fits, or longer than 100 characters,
   becomes the single piece ``[UNK]``: WordPiece never falls back to characters;
4. ``[CLS]`` goes in front and ``[SEP]`` at the end.

    >>> from scratch import tokenizers
    >>> bert = tokenizers.load("bert-base-uncased")
    >>> bert.tokenize("Capitalization matters")
    ['capital', '##ization', 'matters']

Added tokens (``[CLS]``, ``[SEP]``, ``[PAD]``, ``[MASK]``, ``[UNK]``) are found in the raw
text first, as Hugging Face's ``AddedVocabulary`` does (see :mod:`.base`), so
``"a [MASK] b"`` keeps its mask.

Decoding is lossy (case, accents and spacing are gone) and mirrors Hugging Face's
``decoders.WordPiece`` with ``cleanup=True``, which is what ``BertTokenizer.decode``
runs in transformers 5 (its own ``clean_up_tokenization_spaces`` is ``False`` for a
folder without a ``tokenizer_config.json``, so nothing else happens): tokens,
special ones included, are joined with spaces, a ``##`` piece is glued to the one
before, and the cleanup, applied to each token with its leading space, removes that
space before ``. ? ! ,`` (its contraction rules, like ``" 's"`` -> ``"'s"``, never
fire: they span two tokens once BERT has split off the apostrophe).

    >>> bert.decode(bert.encode("Hello, world!"))
    '[CLS] hello, world! [SEP]'


Loaders: :func:`from_vocab_file` (``vocab.txt``), :func:`from_tokenizer_json`
(``tokenizer.json`` with a WordPiece model) and :func:`from_gguf_vocab` (llama.cpp's
``"bert"`` vocabularies, which store a word start ``x`` as ``▁x`` and drop ``##``).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

from . import bert_normalizer
from .base import AddedToken, AddedTokenSplitter, MalformedVocabError, TokenJoiningTokenizer
from .gguf_vocab import CONTROL, GGUFVocab
from .pipeline.decoders import WordPiece as WordPieceDecoder

BERT_SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
CONTINUING_PREFIX = "##"  # BERT's mark of a piece that continues a word


class WordPieceMatch(NamedTuple):
    """One step of the greedy longest match: ``word[start:end]`` is ``piece`` (None: no
    entry starts here), found after ``tried`` longer candidates were not in the vocabulary."""

    start: int
    end: int
    piece: str | None
    tried: int


class WordPieceTokenizer(TokenJoiningTokenizer):
    """BERT's basic tokenizer followed by greedy longest-match-first WordPiece."""

    def __init__(
        self,
        vocab: Sequence[str],
        *,
        lowercase: bool,
        strip_accents: bool | None = None,
        clean_text: bool = True,
        handle_chinese_chars: bool = True,
        unk_token: str = "[UNK]",
        continuing_prefix: str = CONTINUING_PREFIX,
        max_input_chars_per_word: int = 100,
        added_tokens: Iterable[AddedToken] = (),
        normalized_added_tokens: Iterable[AddedToken] = (),
        cls_token: str | None = "[CLS]",
        sep_token: str | None = "[SEP]",
        decode_cleanup: bool = True,
        name: str = "wordpiece",
    ):
        self.name = name
        self.vocab = list(vocab)  # id -> piece
        self.piece_ids = {piece: i for i, piece in enumerate(self.vocab)}
        self.lowercase = lowercase
        self.strip_accents = strip_accents
        self.clean_text = clean_text
        self.handle_chinese_chars = handle_chinese_chars
        self.continuing_prefix = continuing_prefix
        self.max_input_chars_per_word = max_input_chars_per_word
        self.decode_cleanup = decode_cleanup
        raw_added = list(added_tokens)
        normalized_added = list(normalized_added_tokens)
        self.added_tokens = raw_added + normalized_added
        self._added_by_id = {t.id: t for t in self.added_tokens}
        self._added_by_content = {t.content: t.id for t in self.added_tokens}
        # Tokens matched in the raw text (base.Tokenizer.encode) and, like the
        # "normalized" added tokens of Hugging Face, in the normalized text.
        self._raw_splitter = AddedTokenSplitter(raw_added)
        self._normalized_splitter = None
        if normalized_added:  # their content is normalized too before matching
            self._normalized_splitter = AddedTokenSplitter(
                replace(t, content=self._normalize(t.content)) for t in normalized_added
            )
        if unk_token not in self.piece_ids:
            raise MalformedVocabError(f"{name}: the unknown token {unk_token!r} is not in the vocabulary")
        self.unk_token = unk_token
        self.unk_id = self.piece_ids[unk_token]
        self.cls_id = self._required_id(cls_token)
        self.sep_id = self._required_id(sep_token)
        # The fast path beside the readable one: translate tables for the basic tokenizer
        # and a cache of every word's ids (tests check both against the readable path).
        self._basic_tokenizer = bert_normalizer.BasicTokenizer(
            lowercase, strip_accents=strip_accents, clean_text=clean_text, handle_chinese_chars=handle_chinese_chars
        )
        self._word_cache: dict[str, list[int]] = {}

    def _required_id(self, token: str | None) -> int | None:
        if token is None:
            return None
        found = self.token_to_id(token)
        if found is None:
            raise MalformedVocabError(f"{self.name}: special token {token!r} is not in the vocabulary")
        return found

    # ---- the algorithm --------------------------------------------------------------
    def wordpiece(self, word: str) -> list[str]:
        """Greedy longest-match-first: the pieces of one word (``[unk]`` if it cannot be cut)."""
        if len(word) > self.max_input_chars_per_word:
            return [self.unk_token]
        matches = self.longest_matches(word)
        if matches and matches[-1].piece is None:  # nothing fits somewhere: the whole word is unknown
            return [self.unk_token]
        return [match.piece for match in matches]

    def longest_matches(self, word: str) -> list[WordPieceMatch]:
        """The greedy longest match, step by step: from each start, the longest vocabulary
        entry (``##`` before it after the first) and how many longer candidates were tried
        first. A start where nothing fits ends the list with ``piece=None`` (the word is
        then ``[UNK]``). Does not apply ``max_input_chars_per_word`` (see :meth:`wordpiece`)."""
        matches = []
        start = 0
        while start < len(word):
            end = len(word)
            piece = None
            while start < end:  # try the longest candidate first, then shorten it
                candidate = word[start:end]
                if start > 0:
                    candidate = self.continuing_prefix + candidate
                if candidate in self.piece_ids:
                    piece = candidate
                    break
                end -= 1
            matches.append(WordPieceMatch(start, end, piece, len(word) - end))
            if piece is None:
                break
            start = end
        return matches

    def _normalize(self, text: str) -> str:
        return bert_normalizer.normalize(
            text,
            lowercase=self.lowercase,
            strip_accents=self.strip_accents,
            clean_text=self.clean_text,
            handle_chinese_chars=self.handle_chinese_chars,
        )

    def words(self, text: str) -> list[str | AddedToken]:
        """The basic tokenizer: normalized words (and normalized added tokens) of ``text``."""
        normalized = self._normalize(text)
        if self._normalized_splitter is None:
            return list(bert_normalizer.pre_tokenize(normalized))
        words: list[str | AddedToken] = []
        for segment, token in self._normalized_splitter.split(normalized):
            words.extend([token] if token is not None else bert_normalizer.pre_tokenize(segment))
        return words

    def _encode_ordinary(self, text: str) -> list[int]:
        """``words`` then ``wordpiece``, on the fast path: the translate-table basic tokenizer
        (unless normalized added tokens must be found) and the ids of every word seen."""
        if self._normalized_splitter is None:
            words: list[str | AddedToken] = self._basic_tokenizer.words(text)  # type: ignore[assignment]
        else:
            words = self.words(text)
        cache = self._word_cache
        ids: list[int] = []
        for word in words:
            cached = cache.get(word)  # type: ignore[arg-type]
            if cached is None:
                if isinstance(word, AddedToken):
                    ids.append(word.id)
                    continue
                cached = [self.piece_ids[p] for p in self.wordpiece(word)]
                if len(cache) < 500_000:
                    cache[word] = cached
            ids += cached
        return ids

    def _splitter(self) -> AddedTokenSplitter:
        return self._raw_splitter

    def _wrap(self, ids: list[int]) -> list[int]:
        front = [self.cls_id] if self.cls_id is not None else []
        back = [self.sep_id] if self.sep_id is not None else []
        return front + ids + back

    # ---- decoding -------------------------------------------------------------------
    def join_tokens(self, tokens: Sequence[str]) -> str:
        """Hugging Face's WordPiece decoder (:class:`.pipeline.decoders.WordPiece`): spaces
        between words, ``##`` pieces glued on, then the cleanup when ``decode_cleanup``."""
        return WordPieceDecoder(self.continuing_prefix, self.decode_cleanup).decode(list(tokens))

    # ---- vocabulary -----------------------------------------------------------------
    def token_to_id(self, token: str) -> int | None:
        if token in self._added_by_content:
            return self._added_by_content[token]
        return self.piece_ids.get(token)

    def id_to_token(self, id: int) -> str | None:
        if id in self._added_by_id:
            return self._added_by_id[id].content
        return self.vocab[id] if 0 <= id < len(self.vocab) else None

    @property
    def vocab_size(self) -> int:
        return max([len(self.vocab)] + [t.id + 1 for t in self.added_tokens])

    def to_tokenizer_json(self) -> dict:
        """This tokenizer as a Hugging Face ``tokenizer.json`` (:func:`.tokenizer_json.wordpiece`)."""
        from . import tokenizer_json

        raw = set(self._raw_splitter.tokens.values())
        return tokenizer_json.wordpiece(
            vocab=self.vocab,
            unk_token=self.unk_token,
            continuing_prefix=self.continuing_prefix,
            max_input_chars_per_word=self.max_input_chars_per_word,
            lowercase=self.lowercase,
            strip_accents=self.strip_accents,
            clean_text=self.clean_text,
            handle_chinese_chars=self.handle_chinese_chars,
            added_tokens=[t for t in self.added_tokens if t in raw],
            normalized_added_tokens=[t for t in self.added_tokens if t not in raw],
            cls=None if self.cls_id is None else (self.id_to_token(self.cls_id), self.cls_id),
            sep=None if self.sep_id is None else (self.id_to_token(self.sep_id), self.sep_id),
            decode_cleanup=self.decode_cleanup,
        )


# ---- loaders ------------------------------------------------------------------------
def _check_pieces(pieces: Sequence[str], source: str) -> None:
    if not pieces:
        raise MalformedVocabError(f"{source}: the vocabulary is empty")
    seen: dict[str, int] = {}
    for i, piece in enumerate(pieces):
        if piece == "":
            raise MalformedVocabError(f"{source}: entry {i} (line {i + 1}) is empty")
        if piece in seen:
            raise MalformedVocabError(f"{source}: piece {piece!r} appears twice (ids {seen[piece]} and {i})")
        seen[piece] = i


def _bert_added_tokens(pieces: Sequence[str]) -> list[AddedToken]:
    index = {p: i for i, p in enumerate(pieces)}
    return [AddedToken(t, index[t]) for t in BERT_SPECIAL_TOKENS if t in index]


def from_vocab_file(path: str | Path, lowercase: bool) -> WordPieceTokenizer:
    """A BERT tokenizer from ``vocab.txt`` (one piece a line, the line number is the id).

    ``lowercase=True`` for uncased models (lower-case and strip accents), ``False``
    for cased ones, as transformers' ``BertTokenizer(do_lower_case=...)``.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no vocabulary file at {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedVocabError(f"{path}: not UTF-8 text ({exc})") from exc
    pieces = text.split("\n")
    if pieces and pieces[-1] == "":  # the newline that ends the last line
        pieces.pop()
    _check_pieces(pieces, str(path))
    return WordPieceTokenizer(
        pieces, lowercase=lowercase, added_tokens=_bert_added_tokens(pieces), name=path.parent.name or "bert"
    )


def from_gguf_vocab(vocab: GGUFVocab) -> WordPieceTokenizer:
    """A BERT tokenizer from a llama.cpp ``"bert"`` GGUF vocabulary.

    llama.cpp's converter rewrites WordPiece pieces into SentencePiece style
    ("phantom space"): a word start ``x`` is stored as ``▁x``, a continuation ``##x``
    as ``x``, and bracketed tokens (``[CLS]``, ``[unused0]``) unchanged. This undoes
    it (for bge-small-en-v1.5 the result equals bert-base-uncased's ``vocab.txt``
    line for line). GGUF does not store the casing: llama.cpp always lower-cases,
    and so does this tokenizer.
    """
    pieces = []
    for token in vocab.tokens:
        if token.startswith("\u2581"):
            pieces.append(token[1:])
        elif token.startswith("[") and token.endswith("]"):
            pieces.append(token)
        else:
            pieces.append("##" + token)
    _check_pieces(pieces, str(vocab.path))
    ids = vocab.special_ids
    missing = [k for k in ("unknown", "cls", "separator") if k not in ids]
    if missing:
        raise MalformedVocabError(f"{vocab.path}: a bert vocabulary needs the {', '.join(missing)} token id(s)")
    if any(not 0 <= i < len(pieces) for i in ids.values()):
        raise MalformedVocabError(f"{vocab.path}: special token ids {ids} outside the vocabulary of {len(pieces)}")
    added = [AddedToken(pieces[i], i) for i, t in enumerate(vocab.token_types) if t == CONTROL]
    return WordPieceTokenizer(
        pieces,
        lowercase=True,
        added_tokens=added,
        unk_token=pieces[ids["unknown"]],
        cls_token=pieces[ids["cls"]],
        sep_token=pieces[ids["separator"]],
        name=vocab.path.stem,
    )


def from_tokenizer_json(path: str | Path) -> WordPieceTokenizer:
    """A tokenizer from a Hugging Face ``tokenizer.json`` whose model is WordPiece.

    Reads the parts such files use (all-MiniLM-L6-v2, all-mpnet-base-v2): the
    ``BertNormalizer`` flags, the ``BertPreTokenizer``, the WordPiece model, the added
    tokens with their flags (a ``normalized`` one is matched in the normalized text,
    like mpnet's ``<unk>``), the ``TemplateProcessing``/``RobertaProcessing`` that puts
    ``[CLS] ... [SEP]`` or ``<s> ... </s>`` around a sequence, and the WordPiece
    decoder. The stored ``truncation``/``padding`` are ignored, as transformers does
    when a text is encoded without asking for them.
    """
    path = Path(path)
    try:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
        model = spec["model"]
        if model.get("type") != "WordPiece":
            raise MalformedVocabError(f"{path}: model type {model.get('type')!r}, expected 'WordPiece'")
        vocab_map: dict[str, int] = model["vocab"]
        normalizer = spec.get("normalizer") or {}
        if normalizer and normalizer.get("type") != "BertNormalizer":
            raise MalformedVocabError(f"{path}: normalizer {normalizer.get('type')!r} is not supported")
        pre = spec.get("pre_tokenizer") or {}
        if pre.get("type") != "BertPreTokenizer":
            raise MalformedVocabError(f"{path}: pre-tokenizer {pre.get('type')!r} is not supported")
        added, normalized_added = [], []
        for entry in spec.get("added_tokens", []):
            token = AddedToken(
                entry["content"],
                int(entry["id"]),
                special=bool(entry.get("special", False)),
                single_word=bool(entry.get("single_word", False)),
                lstrip=bool(entry.get("lstrip", False)),
                rstrip=bool(entry.get("rstrip", False)),
            )
            (normalized_added if entry.get("normalized", False) else added).append(token)
        cls_token = sep_token = None
        post = spec.get("post_processor") or {}
        if post.get("type") == "TemplateProcessing":
            single = post["single"]
            cls_token = single[0]["SpecialToken"]["id"] if "SpecialToken" in single[0] else None
            sep_token = single[-1]["SpecialToken"]["id"] if "SpecialToken" in single[-1] else None
        elif post.get("type") in ("RobertaProcessing", "BertProcessing"):
            cls_token, sep_token = post["cls"][0], post["sep"][0]
        elif post:
            raise MalformedVocabError(f"{path}: post-processor {post.get('type')!r} is not supported")
        decoder = spec.get("decoder") or {}
        if decoder.get("type") != "WordPiece":
            raise MalformedVocabError(f"{path}: decoder {decoder.get('type')!r} is not supported (WordPiece)")
        prefix = model.get("continuing_subword_prefix", "##")
        unk = model.get("unk_token", "[UNK]")
        max_chars = int(model.get("max_input_chars_per_word", 100))
    except (KeyError, TypeError, IndexError, ValueError) as exc:
        if isinstance(exc, MalformedVocabError):
            raise
        raise MalformedVocabError(f"{path}: not a WordPiece tokenizer.json ({exc!r})") from exc
    size = max(vocab_map.values(), default=-1) + 1
    pieces = [""] * size
    for piece, i in vocab_map.items():
        pieces[i] = piece
    if "" in pieces or len(vocab_map) != size:
        raise MalformedVocabError(f"{path}: the WordPiece vocabulary's ids are not 0..{size - 1}")
    return WordPieceTokenizer(
        pieces,
        lowercase=bool(normalizer.get("lowercase", False)),
        strip_accents=normalizer.get("strip_accents"),
        clean_text=bool(normalizer.get("clean_text", True)) if normalizer else False,
        handle_chinese_chars=bool(normalizer.get("handle_chinese_chars", True)) if normalizer else False,
        unk_token=unk,
        continuing_prefix=prefix,
        max_input_chars_per_word=max_chars,
        added_tokens=added,
        normalized_added_tokens=normalized_added,
        cls_token=cls_token,
        sep_token=sep_token,
        decode_cleanup=bool(decoder.get("cleanup", True)),
        name=path.parent.name or "wordpiece",
    )
