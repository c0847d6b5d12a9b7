"""Power-law tail fits of a spectrum: the MLE at fixed xmin, Hill, and the Clauset xmin search.

For a continuous power law :math:`p(x) \\propto x^{-\\alpha}` on :math:`x \\ge x_{\\min}`, the
maximum-likelihood exponent of the n tail points is

.. math:: \\hat\\alpha = 1 + n \\Big/ \\sum_{x_i \\ge x_{\\min}} \\log(x_i / x_{\\min}).

The Hill estimator used in heavy-tailed self-regularisation (PL_Alpha_Hill) is the same
formula with :math:`x_{\\min}` the k-th largest value. Clauset, Shalizi and Newman choose
:math:`x_{\\min}` among the data values by minimising the Kolmogorov–Smirnov distance between
the tail and the fitted law; :func:`fit_powerlaw` does this for every candidate at once.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks
from ..display import implemented_by

__all__ = ["PowerLawFit", "powerlaw_mle", "hill_alpha", "fit_powerlaw"]


class PowerLawFit(NamedTuple):
    """A power-law fit of a tail.

    Attributes
    ----------
    alpha : float
        Density exponent: :math:`p(x) \\propto x^{-\\alpha}` on the tail.
    xmin : float
        Start of the tail.
    n_tail : int
        Number of values :math:`\\ge x_{\\min}`.
    ks : float
        Kolmogorov–Smirnov distance between the tail and the fitted law (the convention of
        the ``powerlaw`` package: empirical CDF ``i / n`` at the i-th smallest tail value,
        i = 0, ..., n - 1).
    """

    alpha: float
    xmin: float
    n_tail: int
    ks: float


def _positive_values(x: Any, where: str, name: str = "x") -> np.ndarray:
    v = np.asarray(_checks.as_vector(x, name, where, allow_empty=False), dtype=np.float64)
    if v.size < 2:
        raise _checks.fail(where, name, "at least 2 values", f"{v.size}")
    if v.min() <= 0:
        raise _checks.fail(where, name, "positive values (a spectrum without zeros)",
                           f"min = {v.min():.3g}", "Drop the zero eigenvalues first.")
    return v


@jax.jit
def _mle_ks(xs: jax.Array, j: jax.Array) -> tuple[jax.Array, jax.Array]:
    """alpha and KS distance for the tail xs[j:] of ascending xs (one candidate)."""
    N = xs.shape[0]
    L = jnp.log(xs)
    idx = jnp.arange(N)
    tail = idx >= j
    n = (N - j).astype(xs.dtype)
    s = jnp.sum(jnp.where(tail, L - L[j], 0.0))
    valid = s > 0                       # a tail of one value (or of equal values) has no fit
    alpha = 1.0 + n / jnp.where(valid, s, 1.0)
    F = 1.0 - jnp.exp((1.0 - alpha) * (L - L[j]))
    E = (idx - j) / n
    ks = jnp.max(jnp.where(tail, jnp.abs(F - E), 0.0))
    return jnp.where(valid, alpha, 0.0), jnp.where(valid, ks, 2.0)   # KS <= 1: 2 marks invalid


@jax.jit
def _scan_impl(xs: jax.Array) -> tuple[jax.Array, jax.Array]:
    """(alpha, KS) for every candidate xmin = xs[j], j = 0..p-1 (one compile per p)."""
    return jax.lax.map(lambda j: _mle_ks(xs, j), jnp.arange(xs.shape[0]), batch_size=64)


def powerlaw_mle(x: Any, *, xmin: float) -> PowerLawFit:
    """Maximum-likelihood power-law exponent of the values ``>= xmin`` (xmin fixed).

    Parameters
    ----------
    x : array_like of shape (p,)
        Positive values (a spectrum), any order.
    xmin : float
        Start of the tail, ``> 0``; at least 2 values must be ``>= xmin`` and not all equal.

    Returns
    -------
    PowerLawFit

    Raises
    ------
    TypeError, ValueError
        ``x`` not a finite positive vector; ``xmin`` not positive or leaving fewer than two
        distinct tail values.

    See Also
    --------
    powerlaw.Fit : ``powerlaw.Fit(x, xmin=xmin).power_law.alpha`` is the same estimate.

    Notes
    -----
    :cite:p:`clauset2009power`. Cost :math:`O(p \\log p)`. Chapter :ref:`spectral-diagnostics`.
    """
    where = "diagnostics.powerlaw_mle"
    v = _positive_values(x, where)
    xmin = _checks.check_scalar(xmin, "xmin", where, min_val=0.0, strict_min=True)
    xs = np.sort(v)
    j = int(np.searchsorted(xs, xmin, side="left"))
    if xs.size - j < 2 or xs[-1] <= xs[j]:
        raise _checks.fail(where, "xmin", "a value leaving at least 2 distinct tail values",
                           f"xmin={xmin:.3g} ({xs.size - j} values >= xmin)")
    tail = xs[j:]
    n = tail.size
    alpha = 1.0 + n / float(np.sum(np.log(tail / xmin)))
    F = 1.0 - (tail / xmin) ** (1.0 - alpha)
    ks = float(np.max(np.abs(F - np.arange(n) / n)))
    return PowerLawFit(float(alpha), float(xmin), int(n), ks)


def hill_alpha(x: Any, *, k: int | None = None, fraction: float = 0.5) -> PowerLawFit:
    """Hill estimate of the tail exponent from the k largest values (PL_Alpha_Hill).

    :math:`\\hat\\alpha = 1 + k / \\sum_{i \\le k} \\log(x_{(i)} / x_{(k)})` with
    :math:`x_{(1)} \\ge x_{(2)} \\ge \\dots` the values in descending order: the MLE of
    :func:`powerlaw_mle` at :math:`x_{\\min} = x_{(k)}`.

    Parameters
    ----------
    x : array_like of shape (p,)
        Positive values, any order.
    k : int, optional
        Tail size, ``2 <= k <= p``. Default ``max(2, round(fraction * p))``.
    fraction : float
        Tail share in (0, 1] used when ``k`` is not given (0.5: the top half of the ESD,
        the usual choice in TempBalance and FARMS).

    Returns
    -------
    PowerLawFit

    Raises
    ------
    TypeError, ValueError
        Bad ``x``; ``k`` outside [2, p]; ``fraction`` outside (0, 1]; a tail of equal values.

    Notes
    -----
    :cite:p:`hill1975simple,hu2025eigenspectrum`. Chapter :ref:`spectral-diagnostics`.
    """
    where = "diagnostics.hill_alpha"
    v = _positive_values(x, where)
    fraction = _checks.check_scalar(fraction, "fraction", where, min_val=0.0, max_val=1.0,
                                    strict_min=True)
    p = v.size
    k = (max(2, int(round(fraction * p))) if k is None
         else _checks.check_int(k, "k", where, min_val=2, max_val=p))
    xd = -np.sort(-v)
    xmin = float(xd[k - 1])
    if xd[0] <= xmin:
        raise _checks.fail(where, "x", "a tail of at least 2 distinct values",
                           f"the top {k} values are equal")
    alpha = 1.0 + k / float(np.sum(np.log(xd[:k] / xmin)))
    tail = xd[:k][::-1]
    F = 1.0 - (tail / xmin) ** (1.0 - alpha)
    ks = float(np.max(np.abs(F - np.arange(k) / k)))
    return PowerLawFit(float(alpha), xmin, int(k), ks)


@implemented_by(_scan_impl, _mle_ks)
def fit_powerlaw(x: Any, *, min_tail: int = 2) -> PowerLawFit:
    """Power-law fit with xmin chosen by the Kolmogorov–Smirnov distance (Clauset et al.).

    Every data value with at least ``min_tail`` values at or above it (the largest
    excluded) is a candidate xmin; for each, the MLE exponent and the KS distance of the
    tail are computed (all candidates in one jitted, batched pass), and the candidate with
    the smallest distance is returned.

    Parameters
    ----------
    x : array_like of shape (p,)
        Positive, distinct values (a spectrum), any order.
    min_tail : int
        Smallest admissible tail, ``2 <= min_tail <= p``.

    Returns
    -------
    PowerLawFit

    Raises
    ------
    TypeError, ValueError
        ``x`` not a finite positive vector of at least 2 values; bad ``min_tail``.

    See Also
    --------
    powerlaw.Fit : ``powerlaw.Fit(x)`` makes the same choice over the same candidates
        (its KS convention is the one used here); it loops over candidates in Python.

    Notes
    -----
    :cite:p:`clauset2009power`. Cost :math:`O(p^2)` arithmetic (p candidates, each a pass
    over its tail), vectorised. Ties in ``x`` make the empirical CDF differ from
    ``powerlaw``'s (which groups equal values). Chapter :ref:`spectral-diagnostics`.
    """
    where = "diagnostics.fit_powerlaw"
    v = _positive_values(x, where)
    p = v.size
    min_tail = _checks.check_int(min_tail, "min_tail", where, min_val=2, max_val=p)
    xs = np.sort(v)
    n_cand = p - min_tail + 1
    alphas, ks = _scan_impl(jnp.asarray(xs))
    alphas, ks = np.asarray(alphas)[:n_cand], np.asarray(ks)[:n_cand]
    ks = np.where(ks <= 1.0, ks, np.inf)
    j = int(np.argmin(ks))
    return PowerLawFit(float(alphas[j]), float(xs[j]), int(p - j), float(ks[j]))
