"""Unigram training from scratch (``scratch/tokenizers/train_unigram.py``, EM with
pruning, Kudo 2018) against sentencepiece's trainer on the same sentences.

Exact equality is not the goal (sentencepiece adds in float32 over threads and mines
its seed pieces with a suffix array); the tests measure and bound the agreement of
the two vocabularies and of the segmentations they give held-out text (each test
prints its numbers; the assertion messages repeat them). Measured (sentencepiece
0.2.3, identity normalisation):

* English, ``english(50_000)``, vocab 500: 95.8% of sentencepiece's pieces shared,
  93.6% of 5,399 held-out words segmented identically, 12,891 vs 12,814 tokens.
* English, ``english(200_000)``, vocab 1000 (not run here, 40 s): 97.1% shared,
  96.9% of 11,096 held-out words identical, 23,189 vs 23,045 tokens.
* Japanese lines of ``multilingual()``, vocab 1000: 97.9% shared, 55.8% of 274
  held-out lines (no spaces: each line is one long word) identical, 6,015 vs 6,019 tokens.

A scratch-trained model, written as a ``.model`` file, runs in sentencepiece with
the same ids, n-best lists and decoding as in scratch.
"""

from __future__ import annotations

import math

import pytest
from text_corpora import english

from reference.tokenizers.unigram import UnigramAdapter, train
from scratch.tokenizers.sentencepiece_model import NORMAL, read_model, write_model
from scratch.tokenizers.sentencepiece_rules import is_valid_piece
from scratch.tokenizers.train_unigram import digamma, train_unigram
from scratch.tokenizers.unigram import UnigramTokenizer

VOCAB = 500


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """(scratch model, sentencepiece model) trained on the same sentences."""
    sentences = [line for line in english(50_000).splitlines() if line.strip()]
    objectives: list[float] = []
    ours = train_unigram(sentences, VOCAB, log=lambda line: objectives.append(float(line.rsplit(" ", 1)[1])))
    path = train(sentences, VOCAB, tmp_path_factory.mktemp("spm") / "unigram", normalization_rule_name="identity")
    return UnigramTokenizer(ours, name="scratch-unigram"), UnigramAdapter(path), objectives


def agreement(ours, reference, held_out: list[str], units: list[str], unit: str) -> tuple[float, float, float, str]:
    """How closely a scratch-trained unigram model agrees with sentencepiece's: the share of
    sentencepiece's normal pieces that scratch also has, the share of ``units`` (words or
    lines) segmented the same, and scratch's token count over ``held_out`` relative to
    sentencepiece's; with a printed one-line report of the three."""
    mine = {p for p, t in zip(ours.pieces, ours.types) if t == NORMAL}
    theirs = {reference.id_to_token(i) for i in range(3, reference.vocab_size)}
    shared = len(mine & theirs) / len(theirs)
    same = sum(ours.tokenize(u) == list(map(reference.id_to_token, reference.encode(u))) for u in units) / len(units)
    n_ours = sum(len(ours.encode(line)) for line in held_out)
    n_theirs = sum(len(reference.encode(line)) for line in held_out)
    report = (f"shared pieces {shared:.3f}, same {unit} segmentation {same:.3f} of {len(units)}, "
              f"tokens {n_ours} vs {n_theirs}")  # fmt: skip
    print(report)
    return shared, same, n_ours / n_theirs, report


def test_vocabulary_and_segmentation_agree_with_sentencepiece(models):
    ours, reference, _ = models
    assert ours.vocab_size == reference.vocab_size == VOCAB
    assert ours.pieces[:3] == [reference.id_to_token(i) for i in range(3)]  # <unk>, <s>, </s>
    held_out = [line for line in english(30_000, offset=50_000).splitlines() if line.strip()]
    words = [w for line in held_out for w in line.split()]
    shared, same_words, tokens, report = agreement(ours, reference, held_out, words, "word")
    assert shared > 0.9, report
    assert same_words > 0.9, report
    assert abs(tokens - 1) < 0.03, report


def test_japanese_vocabulary_and_segmentation_agree_with_sentencepiece(tmp_path):
    """Japanese (no spaces: every line is one long word; Hiragana, Katakana and Han are
    one script), the first 80% of the lines to train, the rest held out."""
    from test_tokenizers_unigram import japanese

    lines = [line for line in japanese().splitlines() if line.strip()]
    cut = int(len(lines) * 0.8)
    ours = UnigramTokenizer(train_unigram(lines[:cut], 1000))
    reference = UnigramAdapter(train(lines[:cut], 1000, tmp_path / "ja", normalization_rule_name="identity"))
    held_out = lines[cut:]
    shared, same_lines, tokens, report = agreement(ours, reference, held_out, held_out, "line")
    assert shared > 0.95, report
    assert same_lines > 0.4, report
    assert abs(tokens - 1) < 0.03, report


def test_a_scratch_trained_model_runs_in_sentencepiece(models, tmp_path):
    """Written as a ``.model`` file, the scratch-trained model loads in sentencepiece,
    which then segments held-out text exactly as scratch does with it."""
    ours, _, _ = models
    path = write_model(ours.model, tmp_path / "scratch.model")
    again = read_model(path)
    assert (again.pieces, again.scores, again.types) == (ours.model.pieces, [float(x) for x in ours.scores], ours.model.types)
    assert again.normalizer == ours.model.normalizer
    in_sentencepiece = UnigramAdapter(path)
    text = english(20_000, offset=50_000) + "  naïve ΩΩ café\u3000 "
    assert in_sentencepiece.encode(text) == ours.encode(text)
    for line in text.splitlines()[:100]:
        assert in_sentencepiece.nbest(line, 5) == ours.nbest(line, 5)
        assert in_sentencepiece.decode(ours.encode(line)) == ours.decode(ours.encode(line))


def test_the_characters_are_those_sentencepiece_keeps(models):
    """character_coverage 0.9995: the same most frequent characters become pieces."""
    ours, reference, _ = models
    mine = {p for p in ours.pieces if len(p) == 1}
    theirs = {p for p in map(reference.id_to_token, range(reference.vocab_size)) if len(p) == 1}
    assert mine == theirs


def test_em_improves_the_likelihood_between_prunings(models):
    """Each second EM sub-iteration has a lower objective (-log-likelihood per sentence)
    than the first after the same pruning."""
    _, _, objectives = models
    assert len(objectives) >= 4 and len(objectives) % 2 == 0
    for first, second in zip(objectives[::2], objectives[1::2]):
        assert second < first


def test_pieces_are_valid_and_scores_sorted(models):
    ours, _, _ = models
    normal = [(p, s) for p, s, t in zip(ours.pieces, ours.scores, ours.types) if t == NORMAL]
    assert all(is_valid_piece(p) for p, _ in normal)
    assert [s for _, s in normal] == sorted((s for _, s in normal), reverse=True)
    assert all(s < 0 for _, s in normal)


def test_digamma():
    for x in (0.3, 0.5, 1.0, 2.5, 7.0, 100.0, 12345.6):
        h = 1e-5 * x
        numeric = (math.lgamma(x + h) - math.lgamma(x - h)) / (2 * h)
        assert digamma(x) == pytest.approx(numeric, rel=1e-5, abs=1e-6)


def test_training_rejects_bad_arguments():
    with pytest.raises(ValueError, match="vocab_size"):
        train_unigram(["a b c"], 3)
    with pytest.raises(ValueError, match="empty"):
        train_unigram(["", "   "], 100)
