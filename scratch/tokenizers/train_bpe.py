"""Training a byte-level BPE tokenizer from text (Sennrich et al. 2016, with GPT-2's bytes).

Byte Pair Encoding (Sennrich, Haddow & Birch, "Neural Machine Translation of Rare Words
with Subword Units", ACL 2016) builds a vocabulary bottom-up:

1. Cut the corpus into *words* with a pre-tokenizer regex (GPT-2's or cl100k's, see
   :mod:`.pretokenizers`) and count how often each distinct word occurs. BPE never
   merges across a word boundary, so from here on only the word counts matter.
2. Spell every word as its UTF-8 bytes. The starting vocabulary is the special tokens,
   then all 256 bytes (byte-level BPE, so nothing is ever unknown).
3. Repeatedly find the most frequent *adjacent pair* of symbols, summed over all words
   weighted by word count, make it a new symbol, and replace it in every word.
   Stop when the vocabulary is full, or when the best pair occurs fewer than
   ``min_frequency`` times.

The merges, in the order they were made, *are* the tokenizer: encoding replays them.

Two implementations live here, as in Karpathy's minbpe:

* :func:`train_bpe_naive` recounts every pair in every word after each merge. Easy to
  check by eye, O(merges x corpus): fine for a few kilobytes.
* :func:`train_bpe` keeps the pair counts and, per pair, the words it occurs in; a merge
  only touches the words containing the pair and adjusts the counts of the pairs around
  each occurrence. The best pair comes from a max-heap whose stale entries are fixed
  lazily when they reach the top.

The reference matched is Hugging Face ``tokenizers``' ``BpeTrainer``
(``tokenizers/src/models/bpe/trainer.rs``, ``word.rs``), configured with
``initial_alphabet=ByteLevel.alphabet()``:

* ids: special tokens first (in the order given), then the alphabet sorted by the code
  point of each byte's stand-in character (``!`` = 33 first, ``Ā`` = 256 ... last), then
  one id per new token in merge order;
* a word is each chunk of each input text, counted over all texts;
* ties: among pairs of equal count the one with the smallest ``(left id, right id)``
  wins;
* a merge is applied left to right inside a word (``"aaa"`` -> ``"aa a"``);
* its lazy queue has quirks that decide the order in rare cases, and :func:`train_bpe`
  follows them: the count of the merged pair itself is never decreased; a pair that gains
  occurrences gets a *new* queue entry that knows only the words where it gained them;
  when a merge re-creates a token that already exists (``"ab"+"c"`` after ``"a"+"bc"``),
  a pair around it can therefore be merged in two steps, and the merge is listed twice
  (``merges.txt`` keeps the later place, as the reference's ``HashMap`` of merges does).
"""

from __future__ import annotations

import heapq
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from . import pretokenizers
from .base import TrainingError
from .bytes_to_unicode import BYTE_TO_CHAR
from .pretokenizers import PreTokenizer
from .training import checked_special_tokens, progress_bar

#: ``"cl100k"`` is GPT-4's regex as Llama-3's ``tokenizer.json`` spells it, without
#: tiktoken's possessive quantifiers: Oniguruma (the regex engine of ``tokenizers``)
#: reads tiktoken's ``\p{N}{1,3}+`` as "one or more runs of 1-3 digits", so a tokenizer
#: written with that spelling would not split numbers in threes once loaded by HF.
PRE_TOKENIZERS: dict[str, PreTokenizer] = {"gpt2": pretokenizers.GPT2, "cl100k": pretokenizers.LLAMA3}

#: The 256 byte stand-in characters in the reference's order (by code point).
ALPHABET: list[str] = sorted(BYTE_TO_CHAR.values())


@dataclass
class BPEResult:
    """A trained byte-level BPE: ``vocab`` (spelled token -> id) and ``merges`` (ranked pairs).

    :func:`.folders.save_byte_bpe` writes it as ``vocab.json``, ``merges.txt`` and ``tokenizer.json``."""

    vocab: dict[str, int]
    merges: list[tuple[str, str]]
    special_tokens: list[str] = field(default_factory=list)
    pretokenizer: str = "gpt2"
    seconds: float = 0.0


# ---- shared steps -----------------------------------------------------------------


def pre_tokenizer_for(name: str) -> PreTokenizer:
    try:
        return PRE_TOKENIZERS[name]
    except KeyError:
        raise TrainingError(f"unknown pre-tokenizer {name!r}; choose one of {', '.join(PRE_TOKENIZERS)}") from None


