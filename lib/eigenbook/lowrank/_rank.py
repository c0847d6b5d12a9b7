"""Choosing the rank: energy, and the Gavish–Donoho optimal hard threshold.

Model: :math:`Y = X + \\sigma Z` of shape (m, n), ``X`` of low rank, ``Z``
with i.i.d. entries of mean 0 and variance 1, aspect ratio
:math:`\\beta = \\min(m, n)/\\max(m, n)`. Keeping the singular values of Y
above :math:`\\tau` and zeroing the rest is optimal (asymptotic mean squared
error) for :math:`\\tau = \\lambda^*(\\beta) \\sqrt{\\max(m, n)}\\, \\sigma`;
when :math:`\\sigma` is unknown, :math:`\\tau = \\omega(\\beta)\\, y_{\\mathrm{med}}`
with the median singular value :math:`y_{\\mathrm{med}}` of Y.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax.numpy as jnp
import numpy as np
from scipy import integrate, optimize

from .. import _checks

__all__ = [
    "ThresholdResult",
    "energy_rank",
    "gavish_donoho_lambda",
    "gavish_donoho_omega",
    "marchenko_pastur_median",
    "optimal_hard_threshold",
    "hard_threshold",
]


class ThresholdResult(NamedTuple):
    """A singular-value hard threshold and the rank it selects.

    Attributes
    ----------
    threshold : float
        :math:`\\tau`: singular values strictly above it are kept.
    rank : int
        Number of singular values above :math:`\\tau`.
    sigma : float
        The noise level used (given, or estimated as
        :math:`y_{\\mathrm{med}} / \\sqrt{\\max(m, n)\\, \\mu_\\beta}`).
    """

    threshold: float
    rank: int
    sigma: float


def energy_rank(s: Any, *, energy: float = 0.9) -> int:
    """Smallest k whose top-k singular values hold a fraction ``energy`` of :math:`\\sum s_i^2`.

    Parameters
    ----------
    s : array of shape (p,)
        Singular values (non-negative; any order).
    energy : float
        Target fraction in (0, 1].

    Returns
    -------
    int
        ``1 <= k <= p``.

    Raises
    ------
    TypeError, ValueError
        ``s`` not a finite non-negative non-zero vector; ``energy`` outside (0, 1].

    See Also
    --------
    sklearn.decomposition.PCA : ``n_components=0.9`` makes the same choice.

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    where = "lowrank.energy_rank"
    s = np.asarray(_checks.as_vector(s, "s", where, allow_empty=False))
    if (s < 0).any() or not (s > 0).any():
        raise _checks.fail(where, "s", "non-negative singular values, not all zero",
                           f"min {s.min():.3g}, max {s.max():.3g}")
    energy = _checks.check_scalar(energy, "energy", where, min_val=0.0, max_val=1.0,
                                  strict_min=True)
    e = np.cumsum(np.sort(s)[::-1] ** 2)
    frac = e / e[-1]
    return int(min(np.searchsorted(frac, energy - 1e-12) + 1, s.size))


def _check_beta(beta: Any, where: str) -> float:
    return _checks.check_scalar(beta, "beta", where, min_val=0.0, max_val=1.0,
                                strict_min=True)


def gavish_donoho_lambda(beta: float) -> float:
    """Optimal threshold coefficient :math:`\\lambda^*(\\beta)` for known noise.

    :math:`\\lambda^*(\\beta) = \\big(2(\\beta + 1) + 8\\beta / (\\beta + 1 +
    \\sqrt{\\beta^2 + 14\\beta + 1})\\big)^{1/2}`; :math:`\\lambda^*(1) = 4/\\sqrt{3}`.

    Parameters
    ----------
    beta : float
        Aspect ratio in (0, 1].

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        ``beta`` not a real number in (0, 1].

    References
    ----------
    :cite:p:`gavish2014optimal`

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    b = _check_beta(beta, "lowrank.gavish_donoho_lambda")
    return float(np.sqrt(2 * (b + 1) + 8 * b / (b + 1 + np.sqrt(b * b + 14 * b + 1))))


def marchenko_pastur_median(beta: float) -> float:
    """Median :math:`\\mu_\\beta` of the Marchenko–Pastur law with ratio beta, variance 1.

    The law of the eigenvalues of :math:`Z Z^T / n` for Z of shape (m, n)
    with i.i.d. unit-variance entries, :math:`\\beta = m/n \\le 1`, has
    density :math:`\\sqrt{(b - x)(x - a)}/(2\\pi\\beta x)` on
    :math:`[a, b] = [(1 - \\sqrt\\beta)^2, (1 + \\sqrt\\beta)^2]`. The median
    is found by quadrature and root finding.

    Parameters
    ----------
    beta : float
        Aspect ratio in (0, 1].

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        ``beta`` not a real number in (0, 1].

    References
    ----------
    :cite:p:`marchenko1967distribution,gavish2014optimal`

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    b = _check_beta(beta, "lowrank.marchenko_pastur_median")
    lo, hi = (1 - np.sqrt(b)) ** 2, (1 + np.sqrt(b)) ** 2

    def density(x):
        return np.sqrt(max((hi - x) * (x - lo), 0.0)) / (2 * np.pi * b * x)

    def cdf_minus_half(t):
        return integrate.quad(density, lo, t, epsabs=1e-13, epsrel=1e-12, limit=200)[0] - 0.5

    return float(optimize.brentq(cdf_minus_half, lo, hi, xtol=1e-14))


