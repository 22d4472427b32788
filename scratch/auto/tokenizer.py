"""``AutoTokenizer``: transformers' tokenizer interface over the tokenizer.json pipeline.

``AutoTokenizer.from_pretrained(name_or_path)`` gives a :class:`PreTrainedTokenizerFast`
for a hub id of :mod:`.hub` (the chapter's tokenizers, from tokemb's artifacts), a local folder
(``tokenizer.json`` with ``tokenizer_config.json`` / ``special_tokens_map.json``) or a
``tokenizer.json`` file. Underneath is :class:`scratch.tokenizers.pipeline.tokenizer.PipelineTokenizer`
(the five stages of ``tokenizers``), on the chapter tokenizers' fast path where one exists.

The tokenizer follows transformers 5's fast tokenizer (``TokenizersBackend`` in
transformers/tokenization_utils_tokenizers.py over ``PreTrainedTokenizerBase`` in
tokenization_utils_base.py):

* ``__call__`` decides the padding and truncation strategies as
  ``_get_padding_truncation_strategies`` does (``max_length`` alone turns on
  ``longest_first`` truncation; ``truncation`` without ``max_length`` cuts at
  ``model_max_length``, unless that is "no limit"; ``padding="max_length"`` without a
  length pads to ``model_max_length``; padding without a pad token is a ``ValueError``; a
  truncation length that is not a multiple of ``pad_to_multiple_of`` too), hands them to
  the backend for the whole batch as ``set_truncation_and_padding`` + ``encode_batch`` do
  (the pipeline's ``encode_batch_full``: truncation with stride and overflowing pieces,
  ``BatchLongest``/``Fixed`` padding on either side), then builds the
  :class:`~.batch_encoding.BatchEncoding` as ``_convert_encoding``: ``token_type_ids`` and
  ``attention_mask`` by default when the tokenizer class's ``model_input_names`` has them,
  the overflowing pieces as extra rows with ``overflow_to_sample_mapping``, and the batch
  axis removed for a single text (unless tensors or overflowing tokens are asked for);
* ``decode`` takes an int, a list, a batch, a tensor or an array; ``skip_special_tokens``
  drops the backend's special added tokens; ``clean_up_tokenization_spaces`` (default: the
  config's) runs transformers' ``clean_up_tokenization`` except on a BPE model, which
  transformers 5 leaves alone;
* BOS/EOS: where the config gives ``add_bos_token`` / ``add_eos_token`` (Llama-2, Phi-3), or the
  tokenizer.json has no post-processor, the post-processor becomes transformers'
  ``TemplateProcessing`` ``[bos] $A [eos]`` (:meth:`PreTrainedTokenizerFast.update_post_processor`),
  and setting either attribute later does it again, as ``TokenizersBackend`` does;
* ``vocab_size`` is the model's vocabulary without added tokens, ``len()`` the whole vocabulary;
* ``apply_chat_template`` renders the conversation with the chat format of
  :mod:`scratch.generation.chat` that the hub entry names (there is no Jinja here) and
  tokenizes it with ``add_special_tokens=False``; it returns a ``BatchEncoding`` by default
  (transformers 5's ``return_dict=True``).

Not built, refused with a clear error: pre-tokenized input (``is_split_into_words``),
``split_special_tokens=True``, ``text_target``, tensor types other than ``"pt"``/``"np"``.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any, Sequence

from scratch.errors import ModelNotAvailableError, TokembError

from . import hub
from .batch_encoding import BatchEncoding, to_tensor
from .hub import LARGE_INTEGER, SPECIAL_TOKEN_NAMES, HubEntry, TokenizerConfig

logger = logging.getLogger(__name__)

PADDING_STRATEGIES = ("longest", "max_length", "do_not_pad")
TRUNCATION_STRATEGIES = {"longest_first": "LongestFirst", "only_first": "OnlyFirst", "only_second": "OnlySecond"}

TEXT_INPUT_MESSAGE = (
    "text input must be of type `str` (single example), `list[str]` (batch or single pretokenized example) "
    "or `list[list[str]]` (batch of pretokenized examples) or `list[tuple[list[str], list[str]]]` (batch of "
    "pretokenized sequence pairs)."
)
NO_PAD_TOKEN_MESSAGE = (
    "Asking to pad but the tokenizer does not have a padding token. Please select a token to use as `pad_token` "
    "`(tokenizer.pad_token = tokenizer.eos_token e.g.)` or add a new pad token via "
    "`tokenizer.add_special_tokens({'pad_token': '[PAD]'})`."
)


class UnsupportedTokenizerOption(TokembError, ValueError):
    """A transformers tokenizer option that is not built here (named in the message)."""


def _padding_strategy(padding) -> str:
    if padding is True:
        return "longest"
    if padding is False or padding is None:
        return "do_not_pad"
    value = getattr(padding, "value", padding)  # a transformers PaddingStrategy enum
    if value not in PADDING_STRATEGIES:
        raise ValueError(f"{value!r} is not a valid PaddingStrategy, please select one of {list(PADDING_STRATEGIES)}")
    return value


def _truncation_strategy(truncation) -> str:
    if truncation is True:
        return "longest_first"
    if truncation is False or truncation is None:
        return "do_not_truncate"
    value = getattr(truncation, "value", truncation)
    if value != "do_not_truncate" and value not in TRUNCATION_STRATEGIES:
        choices = [*TRUNCATION_STRATEGIES, "do_not_truncate"]
        raise ValueError(f"{value!r} is not a valid TruncationStrategy, please select one of {choices}")
    return value


def _to_py(ids: Any) -> Any:
    """Tensors and arrays as (nested) lists of ints (transformers' ``to_py_obj``)."""
    if hasattr(ids, "tolist") and not isinstance(ids, (list, tuple)):
        return ids.tolist()
    if isinstance(ids, (list, tuple)):
        return [_to_py(i) for i in ids]
    return ids


def _is_text_input(t: Any) -> bool:
    return isinstance(t, str) or (isinstance(t, (list, tuple)) and all(isinstance(x, str) for x in t))


class PreTrainedTokenizerFast:
    """A tokenizer with transformers' interface (its fast tokenizer's), over the pipeline."""

    is_fast = True

    def __init__(self, backend, config: TokenizerConfig, name_or_path: str = ""):
        self.backend_tokenizer = backend
        self.name_or_path = name_or_path
        self.model_max_length = config.model_max_length
        self.padding_side = config.padding_side
        self.truncation_side = config.truncation_side
        self.clean_up_tokenization_spaces = config.clean_up_tokenization_spaces
        self.model_input_names = list(config.model_input_names)
        self.chat_format = config.chat_format
        self.config = config
        self._special: dict[str, str | None] = {name: getattr(config, name) for name in SPECIAL_TOKEN_NAMES}
        self.extra_special_tokens = list(config.extra_special_tokens)
        for side in (self.padding_side, self.truncation_side):
            if side not in ("left", "right"):
                raise ValueError(f"Padding/truncation side should be selected between 'right' and 'left', current value: {side}")
        self._add_bos_token = bool(config.add_bos_token)
        self._add_eos_token = bool(config.add_eos_token)
        if config.add_bos_token is not None or config.add_eos_token is not None or backend.post_processor is None:
            self.update_post_processor()

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(name_or_path='{self.name_or_path}', vocab_size={self.vocab_size}, "
                f"model_max_length={self.model_max_length}, padding_side='{self.padding_side}', "
                f"truncation_side='{self.truncation_side}', special_tokens={self.special_tokens_map})")  # fmt: skip

    # ---- special tokens ---------------------------------------------------------------------------
    def _get_token(self, name: str) -> str | None:
        return self._special[name]

    def _set_token(self, name: str, value: str | None) -> None:
        if value is not None and not isinstance(value, str):
            raise ValueError(f"Cannot set a non-string value as the {name}")
        self._special[name] = value

    def _get_id(self, name: str) -> int | None:
        token = self._special[name]
        return None if token is None else self.convert_tokens_to_ids(token)

    def _set_id(self, name: str, value: int | None) -> None:
        self._set_token(name, None if value is None else self.convert_ids_to_tokens(value))

    bos_token = property(lambda s: s._get_token("bos_token"), lambda s, v: s._set_token("bos_token", v))
    eos_token = property(lambda s: s._get_token("eos_token"), lambda s, v: s._set_token("eos_token", v))
    unk_token = property(lambda s: s._get_token("unk_token"), lambda s, v: s._set_token("unk_token", v))
    sep_token = property(lambda s: s._get_token("sep_token"), lambda s, v: s._set_token("sep_token", v))
    pad_token = property(lambda s: s._get_token("pad_token"), lambda s, v: s._set_token("pad_token", v))
    cls_token = property(lambda s: s._get_token("cls_token"), lambda s, v: s._set_token("cls_token", v))
    mask_token = property(lambda s: s._get_token("mask_token"), lambda s, v: s._set_token("mask_token", v))
    bos_token_id = property(lambda s: s._get_id("bos_token"), lambda s, v: s._set_id("bos_token", v))
    eos_token_id = property(lambda s: s._get_id("eos_token"), lambda s, v: s._set_id("eos_token", v))
    unk_token_id = property(lambda s: s._get_id("unk_token"), lambda s, v: s._set_id("unk_token", v))
    sep_token_id = property(lambda s: s._get_id("sep_token"), lambda s, v: s._set_id("sep_token", v))
    pad_token_id = property(lambda s: s._get_id("pad_token"), lambda s, v: s._set_id("pad_token", v))
    cls_token_id = property(lambda s: s._get_id("cls_token"), lambda s, v: s._set_id("cls_token", v))
    mask_token_id = property(lambda s: s._get_id("mask_token"), lambda s, v: s._set_id("mask_token", v))
    pad_token_type_id = 0

    @property
    def special_tokens_map(self) -> dict[str, str]:
        """The named special tokens that are set (transformers 5: extra ones not included)."""
        return {name: token for name, token in self._special.items() if token is not None}

    @property
    def all_special_tokens(self) -> list[str]:
        """Named special tokens, then the extra ones, each once, in that order."""
        return list(dict.fromkeys([*self.special_tokens_map.values(), *self.extra_special_tokens]))

    @property
    def all_special_ids(self) -> list[int]:
        return self.convert_tokens_to_ids(self.all_special_tokens)

    @property
    def extra_special_tokens_ids(self) -> list[int]:
        return self.convert_tokens_to_ids(self.extra_special_tokens)

    # ---- BOS / EOS ----------------------------------------------------------------------------------
    @property
    def add_bos_token(self) -> bool:
        return self._add_bos_token

    @add_bos_token.setter
    def add_bos_token(self, value: bool) -> None:
        self._add_bos_token = bool(value)
        self.update_post_processor()

    @property
    def add_eos_token(self) -> bool:
        return self._add_eos_token

    @add_eos_token.setter
    def add_eos_token(self, value: bool) -> None:
        self._add_eos_token = bool(value)
        self.update_post_processor()

    def update_post_processor(self) -> None:
        """Put BOS first and EOS last as ``add_bos_token`` / ``add_eos_token`` say, as transformers
        5's ``TokenizersBackend.update_post_processor`` does: the backend's post-processor becomes
        the ``TemplateProcessing`` ``[bos:0] $A:0 [eos:0]`` (pair: ``... [bos:1] $B:1 [eos:1]``),
        replacing the tokenizer.json's. transformers calls it when the config gives either flag,
        when the file has no post-processor, and when a flag is set; a flag whose token is not set
        is turned off. The fast path of a chapter tokenizer (``backend.fast``) is dropped when the
        template changes what the file's post-processor did, so that every path adds the same."""
        from scratch.tokenizers.pipeline.post_processors import post_processor_from_json

        if self.bos_token is None:
            self._add_bos_token = False
        if self.eos_token is None:
            self._add_eos_token = False
        spec = bos_eos_template(self.bos_token if self._add_bos_token else None, self.bos_token_id,
                                self.eos_token if self._add_eos_token else None, self.eos_token_id)  # fmt: skip
        backend = self.backend_tokenizer
        current = backend.post_processor.to_json() if backend.post_processor is not None else None
        if current == spec:
            return
        backend.post_processor = post_processor_from_json(spec)
        if getattr(backend, "fast", None) is not None:
            backend.fast = None

    # ---- the vocabulary ---------------------------------------------------------------------------
    @property
    def vocab_size(self) -> int:
        """The model's vocabulary, without the added tokens (``get_vocab_size(with_added_tokens=False)``)."""
        return self.backend_tokenizer.model.vocab_size

    def __len__(self) -> int:
        """The whole vocabulary, added tokens included."""
        return len(self.get_vocab())

    def __bool__(self) -> bool:
        return True

    def get_vocab(self) -> dict[str, int]:
        return self.backend_tokenizer.get_vocab()

    @property
    def vocab(self) -> dict[str, int]:
        return self.get_vocab()

    @property
    def added_tokens_encoder(self) -> dict[str, int]:
        return {t.content: t.id for t in sorted(self.backend_tokenizer.added_tokens, key=lambda t: t.id)}

    def get_added_vocab(self) -> dict[str, int]:
        return self.added_tokens_encoder

    def convert_tokens_to_ids(self, tokens: str | Sequence[str]) -> int | list[int] | None:
        """A token's id (the unknown token's id when it is not in the vocabulary), or a list of them."""
        if isinstance(tokens, str):
            found = self.backend_tokenizer.token_to_id(tokens)
            if found is not None:
                return found
            unk = self._special["unk_token"]
            return None if unk is None else self.backend_tokenizer.token_to_id(unk)
        return [self.convert_tokens_to_ids(t) for t in tokens]

    def convert_ids_to_tokens(self, ids: int | Sequence[int], skip_special_tokens: bool = False):
        """An id's token string (None for an id without one), or a list of them."""
        ids = _to_py(ids)
        if isinstance(ids, int):
            return self.backend_tokenizer.id_to_token(ids)
        skip = set(self.all_special_ids) if skip_special_tokens else set()
        return [self.backend_tokenizer.id_to_token(int(i)) for i in ids if int(i) not in skip]

    def convert_tokens_to_string(self, tokens: Sequence[str]) -> str:
        decoder = self.backend_tokenizer.decoder
        return decoder.decode(list(tokens)) if decoder is not None else " ".join(tokens)

    def num_special_tokens_to_add(self, pair: bool = False) -> int:
        post = self.backend_tokenizer.post_processor
        return post.added_tokens(pair) if post is not None else 0

    # ---- encoding ---------------------------------------------------------------------------------
    def _strategies(self, padding, truncation, max_length, pad_to_multiple_of, verbose=True):
        """transformers' ``_get_padding_truncation_strategies``."""
        if max_length is not None and padding is False and truncation is None:
            truncation = "longest_first"
        if padding is True and verbose and max_length is not None and truncation in (None, False, "do_not_truncate"):
            warnings.warn("`max_length` is ignored when `padding`=`True` and there is no truncation strategy. "
                          "To pad to max length, use `padding='max_length'`.")  # fmt: skip
        padding_strategy = _padding_strategy(padding)
        truncation_strategy = _truncation_strategy(truncation)
        if max_length is None:
            if padding_strategy == "max_length":
                if self.model_max_length > LARGE_INTEGER:
                    padding_strategy = "do_not_pad"
                else:
                    max_length = self.model_max_length
            if truncation_strategy != "do_not_truncate":
                if self.model_max_length > LARGE_INTEGER:
                    truncation_strategy = "do_not_truncate"
                else:
                    max_length = self.model_max_length
        if padding_strategy != "do_not_pad" and (self.pad_token is None or self.pad_token_id is None or self.pad_token_id < 0):
            raise ValueError(NO_PAD_TOKEN_MESSAGE)
        if (truncation_strategy != "do_not_truncate" and padding_strategy != "do_not_pad"
                and pad_to_multiple_of is not None and max_length is not None and max_length % pad_to_multiple_of):  # fmt: skip
            raise ValueError("Truncation and padding are both activated but truncation length "
                             f"({max_length}) is not a multiple of pad_to_multiple_of ({pad_to_multiple_of}).")  # fmt: skip
        return padding_strategy, truncation_strategy, max_length

    def _backend_settings(self, padding_strategy, truncation_strategy, max_length, stride, pad_to_multiple_of,
                          padding_side):  # fmt: skip
        """The backend's truncation and padding for one call (``set_truncation_and_padding``)."""
        from scratch.tokenizers.pipeline.truncation import Padding, Truncation

        truncation = None
        if truncation_strategy != "do_not_truncate":
            truncation = Truncation(max_length=max_length, strategy=TRUNCATION_STRATEGIES[truncation_strategy],
                                    stride=stride, direction=self.truncation_side.capitalize())  # fmt: skip
        padding = None
        if padding_strategy != "do_not_pad":
            side = padding_side if padding_side is not None else self.padding_side
            if side not in ("left", "right"):
                raise ValueError(f"padding_side should be 'left' or 'right', got {side!r}")
            padding = Padding(fixed=max_length if padding_strategy == "max_length" else None, direction=side.capitalize(),
                              pad_to_multiple_of=pad_to_multiple_of, pad_id=self.pad_token_id,
                              pad_type_id=self.pad_token_type_id, pad_token=self.pad_token)  # fmt: skip
        return truncation, padding

    def __call__(self, text=None, text_pair=None, add_special_tokens: bool = True, padding=False, truncation=None,
                 max_length: int | None = None, stride: int = 0, is_split_into_words: bool = False,
                 pad_to_multiple_of: int | None = None, padding_side: str | None = None,
                 return_tensors: str | None = None, return_token_type_ids: bool | None = None,
                 return_attention_mask: bool | None = None, return_overflowing_tokens: bool = False,
                 return_special_tokens_mask: bool = False, return_offsets_mapping: bool = False,
                 return_length: bool = False, verbose: bool = True, split_special_tokens: bool = False,
                 **kwargs) -> BatchEncoding:  # fmt: skip
        """Tokenize a text, a batch of texts, or pairs; see the module docstring for the rules."""
        if kwargs.get("text_target") is not None or kwargs.get("text_pair_target") is not None:
            raise UnsupportedTokenizerOption("text_target / text_pair_target are not supported here")
        unknown = set(kwargs) - {"text_target", "text_pair_target"}
        if unknown:
            raise TypeError(f"unexpected keyword arguments {sorted(unknown)}")
        if is_split_into_words:
            raise UnsupportedTokenizerOption("is_split_into_words=True (pre-tokenized input) is not supported here")
        if split_special_tokens:
            raise UnsupportedTokenizerOption("split_special_tokens=True is not supported here")
        if text is None:
            raise ValueError("You need to specify either `text` or `text_target`.")
        if return_tensors is not None and return_tensors not in ("pt", "np"):
            raise UnsupportedTokenizerOption(f"return_tensors={return_tensors!r}: only 'pt', 'np' or None here")
        padding_strategy, truncation_strategy, max_length = self._strategies(padding, truncation, max_length,
                                                                             pad_to_multiple_of, verbose)  # fmt: skip
        if not _is_text_input(text) or (text_pair is not None and not _is_text_input(text_pair)):
            raise ValueError(TEXT_INPUT_MESSAGE)
        is_batched = isinstance(text, (list, tuple))
        if is_batched:
            if isinstance(text_pair, str):
                raise TypeError("when tokenizing batches of text, `text_pair` must be a list or tuple with the same "
                                "length as `text`.")  # fmt: skip
            if text_pair is not None and len(text) != len(text_pair):
                raise ValueError(f"batch length of `text`: {len(text)} does not match batch length of `text_pair`: "
                                 f"{len(text_pair)}.")  # fmt: skip
            inputs = list(zip(text, text_pair)) if text_pair is not None else list(text)
        else:
            if isinstance(text_pair, (list, tuple)):
                raise ValueError(TEXT_INPUT_MESSAGE)
            inputs = [(text, text_pair)] if text_pair else [text]
        truncation_settings, padding_settings = self._backend_settings(
            padding_strategy, truncation_strategy, max_length, stride, pad_to_multiple_of, padding_side)
        backend = self.backend_tokenizer
        if truncation_settings is None and padding_settings is None:  # each text on its own: the same encodings
            pairs = [item if isinstance(item, tuple) else (item, None) for item in inputs]
            encodings = [backend.encode_full(a, b, add_special_tokens, truncate_and_pad=False) for a, b in pairs]
        else:
            encodings = backend.encode_batch_full(inputs, add_special_tokens=add_special_tokens,
                                                  truncation=truncation_settings, padding=padding_settings)  # fmt: skip
        wanted = {
            "token_type_ids": "token_type_ids" in self.model_input_names if return_token_type_ids is None else return_token_type_ids,
            "attention_mask": "attention_mask" in self.model_input_names if return_attention_mask is None else return_attention_mask,
            "special_tokens_mask": return_special_tokens_mask,
            "offset_mapping": return_offsets_mapping,
            "length": return_length,
        }  # fmt: skip
        data: dict[str, list] = {"input_ids": []}
        data.update({key: [] for key, on in wanted.items() if on})
        rows, sample_of_row = [], []
        for sample, encoding in enumerate(encodings):
            pieces = [encoding, *(getattr(encoding, "overflowing", None) or [])] if return_overflowing_tokens else [encoding]
            for e in pieces:
                rows.append(e)
                sample_of_row.append(sample)
                data["input_ids"].append(list(e.ids))
                if wanted["token_type_ids"]:
                    data["token_type_ids"].append(list(e.type_ids))
                if wanted["attention_mask"]:
                    data["attention_mask"].append(list(e.attention_mask))
                if wanted["special_tokens_mask"]:
                    data["special_tokens_mask"].append(list(e.special_tokens_mask))
                if wanted["offset_mapping"]:
                    data["offset_mapping"].append([tuple(o) for o in e.offsets])
                if wanted["length"]:
                    data["length"].append(len(e.ids))
        if return_overflowing_tokens:
            data["overflow_to_sample_mapping"] = sample_of_row
        for ids in data["input_ids"]:
            self._warn_if_too_long(ids, max_length, verbose)
        n_sequences = 2 if text_pair is not None else 1
        if not is_batched and return_tensors is None and not return_overflowing_tokens:
            data = {key: value[0] if value and isinstance(value[0], list) else value for key, value in data.items()}
        return BatchEncoding(data, rows, tensor_type=return_tensors, n_sequences=n_sequences)

    def _warn_if_too_long(self, ids: list[int], max_length: int | None, verbose: bool) -> None:
        """transformers' ``_eventual_warn_about_too_long_sequence``."""
        if max_length is None and len(ids) > self.model_max_length and verbose and self.model_max_length != 0:
            logger.warning("Token indices sequence length is longer than the specified maximum sequence length for "
                           f"this model ({len(ids)} > {self.model_max_length}). Running this sequence through the "
                           "model will result in indexing errors")  # fmt: skip

    def encode(self, text: str, text_pair: str | None = None, add_special_tokens: bool = True, padding=False,
               truncation=None, max_length: int | None = None, stride: int = 0, padding_side: str | None = None,
               return_tensors: str | None = None, **kwargs):  # fmt: skip
        """The ids of ``text`` (and ``text_pair``): ``self(...)["input_ids"]``."""
        return self(text, text_pair, add_special_tokens=add_special_tokens, padding=padding, truncation=truncation,
                    max_length=max_length, stride=stride, padding_side=padding_side, return_tensors=return_tensors,
                    **kwargs)["input_ids"]  # fmt: skip

    def tokenize(self, text: str, pair: str | None = None, add_special_tokens: bool = False, **kwargs) -> list[str]:
        """The token strings of ``text`` (no special tokens unless asked for)."""
        return self(text, pair, add_special_tokens=add_special_tokens, **kwargs).tokens()

    # ---- decoding ---------------------------------------------------------------------------------
    def decode(self, token_ids, skip_special_tokens: bool = False, clean_up_tokenization_spaces: bool | None = None,
               **kwargs) -> str | list[str]:  # fmt: skip
        """Ids back to text: one sequence (int, list, 1-D tensor or array) gives a str, a batch a list."""
        if kwargs:
            raise TypeError(f"decode() got unexpected keyword arguments {sorted(kwargs)}")
        token_ids = _to_py(token_ids)
        if isinstance(token_ids, dict):
            token_ids = token_ids["input_ids"]
        if isinstance(token_ids, list) and token_ids and isinstance(token_ids[0], list):
            return [self._decode(seq, skip_special_tokens, clean_up_tokenization_spaces) for seq in token_ids]
        return self._decode(token_ids, skip_special_tokens, clean_up_tokenization_spaces)

    def _decode(self, ids, skip_special_tokens: bool, clean_up_tokenization_spaces: bool | None) -> str:
        if isinstance(ids, int):
            ids = [ids]
        text = self.backend_tokenizer.decode([int(i) for i in ids], skip_special_tokens=skip_special_tokens)
        clean = self.clean_up_tokenization_spaces if clean_up_tokenization_spaces is None else clean_up_tokenization_spaces
        if clean and type(self.backend_tokenizer.model).__name__ != "BPE":
            text = clean_up_tokenization(text)
        return text

    def batch_decode(self, sequences, skip_special_tokens: bool = False,
                     clean_up_tokenization_spaces: bool | None = None) -> list[str]:  # fmt: skip
        sequences = _to_py(sequences)
        if len(sequences) == 0:
            return []
        result = self.decode(sequences, skip_special_tokens, clean_up_tokenization_spaces)
        return [result] if isinstance(result, str) else result

    # ---- padding already-encoded inputs -----------------------------------------------------------
    def pad(self, encoded_inputs, padding=True, max_length: int | None = None, pad_to_multiple_of: int | None = None,
            padding_side: str | None = None, return_attention_mask: bool | None = None,
            return_tensors: str | None = None) -> BatchEncoding:  # fmt: skip
        """Pad a dict (or list of dicts) of ``input_ids`` (and masks) as transformers' ``pad``:
        ids with ``pad_token_id``, ``token_type_ids`` with 0, ``attention_mask`` and
        ``special_tokens_mask`` with 0 and 1."""
        if isinstance(encoded_inputs, (list, tuple)) and encoded_inputs and isinstance(encoded_inputs[0], dict):
            encoded_inputs = {key: [example[key] for example in encoded_inputs] for key in encoded_inputs[0]}
        first = self.model_input_names[0]
        if first not in encoded_inputs:
            raise ValueError("You should supply an encoding or a list of encodings to this method that includes "
                             f"{first}, but you provided {list(encoded_inputs.keys())}")  # fmt: skip
        strategy, _, max_length = self._strategies(padding, False, max_length, pad_to_multiple_of)
        data = {key: _to_py(value) for key, value in encoded_inputs.items()}
        single = not (data[first] and isinstance(data[first][0], list))
        if single:
            data = {key: [value] for key, value in data.items()}
        want_mask = "attention_mask" in self.model_input_names if return_attention_mask is None else return_attention_mask
        if want_mask and "attention_mask" not in data:
            data["attention_mask"] = [[1] * len(ids) for ids in data[first]]
        target = max(len(ids) for ids in data[first]) if strategy == "longest" else max_length
        side = padding_side or self.padding_side
        fill = {first: self.pad_token_id, "token_type_ids": self.pad_token_type_id, "attention_mask": 0,
                "special_tokens_mask": 1}  # fmt: skip
        for i, ids in enumerate(data[first]):
            length = target if strategy != "do_not_pad" and target is not None else len(ids)
            if pad_to_multiple_of and length % pad_to_multiple_of:
                length += pad_to_multiple_of - length % pad_to_multiple_of
            n = length - len(ids)
            if n <= 0:
                continue
            for key in data:
                if key in fill:
                    row = data[key][i]
                    data[key][i] = row + [fill[key]] * n if side == "right" else [fill[key]] * n + row
        if single and return_tensors is None:
            data = {key: value[0] for key, value in data.items()}
        return BatchEncoding(data, tensor_type=return_tensors)

    # ---- chat -------------------------------------------------------------------------------------
    def apply_chat_template(self, conversation, add_generation_prompt: bool = False, tokenize: bool = True,
                            padding=False, truncation: bool = False, max_length: int | None = None,
                            return_tensors: str | None = None, return_dict: bool = True, **kwargs):  # fmt: skip
        """The conversation in the model's chat format; with ``tokenize`` its ids (a
        ``BatchEncoding`` when ``return_dict``), encoded without special tokens around it."""
        from scratch.generation.chat import CHAT_FORMATS

        if kwargs.get("chat_template") is not None or kwargs.get("tools") or kwargs.get("documents") \
                or kwargs.get("continue_final_message"):  # fmt: skip
            raise UnsupportedTokenizerOption("apply_chat_template: chat_template, tools, documents and "
                                             "continue_final_message are not supported (no Jinja here)")  # fmt: skip
        unknown = set(kwargs) - {"chat_template", "tools", "documents", "continue_final_message"}
        if unknown:
            raise TypeError(f"apply_chat_template() got unexpected keyword arguments {sorted(unknown)}")
        if self.chat_format is None:
            raise UnsupportedTokenizerOption(
                f"{self.name_or_path or 'this tokenizer'}: no chat template is known for it (its tokenizer_config has "
                f"no chat format built here; known: {', '.join(CHAT_FORMATS)} for microsoft/Phi-3-mini-4k-instruct "
                "and HuggingFaceTB/SmolLM2-135M-Instruct)")  # fmt: skip
        if isinstance(conversation, (list, tuple)) and len(conversation) == 0:
            raise ValueError("Cannot apply chat template to an empty conversation. Provide at least one message.")
        render = CHAT_FORMATS[self.chat_format].render
        batched = isinstance(conversation[0], (list, tuple))
        conversations = conversation if batched else [conversation]
        rendered = [render(list(c), add_generation_prompt) for c in conversations]
        text = rendered if batched else rendered[0]
        if not tokenize:
            return text
        out = self(text, padding=padding, truncation=truncation, max_length=max_length, add_special_tokens=False,
                   return_tensors=return_tensors)  # fmt: skip
        return out if return_dict else out["input_ids"]


def bos_eos_template(bos: str | None, bos_id: int | None, eos: str | None, eos_id: int | None) -> dict:
    """The ``tokenizer.json`` object ``tokenizers`` writes for transformers'
    ``TemplateProcessing(single="[bos:0 ]$A:0[ eos:0]", pair="<single>[ bos:1] $B:1[ eos:1]")``
    (``bos``/``eos`` None: not added)."""
    def piece(name: str, type_id: int, sequence: bool = False) -> dict:
        return {"Sequence" if sequence else "SpecialToken": {"id": name, "type_id": type_id}}

    def one(sequence: str, type_id: int) -> list[dict]:
        return [*([piece(bos, type_id)] if bos is not None else []), piece(sequence, type_id, sequence=True),
                *([piece(eos, type_id)] if eos is not None else [])]  # fmt: skip

    special = {}
    for token, token_id in ((bos, bos_id), (eos, eos_id)):
        if token is None:
            continue
        if token_id is None:
            raise ValueError(f"cannot add the special token {token!r}: it has no id in the vocabulary")
        special[token] = {"id": token, "ids": [token_id], "tokens": [token]}
    return {"type": "TemplateProcessing", "single": one("A", 0), "pair": one("A", 0) + one("B", 1),
            "special_tokens": dict(sorted(special.items()))}  # fmt: skip


def clean_up_tokenization(text: str) -> str:
    """transformers' ``clean_up_tokenization``: no space before . ? ! , and English contractions."""
    for old, new in ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                     (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")):  # fmt: skip
        text = text.replace(old, new)
    return text


# ---- loading ----------------------------------------------------------------------------------------
def cl100k_tokenizer_json(path: Path) -> dict:
    """cl100k_base as a ``tokenizer.json``, built as transformers' ``TikTokenConverter`` builds
    one (transformers/convert_slow_tokenizer.py), which is what Xenova/gpt-4's file is: the
    ranks as the vocabulary; as merges, every split of each token into two tokens, ordered by
    the token's rank and, for one token, by the ranks of its two halves; ``ignore_merges``; the
    cl100k split pattern, then ``ByteLevel`` without its own regex; the special tokens added
    (matched in the text) with tiktoken's ids, also in the model's vocabulary so that
    ``tokenizers`` keeps those ids (it renumbers added tokens the model does not know)."""
    from scratch.tokenizers.byte_bpe import CL100K_SPECIAL_TOKENS, read_tiktoken_ranks
    from scratch.tokenizers.bytes_to_unicode import spell

    ranks = read_tiktoken_ranks(path)
    merges: list[tuple[int, bytes, bytes]] = []
    for token, rank in ranks.items():
        halves = [(token[:i], token[i:]) for i in range(1, len(token)) if token[:i] in ranks and token[i:] in ranks]
        halves.sort(key=lambda h: (ranks[h[0]], ranks[h[1]]))
        merges.extend((rank, a, b) for a, b in halves)
    merges.sort(key=lambda m: m[0])  # stable: a token's merges keep their order
    specials = CL100K_SPECIAL_TOKENS
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for t, i in specials.items()],  # fmt: skip
        "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": CL100K_PATTERN}, "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": True,
                  "vocab": {**{spell(t): r for t, r in ranks.items()}, **specials},
                  "merges": [[spell(a), spell(b)] for _, a, b in merges]},
    }  # fmt: skip


