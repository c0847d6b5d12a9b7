"""Sequences of systems: greedy sorting of their parameters and recycled solves (SKR)."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from eigenbook import _checks

from ._gmres import gcro_dr, gmres


class SequenceResult(NamedTuple):
    """Result of :func:`solve_sequence`.

    Attributes
    ----------
    solutions : array of shape (n_systems, n)
        ``x_i`` for system ``i`` (in the input order, whatever the solve order).
    n_iter : array of int of shape (n_systems,)
        Krylov steps per system (input order).
    n_matvec : array of int of shape (n_systems,)
        Products with ``A_i`` per system (input order).
    residuals : array of shape (n_systems,)
        Final relative residuals ``||b_i - A_i x_i|| / ||b_i||``.
    converged : array of bool of shape (n_systems,)
    order : array of int of shape (n_systems,)
        The order in which the systems were solved.
    """

    solutions: np.ndarray
    n_iter: np.ndarray
    n_matvec: np.ndarray
    residuals: np.ndarray
    converged: np.ndarray
    order: np.ndarray


def greedy_order(params: Any, *, start: int = 0, farthest: bool = False) -> np.ndarray:
    """Greedy nearest-neighbour ordering of parameter vectors (the sorting step of SKR).

    Starting at ``start``, repeatedly move to the closest (Euclidean) parameter vector not
    yet visited, so that consecutive systems are similar. Cost ``O(s^2 d)``.

    Parameters
    ----------
    params : array of shape (s, d)
        One parameter vector per system (e.g. the coefficients of the PDE's field).
    start : int
        First system, ``0 <= start < s``.
    farthest : bool
        Move to the *farthest* unvisited vector instead: the worst order for recycling,
        a negative control for the sorting step.

    Returns
    -------
    array of int of shape (s,)
        A permutation of ``range(s)``.

    Raises
    ------
    TypeError, ValueError
        ``params`` not a finite 2-D array, ``start`` out of range.

    References
    ----------
    :cite:p:`wang2024accelerating`; chapter :ref:`krylov`.
    """
    where = "krylov.greedy_order"
    _checks.as_matrix(params, "params", where)
    X = np.array(params, dtype=np.float64)
    s = X.shape[0]
    start = _checks.check_int(start, "start", where, min_val=0, max_val=s - 1)
    D = np.linalg.norm(X[:, None, :] - X[None, :, :], axis=-1)
    visited = np.zeros(s, dtype=bool)
    order = [start]
    visited[start] = True
    for _ in range(s - 1):
        if farthest:
            nxt = int(np.argmax(np.where(visited, -np.inf, D[order[-1]])))
        else:
            nxt = int(np.argmin(np.where(visited, np.inf, D[order[-1]])))
        order.append(nxt)
        visited[nxt] = True
    return np.array(order)


def solve_sequence(matrices: Any, rhs: Any, *, order: Any = None, method: str = "gcro_dr",
                   m: int = 40, k: int = 20, tol: float | None = None,
                   max_steps: int | None = None) -> SequenceResult:
    """Solve ``A_i x_i = b_i`` one after the other, recycling between systems.

    With ``method="gcro_dr"`` each solve starts from the recycled space of the previous
    one (:func:`gcro_dr`); with ``method="gmres"`` every system is solved independently
    by GMRES(m) (the baseline). Sorting the systems first (``order=greedy_order(theta)``)
    makes neighbours similar, which is what makes the recycled space useful: Sorting
    Krylov Recycling (SKR).

    Parameters
    ----------
    matrices : sequence of s operators of shape (n, n)
        Anything :func:`gcro_dr` accepts (not callables: no ``n=`` is passed).
    rhs : array of shape (s, n)
        Right-hand sides.
    order : array of int of shape (s,), optional
        Solve order (default ``range(s)``).
    method : {"gcro_dr", "gmres"}
        Recycled or independent solves.
    m, k : int
        Cycle length and recycled dimension (``k`` unused by ``"gmres"``).
    tol : float, optional
        Relative residual tolerance per system; None means ``sqrt(eps)``.
    max_steps : int, optional
        Cap on the Krylov steps per system.

    Returns
    -------
    SequenceResult

    Raises
    ------
    TypeError, ValueError
        Mismatched lengths, a bad ``order``, bad options.

    References
    ----------
    :cite:p:`wang2024accelerating,parks2006recycling`; chapter :ref:`krylov`.
    """
    where = "krylov.solve_sequence"
    method = _checks.check_choice(method, "method", where, ("gcro_dr", "gmres"))
    # the options are checked here, so that their messages name this function
    m = _checks.check_int(m, "m", where, min_val=2 if method == "gcro_dr" else 1)
    if method == "gcro_dr":
        k = _checks.check_int(k, "k", where, min_val=1, max_val=m - 1)
    _checks.check_tol(tol, np.float64, where)
    if max_steps is not None:
        _checks.check_int(max_steps, "max_steps", where, min_val=1)
    mats = list(matrices)
    s = len(mats)
    if s == 0:
        raise _checks.fail(where, "matrices", "at least one system", "an empty sequence")
    _checks.as_matrix(rhs, "rhs", where)
    B = np.array(rhs, dtype=np.float64)
    if B.shape[0] != s:
        raise _checks.fail(where, "rhs", f"shape ({s}, n): one row per matrix",
                           f"shape {B.shape}")
    if order is None:
        order = np.arange(s)
    order = np.asarray(order)
    if order.shape != (s,) or not np.array_equal(np.sort(order), np.arange(s)):
        raise _checks.fail(where, "order", f"a permutation of range({s})",
                           f"{order.shape[0] if order.ndim else order!r} entries")
    sol = np.zeros_like(B)
    its, mvs = np.zeros(s, dtype=int), np.zeros(s, dtype=int)
    res, conv = np.zeros(s), np.zeros(s, dtype=bool)
    U = None
    for i in order:
        if method == "gmres":
            out = gmres(mats[i], B[i], restart=m, tol=tol, max_steps=max_steps)
        else:
            out = gcro_dr(mats[i], B[i], recycle=U, m=m, k=k, tol=tol, max_steps=max_steps)
            U = out.recycle if out.recycle.shape[1] else None
        sol[i], its[i], mvs[i] = out.x, out.n_iter, out.n_matvec
        res[i] = np.linalg.norm(B[i] - mats[i] @ out.x) / (np.linalg.norm(B[i]) or 1.0)
        conv[i] = out.converged
    return SequenceResult(sol, its, mvs, res, conv, order)