def gavish_donoho_omega(beta: float, *, exact: bool = True) -> float:
    """Threshold coefficient :math:`\\omega(\\beta)` for unknown noise.

    Exactly :math:`\\omega(\\beta) = \\lambda^*(\\beta)/\\sqrt{\\mu_\\beta}`;
    the cubic fit :math:`0.56\\beta^3 - 0.95\\beta^2 + 1.82\\beta + 1.43` of
    Gavish and Donoho is returned with ``exact=False``.

    Parameters
    ----------
    beta : float
        Aspect ratio in (0, 1].
    exact : bool
        Use the Marchenko–Pastur median (True) or the cubic fit.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        ``beta`` not a real number in (0, 1].

    References
    ----------
    :cite:p:`gavish2014optimal`

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    b = _check_beta(beta, "lowrank.gavish_donoho_omega")
    if not exact:
        return float(0.56 * b**3 - 0.95 * b**2 + 1.82 * b + 1.43)
    return gavish_donoho_lambda(b) / float(np.sqrt(marchenko_pastur_median(b)))


def optimal_hard_threshold(s: Any, shape: tuple[int, int], *,
                           sigma: float | None = None, exact: bool = True) -> ThresholdResult:
    """Gavish–Donoho optimal hard threshold for the singular values of a noisy matrix.

    Parameters
    ----------
    s : array of shape (min(m, n),)
        All singular values of the observed matrix Y (any order).
    shape : tuple of int
        ``(m, n)``, the shape of Y.
    sigma : float, optional
        Noise standard deviation per entry. Known: :math:`\\tau =
        \\lambda^*(\\beta)\\sqrt{\\max(m,n)}\\,\\sigma`. Unknown (None):
        :math:`\\tau = \\omega(\\beta)\\, y_{\\mathrm{med}}`.
    exact : bool
        For unknown noise, use the exact :math:`\\omega(\\beta)` (True) or the
        cubic approximation.

    Returns
    -------
    ThresholdResult
        ``threshold``, ``rank`` and the noise level ``sigma`` used.

    Raises
    ------
    TypeError, ValueError
        ``s`` not finite and non-negative or of the wrong length; bad
        ``shape``; ``sigma <= 0``.

    References
    ----------
    :cite:p:`gavish2014optimal`

    See Also
    --------
    energy_rank : the heuristic it replaces.

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    where = "lowrank.optimal_hard_threshold"
    if not (isinstance(shape, tuple) and len(shape) == 2):
        raise _checks.fail(where, "shape", "a tuple (m, n)", repr(shape), exc=TypeError)
    m = _checks.check_int(shape[0], "shape[0]", where, min_val=1)
    n = _checks.check_int(shape[1], "shape[1]", where, min_val=1)
    p, q = min(m, n), max(m, n)
    s = np.asarray(_checks.as_vector(s, "s", where, size=p))
    if (s < 0).any():
        raise _checks.fail(where, "s", "non-negative singular values", f"min {s.min():.3g}")
    beta = p / q
    if sigma is None:
        med = float(np.median(s))
        tau = gavish_donoho_omega(beta, exact=exact) * med
        sig = med / float(np.sqrt(q * marchenko_pastur_median(beta)))
    else:
        sig = _checks.check_scalar(sigma, "sigma", where, min_val=0.0, strict_min=True)
        tau = gavish_donoho_lambda(beta) * float(np.sqrt(q)) * sig
    return ThresholdResult(float(tau), int((s > tau).sum()), float(sig))


def hard_threshold(Y: Any, threshold: float) -> jnp.ndarray:
    """Keep the singular triplets of Y whose value exceeds ``threshold``.

    Parameters
    ----------
    Y : array of shape (m, n)
    threshold : float
        :math:`\\tau \\ge 0`, e.g. from :func:`optimal_hard_threshold`.

    Returns
    -------
    array of shape (m, n)
        :math:`\\sum_{s_i > \\tau} s_i u_i v_i^T`.

    Raises
    ------
    TypeError, ValueError
        ``Y`` not a finite real matrix; negative ``threshold``.

    References
    ----------
    :cite:p:`gavish2014optimal`

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    where = "lowrank.hard_threshold"
    Y = _checks.as_matrix(Y, "Y", where)
    tau = _checks.check_scalar(threshold, "threshold", where, min_val=0.0)
    U, s, Vt = jnp.linalg.svd(Y, full_matrices=False)
    s = jnp.where(s > tau, s, 0.0)
    return (U * s[None, :]) @ Vt
