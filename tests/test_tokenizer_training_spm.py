"""SentencePiece-style BPE training against the sentencepiece library's BPE trainer.

Same lines, identity normalization, byte fallback, character_coverage 1.0: the pieces
(in order, with their scores) must be the library's. Also: the trained vocabulary
encodes any string and decodes it back (byte fallback), and bad input is refused.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from text_corpora import english, multilingual, python_source

from reference.tokenizer_training import spm_bpe
from scratch.tokenizers.base import TrainingError
from scratch.tokenizers.folders import from_directory, save_spm_bpe
from scratch.tokenizers.train_spm_bpe import train_spm_bpe


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


# Words where the piece-validity rule matters: combining marks (Inherited: the script
# before them), Yi next to Runic, ⁇ (Common), tabs (Common), Japanese (all Han), a script
# newer than the library's Unicode 9.0 table (Common there).
SCRIPT_WORDS = ["cafe\u0301", "\ua000\u16a0\ua000", "\u2047\u2047?", "1\t2\tab", "日本ごカー",
                "e\u0301e\u0301t\u00e9", "ᚠᚢᚦ", "ꀀꀁ", "a,b;c", "x\U00011d00,"]  # fmt: skip


@pytest.mark.parametrize("vocab_size", [300, 344])  # 344: the most this corpus gives
def test_pieces_equal_the_library_where_the_scripts_decide(vocab_size):
    rng = random.Random(1)
    text = "\n".join(" ".join(rng.choice(SCRIPT_WORDS) for _ in range(6)) for _ in range(200))
    expected = [p for p, _ in spm_bpe([text], vocab_size)]
    assert train_spm_bpe([text], vocab_size, show_progress=False).pieces == expected


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
