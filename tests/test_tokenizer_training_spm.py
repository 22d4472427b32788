"""SentencePiece-style BPE training against the sentencepiece library's BPE trainer.

Same lines, identity normalization, byte fallback, character_coverage 1.0: the pieces
(in order, with their scores) must be the library's. Also: the trained vocabulary
encodes any string and decodes it back (byte fallback), and bad input is refused.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from text_corpora import english, multilingual, python_source

from reference.tokenizer_training import spm_bpe
from scratch.tokenizers.train_bpe import TrainingError
from scratch.tokenizers.train_spm_bpe import is_valid_piece, save_spm_bpe, train_spm_bpe
from scratch.tokenizers.trained import from_directory


@pytest.mark.parametrize(
    "corpus,n_chars,vocab_size",
    [(english, 120_000, 1_500), (python_source, 100_000, 1_500), (multilingual, 150_000, 3_000)],
)
def test_pieces_and_scores_equal_the_sentencepiece_trainer(corpus, n_chars, vocab_size):
    texts = [corpus(n_chars)]
    expected = spm_bpe(texts, vocab_size)
    result = train_spm_bpe(texts, vocab_size, show_progress=False)
    pieces = [p for p, _ in expected]
    agree = sum(a == b for a, b in zip(pieces, result.pieces))
    assert agree == len(pieces) == len(result.pieces), f"{agree}/{len(pieces)} pieces in the same place"
    assert result.scores == [s for _, s in expected]


def test_validity_rules():
    assert is_valid_piece("▁the") and is_valid_piece("ing") and is_valid_piece("▁") and is_valid_piece("))")
    assert not is_valid_piece("a▁b")  # ▁ only at the start
    assert not is_valid_piece("x" * 17)  # at most 16 characters
    assert not is_valid_piece("a1") and not is_valid_piece("ab,")  # one script (digits, punctuation: Common)
    assert not is_valid_piece("aд")  # Latin + Cyrillic
    assert is_valid_piece("日本ご") and is_valid_piece("é")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spm")
    save_spm_bpe(train_spm_bpe([english(60_000, offset=2_500_000)], 700, show_progress=False), folder)
    return from_directory(folder)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=120))
def test_round_trip_with_byte_fallback(trained, text):
    assert trained.decode(trained.encode(text, add_special_tokens=False)) == text


def test_bad_input_gives_clear_errors():
    with pytest.raises(TrainingError, match="empty"):
        train_spm_bpe([], 1000, show_progress=False)
    with pytest.raises(TrainingError, match="empty"):
        train_spm_bpe(["\n  \n"], 1000, show_progress=False)
    with pytest.raises(TrainingError, match="smaller than"):
        train_spm_bpe(["hello world"], 262, show_progress=False)
    with pytest.raises(TrainingError, match="collide"):
        train_spm_bpe(["hello world"], 1000, special_tokens=["<s>"], show_progress=False)
    with pytest.raises(TrainingError, match="collide"):
        train_spm_bpe(["hello world"], 1000, special_tokens=["h"], show_progress=False)
