"""The string a tokenizer pipeline works on: normalized text that remembers where each
character came from in the original text.

Hugging Face ``tokenizers`` (``NormalizedString`` in ``tokenizers/src/tokenizer/normalizer.rs``)
keeps, beside the normalized text, an *alignment* for every normalized character: the span
of the original text it was made from. Every normalizer is written as one primitive,
:meth:`NormalizedString.transform`, which replaces a range by new characters, each tagged
with how it relates to the old ones:

* ``0``: it replaces the next old character (``"A" -> "a"``), and takes its alignment;
* ``1``: it is inserted (the second char of ``"ß".upper() == "SS"``, a prepended ``"▁"``),
  and takes the alignment of the old character before it;
* ``-n``: it replaces the next old character and ``n`` more are removed after it.

Here alignments are character offsets (``tokenizers`` keeps byte offsets internally and
converts them to characters for Python); they are absolute: a piece cut out by a
pre-tokenizer (:meth:`slice`) still points into the whole original text, so offsets of
tokens come straight from it.
"""

from __future__ import annotations

from typing import Callable, Iterable

Span = tuple[int, int]


class NormalizedString:
    """``normalized`` text with one original span per character (``alignments``).

    >>> s = NormalizedString("Héllo")
    >>> s.map(str.upper); s.filter(lambda c: c != "L")
    >>> s.normalized, s.alignments
    ('HÉO', [(0, 1), (1, 2), (4, 5)])
    """

    __slots__ = ("normalized", "alignments", "original_start", "original_end")

    def __init__(self, text: str, alignments: list[Span] | None = None, original_start: int = 0,
                 original_end: int | None = None):  # fmt: skip
        self.normalized = text
        self.alignments = alignments if alignments is not None else [(i, i + 1) for i in range(len(text))]
        #: The span of the original text this string stands for (a pre-token: only its part).
        self.original_start = original_start
        self.original_end = len(text) if original_end is None else original_end
        if len(self.alignments) != len(self.normalized):
            raise ValueError("one alignment per normalized character")

    def __repr__(self) -> str:
        return f"NormalizedString({self.normalized!r}, original {self.original_start}..{self.original_end})"

    def __len__(self) -> int:
        return len(self.normalized)

    # ---- the primitive ---------------------------------------------------------------------
    def transform_range(self, start: int, end: int, changes: Iterable[tuple[str, int]], initial_offset: int = 0) -> None:
        """Replace ``normalized[start:end]`` by the characters of ``changes`` (see the module
        docstring); ``initial_offset`` old characters at ``start`` are removed before the first."""
        old = self.alignments
        position = start + initial_offset  # the next old character to consume
        chars: list[str] = []
        spans: list[Span] = []
        for ch, change in changes:
            if change > 0:  # inserted: aligned with the old character before it
                span = old[position - 1] if position > 0 else (self.original_start, self.original_start)
            else:
                if position >= end:
                    raise ValueError("transform consumes more characters than the range holds")
                span = old[position]
                position += 1 - change  # itself, and -change removed after it
            chars.append(ch)
            spans.append(span)
        if position > end:
            raise ValueError("transform consumes more characters than the range holds")
        self.normalized = self.normalized[:start] + "".join(chars) + self.normalized[end:]
        self.alignments = old[:start] + spans + old[end:]

    def transform(self, changes: Iterable[tuple[str, int]], initial_offset: int = 0) -> None:
        """:meth:`transform_range` over the whole string."""
        self.transform_range(0, len(self.normalized), changes, initial_offset)

    # ---- what normalizers build on it -------------------------------------------------------
    def map(self, fn: Callable[[str], str]) -> None:
        """Each character becomes ``fn(ch)``: one or more characters (the first replaces it, the
        rest are inserted, as ``tokenizers``' ``lowercase``), or none (it is removed, as
        :meth:`filter` does)."""
        if any(not fn(ch) for ch in self.normalized):
            self.filter(lambda ch: bool(fn(ch)))
        changes: list[tuple[str, int]] = []
        for ch in self.normalized:
            new = fn(ch)
            changes.append((new[0], 0))
            changes.extend((c, 1) for c in new[1:])
        self.transform(changes)

    def filter(self, keep: Callable[[str], bool]) -> None:
        """Remove every character for which ``keep`` is false. A removed character is counted
        on the kept one before it (``-n``); removed ones at the start are the initial offset."""
        changes: list[tuple[str, int]] = []
        removed_at_start = 0
        for ch in self.normalized:
            if keep(ch):
                changes.append((ch, 0))
            elif changes:
                last, change = changes[-1]
                changes[-1] = (last, change - 1)
            else:
                removed_at_start += 1
        self.transform(changes, removed_at_start)

    def prepend(self, text: str) -> None:
        """Insert ``text`` before the first character (aligned with it); nothing when empty."""
        if not self.normalized or not text:
            return
        first = self.normalized[0]
        self.transform_range(0, 1, [*((c, 1) for c in text), (first, 0)])
        span = self.alignments[len(text)]
        self.alignments[: len(text)] = [span] * len(text)

    def append(self, text: str) -> None:
        """Insert ``text`` after the last character (aligned with it); nothing when empty."""
        if not self.normalized or not text:
            return
        n = len(self.normalized)
        self.transform_range(n - 1, n, [(self.normalized[-1], 0), *((c, 1) for c in text)])

    def strip(self, left: bool = True, right: bool = True, is_space: Callable[[str], bool] = str.isspace) -> None:
        """Remove leading and/or trailing whitespace."""
        text = self.normalized
        start, end = 0, len(text)
        while left and start < end and is_space(text[start]):
            start += 1
        while right and end > start and is_space(text[end - 1]):
            end -= 1
        self.normalized = text[start:end]
        self.alignments = self.alignments[start:end]

    def replace_spans(self, spans: Iterable[Span], content: str) -> None:
        """Replace each ``normalized[start:end]`` (in order, not overlapping) by ``content``.

        As ``tokenizers``' ``NormalizedString::replace``, the new characters are inserted
        after the match is removed, so they take the alignment of the last replaced
        character (of the one before an empty match; at the very start an empty span)."""
        out_chars: list[str] = []
        out_spans: list[Span] = []
        position = 0
        for start, end in spans:
            out_chars.append(self.normalized[position:start])
            out_spans.extend(self.alignments[position:start])
            covered = self.alignments[end - 1] if end > 0 else (self.original_start, self.original_start)
            out_chars.append(content)
            out_spans.extend([covered] * len(content))
            position = end
        out_chars.append(self.normalized[position:])
        out_spans.extend(self.alignments[position:])
        self.normalized = "".join(out_chars)
        self.alignments = out_spans

    # ---- what pre-tokenizers build on it -----------------------------------------------------
    def slice(self, start: int, end: int) -> NormalizedString:
        """The piece ``normalized[start:end]`` as its own string; alignments stay absolute."""
        spans = self.alignments[start:end]
        if spans:
            lo, hi = spans[0][0], max(s[1] for s in spans)
        else:
            lo = hi = self.alignments[start - 1][1] if start > 0 else self.original_start
        return NormalizedString(self.normalized[start:end], list(spans), lo, hi)

    def original_span(self, start: int, end: int) -> Span:
        """The span of the original text that ``normalized[start:end]`` came from.

        A span past the end (a BPE byte fallback that spells its prefix too counts more
        bytes than the word has) goes on past the original's end by as much."""
        n = len(self.alignments)
        if end > n:
            past = self.original_end - n
            first = self.original_span(start, n)[0] if start < n else start + past
            return first, end + past
        spans = self.alignments[start:end]
        if not spans:
            at = self.alignments[start - 1][1] if start > 0 else self.original_start
            return at, at
        return min(s[0] for s in spans), max(s[1] for s in spans)

