"""What an epoch has done so far, and the progress bar that shows it while training.

:class:`EpochTotals` is summed by the training threads (under their lock) and becomes the
epoch's :class:`~.trainer.EpochReport`. :class:`EpochProgress` shows it with ``tqdm``: one
bar per epoch over the corpus's raw words, with words/s, the learning rate and the loss
per pair, which is shown only where it is defined: when the loss is computed and at least
one pair has been trained (before that it reads ``-``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tqdm import tqdm

BAR_FORMAT = "{desc} {percentage:5.1f}%|{bar}| [{elapsed}<{remaining}, {rate_fmt}{postfix}]"  # share of the corpus


@dataclass
class EpochTotals:
    """Running totals of an epoch: raw words read, words trained on, pairs, summed loss, latest learning rate."""

    raw_words: int = 0
    effective_words: int = 0  # after out-of-vocabulary removal and subsampling
    pairs: int = 0  # (context, center) pairs trained; for CBOW, center words (one example each)
    loss: float = 0.0
    alpha: float = 0.0

    def add(self, raw_words: int, effective_words: int, pairs: int, loss: float, alpha: float) -> None:
        """Count one finished job, trained at ``alpha``."""
        self.raw_words += raw_words
        self.effective_words += effective_words
        self.pairs += pairs
        self.loss += loss
        self.alpha = alpha

    def times(self, world: int) -> EpochTotals:
        """The counts times ``world``: one replica's share of data-parallel training, as an estimate of all."""
        return replace(self, raw_words=self.raw_words * world, effective_words=self.effective_words * world,
                       pairs=self.pairs * world, loss=self.loss * world)  # fmt: skip


def describe_rate_and_loss(totals: EpochTotals, compute_loss: bool) -> str:
    """``alpha 0.02500, loss/pair 0.6931`` (``-`` before any pair; no loss when it is not computed)."""
    text = f"alpha {totals.alpha:.5f}"
    if compute_loss:
        text += f", loss/pair {totals.loss / totals.pairs:.4f}" if totals.pairs else ", loss/pair -"
    return text


class EpochProgress:
    """A ``tqdm`` bar on stderr for one epoch: ``epoch 2/5`` over the raw words, redrawn at most once a second."""

    def __init__(self, epoch: int, epochs: int, raw_total: int, compute_loss: bool):
        self.compute_loss = compute_loss
        self.bar = tqdm(total=raw_total, desc=f"epoch {epoch + 1}/{epochs}", unit=" words", unit_scale=True,
                        mininterval=1.0, dynamic_ncols=True, bar_format=BAR_FORMAT)  # fmt: skip

    def show(self, totals: EpochTotals) -> None:
        """Move the bar to ``totals`` (the training threads call this under their lock)."""
        self.bar.set_postfix_str(describe_rate_and_loss(totals, self.compute_loss), refresh=False)
        self.bar.update(totals.raw_words - self.bar.n)

    def close(self, totals: EpochTotals) -> None:
        """Draw the epoch's final totals and leave the bar's line on the screen."""
        self.bar.set_postfix_str(describe_rate_and_loss(totals, self.compute_loss), refresh=False)
        self.bar.update(totals.raw_words - self.bar.n)
        self.bar.close()
