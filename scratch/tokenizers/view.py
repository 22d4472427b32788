"""The chapter's side-by-side view of how tokenizers split a text.

The book's ``show_tokens`` encodes a sentence (special tokens included), decodes each id
on its own, and prints it on a background colour that cycles through six colours, so
that token boundaries are visible. This module does the same for any scratch tokenizer
and renders it three ways: 24-bit ANSI colour for a terminal, plain text when output is
not a terminal (boundaries shown with ``|``, newlines and tabs escaped), and a
self-contained HTML page where hovering a token shows its id and bytes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from .base import Tokenizer

# The six background colours of the book's show_tokens (RGB).
BOOK_COLOURS = [(102, 194, 165), (252, 141, 98), (141, 160, 203), (231, 138, 195), (166, 216, 84), (255, 217, 47)]


@dataclass
class TokenSplit:
    """One tokenizer's split of one text."""

    name: str
    text: str
    ids: list[int]
    pieces: list[str]  # each id decoded on its own, as the book prints it
    piece_bytes: list[bytes]  # the bytes each token stands for
    vocab_size: int

    @property
    def chars_per_token(self) -> float:
        return len(self.text) / len(self.ids) if self.ids else 0.0

    def summary(self) -> str:
        return (f"{len(self.ids)} tokens, {self.chars_per_token:.2f} characters per token, "
                f"vocabulary of {self.vocab_size:,}")  # fmt: skip


def token_bytes(tokenizer: Tokenizer, token_id: int) -> bytes:
    """The bytes a token stands for: the tokenizer's own ``token_bytes`` if it has one
    (byte-level BPE and byte-fallback pieces stand for bytes, not characters), else
    the UTF-8 of the token decoded alone."""
    own = getattr(tokenizer, "token_bytes", None)
    return own(token_id) if own is not None else tokenizer.decode([token_id]).encode("utf-8")


def split(tokenizer: Tokenizer, text: str, name: str | None = None) -> TokenSplit:
    """Encode ``text`` with special tokens, as the book's ``tokenizer(sentence).input_ids``."""
    ids = tokenizer.encode(text)
    return TokenSplit(
        name=name or tokenizer.name,
        text=text,
        ids=ids,
        pieces=[tokenizer.decode([i]) for i in ids],
        piece_bytes=[token_bytes(tokenizer, i) for i in ids],
        vocab_size=tokenizer.vocab_size,
    )


def _visible(piece: str) -> str:
    return piece.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def render_ansi(view: TokenSplit, show_ids: bool = False) -> str:
    """The book's output: each token on a cycling background colour, black text."""
    out = []
    for index, (piece, token_id) in enumerate(zip(view.pieces, view.ids)):
        r, g, b = BOOK_COLOURS[index % len(BOOK_COLOURS)]
        label = f"{piece}" if not show_ids else f"{piece}\x1b[2m{token_id}\x1b[22m"
        out.append(f"\x1b[0;30;48;2;{r};{g};{b}m{label}\x1b[0m")
    return " ".join(out)


def render_plain(view: TokenSplit, show_ids: bool = False) -> str:
    """One line, tokens separated by `` | ``; newline, tab and CR shown as escapes."""
    if show_ids:
        return " | ".join(f"{_visible(p)} ({i})" for p, i in zip(view.pieces, view.ids))
    return " | ".join(_visible(p) for p in view.pieces)


def render_html(views: list[TokenSplit], title: str = "tokemb tokens") -> str:
    """A self-contained page: one block per tokenizer, tokens on the book's colours,
    whitespace kept visible, and each token's id and bytes shown on hover."""
    css = """
    body { font-family: system-ui, sans-serif; margin: 2em; }
    h2 { font-size: 1.05em; margin: 1.5em 0 0.3em; }
    .tokens { font-family: ui-monospace, monospace; white-space: pre-wrap; line-height: 1.9; }
    .tok { color: #000; padding: 1px 0; border-right: 1px solid #fff; }
    .summary { color: #555; font-size: 0.9em; }
    pre.text { background: #f4f4f4; padding: 0.6em; }
    """
    blocks = []
    if views:
        blocks.append(f"<pre class='text'>{html.escape(views[0].text)}</pre>")
    for view in views:
        spans = []
        for index, (piece, token_id, raw) in enumerate(zip(view.pieces, view.ids, view.piece_bytes)):
            r, g, b = BOOK_COLOURS[index % len(BOOK_COLOURS)]
            hover = f"id {token_id} · bytes {raw.hex(' ') or '(none)'}"
            shown = piece.replace("\n", "\u21b5\n").replace("\t", "\u2192\t") or "\u2205"
            spans.append(f"<span class='tok' style='background: rgb({r},{g},{b})' "
                         f"title='{html.escape(hover, quote=True)}'>{html.escape(shown)}</span>")  # fmt: skip
        blocks.append(f"<h2>{html.escape(view.name)}</h2><div class='tokens'>{''.join(spans)}</div>"
                      f"<div class='summary'>{html.escape(view.summary())}</div>")  # fmt: skip
    return (f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{css}</style></head><body><h1>{html.escape(title)}</h1>{''.join(blocks)}</body></html>\n")  # fmt: skip
