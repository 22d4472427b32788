"""The SentencePiece Unigram tokenizer (Flan-T5, ALBERT, XLNet ...) from scratch.

Kudo 2018, *Subword Regularization: Improving Neural Network Translation Models with
Multiple Subword Candidates*: a Unigram language model gives every piece ``x`` a
log-probability ``log p(x)`` (the ``score`` in the ``.model`` file) and a segmentation
``x1 ... xn`` of a text the probability ``p(x1) ... p(xn)``. Encoding picks the most
probable segmentation; unlike BPE there is no merge order, only the scores.

1. **Normalise** (:class:`~scratch.tokenizers.sentencepiece_model.Normalizer`): the
   model's compiled rules (NFKC ...), extra spaces removed, dummy prefix ``▁``, spaces
   as ``▁`` (Kudo & Richardson 2018).
2. **Lattice**: every vocabulary piece that occurs at every position of the normalised
   text is an edge from its start to its end. A position where no one-character piece
   starts also gets an *unknown* edge of one character, scored ``min score - 10``
   (sentencepiece's ``kUnkPenalty``).
3. **Viterbi**: the best path through the lattice, left to right: ``best[end] =
   max(best[start] + score(piece))``. Scores add up in 32-bit floats, as in
   sentencepiece, and ties keep the first candidate (shorter pieces from the same
   start, earlier starts), which is the order of sentencepiece's ``EncodeOptimized``.
   Past ``±100000`` the running scores are rebased to 0 where sentencepiece rebases
   them (see :meth:`UnigramTokenizer.viterbi`), so long texts round alike too.
   User-defined pieces score ``0.1 * (length - 1)``, so they always win.
4. **Byte fallback** (models trained with ``byte_fallback``): an unknown piece is
   written as its UTF-8 bytes ``<0xNN>`` instead of ``<unk>``.

Beyond the best path (``unigram_model.cc``'s ``Lattice``):

* :meth:`UnigramTokenizer.nbest` - the ``n`` best segmentations, by A* search from the
  end of the text back to the start, with the exact Viterbi scores of the prefixes as
  the heuristic (``Lattice::NBest``); the priority queue is libstdc++'s binary heap,
  reproduced so that ties come out in sentencepiece's order.
* :meth:`UnigramTokenizer.sample` - *subword regularisation*: one segmentation drawn
  with probability proportional to ``p(segmentation) ** alpha``, by the forward
  algorithm and backward sampling (``Lattice::Sample``); with ``nbest_size > 1`` drawn
  from the n-best list instead (``SampleEncode``).

Decoding (``SentencePieceProcessor::Decode``): pieces joined, ``▁`` back to spaces, the
first piece's leading ``▁`` dropped, control pieces (``<s>``, ``</s>``) invisible,
``<unk>`` written as ``" ⁇ "`` (the model's ``unk_surface``), byte pieces back to UTF-8
(a run that is not valid UTF-8 gives one U+FFFD per byte).
"""

from __future__ import annotations

import math
import random
import struct
from pathlib import Path
from typing import Sequence

from .base import MalformedVocabError, Tokenizer, check_valid_text
from .sentencepiece_model import (
    BYTE,
    CONTROL,
    NORMAL,
    UNKNOWN,
    UNUSED,
    USER_DEFINED,
    Normalizer,
    SentencePieceModel,
    read_model,
)
from .sentencepiece_rules import SPACE, byte_piece_value

UNK_PENALTY = 10.0  # sentencepiece's kUnkPenalty
SCORE_RESET = 100000.0  # sentencepiece's kScoreResetThreshold (EncodeOptimized, in 0.2.3)
_F32 = struct.Struct("<f")


def f32(x: float) -> float:
    """``x`` rounded to a 32-bit float, the precision sentencepiece adds scores in."""
    return _F32.unpack(_F32.pack(x))[0]


class Node:
    """An edge of the lattice: piece ``id`` over characters ``[start, start + length)``."""

    __slots__ = ("id", "start", "length", "score", "backtrace", "best_prev")

    def __init__(self, id: int, start: int, length: int, score: float):
        self.id, self.start, self.length, self.score = id, start, length, score
        self.backtrace = 0.0  # best score of a path from the start of the text to the end of this node
        self.best_prev: Node | None = None

    @property
    def end(self) -> int:
        return self.start + self.length


