"""Block LOBPCG (Knyazev 2001) in an orthonormalised basis.

Each iteration performs Rayleigh–Ritz on span[X, W, P], where X holds the
current Ritz vectors, W = M R the preconditioned residuals R = A X - X Theta,
and P the previous search directions. The basis is kept orthonormal (X, P by
construction in coefficient space, W by two Gram–Schmidt + SVQB passes), which
stays well conditioned even when the three blocks become nearly dependent near
convergence (the instability of the original formulation; cf. Hetmaniuk &
Lehoucq 2006).

The loop runs on the host (numpy / SciPy LAPACK), as the thick-restart Lanczos of
``_host`` does: per iteration one sparse product with the active columns of W and
a few GEMMs over blocks of at most 3k columns, where a jitted JAX loop on CPU paid
per-iteration dispatch and a product with all 3k columns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import scipy.linalg as sla

from .. import _checks
from ._common import WHICH, EighResult
from ._host import _callable_matmat, host_signs, host_start, one_blas_thread
from ._lanczos import host_symmetric

__all__ = ["lobpcg"]


class HostLobpcg(NamedTuple):
    """Output of :func:`host_lobpcg` (numpy arrays)."""

    theta: np.ndarray       # (k,) Ritz values, output order
    X: np.ndarray           # (n, k) orthonormal Ritz vectors
    AX: np.ndarray          # (n, k) A X, computed explicitly after the last iteration
    n_iter: int             # iterations done


def _svqb(Wt: np.ndarray, floor: float) -> np.ndarray:
    """Orthonormal rows spanning the rows of ``Wt`` (b, n) whose Gram eigenvalue exceeds
    ``floor`` (SVQB, Stathopoulos & Wu 2002): (q, b) coefficients M with M Wt orthonormal."""
    s, U = np.linalg.eigh(Wt @ Wt.T)
    keep = s > floor
    return (U[:, keep] / np.sqrt(s[keep])).T


def host_lobpcg(matmat: Callable[[np.ndarray], np.ndarray], X0: np.ndarray, *,
                which: str, tol: float, n_iter: int,
                precond: Callable[[np.ndarray], np.ndarray] | None) -> HostLobpcg:
    """Block LOBPCG on the host in the orthonormal basis of Hetmaniuk & Lehoucq (2006).

    The basis [X, P, W] is kept orthonormal: W (the preconditioned residuals of the
    active, i.e. unconverged, columns) is orthonormalised against X and P by two
    passes of block Gram–Schmidt and SVQB (directions lost to cancellation are
    dropped), and the new P is formed in the small coefficient space, orthogonal to
    the new X there, so X and P come out orthonormal from one product each. Only A W
    is a new product per iteration (A X and A P follow from the same coefficients, and
    so does the X, P block of the Rayleigh–Ritz matrix); converged columns leave W and
    P (soft locking, as in SciPy's ``lobpcg``). When the implicit residuals all meet
    ``tol * max|theta|``, A X is recomputed explicitly and the test repeated, so that
    the returned pairs meet it for the true residual.

    Blocks are stored transposed, (b, n) with rows contiguous, so that every product
    over the long dimension is one GEMM on contiguous memory.
    """
    n, k = X0.shape
    dtype = X0.dtype
    eps, tiny = float(np.finfo(dtype).eps), float(np.finfo(dtype).tiny)
    floor = eps ** 0.6      # Gram eigenvalue below which a direction is noise

    def mm(Yt: np.ndarray) -> np.ndarray:
        return np.asarray(matmat(Yt.T), dtype).T

    def ritz(H: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        w, S = sla.eigh((H + H.T) / 2, check_finite=False, driver="evd")
        m = w.shape[0]
        idx = np.arange(m - 1, m - 1 - k, -1) if which == "largest" else np.arange(k)
        return w[idx], S[:, idx]

    def residuals(theta: np.ndarray, Xt: np.ndarray, AXt: np.ndarray):
        Rt = AXt - theta[:, None] * Xt
        scale = max(float(np.max(np.abs(theta))), tiny)
        return Rt, np.linalg.norm(Rt, axis=1) > tol * scale

    Qt, AQt = np.empty((3 * k, n), dtype), np.empty((3 * k, n), dtype)
    Qn, AQn = np.empty_like(Qt), np.empty_like(AQt)
    Xt = np.ascontiguousarray(X0.T)
    Xt /= np.linalg.norm(Xt, axis=1, keepdims=True)
    Xt = _svqb(Xt, floor) @ Xt
    Xt = _svqb(Xt, 0.5) @ Xt
    AXt = mm(Xt)
    theta, C = ritz(Xt @ AXt.T)
    np.matmul(C.T, Xt, out=Qt[:k])
    np.matmul(C.T, AXt, out=AQt[:k])
    Hxp = np.diag(theta)            # [X P]^T A [X P]
    kp = k
    Rt, active = residuals(theta, Qt[:k], AQt[:k])
    i = 0
    while True:
        if not active.any():
            AQt[:k] = mm(Qt[:k])    # confirm on the explicit residual
            Rt, active = residuals(theta, Qt[:k], AQt[:k])
            if not active.any():
                break
            kp = k                  # the implicit products drifted: restart without P
            Hxp = Qt[:k] @ AQt[:k].T
        if i >= n_iter:
            AQt[:k] = mm(Qt[:k])
            break
        Wt = Rt if precond is None else np.asarray(precond(Rt.T), dtype).T
        Wt = Wt[active]
        Wt = Wt / np.maximum(np.linalg.norm(Wt, axis=1, keepdims=True), tiny)
        B = Qt[:kp]
        Wt = Wt - (Wt @ B.T) @ B
        Wt = _svqb(Wt, floor) @ Wt
        Wt = Wt - (Wt @ B.T) @ B
        M = _svqb(Wt, 0.5)
        a = M.shape[0]
        if a == 0:                  # no new direction: stagnation
            AQt[:k] = mm(Qt[:k])
            break
        m = kp + a
        np.matmul(M, Wt, out=Qt[kp:m])
        AQt[kp:m] = mm(Qt[kp:m])
        H = np.empty((m, m), dtype)
        H[:kp, :kp] = Hxp
        H[kp:] = Qt[kp:m] @ AQt[:m].T
        H[:kp, kp:] = H[kp:, :kp].T
        theta, C = ritz(H)
        # the new P: the W and P parts of the Ritz vectors that were active, made
        # orthonormal and orthogonal to C in coefficient space
        Y = C[:, active].copy()
        Y[:k] = 0.0
        for _ in range(2):
            Y -= C @ (C.T @ Y)
        if Y.shape[1]:
            U, sv, _ = np.linalg.svd(Y, full_matrices=False)
            Y = U[:, sv > 1e4 * eps]
        CZ = np.hstack([C, Y])
        kp = CZ.shape[1]
        np.matmul(CZ.T, Qt[:m], out=Qn[:kp])
        np.matmul(CZ.T, AQt[:m], out=AQn[:kp])
        Hxp = CZ.T @ H @ CZ
        Qt, Qn, AQt, AQn = Qn, Qt, AQn, AQt
        Rt, active = residuals(theta, Qt[:k], AQt[:k])
        i += 1
    return HostLobpcg(theta, Qt[:k].T.copy(), AQt[:k].T.copy(), i)


def lobpcg(A: Any, k: int, *, key: jax.Array, n_iter: int = 200, tol: float | None = None,
           which: Literal["largest", "smallest"] = "largest",
           preconditioner: Callable[[jax.Array], jax.Array] | None = None,
           n: int | None = None) -> EighResult:
    """k extreme eigenpairs by the locally optimal block preconditioned CG method.

    Starting from a random orthonormal block X (n, k), iterate

        R = A X - X Theta,  W = M R,  span[X, W, P] --Rayleigh–Ritz--> X, P

    until every residual satisfies ‖A x_i - theta_i x_i‖ <= tol maxabs(theta)
    or ``n_iter`` iterations are done. Converged columns leave W and P (soft
    locking, as in SciPy's ``lobpcg``), so only the unconverged ones cost a
    product with A; the loop runs on the host (SciPy's CSR kernel for a sparse A,
    LAPACK for the small Rayleigh–Ritz problems), and convergence is confirmed on
    explicitly recomputed residuals.

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, LinearOperator or callable
        Symmetric operator; a callable maps X (n, b) to A @ X and needs ``n``; a
        ``scipy.sparse.linalg.LinearOperator`` (e.g. a factorised inverse, for
        shift-invert) is applied on the host as it is.
    k : int
        Number of pairs (block size), ``1 <= k <= n // 3`` (the basis has 3 k
        columns; use ``numpy.linalg.eigh`` for smaller problems).
    key : PRNG key
        Draws the starting block.
    n_iter : int
        Iteration cap, default 200 (SciPy's ``lobpcg`` caps at 20).
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
    matmat, size, dtype = host_symmetric(A, where, n)
    k = _checks.check_rank(k, "k", where, upper=size // 3, upper_name="n // 3")
    n_iter = _checks.check_int(n_iter, "n_iter", where, min_val=1)
    tol = _checks.check_tol(tol, dtype, where)
    precond = None
    if preconditioner is not None:
        _check_preconditioner(preconditioner, size, k, dtype, where)
        precond = _callable_matmat(preconditioner, dtype)
    _, rng = host_start(key, size, dtype)
    X0 = rng.standard_normal((size, k)).astype(dtype)
    with one_blas_thread():  # thin blocks: memory bound, threads only contend
        out = host_lobpcg(matmat, X0, which=which, tol=tol, n_iter=n_iter, precond=precond)
    X = out.X * host_signs(out.X)[None, :]
    AX = out.AX * host_signs(out.X)[None, :]
    res = np.linalg.norm(AX - X * out.theta[None, :], axis=0)
    scale = max(float(np.max(np.abs(out.theta))), float(np.finfo(dtype).tiny))
    conv = res <= tol * scale
    if not conv.all():
        _checks.warn_unconverged(where, tol=tol, reached=float(np.max(res)) / scale,
                                 what="relative residual", n_iter=out.n_iter,
                                 hint="Raise n_iter or pass a preconditioner.")
    return EighResult(jnp.asarray(out.theta), jnp.asarray(X), jnp.asarray(res),
                      jnp.asarray(out.n_iter, dtype=jnp.int32), jnp.asarray(conv))


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
