"""Symmetric Lanczos with full reorthogonalisation, and its convergence theory.

After m steps from a unit vector q_1, Lanczos builds an orthonormal basis
Q = [q_1, ..., q_m] of the Krylov space K_m(A, q_1) and a tridiagonal
T = Q^T A Q with diagonal ``alpha`` and off-diagonal ``beta``:

    A Q = Q T + beta_m q_{m+1} e_m^T.

Ritz values (eigenvalues of T) approximate the extreme eigenvalues of A; the
Kaniel–Paige bound (:func:`kaniel_paige_bound`) says how fast.
"""

from __future__ import annotations

import functools
from typing import Any, Literal, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import scipy.sparse.linalg as spla
from jax import lax

from .. import _checks
from .._operators import as_operator
from ._common import WHICH, EighResult, safe_normalize
from ._host import (
    HostLanczos,
    fast_sparse,
    host_matmat,
    host_signs,
    host_start,
    one_blas_thread,
    thick_restart_lanczos,
)

__all__ = [
    "LanczosDecomposition",
    "kaniel_paige_bound",
    "lanczos",
    "lanczos_decomposition",
    "ritz_value_history",
]


class LanczosDecomposition(NamedTuple):
    """An m-step Lanczos decomposition ``A Q ~= Q T``.

    Attributes
    ----------
    Q : array of shape (n, m)
        Orthonormal Lanczos vectors; ``Q[:, 0]`` is the (random) start vector.
    alpha : array of shape (m,)
        Diagonal of T.
    beta : array of shape (m - 1,)
        Off-diagonal of T (zero where an invariant subspace was found and the
        process restarted with a fresh random vector orthogonal to Q).
    """

    Q: jax.Array
    alpha: jax.Array
    beta: jax.Array


def _lanczos_steps(apply, data, key, n: int, m: int, reorth: str, dtype):
    """Run m Lanczos steps; return Qt (m + 1, n), alpha (m,), beta (m,)."""
    k_start, k_fresh = jax.random.split(key)
    eps = jnp.finfo(dtype).eps
    q0, _ = safe_normalize(jax.random.normal(k_start, (n,), dtype))
    Qt = jnp.zeros((m + 1, n), dtype).at[0].set(q0)

    def project_out(Qt, w):
        # Two passes of classical Gram–Schmidt ("twice is enough").
        w = w - Qt.T @ (Qt @ w)
        return w - Qt.T @ (Qt @ w)

    def body(j, state):
        Qt, alpha, beta, anorm = state
        q = Qt[j]
        w = apply(data, q[:, None])[:, 0]
        a = q @ w
        b_prev = jnp.where(j > 0, beta[jnp.maximum(j - 1, 0)], 0.0)
        w = w - a * q - b_prev * Qt[jnp.maximum(j - 1, 0)]
        if reorth == "full":
            w = project_out(Qt, w)
        b = jnp.linalg.norm(w)
        anorm = jnp.maximum(anorm, jnp.abs(a) + b_prev + b)
        breakdown = b <= 100 * eps * anorm

        def fresh(_):
            # Invariant subspace found: continue with a random unit vector
            # orthogonal to the basis (beta_j = 0 keeps A Q = Q T exact).
            r = jax.random.normal(jax.random.fold_in(k_fresh, j), (n,), dtype)
            return safe_normalize(project_out(Qt, r))[0]

        def regular(_):
            return w / jnp.where(b > 0, b, 1.0)

        q_next = lax.cond(breakdown, fresh, regular, None)
        b = jnp.where(breakdown, 0.0, b)
        return Qt.at[j + 1].set(q_next), alpha.at[j].set(a), beta.at[j].set(b), anorm

    init = (Qt, jnp.zeros(m, dtype), jnp.zeros(m, dtype), jnp.zeros((), dtype))
    Qt, alpha, beta, _ = lax.fori_loop(0, m, body, init)
    return Qt, alpha, beta


