"""``BatchEncoding``: what a tokenizer call returns, shaped like transformers' class of that name.

A dict of the model's inputs (``input_ids``, ``token_type_ids``, ``attention_mask``, and on
request ``special_tokens_mask``, ``offset_mapping``, ``length``,
``overflow_to_sample_mapping``), in that order, with attribute access (``enc.input_ids``),
the :class:`~scratch.tokenizers.pipeline.encoding.Encoding` of each row (``enc.encodings``,
``enc[0]``) and the alignment helpers transformers' fast tokenizers give (``tokens``,
``word_ids``, ``sequence_ids``, ``token_to_chars``, ``char_to_token``, ``word_to_tokens``, ...),
which ask those encodings. ``convert_to_tensors`` follows
``BatchEncoding.convert_to_tensors`` (transformers/tokenization_utils_base.py): ``"pt"`` makes
``torch.tensor`` of each value (int64 for ids; a ragged batch raises transformers'
``ValueError``), ``"np"`` ``numpy.asarray`` (a ragged batch becomes an object array of rows,
as the reference does).

It is a ``dict`` subclass (transformers' is a ``UserDict``): ``model(**enc)``, ``enc.keys()``,
``enc.items()`` work the same.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Sequence


class CharSpan(NamedTuple):
    """Characters ``[start, end)`` of the original text (transformers' ``CharSpan``)."""

    start: int
    end: int


class TokenSpan(NamedTuple):
    """Tokens ``[start, end)`` of an encoding (transformers' ``TokenSpan``)."""

    start: int
    end: int


TENSOR_TYPES = ("pt", "np")

RAGGED_MESSAGE = (
    "Unable to create tensor, you should probably activate truncation and/or padding with"
    " 'padding=True' 'truncation=True' to have batched tensors with the same length. Perhaps your"
    " features (`{key}` in this case) have excessive nesting (inputs type `list` where type `int` is"
    " expected)."
)


def _is_empty(value: Any) -> bool:
    """An empty list, or a list of empty lists (transformers gives those int64)."""
    return isinstance(value, (list, tuple)) and (len(value) == 0 or all(_is_empty(v) for v in value))


def to_tensor(value: Any, tensor_type: str, key: str = "input_ids"):
    """One value as a ``torch.Tensor`` (``"pt"``) or ``numpy.ndarray`` (``"np"``)."""
    import numpy as np

    if tensor_type == "pt":
        import torch

        if torch.is_tensor(value):
            return value
        try:
            if isinstance(value, list) and value and isinstance(value[0], np.ndarray):
                return torch.from_numpy(np.array(value))
            return torch.tensor(value, dtype=torch.int64 if _is_empty(value) else None)
        except Exception as exc:  # what torch says about a ragged list varies: one message, as the reference
            raise ValueError(RAGGED_MESSAGE.format(key=key)) from exc
    if tensor_type == "np":
        if isinstance(value, np.ndarray):
            return value
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple, np.ndarray)):
            if len({len(v) for v in value}) > 1:  # ragged: an object array of rows, as the reference
                rows = np.empty(len(value), dtype=object)
                for i, v in enumerate(value):
                    rows[i] = np.asarray(v)
                return rows
        return np.asarray(value, dtype=np.int64 if _is_empty(value) else None)
    raise ValueError(f"return_tensors={tensor_type!r} is not supported here: use 'pt' (torch), 'np' (numpy) or None")


