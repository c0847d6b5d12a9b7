"""Empirical spectral densities of weight matrices and the Marchenko–Pastur law.

For a weight matrix W of shape (m, n), let N = max(m, n), M = min(m, n) and q = M / N.
The ESD is the set of the M eigenvalues of the M x M Gram matrix divided by N,
:math:`\\lambda_i = s_i^2 / N` with the singular values :math:`s_i` of W. With i.i.d. entries
of variance :math:`\\sigma^2` it converges to the Marchenko–Pastur law of ratio q,
supported on :math:`[\\sigma^2 (1 - \\sqrt q)^2, \\sigma^2 (1 + \\sqrt q)^2]`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks
from .. import lowrank as _lowrank

__all__ = ["ESD", "esd", "MPEdges", "marchenko_pastur_edges", "marchenko_pastur_density",
           "marchenko_pastur_scale"]


class ESD(NamedTuple):
    """The empirical spectral density of one weight matrix.

    Attributes
    ----------
    eigenvalues : jax.Array of shape (M,)
        :math:`s_i^2 / N`, descending, M = min(m, n).
    q : float
        Aspect ratio min(m, n) / max(m, n), in (0, 1].
    N : int
        max(m, n), the normalisation.
    """

    eigenvalues: jax.Array
    q: float
    N: int


def _esd_impl(W: np.ndarray) -> np.ndarray:
    """Host LAPACK (gesdd): one SVD per matrix, so a per-shape JIT compile would not pay."""
    s = np.linalg.svd(W, compute_uv=False)
    return s * s / max(W.shape)


def esd(W: Any) -> ESD:
    """Eigenvalues of :math:`W^T W / N` (the smaller Gram matrix), N = max(m, n).

    Parameters
    ----------
    W : array_like of shape (m, n)
        A weight matrix (real, finite).

    Returns
    -------
    ESD
        ``eigenvalues`` (min(m, n),) descending, the aspect ratio ``q`` and ``N``.

    Raises
    ------
    TypeError, ValueError
        ``W`` not a finite real matrix.

    See Also
    --------
    scipy.linalg.svdvals : the same values, squared and divided by N.

    Notes
    -----
    One SVD, :math:`O(m n \\min(m, n))`. Explained in chapter :ref:`spectral-diagnostics`.
    """
    W = _checks.as_matrix(W, "W", "diagnostics.esd")
    m, n = W.shape
    lam = _esd_impl(np.asarray(W, dtype=np.float64))
    return ESD(jnp.asarray(lam), min(m, n) / max(m, n), max(m, n))


class MPEdges(NamedTuple):
    """Support of the Marchenko–Pastur law.

    Attributes
    ----------
    lower, upper : float
        :math:`\\sigma^2 (1 \\mp \\sqrt q)^2`.
    """

    lower: float
    upper: float


def _check_q(q: Any, where: str) -> float:
    return _checks.check_scalar(q, "q", where, min_val=0.0, max_val=1.0, strict_min=True)


def marchenko_pastur_edges(q: float, *, sigma2: float = 1.0) -> MPEdges:
    """Edges of the Marchenko–Pastur support for ratio q and entry variance sigma2.

    Parameters
    ----------
    q : float
        Aspect ratio in (0, 1].
    sigma2 : float
        Entry variance, ``> 0``.

    Returns
    -------
    MPEdges

    Raises
    ------
    TypeError, ValueError
        ``q`` outside (0, 1], ``sigma2 <= 0``.

    Notes
    -----
    :cite:p:`marchenko1967distribution`. Chapter :ref:`spectral-diagnostics`.
    """
    where = "diagnostics.marchenko_pastur_edges"
    q = _check_q(q, where)
    sigma2 = _checks.check_scalar(sigma2, "sigma2", where, min_val=0.0, strict_min=True)
    r = float(np.sqrt(q))
    return MPEdges(sigma2 * (1 - r) ** 2, sigma2 * (1 + r) ** 2)


def marchenko_pastur_density(x: Any, q: float, *, sigma2: float = 1.0) -> jax.Array:
    """Marchenko–Pastur density of the ESD of :math:`W^T W / N` (the continuous part).

    :math:`\\rho(x) = \\sqrt{(\\lambda_+ - x)(x - \\lambda_-)} / (2 \\pi \\sigma^2 q x)` on
    :math:`[\\lambda_-, \\lambda_+]`, 0 outside. It integrates to 1: the M eigenvalues of the
    smaller Gram matrix have no atom at 0.

    Parameters
    ----------
    x : array_like of shape (k,)
        Points.
    q : float
        Aspect ratio in (0, 1].
    sigma2 : float
        Entry variance, ``> 0``.

    Returns
    -------
    jax.Array of shape (k,)

    Raises
    ------
    TypeError, ValueError
        Bad ``x``; ``q`` outside (0, 1]; ``sigma2 <= 0``.

    Notes
    -----
    Chapter :ref:`spectral-diagnostics`.
    """
    where = "diagnostics.marchenko_pastur_density"
    x = _checks.as_vector(x, "x", where, allow_empty=False)
    lo, hi = marchenko_pastur_edges(_check_q(q, where), sigma2=_checks.check_scalar(
        sigma2, "sigma2", where, min_val=0.0, strict_min=True))
    inside = (x > lo) & (x < hi)
    xs = jnp.where(inside, x, 0.5 * (lo + hi))
    rho = jnp.sqrt(jnp.maximum((hi - xs) * (xs - lo), 0.0)) / (2 * jnp.pi * sigma2 * q * xs)
    return jnp.where(inside, rho, 0.0)


def marchenko_pastur_scale(eigenvalues: Any, q: float) -> float:
    """Entry variance that matches an ESD to Marchenko–Pastur by its median.

    :math:`\\hat\\sigma^2 = \\mathrm{median}(\\lambda) / \\mu_q`, with the median
    :math:`\\mu_q` of the unit-variance law from
    :func:`eigenbook.lowrank.marchenko_pastur_median`. Robust to a few outliers (spikes or
    a heavy tail move the median little).

    Parameters
    ----------
    eigenvalues : array_like of shape (M,)
        An ESD (non-negative).
    q : float
        Its aspect ratio in (0, 1].

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        Bad or negative ``eigenvalues``; ``q`` outside (0, 1].

    Notes
    -----
    :cite:p:`gavish2014optimal`. Chapter :ref:`spectral-diagnostics`.
    """
    where = "diagnostics.marchenko_pastur_scale"
    lam = np.asarray(_checks.as_vector(eigenvalues, "eigenvalues", where, allow_empty=False))
    if lam.min() < 0:
        raise _checks.fail(where, "eigenvalues", "non-negative eigenvalues",
                           f"min = {lam.min():.3g}")
    q = _check_q(q, where)
    return float(np.median(lam) / _lowrank.marchenko_pastur_median(q))