def _tridiag(alpha: jax.Array, beta: jax.Array) -> jax.Array:
    return jnp.diag(alpha) + jnp.diag(beta, 1) + jnp.diag(beta, -1)


@functools.partial(jax.jit, static_argnames=("apply", "n", "m", "reorth", "dtype"))
def _decomposition_impl(data, key, *, apply, n, m, reorth, dtype):
    Qt, alpha, beta = _lanczos_steps(apply, data, key, n, m, reorth, dtype)
    return LanczosDecomposition(Qt[:m].T, alpha, beta[: m - 1])


def lanczos_decomposition(A: Any, n_steps: int, *, key: jax.Array, n: int | None = None,
                          reorth: Literal["full", "none"] = "full") -> LanczosDecomposition:
    """Run ``n_steps`` steps of symmetric Lanczos from a random start vector.

    Builds Q (n, m) with orthonormal columns and the tridiagonal
    T = tridiag(beta, alpha, beta) = Q^T A Q, m = ``n_steps``. With
    ``reorth="full"`` each new vector is orthogonalised against all stored
    ones by two passes of classical Gram–Schmidt, so Q stays orthonormal to
    working precision; ``"none"`` gives the plain three-term recurrence
    (cheaper, loses orthogonality once Ritz values converge, and shows
    spurious "ghost" copies of converged eigenvalues).

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, or callable
        Symmetric operator; a callable maps X (n, b) to A @ X and needs ``n``.
    n_steps : int
        Number of steps m, ``1 <= m <= n``.
    key : PRNG key
        Draws the start vector ``Q[:, 0]`` (and restart vectors on breakdown).
    n : int, optional
        Size of the operator; required for a callable.
    reorth : {"full", "none"}
        Reorthogonalisation strategy.

    Returns
    -------
    LanczosDecomposition
        ``Q`` of shape (n, m), ``alpha`` of shape (m,), ``beta`` of shape (m - 1,).

    Raises
    ------
    TypeError
        ``A`` of the wrong kind or dtype, callable without ``n``, bad ``key``.
    ValueError
        ``A`` not square, not symmetric or not finite; ``n_steps`` out of
        range; bad ``reorth``.

    References
    ----------
    * Lanczos, C. (1950). An iteration method for the solution of the
      eigenvalue problem of linear differential and integral operators.
    * Parlett, B. N. (1998). The Symmetric Eigenvalue Problem, ch. 13.

    See Also
    --------
    lanczos : Ritz pairs from this decomposition.
    scipy.sparse.linalg.eigsh : ARPACK's implicitly restarted Lanczos.
    """
    where = "eigen.lanczos_decomposition"
    key = _checks.check_key(key, "key", where)
    _checks.check_choice(reorth, "reorth", where, ("full", "none"))
    op = as_operator(A, "A", where, n=n)
    m = _checks.check_int(n_steps, "n_steps", where, min_val=1, max_val=op.n)
    return _decomposition_impl(op.data, key, apply=op.apply, n=op.n, m=m, reorth=reorth,
                               dtype=op.dtype)


