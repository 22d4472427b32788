"""A tokenizer as ``tokenizers`` builds it from ``tokenizer.json``: the stages put together.

:class:`PipelineTokenizer` runs, for each sequence (``TokenizerImpl::encode_single_sequence``):

1. the added vocabulary cuts out the non-normalized added tokens from the raw text;
2. the normalizer rewrites each remaining piece, and the normalized added tokens are cut
   out of it;
3. the pre-tokenizer splits each piece that is not an added token into words;
4. the model turns each word into tokens, whose offsets go back to the original text
   through the alignments the normalizer kept;

then truncation (if set), the post-processor (special tokens, pairs), padding (if set).
Decoding maps ids to token strings (an added token as its normalized form), drops the
special ones if asked, and hands the strings to the decoder (without one: joined by
spaces), as ``TokenizerImpl::decode`` does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from ...files import TextDecodeError, read_text
from ..base import AddedToken, MalformedVocabError, Tokenizer, check_valid_text
from .added_vocabulary import AddedTokenSpec, AddedVocabulary, added_tokens_json
from .decoders import Decoder, decoder_from_json
from .encoding import Encoding
from .models import Model, model_from_json
from .normalized import NormalizedString
from .normalizers import Normalizer, normalizer_from_json
from .post_processors import PostProcessor, post_processor_from_json
from .pre_tokenizers import PreTokenizer, pre_tokenizer_from_json
from .spec import UnsupportedComponentError
from .truncation import Padding, Truncation

KEYS = ("version", "truncation", "padding", "added_tokens", "normalizer", "pre_tokenizer", "post_processor", "decoder", "model")


class PipelineTokenizer(Tokenizer):
    """normalizer -> pre-tokenizer -> model -> post-processor, and a decoder back."""

    def __init__(
        self,
        model: Model,
        normalizer: Normalizer | None = None,
        pre_tokenizer: PreTokenizer | None = None,
        post_processor: PostProcessor | None = None,
        decoder: Decoder | None = None,
        added_tokens: Sequence[AddedTokenSpec] = (),
        truncation: Truncation | None = None,
        padding: Padding | None = None,
        name: str = "tokenizer.json",
    ):
        self.model = model
        self.normalizer = normalizer
        self.pre_tokenizer = pre_tokenizer
        self.post_processor = post_processor
        self.decoder = decoder
        self.truncation = truncation
        self.padding = padding
        self.name = name
        #: A specialised tokenizer proven to give the same ids (see
        #: :func:`..folders.fast_equivalent`): :meth:`encode` runs on it when set.
        self.fast: Tokenizer | None = None
        self.added_vocabulary = AddedVocabulary(added_tokens, normalizer.normalize_str if normalizer else None)

    # ---- reading and writing tokenizer.json --------------------------------------------------
    @classmethod
    def from_json(cls, spec: object, name: str = "tokenizer.json") -> PipelineTokenizer:
        """Build every stage of a parsed ``tokenizer.json``; refuse what is not built
        (:class:`UnsupportedComponentError` naming the stage and component)."""
        if not isinstance(spec, dict) or "model" not in spec:
            raise MalformedVocabError(f"{name}: not a tokenizer.json (an object with a 'model')")
        unknown = set(spec) - set(KEYS)
        if unknown:
            raise UnsupportedComponentError(f"{name}: unknown top-level fields {sorted(unknown)}")
        added = spec.get("added_tokens") or []
        if not isinstance(added, list):
            raise MalformedVocabError(f"{name}: 'added_tokens' should be a list")
        return cls(
            model=model_from_json(spec["model"]),
            normalizer=normalizer_from_json(spec.get("normalizer")),
            pre_tokenizer=pre_tokenizer_from_json(spec.get("pre_tokenizer")),
            post_processor=post_processor_from_json(spec.get("post_processor")),
            decoder=decoder_from_json(spec.get("decoder")),
            added_tokens=[AddedTokenSpec.from_json(t) for t in added],
            truncation=Truncation.from_json(spec.get("truncation")),
            padding=Padding.from_json(spec.get("padding")),
            name=name,
        )

    @classmethod
    def of(cls, tokenizer: Tokenizer) -> PipelineTokenizer:
        """One of the chapter's specialised tokenizers as the five stages: the pipeline its own
        :meth:`~..base.Tokenizer.to_tokenizer_json` describes, with ``encode`` on its fast path
        (tests prove the two paths give the same ids). :class:`~..base.NotExpressibleError` for a
        tokenizer a ``tokenizer.json`` cannot describe."""
        pipeline = cls.from_json(tokenizer.to_tokenizer_json(), name=tokenizer.name)
        pipeline.fast = tokenizer
        return pipeline

    @classmethod
    def from_file(cls, path: str | Path) -> PipelineTokenizer:
        path = Path(path)
        try:
            spec = json.loads(read_text(path))
        except (TextDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise MalformedVocabError(f"{path}: not a valid tokenizer.json ({exc})") from None
        try:
            return cls.from_json(spec, name=path.name)
        except MalformedVocabError as exc:
            raise type(exc)(f"{path}: {exc}") from exc

    def to_json(self) -> dict:
        """The ``tokenizer.json`` structure (what ``tokenizers.Tokenizer.to_str`` writes)."""
        return {
            "version": "1.0",
            "truncation": self.truncation.to_json() if self.truncation else None,
            "padding": self.padding.to_json() if self.padding else None,
            "added_tokens": added_tokens_json(self.added_vocabulary.tokens),
            "normalizer": self.normalizer.to_json() if self.normalizer else None,
            "pre_tokenizer": self.pre_tokenizer.to_json() if self.pre_tokenizer else None,
            "post_processor": self.post_processor.to_json() if self.post_processor else None,
            "decoder": self.decoder.to_json() if self.decoder else None,
            "model": self.model.to_json(),
        }

    def to_tokenizer_json(self) -> dict:
        """What :meth:`~..base.Tokenizer.save` writes: :meth:`to_json`."""
        return self.to_json()

    # ---- encoding -------------------------------------------------------------------------------
    def pieces_of(self, text: str) -> list[tuple[NormalizedString, AddedTokenSpec | None]]:
        """Steps 1-3: the pre-tokens of ``text`` (and the added tokens found between them)."""
        pieces: list[tuple[NormalizedString, AddedTokenSpec | None]] = []
        for raw, token in self.added_vocabulary.split_raw(NormalizedString(text)):
            if token is not None:
                pieces.append((raw, token))
                continue
            if self.normalizer is not None:
                self.normalizer.normalize(raw)
            pieces.extend(self.added_vocabulary.split_normalized(raw))
        words: list[tuple[NormalizedString, AddedTokenSpec | None]] = []
        for piece, token in pieces:
            if not piece.normalized:
                continue  # tokenizers drops empty splits
            if token is not None or self.pre_tokenizer is None:
                words.append((piece, token))
            else:
                words.extend((word, None) for word in self.pre_tokenizer.pre_tokenize([piece]) if word.normalized)
        return words

    def encode_sequence(self, text: str, type_id: int = 0) -> Encoding:
        """One sequence through steps 1-4, without special tokens (``encode_single_sequence``)."""
        if not isinstance(text, str):
            raise TypeError(f"{self.name}.encode expects a str, got {type(text).__name__}")
        check_valid_text(text, f"{self.name}.encode")
        encoding = Encoding()
        for word_index, (word, token) in enumerate(self.pieces_of(text)):
            if token is not None:
                encoding.append(token.id, word.normalized, word.original_span(0, len(word)), type_id, False, word_index)
                continue
            for t in self.model.tokenize(word.normalized):
                encoding.append(t.id, t.value, word.original_span(*t.offsets), type_id, False, word_index)
        return encoding

    def encode_full(self, text: str, pair: str | None = None, add_special_tokens: bool = True,
                    truncate_and_pad: bool = True) -> Encoding:  # fmt: skip
        """The whole :class:`Encoding` of ``text`` (or of the pair ``text``, ``pair``), as
        ``tokenizers.Tokenizer.encode`` returns it: with the file's truncation and padding
        unless ``truncate_and_pad`` is false (what transformers does, see :meth:`encode`)."""
        encoding = self.encode_sequence(text, 0)
        second = self.encode_sequence(pair, 1) if pair is not None else None
        if self.truncation is not None and truncate_and_pad:
            added = self.post_processor.added_tokens(second is not None) if self.post_processor else 0
            limit = self.truncation.max_length - added if add_special_tokens and added else self.truncation.max_length
            self.truncation.truncate(encoding, second, max(limit, 0))
        if self.post_processor is not None:
            encoding = self.post_processor.process(encoding, second, add_special_tokens)
        elif second is not None:
            encoding.extend(second)
        if self.padding is not None and truncate_and_pad:
            self.padding.pad(encoding)
        return encoding

    def encode(self, text: str, add_special_tokens: bool = True) -> list[int]:
        """Token ids as transformers' ``PreTrainedTokenizerFast(tokenizer_file=...)(text)["input_ids"]``:
        the truncation and padding stored in the file are not applied (transformers turns them
        off and asks for them per call); :meth:`encode_full` applies them, as ``tokenizers`` does."""
        if self.fast is not None:
            return self.fast.encode(text, add_special_tokens=add_special_tokens)
        return self.encode_full(text, add_special_tokens=add_special_tokens, truncate_and_pad=False).ids

    def tokenize(self, text: str) -> list[str]:
        return self.encode_full(text, add_special_tokens=False, truncate_and_pad=False).tokens

    # ---- decoding -------------------------------------------------------------------------------
    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False) -> str:
        ids = self._checked_ids(ids)
        # As the reference, a token is skipped by its string: a special token the normalizer
        # respells (a ``normalized`` one, given to the decoder as its normalized form) is kept.
        special = {t.content for t in self.added_vocabulary.tokens if t.special}
        tokens = [self.id_to_token(i, for_decoder=True) for i in ids]
        if skip_special_tokens:
            tokens = [t for t in tokens if t not in special]
        if self.decoder is None:
            return " ".join(tokens)
        return self.decoder.decode(tokens)

    # ---- the vocabulary ---------------------------------------------------------------------------
    @property
    def added_tokens(self):  # the base class's view: content, id and flags
        return [AddedToken(t.content, t.id, t.special, t.single_word, t.lstrip, t.rstrip) for t in self.added_vocabulary.tokens]

    def token_to_id(self, token: str) -> int | None:
        found = self.added_vocabulary.by_content.get(token)
        return found if found is not None else self.model.token_to_id(token)

    def id_to_token(self, id: int, for_decoder: bool = False) -> str | None:
        if id in self.added_vocabulary.by_id:
            if for_decoder:
                return self.added_vocabulary.decoder_form(id)
            return self.added_vocabulary.by_id[id].content
        return self.model.id_to_token(id)

    def get_vocab(self) -> dict[str, int]:
        vocab = dict(self.model.get_vocab())
        vocab.update(self.added_vocabulary.by_content)
        return vocab

    @property
    def vocab_size(self) -> int:
        """Like ``get_vocab_size(with_added_tokens=True)``: one past the highest id."""
        model_size = self.model.vocab_size
        ids = list(self.added_vocabulary.by_id)
        return max([model_size, *(i + 1 for i in ids)])


def from_tokenizer_json(path: str | Path) -> PipelineTokenizer:
    """Any ``tokenizer.json`` that ``tokenizers`` loads, built from scratch (or refused at load)."""
    return PipelineTokenizer.from_file(path)
