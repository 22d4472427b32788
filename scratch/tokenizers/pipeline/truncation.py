"""Truncation and padding: the two settings a ``tokenizer.json`` may carry beside its stages.

They act on the encodings after the model and around the post-processor, as ``tokenizers``'
``TokenizerImpl::post_process`` does: first truncate (leaving room for the special tokens
the post-processor will add when ``add_special_tokens``), then post-process, then pad.

* **Truncation** (``utils/truncation.rs``): ``LongestFirst`` cuts a pair so that the shorter
  keeps as much as it can (each gets at least half of ``max_length``); ``OnlyFirst`` /
  ``OnlySecond`` cut one sequence only, and fail when it is too short to take the cut.
  ``direction`` says which end is cut. (The overflowing pieces that ``stride`` shapes are
  not kept here: they change no id of the encoding itself.)
* **Padding** (``utils/padding.rs``): ``Fixed(n)`` pads up to ``n``, ``BatchLongest`` up to the
  longest of the batch (one encoding: itself); ``pad_to_multiple_of`` rounds the length
  up; pad tokens are special, have attention 0, offsets (0, 0) and no word.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..base import MalformedVocabError
from .encoding import PER_TOKEN_LISTS, Encoding
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

    def truncate(self, encoding: Encoding, pair: Encoding | None, max_length: int) -> None:
        """Cut ``encoding`` (and ``pair``) in place to ``max_length`` tokens in all."""
        if max_length == 0:
            for e in (encoding, pair):
                if e is not None:
                    self._keep(e, 0)
            return
        total = len(encoding) + (len(pair) if pair is not None else 0)
        if total <= max_length:
            return
        to_remove = total - max_length
        if self.strategy == "LongestFirst":
            if pair is None:
                self._keep(encoding, max_length)
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
            self._keep(encoding, n1)
            self._keep(pair, n2)
            return
        target = encoding if self.strategy == "OnlyFirst" else pair
        if target is None:
            raise TruncationError("Truncation error: Second sequence not provided")
        if len(target) <= to_remove:
            raise TruncationError("Truncation error: Sequence to truncate too short to respect the provided max_length")
        self._keep(target, len(target) - to_remove)

    def _keep(self, encoding: Encoding, n: int) -> None:
        if len(encoding) <= n:
            return
        cut = slice(0, n) if self.direction == "Right" else slice(len(encoding) - n, len(encoding))
        for name in PER_TOKEN_LISTS:
            values = getattr(encoding, name)
            setattr(encoding, name, values[cut] if values else values)


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

    def pad(self, encoding: Encoding) -> None:
        """Pad one encoding in place (a batch of one: ``BatchLongest`` pads only to a multiple)."""
        length = len(encoding) if self.fixed is None else self.fixed
        if self.pad_to_multiple_of and length % self.pad_to_multiple_of:
            length += self.pad_to_multiple_of - length % self.pad_to_multiple_of
        n = length - len(encoding)
        if n <= 0:
            return
        padding = Encoding([self.pad_id] * n, [self.pad_token] * n, [(0, 0)] * n, [self.pad_type_id] * n,
                           [1] * n, [None] * n, [0] * n)  # fmt: skip
        if not encoding.attention_mask:
            encoding.attention_mask = [1] * len(encoding)
        if self.direction == "Right":
            encoding.extend(padding)
        else:
            padding.extend(encoding)
            for name in PER_TOKEN_LISTS:
                setattr(encoding, name, getattr(padding, name))
