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
from .added_vocabulary import AddedTokenSpec, AddedVocabulary, added_tokens_json, ids_as_loaded
from .decoders import Decoder, decoder_from_json
from .encoding import Encoding
from .models import Model, model_from_json
from .normalized import NormalizedString
from .normalizers import Normalizer, normalizer_from_json
from .post_processors import (
    BertProcessing,
    ByteLevel,
    PostProcessor,
    RobertaProcessing,
    TemplateProcessing,
    post_processor_from_json,
)
from .post_processors import Sequence as SequenceProcessor
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
        model = model_from_json(spec["model"])
        return cls(
            model=model,
            normalizer=normalizer_from_json(spec.get("normalizer")),
            pre_tokenizer=pre_tokenizer_from_json(spec.get("pre_tokenizer")),
            post_processor=post_processor_from_json(spec.get("post_processor")),
            decoder=decoder_from_json(spec.get("decoder")),
            # the ids tokenizers gives them on load, not the ones written beside them
            added_tokens=ids_as_loaded([AddedTokenSpec.from_json(t) for t in added], model.token_to_id,
                                       model.vocab_size),  # fmt: skip
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
        ``tokenizers.Tokenizer.encode`` returns it: with the tokenizer's truncation (the cut
        tokens in ``overflowing``) and padding unless ``truncate_and_pad`` is false (what
        transformers does, see :meth:`encode`)."""
        truncation, padding = (self.truncation, self.padding) if truncate_and_pad else (None, None)
        return self._encode_one(text, pair, add_special_tokens, truncation, padding)

    def encode_batch_full(self, inputs: Sequence[str | tuple[str, str]], add_special_tokens: bool = True,
                          truncation: Truncation | None = None, padding: Padding | None = None) -> list[Encoding]:  # fmt: skip
        """The encodings of ``inputs`` (a list or tuple of texts, or of pairs as 2-tuples or 2-lists), as
        ``tokenizers.Tokenizer.encode_batch`` returns them with ``truncation`` and ``padding``
        enabled (``None``: off; the tokenizer's own settings are not used): each input is
        encoded, truncated, post-processed and padded alone (``TokenizerImpl::encode``),
        then the batch is padded together (``BatchLongest``: to the longest of the batch)."""
        if isinstance(inputs, str) or not isinstance(inputs, Sequence):
            raise TypeError(f"{self.name}.encode_batch expects a list of texts or pairs, got {type(inputs).__name__}")
        encodings = []
        for item in inputs:
            if isinstance(item, str):
                first, second = item, None
            elif isinstance(item, (tuple, list)) and len(item) == 2:
                first, second = item
            else:
                raise TypeError(f"{self.name}.encode_batch: each input is a str or a pair of str, got {item!r:.60}")
            encodings.append(self._encode_one(first, second, add_special_tokens, truncation, padding))
        if padding is not None:
            padding.pad_batch(encodings)
        return encodings

    def _encode_one(self, text: str, pair: str | None, add_special_tokens: bool, truncation: Truncation | None,
                    padding: Padding | None) -> Encoding:  # fmt: skip
        """``TokenizerImpl::encode``: each sequence, then :meth:`_post_process`."""
        encoding = self.encode_sequence(text, 0)
        second = self.encode_sequence(pair, 1) if pair is not None else None
        return self._post_process(encoding, second, add_special_tokens, truncation, padding)

    def post_process(self, encoding: Encoding, pair: Encoding | None = None, add_special_tokens: bool = True) -> Encoding:
        """``tokenizers.Tokenizer.post_process``: the tokenizer's truncation, post-processor and
        padding applied to copies of encodings made without them."""
        for e in (encoding, pair):
            if e is not None and not isinstance(e, Encoding):
                raise TypeError(f"post_process expects Encoding objects, got {type(e).__name__}")
        return self._post_process(encoding.clone(), pair.clone() if pair is not None else None, add_special_tokens,
                                  self.truncation, self.padding)  # fmt: skip

    def _post_process(self, encoding: Encoding, second: Encoding | None, add_special_tokens: bool,
                      truncation: Truncation | None, padding: Padding | None) -> Encoding:  # fmt: skip
        """``TokenizerImpl::post_process``: truncate (leaving room for the post-processor's
        special tokens), post-process, pad."""
        if truncation is not None:
            added = self.post_processor.added_tokens(second is not None) if self.post_processor else 0
            max_length = truncation.max_length - added if add_special_tokens and added else truncation.max_length
            # Negative: the reference's unsigned subtraction wraps around to a huge limit,
            # so nothing is cut (max_length 1 on BERT keeps every token).
            if max_length >= 0:
                truncation.truncate(encoding, second, max_length)
        encoding = apply_post_processor(self.post_processor, encoding, second, add_special_tokens)
        if padding is not None:
            padding.pad_batch([encoding])
        return encoding

    # ---- tokenizers' truncation and padding settings ---------------------------------------------
    def enable_truncation(self, max_length: int, stride: int = 0, strategy: str = "longest_first",
                          direction: str = "right") -> None:  # fmt: skip
        """``tokenizers.Tokenizer.enable_truncation``: :meth:`encode_full` truncates from now
        on. As the reference, a ``stride`` above ``max_length`` minus the special tokens of a
        single sequence is refused (:class:`ValueError`)."""
        truncation = Truncation.from_arguments(max_length, stride, strategy, direction)
        added = self.post_processor.added_tokens(False) if self.post_processor else 0
        if 0 <= max_length - added < stride:  # negative: wraps around in the reference, no check
            raise ValueError(
                f"tokenizer stride set to {stride}, which is greater than or equal to its effective max length of "
                f"{max_length - added} (= {max_length} original max length - {added} added special tokens), "
            )
        self.truncation = truncation

    def no_truncation(self) -> None:
        self.truncation = None

    def enable_padding(self, direction: str = "right", pad_id: int = 0, pad_type_id: int = 0, pad_token: str = "[PAD]",
                       length: int | None = None, pad_to_multiple_of: int | None = None) -> None:  # fmt: skip
        """``tokenizers.Tokenizer.enable_padding`` (``length=None``: to the longest of each batch)."""
        self.padding = Padding.from_arguments(direction, pad_id, pad_type_id, pad_token, length, pad_to_multiple_of)

    def no_padding(self) -> None:
        self.padding = None

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


# ---- post-processing with overflowing pieces and sequence ranges ----------------------------------
#
# The post-processors (post_processors.py) turn the model's encodings into the final ones. What
# ``tokenizers`` also does at that step, and they leave to this module: give the overflowing
# pieces of each encoding the same special tokens, record which tokens belong to which sequence
# (``sequence_ranges``), and merge the encodings with their pieces combined (``Encoding::merge``).


def apply_post_processor(processor: PostProcessor | None, encoding: Encoding, pair: Encoding | None,
                 add_special_tokens: bool) -> Encoding:  # fmt: skip
    """The final encoding of ``encoding`` (and ``pair``), overflowing pieces included.

    ``PostProcessor::process`` (``tokenizer/mod.rs``): each sequence gets sequence id and type
    id ``i`` (0, then 1; on its pieces too), the processor maps the list, and the result is
    merged without moving offsets (each stays in its own text). Without a processor one
    sequence is returned as it is (no sequence ranges) and a pair is merged
    (``default_process``)."""
    encodings = [encoding] if pair is None else [encoding, pair]
    if processor is None:
        if pair is None:
            return encoding
        for i, e in enumerate(encodings):
            e.set_sequence_id(i)
        return Encoding.merge(encodings, growing_offsets=False)
    for i, e in enumerate(encodings):
        e.set_sequence_id(i)
        e.type_ids = [i] * len(e)
        for piece in e.overflowing:
            piece.set_sequence_id(i)
    return Encoding.merge(process_encodings(processor, encodings, add_special_tokens), growing_offsets=False)


def process_encodings(processor: PostProcessor, encodings: list[Encoding], add_special_tokens: bool) -> list[Encoding]:
    """``processor.process_encodings`` with what the reference's processors do besides the
    tokens, output by output (each output comes from one input, or from none: a template's
    special tokens):

    * an output's overflowing pieces are the processor's output for each piece of its input,
      put in that input's place (``bert.rs``/``roberta.rs`` wrap each piece; ``template.rs``
      clones the sequence with its pieces; ``ByteLevel`` and ``RobertaProcessing`` trim the
      pieces' offsets, each piece on its own);
    * type ids: a template sets them on the sequence but not on its pieces, which keep
      theirs (sequence index); so does ``RobertaProcessing`` without special tokens;
    * sequence ranges: ``BertProcessing``/``RobertaProcessing`` with special tokens record the
      sequence's tokens between the special ones (index 0 for the first output, 1 for the
      others); a template's sequence and ``ByteLevel`` add a range over the whole output
      (for ``ByteLevel``, under the output's index); the rest keep their input's.
    """
    if isinstance(processor, SequenceProcessor):
        for step in processor.processors:
            encodings = process_encodings(step, encodings, add_special_tokens)
        return encodings
    outputs = processor.process_encodings(encodings, add_special_tokens)
    sources = _sources(processor, len(encodings), add_special_tokens)
    for index, (output, source) in enumerate(zip(outputs, sources)):
        output.attention_mask = [1] * len(output)
        if source is None:  # a template's special tokens
            continue
        given = encodings[source]
        output.sequence_ranges = _ranges(processor, index, source, output, given, add_special_tokens, piece=False)
        for piece in given.overflowing:
            replaced = list(encodings)
            replaced[source] = piece
            out = processor.process_encodings(replaced, add_special_tokens)[index]
            out.attention_mask = [1] * len(out)
            keeps_type_ids = isinstance(processor, TemplateProcessing) or (
                isinstance(processor, RobertaProcessing) and not add_special_tokens)
            if keeps_type_ids:
                out.type_ids = list(piece.type_ids)
            out.sequence_ranges = _ranges(processor, index, source, out, piece, add_special_tokens, piece=True)
            output.overflowing.append(out)
    return outputs


def _sources(processor: PostProcessor, n: int, add_special_tokens: bool) -> list[int | None]:
    """For each output of ``processor.process_encodings`` on ``n`` encodings, the input it
    comes from (``None``: a template's special tokens)."""
    if isinstance(processor, TemplateProcessing):
        template = processor.pair if n == 2 else processor.single
        return [(0 if p.id == "A" else 1) if p.is_sequence else None for p in template if p.is_sequence or add_special_tokens]
    return list(range(n))


def _ranges(processor: PostProcessor, index: int, source: int, output: Encoding, given: Encoding,
            add_special_tokens: bool, piece: bool) -> dict[int, tuple[int, int]]:  # fmt: skip
    """The sequence ranges of one output (or of one of its overflowing pieces, ``piece``)."""
    length = len(output)
    if isinstance(processor, (BertProcessing, RobertaProcessing)) and add_special_tokens:
        if index == 0:
            return {0: (1, length - 1)}
        return {1: (0 if isinstance(processor, BertProcessing) else 1, length - 1)}
    if piece or not isinstance(processor, (TemplateProcessing, ByteLevel)):
        return dict(given.sequence_ranges)
    return {**given.sequence_ranges, (source if isinstance(processor, TemplateProcessing) else index): (0, length)}


def from_tokenizer_json(path: str | Path) -> PipelineTokenizer:
    """Any ``tokenizer.json`` that ``tokenizers`` loads, built from scratch (or refused at load)."""
    return PipelineTokenizer.from_file(path)
