"""Word2Vec's settings: one frozen dataclass, checked before any work is done.

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
and training hangs), ``workers=0`` or ``negative <= 0`` without hierarchical softmax (gensim
trains nothing; ``hs=1, negative=0`` is gensim's classic hierarchical softmax), a NaN or
infinite ``sample`` or ``ns_exponent`` (gensim fails converting them to integers).

A finite ``alpha`` can still be too large for a corpus; training then stops with
:class:`TrainingDivergedError` as soon as the loss or the vectors stop being finite
(:mod:`.trainer`).
"""

from __future__ import annotations

import dataclasses
import logging
import math
import numbers
from dataclasses import dataclass, field

import numpy as np

from ..errors import TokembError

logger = logging.getLogger(__name__)

MAX_SEED = 2**32 - 1  # gensim: "Seed must be between 0 and 2**32 - 1"
BACKENDS = ("numba", "numpy", "torch")
#: ``"pair"``: ``negative`` noise words drawn for every (context, center) pair, word2vec.c's and
#: gensim's scheme; ``"window"``: drawn once per center word and shared by its window's context
#: words (Ji et al. 2016's HogBatch, :mod:`.shared_negatives_numpy`).
NEGATIVE_SHARING = ("pair", "window")

#: The torch backend's pairs per step when ``batch_size`` is not given, by ``negative_sharing``.
#: The window step (:mod:`.shared_negatives_torch`) trains the 12.5 M-word benchmark corpus at
#: 4096 pairs a step with two threads (three seeds, gensim's quality) now that its input rows are
#: capped as its output rows are, and runs faster there than at 1024 (fewer, larger products).
DEFAULT_BATCH_SIZE = {"pair": 1024, "window": 4096}


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


def check_settings(settings: Word2VecSettings) -> None:
    """Refuse any setting of :class:`~scratch.word2vec.Word2Vec` outside its range (see the module docstring)."""
    check_flags(hs=settings.hs)
    # with hs=1, negative=0 is gensim's classic hierarchical softmax; without it nothing would train
    check_integers(minimum=0, negative=settings.negative)
    if not settings.hs and settings.negative == 0:
        raise SettingError("You must set either 'hs' or 'negative' to be positive for proper training. "
                           "When both 'hs=0' and 'negative=0', there will be no training.")  # gensim's words
    check_integers(vector_size=settings.vector_size, window=settings.window, epochs=settings.epochs,
                   workers=settings.workers, batch_words=settings.batch_words,
                   batch_size=settings.batch_size, sync_every=settings.sync_every)  # fmt: skip
    check_integers(minimum=0, min_count=settings.min_count)
    if settings.max_final_vocab is not None:
        check_integers(max_final_vocab=settings.max_final_vocab)
    if settings.max_vocab_size is not None:
        check_integers(max_vocab_size=settings.max_vocab_size)
    if not _is_integer(settings.seed) or not 0 <= settings.seed <= MAX_SEED:
        raise SettingError(f"seed must be an integer from 0 to 2**32 - 1 (as in gensim), got {settings.seed!r}")
    check_flags(sg=settings.sg, cbow_mean=settings.cbow_mean, skip_saturated=settings.skip_saturated,
                shrink_windows=settings.shrink_windows, compute_loss=settings.compute_loss,
                progress=settings.progress, sorted_vocab=settings.sorted_vocab, null_word=settings.null_word)  # fmt: skip
    check_finite("sample", settings.sample, 0.0, strict=False)
    if not _is_real(settings.ns_exponent) or not math.isfinite(settings.ns_exponent):
        raise SettingError(f"ns_exponent must be a finite number (0.75 in the paper), got {settings.ns_exponent!r}")
    check_learning_rates(settings.alpha, settings.min_alpha)
    check_backend(settings.backend, settings.device, settings.sg, settings.hs)
    check_negative_sharing(settings.negative_sharing, settings.sg, settings.hs, settings.negative)


def check_backend(backend, device, sg, hs=0) -> None:
    """A known backend, CBOW and hierarchical softmax only where they are implemented, and a device only for torch.

    (Whether torch has the device is asked by the trainer, which imports torch only then.)"""
    if backend not in BACKENDS:
        raise SettingError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    if backend == "torch" and sg == 0:
        raise UnsupportedSettingError("the torch backend trains skip-gram (sg=1) only: use backend='numba' "
                                      "for CBOW")  # fmt: skip
    if backend == "torch" and hs:
        raise UnsupportedSettingError("the torch backend trains negative sampling (hs=0) only: use "
                                      "backend='numba' for hierarchical softmax (hs=1)")  # fmt: skip
    if backend != "torch" and device != "cpu":
        raise SettingError(f"device={device!r} needs backend='torch'; the {backend} backend runs on the CPU")