def lanczos(A: Any, k: int, *, key: jax.Array, n_steps: int | None = None,
            which: Literal["largest", "smallest"] = "largest",
            tol: float | None = None, max_restarts: int = 1000,
            n: int | None = None) -> EighResult:
    """k extreme eigenpairs of a symmetric operator by thick-restart Lanczos.

    Builds a Lanczos basis of m = ``n_steps`` vectors with full
    reorthogonalisation, solves the small problem T s = theta s, and, until
    every wanted Ritz pair meets the tolerance, restarts from the
    ``k + (m - k) // 2`` Ritz vectors nearest the wanted end plus the residual
    vector (thick restart, Wu & Simon 2000; mathematically the same subspaces
    as ARPACK's implicit restart and Stewart's Krylov–Schur). The products
    with A, the reorthogonalisation (BLAS) and the small eigenproblems
    (LAPACK) run on the host, so a scipy.sparse A is multiplied by SciPy's
    CSR kernel; a callable is jitted once and called once per step.

    Convergence is tested against the norm of A (``||A||``-relative):
    pair i is converged when ``||A v_i - theta_i v_i||_2 <= tol * ||A||_2``,
    with ``||A||_2`` estimated by the largest absolute Ritz value seen. Eigenvalue
    errors are then at most ``tol * ||A||`` (and ``(tol ||A||)^2 / gap`` for
    isolated eigenvalues). When ``max_restarts`` run out first, the result
    has ``converged`` false where the residual is too large and a
    :class:`eigenbook.ConvergenceWarning` names the worst residual.

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, LinearOperator or callable
        Symmetric operator; a callable maps X (n, b) to A @ X and needs ``n``; a
        ``scipy.sparse.linalg.LinearOperator`` (e.g. a factorised inverse, for
        shift-invert) is applied on the host as it is.
    k : int
        Number of eigenpairs, ``1 <= k <= n``.
    key : PRNG key
        Draws the start vector (and fresh vectors on breakdown).
    n_steps : int, optional
        Basis size m per cycle (ARPACK's ``ncv``), ``k < m <= n`` (or
        ``m = k = n``). Default ``min(n, max(2 k + 1, 20))``, ARPACK's default.
    which : {"largest", "smallest"}
        Which end of the spectrum (algebraically). For the smallest
        eigenvalues of a PSD matrix with bound ``c >= lambda_max``, running
        ``"largest"`` on ``c I - A`` converges faster.
    tol : float, optional
        Relative residual tolerance, default sqrt(eps) of the dtype
        (1.5e-8 in float64).
    max_restarts : int
        Cap on restarts, default 1000.
    n : int, optional
        Size of the operator; required for a callable.

    Returns
    -------
    EighResult
        ``eigenvalues`` (k,), ``eigenvectors`` (n, k), ``residual_norms`` (k,)
        computed explicitly as ``||A v - theta v||``, ``n_steps`` = number of
        products with A, ``converged`` (k,): residual <= tol ||A||.

    Warns
    -----
    eigenbook.ConvergenceWarning
        When ``max_restarts`` restarts did not bring every residual below tol.

    Raises
    ------
    TypeError
        ``A`` of the wrong kind or dtype, callable without ``n``, bad ``key``,
        non-integer ``k``.
    ValueError
        ``A`` not square, not symmetric or not finite; ``k``, ``n_steps``,
        ``tol`` or ``max_restarts`` out of range; bad ``which``.

    Notes
    -----
    A single start vector spans a Krylov space with one direction per distinct
    eigenvalue, so a multiple eigenvalue is returned once (ARPACK finds the copies
    only through rounding); use :func:`lobpcg` (a block method) when multiplicities
    matter.

    References
    ----------
    * Wu, K. & Simon, H. (2000). Thick-restart Lanczos method for large
      symmetric eigenvalue problems. SIAM J. Matrix Anal. Appl. 22(2).
    * Stewart, G. W. (2001). A Krylov–Schur algorithm for large
      eigenproblems. SIAM J. Matrix Anal. Appl. 23(3).
    * Saad, Y. (2011). Numerical Methods for Large Eigenvalue Problems,
      2nd ed., SIAM, ch. 6.

    See Also
    --------
    scipy.sparse.linalg.eigsh : ARPACK (implicitly restarted Lanczos).
    lobpcg : block method, better for many pairs or with a preconditioner.
    Explained in chapter 01_eigensolvers.
    """
    where = "eigen.lanczos"
    key = _checks.check_key(key, "key", where)
    _checks.check_choice(which, "which", where, WHICH)
    matmat, size, dtype = host_symmetric(A, where, n)
    k = _checks.check_rank(k, "k", where, upper=size)
    if n_steps is None:
        m = min(size, max(2 * k + 1, 20))
    else:
        m = _checks.check_int(n_steps, "n_steps", where, min_val=min(k + 1, size),
                              max_val=size,
                              hint="n_steps must be more than k and at most n.")
    tol = _checks.check_tol(tol, dtype, where)
    max_restarts = _checks.check_int(max_restarts, "max_restarts", where, min_val=0)
    v0, rng = host_start(key, size, dtype)
    with one_blas_thread():
        out = thick_restart_lanczos(matmat, size, k, which=which, m=m, tol=tol,
                                    max_restarts=max_restarts, v0=v0, rng=rng, dtype=dtype)
        return host_result(matmat, out, tol, where,
                           hint="Raise max_restarts or n_steps.")


