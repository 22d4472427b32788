"""Training a SentencePiece Unigram model from scratch: EM with pruning (Kudo 2018).

Kudo 2018, *Subword Regularization*, section 3.2; the steps and constants follow
sentencepiece's ``unigram_model_trainer.cc`` (Kudo & Richardson 2018):

1. **Words.** Sentences are normalised (spaces -> ``▁``, dummy prefix; here with the
   identity rules, no NFKC) and cut in front of every ``▁`` into words, counted.
2. **Characters.** The most frequent characters that together cover
   ``character_coverage`` of the text are *required*; rarer ones are unknown.
3. **Seeds.** Every substring of a sentence (2-16 characters, a valid piece: ``▁``
   only first, one Unicode script; :func:`.sentencepiece_rules.is_valid_piece`) that occurs at least twice and is
   *right-branching* (not always followed by the same character, the end of the
   sentence and the ``▁`` of the next word included: the internal nodes of the
   suffix tree that sentencepiece enumerates with a suffix array), scored by
   ``frequency x length``; the best ``seed_size`` plus the required characters form
   the first vocabulary, with log-probabilities ``log(score / total)``. (Counting
   the contexts inside words instead, where a word's end is one context, keeps
   pieces like ``▁said`` that are almost always followed by a space, and agreement
   with sentencepiece falls from 97% to 77% of the vocabulary.)
4. **EM.** E-step: the expected count of every piece over all segmentations of every
   word (forward-backward on its lattice). M-step: pieces expected fewer than 0.5
   times are dropped; the others get ``digamma(count) - digamma(total)`` (the
   "Bayesian" EM sentencepiece uses, a sparse prior). ``num_sub_iterations`` rounds.
5. **Prune.** For each piece, the loss of likelihood if it were removed, assuming its
   Viterbi occurrences are replaced by its second-best segmentation; keep the
   ``shrinking_factor`` (75%) with the largest loss (pieces never used, or whose own
   best segmentation is split, go first). Back to 4 until the vocabulary is within
   ``1.1 x vocab_size``.
6. **Finalise.** The required characters, then the best-scoring pieces, up to
   ``vocab_size`` minus ``<unk>``, ``<s>``, ``</s>``.

The result is a :class:`~scratch.tokenizers.sentencepiece_model.SentencePieceModel`
that :class:`~scratch.tokenizers.unigram.UnigramTokenizer` runs and
:func:`~scratch.tokenizers.sentencepiece_model.write_model` saves as a ``.model`` file
that sentencepiece loads. It is not bit-equal
to sentencepiece's trainer (float32 vs float64, its suffix array over unique words,
multithreaded sums), but close: the tests measure the agreement.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Iterable

import regex

from .base import TrainingError
from .sentencepiece_model import CONTROL, NORMAL, UNKNOWN, Normalizer, NormalizerSpec, SentencePieceModel, TrainerSpec
from .sentencepiece_rules import META_PIECES, SPACE, is_valid_piece
from .unigram import f32

UNK_PENALTY = 10.0
EXPECTED_FREQUENCY_THRESHOLD = 0.5
_WORD = regex.compile(f"{SPACE}[^{SPACE}]*|[^{SPACE}]+")


def digamma(x: float) -> float:
    """The digamma function (asymptotic series after shifting ``x`` above 7), as sentencepiece."""
    result = 0.0
    while x < 7:
        result -= 1 / x
        x += 1
    x -= 0.5
    xx = 1 / x
    xx2 = xx * xx
    xx4 = xx2 * xx2
    return result + math.log(x) + xx2 / 24 - 7 * xx4 / 960 + 31 * xx4 * xx2 / 8064 - 127 * xx4 * xx4 / 30720


def _logsumexp(values: list[float]) -> float:
    top = max(values)
    return top + math.log(sum(math.exp(v - top) for v in values))


class _Model:
    """The vocabulary during training: piece -> log-probability."""

    def __init__(self, scores: dict[str, float], max_length: int):
        self.scores = scores
        self.max_length = max_length
        self.unk_score = min(scores.values()) - UNK_PENALTY

    def nodes(self, word: str) -> list[list[tuple[int, float, str | None]]]:
        """``ends[e]``: the lattice edges ``(start, score, piece)`` that end at ``e``
        (``piece`` None for an unknown character)."""
        ends: list[list[tuple[int, float, str | None]]] = [[] for _ in range(len(word) + 1)]
        for start in range(len(word)):
            single = False
            for end in range(start + 1, min(len(word), start + self.max_length) + 1):
                score = self.scores.get(word[start:end])
                if score is not None:
                    ends[end].append((start, score, word[start:end]))
                    single = single or end == start + 1
            if not single:
                ends[start + 1].append((start, self.unk_score, None))
        return ends

    def expected_counts(self, word: str, freq: int, counts: dict[str, float]) -> float:
        """Adds ``freq`` x the expected count of each piece in ``word`` to ``counts``; returns log Z."""
        ends = self.nodes(word)
        n = len(word)
        alpha = [0.0] + [-math.inf] * n
        for end in range(1, n + 1):
            alpha[end] = _logsumexp([alpha[s] + score for s, score, _ in ends[end]])
        beta = [-math.inf] * n + [0.0]
        starts: list[list[tuple[int, float, str | None]]] = [[] for _ in range(n + 1)]
        for end in range(1, n + 1):
            for s, score, piece in ends[end]:
                starts[s].append((end, score, piece))
        for start in range(n - 1, -1, -1):
            beta[start] = _logsumexp([beta[e] + score for e, score, _ in starts[start]])
        z = alpha[n]
        for end in range(1, n + 1):
            for s, score, piece in ends[end]:
                if piece is not None:
                    counts[piece] = counts.get(piece, 0.0) + freq * math.exp(alpha[s] + score + beta[end] - z)
        return z

    def viterbi(self, word: str, exclude_whole: bool = False) -> list[str | None] | None:
        """The best segmentation of ``word`` (pieces; None for unknown characters), or None
        if there is none; ``exclude_whole`` leaves out the one-piece path ``[word]``."""
        ends = self.nodes(word)
        n = len(word)
        best: list[float] = [0.0] + [-math.inf] * n
        back: list[tuple[int, str | None] | None] = [None] * (n + 1)
        for end in range(1, n + 1):
            for s, score, piece in ends[end]:
                if exclude_whole and s == 0 and end == n:
                    continue
                if best[s] + score > best[end]:
                    best[end], back[end] = best[s] + score, (s, piece)
        if back[n] is None:
            return None
        path = []
        end = n
        while end > 0:
            s, piece = back[end]  # type: ignore[misc]
            path.append(piece)
            end = s
        return path[::-1]


def seed_pieces(sentences: Counter, required: dict[str, int], seed_size: int, max_length: int) -> dict[str, float]:
    """Frequent right-branching substrings and the required characters, as log-probabilities.

    A substring is *right-branching* if, in the normalised sentences, it is followed by
    at least two different characters (the end of a sentence counts as one): the
    internal nodes of the suffix tree, which sentencepiece enumerates with a suffix
    array. Scored by ``occurrences x length``.
    """
    counts: Counter = Counter()
    follower: dict[str, str | None] = {}  # the one character seen after it; None: several
    for sentence, freq in sentences.items():
        for i in range(len(sentence)):
            if sentence[i] not in required:
                continue
            for end in range(i + 2, min(len(sentence), i + max_length) + 1):
                piece = sentence[i:end]
                if piece[-1] not in required or not is_valid_piece(piece, max_length):
                    break
                counts[piece] += freq
                after = sentence[end] if end < len(sentence) else "\0"
                if piece not in follower:
                    follower[piece] = after
                elif follower[piece] != after:
                    follower[piece] = None
    scored = [(count * len(p), p) for p, count in counts.items() if count >= 2 and follower[p] is None]
    scored.sort(key=lambda x: (-x[0], x[1]))
    seeds = {c: float(f) for c, f in sorted(required.items(), key=lambda x: (-x[1], x[0]))}
    for score, piece in scored:
        if len(seeds) >= seed_size:
            break
        seeds[piece] = float(score)
    total = math.log(sum(seeds.values()))
    return {p: math.log(s) - total for p, s in seeds.items()}


def required_characters(words: Counter, coverage: float) -> dict[str, int]:
    chars: Counter = Counter()
    for word, freq in words.items():
        for c in word:
            chars[c] += freq
    total = sum(chars.values())
    required: dict[str, int] = {}
    covered = 0
    for c, count in sorted(chars.items(), key=lambda x: (-x[1], x[0])):
        if f32(covered / total) >= f32(coverage):  # sentencepiece compares 32-bit floats
            break
        covered += count
        required[c] = count
    return required


def e_step(model: _Model, words: Counter) -> tuple[dict[str, float], float]:
    counts: dict[str, float] = {}
    total = sum(words.values())
    objective = 0.0
    for word, freq in words.items():
        objective -= freq * model.expected_counts(word, freq, counts) / total
    return counts, objective


def m_step(model: _Model, counts: dict[str, float]) -> dict[str, float]:
    kept = {p: counts.get(p, 0.0) for p in model.scores if counts.get(p, 0.0) >= EXPECTED_FREQUENCY_THRESHOLD}
    logsum = digamma(sum(kept.values()))
    return {p: digamma(c) - logsum for p, c in kept.items()}


def prune(model: _Model, words: Counter, desired_size: int, shrinking_factor: float) -> dict[str, float]:
    """Keep the pieces whose removal would cost the most likelihood (Kudo 2018, step 3.2.4)."""
    always_keep: dict[str, bool] = {}
    alternatives: dict[str, list[str | None]] = {}
    for piece in model.scores:
        best = model.viterbi(piece)
        if best is not None and len(best) >= 2:
            always_keep[piece] = False  # its own best segmentation is split: safe to remove
            continue
        second = model.viterbi(piece, exclude_whole=True)
        always_keep[piece] = True
        if second is not None:
            alternatives[piece] = second
    freq: Counter = Counter()
    inverted: dict[str, float] = Counter()  # total frequency of the words each piece is used in
    vsum = 0.0
    for word, f in words.items():
        vsum += f
        path = model.viterbi(word) or []
        for piece in path:
            if piece is not None:
                freq[piece] += f
                inverted[piece] += f
    total = sum(freq.values())
    logsum = math.log(total)
    kept: dict[str, float] = {}
    candidates: list[tuple[float, str]] = []
    for piece, score in model.scores.items():
        if freq[piece] == 0 or not always_keep[piece]:
            continue
        if piece not in alternatives:
            kept[piece] = score
            continue
        alts = alternatives[piece]
        share = inverted[piece] / vsum
        logprob = math.log(freq[piece]) - logsum
        logsum_alt = math.log(total + freq[piece] * (len(alts) - 1))
        logprob_alt = sum(math.log(freq[a] + freq[piece]) - logsum_alt for a in alts if a is not None)
        candidates.append((share * (logprob - logprob_alt), piece))
    size = max(desired_size, int(shrinking_factor * len(model.scores)))
    for _, piece in sorted(candidates, key=lambda x: (-x[0], x[1])):
        if len(kept) >= size:
            break
        kept[piece] = model.scores[piece]
    return kept


def train_unigram(
    sentences: Iterable[str],
    vocab_size: int,
    *,
    character_coverage: float = 0.9995,
    max_piece_length: int = 16,
    seed_size: int = 1_000_000,
    shrinking_factor: float = 0.75,
    num_sub_iterations: int = 2,
    log=None,
) -> SentencePieceModel:
    """A Unigram model of ``vocab_size`` pieces (``<unk>``, ``<s>``, ``</s>`` included)."""
    if vocab_size < 4:
        raise TrainingError(f"vocab_size must be at least 4 (3 meta pieces + 1), got {vocab_size}")
    spec = NormalizerSpec(name="identity")
    normalizer = Normalizer(spec)
    # sentencepiece drops "\r" and "\n" at the end of a sentence (a "\r\n" line), keeps them inside.
    normalized: Counter = Counter(n for n in (normalizer.normalize(s.rstrip("\r\n")) for s in sentences) if n)
    words: Counter = Counter()
    for sentence, freq in normalized.items():
        for word in _WORD.findall(sentence):
            words[word] += freq
    if not words:
        raise TrainingError("the training corpus is empty: give at least one non-empty line")
    required = required_characters(words, character_coverage)
    if len(required) + 3 > vocab_size:
        # sentencepiece's check (trainer_interface.cc): every required character needs a piece.
        raise TrainingError(
            f"vocab_size={vocab_size} is smaller than the {len(required)} required characters plus "
            f"<unk>, <s>, </s> = {len(required) + 3}: increase the vocabulary size or lower character_coverage"
        )
    model = _Model(seed_pieces(normalized, required, seed_size, max_piece_length), max_piece_length)
    desired = int(vocab_size * 1.1)
    while True:
        for _ in range(num_sub_iterations):
            counts, objective = e_step(model, words)
            model = _Model(m_step(model, counts), max_piece_length)
            if log:
                log(f"EM: {len(model.scores)} pieces, objective {objective:.4f}")
        if len(model.scores) <= desired:
            break
        pruned = prune(model, words, desired, shrinking_factor)
        if len(pruned) >= len(model.scores):
            # Cannot happen once the required characters fit (the pieces prune() must keep
            # are single characters); a guard so that the loop always ends.
            raise TrainingError(f"pruning cannot shrink the vocabulary below {len(model.scores)} pieces")
        model = _Model(pruned, max_piece_length)
    # Finalise: the required characters, then the best pieces.
    final: dict[str, float] = {}
    n_pieces = vocab_size - 3
    lowest = min(model.scores.values())
    penalty = 0.0
    for c in sorted(required, key=lambda c: (-required[c], c)):
        if len(final) == n_pieces:
            break
        if c in model.scores:
            final[c] = model.scores[c]
        else:
            final[c] = lowest + penalty
            penalty += 0.0001
    for piece, score in sorted(model.scores.items(), key=lambda x: (-x[1], x[0])):
        if len(final) == n_pieces:
            break
        final.setdefault(piece, score)
    if len(final) < n_pieces:
        # sentencepiece (hard_vocab_limit, its default) refuses too: "Vocabulary size too high".
        raise TrainingError(
            f"vocab_size={vocab_size} is too high for this corpus: it gives at most {len(final) + 3} pieces "
            f"(<unk>, <s>, </s> included); set vocab_size to {len(final) + 3} or less, or give more text"
        )
    ordered = sorted(final.items(), key=lambda x: (-x[1], x[0]))
    pieces = [*META_PIECES] + [p for p, _ in ordered]
    scores = [0.0, 0.0, 0.0] + [s for _, s in ordered]
    types = [UNKNOWN, CONTROL, CONTROL] + [NORMAL] * len(ordered)
    trainer = TrainerSpec(model_type="unigram", vocab_size=len(pieces), character_coverage=character_coverage,
                          max_sentencepiece_length=max_piece_length, shrinking_factor=shrinking_factor,
                          num_sub_iterations=num_sub_iterations)  # fmt: skip
    return SentencePieceModel(pieces, scores, types, trainer, spec, None)
