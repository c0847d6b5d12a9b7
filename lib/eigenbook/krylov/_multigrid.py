"""A geometric multigrid V-cycle for 2-D grid operators: the size-robust stand-in network."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp

from eigenbook import _checks

from ._common import host_operator, rhs


class Multigrid(NamedTuple):
    """A Galerkin multigrid hierarchy on nested square grids.

    Attributes
    ----------
    matrices : tuple of scipy.sparse.csr_array
        ``A_0`` (the fine operator, ``N*N`` unknowns) down to the coarsest ``A_L``.
    prolongations : tuple of scipy.sparse.csr_array
        ``P_l`` of shape (n_l, n_{l+1}): bilinear interpolation from level ``l + 1``.
    inv_diagonals : tuple of arrays
        ``1 / diag(A_l)`` for the damped Jacobi smoother.
    coarse_inverse : array of shape (n_L, n_L)
        Dense inverse of the coarsest operator.
    omega : float
        Jacobi damping.
    n_smooth : int
        Smoothing sweeps before and after each coarse correction.
    """

    matrices: tuple
    prolongations: tuple
    inv_diagonals: tuple
    coarse_inverse: np.ndarray
    omega: float
    n_smooth: int


def _interp_1d(nc: int) -> sp.csr_array:
    nf = 2 * nc + 1
    rows = np.concatenate([2 * np.arange(nc) + 1, 2 * np.arange(nc), 2 * np.arange(nc) + 2])
    cols = np.concatenate([np.arange(nc)] * 3)
    vals = np.concatenate([np.ones(nc), 0.5 * np.ones(nc), 0.5 * np.ones(nc)])
    return sp.csr_array(sp.coo_array((vals, (rows, cols)), shape=(nf, nc)))


def multigrid(A: Any, n_grid: int, *, n_smooth: int = 2, omega: float = 0.8,
              coarsest: int = 3) -> Multigrid:
    """Build a geometric multigrid hierarchy for an operator on an ``N x N`` grid.

    The grid has ``N = 2^L c + 2^L - 1`` interior nodes per side (e.g. 31, 63, 127, 255),
    ordered row-major as in :func:`eigenbook.data.diffusion_2d`. Each coarsening keeps
    every other node (``N -> (N - 1) / 2``); the prolongation is bilinear interpolation
    ``P = P_1 ⊗ P_1`` and the coarse operators are Galerkin products ``P^T A P``, so the
    hierarchy adapts to a variable coefficient. :func:`vcycle` applies one symmetric
    V-cycle (damped Jacobi smoothing, exact solve on the coarsest grid): a linear, SPD
    approximation of :math:`A^{-1}` whose quality does not depend on ``N``.

    Parameters
    ----------
    A : array of shape (N*N, N*N) or scipy.sparse matrix
        SPD grid operator.
    n_grid : int
        ``N``, the nodes per side.
    n_smooth : int
        Jacobi sweeps before and after each coarse correction, ``>= 1``.
    omega : float
        Jacobi damping, ``0 < omega < 1``.
    coarsest : int
        Stop coarsening once ``N <= coarsest`` or ``N`` is even, ``>= 1``.

    Returns
    -------
    Multigrid

    Raises
    ------
    TypeError, ValueError
        ``A`` not square SPD of size ``N*N``, bad options.

    References
    ----------
    :cite:p:`briggs2000multigrid`; chapter :ref:`krylov`.
    """
    where = "krylov.multigrid"
    N = _checks.check_int(n_grid, "n_grid", where, min_val=1)
    op = host_operator(A, "A", where, symmetric=True)
    if op.n != N * N:
        raise _checks.fail(where, "n_grid", f"n_grid**2 = A.shape[0] = {op.n}",
                           f"n_grid={N}")
    n_smooth = _checks.check_int(n_smooth, "n_smooth", where, min_val=1)
    omega = _checks.check_scalar(omega, "omega", where, min_val=0.0, max_val=1.0,
                                 strict_min=True)
    coarsest = _checks.check_int(coarsest, "coarsest", where, min_val=1)
    Acur = sp.csr_array(op.matrix)
    mats, Ps, dinv = [Acur], [], [1.0 / Acur.diagonal()]
    while N > coarsest and N % 2 == 1:
        nc = (N - 1) // 2
        P1 = _interp_1d(nc)
        P = sp.csr_array(sp.kron(P1, P1))
        Acur = sp.csr_array(P.T @ Acur @ P)
        mats.append(Acur)
        Ps.append(P)
        dinv.append(1.0 / Acur.diagonal())
        N = nc
    coarse_inv = np.linalg.inv(mats[-1].toarray())
    return Multigrid(tuple(mats), tuple(Ps), tuple(dinv), coarse_inv, omega, n_smooth)


def _vcycle(mg: Multigrid, level: int, r: np.ndarray) -> np.ndarray:
    if level == len(mg.matrices) - 1:
        return mg.coarse_inverse @ r
    A, d = mg.matrices[level], mg.inv_diagonals[level]
    x = mg.omega * d * r
    for _ in range(mg.n_smooth - 1):
        x += mg.omega * d * (r - A @ x)
    P = mg.prolongations[level]
    x += P @ _vcycle(mg, level + 1, P.T @ (r - A @ x))
    for _ in range(mg.n_smooth):
        x += mg.omega * d * (r - A @ x)
    return x


def vcycle(mg: Multigrid, r: Any) -> np.ndarray:
    """One V-cycle from a zero guess: an approximation of :math:`A^{-1} r`.

    Parameters
    ----------
    mg : Multigrid
        From :func:`multigrid`.
    r : array of shape (n,)
        Residual (right-hand side) on the fine grid.

    Returns
    -------
    array of shape (n,)

    Raises
    ------
    TypeError, ValueError
        ``mg`` not a :class:`Multigrid`, ``r`` of the wrong shape or not finite.
    """
    where = "krylov.vcycle"
    if not isinstance(mg, Multigrid):
        raise _checks.fail(where, "mg", "a Multigrid (krylov.multigrid)",
                           type(mg).__name__, exc=TypeError)
    n = mg.matrices[0].shape[0]
    return _vcycle(mg, 0, rhs(r, n, where, "r"))
