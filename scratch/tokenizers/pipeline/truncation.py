"""Truncation and padding: the two settings a ``tokenizer.json`` may carry beside its stages.

They act on the encodings after the model and around the post-processor, as ``tokenizers``'
``TokenizerImpl::post_process`` does: first truncate (leaving room for the special tokens
the post-processor will add when ``add_special_tokens``), then post-process, then pad.

* **Truncation** (``utils/truncation.rs``): ``LongestFirst`` cuts a pair so that the shorter
  keeps as much as it can (each gets at least half of ``max_length``); ``OnlyFirst`` /
  ``OnlySecond`` cut one sequence only, and fail when it is too short to take the cut.
  ``direction`` says which end is cut. What is cut is kept in the encoding's
  ``overflowing`` pieces, consecutive pieces sharing ``stride`` tokens
  (:meth:`.Encoding.truncate`).
* **Padding** (``utils/padding.rs``): ``Fixed(n)`` pads up to ``n``, ``BatchLongest`` up to the
  longest of the batch (one encoding: itself); ``pad_to_multiple_of`` rounds the length
  up; pad tokens are special, have attention 0, offsets (0, 0) and no word; the overflowing
  pieces are padded to the same length.

Both are built from ``tokenizer.json`` (``from_json``, names ``"LongestFirst"``, ``"Right"``)
or from the arguments of ``tokenizers.Tokenizer.enable_truncation`` / ``enable_padding``
(``from_arguments``, names ``"longest_first"``, ``"right"``), and read back as the dicts
the Python properties ``Tokenizer.truncation`` / ``Tokenizer.padding`` return (``as_dict``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..base import MalformedVocabError
from .encoding import Encoding
from .spec import field

STRATEGIES = ("LongestFirst", "OnlyFirst", "OnlySecond")
DIRECTIONS = ("Left", "Right")


class TruncationError(MalformedVocabError):
    """The sequence cannot be truncated as the settings ask (``tokenizers``' ``TruncationError``)."""


@dataclass(frozen=True)
class Truncation:
    max_length: int = 512
    strategy: str = "LongestFirst"
    stride: int = 0
    direction: str = "Right"

    @classmethod
    def from_json(cls, spec: dict | None) -> Truncation | None:
        if spec is None:
            return None
        where = "truncation"
        t = cls(
            max_length=field(spec, "max_length", int, where),
            strategy=field(spec, "strategy", str, where),
            stride=field(spec, "stride", int, where, 0),
            direction=field(spec, "direction", str, where, "Right"),
        )
        if t.strategy not in STRATEGIES or t.direction not in DIRECTIONS or t.max_length < 0 or t.stride < 0:
            raise MalformedVocabError(f"truncation: unknown settings {spec!r}")
        return t

    def to_json(self) -> dict:
        return {"direction": self.direction, "max_length": self.max_length, "strategy": self.strategy, "stride": self.stride}

    @classmethod
    def from_arguments(cls, max_length: int, stride: int = 0, strategy: str = "longest_first",
                       direction: str = "right") -> Truncation:  # fmt: skip
        """The settings ``tokenizers.Tokenizer.enable_truncation`` takes, with its errors."""
        for name, value in (("max_length", max_length), ("stride", stride)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"enable_truncation: {name} should be an int, got {type(value).__name__}")
            if value < 0:
                raise OverflowError(f"enable_truncation: {name}: can't convert negative int to unsigned")
        names = {"longest_first": "LongestFirst", "only_first": "OnlyFirst", "only_second": "OnlySecond"}
        if strategy not in names:
            raise ValueError(f"Unknown `strategy`: `{strategy}`. Use one of `longest_first`, `only_first`, or `only_second`")
        if direction not in ("left", "right"):
            raise ValueError(f"Unknown `direction`: `{direction}`. Use one of `left` or `right`.")
        return cls(max_length, names[strategy], stride, direction.capitalize())

    def as_dict(self) -> dict:
        """What ``tokenizers.Tokenizer.truncation`` returns."""
        strategy = {"LongestFirst": "longest_first", "OnlyFirst": "only_first", "OnlySecond": "only_second"}[self.strategy]
        return {"max_length": self.max_length, "stride": self.stride, "strategy": strategy, "direction": self.direction.lower()}

    def truncate(self, encoding: Encoding, pair: Encoding | None, max_length: int) -> None:
        """Cut ``encoding`` (and ``pair``) in place to ``max_length`` tokens in all, the cut
        tokens kept as overflowing pieces (``truncate_encodings`` in ``utils/truncation.rs``):
        ``LongestFirst`` gives a pair's shorter sequence all it needs up to half of
        ``max_length``; ``OnlyFirst``/``OnlySecond`` cut one sequence and fail when it is too
        short (or, for ``OnlySecond``, missing). ``max_length`` 0 moves everything to the
        overflowing pieces."""
        stride, direction = self.stride, self.direction.lower()
        if max_length == 0:
            for e in (encoding, pair):
                if e is not None:
                    e.truncate(0, stride, direction)
            return
        total = len(encoding) + (len(pair) if pair is not None else 0)
        if total <= max_length:
            return
        to_remove = total - max_length
        if self.strategy == "LongestFirst":
            if pair is None:
                encoding.truncate(max_length, stride, direction)
                return
            n1, n2 = len(encoding), len(pair)
            swapped = n1 > n2
            if swapped:
                n1, n2 = n2, n1
            n2 = n1 if n1 > max_length else max(n1, max_length - n1)
            if n1 + n2 > max_length:
                n1 = max_length // 2
                n2 = n1 + max_length % 2
            if swapped:
                n1, n2 = n2, n1
            encoding.truncate(n1, stride, direction)
            pair.truncate(n2, stride, direction)
            return
        target = encoding if self.strategy == "OnlyFirst" else pair
        if target is None:
            raise TruncationError("Truncation error: Second sequence not provided")
        if len(target) <= to_remove:
            raise TruncationError("Truncation error: Sequence to truncate too short to respect the provided max_length")
        target.truncate(len(target) - to_remove, stride, direction)


@dataclass(frozen=True)
class Padding:
    fixed: int | None = None  # None: BatchLongest
    direction: str = "Right"
    pad_to_multiple_of: int | None = None
    pad_id: int = 0
    pad_type_id: int = 0
    pad_token: str = "[PAD]"

    @classmethod
    def from_json(cls, spec: dict | None) -> Padding | None:
        if spec is None:
            return None
        where = "padding"
        strategy = spec.get("strategy")
        if strategy == "BatchLongest":
            fixed = None
        elif isinstance(strategy, dict) and set(strategy) == {"Fixed"} and isinstance(strategy["Fixed"], int):
            fixed = strategy["Fixed"]
        else:
            raise MalformedVocabError(f"padding: unknown strategy {strategy!r}")
        p = cls(
            fixed=fixed,
            direction=field(spec, "direction", str, where, "Right"),
            pad_to_multiple_of=field(spec, "pad_to_multiple_of", int, where, None),
            pad_id=field(spec, "pad_id", int, where, 0),
            pad_type_id=field(spec, "pad_type_id", int, where, 0),
            pad_token=field(spec, "pad_token", str, where, "[PAD]"),
        )
        if p.direction not in DIRECTIONS:
            raise MalformedVocabError(f"padding: unknown direction {p.direction!r}")
        return p

    def to_json(self) -> dict:
        return {
            "strategy": "BatchLongest" if self.fixed is None else {"Fixed": self.fixed},
            "direction": self.direction,
            "pad_to_multiple_of": self.pad_to_multiple_of,
            "pad_id": self.pad_id,
            "pad_type_id": self.pad_type_id,
            "pad_token": self.pad_token,
        }

    @classmethod
    def from_arguments(cls, direction: str = "right", pad_id: int = 0, pad_type_id: int = 0, pad_token: str = "[PAD]",
                       length: int | None = None, pad_to_multiple_of: int | None = None) -> Padding:  # fmt: skip
        """The settings ``tokenizers.Tokenizer.enable_padding`` takes (``length=None``:
        ``BatchLongest``), with its errors."""
        if direction not in ("left", "right"):
            raise ValueError(f"Unknown `direction`: `{direction}`. Use one of `left` or `right`")
        for name, value in (("pad_id", pad_id), ("pad_type_id", pad_type_id), ("length", length),
                            ("pad_to_multiple_of", pad_to_multiple_of)):  # fmt: skip
            if value is None and name in ("length", "pad_to_multiple_of"):
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"enable_padding: {name} should be an int, got {type(value).__name__}")
            if value < 0:
                raise OverflowError(f"enable_padding: {name}: can't convert negative int to unsigned")
        if not isinstance(pad_token, str):
            raise TypeError(f"enable_padding: pad_token should be a str, got {type(pad_token).__name__}")
        return cls(length, direction.capitalize(), pad_to_multiple_of, pad_id, pad_type_id, pad_token)

    def as_dict(self) -> dict:
        """What ``tokenizers.Tokenizer.padding`` returns."""
        return {"length": self.fixed, "pad_to_multiple_of": self.pad_to_multiple_of, "pad_id": self.pad_id,
                "pad_token": self.pad_token, "pad_type_id": self.pad_type_id, "direction": self.direction.lower()}  # fmt: skip

    def pad(self, encoding: Encoding) -> None:
        """Pad one encoding in place (a batch of one: ``BatchLongest`` pads only to a multiple)."""
        self.pad_batch([encoding])

    def pad_batch(self, encodings: list[Encoding]) -> None:
        """Pad every encoding (and its overflowing pieces) in place to the same length
        (``pad_encodings`` in ``utils/padding.rs``): ``fixed``, or the longest of the batch
        (the overflowing pieces do not count), rounded up to ``pad_to_multiple_of``."""
        if not encodings:
            return
        length = max(len(e) for e in encodings) if self.fixed is None else self.fixed
        multiple = self.pad_to_multiple_of
        if multiple and length % multiple:
            length += multiple - length % multiple
        for encoding in encodings:
            encoding.pad(length, self.direction.lower(), self.pad_id, self.pad_type_id, self.pad_token)
