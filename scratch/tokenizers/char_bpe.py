"""BPE over characters, with byte fallback: Gemma 4's tokenizer (GGUF model ``"gemma4"``).

The original ``tokenizer.json`` is a Hugging Face ``BPE`` model with ``byte_fallback``:

* normalizer: every space becomes ``"▁"`` (U+2581), and there is no pre-tokenizer, so
  a whole stretch of text between added tokens is one word;
* model: the word starts as its characters (not bytes, as in byte-level BPE), and the
  merges are applied by rank: always the adjacent pair whose merge came first in the
  list, the leftmost of equal pairs first;
* a piece left that is not in the vocabulary is spelled as its UTF-8 bytes, the tokens
  ``<0x00>``..``<0xFF>`` (and the unknown token where such a byte token is missing);
* decoder: ``"▁"`` back to a space, byte tokens joined and decoded (a run that is not
  valid UTF-8 gives one U+FFFD per byte, as ``tokenizers``' ``ByteFallback``).
"""

from __future__ import annotations

import heapq
import re
from typing import Sequence

from .base import AddedToken, MalformedVocabError, TokenJoiningTokenizer
from .gguf_vocab import CONTROL, USER_DEFINED, GGUFVocab

_BYTE_TOKEN = re.compile(r"<0x([0-9A-F]{2})>")


class CharBPE(TokenJoiningTokenizer):
    """Rank-ordered BPE over characters with byte fallback (see the module docstring)."""

    def __init__(self, tokens: Sequence[str], merges: Sequence[tuple[str, str]], added: Sequence[AddedToken],
                 unk_id: int | None, bos_id: int | None, name: str = "char-bpe"):  # fmt: skip
        self.name = name
        self.pieces = list(tokens)
        self.added_tokens = list(added)
        self._ids = {t: i for i, t in enumerate(tokens)}
        self._ranks: dict[tuple[str, str], int] = {}
        for rank, pair in enumerate(merges):
            self._ranks.setdefault(pair, rank)
        self._byte_ids = [self._ids.get(f"<0x{b:02X}>", unk_id) for b in range(256)]
        self.unk_id, self.bos_id = unk_id, bos_id

    def token_to_id(self, token: str) -> int | None:
        return self._ids.get(token)

    def merge(self, word: str) -> list[str]:
        """The pieces of ``word`` after every merge that applies, lowest rank first."""
        ranks, symbols = self._ranks, list(word)
        n = len(symbols)
        following, preceding = list(range(1, n + 1)), list(range(-1, n - 1))
        heap = [(r, i) for i in range(n - 1) if (r := ranks.get((symbols[i], symbols[i + 1]))) is not None]
        heapq.heapify(heap)
        while heap:
            rank, i = heapq.heappop(heap)
            j = following[i]
            if symbols[i] is None or j >= n or ranks.get((symbols[i], symbols[j])) != rank:
                continue  # a pair that an earlier merge changed
            symbols[i] += symbols[j]
            symbols[j] = None
            following[i] = following[j]
            if following[j] < n:
                preceding[following[j]] = i
            for left in (preceding[i], i):
                right = following[left] if left >= 0 else n
                if left >= 0 and right < n and (r := ranks.get((symbols[left], symbols[right]))) is not None:
                    heapq.heappush(heap, (r, left))
        return [s for s in symbols if s is not None]

    def _encode_ordinary(self, text: str) -> list[int]:
        ids: list[int] = []
        for piece in self.merge(text.replace(" ", "▁")):
            found = self._ids.get(piece)
            if found is not None:
                ids.append(found)
            else:
                ids.extend(i for i in (self._byte_ids[b] for b in piece.encode("utf-8")) if i is not None)
        return ids

    def _wrap(self, ids: list[int]) -> list[int]:
        return [self.bos_id, *ids] if self.bos_id is not None else ids

    def to_tokenizer_json(self) -> dict:
        """This tokenizer as a Hugging Face ``tokenizer.json`` (:func:`.tokenizer_json.char_bpe`)."""
        from . import tokenizer_json

        return tokenizer_json.char_bpe(
            name=self.name,
            tokens=self.pieces,
            merge_ranks=self._ranks,
            added_tokens=self.added_tokens,
            unk_id=self.unk_id,
            bos=None if self.bos_id is None else (self.pieces[self.bos_id], self.bos_id),
        )

    def join_tokens(self, tokens: Sequence[str]) -> str:
        parts: list[str] = []
        run = bytearray()
        for token in tokens:
            byte = _BYTE_TOKEN.fullmatch(token)
            if byte:
                run.append(int(byte.group(1), 16))
                continue
            if run:
                parts.append(_bytes_text(bytes(run)))
                run.clear()
            parts.append(token.replace("▁", " "))
        if run:
            parts.append(_bytes_text(bytes(run)))
        return "".join(parts)


def _bytes_text(data: bytes) -> str:
    """``ByteFallback``'s text for a run of byte tokens: the UTF-8 text, or one U+FFFD per byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return "\ufffd" * len(data)


def _parse_merge(merge: str, where: str) -> tuple[str, str]:
    """``"a b"`` -> ``("a", "b")``: the first space after the first character separates them."""
    cut = merge.find(" ", 1)
    if cut < 0:
        raise MalformedVocabError(f"{where}: merge {merge!r} is not two tokens separated by a space")
    return merge[:cut], merge[cut + 1 :]


def from_gguf_vocab(vocab: GGUFVocab) -> CharBPE:
    """A GGUF file's ``"gemma4"`` tokenizer: control tokens special added tokens,
    user-defined ones plain added tokens, BOS added when ``add_bos_token`` says so."""
    if not vocab.merges:
        raise MalformedVocabError(f"{vocab.path}: a gemma4 vocabulary needs tokenizer.ggml.merges")
    merges = [_parse_merge(m, f"{vocab.path}: tokenizer.ggml.merges[{n}]") for n, m in enumerate(vocab.merges)]
    added = [
        AddedToken(t, i, special=kind == CONTROL)
        for i, (t, kind) in enumerate(zip(vocab.tokens, vocab.token_types))
        if kind in (CONTROL, USER_DEFINED)
    ]
    bos_id = vocab.special_ids.get("bos") if vocab.add_bos else None
    if vocab.add_bos and bos_id is None:
        raise MalformedVocabError(f"{vocab.path}: add_bos_token is set but there is no bos_token_id")
    return CharBPE(vocab.tokens, merges, added, vocab.special_ids.get("unknown"), bos_id, name=vocab.path.stem)