def host_symmetric(A: Any, where: str, n: Any) -> tuple[Any, int, np.dtype]:
    """Validate a symmetric operator for a host solver: ``(matmat, n, dtype)``.

    A ``scipy.sparse.linalg.LinearOperator`` is applied as it is, on the host (its
    symmetry is the caller's promise, as for a callable): a factorised inverse
    (``splu(A - sigma I).solve``) is the usual one, for shift-invert.
    """
    if isinstance(A, spla.LinearOperator):
        return _host_linear_operator(A, where, n)
    M = fast_sparse(A, symmetric=True, n=n)
    if M is not None:
        return (lambda X: M @ X), int(M.shape[0]), np.dtype(M.dtype)
    op = as_operator(A, "A", where, n=n)
    dtype = np.dtype(op.dtype)
    return host_matmat(A, op.data, dtype), op.n, dtype


def _host_linear_operator(A: spla.LinearOperator, where: str,
                          n: Any) -> tuple[Any, int, np.dtype]:
    rows, cols = A.shape
    if rows != cols or rows == 0:
        raise _checks.fail(where, "A", "a square, non-empty LinearOperator", f"shape {A.shape}")
    if n is not None and n != rows:
        raise _checks.fail(where, "n", f"None or the operator's size {rows}", repr(n))
    dtype = np.dtype(A.dtype) if A.dtype is not None else np.dtype(np.float64)
    if dtype.kind != "f":
        raise _checks.fail(where, "A", "a real floating LinearOperator", f"dtype {dtype}",
                           exc=TypeError)

    def matmat(X: np.ndarray) -> np.ndarray:
        return np.asarray(A.matmat(np.asarray(X, dtype)), dtype)

    return matmat, int(rows), dtype


def host_result(matmat, out: HostLanczos, tol: float, where: str, *,
                hint: str = "") -> EighResult:
    """EighResult from a host Lanczos run: signs, explicit residuals, the warning."""
    X = out.X * host_signs(out.X)[None, :]
    R = np.asarray(matmat(X)) - X * out.theta[None, :]
    res = np.linalg.norm(R, axis=0)
    scale = max(out.anorm, float(np.finfo(X.dtype).tiny))
    conv = res <= tol * scale
    if not np.all(conv):
        _checks.warn_unconverged(where, tol=tol, reached=float(np.max(res)) / scale,
                                 what="relative residual", n_iter=out.n_matvec,
                                 hint=hint, stacklevel=4)
    return EighResult(jnp.asarray(out.theta), jnp.asarray(X), jnp.asarray(res),
                      jnp.asarray(out.n_matvec, dtype=jnp.int32), jnp.asarray(conv))


@functools.partial(jax.jit, static_argnames=("which",))
def _history_impl(alpha, beta, which):
    m = alpha.shape[0]
    T = _tridiag(alpha, beta)
    # Gershgorin: every eigenvalue of a leading block lies within `radius`,
    # so padding the trailing diagonal with -/+(radius + 1) cannot win.
    radius = jnp.max(jnp.abs(alpha)) + 2 * jnp.max(jnp.abs(beta), initial=0.0) + 1.0
    pad = -radius if which == "largest" else radius
    idx = jnp.arange(m)

    def extreme(j):
        keep = idx < j
        Tj = jnp.where(keep[:, None] & keep[None, :], T, 0.0)
        Tj = Tj + jnp.diag(jnp.where(keep, 0.0, pad))
        w = jnp.linalg.eigvalsh(Tj)
        return w[-1] if which == "largest" else w[0]

    return jax.vmap(extreme)(jnp.arange(1, m + 1))


