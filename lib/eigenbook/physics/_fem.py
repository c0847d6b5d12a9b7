"""High-order (p-) finite elements for -1/2 u'' + V u = E u with Dirichlet ends.

Each element carries the Lagrange polynomials on its p + 1 Gauss-Lobatto-Legendre
(GLL) nodes (the nodal form of the Lobatto shape functions); neighbouring elements
share their end node, so the basis is continuous. The weak form gives the
generalized symmetric eigenproblem K c = E M c with

    K_ij = int 1/2 phi_i' phi_j' + V phi_i phi_j,   M_ij = int phi_i phi_j,

integrated by Gauss-Legendre quadrature. By Rayleigh-Ritz every discrete eigenvalue
is an upper bound of the exact one (when the quadrature is exact enough), and for
smooth solutions the error falls exponentially in p.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import scipy.linalg

from .. import _checks
from ..display import implemented_by

__all__ = ["FEMResult", "GLLRule", "gll_nodes", "exponential_mesh", "fem_eigh", "radial_fem_eigh"]


class FEMResult(NamedTuple):
    """What :func:`fem_eigh` and :func:`radial_fem_eigh` return.

    Attributes
    ----------
    energies : ndarray of shape (k,)
        The k lowest eigenvalues, ascending.
    nodes : ndarray of shape (n_dof,)
        Coordinates of the interior degrees of freedom (the Dirichlet ends removed).
    coefficients : ndarray of shape (n_dof, k)
        Nodal values of the eigenfunctions, M-orthonormal (``c.T @ M @ c = I``).
    n_dof : int
        Size of the generalized eigenproblem, ``n_elements * p - 1``.
    """

    energies: np.ndarray
    nodes: np.ndarray
    coefficients: np.ndarray
    n_dof: int


class GLLRule(NamedTuple):
    """Gauss-Lobatto-Legendre ``nodes`` and ``weights``, both of shape (p + 1,)."""

    nodes: np.ndarray
    weights: np.ndarray


@functools.lru_cache(maxsize=64)
def _gll(p: int) -> tuple[np.ndarray, np.ndarray]:
    # interior nodes: roots of P_p', refined by Newton on P_p' (Golub-Welsch start)
    if p == 1:
        return np.array([-1.0, 1.0]), np.array([1.0, 1.0])
    leg = np.polynomial.legendre.Legendre.basis(p)
    d1, d2 = leg.deriv(1), leg.deriv(2)
    x = np.sort(np.real(d1.roots()))
    for _ in range(3):
        x = x - d1(x) / d2(x)
    x = np.concatenate([[-1.0], x, [1.0]])
    w = 2.0 / (p * (p + 1) * leg(x) ** 2)
    return x, w


def gll_nodes(p: int) -> GLLRule:
    """Gauss-Lobatto-Legendre nodes and weights on [-1, 1].

    Parameters
    ----------
    p : int
        Polynomial order, ``>= 1`` (``p + 1`` nodes).

    Returns
    -------
    GLLRule
        Ascending ``nodes`` (both ends included) and ``weights``, shape (p + 1,); the rule
        integrates degree ``2p - 1`` exactly.
    """
    p = _checks.check_int(p, "p", "physics.gll_nodes", min_val=1)
    x, w = _gll(p)
    return GLLRule(x.copy(), w.copy())


@functools.lru_cache(maxsize=64)
def _shape_tables(p: int, n_quad: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Lagrange basis on the GLL nodes and its derivative at Gauss points, on [-1, 1]."""
    xn, _ = _gll(p)
    xq, wq = np.polynomial.legendre.leggauss(n_quad)
    # barycentric weights
    diff = xn[:, None] - xn[None, :]
    np.fill_diagonal(diff, 1.0)
    bw = 1.0 / diff.prod(axis=1)
    # derivative matrix at the nodes: D[i, j] = l_j'(x_i)
    D = (bw[None, :] / bw[:, None]) / diff
    np.fill_diagonal(D, 0.0)
    np.fill_diagonal(D, -D.sum(axis=1))
    # basis values at quadrature points (barycentric formula, second kind)
    t = xq[:, None] - xn[None, :]
    t = np.where(t == 0.0, 1e-300, t)
    c = bw[None, :] / t
    phi = c / c.sum(axis=1, keepdims=True)            # (n_quad, p + 1)
    dphi = phi @ D                                     # derivative: interpolate l_j' exactly
    return xq, wq, phi, dphi


