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
* :func:`merge_loop` keeps the pair counts and, per pair, the words it occurs in; a merge
  only touches the words containing the pair and adjusts the counts of the pairs around
  each occurrence. The best pair comes from a max-heap whose stale entries are fixed
  lazily when they reach the top. :func:`train_bpe` runs the same loop compiled
  (:func:`.train_bpe_numba.merge_loop_compiled`; tests check both make the same merges).
  Step 1 runs on every core (:func:`count_words`: worker
  processes count runs of texts, the counts are added up in corpus order), the merges in
  one process, as in nanochat's rustbpe trainer. The merges do not depend on the order
  of the words: heap entries are ordered by (count, pair, push number), each pair is
  pushed at most once per merge step, and a merge step only sums counts and collects
  sets of words, so any order of the words gives the same merges (a test checks it).

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

import gc
import heapq
import itertools
import multiprocessing
import sys
import time
from collections import Counter, defaultdict, deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

import numpy as np

from . import pretokenizers
from .base import TrainingError, check_valid_text
from .bytes_to_unicode import BYTE_TO_CHAR
from .pretokenizers import PreTokenizer
from .training import checked_special_tokens, checked_workers, progress_bar

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


#: Below this many characters in all, :func:`count_words` counts in this process: starting
#: worker processes (tens of milliseconds) would cost more than it saves.
PARALLEL_MIN_CHARS = 1_000_000
#: Bounds on the characters of the runs of texts that :func:`count_words` hands out.
CHUNK_CHARS_MIN, CHUNK_CHARS_MAX = 250_000, 4_000_000

#: In a forked worker: the corpus it was forked with (it reads its runs of texts from it).
_corpus: Sequence[str] = ()


def _count_chunk(texts: Iterable[str], pretokenizer: str, first: int = 0) -> Counter[str]:
    """The word counts of ``texts`` (the texts numbered ``first``, ``first + 1`` ... in the
    corpus, for the error messages)."""
    pre = pre_tokenizer_for(pretokenizer)
    counts: Counter[str] = Counter()
    for i, text in enumerate(texts, first):
        if not isinstance(text, str):
            raise TrainingError(f"text {i} of the corpus is a {type(text).__name__}, not a str")
        check_valid_text(text, f"text {i} of the corpus")
        counts.update(pre.split_fast(text))  # (= pre.split(text), on Python's re where it can)
    return counts


def _forks() -> bool:
    """Whether the workers are forked (Linux), not spawned: macOS and Windows have no safe ``fork``."""
    return sys.platform.startswith("linux")


def _start_worker(corpus: Sequence[str]) -> None:
    """A worker process's start: counting makes no reference cycles, so the garbage collector
    is off (a collection would write to every object the worker shares with its parent,
    copying those pages); a forked worker keeps the corpus it was handed (not pickled)."""
    global _corpus
    gc.disable()
    _corpus = corpus


def _count_run(first: int, run: list[str] | int, pretokenizer: str) -> Counter[str]:
    """A worker's job: the texts ``run``, or (an ``int``) texts ``first`` to ``run - 1`` of its corpus."""
    return _count_chunk(_corpus[first:run] if isinstance(run, int) else run, pretokenizer, first)


def _runs(texts: Iterable[str], chunk_chars: int) -> Iterator[tuple[int, int, list[str]]]:
    """``(first, end, texts first .. end - 1)``: consecutive runs of whole texts, each
    holding at least ``chunk_chars`` characters (the last one: what is left)."""
    run: list[str] = []
    size, first = 0, 0
    for i, text in enumerate(texts):
        run.append(text)
        size += len(text) if isinstance(text, str) else 0
        if size >= chunk_chars:
            yield first, i + 1, run
            run, size, first = [], 0, i + 1
    if run:
        yield first, first + len(run), run


