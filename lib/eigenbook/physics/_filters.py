"""Polynomial filters for ground states: a Chebyshev approximation of the shifted sign
function, the degree it needs, and the sign-transformed dynamics of dynamical cooling.

The sign function ``sign(x - mu)`` cannot be approximated uniformly by polynomials
(it jumps), but outside a window ``|x - mu| < delta`` it can: the Chebyshev series of
``erf(k (x - mu))`` with ``k = sqrt(ln(2 / eps)) / delta`` is within ``eps`` of it there
once truncated at degree ``O(log(1/eps) / delta)``, the cost that quantum signal
processing pays per application of ``sign(H - mu)``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import scipy.sparse
import scipy.special
from numpy.polynomial import chebyshev as C

from .. import _checks

__all__ = ["SignPolynomial", "sign_polynomial", "chebyshev_filter_degree",
           "chebyshev_series_apply", "CoolingRun", "sign_cooling_dynamics"]


class SignPolynomial(NamedTuple):
    """What :func:`sign_polynomial` returns.

    Attributes
    ----------
    coefficients : ndarray of shape (degree + 1,)
        Chebyshev coefficients on [-1, 1] (``numpy.polynomial.chebyshev`` order).
    degree : int
        The smallest degree meeting ``eps`` (by the rigorous tail bound).
    k : float
        Steepness of the erf being expanded (0 for ``method="interpolate"``).
    max_error : float
        Measured ``max |p(x) - sign(x - mu)|`` on ``[-1, 1]`` minus the window, on a fine grid.
    """

    coefficients: np.ndarray
    degree: int
    k: float
    max_error: float


def _window_grid(mu, delta, n=20001):
    x = np.linspace(-1.0, 1.0, n)
    return x[np.abs(x - mu) >= delta]


def sign_polynomial(mu: float, delta: float, eps: float, *, method: str = "erf",
                    max_degree: int = 20000) -> SignPolynomial:
    """A polynomial within ``eps`` of ``sign(x - mu)`` on ``[-1, 1]`` outside ``|x - mu| < delta``.

    Parameters
    ----------
    mu : float
        Threshold, ``-1 < mu < 1``.
    delta : float
        Half-width of the excluded window, ``0 < delta < 1``.
    eps : float
        Target uniform error, ``0 < eps < 1``.
    method : {"erf", "interpolate"}
        ``"erf"``: truncated Chebyshev series of ``erf(k (x - mu))``, ``k = sqrt(ln(2/eps))
        / delta`` (degree from the tail bound ``erfc(k delta) + sum_{j > d} |c_j| <= eps``).
        ``"interpolate"``: the Chebyshev interpolant of ``sign(x - mu)`` itself (the
        naive control), degree found by doubling and bisection on the measured error.
    max_degree : int
        Give up (``ValueError``) beyond this degree.

    Returns
    -------
    SignPolynomial
    """
    where = "physics.sign_polynomial"
    mu = _checks.check_scalar(mu, "mu", where, min_val=-1.0, max_val=1.0)
    delta = _checks.check_scalar(delta, "delta", where, min_val=0.0, strict_min=True,
                                 max_val=1.0)
    eps = _checks.check_scalar(eps, "eps", where, min_val=0.0, strict_min=True, max_val=1.0)
    method = _checks.check_choice(method, "method", where, ("erf", "interpolate"))
    max_degree = _checks.check_int(max_degree, "max_degree", where, min_val=1)
    xs = _window_grid(mu, delta)
    target = np.sign(xs - mu)
    if method == "erf":
        k = math.sqrt(math.log(2.0 / eps)) / delta
        n = int(min(max_degree, 8 * k + 64))
        c = C.chebinterpolate(lambda x: scipy.special.erf(k * (x - mu)), n)
        tail = np.cumsum(np.abs(c[::-1]))[::-1]        # tail[j] = sum_{i >= j} |c_i|
        budget = eps - scipy.special.erfc(k * delta)   # window edge: 1 - erf = erfc
        ok = np.nonzero(np.append(tail[1:], 0.0) <= budget)[0]
        if ok.size == 0 or ok[0] >= max_degree:
            raise _checks.fail(where, "max_degree", "a cap above the degree this (eps, delta) "
                               "needs", f"max_degree={max_degree}, eps={eps}, delta={delta}")
        d = int(ok[0])
        coef = c[: d + 1]
        return SignPolynomial(coef, d, k, float(np.abs(C.chebval(xs, coef) - target).max()))

    def err(d):
        coef = C.chebinterpolate(lambda x: np.sign(x - mu), d)
        return float(np.abs(C.chebval(xs, coef) - target).max()), coef

    lo, hi = 1, 2
    while err(hi)[0] > eps:
        lo, hi = hi, 2 * hi
        if hi > max_degree:
            raise _checks.fail(where, "max_degree", "a cap above the degree this (eps, delta) "
                               "needs", f"max_degree={max_degree} (method='interpolate')")
    while hi - lo > 1:                   # the error is not monotone in d; report the first
        mid = (lo + hi) // 2             # degree of the bracket that meets eps
        if err(mid)[0] <= eps:
            hi = mid
        else:
            lo = mid
    e, coef = err(hi)
    return SignPolynomial(coef, hi, 0.0, e)


def chebyshev_filter_degree(gap: float, eps: float) -> int:
    """Degree of the Chebyshev filter that damps ``[-1, 1]`` by ``eps`` relative to ``1 + gap``.

    ``T_d`` stays in [-1, 1] on the unwanted interval and grows like ``exp(d sqrt(2 gap))``
    just outside it, so an *extreme* eigenvalue at distance ``gap`` (in units of the
    half-width) needs only ``d = ceil(arccosh(1/eps) / arccosh(1 + gap))``, i.e.
    ``O(log(1/eps) / sqrt(gap))``: the filter of
    :func:`eigenbook.eigen.chebyshev_filtered_subspace_iteration`.

    Parameters
    ----------
    gap : float
        ``> 0``.
    eps : float
        ``0 < eps < 1``.

    Returns
    -------
    int
    """
    where = "physics.chebyshev_filter_degree"
    gap = _checks.check_scalar(gap, "gap", where, min_val=0.0, strict_min=True)
    eps = _checks.check_scalar(eps, "eps", where, min_val=0.0, strict_min=True, max_val=1.0)
    return int(math.ceil(math.acosh(1.0 / eps) / math.acosh(1.0 + gap)))


def chebyshev_series_apply(A: np.ndarray, coefficients: np.ndarray, X: np.ndarray, *,
                           bounds: tuple[float, float]) -> np.ndarray:
    """``p(A) X`` for a Chebyshev series p on ``bounds`` (Clenshaw's recurrence).

    Parameters
    ----------
    A : array or sparse matrix of shape (n, n)
        Symmetric, spectrum inside ``bounds``.
    coefficients : array of shape (d + 1,)
        Chebyshev coefficients of p on [-1, 1] after mapping ``bounds`` to [-1, 1].
    X : array of shape (n,) or (n, m)
    bounds : (float, float)
        ``(lo, hi)`` enclosing the spectrum.

    Returns
    -------
    ndarray of X's shape
        ``d`` products with ``A``.
    """
    where = "physics.chebyshev_series_apply"
    if not scipy.sparse.issparse(A):
        A = np.asarray(_checks.check_symmetric(_checks.as_matrix(A, "A", where, square=True),
                                               "A", where))
    elif A.shape[0] != A.shape[1]:
        raise _checks.fail(where, "A", "a square matrix", f"shape {A.shape}")
    c = np.asarray(_checks.as_vector(coefficients, "coefficients", where, allow_empty=False))
    Xn = np.asarray(_checks.as_array(X, "X", where, ndim=(1, 2),
                                     rule="an array of shape (n,) or (n, m)"))
    if Xn.shape[0] != A.shape[0]:
        raise _checks.fail(where, "X", f"shape ({A.shape[0]},) or ({A.shape[0]}, m)",
                           f"shape {Xn.shape}")
    if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
        raise _checks.fail(where, "bounds", "a pair (lo, hi)", repr(bounds), exc=TypeError)
    lo = _checks.check_scalar(bounds[0], "bounds", where)
    hi = _checks.check_scalar(bounds[1], "bounds", where)
    if not hi > lo:
        raise _checks.fail(where, "bounds", "lo < hi", f"({lo}, {hi})")
    mid, half = (hi + lo) / 2, (hi - lo) / 2

    def L(Y):
        return (A @ Y - mid * Y) / half

    b1 = np.zeros_like(Xn, dtype=np.result_type(Xn, float))
    b2 = np.zeros_like(b1)
    for cj in c[:0:-1]:
        b1, b2 = cj * Xn + 2 * L(b1) - b2, b1
    return c[0] * Xn + L(b1) - b2


class CoolingRun(NamedTuple):
    """What :func:`sign_cooling_dynamics` returns.

    Attributes
    ----------
    times : ndarray of shape (t,)
    p_above : ndarray of shape (t,)
        Population of the eigenspace of H above ``mu`` at each time.
    p_ground : ndarray of shape (t,)
        Overlap squared with the ground state of H.
    """

    times: np.ndarray
    p_above: np.ndarray
    p_ground: np.ndarray


def sign_cooling_dynamics(H: np.ndarray, V: np.ndarray, psi0: np.ndarray, *, mu: float,
                          lam: float, times: np.ndarray,
                          transform: str = "sign") -> CoolingRun:
    """Evolve ``psi0`` under ``sign(H - mu) + lam V`` (exact diagonalisation) and track
    the populations.

    With ``transform="sign"`` the unperturbed generator has only the eigenvalues ±1
    (gap 2), so the perturbation can move at most ~``4 lam^2 / 2^2`` of probability
    across ``mu``: energy conservation blocks the jumps upward. ``transform="none"``
    evolves under ``H + lam V`` instead (the control: small gaps of H near ``mu``).

    Parameters
    ----------
    H : array of shape (n, n)
        Hermitian system Hamiltonian.
    V : array of shape (n, n)
        Hermitian perturbation.
    psi0 : array of shape (n,)
        Initial state (normalised inside).
    mu : float
        Threshold, not an eigenvalue of H.
    lam : float
        Perturbation strength, ``>= 0``.
    times : array of shape (t,)
        Non-negative times.
    transform : {"sign", "none"}

    Returns
    -------
    CoolingRun
    """
    where = "physics.sign_cooling_dynamics"
    Hn = np.asarray(_checks.as_matrix(H, "H", where, square=True, allow_complex=True))
    if not np.allclose(Hn, Hn.conj().T, atol=1e-10 * max(1.0, np.abs(Hn).max())):
        raise _checks.fail(where, "H", "a Hermitian matrix", "H != H^*")
    n = Hn.shape[0]
    Vn = np.asarray(_checks.as_matrix(V, "V", where, square=True, allow_complex=True))
    if Vn.shape != (n, n):
        raise _checks.fail(where, "V", f"shape ({n}, {n})", f"shape {Vn.shape}")
    if not np.allclose(Vn, Vn.conj().T, atol=1e-10 * max(1.0, np.abs(Vn).max())):
        raise _checks.fail(where, "V", "a Hermitian matrix", "V != V^*")
    p0 = np.asarray(_checks.as_vector(psi0, "psi0", where, size=n, allow_complex=True),
                    dtype=complex)
    if np.linalg.norm(p0) == 0:
        raise _checks.fail(where, "psi0", "a non-zero state", "psi0 = 0")
    mu = _checks.check_scalar(mu, "mu", where)
    lam = _checks.check_scalar(lam, "lam", where, min_val=0.0)
    t = np.asarray(_checks.as_vector(times, "times", where, allow_empty=False))
    if np.any(t < 0):
        raise _checks.fail(where, "times", "non-negative times", f"min {t.min()}")
    transform = _checks.check_choice(transform, "transform", where, ("sign", "none"))
    w, U = np.linalg.eigh(Hn)
    if np.any(w == mu):
        raise _checks.fail(where, "mu", "a threshold that is not an eigenvalue of H", f"mu={mu}")
    above = w > mu
    D = np.sign(w - mu) if transform == "sign" else w
    G = (U * D) @ U.conj().T + lam * Vn
    g, W = np.linalg.eigh(G)
    c = W.conj().T @ (p0 / np.linalg.norm(p0))
    states = W @ (np.exp(-1j * np.outer(g, t)) * c[:, None])       # (n, t)
    amps = U.conj().T @ states
    P = np.abs(amps) ** 2
    return CoolingRun(t, P[above].sum(axis=0), P[0])