def ritz_value_history(alpha: Any, beta: Any, *,
                       which: Literal["largest", "smallest"] = "largest") -> jax.Array:
    """The extreme Ritz value after each Lanczos step j = 1, ..., m.

    Entry j - 1 is the largest (or smallest) eigenvalue of the leading j x j
    block of T = tridiag(beta, alpha, beta).

    Parameters
    ----------
    alpha : array of shape (m,)
        Diagonal of T (``LanczosDecomposition.alpha``).
    beta : array of shape (m - 1,)
        Off-diagonal of T.
    which : {"largest", "smallest"}

    Returns
    -------
    array of shape (m,)

    Raises
    ------
    TypeError, ValueError
        Non-real or non-finite input, or ``beta`` not of length m - 1.

    See Also
    --------
    kaniel_paige_bound : a priori bound on the error of these values.
    """
    where = "eigen.ritz_value_history"
    _checks.check_choice(which, "which", where, WHICH)
    alpha = _checks.as_vector(alpha, "alpha", where)
    beta = _checks.as_vector(beta, "beta", where, size=alpha.shape[0] - 1, dtype=alpha.dtype)
    return _history_impl(alpha, beta, which)


def kaniel_paige_bound(eigenvalues: Any, j: int, tan_theta0: float) -> float:
    r"""Kaniel–Paige–Saad a priori bound on ``lambda_1 - theta_1^(j)``.

    After j Lanczos steps from q_1, with theta_0 = angle(q_1, v_1),

    .. math::

        0 \le \lambda_1 - \theta_1^{(j)} \le (\lambda_1 - \lambda_n)
        \left(\frac{\tan\theta_0}{T_{j-1}(1 + 2\gamma)}\right)^2,
        \qquad \gamma = \frac{\lambda_1 - \lambda_2}{\lambda_2 - \lambda_n},

    where T_{j-1} is the Chebyshev polynomial of degree j - 1 (evaluated as
    cosh((j - 1) arccosh x) in the log domain, so large j gives 0, not
    overflow).

    Parameters
    ----------
    eigenvalues : array of shape (n,), n >= 2
        The spectrum of A (any order).
    j : int
        Number of Lanczos steps, ``j >= 1``.
    tan_theta0 : float
        ``tan`` of the angle between the start vector and v_1, ``>= 0``.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        Non-finite or too short ``eigenvalues``, ``j < 1``, ``tan_theta0 < 0``.

    References
    ----------
    * Saad, Y. (2011). Numerical Methods for Large Eigenvalue Problems,
      2nd ed., Chapter 6.
    * Kaniel, S. (1966). Estimates for some computational techniques in
      linear algebra. Math. Comp. 20.
    * Paige, C. C. (1971). The computation of eigenvalues and
      eigenvectors of very large sparse matrices. PhD thesis, London.
    """
    where = "eigen.kaniel_paige_bound"
    lam = np.sort(np.asarray(_checks.as_vector(eigenvalues, "eigenvalues", where)))[::-1]
    if lam.shape[0] < 2:
        raise _checks.fail(where, "eigenvalues", "at least 2 eigenvalues",
                           f"{lam.shape[0]}")
    j = _checks.check_int(j, "j", where, min_val=1)
    tan_theta0 = _checks.check_scalar(tan_theta0, "tan_theta0", where, min_val=0.0)
    spread = float(lam[0] - lam[-1])
    if j == 1:
        return spread * tan_theta0**2
    lower_gap = float(lam[1] - lam[-1])
    if lower_gap == 0.0:
        return 0.0
    gamma = float(lam[0] - lam[1]) / lower_gap
    t = (j - 1) * float(np.arccosh(1.0 + 2.0 * gamma))
    log_cheb = t + float(np.log1p(np.exp(-2.0 * t))) - float(np.log(2.0))
    return spread * tan_theta0**2 * float(np.exp(-2.0 * log_cheb))
