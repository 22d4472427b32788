"""What the tokenizer trainers share: checking special tokens and worker counts, showing progress.

The trainers (:mod:`.train_bpe`, :mod:`.train_wordpiece`, :mod:`.train_spm_bpe`,
:mod:`.train_unigram`) import from here and from :mod:`.base` (their
:class:`~.base.TrainingError`), never from each other's private parts; saving and loading
what they train is :mod:`.folders`.
"""

from __future__ import annotations

import os
import sys
from typing import Sequence

from tqdm import tqdm

from .base import TrainingError


def checked_special_tokens(special_tokens: Sequence[str]) -> list[str]:
    """The special tokens as a list: ``TrainingError`` for an empty or non-string one, or a repeat."""
    special_tokens = list(special_tokens)
    if any(not isinstance(t, str) or not t for t in special_tokens):
        raise TrainingError(f"special tokens must be non-empty strings, got {special_tokens!r}")
    repeated = sorted({t for t in special_tokens if special_tokens.count(t) > 1})
    if repeated:
        raise TrainingError(f"special token(s) given more than once: {repeated}")
    return special_tokens


def usable_cores() -> int:
    """How many cores this process may run on: its CPU affinity where the OS tells it
    (``os.sched_getaffinity``, which a container's or ``taskset``'s limit narrows), else
    ``os.cpu_count()``, at least 1."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):  # (macOS, Windows: no affinity call)
        return max(os.cpu_count() or 1, 1)


def checked_workers(workers: int | None) -> int:
    """The number of worker processes: ``None`` = :func:`usable_cores`; otherwise a whole
    number >= 1, ``TrainingError`` naming the bad value for anything else."""
    if workers is None:
        return usable_cores()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise TrainingError(
            f"workers must be a whole number >= 1 (or None for every usable core, {usable_cores()} here), "
            f"got {workers!r}"
        )
    return workers


def progress_bar(total: int, show: bool, unit: str = "merges") -> tqdm:
    """A progress bar on stderr for a training loop of ``total`` steps (merges, joins).

    It shows the steps done out of ``total``, the time spent, the rate and the time left,
    refreshed at most five times a second; nothing at all unless ``show``. A loop that
    knows how many steps it has done moves it with ``bar.update(done - bar.n)`` and ends
    with ``bar.close()``.
    """
    return tqdm(total=max(total, 1), desc=unit, unit=f" {unit}", disable=not show, file=sys.stderr,
                mininterval=0.2, dynamic_ncols=True)  # fmt: skip