class BatchEncoding(dict):
    """The model inputs of a batch (or one text) and the encodings behind them."""

    def __init__(self, data: dict[str, Any] | None = None, encodings: Sequence | None = None,
                 tensor_type: str | None = None, prepend_batch_axis: bool = False,
                 n_sequences: int | None = None):  # fmt: skip
        super().__init__(data or {})
        self._encodings = list(encodings) if encodings is not None else None
        if n_sequences is None and self._encodings:
            n_sequences = getattr(self._encodings[0], "n_sequences", None)
        self._n_sequences = n_sequences
        self.convert_to_tensors(tensor_type, prepend_batch_axis)

    # ---- the mapping --------------------------------------------------------------------------------
    def __getattr__(self, item: str):
        try:
            return self[item]
        except KeyError:
            raise AttributeError(item) from None

    def __getitem__(self, item):
        """A key's value; an int (or slice) gives the encoding(s) of that row, as the reference."""
        if isinstance(item, str):
            return dict.__getitem__(self, item)
        if self._encodings is not None:
            return self._encodings[item]
        if isinstance(item, slice):
            return {key: value[item] for key, value in self.items()}
        raise KeyError("Invalid key. Only three types of key are available: (1) string, (2) integers for "
                       "backend Encoding, and (3) slices for data subsetting.")  # fmt: skip

    def __getstate__(self):
        return {"data": dict(self), "encodings": self._encodings, "n_sequences": self._n_sequences}

    def __setstate__(self, state):
        self.update(state["data"])
        self._encodings = state["encodings"]
        self._n_sequences = state["n_sequences"]

    def __repr__(self) -> str:
        return f"{{{', '.join(f'{k!r}: {v!r}' for k, v in self.items())}}}"

    @property
    def data(self) -> dict[str, Any]:
        """The plain dict (transformers' ``UserDict.data``)."""
        return dict(self)

    @property
    def is_fast(self) -> bool:
        return self._encodings is not None

    @property
    def encodings(self):
        """The :class:`~scratch.tokenizers.pipeline.encoding.Encoding` of each row."""
        return self._encodings

    @property
    def n_sequences(self) -> int | None:
        """1 for single texts, 2 for pairs (None when unknown)."""
        return self._n_sequences

    # ---- tensors ----------------------------------------------------------------------------------
    def convert_to_tensors(self, tensor_type: str | None = None, prepend_batch_axis: bool = False) -> BatchEncoding:
        """Every value as a tensor of ``tensor_type`` (``"pt"`` or ``"np"``; None: unchanged)."""
        if tensor_type is None:
            return self
        if tensor_type not in TENSOR_TYPES:
            raise ValueError(f"return_tensors={tensor_type!r} is not supported here: use 'pt', 'np' or None")
        for key, value in list(self.items()):
            dict.__setitem__(self, key, to_tensor([value] if prepend_batch_axis else value, tensor_type, key))
        return self

    def to(self, device, *, non_blocking: bool = False) -> BatchEncoding:
        """Move every torch tensor to ``device`` (others stay as they are); returns ``self``."""
        import torch

        if isinstance(device, (str, int, torch.device)):
            for key, value in list(self.items()):
                if torch.is_tensor(value):
                    dict.__setitem__(self, key, value.to(device=device, non_blocking=non_blocking))
        else:
            raise TypeError(f"Attempting to cast a BatchEncoding to type {device}. This is not supported.")
        return self

    # ---- alignment: asked of the encodings -------------------------------------------------------
    def _encoding(self, batch_index: int, what: str):
        if not self._encodings:
            raise ValueError(f"{what}() is not available when using Python based tokenizers")
        return self._encodings[batch_index]

    def _split(self, first: int, second: int | None) -> tuple[int, int]:
        """transformers' ``(batch_or_x_index, x_index)`` convention: one argument is row 0."""
        return (first, second) if second is not None else (0, first)

    def tokens(self, batch_index: int = 0) -> list[str]:
        return self._encoding(batch_index, "tokens").tokens

    def word_ids(self, batch_index: int = 0) -> list[int | None]:
        return self._encoding(batch_index, "word_ids").word_ids

    def words(self, batch_index: int = 0) -> list[int | None]:
        return self.word_ids(batch_index)

    def sequence_ids(self, batch_index: int = 0) -> list[int | None]:
        return self._encoding(batch_index, "sequence_ids").sequence_ids

    def token_to_sequence(self, batch_or_token_index: int, token_index: int | None = None) -> int | None:
        batch, token = self._split(batch_or_token_index, token_index)
        encoding = self._encoding(batch, "token_to_sequence")
        return encoding.token_to_sequence(token if token >= 0 else len(encoding) + token)

    def token_to_word(self, batch_or_token_index: int, token_index: int | None = None) -> int | None:
        batch, token = self._split(batch_or_token_index, token_index)
        encoding = self._encoding(batch, "token_to_word")
        return encoding.token_to_word(token if token >= 0 else len(encoding) + token)

    def word_to_tokens(self, batch_or_word_index: int, word_index: int | None = None,
                       sequence_index: int = 0) -> TokenSpan | None:  # fmt: skip
        batch, word = self._split(batch_or_word_index, word_index)
        span = self._encoding(batch, "word_to_tokens").word_to_tokens(word, sequence_index)
        return TokenSpan(*span) if span is not None else None

    def token_to_chars(self, batch_or_token_index: int, token_index: int | None = None) -> CharSpan | None:
        batch, token = self._split(batch_or_token_index, token_index)
        span = self._encoding(batch, "token_to_chars").token_to_chars(token)
        return CharSpan(*span) if span is not None else None

    def char_to_token(self, batch_or_char_index: int, char_index: int | None = None,
                      sequence_index: int = 0) -> int | None:  # fmt: skip
        batch, char = self._split(batch_or_char_index, char_index)
        return self._encoding(batch, "char_to_token").char_to_token(char, sequence_index)

    def word_to_chars(self, batch_or_word_index: int, word_index: int | None = None,
                      sequence_index: int = 0) -> CharSpan:  # fmt: skip
        batch, word = self._split(batch_or_word_index, word_index)
        return CharSpan(*self._encoding(batch, "word_to_chars").word_to_chars(word, sequence_index))

    def char_to_word(self, batch_or_char_index: int, char_index: int | None = None,
                     sequence_index: int = 0) -> int | None:  # fmt: skip
        batch, char = self._split(batch_or_char_index, char_index)
        return self._encoding(batch, "char_to_word").char_to_word(char, sequence_index)
