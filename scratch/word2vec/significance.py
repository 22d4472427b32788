"""Correlation coefficients and their two-sided p-values as SciPy computes them (for gensim's ``evaluate_word_pairs``).

gensim returns ``scipy.stats.pearsonr`` and ``scipy.stats.spearmanr`` of the human and
model similarities; scratch may not import SciPy, so both are written here:

* :func:`pearsonr`: Pearson's r, with SciPy's arithmetic (``_stats_py.py``, ``pearsonr``:
  centred, each side scaled by its largest magnitude before the norm, clipped to
  ``[-1, 1]``); under the null hypothesis r follows a Beta(n/2 - 1, n/2 - 1) distribution
  on ``[-1, 1]``, so the p-value is ``2 * I_{(1 - |r|) / 2}(n/2 - 1, n/2 - 1)``;
* :func:`spearmanr`: Pearson's r of the ranks (ties share their average rank; SciPy's
  ``np.corrcoef`` of ``rankdata``), tested with Student's t on ``n - 2`` degrees of
  freedom: ``t = rho * sqrt(dof / ((rho + 1)(1 - rho)))``, and the two-sided tail
  ``2 * stdtr(dof, -|t|) = I_{dof / (dof + t^2)}(dof / 2, 1 / 2)``;
* :func:`regularized_incomplete_beta`: ``I_x(a, b)``, by the continued fraction of
  DLMF 8.17.22 (evaluated with the modified Lentz method) on the side where it converges
  fast, the other side by ``I_x(a, b) = 1 - I_{1-x}(b, a)``. The prefactor
  ``x^a (1-x)^b / B(a, b)`` is computed in logarithms with Stirling's series for large
  parameters, so that its error follows the size of its logarithm rather than of
  ``log Gamma(a)``: the p-values agree with SciPy's (Boost's ``ibeta``) to about 1e-13
  relative, down to the smallest positive doubles.

Constant input has no correlation: r and p are NaN with a warning, as in SciPy.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

logger = logging.getLogger(__name__)

STIRLING_MIN = 10.0  # Stirling's series (7 terms) is exact to double precision from here on
LENTZ_TINY = 1e-300
LENTZ_EPSILON = 1e-16
LENTZ_MAX_ITERATIONS = 100_000
# Coefficients of Stirling's series for log Gamma(z) - [(z - 1/2) log z - z + log(2 pi) / 2]:
# B_2k / (2k (2k - 1)), k = 1..7, each multiplying z^-(2k - 1).
STIRLING_COEFFICIENTS = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156)


class PearsonRResult(NamedTuple):
    """Pearson's r and its two-sided p-value (``scipy.stats.pearsonr``'s ``statistic`` and ``pvalue``)."""

    statistic: float
    pvalue: float


class SpearmanrResult(NamedTuple):
    """Spearman's rho and its two-sided p-value (``scipy.stats.spearmanr``'s result, also named ``statistic``)."""

    correlation: float
    pvalue: float

    @property
    def statistic(self) -> float:
        return self.correlation


def stirling_correction(z: float) -> float:
    """``log Gamma(z) - ((z - 1/2) log z - z + log(2 pi) / 2)`` for ``z >= STIRLING_MIN`` (Stirling's series)."""
    inverse, square = 1.0 / z, 1.0 / (z * z)
    total, power = 0.0, inverse
    for coefficient in STIRLING_COEFFICIENTS:
        total += coefficient * power
        power *= square
    return total


def _log_scaled(x: float, scale: float, offset: float) -> float:
    """``log(x * scale)``, given ``offset = x * scale - 1``: by ``log1p`` near 1, by a sum of logs far from it."""
    return math.log1p(offset) if abs(offset) < 0.5 else math.log(x) + math.log(scale)


def log_beta_prefactor(a: float, b: float, x: float, y: float) -> float:
    """``log(x^a y^b / B(a, b))`` with ``y = 1 - x`` given exactly by the caller.

    With both parameters large, Stirling's series turns it into
    ``a log(xc/a) + b log(yc/b) + log(ab / (2 pi c)) / 2 - mu(a) - mu(b) + mu(c)``
    (``c = a + b``), whose first terms are ``log1p`` of ``(xb - ya)/a`` and its mirror:
    small and accurate near the distribution's centre. With one large parameter the
    ratio ``Gamma(c) / Gamma(large)`` is expanded the same way; with none, ``lgamma``
    values are small and exact enough.
    """
    c = a + b
    if a >= STIRLING_MIN and b >= STIRLING_MIN:
        d = x * b - y * a  # x c - a, without cancelling c
        return (a * _log_scaled(x, c / a, d / a) + b * _log_scaled(y, c / b, -d / b)
                + 0.5 * math.log(a * b / (2 * math.pi * c))
                - stirling_correction(a) - stirling_correction(b) + stirling_correction(c))  # fmt: skip
    if max(a, b) >= STIRLING_MIN:
        if a < b:  # the formula is symmetric under (a, x) <-> (b, y)
            a, b, x, y = b, a, y, x
        # log Gamma(c) - log Gamma(a) = (a - 1/2) log1p(b/a) + b log c - b + mu(c) - mu(a)
        gamma_ratio = (a - 0.5) * math.log1p(b / a) + b * math.log(c) - b + stirling_correction(c) \
            - stirling_correction(a)  # fmt: skip
        return a * math.log(x) + b * math.log(y) + gamma_ratio - math.lgamma(b)
    return a * math.log(x) + b * math.log(y) + math.lgamma(c) - math.lgamma(a) - math.lgamma(b)


def _continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of ``I_x(a, b) * a * B(a, b) / (x^a (1-x)^b)`` (DLMF 8.17.22), by modified Lentz."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > LENTZ_TINY else LENTZ_TINY)
    fraction = d
    for m in range(1, LENTZ_MAX_ITERATIONS):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):  # fmt: skip
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > LENTZ_TINY else LENTZ_TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > LENTZ_TINY else LENTZ_TINY
            step = c * d
            fraction *= step
        if abs(step - 1.0) < LENTZ_EPSILON:
            return fraction
    raise ArithmeticError(f"the incomplete beta continued fraction did not converge for a={a}, b={b}, x={x}")