def exponential_mesh(r_min: float, r_max: float, n_elements: int, ratio: float) -> np.ndarray:
    """Element boundaries whose lengths grow geometrically.

    Parameters
    ----------
    r_min, r_max : float
        Interval, ``r_min < r_max``.
    n_elements : int
        Number of elements, ``>= 1``.
    ratio : float
        Length of the last element over the first, ``> 0`` (1 gives a uniform mesh).

    Returns
    -------
    ndarray of shape (n_elements + 1,)
        Ascending boundaries from ``r_min`` to ``r_max``.
    """
    where = "physics.exponential_mesh"
    r_min = _checks.check_scalar(r_min, "r_min", where)
    r_max = _checks.check_scalar(r_max, "r_max", where)
    if not r_max > r_min:
        raise _checks.fail(where, "r_max", "r_max > r_min", f"r_min={r_min}, r_max={r_max}")
    n_elements = _checks.check_int(n_elements, "n_elements", where, min_val=1)
    ratio = _checks.check_scalar(ratio, "ratio", where, min_val=0.0, strict_min=True)
    if n_elements == 1 or ratio == 1.0:
        return np.linspace(r_min, r_max, n_elements + 1)
    q = ratio ** (1.0 / (n_elements - 1))
    h = q ** np.arange(n_elements)
    edges = np.concatenate([[0.0], np.cumsum(h)])
    return r_min + (r_max - r_min) * edges / edges[-1]


def _check_mesh(mesh, where):
    mesh = np.asarray(_checks.as_vector(mesh, "mesh", where, allow_empty=False), dtype=np.float64)
    if mesh.shape[0] < 2:
        raise _checks.fail(where, "mesh", "at least 2 element boundaries", f"{mesh.shape[0]}")
    if not np.all(np.diff(mesh) > 0):
        raise _checks.fail(where, "mesh", "strictly increasing boundaries", "a non-increasing mesh")
    return mesh


def _assemble(mesh, p, n_quad, potential):
    xq, wq, phi, dphi = _shape_tables(p, n_quad)
    n_el = mesh.shape[0] - 1
    n = n_el * p + 1
    K = np.zeros((n, n))
    M = np.zeros((n, n))
    xn, _ = _gll(p)
    nodes = np.empty(n)
    for e in range(n_el):
        a, b = mesh[e], mesh[e + 1]
        J = (b - a) / 2
        x = a + J * (xq + 1)
        Vq = np.asarray(potential(x), dtype=np.float64)
        if Vq.shape != x.shape or not np.all(np.isfinite(Vq)):
            raise ValueError("potential(x) must return finite values of x's shape at the "
                             "quadrature points")
        sl = slice(e * p, e * p + p + 1)
        Me = (phi * (wq * J)[:, None]).T @ phi
        Ke = 0.5 * (dphi * (wq / J)[:, None]).T @ dphi + (phi * (wq * J * Vq)[:, None]).T @ phi
        M[sl, sl] += Me
        K[sl, sl] += Ke
        nodes[sl] = a + J * (xn + 1)
    return K[1:-1, 1:-1], M[1:-1, 1:-1], nodes[1:-1]


def _solve(K, M, k, where):
    try:
        w, c = scipy.linalg.eigh(K, M, subset_by_index=(0, k - 1), driver="gvx",
                                 check_finite=False)
    except np.linalg.LinAlgError:
        raise _checks.fail(where, "n_quad", "enough Gauss points for a positive definite "
                           "mass matrix (at least p + 1)", "M not positive definite") from None
    return w, c


