"""Restarted GMRES and GCRO-DR (GMRES with a recycled, deflated subspace).

Both run the same cycle (:func:`_cycle`): Arnoldi with classical Gram-Schmidt applied
twice, optionally projected against a recycled space ``C`` (``A U = C``, ``C^T C = I``),
and Givens rotations that keep the small least-squares problem solved as it grows, so a
cycle stops as soon as the residual meets the tolerance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import scipy.linalg as sla

from eigenbook import _checks

from ._common import SolveResult, host_operator, options, rhs, start


class GCRODRResult(NamedTuple):
    """Result of :func:`gcro_dr`.

    Attributes
    ----------
    x : array of shape (n,)
        The approximate solution.
    converged : bool
        Whether ``||b - A x|| <= tol * ||b||`` was reached.
    n_iter : int
        Arnoldi steps taken (over all cycles).
    n_matvec : int
        Products with ``A``: the Arnoldi steps, ``k`` to refresh ``A U`` when a recycled
        space is given, and one per initial residual.
    residual_norms : array of shape (n_iter + 1,)
        Relative residual history ``||r_j|| / ||b||``, starting after the projection onto
        the recycled space when one is given.
    recycle : array of shape (n, k)
        The recycled space ``U`` to pass to the next system's ``recycle=`` (the harmonic
        Ritz vectors of smallest magnitude from the last cycle).
    """

    x: np.ndarray
    converged: bool
    n_iter: int
    n_matvec: int
    residual_norms: np.ndarray
    recycle: np.ndarray


class _Cycle(NamedTuple):
    V: np.ndarray        # (n, j + 1) Arnoldi basis
    H: np.ndarray        # (j + 1, j) Hessenberg matrix
    B: np.ndarray        # (k, j) C^T A V_j
    y: np.ndarray        # (j,) least-squares solution
    res: list            # residual norms after each step (absolute)


def _cycle(matvec: Callable, r: np.ndarray, steps: int, C: np.ndarray | None,
           target: float) -> _Cycle:
    """Up to ``steps`` Arnoldi steps of ``(I - C C^T) A`` from ``r``, stopping at ``target``."""
    n = r.size
    beta = float(np.linalg.norm(r))
    V = np.zeros((steps + 1, n))     # rows: the basis (contiguous slices)
    H = np.zeros((steps + 1, steps))
    k = 0 if C is None else C.shape[1]
    Ct = None if C is None else np.ascontiguousarray(C.T)
    B = np.zeros((k, steps))
    cs: list[float] = []
    sn: list[float] = []
    g = [beta]
    R = np.zeros((steps, steps))  # the rotated (triangular) Hessenberg matrix
    V[0] = r / beta
    res = []
    j = 0
    for j in range(steps):
        w = matvec(V[j])
        if k:
            bj = Ct @ w
            w -= bj @ Ct
            b2 = Ct @ w
            w -= b2 @ Ct
            B[:, j] = bj + b2
        Vj = V[:j + 1]
        h = Vj @ w
        w -= h @ Vj
        h2 = Vj @ w
        w -= h2 @ Vj
        h += h2
        hnext = float(np.sqrt(w @ w))
        H[:j + 1, j] = h
        H[j + 1, j] = hnext
        col = h.tolist()
        for i in range(j):  # previous rotations
            a, c = col[i], col[i + 1]
            col[i], col[i + 1] = cs[i] * a + sn[i] * c, -sn[i] * a + cs[i] * c
        rr = float(np.hypot(col[j], hnext))
        cj, sj = (1.0, 0.0) if rr == 0 else (col[j] / rr, hnext / rr)
        cs.append(cj)
        sn.append(sj)
        col[j] = rr
        R[:j + 1, j] = col
        gj = g[j]
        g[j] = cj * gj
        g.append(-sj * gj)
        res.append(abs(g[j + 1]))
        if hnext <= 1e-14 * beta or res[-1] <= target:
            if hnext > 0:
                V[j + 1] = w / hnext
            j += 1
            break
        V[j + 1] = w / hnext
    else:
        j = steps
    y = sla.solve_triangular(R[:j, :j], np.array(g[:j])) if j else np.zeros(0)
    return _Cycle(V[:j + 1].T, H[:j + 1, :j], B[:, :j], y, res)


def _real_basis(Z: np.ndarray, k: int) -> np.ndarray:
    """A real basis of ``k`` columns of the span of the (possibly complex) columns of ``Z``."""
    parts = [Z.real]
    if np.iscomplexobj(Z) and np.abs(Z.imag).max() > 0:
        parts.append(Z.imag[:, np.abs(Z.imag).max(axis=0) > 0])
    Q, _ = np.linalg.qr(np.concatenate(parts, axis=1))
    return Q[:, :k]


def _harmonic(G: np.ndarray, WV: np.ndarray, k: int) -> np.ndarray:
    """``k`` eigenvectors of ``G^T G z = theta G^T WV z`` with the smallest ``|theta|``."""
    theta, Z = sla.eig(G.T @ G, G.T @ WV)
    mag = np.where(np.isfinite(theta), np.abs(theta), np.inf)
    idx = np.argsort(mag)[:k]
    return _real_basis(Z[:, idx], k)


def gmres(A: Any, b: Any, *, x0: Any = None, restart: int = 30, tol: float | None = None,
          max_steps: int | None = None, n: int | None = None) -> SolveResult:
    """Restarted GMRES(m) for a general square system ``A x = b``.

    Each cycle builds an orthonormal Arnoldi basis :math:`V_{j+1}` with
    :math:`A V_j = V_{j+1} \\bar H_j` and picks the iterate of smallest residual in
    :math:`x_0 + \\mathcal K_j(A, r_0)`: :math:`\\min_y \\lVert \\beta e_1 - \\bar H_j y\\rVert`,
    kept solved step by step with Givens rotations. After ``restart`` steps the basis is
    dropped and the cycle restarts from the current residual. Cost per step: one product
    and ``O(n j)`` orthogonalisation (classical Gram-Schmidt, twice).

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, or callable
        The operator (need not be symmetric; a callable needs ``n=``).
    b : array of shape (n,)
        Right-hand side.
    x0 : array of shape (n,), optional
        Initial guess (default zero).
    restart : int
        Cycle length ``m >= 1``.
    tol : float, optional
        Relative residual tolerance; None means ``sqrt(eps)``.
    max_steps : int, optional
        Cap on the total Arnoldi steps (default ``10 n``); warns when reached.
    n : int, optional
        Size, required when ``A`` is a callable.

    Returns
    -------
    SolveResult

    Raises
    ------
    TypeError, ValueError
        Bad operator or shapes, NaN/inf, bad ``restart`` or ``tol``.

    See Also
    --------
    scipy.sparse.linalg.gmres : the reference implementation.

    References
    ----------
    :cite:p:`saad1986gmres`; chapter :ref:`krylov`.
    """
    res = _gcro_dr("krylov.gmres", A, b, x0=x0, m=restart, k=0, recycle=None, tol=tol,
                   max_steps=max_steps, n=n)
    return SolveResult(res.x, res.converged, res.n_iter, res.n_matvec, res.residual_norms)


def gcro_dr(A: Any, b: Any, *, recycle: Any = None, x0: Any = None, m: int = 40,
            k: int = 20, tol: float | None = None, max_steps: int | None = None,
            n: int | None = None) -> GCRODRResult:
    """GCRO-DR(m, k): restarted GMRES that deflates and recycles a ``k``-dimensional space.

    A recycled space ``U`` (from this system's earlier cycles, or from the previous
    system of a sequence) is kept with ``A U = C``, ``C^T C = I``. The first step removes
    the component of the residual in ``range(C)``; every cycle then runs ``m - k`` Arnoldi
    steps of the projected operator :math:`(I - C C^\\top) A` and solves the combined
    least-squares problem over ``range(U) + K_{m-k}``. At the end of a cycle ``U`` is
    replaced by the ``k`` harmonic Ritz vectors of smallest magnitude of the combined
    space, so the slow (small-eigenvalue) directions are deflated. Without ``recycle``
    the first cycle is plain GMRES(m). The returned ``recycle`` seeds the next system;
    refreshing ``A U`` there costs ``k`` products.

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, or callable
        The operator (need not be symmetric; a callable needs ``n=``).
    b : array of shape (n,)
        Right-hand side.
    recycle : array of shape (n, k), optional
        A recycled space, typically :attr:`GCRODRResult.recycle` of the previous system.
    x0 : array of shape (n,), optional
        Initial guess (default zero).
    m : int
        Size of the combined search space per cycle, ``m > k``.
    k : int
        Dimension of the recycled space, ``k >= 1``.
    tol : float, optional
        Relative residual tolerance; None means ``sqrt(eps)``.
    max_steps : int, optional
        Cap on the total Arnoldi steps (default ``10 n``); warns when reached.
    n : int, optional
        Size, required when ``A`` is a callable.

    Returns
    -------
    GCRODRResult

    Raises
    ------
    TypeError, ValueError
        Bad operator or shapes, NaN/inf, ``k >= m``, a ``recycle`` of the wrong shape.

    See Also
    --------
    scipy.sparse.linalg.gcrotmk : GCROT(m, k), which recycles through its ``CU`` argument.

    References
    ----------
    :cite:p:`parks2006recycling,wang2024accelerating`; chapter :ref:`krylov`.
    """
    where = "krylov.gcro_dr"
    m = _checks.check_int(m, "m", where, min_val=2)
    k = _checks.check_int(k, "k", where, min_val=1, max_val=m - 1,
                          hint="The recycled space must leave room for Arnoldi steps.")
    return _gcro_dr(where, A, b, x0=x0, m=m, k=k, recycle=recycle, tol=tol,
                    max_steps=max_steps, n=n)


def _gcro_dr(where: str, *args: Any, **kwargs: Any) -> GCRODRResult:
    # The dense steps are products of (n, m) by (m, k) blocks: too small for BLAS threads
    # to pay off, and badly hurt by them on a loaded machine. Run them single-threaded.
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl ships with scikit-learn
        return _gcro_dr_impl(where, *args, **kwargs)
    with threadpool_limits(1):
        return _gcro_dr_impl(where, *args, **kwargs)


def _gcro_dr_impl(where: str, A: Any, b: Any, *, x0: Any, m: int, k: int, recycle: Any,
                  tol: Any, max_steps: Any, n: Any) -> GCRODRResult:
    op = host_operator(A, "A", where, n=n, symmetric=False)
    if where == "krylov.gmres":
        m = _checks.check_int(m, "restart", where, min_val=1)
    b = rhs(b, op.n, where)
    tol, max_steps = options(where, op.n, tol, max_steps)
    x, r, bnorm, n_mv = start(op, b, x0, where)
    target = tol * bnorm
    hist = [float(np.linalg.norm(r)) / bnorm]
    U = C = None
    if recycle is not None:
        _checks.as_matrix(recycle, "recycle", where)
        Uin = np.array(recycle, dtype=np.float64)
        if Uin.shape[0] != op.n:
            raise _checks.fail(where, "recycle", f"an array of shape ({op.n}, k)",
                               f"shape {Uin.shape}")
        AU = np.column_stack([op.matvec(u) for u in Uin.T])
        n_mv += Uin.shape[1]
        C, Rq = np.linalg.qr(AU)
        U = sla.solve_triangular(Rq, Uin.T, trans="T").T  # U R^{-1}
        c = C.T @ r
        x += U @ c
        r -= C @ c
        hist = [float(np.linalg.norm(r)) / bnorm]  # the Krylov phase starts here
    j_total = 0
    while hist[-1] * bnorm > target and j_total < max_steps:
        kk = 0 if C is None else C.shape[1]
        steps = min(m - kk, max_steps - j_total)
        cyc = _cycle(op.matvec, r, steps, C, target)
        j = cyc.y.size
        if j == 0:
            break
        n_mv += j
        j_total += j
        Vj = cyc.V[:, :j]
        x += Vj @ cyc.y
        if kk:
            x -= U @ (cyc.B @ cyc.y)
        r = r - cyc.V @ (cyc.H @ cyc.y)
        hist.extend(float(v) / bnorm for v in cyc.res)
        hist[-1] = float(np.linalg.norm(r)) / bnorm
        if k == 0:
            continue
        # new recycled space: harmonic Ritz vectors of the combined space
        if kk == 0:
            G, WV = cyc.H, np.eye(j + 1, j)
            if j < k + 1:
                continue
            P = _harmonic(G, WV, k)
            Y = Vj @ P
            Q, Rq = np.linalg.qr(G @ P)
            C = cyc.V @ Q
        else:
            d = 1.0 / np.linalg.norm(U, axis=0)
            Ut = U * d
            G = np.block([[np.diag(d), cyc.B], [np.zeros((j + 1, kk)), cyc.H]])
            WV = np.block([[C.T @ Ut, np.zeros((kk, j))],
                           [cyc.V.T @ Ut, np.eye(j + 1, j)]])
            P = _harmonic(G, WV, k)
            W = np.concatenate([Ut, Vj], axis=1)
            Y = W @ P
            Q, Rq = np.linalg.qr(G @ P)
            C = np.concatenate([C, cyc.V], axis=1) @ Q
        U = sla.solve_triangular(Rq, Y.T, trans="T").T
    converged = hist[-1] * bnorm <= target
    if not converged:
        _checks.warn_unconverged(where, tol=tol, reached=hist[-1], n_iter=j_total,
                                 hint="Raise max_steps (or m).")
    rec = np.zeros((op.n, 0)) if U is None else U
    return GCRODRResult(x, bool(converged), j_total, n_mv, np.array(hist), rec)
