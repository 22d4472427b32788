"""Turn token ids into text as they arrive, without ever taking anything back.

Decoding one token at a time and printing ``decode([id])`` goes wrong three ways:

* **Half characters.** A byte-level BPE token is a run of *bytes*, not characters:
  SmolLM2 and GPT-2 write the emoji 🎵 (``F0 9F 8E B5``) as tokens that cut it in two,
  and SentencePiece's byte fallback writes a character missing from its vocabulary as
  one ``<0xNN>`` token per byte. Each piece alone decodes to ``"\\ufffd"``.
* **Leading spaces.** SentencePiece marks a word start with ``▁``; ``decode`` removes
  the one space in front of the whole text (the "dummy prefix"), so ``decode([▁world])``
  is ``"world"`` while inside a sentence the same token is ``" world"``.
* **Text that changes later.** In Hugging Face's ``ByteFallback`` decoder a run of
  ``<0xNN>`` tokens is decoded all together, and if the run is not valid UTF-8 *every*
  byte of it becomes U+FFFD. ``<0xC3> <0xA9>`` is ``"é"`` until a third byte token
  ``<0xA9>`` arrives, and then the whole run is ``"\\ufffd\\ufffd\\ufffd"``.

:class:`StreamingDetokenizer` follows the decoding rule of the tokenizer it is given and
emits only text that no later token can change, so that the pieces it emits, joined,
are exactly ``tokenizer.decode(ids)``:

* byte-level BPE: every token is a run of bytes (special tokens too); the bytes go
  through Python's incremental UTF-8 decoder, which holds back an incomplete character
  until it is complete, or until the next byte proves it invalid (``errors="replace"``,
  as ``decode`` does);
* SentencePiece BPE: a token is text (``▁`` -> space) or, for ``<0xNN>``, a byte; a run
  of byte tokens is held until a non-byte token ends it, then decoded by the
  tokenizer's own rule; the first space of the whole text is dropped;
* any other tokenizer: the text of all ids so far is decoded again at each token and
  the new part emitted, holding back trailing U+FFFD (the general fallback; it assumes
  that ``decode`` of a longer sequence extends that of a shorter one).

The tokenizer classes are :mod:`scratch.tokenizers`'; a byte-level tokenizer gives each
token's bytes through its public ``token_bytes(id)``.
"""

from __future__ import annotations

import codecs
from typing import Iterable

REPLACEMENT = "\ufffd"


def _kind(tokenizer) -> str:
    from scratch.tokenizers.sentencepiece_bpe import SentencePieceBPE

    if hasattr(tokenizer, "token_bytes"):
        return "bytes"
    if isinstance(tokenizer, SentencePieceBPE):
        return "sentencepiece"
    return "redecode"


class StreamingDetokenizer:
    """Feed ids one at a time with :meth:`push`; each call returns the text that became
    certain. :meth:`finish` returns the rest. ``"".join`` of everything returned equals
    ``tokenizer.decode(ids, skip_special_tokens)``.

    >>> stream = StreamingDetokenizer(tokenizer)
    >>> pieces = [stream.push(i) for i in ids] + [stream.finish()]
    >>> "".join(pieces) == tokenizer.decode(ids)
    True
    """

    def __init__(self, tokenizer, skip_special_tokens: bool = False):
        self.tokenizer = tokenizer
        self.skip_special_tokens = skip_special_tokens
        self.kind = _kind(tokenizer)
        self.ids: list[int] = []
        self.text = ""  # everything emitted so far
        self._special = {t.id for t in getattr(tokenizer, "added_tokens", ()) if t.special}
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._byte_run: list[int] = []  # SentencePiece: the bytes of <0xNN> tokens not yet decoded
        self._at_start = True  # SentencePiece: the first space of the text is still to drop
        self._finished = False

    # ---- the public interface -------------------------------------------------------
    def push(self, id: int) -> str:
        """Add one token; return the text it made certain (often ``""``)."""
        if self._finished:
            raise RuntimeError("this stream is finished; start a new StreamingDetokenizer")
        id = int(id)
        if self.kind != "redecode":
            self.tokenizer._checked_ids([id])  # unknown ids fail here, as in decode
        self.ids.append(id)
        if self.skip_special_tokens and id in self._special:
            return ""
        if self.kind == "bytes":
            out = self._utf8.decode(self.tokenizer.token_bytes(id))
        elif self.kind == "sentencepiece":
            out = self._push_sentencepiece(id)
        else:
            out = self._redecode(final=False)
        self.text += out
        return out

    def finish(self) -> str:
        """No more tokens: return whatever was held back."""
        if self._finished:
            return ""
        self._finished = True
        if self.kind == "bytes":
            out = self._utf8.decode(b"", final=True)
        elif self.kind == "sentencepiece":
            out = self._strip_first_space(self._flush_byte_run())
        else:
            out = self._redecode(final=True)
        self.text += out
        return out

    # ---- SentencePiece ----------------------------------------------------------------
    def _push_sentencepiece(self, id: int) -> str:
        from scratch.tokenizers.sentencepiece_rules import SPACE, byte_piece_value

        piece = self.tokenizer.id_to_token(id)
        if byte_piece_value(piece) is not None:
            self._byte_run.append(byte_piece_value(piece))  # held: a later byte can still change the run
            return ""
        return self._strip_first_space(self._flush_byte_run() + piece.replace(SPACE, " "))

    def _flush_byte_run(self) -> str:
        """The held run of byte tokens, decoded by the tokenizer's own rule."""
        from scratch.tokenizers.sentencepiece_rules import decode_byte_run

        text = decode_byte_run(bytes(self._byte_run)) if self._byte_run else ""
        self._byte_run = []
        return text

    def _strip_first_space(self, out: str) -> str:
        if self._at_start and out:
            self._at_start = False
            if out.startswith(" "):
                out = out[1:]
        return out

    # ---- any other tokenizer ---------------------------------------------------------
    def _redecode(self, final: bool) -> str:
        full = self.tokenizer.decode(self.ids, skip_special_tokens=self.skip_special_tokens)
        if not final:
            full = full.rstrip(REPLACEMENT)
        if not full.startswith(self.text):
            if final:
                raise RuntimeError(f"{self.tokenizer.name}: decode is not incremental; emitted "
                                   f"{self.text!r} but the whole decodes to {full!r}")  # fmt: skip
            return ""  # wait until the text settles
        return full[len(self.text) :]


def stream_text(tokenizer, ids: Iterable[int], skip_special_tokens: bool = False) -> list[str]:
    """The pieces a :class:`StreamingDetokenizer` emits for ``ids`` (the last one from ``finish``)."""
    stream = StreamingDetokenizer(tokenizer, skip_special_tokens)
    return [stream.push(i) for i in ids] + [stream.finish()]