class Lattice:
    """All segmentations of a normalised text: ``begin[i]`` / ``end[i]`` list the nodes
    that start / end at character ``i``, in sentencepiece's insertion order. ``bos`` ends
    at 0 and ``eos`` starts at ``len(text)``."""

    def __init__(self, text: str):
        self.text = text
        n = len(text)
        self.begin: list[list[Node]] = [[] for _ in range(n + 1)]
        self.end: list[list[Node]] = [[] for _ in range(n + 1)]
        self.bos = Node(-1, 0, 0, 0.0)
        self.eos = Node(-1, n, 0, 0.0)
        self.end[0].append(self.bos)
        self.begin[n].append(self.eos)

    def insert(self, node: Node) -> None:
        self.begin[node.start].append(node)
        self.end[node.end].append(node)

    def viterbi(self) -> list[Node]:
        """The best path (``Lattice::Viterbi``): fills every node's ``backtrace`` score."""
        for pos in range(len(self.text) + 1):
            for right in self.begin[pos]:
                best, best_score = None, 0.0
                for left in self.end[pos]:
                    score = f32(left.backtrace + right.score)
                    if best is None or score > best_score:
                        best, best_score = left, score
                right.best_prev, right.backtrace = best, best_score
        path = []
        node = self.eos.best_prev
        while node is not None and node is not self.bos:
            path.append(node)
            node = node.best_prev
        return path[::-1]

    def forward(self, alpha: float) -> dict[int, float]:
        """log of the summed ``p ** alpha`` of all paths from the start to each node's start
        (``Lattice::ForwardAlgorithm``), keyed by ``id(node)``."""
        logs = {id(self.bos): 0.0}
        for pos in range(len(self.text) + 1):
            for right in self.begin[pos]:
                terms = [logs[id(left)] + alpha * left.score for left in self.end[pos]]
                top = max(terms)
                logs[id(right)] = top + math.log(sum(math.exp(t - top) for t in terms))
        return logs


def _heap_push(heap: list, item, key) -> None:
    """``std::push_heap`` of libstdc++ on a max-heap ordered by ``key``."""
    heap.append(item)
    hole = len(heap) - 1
    parent = (hole - 1) // 2
    while hole > 0 and key(heap[parent]) < key(item):
        heap[hole] = heap[parent]
        hole, parent = parent, (parent - 1) // 2
    heap[hole] = item