def count_words(texts: Iterable[str], pretokenizer: str = "gpt2") -> Counter[str]:
    """How often each pre-tokenized chunk occurs over all ``texts`` (each text split alone)."""
    if isinstance(texts, str):
        texts = [texts]
    pre = pre_tokenizer_for(pretokenizer)
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(pre.split(text))
    return counts


def initial_vocab(vocab_size: int, special_tokens: Sequence[str]) -> list[str]:
    """Special tokens, then the 256 bytes; checks the settings first."""
    special_tokens = checked_special_tokens(special_tokens)
    clashing = [t for t in special_tokens if t in BYTE_TO_CHAR.values()]
    if clashing:
        raise TrainingError(f"special token(s) {clashing} collide with byte tokens of the alphabet")
    tokens = special_tokens + ALPHABET
    if vocab_size < len(tokens):
        raise TrainingError(
            f"vocab_size={vocab_size} is smaller than the alphabet (256 bytes) plus "
            f"{len(special_tokens)} special token(s) = {len(tokens)}"
        )
    return tokens


def _check_corpus(word_counts: Counter[str]) -> None:
    if not word_counts or not any(word_counts.values()):
        raise TrainingError("the training corpus is empty: give at least one non-empty text")


def _word_ids(word: str, token_id: dict[str, int]) -> list[int]:
    return [token_id[BYTE_TO_CHAR[b]] for b in word.encode("utf-8")]


