"""`tokemb word2vec train/evaluate` and `tokemb similar` on your own vectors."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

import numpy as np

from scratch.artifacts import fetch
from reference.cli import main
from scratch.word2vec import KeyedVectors, Word2Vec


def run_cli(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert main(list(argv)) == 0, err.getvalue()
    return out.getvalue()


def test_train_then_query_and_evaluate_a_model(tmp_path):
    corpus = fetch("gensim-test-data") / "lee_background.cor"
    model_path = tmp_path / "lee.npz"
    printed = run_cli("word2vec", "train", "--corpus-file", str(corpus), "--out", str(model_path),
                      "--vector-size", "24", "--epochs", "2", "--min-count", "3", "--workers", "1")  # fmt: skip
    assert "saved" in printed and "words/s" in printed
    model = Word2Vec.load(model_path)
    assert model.vector_size == 24 and len(model.epoch_reports) == 2

    rows = run_cli("similar", "police", "--vectors", str(model_path), "--topn", "4", "--no-reference").splitlines()
    expected = model.wv.most_similar([model.wv["police"]], topn=4)
    assert [row.split()[1] for row in rows[1:]] == [word for word, _ in expected]

    text_path = tmp_path / "lee.txt"
    model.wv.save_word2vec_format(text_path)
    rows = run_cli("similar", "police", "--vectors", str(text_path), "--topn", "4").splitlines()
    loaded = KeyedVectors.load_word2vec_format(text_path)
    assert [row.split()[1] for row in rows[1:]] == [w for w, _ in loaded.most_similar([loaded["police"]], topn=4)]
    assert all(row.split()[2] == row.split()[3] for row in rows[1:])  # scratch's score equals gensim's

    report = run_cli("word2vec", "evaluate", str(model_path), "--restrict-vocab", "2000")
    assert "analogies" in report and "wordsim353.tsv: Spearman" in report and "simlex999.txt: Spearman" in report


def test_train_cbow_from_the_command_line(tmp_path):
    """``--sg 0`` trains CBOW: the same vectors as ``Word2Vec(sg=0)`` with one worker."""
    corpus = fetch("gensim-test-data") / "lee_background.cor"
    model_path = tmp_path / "cbow.npz"
    run_cli("word2vec", "train", "--corpus-file", str(corpus), "--out", str(model_path), "--sg", "0",
            "--vector-size", "16", "--epochs", "1", "--min-count", "3", "--workers", "1")  # fmt: skip
    trained = Word2Vec.load(model_path)
    assert trained.sg == 0
    expected = Word2Vec(corpus_file=corpus, sg=0, vector_size=16, epochs=1, min_count=3, workers=1)
    np.testing.assert_array_equal(trained.wv.vectors, expected.wv.vectors)


def test_train_with_noise_words_shared_by_a_window(tmp_path):
    """``--negative-sharing window``: the vectors of ``Word2Vec(negative_sharing="window")``; with
    CBOW it is refused in one line naming the setting."""
    corpus = fetch("gensim-test-data") / "lee_background.cor"
    model_path = tmp_path / "window.npz"
    run_cli("word2vec", "train", "--corpus-file", str(corpus), "--out", str(model_path), "--negative-sharing",
            "window", "--vector-size", "16", "--epochs", "1", "--min-count", "3", "--workers", "1")  # fmt: skip
    trained = Word2Vec.load(model_path)
    assert trained.negative_sharing == "window"
    expected = Word2Vec(corpus_file=corpus, sg=1, negative_sharing="window", vector_size=16, epochs=1, min_count=3,
                        workers=1)  # fmt: skip
    np.testing.assert_array_equal(trained.wv.vectors, expected.wv.vectors)
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        assert main(["word2vec", "train", "--corpus-file", str(corpus), "--out", str(tmp_path / "cbow.npz"),
                     "--sg", "0", "--negative-sharing", "window"]) != 0  # fmt: skip
    assert "negative_sharing='window' is skip-gram" in err.getvalue() and "Traceback" not in err.getvalue()
    assert not (tmp_path / "cbow.npz").exists()