def check_negative_sharing(negative_sharing, sg, hs, negative) -> None:
    """``"pair"`` for everything; ``"window"`` only where it is defined: skip-gram with negative sampling alone.

    (CBOW already scores one hidden vector per window against one set of noise words, and
    hierarchical softmax draws no noise words.)"""
    if negative_sharing not in NEGATIVE_SHARING:
        raise SettingError(f"negative_sharing must be one of {', '.join(map(repr, NEGATIVE_SHARING))}, "
                           f"got {negative_sharing!r}")  # fmt: skip
    if negative_sharing == "window" and (sg != 1 or hs or negative == 0):
        raise UnsupportedSettingError(
            f"negative_sharing='window' is skip-gram with negative sampling (sg=1, hs=0, negative > 0), "
            f"got sg={sg!r}, hs={hs!r}, negative={negative!r}: CBOW already shares its noise words within a "
            f"window, and hierarchical softmax draws none; use negative_sharing='pair'")


NOT_SAVED = {"saved": False}  # field metadata: a setting left out of a saved model (how it was shown, not trained)


@dataclass(frozen=True)
class Word2VecSettings:
    """Every setting of a :class:`~scratch.word2vec.Word2Vec`, checked when made (:func:`check_settings`).

    The names and defaults are gensim 4's keyword arguments (plus the backends' own), so that
    a drop-in takes gensim's defaults (``sg=0``, ``hs=0``, ``compute_loss=False``). Frozen:
    a model's settings change only as a whole, through :func:`dataclasses.replace` (which
    checks them again), as ``train(start_alpha=..., end_alpha=...)`` does. A saved model
    keeps :meth:`saved` (every field but ``progress``).
    """

    vector_size: int = 100
    window: int = 5
    min_count: int = 5
    max_vocab_size: int | None = None
    sample: float = 1e-3
    negative: int = 5
    ns_exponent: float = 0.75
    alpha: float = 0.025
    min_alpha: float = 0.0001
    epochs: int = 5
    workers: int = 3
    seed: int = 1
    sg: int = 0  # CBOW, gensim's default
    hs: int = 0
    cbow_mean: int = 1
    skip_saturated: bool = False
    shrink_windows: bool = True
    max_final_vocab: int | None = None
    sorted_vocab: int = 1
    null_word: int = 0
    compute_loss: bool = False  # gensim's default
    batch_words: int = 10_000
    backend: str = "numba"
    progress: bool = field(default=False, metadata=NOT_SAVED)
    device: str = "cpu"
    batch_size: int | None = None  # None: DEFAULT_BATCH_SIZE[negative_sharing]
    sync_every: int = 4
    negative_sharing: str = "pair"

    def __post_init__(self) -> None:
        if self.batch_size is None:  # resolved once, so a saved model keeps the number it trained with
            object.__setattr__(self, "batch_size", DEFAULT_BATCH_SIZE.get(self.negative_sharing, DEFAULT_BATCH_SIZE["pair"]))
        check_settings(self)

    def saved(self) -> dict:
        """The settings a saved model keeps (the ``config`` of its metadata), by name."""
        kept = {setting.name for setting in dataclasses.fields(self) if setting.metadata.get("saved", True)}
        return {name: value for name, value in dataclasses.asdict(self).items() if name in kept}


@dataclass(frozen=True)
class JobSettings:
    """What the corpus loops (``train_sentences`` of :mod:`.sgns_numpy`, :mod:`.sgns_numba`,
    :mod:`.cbow_numpy`, :mod:`.cbow_numba`) take besides the arrays, for one job.

    ``cbow_mean`` is CBOW's alone (``None`` for skip-gram); ``max_score`` is gensim's
    saturation rule (``GENSIM_MAX_EXP``) or ``inf``. :meth:`keywords` passes them by name.
    """

    window: int
    negative: int
    alpha: float
    state: int  # the job's random stream starts here
    subsample_words: bool
    shrink_windows: bool
    compute_loss: bool
    cbow_mean: bool | None = None
    max_score: float = math.inf

    def keywords(self) -> dict:
        """The settings as keyword arguments of ``train_sentences`` (no ``cbow_mean`` for skip-gram)."""
        arguments = dataclasses.asdict(self)
        if self.cbow_mean is None:
            del arguments["cbow_mean"]
        return arguments
