"""What word2vec prints while it trains: a tqdm bar per epoch on stderr.

* The bar shows the epoch, the share of the corpus, words/s and the learning rate.
* It shows the loss per pair only where it is defined: "-" before any pair was trained,
  nothing when the loss is not computed (it is 0 then, not a loss).
(The torch backend's threads are tested in test_word2vec_torch.py.)
"""

from __future__ import annotations

from scratch.word2vec import Word2Vec

SENTENCES = [["the", "cat", "sat", "on", "the", "mat"], ["the", "dog", "sat", "on", "the", "log"]] * 20


def test_progress_before_any_pair_shows_no_nan(capsys):
    """One-word sentences give no (context, center) pair: the loss per pair is undefined, not NaN."""
    Word2Vec([["a"], ["b"], ["a"]], vector_size=4, min_count=1, epochs=1, workers=1, progress=True, compute_loss=True)
    printed = capsys.readouterr().err
    assert "epoch 1/1" in printed
    assert "nan" not in printed.lower()
    assert "loss/pair -" in printed


def test_progress_without_loss_does_not_print_a_loss(capsys):
    model = Word2Vec(SENTENCES, vector_size=4, min_count=1, epochs=2, workers=1, progress=True, compute_loss=False)
    printed = capsys.readouterr().err
    assert model.epoch_reports[-1].pairs > 0
    assert "epoch 2/2" in printed and "loss" not in printed


def test_progress_shows_the_loss_per_pair(capsys):
    model = Word2Vec(SENTENCES, vector_size=4, min_count=1, epochs=1, workers=1, progress=True, compute_loss=True)
    report = model.epoch_reports[-1]
    assert f"loss/pair {report.loss / report.pairs:.4f}" in capsys.readouterr().err


def test_progress_bar_parts(capsys):
    from scratch.word2vec.progress import EpochProgress, EpochTotals, describe_rate_and_loss

    totals = EpochTotals(raw_words=50, effective_words=40, pairs=0, loss=0.0, alpha=0.025)
    assert describe_rate_and_loss(totals, compute_loss=True) == "alpha 0.02500, loss/pair -"
    assert describe_rate_and_loss(totals, compute_loss=False) == "alpha 0.02500"
    bar = EpochProgress(0, 3, 200, compute_loss=True)
    bar.show(totals)
    totals.add(raw_words=50, effective_words=40, pairs=8, loss=2.0, alpha=0.02)
    bar.close(totals)
    last = capsys.readouterr().err.rstrip("\n").split("\r")[-1]
    assert last.startswith("epoch 1/3  50.0%|")  # 100 of the 200 words
    assert "words/s" in last and last.endswith("alpha 0.02000, loss/pair 0.2500]")
