"""The chapter's side-by-side view of how tokenizers split a text.

The book's ``show_tokens`` encodes a sentence (special tokens included), decodes each id
on its own, and prints it on a background colour that cycles through six colours, so
that token boundaries are visible. This module does the same for any scratch tokenizer
and renders it three ways: 24-bit ANSI colour for a terminal, plain text when output is
not a terminal (boundaries shown with ``|``, newlines and tabs escaped), and a
self-contained HTML page where each token is a separate chip (its own background, a
border and a gap) and hovering it shows its id, its vocabulary entry and its bytes.

**A token's bytes** (:func:`token_bytes`) are what the token itself stands for, as its
reference tokenizer defines it, not what decoding it alone gives (decoders drop the
leading space of a text, and a lone byte of a multi-byte character decodes to U+FFFD):

* byte-level BPE (GPT-2, cl100k_base, Llama-3 ...): the token's bytes, tiktoken's
  ``decode_single_token_bytes`` (the vocabulary string read back through GPT-2's
  byte-to-unicode table); ``"Ġworld"`` -> ``b" world"``;
* SentencePiece (Llama-2, Phi-3, Unigram models): the piece with ``▁`` read as a space,
  ``"▁world"`` -> ``b" world"``, ``"▁"`` -> ``b" "``, and a byte-fallback piece
  ``<0xEF>`` -> ``b"\\xef"`` (the ``Replace("▁", " ")`` and ``ByteFallback`` steps of
  the Hugging Face decoder, without its ``Strip`` of the text's first space, which
  belongs to the text, not to the token);
* WordPiece (BERT): the vocabulary entry without its continuation prefix,
  ``"##ing"`` -> ``b"ing"``: the Hugging Face ``WordPiece`` decoder removes ``##`` and
  glues the piece to the one before; the space it puts *between* words belongs to no
  token (it is inserted by the decoder), so ``"world"`` -> ``b"world"``;
* added and special tokens (``[CLS]``, ``<s>``, ``<|endoftext|>``): the UTF-8 of their
  text, which is what the references' ``decode`` writes for them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Callable

from .base import Tokenizer
from .byte_bpe import ByteLevelBPE
from .gguf_vocab import BYTE, CONTROL, UNKNOWN
from .sentencepiece_bpe import SentencePieceBPE
from .sentencepiece_rules import SPACE
from .unigram import UnigramTokenizer
from .wordpiece import WordPieceTokenizer
from ..english import plural

# The six background colours of the book's show_tokens (RGB).
BOOK_COLOURS = [(102, 194, 165), (252, 141, 98), (141, 160, 203), (231, 138, 195), (166, 216, 84), (255, 217, 47)]


@dataclass
class TokenSplit:
    """One tokenizer's split of one text."""

    name: str
    text: str
    ids: list[int]
    pieces: list[str]  # each id decoded on its own, as the book prints it
    piece_bytes: list[bytes]  # the bytes each token stands for (token_bytes)
    vocab_size: int
    tokens: list[str] | None = None  # each id's vocabulary entry (id_to_token)

    @property
    def chars_per_token(self) -> float:
        return len(self.text) / len(self.ids) if self.ids else 0.0

    def summary(self) -> str:
        return (f"{plural(len(self.ids), 'token')}, {self.chars_per_token:.2f} characters per token, "
                f"vocabulary of {self.vocab_size:,}")  # fmt: skip


def _byte_pieces(tokenizer: SentencePieceBPE | UnigramTokenizer) -> dict[int, int]:
    """id -> byte of the byte-fallback pieces ``<0x00>`` .. ``<0xFF>`` of a SentencePiece model."""
    ids = tokenizer.byte_ids
    pairs = ids.items() if isinstance(ids, dict) else enumerate(ids)
    return {token_id: value for value, token_id in pairs if token_id is not None}


def bytes_reader(tokenizer: Tokenizer) -> Callable[[int], bytes]:
    """A function ``id -> bytes`` giving each token's own bytes (see the module's
    docstring for what they are in each family). ``ValueError`` for an id without a
    token. Built once per tokenizer, so that reading a whole vocabulary stays fast."""
    added = {t.id: t.content.encode("utf-8") for t in tokenizer.added_tokens}

    def entry(token_id: int) -> str:
        token = tokenizer.id_to_token(token_id) if isinstance(token_id, int) and token_id >= 0 else None
        if token is None:
            raise ValueError(f"{tokenizer.name}: unknown token id {token_id!r} (vocab_size {tokenizer.vocab_size})")
        return token

    if isinstance(tokenizer, ByteLevelBPE):
        return tokenizer.token_bytes
    if isinstance(tokenizer, (SentencePieceBPE, UnigramTokenizer)):
        byte_pieces = _byte_pieces(tokenizer)
        # Unigram models have no added tokens: their control pieces and <unk> are special.
        types = tokenizer.types if isinstance(tokenizer, UnigramTokenizer) else None

        def sentencepiece_bytes(token_id: int) -> bytes:
            piece = entry(token_id)
            if token_id in added:
                return added[token_id]
            if token_id in byte_pieces:
                return bytes([byte_pieces[token_id]])
            if types is not None and types[token_id] in (CONTROL, UNKNOWN, BYTE):
                return piece.encode("utf-8")
            return piece.replace(SPACE, " ").encode("utf-8")

        return sentencepiece_bytes
    if isinstance(tokenizer, WordPieceTokenizer):
        prefix = tokenizer.continuing_prefix

        def wordpiece_bytes(token_id: int) -> bytes:
            piece = entry(token_id)
            if token_id in added:
                return added[token_id]
            return piece.removeprefix(prefix).encode("utf-8")

        return wordpiece_bytes

    def decoded_alone(token_id: int) -> bytes:  # a tokenizer of another kind: the best we know
        entry(token_id)
        return added[token_id] if token_id in added else tokenizer.decode([token_id]).encode("utf-8")

    return decoded_alone