def regularized_incomplete_beta(a: float, b: float, x: float, y: float | None = None) -> float:
    """``I_x(a, b)``, the Beta(a, b) distribution function at ``x`` (SciPy's ``betainc``).

    ``y`` is ``1 - x`` when the caller has it exactly (a tail near 1 would lose digits
    in the subtraction).
    """
    if a <= 0 or b <= 0:
        raise ValueError(f"the incomplete beta function needs a > 0 and b > 0, got a={a}, b={b}")
    y = 1.0 - x if y is None else y
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    if x < (a + 1.0) / (a + b + 2.0):
        return _lower_tail(a, b, x, y)
    return 1.0 - _lower_tail(b, a, y, x)


def _lower_tail(a: float, b: float, x: float, y: float) -> float:
    """``I_x(a, b)`` by the continued fraction, multiplied in logarithms (no subnormal intermediate)."""
    return math.exp(log_beta_prefactor(a, b, x, y) + math.log(_continued_fraction(a, b, x) / a))


def _constant(values: np.ndarray) -> bool:
    return bool((values == values[0]).all())


def pearsonr(x: Sequence[float], y: Sequence[float]) -> PearsonRResult:
    """Pearson's r and its two-sided p-value, as ``scipy.stats.pearsonr(x, y)`` computes them."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if len(x) != len(y):
        raise ValueError("`x` and `y` must have the same length along `axis`.")
    if len(x) < 2:
        raise ValueError("`x` and `y` must have length at least 2.")
    if _constant(x) or _constant(y):
        logger.warning("An input array is constant; the correlation coefficient is not defined.")
        return PearsonRResult(math.nan, math.nan)
    xm = x - x.mean()
    ym = y - y.mean()
    x_max = np.abs(xm).max()
    y_max = np.abs(ym).max()
    x_norm = x_max * np.linalg.vector_norm(xm / x_max)
    y_norm = y_max * np.linalg.vector_norm(ym / y_max)
    r = float(np.clip(np.vecdot(xm / x_norm, ym / y_norm), -1.0, 1.0))
    if len(x) == 2:
        return PearsonRResult(float(round(r)), 1.0)
    shape = len(x) / 2 - 1
    upper = (abs(r) - (-1.0)) / 2  # SciPy: the Beta on [-1, 1] as (r - loc) / scale
    p = 2 * regularized_incomplete_beta(shape, shape, 1.0 - upper, upper)
    return PearsonRResult(r, p)


def rank_data(values: Sequence[float]) -> np.ndarray:
    """Ranks 1..n, ties sharing their average rank (``scipy.stats.rankdata``'s ``"average"``)."""
    values = np.asarray(values, dtype=np.float64)
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values), dtype=np.float64)
    sorted_values = values[order]
    start = 0
    while start < len(values):
        end = start
        while end + 1 < len(values) and sorted_values[end + 1] == sorted_values[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2.0 + 1.0
        start = end + 1
    return ranks


def spearmanr(x: Sequence[float], y: Sequence[float]) -> SpearmanrResult:
    """Spearman's rho and its two-sided p-value, as ``scipy.stats.spearmanr(x, y)`` computes them."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if len(x) != len(y):
        raise ValueError("x and y must have the same length")
    if len(x) <= 1:
        return SpearmanrResult(math.nan, math.nan)
    if _constant(x) or _constant(y):
        logger.warning("An input array is constant; the correlation coefficient is not defined.")
        return SpearmanrResult(math.nan, math.nan)
    rho = float(np.corrcoef(rank_data(x), rank_data(y))[1, 0])
    dof = len(x) - 2
    with np.errstate(divide="ignore", invalid="ignore"):
        rho64 = np.float64(rho)  # numpy division: a rho of +-1 gives inf (then p = 0), as in SciPy
        t = float(rho64 * np.sqrt(np.clip(dof / ((rho64 + 1.0) * (1.0 - rho64)), 0, None)))
    if dof == 0 or math.isnan(t):
        return SpearmanrResult(rho, math.nan)
    if math.isinf(t):
        return SpearmanrResult(rho, 0.0)
    t_squared = t * t
    return SpearmanrResult(rho, regularized_incomplete_beta(dof / 2, 0.5, dof / (dof + t_squared),
                                                            t_squared / (dof + t_squared)))  # fmt: skip
