"""`tokemb train-tokenizer`, `tokemb tokens --tokenizer DIR` on a trained folder, and the
walkthrough section "the domain of the data"."""

from __future__ import annotations

import io

import pytest
from text_corpora import english, python_source

from reference.cli import main
from reference.tokenizer_training import hf_bpe


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "corpus.txt"
    path.write_text(python_source(60_000) + "\n\n" + english(60_000, offset=6_000_000), encoding="utf-8")
    return path


def test_train_tokenizer_bpe_writes_a_folder_equal_to_the_reference(corpus, tmp_path, capsys):
    out = tmp_path / "bpe"
    assert main(["train-tokenizer", "--method", "bpe", "--vocab-size", "700", str(corpus), "-o", str(out),
                 "--special-token", "<|endoftext|>"]) == 0  # fmt: skip
    summary = capsys.readouterr().out
    assert "vocab size:   700" in summary and "characters/token" in summary and "time:" in summary
    from tokenizers import Tokenizer

    texts = [d for d in corpus.read_text(encoding="utf-8").split("\n\n") if d]
    merges, vocab = hf_bpe(texts, 700, special_tokens=["<|endoftext|>"])
    loaded = Tokenizer.from_file(str(out / "tokenizer.json"))
    assert loaded.get_vocab() == vocab
    assert [tuple(m.split(" ")) for m in (out / "merges.txt").read_text(encoding="utf-8").split("\n")[1:-1]] == merges


def test_train_tokenizer_wordpiece_and_errors(corpus, tmp_path, capsys):
    out = tmp_path / "wp"
    assert main(["train-tokenizer", "--method", "wordpiece", "--vocab-size", "600", str(corpus), "-o", str(out), "-q"]) == 0
    assert (out / "vocab.txt").read_text(encoding="utf-8").count("\n") == 600
    capsys.readouterr()
    assert main(["train-tokenizer", "--vocab-size", "100", str(corpus), "-o", str(tmp_path / "x"), "-q"]) == 2
    assert "smaller than the alphabet" in capsys.readouterr().err
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["train-tokenizer", "--vocab-size", "300", str(empty), "-o", str(tmp_path / "y"), "-q"]) == 2
    assert "empty" in capsys.readouterr().err
    assert main(["train-tokenizer", "--vocab-size", "300", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "z")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_train_tokenizer_unigram_writes_a_model_sentencepiece_reads(tmp_path, capsys):
    """The written ``tokenizer.model`` loads in the sentencepiece library, which encodes
    like scratch's tokenizer for the folder."""
    import sentencepiece

    from scratch import tokenizers

    corpus = tmp_path / "small.txt"
    corpus.write_text(english(30_000, offset=3_000_000), encoding="utf-8")
    out = tmp_path / "unigram"
    assert main(["train-tokenizer", "--method", "unigram", "--vocab-size", "300", str(corpus), "-o", str(out), "-q"]) == 0
    assert "vocab size:   300" in capsys.readouterr().out
    reference = sentencepiece.SentencePieceProcessor(model_file=str(out / "tokenizer.model"))
    scratch = tokenizers.from_directory(out)
    assert reference.get_piece_size() == scratch.vocab_size == 300
    text = english(5_000, offset=4_000_000)
    assert scratch.encode(text, add_special_tokens=False) == reference.encode(text)


def test_tokens_shows_a_trained_folder(corpus, tmp_path, capsys):
    out = tmp_path / "bpe"
    assert main(["train-tokenizer", "--vocab-size", "500", str(corpus), "-o", str(out), "-q"]) == 0
    capsys.readouterr()
    assert main(["tokens", "--tokenizer", str(out), "--tokenizer", "gpt2", "--color", "never", "def f(x):\n    return x"]) == 0
    shown = capsys.readouterr().out
    assert "bpe" in shown and "gpt2" in shown.lower()


def test_walkthrough_section_domain_of_the_data():
    from reference.walkthrough import tokenizer_training as section

    buffer = io.StringIO()
    section.domain_of_the_data(buffer)
    text = buffer.getvalue()
    assert "english-trained" in text and "python-trained" in text
    # tokens per character of the function, then of the paragraph: english, python
    rates = [float(line.split(",")[1].split()[0]) for line in text.splitlines() if "tokens per character" in line]
    function_en, function_py, paragraph_en, paragraph_py = rates
    assert function_py < function_en and paragraph_en < paragraph_py


def test_walkthrough_falls_back_to_text_that_ships_with_python(tmp_path, monkeypatch):
    from reference.walkthrough import tokenizer_training as section

    monkeypatch.setenv("TOKEMB_DATA", str(tmp_path))  # an empty data folder
    text, source = section.english_corpus(50_000)
    assert len(text) == 50_000 and "pydoc_data" in source and "not found" in source
    assert " the " in text
