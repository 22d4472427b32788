"""The walkthrough's word-embedding and word2vec sections run and show scratch agreeing with gensim."""

from __future__ import annotations

import io

import pytest

from reference import walkthrough


def run_section(key: str) -> str:
    out = io.StringIO()
    walkthrough.run(key, out=out)
    return out.getvalue()


def test_word_embeddings_section_shows_the_books_neighbours_equal_to_gensim():
    text = run_section("word-embeddings")
    assert "DIFFERENT" not in text and "<- differs" not in text
    for word in ("prince", "queen", "emperor"):
        assert word in text
    assert sum(line.rstrip().endswith("  same") for line in text.splitlines()) == 3  # three cosine similarities


@pytest.fixture(scope="module")
def word2vec_text() -> str:
    return run_section("word2vec")


def test_word2vec_section_prints_the_books_training_examples_and_trains_both(word2vec_text):
    text = word2vec_text
    assert "Thou shalt not make a machine in the likeness of a human mind" in text
    rows = [line.split() for line in text.splitlines() if line.startswith("  thou ")]
    assert [row[:3] for row in rows] == [["thou", "shalt", "1"], ["thou", "not", "1"]]  # window 2, first word
    assert "same order and counts as gensim; initial vectors same" in text
    assert "real > noise in" in text and "DIFFERENT" not in text


def test_word2vec_section_trains_the_torch_backend_too(word2vec_text):
    lines = word2vec_text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("The same model on PyTorch"))
    losses = [float(x) for x in lines[next(i for i in range(start, len(lines)) if "loss per pair" in lines[i]) + 1]
              .split()]  # fmt: skip
    assert len(losses) == 10 and losses[-1] < losses[0]  # ten epochs, and it learned
    assert any(line.startswith("  police: ") for line in lines[start:])
