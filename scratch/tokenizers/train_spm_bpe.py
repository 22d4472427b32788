"""SentencePiece-style BPE training (Kudo & Richardson 2018), with byte fallback.

SentencePiece ("SentencePiece: A simple and language independent subword tokenizer and
detokenizer for Neural Text Processing", EMNLP 2018 demo) treats the text as a plain
sequence of characters, whitespace included: a space becomes the visible ``▁`` and every
line gets one in front (the "dummy prefix"), so ``"Hello world"`` is ``"▁Hello▁world"``.
Its BPE trainer (``bpe_model_trainer.cc``) then:

1. cuts each line into words before every ``▁`` (``"▁Hello"``, ``"▁world"``) and counts
   them; the alphabet is every character seen (``character_coverage=1.0``);
2. repeatedly joins the most frequent adjacent pair of pieces. Ties: the shorter piece
   (in characters), then the smaller string. A joined piece must be *valid*: at most
   16 characters, ``▁`` only at its start, and one Unicode script (digits, punctuation
   and symbols are the script "Common"; Hiragana/Katakana count as Han; combining marks
   take the script of the character before; :func:`.sentencepiece_rules.is_valid_piece`).
   A piece reached a second time through a different pair is skipped;
3. writes the vocabulary: ``<unk>``, ``<s>``, ``</s>``, the 256 byte pieces
   ``<0x00>``..``<0xFF>`` (byte fallback: a character outside the vocabulary is spelled
   as its UTF-8 bytes, so nothing is unknown), the joined pieces with score ``-i`` in
   the order they were made, then the single characters by frequency.

Agreement with the ``sentencepiece`` library (0.2.3, identity normalization, byte
fallback, coverage 1.0): the same pieces in the same order, with the same scores, on
the English, Python and multilingual corpora of ``tests/test_tokenizer_training_spm.py``.
Two places could still differ on other text: the Unicode script of characters added
after Unicode 9.0 (see :mod:`.sentencepiece_rules`), and older versions of the library look for
the best pair only among a set of frequent pairs refreshed every 100 merges, an
approximation this exact greedy loop does not make.
"""

from __future__ import annotations

import heapq
import time
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from .base import TrainingError
from .gguf_vocab import BYTE, CONTROL, NORMAL, UNKNOWN
from .sentencepiece_rules import BYTE_PIECES, META_PIECES, SPACE, is_valid_piece
from .training import checked_special_tokens, progress_bar


@dataclass
class SpmBPEResult:
    """A trained SentencePiece-style BPE vocabulary: pieces with their scores and types
    (:func:`.folders.save_spm_bpe` writes it as ``spm_bpe.json``)."""

    pieces: list[str]
    scores: list[float]
    types: list[int]
    seconds: float = 0.0

    @property
    def vocab(self) -> dict[str, int]:
        return {p: i for i, p in enumerate(self.pieces)}


def count_words(texts: Iterable[str]) -> Counter[str]:
    """Words of every line: ``▁`` + the line with spaces as ``▁``, cut before each ``▁``.

    A line ends at ``"\\n"``; ``"\\r"`` at its end is dropped (a ``"\\r\\n"`` file), as the
    library drops it, while a ``"\\r"`` inside a line is a character like any other."""
    if isinstance(texts, str):
        texts = [texts]
    counts: Counter[str] = Counter()
    for text in texts:
        for line in text.split("\n"):
            line = line.rstrip("\r")
            if not line.strip():
                continue
            normalized = SPACE + line.replace(" ", SPACE)
            counts.update(SPACE + w for w in normalized[1:].split(SPACE))
    return counts


