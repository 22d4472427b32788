"""SentencePiece's rule for the pieces a trainer may make, against the sentencepiece library.

``scratch.tokenizers.sentencepiece_rules.is_valid_piece`` is the one copy of the rule that
the BPE and Unigram trainers share (there were two, which disagreed). The oracle is the
library's own trainer (0.2.3): trained on a single word ``w``, its BPE keeps merging until
``▁w`` is one piece exactly when ``▁w`` is a valid piece, and never makes an invalid one.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reference.tokenizer_training import spm_bpe
from scratch.tokenizers.sentencepiece_rules import SPACE, is_valid_piece, script

# Characters of many scripts, all assigned by Unicode 9.0 (sentencepiece's script table)
# or of scripts Unicode 9.0 did not have; ▅ (U+2585) is left out: the library drops every
# sentence holding it before training.
ALPHABET = (
    "abzé"  # Latin
    "дж"  # Cyrillic
    "λ"  # Greek
    "17"  # digits: Common
    ",!$_"  # punctuation and symbols: Common
    "\u2047"  # ⁇: Common (the old BPE copy refused it)
    "\t"  # Common (the source names it as a boundary, but the library lets it into pieces)
    "\u0301\u0308"  # combining marks: Inherited, take the script before them
    "のカー日"  # Hiragana, Katakana, the prolonged sound mark and Han: all Han
    "\ua000"  # Yi (the old BPE copy had no Yi)
    "\u16a0"  # Runic (neither old copy had it)
    "한"  # Hangul
    "ก"  # Thai
    "ب"  # Arabic
    "क\u093f"  # Devanagari letter and vowel sign
    "😀"  # emoji: Common
    "\U00011d00"  # Masaram Gondi, Unicode 10: Common for the library
)


def library_pieces(word: str) -> set[str]:
    """The pieces sentencepiece's BPE trainer makes from three lines ``word``."""
    pieces = spm_bpe(["\n".join([word] * 3)], 2000, hard_vocab_limit=False)
    return {piece for piece, _ in pieces}


@pytest.mark.parametrize(
    "word",
    ["a\tb", "1\t", "e\u0301e\u0301", "\u0301a", "\ua000\u16a0", "\u2047\u2047", "\U00011d00,", "\U00011d00a", "a,",
     "日本ご", "カー", "ab1", "の日"],
)  # fmt: skip
def test_where_the_two_old_copies_disagreed_the_library_decides(word):
    assert (SPACE + word in library_pieces(word)) == is_valid_piece(SPACE + word)


@settings(max_examples=100, deadline=None)
@given(word=st.text(alphabet=ALPHABET, min_size=1, max_size=5))
def test_a_word_becomes_one_piece_exactly_when_it_is_valid(word):
    assume(word.strip())  # a blank line is no sentence
    made = library_pieces(word)
    assert (SPACE + word in made) == is_valid_piece(SPACE + word)
    invalid = [p for p in made if len(p) > 1 and not p.startswith("<") and not is_valid_piece(p)]
    assert not invalid, f"the library made pieces this rule refuses: {invalid}"


def test_examples():
    assert is_valid_piece("▁the") and is_valid_piece("ing") and is_valid_piece("▁") and is_valid_piece("))")
    assert is_valid_piece("日本語の") and is_valid_piece("日本ご") and is_valid_piece("é") and is_valid_piece("e\u0301")
    assert not is_valid_piece("a▁b") and not is_valid_piece("the▁")  # ▁ only at the start
    assert not is_valid_piece("▁▁")  # nor a piece of whitespace only
    assert not is_valid_piece("x" * 17) and not is_valid_piece("")  # 1 to 16 characters
    assert is_valid_piece("x" * 32, max_length=32)
    assert not is_valid_piece("a1") and not is_valid_piece("ab,") and not is_valid_piece("a.")  # one script
    assert not is_valid_piece("aд")  # Latin + Cyrillic
    # Never in a piece: NUL, space, ▅ (trainer_interface.cc), a lone surrogate.
    assert not any(is_valid_piece(f"{c}{c}") for c in ("\x00", " ", "\u2585", "\udc80"))
    assert is_valid_piece("1\t") and not is_valid_piece("a\t")  # the tab is Common


def test_scripts():
    assert script("a") == "Latin" and script("1") == "Common" and script(",") == "Common"
    assert script("の") == script("カ") == script("ー") == script("日") == "Han"
    assert script("\u0301") == "Inherited"
    assert script("\ua000") == "Yi" and script("\u16a0") == "Runic"
    assert script("\U00011d00") == "Common"  # Masaram Gondi came in Unicode 10
    assert script("\U000e0080") == "Common"  # unassigned
