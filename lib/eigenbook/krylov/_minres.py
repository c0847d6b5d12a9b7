"""MINRES: the minimum-residual Krylov method for symmetric (possibly indefinite) systems."""

from __future__ import annotations

from typing import Any

import numpy as np

from eigenbook import _checks

from ._common import SolveResult, host_operator, options, rhs, start


def minres(A: Any, b: Any, *, x0: Any = None, tol: float | None = None,
           max_steps: int | None = None, n: int | None = None) -> SolveResult:
    """MINRES for symmetric ``A x = b`` (``A`` may be indefinite).

    The Lanczos three-term recurrence builds an orthonormal basis of the Krylov space and
    a tridiagonal ``T``; Givens rotations turn the small least-squares problem
    :math:`\\min_y \\lVert \\beta_1 e_1 - \\bar T_j y\\rVert` into a short recurrence, so
    each step costs one product with ``A`` and ``O(n)`` work, and
    :math:`\\lVert r_j\\rVert` is minimal over :math:`x_0 + \\mathcal K_j(A, r_0)`.

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, or callable
        Symmetric operator (a callable needs ``n=``).
    b : array of shape (n,)
        Right-hand side.
    x0 : array of shape (n,), optional
        Initial guess (default zero).
    tol : float, optional
        Relative residual tolerance; None means ``sqrt(eps)``.
    max_steps : int, optional
        Cap on the steps (default ``10 n``); warns when reached.
    n : int, optional
        Size, required when ``A`` is a callable.

    Returns
    -------
    SolveResult
        ``residual_norms`` is the recurrence's residual estimate, which equals the true
        residual in exact arithmetic; the last entry is recomputed as
        ``||b - A x|| / ||b||``.

    Raises
    ------
    TypeError, ValueError
        Bad operator or shapes, NaN/inf, non-positive ``tol``.

    See Also
    --------
    scipy.sparse.linalg.minres : the reference implementation.

    References
    ----------
    :cite:p:`paige1975solution`; chapter :ref:`krylov`.
    """
    where = "krylov.minres"
    op = host_operator(A, "A", where, n=n, symmetric=True)
    b = rhs(b, op.n, where)
    tol, max_steps = options(where, op.n, tol, max_steps)
    x, r, bnorm, n_mv = start(op, b, x0, where)
    beta = float(np.linalg.norm(r))
    hist = [beta / bnorm]
    v_prev = np.zeros(op.n)
    v = r / beta if beta > 0 else r
    w_prev = np.zeros(op.n)
    w_prev2 = np.zeros(op.n)
    gamma_prev = gamma = 1.0
    sigma_prev = sigma = 0.0
    eta = beta
    j = 0
    while hist[-1] > tol and j < max_steps:
        Av = op.matvec(v)
        n_mv += 1
        alpha = float(v @ Av)
        v_new = Av - alpha * v - beta * v_prev
        beta_new = float(np.linalg.norm(v_new))
        delta = gamma * alpha - gamma_prev * sigma * beta
        rho1 = float(np.hypot(delta, beta_new))
        rho2 = sigma * alpha + gamma_prev * gamma * beta
        rho3 = sigma_prev * beta
        if rho1 == 0:
            break
        gamma_prev, sigma_prev = gamma, sigma
        gamma, sigma = delta / rho1, beta_new / rho1
        w = (v - rho3 * w_prev2 - rho2 * w_prev) / rho1
        x += gamma * eta * w
        eta = -sigma * eta
        w_prev2, w_prev = w_prev, w
        v_prev, v = v, (v_new / beta_new if beta_new > 0 else v_new)
        beta = beta_new
        j += 1
        hist.append(abs(eta) / bnorm)
        if beta_new == 0:
            break
    hist[-1] = float(np.linalg.norm(b - op.matvec(x))) / bnorm
    n_mv += 1
    converged = hist[-1] <= tol
    if not converged:
        _checks.warn_unconverged(where, tol=tol, reached=hist[-1], n_iter=j,
                                 hint="Raise max_steps.")
    return SolveResult(x, bool(converged), j, n_mv, np.array(hist))