#: cl100k_base's split pattern as transformers' ``TikTokenConverter`` writes it (its default).
CL100K_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")  # fmt: skip


def _backend_of(entry: HubEntry):
    """The pipeline tokenizer of a hub entry (and the folder holding its files, if any)."""
    from scratch import tokenizers
    from scratch.artifacts import fetch, fetch_file
    from scratch.tokenizers.pipeline.tokenizer import PipelineTokenizer

    if entry.kind == "pretrained":
        return PipelineTokenizer.of(tokenizers.load(entry.source)), None
    if entry.kind == "tiktoken":
        path = tokenizers.pretrained_path(entry.source)
        return PipelineTokenizer.from_json(cl100k_tokenizer_json(path), name=entry.hub_id), None
    if entry.kind == "file":
        return PipelineTokenizer.from_file(fetch_file(entry.source, "tokenizer.json")), None
    folder = fetch(entry.source)
    return PipelineTokenizer.from_file(folder / "tokenizer.json"), folder


CONFIG_OVERRIDES = set(TokenizerConfig.__dataclass_fields__) - {"chat_format", "tokenizer_class"}
IGNORED_KWARGS = {"use_fast", "trust_remote_code", "revision", "cache_dir", "local_files_only", "token", "legacy"}


class AutoTokenizer:
    """``AutoTokenizer.from_pretrained(name_or_path, **kwargs)``: see the module docstring."""

    def __init__(self):
        raise OSError("AutoTokenizer is designed to be instantiated using the "
                      "`AutoTokenizer.from_pretrained(pretrained_model_name_or_path)` method.")  # fmt: skip

    @classmethod
    def from_pretrained(cls, pretrained_model_name_or_path: str | Path, *inputs, **kwargs) -> PreTrainedTokenizerFast:
        """A tokenizer for a known hub id, a local folder or a ``tokenizer.json`` file.
        Keyword arguments override the config as in transformers (``padding_side="left"``,
        ``model_max_length=...``, ``pad_token=...``); others are refused naming them."""
        from scratch.tokenizers.pipeline.tokenizer import PipelineTokenizer

        if inputs:
            raise TypeError("from_pretrained takes no positional arguments after the name or path")
        unknown = set(kwargs) - CONFIG_OVERRIDES - IGNORED_KWARGS
        if unknown:
            raise UnsupportedTokenizerOption(f"from_pretrained: options {sorted(unknown)} are not supported here")
        found = hub.resolve(pretrained_model_name_or_path)
        if isinstance(found, HubEntry):
            backend, folder = _backend_of(found)
            config = hub.folder_config(folder, found.config) if folder is not None else found.config
        elif found.is_dir():
            if not (found / "tokenizer.json").is_file():
                raise ModelNotAvailableError(f"{found}: no tokenizer.json in this folder (only folders with a "
                                                 "tokenizer.json are read here)")  # fmt: skip
            backend, config = PipelineTokenizer.from_file(found / "tokenizer.json"), hub.folder_config(found)
        else:
            backend, config = PipelineTokenizer.from_file(found), TokenizerConfig()
        overrides = {k: (tuple(v) if k == "extra_special_tokens" else v) for k, v in kwargs.items() if k in CONFIG_OVERRIDES}
        if overrides:
            from dataclasses import replace

            config = replace(config, **overrides)
        return PreTrainedTokenizerFast(backend, config, name_or_path=str(pretrained_model_name_or_path))