def count_words(
    texts: Iterable[str], pretokenizer: str = "gpt2", workers: int | None = None, chunk_chars: int | None = None
) -> Counter[str]:
    """How often each pre-tokenized chunk occurs over all ``texts`` (each text split alone).

    ``workers`` processes count at once (``None``: every usable core, see
    :func:`.training.usable_cores`; ``1``: all in this process), as ``tokenizers`` counts
    on every core (rayon) and nanochat's rustbpe counts chunks in parallel. The texts are
    cut into consecutive runs of about ``chunk_chars`` characters (default: the corpus
    over twice the workers, within :data:`CHUNK_CHARS_MIN` .. :data:`CHUNK_CHARS_MAX`:
    smaller runs, smaller counts to hold and send back), each counted by a worker;
    the runs' counts are added up in corpus order, which gives the very ``Counter`` one
    process gives, insertion order included (a word is first met in the first run that
    holds it). A corpus under :data:`PARALLEL_MIN_CHARS` characters (when no
    ``chunk_chars`` is given), or one that fits in one run, is counted here. A worker's
    error (a text that is not a ``str``, or not valid Unicode) is raised here as it is
    raised on one process.

    Memory: no worker is sent the whole corpus. On Linux a list or tuple of texts is
    shared with forked workers, each sent only the numbers of its texts (the parent then
    writes nothing in the corpus's pages, so that no copy-on-write duplicates them; a
    worker copies only the pages of the texts it reads). Otherwise (an iterator of texts,
    read run by run and never held whole, or a system without ``fork``) each run is sent
    to a worker (spawned workers import the caller's main module: a script needs the
    ``if __name__ == "__main__":`` guard there, as with any ``multiprocessing``). Either way at most two runs per worker are in flight. Measured on 70 MB
    of English (2 workers): the counting's peak is about 146 MB above the start (one
    process: 25 MB), most of it the pages of the texts the workers read, which
    copy-on-write duplicates as they touch the texts' reference counts.
    """
    if isinstance(texts, str):
        texts = [texts]
    workers = checked_workers(workers)
    if chunk_chars is not None and (type(chunk_chars) is not int or chunk_chars < 1):  # (True is no size)
        raise TrainingError(f"chunk_chars must be a whole number >= 1, got {chunk_chars!r}")
    pre_tokenizer_for(pretokenizer)  # (an unknown name is refused before any work)
    if workers == 1:
        return _count_chunk(texts, pretokenizer)
    fork = _forks()
    if isinstance(texts, (list, tuple)):
        if chunk_chars is None:
            total = sum(len(t) for t in texts if isinstance(t, str))
            if total < PARALLEL_MIN_CHARS:
                return _count_chunk(texts, pretokenizer)
            chunk_chars = min(max(-(-total // (2 * workers)), CHUNK_CHARS_MIN), CHUNK_CHARS_MAX)
        if fork:  # the bounds of every run now, before the fork: the parent then leaves the texts alone
            bounds = [(first, end) for first, end, _ in _runs(texts, chunk_chars)]
            if len(bounds) < 2:
                return _count_chunk(texts, pretokenizer)
            return _count_in_processes(iter(bounds), pretokenizer, workers, "fork", texts)
    runs = ((first, run) for first, _, run in _runs(texts, chunk_chars or CHUNK_CHARS_MAX))
    first = next(runs, None)
    second = next(runs, None)
    if second is None:
        return Counter() if first is None else _count_chunk(first[1], pretokenizer, first[0])
    method = "fork" if fork else "spawn"
    return _count_in_processes(itertools.chain([first, second], runs), pretokenizer, workers, method)


def _count_in_processes(
    jobs: Iterator[tuple[int, list[str] | int]],
    pretokenizer: str,
    workers: int,
    method: str,
    corpus: Sequence[str] = (),
) -> Counter[str]:
    """:func:`count_words` of the ``jobs`` (see :func:`_count_run`) in a pool of ``workers``
    processes started by ``method`` (forked ones get ``corpus``), added up in order."""
    pre_tokenizer_for(pretokenizer).split_fast("a")  # compile the patterns once, before a fork
    counts: Counter[str] = Counter()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                               initializer=_start_worker, initargs=(corpus,))  # fmt: skip
    pending: deque = deque()
    try:
        for first, run in jobs:
            pending.append(pool.submit(_count_run, first, run, pretokenizer))
            while len(pending) >= 2 * workers:
                counts.update(pending.popleft().result())
        while pending:
            counts.update(pending.popleft().result())
    except BrokenProcessPool as exc:
        raise TrainingError(
            f"a word-counting worker process stopped unexpectedly ({exc}); it may have run out of memory: "
            "try fewer workers (workers=1 counts in this process)"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
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


def train_bpe(
    texts: Iterable[str],
    vocab_size: int,
    min_frequency: int = 2,
    special_tokens: Sequence[str] = (),
    pretokenizer: str = "gpt2",
    show_progress: bool = True,
    workers: int | None = None,
) -> BPEResult:
    """Train byte-level BPE on ``texts`` until the vocabulary has ``vocab_size`` tokens.

    ``min_frequency``: stop when the best pair occurs fewer times. ``special_tokens``
    take the first ids. ``pretokenizer``: ``"gpt2"`` or ``"cl100k"``. ``workers``: the
    processes that count the words (:func:`count_words`; ``None`` every usable core, ``1``
    this process only); the merges are made in this process. Gives exactly the
    vocabulary and ranked merges of ``tokenizers``' ``BpeTrainer`` configured the same
    way (see the module docstring), whatever ``workers``.
    """
    workers = checked_workers(workers)
    start = time.perf_counter()
    word_counts = count_words(texts, pretokenizer, workers)
    _check_corpus(word_counts)
    tokens = initial_vocab(vocab_size, special_tokens)
    token_id = {t: i for i, t in enumerate(tokens)}
    from .train_bpe_numba import merge_loop_compiled  # (numba's start-up only where it is used)

    encoded = [w.encode("utf-8") for w in word_counts]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    counts = np.fromiter(word_counts.values(), dtype=np.int64, count=len(word_counts))
    word_bytes = b"".join(encoded)
    del encoded, word_counts  # (the words as Python objects: several times the arrays' memory)
    merges = merge_loop_compiled(word_bytes, lengths, counts, tokens, token_id, vocab_size, min_frequency, show_progress)
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
    pair_counts: defaultdict[int, int] = defaultdict(int)  # (only pairs that occur are ever looked up)
    where: defaultdict[int, set[int]] = defaultdict(set)
    for w, ids in enumerate(words):
        n = counts[w]
        for left, right in zip(ids, ids[1:]):
            p = left << shift | right
            pair_counts[p] += n
            where[p].add(w)
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

        # Replace a b by new in every word holding the pair, left to right, and move the
        # counts of the pairs around each occurrence in the reference's order
        # (``word.rs``'s ``Word::merge``): (before, a) and (b, after) lose the word's count,
        # (before, new) and (new, after) gain it and remember the word. The merged pair's
        # own count is left as it is (the reference's quirk). The order of the words does
        # not matter: counts are sums, and the words a pair gained are a set.
        gained: defaultdict[int, set[int]] = defaultdict(set)
        new_left, b_left = new << shift, b << shift
        for w in pos:
            ids = words[w]
            last = len(ids) - 1  # a pair starts before the last symbol
            left = ids.count(a)  # the a's still to look at (no exception ends the search)
            i = 0
            n = counts[w]
            while left:
                i = ids.index(a, i)
                left -= 1
                if i >= last:
                    break
                if ids[i + 1] != b:
                    i += 1
                    continue
                if i > 0:
                    before = ids[i - 1] << shift
                    pair_counts[before | a] -= n  # (every pair in a word has a count)
                    q = before | new
                    pair_counts[q] += n
                    gained[q].add(w)
                ids[i] = new
                del ids[i + 1]
                last -= 1
                if a == b:
                    left -= 1
                if i < last:
                    after = ids[i + 1]
                    pair_counts[b_left | after] -= n
                    q = new_left | after
                    pair_counts[q] += n
                    gained[q].add(w)
                i += 1
        for q, q_pos in gained.items():
            if pair_counts[q] > 0:
                heapq.heappush(heap, (-pair_counts[q], q, order, q_pos))
                order += 1
        progress.update(len(token_id) - n_start - progress.n)
    progress.close()
    return merges