def _heap_pop(heap: list, key):
    """``std::pop_heap`` of libstdc++ (``__adjust_heap``: hole to a leaf, then sift up)."""
    top = heap[0]
    value = heap.pop()
    length = len(heap)
    if length == 0:
        return top
    hole = 0
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if key(heap[child]) < key(heap[child - 1]):
            child -= 1
        heap[hole] = heap[child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        heap[hole] = heap[child - 1]
        hole = child - 1
    parent = (hole - 1) // 2
    while hole > 0 and key(heap[parent]) < key(value):
        heap[hole] = heap[parent]
        hole, parent = parent, (parent - 1) // 2
    heap[hole] = value
    return top


class UnigramTokenizer(Tokenizer):
    """A SentencePiece Unigram model: pieces with log-probabilities, normaliser, trainer flags."""

    def __init__(self, model: SentencePieceModel, name: str = "unigram"):
        if model.trainer.model_type != "unigram":
            raise MalformedVocabError(f"{name}: a {model.trainer.model_type} model, not unigram")
        if model.trainer.treat_whitespace_as_suffix:
            raise MalformedVocabError(f"{name}: treat_whitespace_as_suffix models are not supported")
        self.name = name
        self.model = model
        self.pieces = model.pieces
        self.scores = [f32(s) for s in model.scores]
        self.types = model.types
        self.piece_ids = {p: i for i, p in enumerate(self.pieces) if self.types[i] in (NORMAL, USER_DEFINED, UNUSED)}
        self.all_ids = {p: i for i, p in enumerate(self.pieces)}
        self.unk_id = self.types.index(UNKNOWN)
        self.byte_fallback = model.trainer.byte_fallback
        self.byte_ids: dict[int, int] = {}
        for i, (piece, kind) in enumerate(zip(self.pieces, self.types)):
            if kind == BYTE:
                value = byte_piece_value(piece)
                if value is None:
                    raise MalformedVocabError(f"{name}: byte piece {i} is {piece!r}, expected <0xNN>")
                self.byte_ids[value] = i
        if self.byte_fallback and len(self.byte_ids) != 256:
            raise MalformedVocabError(f"{name}: byte fallback needs the 256 pieces <0x00>..<0xFF>")
        normal = [s for s, t in zip(self.scores, self.types) if t == NORMAL]
        self.min_score = min(normal) if normal else 0.0
        self.unk_score = f32(self.min_score - UNK_PENALTY)
        self.max_length = max((len(p) for p in self.piece_ids), default=1)
        user_defined = [p for p, t in zip(self.pieces, self.types) if t == USER_DEFINED]
        self.normalizer = Normalizer(model.normalizer, user_defined)
        self.unk_surface = model.trainer.unk_surface

    # ---- normalisation and the lattice ------------------------------------------------
    def normalize(self, text: str) -> str:
        """The normalised text (what ``encode``, ``nbest`` and ``sample`` segment); a lone
        surrogate is refused, as sentencepiece refuses it."""
        check_valid_text(text, f"{self.name}.normalize")
        return self.normalizer.normalize(text)

    def _piece_score(self, i: int, length: int) -> float:
        """The score of piece ``i``; a user-defined piece scores ``0.1 * (length - 1)``
        (``GetUserDefinedScore`` of sentencepiece 0.2.3; 0.2.0 had ``length * max_score -
        0.1``, which a segmentation into fewer normal pieces could beat): never negative, so
        above every log-probability, and higher for longer pieces. ``length`` is what
        sentencepiece counts: UTF-8 bytes in ``EncodeOptimized`` (:meth:`viterbi`),
        characters in the lattice (:meth:`lattice`, for ``nbest`` and ``sample``)."""
        return f32(0.1 * (length - 1)) if self.types[i] == USER_DEFINED else self.scores[i]

    def candidates(self, text: str, start: int) -> list[tuple[int, int]]:
        """``(id, length)`` of the pieces that start ``text[start:]``, shortest first."""
        found = []
        for length in range(1, min(self.max_length, len(text) - start) + 1):
            i = self.piece_ids.get(text[start : start + length])
            if i is not None and self.types[i] != UNUSED:
                found.append((i, length))
        return found

    def lattice(self, normalized: str) -> Lattice:
        """Every piece at every position, plus unknown one-character nodes (``PopulateNodes``)."""
        lattice = Lattice(normalized)
        for start in range(len(normalized)):
            single = False
            for i, length in self.candidates(normalized, start):
                lattice.insert(Node(i, start, length, self._piece_score(i, length)))
                single = single or length == 1
            if not single:
                lattice.insert(Node(self.unk_id, start, 1, self.unk_score))
        return lattice

    # ---- encoding ------------------------------------------------------------------------
    def viterbi(self, normalized: str) -> list[tuple[int, int, int]]:
        """The best segmentation as ``(id, start, end)`` (``EncodeOptimized``).

        ``best[end]`` is the 32-bit score of the best path ending at ``end``. Over a long
        text that sum grows past the precision of a float (at 300 000 one unit in the last
        place is 1/32), so sentencepiece (0.2.3; not 0.2.0) rebases it: when the score at the
        position being extended is beyond ``±SCORE_RESET``, that score is subtracted from
        every score already written from there up to the furthest end reached. The rounding
        of all later sums depends on this, and so do near-ties (``▁ hash`` against ``▁has h``
        after 86 000 characters of text), so it is done here in the same places.
        """
        n = len(normalized)
        best = [0.0] * (n + 1)
        back: list[tuple[int, int] | None] = [None] * (n + 1)  # (start, id) of the best last piece
        frontier = 0  # the furthest end of a piece written so far
        for start in range(n):
            if abs(best[start]) > SCORE_RESET:
                offset = best[start]
                for end in range(start, frontier + 1):
                    if end == start or back[end] is not None:
                        best[end] = f32(best[end] - offset)
            here = best[start]
            single = False
            for i, length in self.candidates(normalized, start):
                size = len(self.pieces[i].encode("utf-8")) if self.types[i] == USER_DEFINED else length
                score = f32(self._piece_score(i, size) + here)
                end = start + length
                frontier = max(frontier, end)
                if back[end] is None or score > best[end]:
                    best[end], back[end] = score, (start, i)
                single = single or length == 1
            if not single:
                score = f32(self.unk_score + here)
                frontier = max(frontier, start + 1)
                if back[start + 1] is None or score > best[start + 1]:
                    best[start + 1], back[start + 1] = score, (start, self.unk_id)
        path = []
        end = n
        while end > 0:
            start, i = back[end]  # type: ignore[misc]
            path.append((i, start, end))
            end = start
        return path[::-1]

    def _ids(self, normalized: str, path: Sequence[tuple[int, int, int]]) -> list[int]:
        """Ids of a path: a run of unknown pieces becomes one unknown piece (as in
        sentencepiece), written as its UTF-8 bytes when the model has byte fallback."""
        merged: list[tuple[int, int, int]] = []
        for i, start, end in path:
            if i == self.unk_id and merged and merged[-1][0] == self.unk_id:
                merged[-1] = (i, merged[-1][1], end)
            else:
                merged.append((i, start, end))
        ids = []
        for i, start, end in merged:
            if i == self.unk_id and self.byte_fallback:
                ids.extend(self.byte_ids[b] for b in normalized[start:end].encode("utf-8"))
            else:
                ids.append(i)
        return ids

    def _encode_ordinary(self, text: str) -> list[int]:
        normalized = self.normalize(text)
        return self._ids(normalized, self.viterbi(normalized))

    def nbest(self, text: str, n: int) -> list[list[int]]:
        """The ``n`` most probable segmentations, best first (``NBestEncodeAsIds``)."""
        normalized = self.normalize(text)
        if not normalized:
            return [[]]
        n = max(1, min(n, 1024))
        if n == 1:
            return [self._encode_ordinary(text)]
        return [self._ids(normalized, path) for path, _ in self._nbest_paths(normalized, n)]

    def _nbest_paths(self, normalized: str, n: int) -> list[tuple[list[tuple[int, int, int]], float]]:
        """A* from the end back to the start: ``f = g + h``, ``g`` the score of the suffix
        chosen so far, ``h`` the exact Viterbi score of the best prefix (``Lattice::NBest``)."""
        lattice = self.lattice(normalized)
        lattice.viterbi()
        # A hypothesis: [node, next hypothesis, f, g]
        key = lambda h: h[2]  # noqa: E731
        agenda: list = []
        _heap_push(agenda, [lattice.eos, None, lattice.eos.backtrace, 0.0], key)
        results = []
        while agenda:
            top = _heap_pop(agenda, key)
            node = top[0]
            if node is lattice.bos:
                path, hyp = [], top[1]
                while hyp[1] is not None:
                    path.append((hyp[0].id, hyp[0].start, hyp[0].end))
                    hyp = hyp[1]
                results.append((path, top[2]))
                if len(results) == n:
                    break
                continue
            for left in lattice.end[node.start]:
                g = f32(left.score + top[3])
                _heap_push(agenda, [left, top, f32(left.backtrace + top[3]), g], key)
            if len(agenda) >= 10000:  # sentencepiece keeps only the best hypotheses then
                keep = min(512, n * 10)
                agenda, old = [], agenda
                for _ in range(keep):
                    _heap_push(agenda, _heap_pop(old, key), key)
        return results

    def sample(self, text: str, alpha: float = 0.1, nbest_size: int = -1, rng: random.Random | None = None) -> list[int]:
        """One segmentation drawn with probability ``∝ p(segmentation) ** alpha`` (Kudo 2018).

        ``nbest_size < 0``: from all segmentations (forward-filtering, backward-sampling);
        ``nbest_size > 1``: from the ``nbest_size`` best; ``0`` or ``1``: the best one.
        """
        rng = rng if rng is not None else random.Random()
        normalized = self.normalize(text)
        if not normalized:
            return []
        if nbest_size in (0, 1):
            return self._ids(normalized, self.viterbi(normalized))
        if nbest_size > 1:
            paths = self._nbest_paths(normalized, min(nbest_size, 512))
            top = max(alpha * score for _, score in paths)
            weights = [math.exp(alpha * score - top) for _, score in paths]
            path = rng.choices([p for p, _ in paths], weights)[0]
            return self._ids(normalized, path)
        lattice = self.lattice(normalized)
        logs = lattice.forward(alpha)
        path = []
        node = lattice.eos
        while True:
            lefts = lattice.end[node.start]
            z = logs[id(node)]
            weights = [math.exp(logs[id(left)] + alpha * left.score - z) for left in lefts]
            node = rng.choices(lefts, weights)[0]
            if node is lattice.bos:
                break
            path.append((node.id, node.start, node.end))
        return self._ids(normalized, path[::-1])

    # ---- decoding ------------------------------------------------------------------------
    def _decode_ordinary(self, ids: list[int]) -> str:
        parts: list[str] = []
        run = bytearray()
        first = True  # still at the start of the text, whose dummy prefix ▁ is dropped
        spec = self.model.normalizer
        strip_first = spec.add_dummy_prefix or spec.remove_extra_whitespaces
        for i in ids + [-1]:
            if i >= 0 and self.types[i] == BYTE:
                run.append(byte_piece_value(self.pieces[i]))  # type: ignore[arg-type]
                continue
            if run:  # byte pieces stand for themselves: no ▁ handling
                surface = decode_bytes_leniently(run)
                run = bytearray()
                parts.append(surface)
                first = first and not surface
            if i < 0 or self.types[i] == CONTROL:
                continue
            if self.types[i] == UNKNOWN:
                surface = self.unk_surface
            else:
                surface = self.pieces[i]
                if first and strip_first:
                    surface = surface.removeprefix(SPACE)
                surface = surface.replace(SPACE, " ")
            parts.append(surface)
            first = first and not surface
        return "".join(parts)

    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False) -> str:
        """Text of ``ids`` as ``SentencePieceProcessor.decode``; control pieces are invisible."""
        return self._decode_ordinary(self._checked_ids(ids))

    # ---- vocabulary ----------------------------------------------------------------------
    @property
    def special_tokens(self) -> dict[str, int]:
        """The control pieces and ``<unk>``. sentencepiece never matches them in the text
        (``"<s>"`` in a text is spelt with ordinary pieces), so they are no added tokens."""
        return {p: i for i, (p, t) in enumerate(zip(self.pieces, self.types)) if t in (CONTROL, UNKNOWN)}

    def token_to_id(self, token: str) -> int | None:
        return self.all_ids.get(token)

    def to_tokenizer_json(self) -> dict:
        """Refused with the reasons (:func:`.tokenizer_json.unigram`)."""
        from . import tokenizer_json

        return tokenizer_json.unigram(name=self.name, pieces=self.pieces, types=self.types, unk_surface=self.unk_surface)


