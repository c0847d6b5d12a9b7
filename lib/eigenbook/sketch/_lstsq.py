"""Sketched least squares: sketch-and-solve and sketch-and-precondition."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks
from ._common import LstsqResult, _tall
from ._sketches import _sketch_of_checked


def _lstsq_inputs(A, b, where):
    A = _tall(A, where)
    b = _checks.as_vector(b, "b", where, size=A.shape[0])
    if A.shape[0] < A.shape[1]:
        raise _checks.fail(where, "A", "a tall matrix (n >= d)", f"shape {tuple(A.shape)}")
    return A, b


def sketch_and_solve(A: Any, b: Any, m: int, *, key: jax.Array,
                     kind: str = "srht") -> jax.Array:
    """Solve the sketched problem :math:`\\min_x \\lVert S A x - S b \\rVert_2`.

    With a subspace embedding of distortion :math:`\\varepsilon` the residual is
    within a factor :math:`(1 + \\varepsilon)/(1 - \\varepsilon)` of optimal.

    Parameters
    ----------
    A : array_like of shape (n, d), n >= d
    b : array_like of shape (n,)
    m : int
        Sketch size, ``m >= d``.
    key : PRNG key
    kind : {"gaussian", "srht", "countsketch"}

    Returns
    -------
    x : ndarray of shape (d,)

    Raises
    ------
    TypeError, ValueError
        Bad inputs, ``m < d``, unknown ``kind``.

    References
    ----------
    :cite:p:`woodruff2014sketching`

    See Also
    --------
    scipy.linalg.lstsq, sketch_precondition_lstsq

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    where = "sketch.sketch_and_solve"
    A, b = _lstsq_inputs(A, b, where)
    m = _checks.check_int(m, "m", where, min_val=A.shape[1],
                          hint="The sketch needs at least d rows.")
    Ab = jnp.concatenate([A, b[:, None]], axis=1)
    SAb = np.asarray(_sketch_of_checked(Ab, m, key, kind, where))
    return np.linalg.lstsq(SAb[:, :-1], SAb[:, -1], rcond=None)[0]  # small: on the host


def sketch_precondition_lstsq(A: Any, b: Any, *, key: jax.Array, m: int | None = None,
                              kind: str = "srht", tol: float = 1e-14,
                              max_steps: int = 200) -> LstsqResult:
    """Least squares by sketch-to-precondition (Blendenpik / LSRN style).

    Sketch :math:`SA = QR`; then :math:`AR^{-1}` has condition number at most
    :math:`(1+\\varepsilon)/(1-\\varepsilon)`, and LSQR on
    :math:`\\min_y \\lVert A R^{-1} y - b \\rVert` converges in
    :math:`O(\\log(1/\\mathrm{tol}))` iterations independently of
    :math:`\\kappa(A)`; :math:`x = R^{-1} y`.

    Parameters
    ----------
    A : array_like of shape (n, d), n >= d, full column rank
    b : array_like of shape (n,)
    key : PRNG key
    m : int, optional
        Sketch size, default ``4 d``.
    kind : {"gaussian", "srht", "countsketch"}
    tol : float
        LSQR's ``atol = btol``.
    max_steps : int
        LSQR iteration limit.

    Returns
    -------
    LstsqResult
        ``x`` (d,), LSQR iterations, residual norm, ``converged`` and LSQR's final
        optimality measure. When LSQR stops on ``max_steps`` (or its condition limit) a
        :class:`eigenbook.ConvergenceWarning` is emitted.

    Raises
    ------
    TypeError, ValueError
        Bad inputs; ``m < d``.

    References
    ----------
    :cite:p:`avron2010blendenpik,meng2014lsrn`

    See Also
    --------
    scipy.linalg.lstsq, scipy.sparse.linalg.lsqr

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    import scipy.linalg as sla
    import scipy.sparse.linalg as spla

    where = "sketch.sketch_precondition_lstsq"
    A, b = _lstsq_inputs(A, b, where)
    d = A.shape[1]
    m = 4 * d if m is None else _checks.check_int(m, "m", where, min_val=d)
    tol = _checks.check_scalar(tol, "tol", where, min_val=0.0, strict_min=True)
    max_steps = _checks.check_int(max_steps, "max_steps", where, min_val=1)
    R = np.asarray(jnp.linalg.qr(_sketch_of_checked(A, m, key, kind, where), mode="r"))
    An, bn = np.asarray(A), np.asarray(b)
    op = spla.LinearOperator(
        (An.shape[0], d), dtype=An.dtype,
        matvec=lambda y: An @ sla.solve_triangular(R, np.ravel(y)),
        rmatvec=lambda z: sla.solve_triangular(R, An.T @ np.ravel(z), trans="T"))
    out = spla.lsqr(op, bn, atol=tol, btol=tol, iter_lim=max_steps)
    x = sla.solve_triangular(R, out[0])
    istop, n_iter, r1norm, anorm, arnorm = out[1], int(out[2]), out[3], out[5], out[7]
    optimality = float(arnorm / (anorm * r1norm)) if anorm * r1norm > 0 else 0.0
    converged = istop in (0, 1, 2, 4, 5)  # 3/6: condition limit, 7: max_steps
    if not converged:
        reached = optimality if istop == 7 else float(out[6])
        what = "LSQR optimality |A^T r|/(|A||r|)" if istop == 7 else "condition estimate"
        _checks.warn_unconverged(where, tol=tol, reached=reached, what=what, n_iter=n_iter,
                                 hint="Raise max_steps, or check that A has full column rank.")
    return LstsqResult(x, n_iter, float(np.linalg.norm(An @ x - bn)), converged, optimality)
