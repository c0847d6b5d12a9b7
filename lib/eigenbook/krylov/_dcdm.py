"""The deep conjugate direction method (DCDM) with any direction map."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from eigenbook import _checks

from ._common import SolveResult, host_operator, options, rhs, start


def dcdm(A: Any, b: Any, *, direction: Callable[[np.ndarray], np.ndarray], x0: Any = None,
         n_orth: int = 2, tol: float | None = None, max_steps: int | None = None,
         n: int | None = None) -> SolveResult:
    """Conjugate directions from a map ``f ≈ c A^{-1}`` (DCDM), for SPD ``A x = b``.

    Each step takes the search direction :math:`q = f(r / \\lVert r\\rVert)`,
    ``A``-orthogonalises it against the previous ``n_orth`` directions and moves by an
    exact line search, :math:`x \\leftarrow x + \\frac{q^\\top r}{q^\\top A q} q`. The line
    search and the ``A``-orthogonalisation are invariant to a scaling of ``q``, so ``f``
    needs to approximate :math:`A^{-1}` only up to an arbitrary constant (the paper trains
    a network to do that). With ``f = A^{-1}`` one step solves the system; with
    ``f = identity`` and ``n_orth >= 1`` the iterates are those of CG (in exact arithmetic).
    Cost per step: one product with ``A``, one evaluation of ``f``, ``O(n n_orth)``.

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, or callable
        SPD operator (a callable needs ``n=``).
    b : array of shape (n,)
        Right-hand side.
    direction : callable
        ``f(r)`` for ``r`` of shape (n,), returning shape (n,): the learned (or multigrid)
        approximate inverse.
    x0 : array of shape (n,), optional
        Initial guess (default zero).
    n_orth : int
        Number of previous directions to ``A``-orthogonalise against, ``>= 0``.
    tol : float, optional
        Relative residual tolerance; None means ``sqrt(eps)``.
    max_steps : int, optional
        Cap on the steps (default ``n``); warns when reached.
    n : int, optional
        Size, required when ``A`` is a callable.

    Returns
    -------
    SolveResult

    Raises
    ------
    TypeError, ValueError
        Bad operator or shapes, a ``direction`` that is not callable or returns the wrong
        shape, NaN/inf.

    References
    ----------
    :cite:p:`kaneda2023deep`; chapter :ref:`krylov`.
    """
    where = "krylov.dcdm"
    op = host_operator(A, "A", where, n=n, symmetric=True)
    b = rhs(b, op.n, where)
    if not callable(direction):
        raise _checks.fail(where, "direction", "a callable r -> f(r)",
                           type(direction).__name__, exc=TypeError)
    n_orth = _checks.check_int(n_orth, "n_orth", where, min_val=0)
    tol, max_steps = options(where, op.n, tol, max_steps, default_steps=op.n)
    x, r, bnorm, n_mv = start(op, b, x0, where)
    hist = [float(np.linalg.norm(r)) / bnorm]
    prev: list[tuple[np.ndarray, np.ndarray, float]] = []  # (p, A p, p^T A p)
    j = 0
    while hist[-1] > tol and j < max_steps:
        q = np.asarray(direction(r / np.linalg.norm(r)), dtype=np.float64)
        if q.shape != (op.n,):
            raise _checks.fail(where, "direction", f"a map returning shape ({op.n},)",
                               f"shape {q.shape}")
        for p, Ap, pAp in prev:
            q = q - (Ap @ q) / pAp * p
        Aq = op.matvec(q)
        n_mv += 1
        qAq = float(q @ Aq)
        if not qAq > 0:
            break
        alpha = float(q @ r) / qAq
        x = x + alpha * q
        r = r - alpha * Aq
        if n_orth:
            prev = (prev + [(q, Aq, qAq)])[-n_orth:]
        hist.append(float(np.linalg.norm(r)) / bnorm)
        j += 1
    converged = hist[-1] <= tol
    if not converged:
        _checks.warn_unconverged(where, tol=tol, reached=hist[-1], n_iter=j,
                                 hint="Raise max_steps or improve the direction map.")
    return SolveResult(x, bool(converged), j, n_mv, np.array(hist))
