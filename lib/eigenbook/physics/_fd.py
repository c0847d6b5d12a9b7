"""Second-order finite differences and Chebyshev collocation for -1/2 u'' + V u = E u."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import scipy.linalg

from .. import _checks

__all__ = ["Discretization", "FDMatrix", "ChebyshevGrid", "ChebyshevMatrix", "fd_hamiltonian",
           "fd_eigh", "chebyshev_points", "chebyshev_hamiltonian", "chebyshev_eigh"]


class FDMatrix(NamedTuple):
    """The tridiagonal FD Hamiltonian.

    ``diagonal`` of shape (n,), ``off_diagonal`` of shape (n - 1,), the grid ``x`` of shape (n,).
    """

    diagonal: np.ndarray
    off_diagonal: np.ndarray
    x: np.ndarray


class ChebyshevGrid(NamedTuple):
    """Chebyshev-Lobatto points ``x`` (n + 1,) and differentiation matrix ``D`` (n + 1, n + 1)."""

    x: np.ndarray
    D: np.ndarray


class ChebyshevMatrix(NamedTuple):
    """Collocation Hamiltonian ``H`` (n - 1, n - 1) on the interior points ``x`` (n - 1,)."""

    H: np.ndarray
    x: np.ndarray


class Discretization(NamedTuple):
    """Eigenvalues of a discretised Schrödinger operator.

    Attributes
    ----------
    energies : ndarray of shape (k,)
        The k lowest eigenvalues, ascending.
    nodes : ndarray of shape (n,)
        Interior grid points (the Dirichlet ends removed).
    vectors : ndarray of shape (n, k)
        Grid values of the eigenfunctions, unit Euclidean norm per column.
    """

    energies: np.ndarray
    nodes: np.ndarray
    vectors: np.ndarray


def _interval(interval, where):
    if not isinstance(interval, (tuple, list)) or len(interval) != 2:
        raise _checks.fail(where, "interval", "a pair (a, b)", repr(interval), exc=TypeError)
    a = _checks.check_scalar(interval[0], "interval", where)
    b = _checks.check_scalar(interval[1], "interval", where)
    if not b > a:
        raise _checks.fail(where, "interval", "a < b", f"({a}, {b})")
    return a, b


def _potential_at(potential, x, where):
    if not callable(potential):
        raise _checks.fail(where, "potential", "a callable V(x)", type(potential).__name__,
                           exc=TypeError)
    V = np.asarray(potential(x), dtype=np.float64)
    if V.shape != x.shape or not np.all(np.isfinite(V)):
        raise _checks.fail(where, "potential", "finite values of x's shape",
                           f"shape {V.shape}, finite={bool(np.all(np.isfinite(V)))}")
    return V


def fd_hamiltonian(potential: Callable[[np.ndarray], np.ndarray], interval: tuple[float, float],
                   n: int) -> FDMatrix:
    """Tridiagonal three-point discretisation on ``n`` interior points, u = 0 at the ends.

    Parameters
    ----------
    potential : callable
        ``V(x)``, vectorised over an ndarray of shape (n,).
    interval : (float, float)
        ``(a, b)`` with ``a < b``.
    n : int
        Number of interior points, ``>= 2`` (spacing ``h = (b - a) / (n + 1)``).

    Returns
    -------
    FDMatrix
        ``diagonal`` (n,) ``= 1 / h^2 + V(x_i)``, ``off_diagonal`` (n - 1,) ``= -1 / (2 h^2)``
        and the grid ``x`` (n,).
    """
    return _fd_matrix(potential, interval, n, "physics.fd_hamiltonian")


def _fd_matrix(potential, interval, n, where):
    a, b = _interval(interval, where)
    n = _checks.check_int(n, "n", where, min_val=2)
    h = (b - a) / (n + 1)
    x = a + h * np.arange(1, n + 1)
    V = _potential_at(potential, x, where)
    return FDMatrix(1.0 / h**2 + V, np.full(n - 1, -0.5 / h**2), x)


def fd_eigh(potential: Callable[[np.ndarray], np.ndarray], interval: tuple[float, float],
            n: int, *, k: int = 1) -> Discretization:
    """The k lowest eigenpairs of :func:`fd_hamiltonian` (``scipy.linalg.eigh_tridiagonal``).

    The error of smooth eigenvalues is O(h^2), and the discrete kinetic energy
    ``(1 - cos(q h)) / h^2 <= q^2 / 2`` makes FD energies of smooth problems fall below
    the exact ones (no variational bound).

    Parameters
    ----------
    potential, interval, n
        As in :func:`fd_hamiltonian`.
    k : int
        Number of eigenpairs, ``1 <= k <= n``.

    Returns
    -------
    Discretization
    """
    where = "physics.fd_eigh"
    d, e, x = _fd_matrix(potential, interval, n, where)
    k = _checks.check_int(k, "k", where, min_val=1, max_val=x.shape[0])
    w, v = scipy.linalg.eigh_tridiagonal(d, e, select="i", select_range=(0, k - 1),
                                         check_finite=False)
    return Discretization(w, x, v)


def chebyshev_points(n: int) -> ChebyshevGrid:
    """Chebyshev-Gauss-Lobatto points and the spectral differentiation matrix.

    Parameters
    ----------
    n : int
        Polynomial degree, ``>= 1``.

    Returns
    -------
    ChebyshevGrid
        ``x`` of shape (n + 1,): ``cos(pi j / n)``, descending from 1 to -1; ``D`` of shape
        (n + 1, n + 1):
        ``(D f)(x_i) = p'(x_i)`` for the degree-n interpolant p of f (Trefethen's ``cheb``,
        diagonal by the negative-sum trick).
    """
    n = _checks.check_int(n, "n", "physics.chebyshev_points", min_val=1)
    x = np.cos(np.pi * np.arange(n + 1) / n)
    c = np.ones(n + 1)
    c[0] = c[-1] = 2.0
    c = c * (-1.0) ** np.arange(n + 1)
    dX = x[:, None] - x[None, :]
    D = np.outer(c, 1.0 / c) / (dX + np.eye(n + 1))
    D = D - np.diag(D.sum(axis=1))
    return ChebyshevGrid(x, D)


def chebyshev_hamiltonian(potential: Callable[[np.ndarray], np.ndarray],
                          interval: tuple[float, float], n: int) -> ChebyshevMatrix:
    """Chebyshev collocation matrix of -1/2 u'' + V u on the interior points, u = 0 at the ends.

    Parameters
    ----------
    potential, interval
        As in :func:`fd_hamiltonian`.
    n : int
        Polynomial degree, ``>= 2`` (``n - 1`` unknowns).

    Returns
    -------
    ChebyshevMatrix
        ``H`` of shape (n - 1, n - 1), not symmetric, whose eigenvalues converge spectrally
        for analytic V; the interior points ``x`` of shape (n - 1,), ascending.
    """
    return _cheb_matrix(potential, interval, n, "physics.chebyshev_hamiltonian")


def _cheb_matrix(potential, interval, n, where):
    a, b = _interval(interval, where)
    n = _checks.check_int(n, "n", where, min_val=2)
    t, D = chebyshev_points(n)
    scale = 2.0 / (b - a)
    D2 = (D @ D)[1:-1, 1:-1] * scale**2
    x = (a + b) / 2 + (b - a) / 2 * t[1:-1]
    V = _potential_at(potential, x, where)
    H = -0.5 * D2 + np.diag(V)
    return ChebyshevMatrix(H[::-1, ::-1].copy(), x[::-1].copy())


def chebyshev_eigh(potential: Callable[[np.ndarray], np.ndarray], interval: tuple[float, float],
                   n: int, *, k: int = 1) -> Discretization:
    """The k lowest eigenpairs of :func:`chebyshev_hamiltonian` (real parts, ascending).

    Parameters
    ----------
    potential, interval, n
        As in :func:`chebyshev_hamiltonian`.
    k : int
        Number of eigenpairs, ``1 <= k <= n - 1``.

    Returns
    -------
    Discretization
        ``vectors`` are the collocation values, unit norm.
    """
    where = "physics.chebyshev_eigh"
    H, x = _cheb_matrix(potential, interval, n, where)
    k = _checks.check_int(k, "k", where, min_val=1, max_val=x.shape[0])
    w, v = np.linalg.eig(H)
    order = np.argsort(w.real)[:k]
    vec = v[:, order].real
    vec = vec / np.linalg.norm(vec, axis=0)
    return Discretization(w.real[order], x, vec)
