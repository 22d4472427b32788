"""Word2Vec's settings, checked before any work is done.

A bad setting must not surface later as a ``ZeroDivisionError`` deep inside the compiled
loop, a noise table of zeros, or vectors of 1e13: each setting is checked when the model
is made (and when ``train`` is given new learning rates), and the error names the setting
and the values it may take.

The ranges follow gensim 4 where gensim's answer is a model: ``min_count=0``,
``sample=0`` (no subsampling), any finite ``ns_exponent`` (negative values favour rare
words as noise), seeds ``0 <= seed < 2**32`` (gensim's own check), and ``min_alpha``
above ``alpha`` (gensim then trains at ``min_alpha`` throughout; here with a warning).
Where gensim runs on and returns garbage or nothing, the value is refused: ``alpha``
that is not a finite positive number (gensim trains at ``min_alpha`` for ``inf`` and
keeps the initial vectors for ``alpha <= 0``), ``window=0`` (gensim's worker thread dies
and training hangs), ``workers=0`` or ``negative <= 0`` (gensim trains nothing), a NaN or
infinite ``sample`` or ``ns_exponent`` (gensim fails converting them to integers).

A finite ``alpha`` can still be too large for a corpus; training then stops with
:class:`TrainingDivergedError` as soon as the loss or the vectors stop being finite
(:mod:`.trainer`).
"""

from __future__ import annotations

import logging
import math
import numbers

import numpy as np

from ..errors import TokembError

logger = logging.getLogger(__name__)

MAX_SEED = 2**32 - 1  # gensim: "Seed must be between 0 and 2**32 - 1"


class SettingError(TokembError, ValueError):
    """A Word2Vec setting outside its range; the message names it and the values allowed."""


class UnsupportedSettingError(TokembError, NotImplementedError):
    """A Word2Vec setting gensim has and this implementation does not (hierarchical softmax, ...)."""


class TrainingDivergedError(TokembError, FloatingPointError):
    """Training stopped because the loss or the vectors stopped being finite (the learning rate is too large)."""


def _is_integer(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_integers(minimum: int = 1, **values) -> None:
    """Each value must be an integer ``>= minimum`` (``True``/``False`` are not counts)."""
    for name, value in values.items():
        if not _is_integer(value) or value < minimum:
            allowed = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
            raise SettingError(f"{name} must be {allowed}, got {value!r}")


def check_flags(**values) -> None:
    """Each value must be a yes/no setting: ``0``, ``1``, ``False`` or ``True``."""
    for name, value in values.items():
        if not (isinstance(value, (bool, np.bool_)) or _is_integer(value) and value in (0, 1)):
            raise SettingError(f"{name} must be 0 or 1 (False or True), got {value!r}")


def check_finite(name: str, value, minimum: float, strict: bool) -> None:
    """``value`` must be a finite real number ``> minimum`` (``strict``) or ``>= minimum``."""
    if not _is_real(value) or not math.isfinite(value) or value < minimum or (strict and value == minimum):
        allowed = f"{'>' if strict else '>='} {minimum:g}"
        raise SettingError(f"{name} must be a finite number {allowed}, got {value!r}")


def check_learning_rates(alpha, min_alpha) -> None:
    """``alpha`` finite and positive, ``min_alpha`` finite and non-negative; a warning when the rate would rise.

    gensim's schedule is ``max(min_alpha, alpha - (alpha - min_alpha) * progress)``; with
    ``min_alpha > alpha`` that is ``min_alpha`` from start to end, which is what both do.
    """
    check_finite("alpha", alpha, 0.0, strict=True)
    check_finite("min_alpha", min_alpha, 0.0, strict=False)
    if min_alpha > alpha:
        logger.warning("min_alpha=%r is larger than alpha=%r: training runs at min_alpha throughout (as gensim "
                       "does); did you swap them?", min_alpha, alpha)  # fmt: skip


def check_settings(*, vector_size, window, min_count, sample, negative, ns_exponent, alpha, min_alpha, epochs,
                   workers, seed, sg, hs, cbow_mean, skip_saturated, shrink_windows, max_final_vocab, compute_loss,
                   batch_words, progress, batch_size, sync_every) -> None:  # fmt: skip
    """Refuse any setting of :class:`~scratch.word2vec.Word2Vec` outside its range (see the module docstring)."""
    check_integers(vector_size=vector_size, window=window, negative=negative, epochs=epochs, workers=workers,
                   batch_words=batch_words, batch_size=batch_size, sync_every=sync_every)  # fmt: skip
    check_integers(minimum=0, min_count=min_count)
    if max_final_vocab is not None:
        check_integers(max_final_vocab=max_final_vocab)
    if not _is_integer(seed) or not 0 <= seed <= MAX_SEED:
        raise SettingError(f"seed must be an integer from 0 to 2**32 - 1 (as in gensim), got {seed!r}")
    check_flags(sg=sg, cbow_mean=cbow_mean, skip_saturated=skip_saturated, shrink_windows=shrink_windows,
                compute_loss=compute_loss, progress=progress)  # fmt: skip
    if hs:
        raise UnsupportedSettingError("hierarchical softmax is not implemented: use negative sampling (hs=0)")
    check_finite("sample", sample, 0.0, strict=False)
    if not _is_real(ns_exponent) or not math.isfinite(ns_exponent):
        raise SettingError(f"ns_exponent must be a finite number (0.75 in the paper), got {ns_exponent!r}")
    check_learning_rates(alpha, min_alpha)