def decode_bytes_leniently(data: bytes) -> str:
    """UTF-8 ``data`` with one U+FFFD per byte that does not start a valid character
    (sentencepiece's ``ProcessBytePieces``; Python's ``errors="replace"`` differs)."""
    out = []
    i = 0
    while i < len(data):
        lead = data[i]
        n = 1 if lead < 0x80 else 2 if 0xC2 <= lead < 0xE0 else 3 if 0xE0 <= lead < 0xF0 else 4 if 0xF0 <= lead < 0xF5 else 0
        try:
            out.append(data[i : i + n].decode("utf-8") if n else "\ufffd")
            i += n or 1
        except UnicodeDecodeError:
            out.append("\ufffd")
            i += 1
    return "".join(out)


def from_sentencepiece(path: str | Path, name: str | None = None) -> UnigramTokenizer:
    """A Unigram tokenizer from a SentencePiece ``.model`` file."""
    model = read_model(path)
    return UnigramTokenizer(model, name=name or Path(path).stem)


class GGUFUnigram(UnigramTokenizer):
    """A :class:`UnigramTokenizer` read from a GGUF file (:func:`from_gguf_vocab`), with the
    special tokens the original Hugging Face tokenizer has: its control and unknown pieces
    (``<s>``, ``</s>``, ``<mask>`` ...) are matched in the text as special added tokens, and
    ``encode`` puts BOS in front and EOS after when the file asks for them
    (``add_bos_token`` / ``add_eos_token``: XLM-RoBERTa's ``<s> ... </s>``)."""

    def __init__(self, model: SentencePieceModel, name: str, added_tokens, bos_id: int | None, eos_id: int | None):
        super().__init__(model, name=name)
        self.added_tokens = tuple(added_tokens)
        self.bos_id, self.eos_id = bos_id, eos_id

    def _wrap(self, ids: list[int]) -> list[int]:
        return [*([self.bos_id] if self.bos_id is not None else []), *ids, *([self.eos_id] if self.eos_id is not None else [])]

    @property
    def special_tokens(self) -> dict[str, int]:
        return {t.content: t.id for t in self.added_tokens if t.special}


