"""Block LOBPCG (Knyazev 2001) in an orthonormalised basis.

Each iteration performs Rayleigh–Ritz on span[X, W, P], where X holds the
current Ritz vectors, W = M R the preconditioned residuals R = A X - X Theta,
and P the previous search directions. The basis is orthonormalised by
Householder QR, which stays well conditioned in float64 even when the three
blocks become nearly dependent near convergence (the instability of the
original formulation; cf. Hetmaniuk & Lehoucq 2006).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _checks
from .._operators import as_operator
from ._common import (
    WHICH,
    EighResult,
    converged_mask,
    default_tol,
    finish,
    orthonormalize,
    random_block,
    rayleigh_ritz,
)

__all__ = ["lobpcg"]


@functools.partial(jax.jit,
                   static_argnames=("apply", "precond", "n", "k", "which", "dtype"))
def _lobpcg_impl(data, key, tol, n_iter, *, apply, precond, n, k, which, dtype):
    X0 = random_block(key, n, k, dtype)
    theta, X, _ = rayleigh_ritz(apply, data, X0, k, which)
    AX = apply(data, X)
    R = AX - X * theta[None, :]
    conv = converged_mask(jnp.linalg.norm(R, axis=0), theta, tol)
    P = jnp.zeros((n, k), dtype)

    def cond(state):
        i, _, _, _, _, conv = state
        return (i < n_iter) & ~jnp.all(conv)

    def body(state):
        i, X, theta, R, P, _ = state
        W = R if precond is None else precond(R)
        Q = orthonormalize(jnp.concatenate([X, W, P], axis=1))
        AQ = apply(data, Q)
        theta, X_new, C = rayleigh_ritz(apply, data, Q, k, which, AQ=AQ)
        # Q[:, :k] spans the old X, so the new directions are the rest.
        P_new = Q[:, k:] @ C[k:]
        R_new = AQ @ C - X_new * theta[None, :]
        conv = converged_mask(jnp.linalg.norm(R_new, axis=0), theta, tol)
        return i + 1, X_new, theta, R_new, P_new, conv

    init = (jnp.zeros_like(n_iter), X, theta, R, P, conv)
    i, X, theta, _, _, _ = lax.while_loop(cond, body, init)
    return finish(apply, data, theta, X, i, tol)


def lobpcg(A: Any, k: int, *, key: jax.Array, n_iter: int = 200, tol: float | None = None,
           which: Literal["largest", "smallest"] = "largest",
           preconditioner: Callable[[jax.Array], jax.Array] | None = None,
           n: int | None = None) -> EighResult:
    """k extreme eigenpairs by the locally optimal block preconditioned CG method.

    Starting from a random orthonormal block X (n, k), iterate

        R = A X - X Theta,  W = M R,  span[X, W, P] --Rayleigh–Ritz--> X, P

    until every residual satisfies ‖A x_i - theta_i x_i‖ <= tol maxabs(theta)
    or ``n_iter`` iterations are done (``lax.while_loop``).

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, or callable
        Symmetric operator; a callable maps X (n, b) to A @ X and needs ``n``.
    k : int
        Number of pairs (block size), ``1 <= k <= n // 3`` (the basis has 3 k
        columns; use ``numpy.linalg.eigh`` for smaller problems).
    key : PRNG key
        Draws the starting block.
    n_iter : int
        Iteration cap, default 200 (SciPy's ``lobpcg`` caps at 20 but soft-locks
        converged vectors; this version iterates the whole block).
    tol : float, optional
        Relative residual tolerance, default sqrt(eps) of the dtype.
    which : {"largest", "smallest"}
        Which end of the spectrum.
    preconditioner : callable, optional
        JAX-traceable ``M(R)`` for R of shape (n, k), approximating
        (A - sigma I)^{-1} near the wanted end. Pass the same function object
        between calls to reuse the compiled code.
    n : int, optional
        Size of the operator; required for a callable.

    Returns
    -------
    EighResult
        ``eigenvalues`` (k,), ``eigenvectors`` (n, k), ``residual_norms`` (k,),
        ``n_steps`` (iterations done), ``converged`` (k,).

    Warns
    -----
    eigenbook.ConvergenceWarning
        When ``n_iter`` iterations did not bring every residual below tol.

    Raises
    ------
    TypeError
        ``A`` or ``preconditioner`` of the wrong kind, callable without ``n``,
        bad ``key``.
    ValueError
        ``A`` not square, not symmetric or not finite; ``k``, ``n_iter`` or
        ``tol`` out of range; bad ``which``.

    References
    ----------
    * Knyazev, A. V. (2001). Toward the optimal preconditioned
      eigensolver: LOBPCG. SIAM J. Sci. Comput. 23(2).
    * Hetmaniuk, U. & Lehoucq, R. (2006). Basis selection in LOBPCG.
      J. Comput. Phys. 218.

    See Also
    --------
    scipy.sparse.linalg.lobpcg : the SciPy implementation.
    lanczos : Krylov alternative for a few pairs without a preconditioner.
    Explained in chapter 01_eigensolvers.
    """
    where = "eigen.lobpcg"
    key = _checks.check_key(key, "key", where)
    _checks.check_choice(which, "which", where, WHICH)
    op = as_operator(A, "A", where, n=n)
    k = _checks.check_rank(k, "k", where, upper=op.n // 3, upper_name="n // 3")
    n_iter = _checks.check_int(n_iter, "n_iter", where, min_val=1)
    tol = default_tol(op.dtype) if tol is None else _checks.check_scalar(
        tol, "tol", where, min_val=0.0, strict_min=True)
    if preconditioner is not None:
        _check_preconditioner(preconditioner, op.n, k, op.dtype, where)
    res = _lobpcg_impl(op.data, key, jnp.asarray(tol, op.dtype), jnp.asarray(n_iter),
                       apply=op.apply, precond=preconditioner, n=op.n, k=k, which=which,
                       dtype=op.dtype)
    conv = np.asarray(res.converged)
    if not conv.all():
        scale = max(float(np.max(np.abs(np.asarray(res.eigenvalues)))), 1e-300)
        _checks.warn_unconverged(where, tol=tol,
                                 reached=float(np.max(np.asarray(res.residual_norms))) / scale,
                                 what="relative residual", n_iter=int(res.n_steps),
                                 hint="Raise n_iter or pass a preconditioner.")
    return res


def _check_preconditioner(M: Any, n: int, k: int, dtype: Any, where: str) -> None:
    if not callable(M):
        raise _checks.fail(where, "preconditioner", "a callable M(R) for R of shape (n, k)",
                           f"{type(M).__name__}", exc=TypeError)
    try:
        out = jax.eval_shape(M, jax.ShapeDtypeStruct((n, k), dtype))
    except Exception as err:  # the user's function failed to trace
        raise _checks.fail(where, "preconditioner", "a JAX-traceable callable",
                           f"a callable that raised {type(err).__name__}: {err}",
                           exc=TypeError) from err
    if getattr(out, "shape", None) != (n, k):
        raise _checks.fail(where, "preconditioner", f"output of shape ({n}, {k})",
                           f"shape {getattr(out, 'shape', None)}")
