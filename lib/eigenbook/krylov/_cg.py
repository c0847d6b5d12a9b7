"""Conjugate gradients, preconditioned CG, and the Lanczos tridiagonal hidden in CG."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from eigenbook import _checks

from ._common import host_operator, options, preconditioner, rhs, start


class CGResult(NamedTuple):
    """Result of :func:`cg`.

    Attributes
    ----------
    x : array of shape (n,)
        The approximate solution.
    converged : bool
        Whether ``||b - A x|| <= tol * ||b||`` was reached.
    n_iter : int
        CG steps taken.
    n_matvec : int
        Products with ``A``.
    residual_norms : array of shape (n_iter + 1,)
        Relative residual history ``||r_j|| / ||b||``.
    alphas : array of shape (n_iter,)
        Step lengths :math:`\\alpha_j`.
    betas : array of shape (n_iter,)
        Direction updates :math:`\\beta_j` (the last one belongs to the step not taken).
    """

    x: np.ndarray
    converged: bool
    n_iter: int
    n_matvec: int
    residual_norms: np.ndarray
    alphas: np.ndarray
    betas: np.ndarray


class Tridiagonal(NamedTuple):
    """A symmetric tridiagonal matrix.

    Attributes
    ----------
    diagonal : array of shape (k,)
    off_diagonal : array of shape (k - 1,)
    """

    diagonal: np.ndarray
    off_diagonal: np.ndarray


def cg(A: Any, b: Any, *, x0: Any = None, M: Any = None, tol: float | None = None,
       max_steps: int | None = None, n: int | None = None) -> CGResult:
    """Conjugate gradients (preconditioned when ``M`` is given) for SPD ``A x = b``.

    Each step minimises the ``A``-norm of the error over the Krylov space
    :math:`x_0 + \\mathcal K_j(M A, M r_0)`; the error contracts at least like
    :math:`2\\,((\\sqrt\\kappa - 1)/(\\sqrt\\kappa + 1))^j` with :math:`\\kappa` the
    condition number of :math:`M A`. Cost: one product with ``A``, one with ``M`` and
    ``O(n)`` vector work per step. The step lengths and direction updates are returned:
    :func:`cg_tridiagonal` turns them into the Lanczos matrix of the same Krylov space.

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, or callable
        Symmetric positive definite operator (a callable maps ``X`` (n, b) to ``A @ X``
        and needs ``n=``).
    b : array of shape (n,)
        Right-hand side.
    x0 : array of shape (n,), optional
        Initial guess (default zero).
    M : array of shape (n, n), sparse matrix, LinearOperator or callable, optional
        SPD preconditioner, an approximation of :math:`A^{-1}`; a callable maps a vector
        ``r`` of shape (n,) to ``M r`` (e.g. ``pyamg``'s ``aspreconditioner()``).
    tol : float, optional
        Relative residual tolerance ``||r|| <= tol ||b||``; None means ``sqrt(eps)``.
    max_steps : int, optional
        Cap on the steps (default ``10 n``); warns with
        :class:`eigenbook.ConvergenceWarning` when reached.
    n : int, optional
        Size, required when ``A`` is a callable.

    Returns
    -------
    CGResult

    Raises
    ------
    TypeError, ValueError
        Bad operator, shapes, NaN/inf, non-positive ``tol``.

    See Also
    --------
    scipy.sparse.linalg.cg : the reference implementation.

    References
    ----------
    :cite:p:`hestenes1952methods,saad2003iterative`; chapter :ref:`krylov`.
    """
    where = "krylov.cg"
    op = host_operator(A, "A", where, n=n, symmetric=True)
    b = rhs(b, op.n, where)
    tol, max_steps = options(where, op.n, tol, max_steps)
    prec = preconditioner(M, op.n, where)
    x, r, bnorm, n_mv = start(op, b, x0, where)
    z = prec(r) if prec else r
    p = z.copy()
    rz = float(r @ z)
    hist, alphas, betas = [float(np.linalg.norm(r)) / bnorm], [], []
    j = 0
    while hist[-1] > tol and j < max_steps:
        Ap = op.matvec(p)
        n_mv += 1
        pAp = float(p @ Ap)
        if pAp <= 0:
            break  # breakdown: A (or M) not positive definite on this direction
        alpha = rz / pAp
        x += alpha * p
        r -= alpha * Ap
        z = prec(r) if prec else r
        rz_new = float(r @ z)
        beta = rz_new / rz
        p = z + beta * p
        rz = rz_new
        alphas.append(alpha)
        betas.append(beta)
        hist.append(float(np.linalg.norm(r)) / bnorm)
        j += 1
    converged = hist[-1] <= tol
    if not converged:
        _checks.warn_unconverged(where, tol=tol, reached=hist[-1], n_iter=j,
                                 hint="Raise max_steps or use a preconditioner M.")
    return CGResult(x, bool(converged), j, n_mv, np.array(hist), np.array(alphas),
                    np.array(betas))


def cg_tridiagonal(alphas: Any, betas: Any) -> Tridiagonal:
    """The Lanczos tridiagonal matrix of the Krylov space that CG explored.

    CG and Lanczos build the same Krylov space: with the normalised residuals
    :math:`v_j = r_j / \\lVert r_j\\rVert` as basis, :math:`V_k^\\top A V_k = T_k` with

    .. math::

        T_{jj} = \\frac{1}{\\alpha_j} + \\frac{\\beta_{j-1}}{\\alpha_{j-1}}, \\qquad
        T_{j,j+1} = \\frac{\\sqrt{\\beta_j}}{\\alpha_j}

    (:math:`\\beta_{-1} / \\alpha_{-1} = 0`), so the eigenvalues of ``T_k`` are Ritz
    values of ``A`` and come for free from a CG run. For PCG the same formulas give the
    Lanczos matrix of :math:`M A`.

    Parameters
    ----------
    alphas : array of shape (k,)
        CG step lengths (:attr:`CGResult.alphas`), positive.
    betas : array of shape (k,) or (k - 1,)
        CG direction updates (:attr:`CGResult.betas`), non-negative; only the first
        ``k - 1`` are used.

    Returns
    -------
    Tridiagonal
        ``diagonal`` of shape (k,), ``off_diagonal`` of shape (k - 1,).

    Raises
    ------
    ValueError
        Empty or non-positive ``alphas``, negative ``betas``, too few ``betas``.

    References
    ----------
    :cite:p:`saad2003iterative` (Sec. 6.7.3); chapter :ref:`krylov`.
    """
    where = "krylov.cg_tridiagonal"
    _checks.as_vector(alphas, "alphas", where, allow_empty=False)
    a = np.array(alphas, dtype=np.float64).reshape(-1)
    k = a.size
    _checks.as_vector(betas, "betas", where)
    bt = np.array(betas, dtype=np.float64).reshape(-1)
    if bt.size < k - 1:
        raise _checks.fail(where, "betas", f"at least k - 1 = {k - 1} values",
                           f"{bt.size} values")
    if (a <= 0).any():
        raise _checks.fail(where, "alphas", "positive step lengths",
                           f"min = {a.min():.2e}", "A must be positive definite.")
    bt = bt[:k - 1]
    if (bt < 0).any():
        raise _checks.fail(where, "betas", "non-negative values", f"min = {bt.min():.2e}")
    diag = 1.0 / a
    diag[1:] += bt / a[:-1]
    return Tridiagonal(diag, np.sqrt(bt) / a[:-1])