def train_spm_bpe(
    texts: Iterable[str],
    vocab_size: int,
    special_tokens: Sequence[str] = (),
    show_progress: bool = True,
) -> SpmBPEResult:
    """Train a SentencePiece-style BPE vocabulary of exactly ``vocab_size`` pieces (if the data allows)."""
    start = time.perf_counter()
    word_counts = count_words(texts)
    if not word_counts:
        raise TrainingError("the training corpus is empty: give at least one non-empty line")
    specials = checked_special_tokens(special_tokens)
    reserved = [*META_PIECES, *specials, *BYTE_PIECES]
    if len(set(reserved)) != len(reserved):
        raise TrainingError(f"special token(s) collide with {list(META_PIECES)} or the byte pieces")
    char_counts: Counter[str] = Counter()
    for w, n in word_counts.items():
        for ch in w:
            char_counts[ch] += n
    clashing = [t for t in specials if t in char_counts]
    if clashing:
        raise TrainingError(f"special token(s) {clashing} collide with characters of the alphabet")
    n_merges = vocab_size - len(reserved) - len(char_counts)
    if n_merges < 0:
        raise TrainingError(
            f"vocab_size={vocab_size} is smaller than {len(reserved)} reserved pieces (<unk> <s> </s>, "
            f"{len(specials)} special, 256 bytes) plus the alphabet ({len(char_counts)} characters)"
        )

    words = [list(w) for w in word_counts]
    counts = list(word_counts.values())
    pair_counts: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], set[int]] = {}

    def add_windows(w: int, sign: int, delta: Counter | None = None) -> None:
        ids, n = words[w], counts[w] * sign
        for pair in zip(ids, ids[1:]):
            if is_valid_pair(pair):
                pair_counts[pair] += n
                if sign > 0:
                    where.setdefault(pair, set()).add(w)
                if delta is not None:
                    delta[pair] += n

    valid: dict[tuple[str, str], bool] = {}

    def is_valid_pair(pair) -> bool:
        ok = valid.get(pair)
        if ok is None:
            ok = valid[pair] = is_valid_piece(pair[0] + pair[1])
        return ok

    def key(pair):  # heap order: most frequent, then shorter, then smaller string
        piece = pair[0] + pair[1]
        return (-pair_counts[pair], len(piece), piece, pair)

    for w in range(len(words)):
        add_windows(w, +1)
    heap = [key(p) for p in pair_counts]
    heapq.heapify(heap)
    merged: list[str] = []
    seen: set[str] = set()
    passing: set[tuple[str, str]] = set()
    progress = progress_bar(n_merges, show_progress, "merges")
    while len(merged) < n_merges and heap:
        entry = heapq.heappop(heap)
        pair = entry[3]
        if pair_counts[pair] <= 0:
            continue
        if entry[0] != -pair_counts[pair]:
            heapq.heappush(heap, key(pair))
            continue
        piece = entry[2]
        if piece in seen:  # the same string through another pair: skipped, as the library does
            pair_counts[pair] = 0
            continue
        seen.add(piece)
        merged.append(piece)
        a, b = pair
        delta: Counter[tuple[str, str]] = Counter()
        for w in list(where.get(pair, ())):
            ids = words[w]
            if not any(x == a and y == b for x, y in zip(ids, ids[1:])):
                continue
            add_windows(w, -1, delta)
            i = 0
            while i < len(ids) - 1:
                if ids[i] == a and ids[i + 1] == b:
                    ids[i : i + 2] = [piece]
                    if i + 1 < len(ids) and is_valid_pair((piece, ids[i + 1])):
                        # Seen for a moment when the next occurrence overlaps ("aaaa" makes
                        # "aa"+"a" before "aa"+"aa"): the library keeps such pairs (count 0).
                        passing.add((piece, ids[i + 1]))
                i += 1
            add_windows(w, +1, delta)
        pair_counts[pair] = 0
        # pairs that gained need a fresh heap entry; those that lost are fixed when popped
        for p, change in delta.items():
            if change > 0 and p != pair:
                heapq.heappush(heap, key(p))
        progress.update(len(merged) - progress.n)
    if len(merged) < n_merges:
        # No pair occurs any more. The library goes on with the pairs it has seen whose
        # count has fallen to zero (shorter first, then the smaller string), then stops.
        for piece in sorted({a + b for a, b in pair_counts.keys() | passing} - seen, key=lambda s: (len(s), s)):
            if len(merged) == n_merges:
                break
            seen.add(piece)
            merged.append(piece)
    progress.update(len(merged) - progress.n)
    progress.close()
    if len(merged) < n_merges:
        # sentencepiece (hard_vocab_limit, its default) refuses: "Vocabulary size too high".
        most = vocab_size - (n_merges - len(merged))
        raise TrainingError(
            f"vocab_size={vocab_size} is too high for this corpus: it gives at most {most} pieces; "
            f"set vocab_size to {most} or less, or give more text"
        )

    chars = sorted(char_counts, key=lambda c: (-char_counts[c], c))
    pieces = reserved + merged + chars
    scores = [0.0] * len(reserved) + [-float(i) for i in range(len(merged) + len(chars))]
    types = [UNKNOWN, CONTROL, CONTROL] + [CONTROL] * len(specials) + [BYTE] * 256 + [NORMAL] * (len(merged) + len(chars))
    return SpmBPEResult(pieces, scores, types, time.perf_counter() - start)