def token_bytes(tokenizer: Tokenizer, token_id: int) -> bytes:
    """The bytes token ``token_id`` stands for (see the module's docstring)."""
    return bytes_reader(tokenizer)(token_id)


def vocabulary_bytes(tokenizer: Tokenizer) -> list[bytes | None]:
    """:func:`token_bytes` of every id below ``vocab_size``; None for an id without a token."""
    read = bytes_reader(tokenizer)
    return [None if tokenizer.id_to_token(i) is None else read(i) for i in range(tokenizer.vocab_size)]


def byte_spans(text: str, piece_bytes: list[bytes], special: list[bool] | None = None) -> list[tuple[int, int]] | None:
    """Where each token's bytes lie in the UTF-8 of ``text``: ``(start, end)`` byte offsets,
    or None when the tokens' bytes do not spell the text.

    Each token must match the text exactly where the previous one ended, with two
    allowances: a leading space that the text lacks there is SentencePiece's dummy
    prefix (``"▁Hello"`` at the start of ``"Hello"``), which stands for no byte of the
    text, so the token's span starts after it; and a special token (``special[i]``) that
    is not in the text there was put in by the tokenizer (``<s>``, ``[CLS]``), an empty
    span. Text the tokenizer changes (lower-casing, NFC, dropped whitespace, an added
    token swallowing the spaces after it) has no exact spans, and None says so rather
    than guessing."""
    data = text.encode("utf-8")
    special = special or [False] * len(piece_bytes)
    spans = []
    position = 0
    for raw, inserted in zip(piece_bytes, special):
        if data.startswith(raw, position):
            spans.append((position, position + len(raw)))
        elif inserted:
            spans.append((position, position))
        elif raw.startswith(b" ") and data.startswith(raw[1:], position):
            spans.append((position, position + len(raw) - 1))
        else:
            return None
        position = spans[-1][1]
    return spans if position == len(data) else None


def split(tokenizer: Tokenizer, text: str, name: str | None = None) -> TokenSplit:
    """Encode ``text`` with special tokens, as the book's ``tokenizer(sentence).input_ids``."""
    ids = tokenizer.encode(text)
    read = bytes_reader(tokenizer)
    return TokenSplit(
        name=name or tokenizer.name,
        text=text,
        ids=ids,
        pieces=[tokenizer.decode([i]) for i in ids],
        piece_bytes=[read(i) for i in ids],
        vocab_size=tokenizer.vocab_size,
        tokens=[tokenizer.id_to_token(i) or "" for i in ids],
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


# Each token is a chip of its own: a background of the book's colours, a dark border and
# a gap to the next, so that neighbours such as "English" "and" "CAP" never read as one
# word. Ids (--ids) sit under the chip's text, in small type.
HTML_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; }
h2 { font-size: 1.05em; margin: 1.5em 0 0.3em; }
.tokens { font-family: ui-monospace, monospace; white-space: pre-wrap; line-height: 2.6; }
.tok { color: #000; display: inline-block; vertical-align: top; line-height: 1.4;
       margin: 0 4px 4px 0; padding: 1px 3px; border: 1px solid rgba(0, 0, 0, 0.45); border-radius: 3px; }
.tok .id { display: block; font-size: 0.7em; color: #333; text-align: center; }
.summary { color: #555; font-size: 0.9em; }
pre.text { background: #f4f4f4; padding: 0.6em; white-space: pre-wrap; }
"""


def _chip_text(piece: str, raw: bytes) -> str:
    """What a chip shows: the token decoded alone, as the book prints it; a token that
    decodes alone to nothing (SentencePiece's ``▁``, whose space the decoder strips as a
    text's first character) shows its own bytes instead; ``∅`` when those are empty too."""
    shown = piece or raw.decode("utf-8", errors="replace")
    return shown.replace("\n", "\u21b5\n").replace("\t", "\u2192\t") or "\u2205"


def render_html(views: list[TokenSplit], title: str = "tokemb tokens", show_ids: bool = False) -> str:
    """A self-contained page: one block per tokenizer, each token a separate chip on the
    book's colours, whitespace kept visible; hovering a chip shows the token's id,
    vocabulary entry and bytes; ``show_ids`` also prints each id under its chip."""
    blocks = []
    if views:
        blocks.append(f"<pre class='text'>{html.escape(views[0].text)}</pre>")
    for view in views:
        spans = []
        tokens = view.tokens or [""] * len(view.ids)
        for index, (piece, token_id, raw, token) in enumerate(zip(view.pieces, view.ids, view.piece_bytes, tokens)):
            r, g, b = BOOK_COLOURS[index % len(BOOK_COLOURS)]
            hover = f"id {token_id} · token {token!r} · bytes {raw.hex(' ') or '(none)'}"
            label = html.escape(_chip_text(piece, raw))
            if show_ids:
                label += f"<span class='id'>{token_id}</span>"
            spans.append(f"<span class='tok' style='background: rgb({r},{g},{b})' "
                         f"title='{html.escape(hover, quote=True)}'>{label}</span>")  # fmt: skip
        blocks.append(f"<h2>{html.escape(view.name)}</h2><div class='tokens'>{''.join(spans)}</div>"
                      f"<div class='summary'>{html.escape(view.summary())}</div>")  # fmt: skip
    return (f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{HTML_CSS}</style></head><body><h1>{html.escape(title)}</h1>{''.join(blocks)}</body></html>\n")  # fmt: skip