def _common(where, p, n_quad, k, n_el):
    p = _checks.check_int(p, "p", where, min_val=1)
    n_quad = p + 2 if n_quad is None else _checks.check_int(n_quad, "n_quad", where, min_val=1)
    n_dof = n_el * p - 1
    k = _checks.check_int(k, "k", where, min_val=1)
    if k > n_dof:
        raise _checks.fail(where, "k", f"k <= n_dof = {n_dof}", f"k={k}")
    return p, n_quad, k


@implemented_by("_assemble", "_solve")
def fem_eigh(potential: Callable[[np.ndarray], np.ndarray], mesh: np.ndarray, *, p: int,
             k: int = 1, n_quad: int | None = None) -> FEMResult:
    """Lowest eigenpairs of -1/2 u'' + V u = E u, u = 0 at both ends, by p-FEM.

    Parameters
    ----------
    potential : callable
        ``V(x)`` for an ndarray ``x`` of shape (m,), returning shape (m,).
    mesh : array of shape (n_elements + 1,)
        Strictly increasing element boundaries; the ends carry the Dirichlet condition.
    p : int
        Polynomial order per element, ``>= 1`` (``n_elements * p - 1`` unknowns).
    k : int
        Number of eigenpairs, ``1 <= k <= n_dof``.
    n_quad : int, optional
        Gauss points per element (default ``p + 2``; use more for singular potentials).

    Returns
    -------
    FEMResult

    Raises
    ------
    TypeError, ValueError
        Non-callable ``potential``; bad mesh, ``p``, ``k`` or ``n_quad``; non-finite ``V``.

    See Also
    --------
    radial_fem_eigh : the radial Coulomb problem.
    scipy.linalg.eigh : the generalized dense solver used.
    """
    where = "physics.fem_eigh"
    if not callable(potential):
        raise _checks.fail(where, "potential", "a callable V(x)", type(potential).__name__,
                           exc=TypeError)
    mesh = _check_mesh(mesh, where)
    p, n_quad, k = _common(where, p, n_quad, k, mesh.shape[0] - 1)
    try:
        K, M, nodes = _assemble(mesh, p, n_quad, potential)
    except ValueError as err:
        raise _checks.fail(where, "potential", "finite values of x's shape",
                           str(err)) from None
    w, c = _solve(K, M, k, where)
    return FEMResult(w, nodes, c, K.shape[0])


def radial_fem_eigh(Z: float, l: int, mesh: np.ndarray, *, p: int, k: int = 1,
                    n_quad: int | None = None) -> FEMResult:
    """Hydrogen-like radial problem -1/2 u'' + (l(l+1)/(2r^2) - Z/r) u = E u by p-FEM.

    ``u(r) = r R(r)``, ``u(0) = u(r_max) = 0`` (the mesh starts at 0). The exact
    eigenvalues are ``-Z^2 / (2 n^2)``, ``n = l + 1, l + 2, ...`` (hartree).

    Parameters
    ----------
    Z : float
        Nuclear charge, ``> 0``.
    l : int
        Angular momentum, ``>= 0``.
    mesh : array of shape (n_elements + 1,)
        Element boundaries with ``mesh[0] == 0``, e.g. :func:`exponential_mesh`.
    p, k, n_quad
        As in :func:`fem_eigh` (default ``n_quad = 2p``: the 1/r terms are then integrated
        exactly on the first element, where every basis function vanishes at 0).

    Returns
    -------
    FEMResult
    """
    where = "physics.radial_fem_eigh"
    Z = _checks.check_scalar(Z, "Z", where, min_val=0.0, strict_min=True)
    l = _checks.check_int(l, "l", where, min_val=0)
    mesh = _check_mesh(mesh, where)
    if mesh[0] != 0.0:
        raise _checks.fail(where, "mesh", "mesh[0] == 0 (the nucleus)", f"mesh[0]={mesh[0]}")
    if n_quad is None:
        n_quad = 2 * _checks.check_int(p, "p", where, min_val=1)
    p, n_quad, k = _common(where, p, n_quad, k, mesh.shape[0] - 1)
    ll = 0.5 * l * (l + 1)
    K, M, nodes = _assemble(mesh, p, n_quad, lambda r: ll / r**2 - Z / r)
    w, c = _solve(K, M, k, where)
    return FEMResult(w, nodes, c, K.shape[0])
