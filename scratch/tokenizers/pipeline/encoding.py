"""What the model stage produces and the post-processor and decoder consume.

A :class:`Token` is one piece the model found in one pre-token; an :class:`Encoding` is
the whole sequence, shaped like ``tokenizers.Encoding``: ids, token strings, offsets into
the original text, type ids (which sequence of a pair), a mask of the special tokens the
post-processor added, and the index of the pre-token (word) each token came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass(frozen=True)
class Token:
    """One token of a pre-token: ``offsets`` are character offsets in that pre-token's text."""

    id: int
    value: str
    offsets: Span


@dataclass
class Encoding:
    """A tokenized sequence (or a pair merged into one by a post-processor)."""

    ids: list[int] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    offsets: list[Span] = field(default_factory=list)
    type_ids: list[int] = field(default_factory=list)
    special_tokens_mask: list[int] = field(default_factory=list)
    word_ids: list[int | None] = field(default_factory=list)
    #: 1 for a real token, 0 for padding (only :func:`.truncation.pad` adds padding).
    attention_mask: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def append(self, id: int, token: str, offsets: Span, type_id: int = 0, special: bool = False,
               word: int | None = None) -> None:  # fmt: skip
        """Add one token at the end."""
        self.ids.append(id)
        self.tokens.append(token)
        self.offsets.append(offsets)
        self.type_ids.append(type_id)
        self.special_tokens_mask.append(int(special))
        self.word_ids.append(word)
        self.attention_mask.append(1)

    def extend(self, other: Encoding) -> None:
        """Add all of ``other``'s tokens at the end."""
        self.ids += other.ids
        self.tokens += other.tokens
        self.offsets += other.offsets
        self.type_ids += other.type_ids
        self.special_tokens_mask += other.special_tokens_mask
        self.word_ids += other.word_ids
        self.attention_mask += other.attention_mask or [1] * len(other.ids)


#: The names of an :class:`Encoding`'s lists, one value per token each.
PER_TOKEN_LISTS = ("ids", "tokens", "offsets", "type_ids", "special_tokens_mask", "word_ids", "attention_mask")
