"""Training a WordPiece vocabulary (Schuster & Nakajima 2012; Wu et al. 2016).

WordPiece builds its vocabulary bottom-up like BPE: start from single characters and
keep joining two adjacent pieces into one. A piece that does not start a word is
written with the continuation prefix ``##`` (``"playing"`` -> ``play ##ing``). What
differs is *which* pair is joined:

* **likelihood** (``method="likelihood"``, the original criterion; Schuster & Nakajima,
  "Japanese and Korean Voice Search", ICASSP 2012, as described for BERT's vocabulary by
  Wu et al. 2016): join the pair that most increases the likelihood of the training
  data under a unigram model of pieces. Joining ``a`` and ``b`` into ``ab`` changes the
  log-likelihood by about ``log p(ab) - log p(a) - log p(b)``, so the pair maximising

      score(a, b) = count(ab) / (count(a) * count(b))

  is taken: pieces that occur together much more often than chance, rather than just
  often. ``"t" + "##h"`` is frequent but both halves are everywhere, so it scores low;
  a rare but faithful pair such as ``"q" + "##u"`` scores high.
* **frequency** (``method="hf"``): Hugging Face ``tokenizers``' ``WordPieceTrainer``
  does not use that score. It runs its BPE trainer with ``continuing_subword_prefix="##"``
  and keeps the resulting vocabulary (``models/wordpiece/trainer.rs``: ``BpeTrainer``,
  then ``WordPiece::from_bpe``), so it joins the most *frequent* pair. This mode
  reproduces that: same words, same alphabet (every character of the normalized
  corpus), same merge loop as :func:`.train_bpe.train_bpe`.

Pre-tokenization is BERT's (:mod:`.bert_normalizer`): clean the text, isolate CJK
characters, optionally lower-case and strip accents, split on whitespace and
punctuation. The vocabulary is: special tokens, the alphabet sorted by code point, then
``##`` + every character that occurs inside a word, then the joined pieces in order.

The likelihood mode comes twice: a readable loop that recounts and rescores every pair
after each join, and an incremental one (counts kept up to date, a lazy max-heap of
scores) that gives the same joins much faster.
"""

from __future__ import annotations

import heapq
from collections import Counter
from typing import Iterable, Sequence

from . import bert_normalizer
from .base import TrainingError
from .train_bpe import merge_loop
from .training import checked_special_tokens, progress_bar
from .wordpiece import BERT_SPECIAL_TOKENS, CONTINUING_PREFIX


def count_words(texts: Iterable[str], lowercase: bool = True) -> Counter[str]:
    """BERT-normalized, BERT-pre-tokenized words and how often each occurs."""
    if isinstance(texts, str):
        texts = [texts]
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(bert_normalizer.pre_tokenize(bert_normalizer.normalize(text, lowercase)))
    return counts


def _start(word_counts: Counter[str], vocab_size: int, special_tokens: Sequence[str]):
    """Special tokens + alphabet + ``##`` continuations; the words as lists of ids."""
    if not word_counts:
        raise TrainingError("the training corpus is empty: give at least one text with a word in it")
    special_tokens = checked_special_tokens(special_tokens)
    alphabet = sorted({c for w in word_counts for c in w})
    clashing = [t for t in special_tokens if t in alphabet]
    if clashing:
        raise TrainingError(f"special token(s) {clashing} collide with characters of the alphabet")
    tokens = special_tokens + alphabet
    token_id = {t: i for i, t in enumerate(tokens)}
    words = []
    for w in word_counts:
        ids = []
        for i, c in enumerate(w):
            piece = c if i == 0 else CONTINUING_PREFIX + c
            if piece not in token_id:
                token_id[piece] = len(tokens)
                tokens.append(piece)
            ids.append(token_id[piece])
        words.append(ids)
    if vocab_size < len(special_tokens) + len(alphabet):
        raise TrainingError(
            f"vocab_size={vocab_size} is smaller than the alphabet ({len(alphabet)} characters) plus "
            f"{len(special_tokens)} special token(s) = {len(special_tokens) + len(alphabet)}"
        )
    return tokens, token_id, words


def _join(a: str, b: str) -> str:
    return a + (b[len(CONTINUING_PREFIX) :] if b.startswith(CONTINUING_PREFIX) else b)