def from_gguf_vocab(vocab) -> GGUFUnigram:
    """A GGUF file's ``"t5"`` tokenizer (llama.cpp's UGM: T5, XLM-RoBERTa, nomic-embed-v2 ...).

    The file holds what a SentencePiece Unigram ``.model`` holds, field for field:
    ``tokenizer.ggml.tokens`` / ``scores`` / ``token_type`` are the pieces, their
    log-probabilities and types (llama.cpp's token types are sentencepiece's
    ``ModelProto.SentencePiece.Type`` numbers: 1 normal, 2 unknown, 3 control,
    4 user-defined, 5 unused, 6 byte), and ``precompiled_charsmap``,
    ``add_space_prefix`` and ``remove_extra_whitespaces`` the normaliser spec (the
    converter copies them from the model's ``normalizer_spec``; llama.cpp's defaults when
    absent: no charsmap, ``add_space_prefix`` true for this model type, no whitespace
    removal). So the model is rebuilt as a :class:`SentencePieceModel` and segmented by the
    same normaliser and Viterbi as a ``.model`` file (sentencepiece's ``Normalizer`` and
    ``EncodeOptimized``).

    llama.cpp's own ``llm_tokenizer_ugm`` follows the same steps, with differences
    that this loader does not copy, because the original tokenizer does not have them:
    it scores a user-defined piece 0 (sentencepiece: ``0.1 * (length - 1)``, which
    makes it always win), and adds scores in doubles (sentencepiece: floats, rebased
    past ``±100000``).

    Control and unknown pieces become special added tokens, and user-defined ones plain
    added tokens, as the Hugging Face tokenizer has them (XLM-RoBERTa's ``<s>``, ``<pad>``,
    ``</s>``, ``<unk>``, ``<mask>``); ``add_bos_token`` / ``add_eos_token`` wrap ``encode``.
    """
    from .base import AddedToken
    from .sentencepiece_model import NormalizerSpec, TrainerSpec

    where = vocab.path
    if vocab.model != "t5":
        raise MalformedVocabError(f"{where}: tokenizer model {vocab.model!r} is not a unigram ('t5')")
    if vocab.scores is None:
        raise MalformedVocabError(f"{where}: a unigram vocabulary needs tokenizer.ggml.scores")
    types = list(vocab.token_types)
    known_types = {NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE}
    odd = sorted({t for t in types if t not in known_types})
    if odd:
        raise MalformedVocabError(f"{where}: unknown token type(s) {odd} in tokenizer.ggml.token_type")
    unk_id = vocab.special_ids.get("unknown")
    if UNKNOWN not in types:
        if unk_id is None:
            raise MalformedVocabError(f"{where}: a unigram vocabulary needs an unknown piece (token type 2 or unknown_token_id)")
        types[unk_id] = UNKNOWN
    elif unk_id is not None and types[unk_id] != UNKNOWN:
        raise MalformedVocabError(f"{where}: unknown_token_id {unk_id} is not the piece typed unknown ({types.index(UNKNOWN)})")
    unk_id = types.index(UNKNOWN)
    byte_fallback = BYTE in types
    normalizer = NormalizerSpec(
        name="gguf",
        precompiled_charsmap=vocab.precompiled_charsmap or b"",
        add_dummy_prefix=True if vocab.add_space_prefix is None else vocab.add_space_prefix,
        remove_extra_whitespaces=bool(vocab.remove_extra_whitespaces),
        escape_whitespaces=True,
    )
    trainer = TrainerSpec(model_type="unigram", vocab_size=len(vocab.tokens), byte_fallback=byte_fallback, unk_id=unk_id,
                          bos_id=vocab.special_ids.get("bos", -1), eos_id=vocab.special_ids.get("eos", -1),
                          pad_id=vocab.special_ids.get("padding", -1))  # fmt: skip
    model = SentencePieceModel(list(vocab.tokens), list(vocab.scores), types, trainer, normalizer, None, path=where)
    added = [
        AddedToken(token, i, special=kind != USER_DEFINED)
        for i, (token, kind) in enumerate(zip(vocab.tokens, types))
        if kind in (CONTROL, UNKNOWN, USER_DEFINED)
    ]
    ids = {}
    for key, flag, default in (("bos", vocab.add_bos, False), ("eos", vocab.add_eos, True)):
        wanted = default if flag is None else flag  # llama.cpp's defaults for UGM: no BOS, EOS
        ids[key] = vocab.special_ids.get(key) if wanted else None
        if wanted and ids[key] is None:
            raise MalformedVocabError(f"{where}: add_{key}_token is set but there is no {key}_token_id")
    return GGUFUnigram(model, Path(where).stem, added, ids["bos"], ids["eos"])
