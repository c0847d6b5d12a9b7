"""Power iteration, subspace (orthogonal) iteration and the Rayleigh quotient.

Power iteration x_{i+1} = A x_i / ‖A x_i‖ converges to the dominant
eigenvector v_1 (largest abs(lambda)) when abs(lambda_1) > abs(lambda_2), with

    tan angle(x_i, v_1) <= abs(lambda_2 / lambda_1)^i tan angle(x_0, v_1).
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
from jax import lax

from .. import _checks
from .._operators import as_operator
from ..display import implemented_by
from ._common import (
    EighResult,
    finish,
    orthonormalize,
    random_block,
    ritz_residuals,
    safe_normalize,
    warn_if_unconverged,
)

__all__ = ["PowerResult", "power_iteration", "rayleigh_quotient", "subspace_iteration"]


class PowerResult(NamedTuple):
    """Result of :func:`power_iteration`; histories have one entry per iterate.

    Attributes
    ----------
    eigenvalue : array of shape ()
        Rayleigh quotient of the last iterate.
    eigenvector : array of shape (n,)
        Last iterate x_{n_iter} (unit norm, largest-abs(entry) positive).
    rayleigh_history : array of shape (n_iter,)
        Entry i is the Rayleigh quotient x^T A x of iterate x_{i+1}.
    residual_history : array of shape (n_iter,)
        Entry i is ‖A x - (x^T A x) x‖ for iterate x_{i+1}.
    angle_history : array of shape (n_iter,)
        Entry i is sin angle(x_{i+1}, reference) (sign-blind), or zeros when
        no reference was given.
    converged : bool array of shape ()
        ``residual_norm <= tol * max(abs(eigenvalue), tiny)`` (the call's ``tol``).
    residual_norm : array of shape ()
        Final residual ‖A x - (x^T A x) x‖ of the returned pair (the last entry of
        ``residual_history``).
    """

    eigenvalue: jax.Array
    eigenvector: jax.Array
    rayleigh_history: jax.Array
    residual_history: jax.Array
    angle_history: jax.Array
    converged: jax.Array
    residual_norm: jax.Array


@functools.partial(jax.jit, static_argnames=("apply", "n", "n_iter", "dtype"))
def _power_impl(data, key, reference, tol, *, apply, n, n_iter, dtype):
    x0, _ = safe_normalize(jax.random.normal(key, (n,), dtype))
    matvec = lambda v: apply(data, v[:, None])[:, 0]  # noqa: E731

    def step(carry, _):
        x, y = carry  # y = A x
        x_new, _ = safe_normalize(y)
        y_new = matvec(x_new)
        rho = x_new @ y_new
        res = jnp.linalg.norm(y_new - rho * x_new)
        cos = jnp.clip(jnp.abs(x_new @ reference), 0.0, 1.0)
        sin = jnp.sqrt(jnp.maximum(1.0 - cos * cos, 0.0))
        return (x_new, y_new), (rho, res, sin)

    (x, y), (rhos, ress, sins) = lax.scan(step, (x0, matvec(x0)), None, length=n_iter)
    has_ref = jnp.any(reference != 0)
    sins = jnp.where(has_ref, sins, jnp.zeros_like(sins))
    idx = jnp.argmax(jnp.abs(x))
    x = jnp.where(x[idx] < 0, -x, x)
    scale = jnp.maximum(jnp.abs(rhos[-1]), jnp.finfo(dtype).tiny)
    return PowerResult(rhos[-1], x, rhos, ress, sins, ress[-1] <= tol * scale, ress[-1])


@implemented_by(_power_impl)
def power_iteration(A: Any, *, key: jax.Array, n_iter: int, n: int | None = None,
                    reference: Any = None, tol: float | None = None) -> PowerResult:
    """Dominant eigenpair of a symmetric operator by power iteration.

    Iterates x_{i+1} = A x_i / ||A x_i|| from a Gaussian x_0 for ``n_iter``
    steps and records, for every iterate, the Rayleigh quotient, the residual
    and (given ``reference`` = v_1) sin angle(x_i, v_1). In exact arithmetic
    tan angle(x_i, v_1) <= abs(lambda_2 / lambda_1)^i tan angle(x_0, v_1).
    It always runs ``n_iter`` steps (the histories have that length); the last
    pair is converged when ``||A x - rho x|| <= tol * abs(rho)``, and a
    :class:`eigenbook.ConvergenceWarning` says so when it is not.

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, or callable
        Symmetric operator; a callable maps X (n, b) to A @ X and needs ``n``.
    key : PRNG key
        Draws x_0.
    n_iter : int
        Number of iterations, ``>= 1``.
    n : int, optional
        Size of the operator; required for a callable.
    reference : array of shape (n,), optional
        Unit vector (e.g. the true v_1) to measure angles against. Without it
        ``angle_history`` is all zeros.
    tol : float, optional
        Relative residual tolerance of ``converged``, ``> 0``; default sqrt(eps)
        of the dtype (1.5e-8 in float64), as the other eigensolvers.

    Returns
    -------
    PowerResult
        ``eigenvalue`` (), ``eigenvector`` (n,), histories of shape (n_iter,),
        ``converged`` () and the final ``residual_norm`` ().

    Warns
    -----
    eigenbook.ConvergenceWarning
        When the last residual is above ``tol * abs(eigenvalue)`` (too few
        iterations for the gap abs(lambda_2 / lambda_1)).

    Raises
    ------
    TypeError
        ``A`` of the wrong kind or dtype, callable without ``n``, bad ``key``.
    ValueError
        ``A`` not square, not symmetric or not finite; ``n_iter < 1``;
        ``reference`` of the wrong shape or not of unit norm; ``tol <= 0``.

    References
    ----------
    * Golub, G. H. & Van Loan, C. F. (2013). Matrix Computations, 4th ed., 8.2.1.

    See Also
    --------
    scipy.sparse.linalg.eigsh : with ``k=1, which="LM"``.
    Explained in chapter 01_eigensolvers.
    """
    where = "eigen.power_iteration"
    key = _checks.check_key(key, "key", where)
    op = as_operator(A, "A", where, n=n)
    n_iter = _checks.check_int(n_iter, "n_iter", where, min_val=1)
    tol = _checks.check_tol(tol, op.dtype, where)
    if reference is None:
        ref = jnp.zeros(op.n, op.dtype)
    else:
        ref = _checks.as_vector(reference, "reference", where, size=op.n, dtype=op.dtype)
        nrm = float(jnp.linalg.norm(ref))
        if abs(nrm - 1.0) > 1e-6:
            raise _checks.fail(where, "reference", "a unit vector", f"norm {nrm:.3g}",
                               "Normalise it: reference / ||reference||.")
    res = _power_impl(op.data, key, ref, jnp.asarray(tol, op.dtype), apply=op.apply, n=op.n,
                      n_iter=n_iter, dtype=op.dtype)
    if not bool(res.converged):
        scale = max(abs(float(res.eigenvalue)), float(jnp.finfo(op.dtype).tiny))
        _checks.warn_unconverged(where, tol=tol, reached=float(res.residual_norm) / scale,
                                 what="relative residual", n_iter=n_iter,
                                 hint="Raise n_iter (the rate is abs(lambda_2 / lambda_1)).")
    return res


@functools.partial(jax.jit, static_argnames=("apply", "n", "k", "dtype"))
def _subspace_impl(data, key, n_iter, tol, *, apply, n, k, dtype):
    X = random_block(key, n, k, dtype)
    X = lax.fori_loop(0, n_iter, lambda _, X: orthonormalize(apply(data, X)), X)
    AX = apply(data, X)
    H = X.T @ AX
    # Dominant = largest |lambda|: order the Ritz pairs by magnitude first.
    w, S = jnp.linalg.eigh((H + H.T) / 2)
    order = jnp.argsort(-jnp.abs(w))
    theta, V = w[order], X @ S[:, order]
    return finish(apply, data, theta, V, n_iter, tol)


def subspace_iteration(A: Any, k: int, *, key: jax.Array, n_iter: int,
                       n: int | None = None, tol: float | None = None) -> EighResult:
    """k dominant eigenpairs by subspace (orthogonal) iteration.

    X_{i+1} = qr(A X_i) from a random orthonormal X_0 of shape (n, k),
    followed by one Rayleigh–Ritz step. Converges to the k eigenvalues of
    largest magnitude at rate abs(lambda_{k+1} / lambda_k) per iteration.
    It always runs ``n_iter`` steps; a :class:`eigenbook.ConvergenceWarning`
    says when some pair is then not converged.

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, or callable
        Symmetric operator; a callable maps X (n, b) to A @ X and needs ``n``.
    k : int
        Block size / number of pairs, ``1 <= k <= n``.
    key : PRNG key
        Draws X_0.
    n_iter : int
        Number of iterations, ``>= 1``.
    n : int, optional
        Size of the operator; required for a callable.
    tol : float, optional
        Relative residual tolerance of ``converged``, ``> 0``; default sqrt(eps)
        of the dtype (1.5e-8 in float64).

    Returns
    -------
    EighResult
        ``eigenvalues`` (k,) sorted by decreasing magnitude, ``eigenvectors``
        (n, k), ``residual_norms`` (k,), ``n_steps`` = n_iter, ``converged``
        (k,): residual <= tol maxabs(theta).

    Warns
    -----
    eigenbook.ConvergenceWarning
        When some pair's residual is above ``tol * max|theta|`` after ``n_iter``
        iterations.

    Raises
    ------
    TypeError
        ``A`` of the wrong kind or dtype, callable without ``n``, bad ``key``.
    ValueError
        ``A`` not square, not symmetric or not finite; ``k``, ``n_iter`` or
        ``tol`` out of range.

    References
    ----------
    * Saad, Y. (2011). Numerical Methods for Large Eigenvalue Problems,
      2nd ed., 5.2.

    See Also
    --------
    chebyshev_filtered_subspace_iteration : the same with a polynomial filter.
    scipy.sparse.linalg.eigsh : with ``which="LM"``.
    """
    where = "eigen.subspace_iteration"
    key = _checks.check_key(key, "key", where)
    op = as_operator(A, "A", where, n=n)
    k = _checks.check_rank(k, "k", where, upper=op.n)
    n_iter = _checks.check_int(n_iter, "n_iter", where, min_val=1)
    tol = _checks.check_tol(tol, op.dtype, where)
    res = _subspace_impl(op.data, key, jnp.asarray(n_iter), jnp.asarray(tol, op.dtype),
                         apply=op.apply, n=op.n, k=k, dtype=op.dtype)
    warn_if_unconverged(res, tol, where, hint="Raise n_iter (the rate is "
                        "abs(lambda_{k+1} / lambda_k)).")
    return res


def rayleigh_quotient(A: Any, x: Any) -> jax.Array:
    """The Rayleigh quotient x^T A x / x^T x.

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, or callable
        Symmetric operator; a callable maps X (n, b) to A @ X (n is taken
        from ``x``).
    x : array of shape (n,)
        Non-zero vector.

    Returns
    -------
    array of shape ()

    Raises
    ------
    TypeError, ValueError
        Invalid ``A`` (see :func:`lanczos`), ``x`` of the wrong shape, zero
        or not finite.
    """
    where = "eigen.rayleigh_quotient"
    x = _checks.as_vector(x, "x", where)
    is_fn = callable(A) and not hasattr(A, "shape")
    op = as_operator(A, "A", where, n=x.shape[0] if is_fn else None)
    x = _checks.as_vector(x, "x", where, size=op.n, dtype=op.dtype)
    if not bool(jnp.any(x != 0)):
        raise _checks.fail(where, "x", "a non-zero vector", "x = 0")
    return _rq_impl(op.data, x, apply=op.apply)


@functools.partial(jax.jit, static_argnames=("apply",))
def _rq_impl(data, x, *, apply):
    return x @ apply(data, x[:, None])[:, 0] / (x @ x)


def residual_norms(A: Any, eigenvalues: Any, eigenvectors: Any, *,
                   n: int | None = None) -> jax.Array:
    """Residual norms ``||A v_i - lambda_i v_i||_2`` of approximate eigenpairs.

    The common yardstick for comparing solvers (this library's and SciPy's)
    on the same operator.

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, or callable
        Symmetric operator; a callable maps X (n, b) to A @ X and needs ``n``.
    eigenvalues : array of shape (k,)
    eigenvectors : array of shape (n, k)
        Column i pairs with ``eigenvalues[i]``.
    n : int, optional
        Size of the operator; required for a callable.

    Returns
    -------
    array of shape (k,)

    Raises
    ------
    TypeError, ValueError
        Bad operator, or shapes that do not match (k,) and (n, k).
    """
    where = "eigen.residual_norms"
    op = as_operator(A, "A", where, n=n)
    V = _checks.as_matrix(eigenvectors, "eigenvectors", where)
    if V.shape[0] != op.n:
        raise _checks.fail(where, "eigenvectors", f"shape (n, k) with n = {op.n}",
                           f"shape {tuple(V.shape)}")
    w = _checks.as_vector(eigenvalues, "eigenvalues", where, size=V.shape[1])
    return ritz_residuals(op.apply, op.data, V.astype(op.dtype), w.astype(op.dtype))
