"""What word2vec prints while it trains.

* The progress line shows the loss per pair only where it is defined: "-" before any
  pair was trained, nothing when the loss is not computed (it is 0 then, not a loss).
(The torch backend's threads are tested in test_word2vec_torch.py.)
"""

from __future__ import annotations

from scratch.word2vec import Word2Vec

SENTENCES = [["the", "cat", "sat", "on", "the", "mat"], ["the", "dog", "sat", "on", "the", "log"]] * 20


def test_progress_before_any_pair_shows_no_nan(capsys):
    """One-word sentences give no (context, center) pair: the loss per pair is undefined, not NaN."""
    Word2Vec([["a"], ["b"], ["a"]], vector_size=4, min_count=1, epochs=1, workers=1, progress=True)
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
    model = Word2Vec(SENTENCES, vector_size=4, min_count=1, epochs=1, workers=1, progress=True)
    report = model.epoch_reports[-1]
    assert f"loss/pair {report.loss / report.pairs:.4f}" in capsys.readouterr().err


def test_progress_line_parts():
    from scratch.word2vec.trainer import progress_line

    totals = {"raw": 50, "effective": 40, "pairs": 0, "loss": 0.0, "alpha": 0.025}
    assert progress_line(0, 1, totals, 200, 0.5, compute_loss=True) == (
        "epoch 1/1  25.0%          100 words/s  alpha 0.02500  loss/pair -"
    )
    totals.update(pairs=8, loss=2.0)
    assert progress_line(1, 3, totals, 200, 0.0, compute_loss=True).endswith("loss/pair 0.2500")
    assert "loss" not in progress_line(1, 3, totals, 200, 0.5, compute_loss=False)