def _dedupe_merges(merges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A pair merged twice keeps its later place (the reference keeps merges in a map)."""
    last = {pair: i for i, pair in enumerate(merges)}
    return [pair for i, pair in enumerate(merges) if last[pair] == i]


# ---- the readable version ---------------------------------------------------------


def train_bpe_naive(
    texts: Iterable[str],
    vocab_size: int,
    min_frequency: int = 2,
    special_tokens: Sequence[str] = (),
    pretokenizer: str = "gpt2",
) -> BPEResult:
    """BPE by recounting every pair after every merge. For small inputs and for reading.

    Agrees with :func:`train_bpe` whenever no merge re-creates a token that already
    exists (see the module docstring for the reference's lazy-queue quirk in that case).
    """
    start = time.perf_counter()
    word_counts = count_words(texts, pretokenizer)
    _check_corpus(word_counts)
    tokens = initial_vocab(vocab_size, special_tokens)
    token_id = {t: i for i, t in enumerate(tokens)}
    words = [(_word_ids(w, token_id), n) for w, n in word_counts.items()]
    merges: list[tuple[str, str]] = []
    while len(token_id) < vocab_size:
        # 1. count every adjacent pair, weighted by how often its word occurs
        pair_counts: Counter[tuple[int, int]] = Counter()
        for ids, n in words:
            for pair in zip(ids, ids[1:]):
                pair_counts[pair] += n
        if not pair_counts:
            break
        # 2. the most frequent pair; on a tie, the smallest (left id, right id)
        best = min(pair_counts, key=lambda p: (-pair_counts[p], p))
        if pair_counts[best] < max(min_frequency, 1):
            break
        # 3. a new token (or the id of an equal string made earlier by another pair)
        a, b = best
        new = tokens[a] + tokens[b]
        if new not in token_id:
            token_id[new] = len(tokens)
            tokens.append(new)
        merges.append((tokens[a], tokens[b]))
        # 4. replace the pair in every word, left to right
        for ids, _ in words:
            i = 0
            while i < len(ids) - 1:
                if ids[i] == a and ids[i + 1] == b:
                    ids[i : i + 2] = [token_id[new]]
                i += 1
    return BPEResult(
        token_id, _dedupe_merges(merges), list(special_tokens), pretokenizer, time.perf_counter() - start
    )


# ---- the fast version -------------------------------------------------------------


def _merge_word(ids: list[int], a: int, b: int, new: int) -> list[tuple[int, int, int]]:
    """Replace ``a b`` by ``new`` in ``ids`` left to right, in place.

    Returns the pair-count changes ``(left, right, +1 | -1)`` for one occurrence of the
    word, in the reference's order (``word.rs``'s ``Word::merge``). The merged pair's
    own count is not part of them.
    """
    changes = []
    i = 0
    while i < len(ids) - 1:
        if ids[i] == a and ids[i + 1] == b:
            if i > 0:
                changes.append((ids[i - 1], a, -1))
                changes.append((ids[i - 1], new, 1))
            ids[i : i + 2] = [new]
            if i < len(ids) - 1:
                changes.append((b, ids[i + 1], -1))
                changes.append((new, ids[i + 1], 1))
        i += 1
    return changes


def train_bpe(
    texts: Iterable[str],
    vocab_size: int,
    min_frequency: int = 2,
    special_tokens: Sequence[str] = (),
    pretokenizer: str = "gpt2",
    show_progress: bool = True,
) -> BPEResult:
    """Train byte-level BPE on ``texts`` until the vocabulary has ``vocab_size`` tokens.

    ``min_frequency``: stop when the best pair occurs fewer times. ``special_tokens``
    take the first ids. ``pretokenizer``: ``"gpt2"`` or ``"cl100k"``. Gives exactly the
    vocabulary and ranked merges of ``tokenizers``' ``BpeTrainer`` configured the same
    way (see the module docstring).
    """
    start = time.perf_counter()
    word_counts = count_words(texts, pretokenizer)
    _check_corpus(word_counts)
    tokens = initial_vocab(vocab_size, special_tokens)
    token_id = {t: i for i, t in enumerate(tokens)}
    byte_id = [token_id[BYTE_TO_CHAR[b]] for b in range(256)]
    words = [[byte_id[b] for b in w.encode("utf-8")] for w in word_counts]
    merges = merge_loop(words, list(word_counts.values()), tokens, token_id, vocab_size, min_frequency, show_progress)
    return BPEResult(
        token_id, _dedupe_merges(merges), list(special_tokens), pretokenizer, time.perf_counter() - start
    )


def merge_loop(
    words: list[list[int]],
    counts: list[int],
    tokens: list[str],
    token_id: dict[str, int],
    vocab_size: int,
    min_frequency: int,
    show_progress: bool = False,
    prefix: str | None = None,
) -> list[tuple[str, str]]:
    """The fast BPE merge loop over ``words`` (symbol ids, with ``counts``), in place.

    ``tokens`` / ``token_id`` (the starting vocabulary) grow with each new token; the
    merged pairs are returned in order. ``prefix`` (WordPiece's ``"##"``) is dropped from
    the right part when the two are joined, as in the reference.
    """
    n_start = len(tokens)
    # A pair (left, right) is packed into one int, left << SHIFT | right, which sorts
    # like the tuple: the heap's tie-break on the smallest pair comes for free.
    shift = max(vocab_size, len(tokens)).bit_length()
    mask = (1 << shift) - 1
    pair_counts: dict[int, int] = {}
    where: dict[int, set[int]] = {}
    for w, ids in enumerate(words):
        n = counts[w]
        for left, right in zip(ids, ids[1:]):
            p = left << shift | right
            pair_counts[p] = pair_counts.get(p, 0) + n
            where.setdefault(p, set()).add(w)
    # max-heap of (-count, pair, order, words) entries
    order = 0
    heap = []
    for p, pos in where.items():
        heap.append((-pair_counts[p], p, order, pos))
        order += 1
    heapq.heapify(heap)

    progress = progress_bar(vocab_size - n_start, show_progress, "merges")
    merges: list[tuple[str, str]] = []
    min_count = max(min_frequency, 1)
    while len(token_id) < vocab_size and heap:
        neg, p, _, pos = heapq.heappop(heap)
        count = pair_counts[p]
        if -neg != count:  # stale: back in with the current count
            heapq.heappush(heap, (-count, p, order, pos))
            order += 1
            continue
        if count < min_count:
            break
        a, b = p >> shift, p & mask
        right = tokens[b]
        if prefix and right.startswith(prefix):
            right = right[len(prefix) :]
        new_token = tokens[a] + right
        new = token_id.get(new_token)
        if new is None:
            new = token_id[new_token] = len(tokens)
            tokens.append(new_token)
        merges.append((tokens[a], tokens[b]))

        gained: dict[int, set[int]] = {}
        for w in pos:
            changes = _merge_word(words[w], a, b, new)
            if not changes:
                continue
            n = counts[w]
            for left, right, change in changes:
                q = left << shift | right
                pair_counts[q] = pair_counts.get(q, 0) + change * n
                if change > 0:
                    gained.setdefault(q, set()).add(w)
        for q, q_pos in gained.items():
            if pair_counts[q] > 0:
                heapq.heappush(heap, (-pair_counts[q], q, order, q_pos))
                order += 1
        progress.update(len(token_id) - n_start - progress.n)
    progress.close()
    return merges