def train_wordpiece(
    texts: Iterable[str],
    vocab_size: int,
    min_frequency: int = 0,
    special_tokens: Sequence[str] = BERT_SPECIAL_TOKENS,
    lowercase: bool = True,
    method: str = "likelihood",
    show_progress: bool = True,
    readable: bool = False,
) -> dict[str, int]:
    """Train a WordPiece vocabulary (token -> id) of at most ``vocab_size`` tokens.

    ``method="likelihood"`` joins the pair with the best ``count(ab) / (count(a) count(b))``
    (ties: the higher pair count, then the smallest pair of ids); ``method="hf"`` joins
    the most frequent pair, as ``tokenizers``' ``WordPieceTrainer``. A join needs the pair
    to occur at least ``min_frequency`` times (and at least once). ``readable=True`` runs
    the likelihood mode as the plain recount-and-score loop (slow; the tests check that
    both loops agree).
    """
    if method not in ("likelihood", "hf"):
        raise TrainingError(f"unknown method {method!r}: 'likelihood' or 'hf'")
    word_counts = count_words(texts, lowercase)
    tokens, token_id, words = _start(word_counts, vocab_size, special_tokens)
    counts = list(word_counts.values())
    if method == "hf":
        merge_loop(words, counts, tokens, token_id, vocab_size, min_frequency, show_progress, prefix=CONTINUING_PREFIX)
        return token_id
    progress = progress_bar(vocab_size - len(tokens), show_progress, "joins")
    loop = _likelihood_recount if readable else _likelihood_incremental
    loop(words, counts, tokens, token_id, vocab_size, max(min_frequency, 1), progress)
    return token_id


def _join_everywhere(ids: list[int], a: int, b: int, new: int) -> None:
    """Replace ``a b`` by ``new`` in ``ids``, left to right."""
    i = 0
    while i < len(ids) - 1:
        if ids[i] == a and ids[i + 1] == b:
            ids[i : i + 2] = [new]
        i += 1


def _new_piece(tokens: list[str], token_id: dict[str, int], a: int, b: int) -> int:
    piece = _join(tokens[a], tokens[b])
    if piece not in token_id:
        token_id[piece] = len(tokens)
        tokens.append(piece)
    return token_id[piece]


def _likelihood_recount(words, counts, tokens, token_id, vocab_size, min_count, progress) -> None:
    """The readable loop: recount pieces and pairs, score every pair, join the best."""
    n_start = len(tokens)
    while len(token_id) < vocab_size:
        piece_counts: Counter[int] = Counter()
        pair_counts: Counter[tuple[int, int]] = Counter()
        for ids, n in zip(words, counts):
            for i in ids:
                piece_counts[i] += n
            for pair in zip(ids, ids[1:]):
                pair_counts[pair] += n
        candidates = [p for p, c in pair_counts.items() if c >= min_count]
        if not candidates:
            break

        def score(pair):  # best score, then the more frequent pair, then the smallest ids
            a, b = pair
            return (pair_counts[pair] / (piece_counts[a] * piece_counts[b]), pair_counts[pair], -a, -b)

        a, b = max(candidates, key=score)
        new = _new_piece(tokens, token_id, a, b)
        for ids in words:
            _join_everywhere(ids, a, b, new)
        progress.update(len(token_id) - n_start - progress.n)
    progress.close()


def _likelihood_incremental(words, counts, tokens, token_id, vocab_size, min_count, progress) -> None:
    """The same joins, with counts kept up to date and the best pair from a lazy max-heap.

    A join changes the counts of its two parts, so the score of every pair that contains
    either part goes up: those pairs get fresh heap entries, as do the pairs whose own
    count changed. An entry whose score is out of date is re-pushed when it surfaces.
    """
    n_start = len(tokens)
    piece_counts: Counter[int] = Counter()
    pair_counts: Counter[tuple[int, int]] = Counter()
    where: dict[tuple[int, int], set[int]] = {}
    pairs_with: dict[int, set[tuple[int, int]]] = {}

    def count_word(w: int, sign: int, delta: Counter) -> None:
        ids, n = words[w], counts[w] * sign
        for i in ids:
            piece_counts[i] += n
        for pair in zip(ids, ids[1:]):
            pair_counts[pair] += n
            delta[pair] += n
            if sign > 0 and pair not in where:
                where[pair] = set()
                pairs_with.setdefault(pair[0], set()).add(pair)
                pairs_with.setdefault(pair[1], set()).add(pair)
            if sign > 0:
                where[pair].add(w)

    def entry(pair):
        a, b = pair
        c = pair_counts[pair]
        return (-c / (piece_counts[a] * piece_counts[b]), -c, a, b)

    for w in range(len(words)):
        count_word(w, +1, Counter())
    heap = [entry(p) for p in pair_counts]
    heapq.heapify(heap)
    while len(token_id) < vocab_size and heap:
        top = heapq.heappop(heap)
        pair = top[2], top[3]
        if pair_counts[pair] < min_count:
            continue  # gone, or too rare (an increase pushes it again)
        current = entry(pair)
        if current != top:
            heapq.heappush(heap, current)
            continue
        a, b = pair
        new = _new_piece(tokens, token_id, a, b)
        delta: Counter[tuple[int, int]] = Counter()
        for w in list(where[pair]):
            ids = words[w]
            if not any(x == a and y == b for x, y in zip(ids, ids[1:])):
                continue
            count_word(w, -1, delta)
            _join_everywhere(ids, a, b, new)
            count_word(w, +1, delta)
        changed = {p for p, d in delta.items() if d} | pairs_with.get(a, set()) | pairs_with.get(b, set())
        for p in changed:
            if pair_counts[p] >= min_count:
                heapq.heappush(heap, entry(p))
        progress.update(len(token_id) - n_start - progress.n)
    progress.close()
