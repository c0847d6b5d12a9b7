"""Representation geometry: effective rank (Roy & Vetterli), RankMe, alpha-ReQ.

* :func:`effective_rank`: :math:`\\exp H(p)` with :math:`p_i = s_i / \\sum_j s_j` the
  normalised singular values and H the Shannon entropy (natural log).
* :func:`rankme`: the effective rank of the singular values of a representation matrix
  (Garrido et al. 2023), the measure of dimensionality used by Li et al. 2025.
* :func:`alpha_req`: the decay exponent of the covariance eigenspectrum,
  :math:`\\lambda_i \\propto i^{-\\alpha}`, by least squares on the log-log spectrum
  (Agrawal et al. 2022).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks

__all__ = ["effective_rank", "rankme", "AlphaReQ", "alpha_req"]


def _erank_impl(s: np.ndarray) -> float:
    p = s / np.sum(s)
    nz = p[p > 0]
    return float(np.exp(-np.sum(nz * np.log(nz))))


def effective_rank(s: Any) -> float:
    """Effective rank :math:`\\exp(-\\sum_i p_i \\log p_i)`, :math:`p_i = s_i / \\sum_j s_j`.

    Parameters
    ----------
    s : array_like of shape (p,)
        Singular values (non-negative, not all zero), any order.

    Returns
    -------
    float
        In [1, p]: 1 for rank one, p for equal values.

    Raises
    ------
    TypeError, ValueError
        ``s`` not a finite non-negative vector with a positive entry.

    Notes
    -----
    :cite:p:`roy2007effective`. Chapter :ref:`spectral-diagnostics`.
    """
    where = "diagnostics.effective_rank"
    s = _checks.as_vector(s, "s", where, allow_empty=False)
    if float(jnp.min(s)) < 0 or float(jnp.max(s)) <= 0:
        raise _checks.fail(where, "s", "non-negative values with a positive entry",
                           f"min = {float(jnp.min(s)):.3g}, max = {float(jnp.max(s)):.3g}")
    return _erank_impl(np.asarray(s, dtype=np.float64))


def _svdvals(Z: Any) -> np.ndarray:
    """Host LAPACK SVD: these metrics are called on many shapes, where JIT would not pay."""
    return np.linalg.svd(np.asarray(Z, dtype=np.float64), compute_uv=False)


def rankme(Z: Any, *, eps: float = 0.0) -> float:
    """RankMe of a representation matrix: the effective rank of its singular values.

    :math:`\\mathrm{RankMe}(Z) = \\exp(-\\sum_k p_k \\log p_k)` with
    :math:`p_k = \\sigma_k / \\lVert\\sigma\\rVert_1 + \\varepsilon`, the singular values of
    Z (not centred).

    Parameters
    ----------
    Z : array_like of shape (n, d)
        n representations (rows) of dimension d.
    eps : float
        The small constant of Garrido et al. (``>= 0``); 0 gives exactly
        :func:`effective_rank`.

    Returns
    -------
    float
        In [1, min(n, d)] (for ``eps = 0``).

    Raises
    ------
    TypeError, ValueError
        ``Z`` not a finite real matrix, or zero; ``eps < 0``.

    Notes
    -----
    Invariant to rotations of either side and to the scale of Z.
    :cite:p:`garrido2023rankme,li2025tracing`. Chapter :ref:`spectral-diagnostics`.
    """
    where = "diagnostics.rankme"
    Z = _checks.as_matrix(Z, "Z", where)
    eps = _checks.check_scalar(eps, "eps", where, min_val=0.0)
    s = _svdvals(Z)
    if float(s[0]) <= 0:
        raise _checks.fail(where, "Z", "a non-zero matrix", "all singular values are 0")
    if eps == 0:
        return _erank_impl(s)
    p = s / np.sum(s) + eps
    return float(np.exp(-np.sum(p * np.log(p))))


class AlphaReQ(NamedTuple):
    """Power-law decay of a covariance eigenspectrum.

    Attributes
    ----------
    alpha : float
        Fitted decay: :math:`\\lambda_i \\approx c\\, i^{-\\alpha}`.
    log_c : float
        Fitted intercept :math:`\\log c`.
    eigenvalues : jax.Array of shape (min(n, d),)
        Covariance eigenvalues, descending.
    fit_range : tuple of int
        The 1-based index range ``(lo, hi)`` (inclusive) that was fitted.
    """

    alpha: float
    log_c: float
    eigenvalues: jax.Array
    fit_range: tuple[int, int]


def _cov_eigs(Z: Any) -> np.ndarray:
    s = _svdvals(Z)
    return s * s / Z.shape[0]


def alpha_req(Z: Any, *, center: bool = True,
              fit_range: tuple[int, int] | None = None) -> AlphaReQ:
    """alpha-ReQ: least-squares slope of log eigenvalue against log index (negated).

    Parameters
    ----------
    Z : array_like of shape (n, d)
        n representations (rows) of dimension d.
    center : bool
        Subtract the mean row first (the covariance spectrum).
    fit_range : (int, int), optional
        1-based inclusive index range ``(lo, hi)``, ``1 <= lo < hi <= min(n, d)``.
        Default: all indices with a positive eigenvalue above ``1e-12`` times the largest.

    Returns
    -------
    AlphaReQ

    Raises
    ------
    TypeError, ValueError
        ``Z`` not a finite real matrix with at least two positive eigenvalues; bad
        ``fit_range``.

    Notes
    -----
    :cite:p:`agrawal2022alpha,li2025tracing`. Cost: one SVD of Z.
    Chapter :ref:`spectral-diagnostics`.
    """
    where = "diagnostics.alpha_req"
    Z = _checks.as_matrix(Z, "Z", where)
    if not isinstance(center, (bool, np.bool_)):
        raise _checks.fail(where, "center", "a bool", f"{type(center).__name__}",
                           exc=TypeError)
    if center:
        Z = Z - jnp.mean(Z, axis=0, keepdims=True)
    lam = _cov_eigs(Z)
    p = lam.size
    if fit_range is None:
        good = np.nonzero(lam > 1e-12 * max(lam[0], 1e-300))[0]
        lo, hi = 1, int(good[-1]) + 1 if good.size else 0
        if hi < 2:
            raise _checks.fail(where, "Z", "at least two positive covariance eigenvalues",
                               f"{hi}")
    else:
        if not isinstance(fit_range, (tuple, list)) or len(fit_range) != 2:
            raise _checks.fail(where, "fit_range", "a pair (lo, hi)",
                               f"{type(fit_range).__name__} {fit_range!r}", exc=TypeError)
        lo = _checks.check_int(fit_range[0], "fit_range", where, min_val=1, max_val=p - 1)
        hi = _checks.check_int(fit_range[1], "fit_range", where, min_val=lo + 1, max_val=p)
        if lam[hi - 1] <= 0:
            raise _checks.fail(where, "fit_range", "a range of positive eigenvalues",
                               f"lambda_{hi} = {lam[hi - 1]:.3g}")
    i = np.arange(lo, hi + 1, dtype=np.float64)
    slope, icpt = np.polyfit(np.log(i), np.log(lam[lo - 1:hi]), 1)
    return AlphaReQ(float(-slope), float(icpt), jnp.asarray(lam), (lo, hi))
