"""Chebyshev-filtered subspace iteration (Zhou & Saad 2007).

A degree-d Chebyshev polynomial p mapped onto the unwanted interval [a, b]
stays bounded by 1 there and grows fast outside it. Subspace iteration with
p(A) instead of A therefore damps the unwanted eigenvalues and amplifies the
wanted end: the rate per outer iteration is abs(p(lambda_{k+1}) / p(lambda_k))
instead of abs(lambda_{k+1} / lambda_k).
"""

from __future__ import annotations

import functools
from typing import Any, Literal

import jax
import jax.numpy as jnp
from jax import lax

from .. import _checks
from .._operators import as_operator
from ._common import (
    WHICH,
    EighResult,
    finish,
    orthonormalize,
    random_block,
    rayleigh_ritz,
    safe_normalize,
    warn_if_unconverged,
)
from ._lanczos import _lanczos_steps, _tridiag

__all__ = ["chebyshev_filtered_subspace_iteration"]


def _estimate_bounds(apply, data, key, n, k, which, dtype):
    """Unwanted interval [a, b] from a short Lanczos run.

    The far end uses the Ritz value plus the residual norm beta_m (a safe
    enclosure of the spectrum); the cut sits half-way between the k-th and
    (k+1)-th Ritz values, which lies inside the gap lambda_k > cut by
    interlacing (theta_i <= lambda_i).
    """
    m = min(n, max(2 * k + 10, 30))
    Qt, alpha, beta = _lanczos_steps(apply, data, key, n, m, "full", dtype)
    theta = jnp.linalg.eigvalsh(_tridiag(alpha, beta[: m - 1]))
    slack = jnp.abs(beta[m - 1])
    if which == "largest":
        a = theta[0] - slack
        b = (theta[m - k] + theta[m - k - 1]) / 2
    else:
        a = (theta[k - 1] + theta[k]) / 2
        b = theta[-1] + slack
    return a, b


@functools.partial(jax.jit, static_argnames=("apply", "n", "k", "which", "estimate", "dtype"))
def _chebyshev_impl(data, key, bounds, degree, n_iter, tol, *, apply, n, k, which, estimate,
                    dtype):
    k_start, k_bounds = jax.random.split(key)
    if estimate:
        a, b = _estimate_bounds(apply, data, k_bounds, n, k, which, dtype)
    else:
        a, b = bounds[0], bounds[1]
    c = (a + b) / 2
    half = (b - a) / 2
    half = jnp.maximum(half, jnp.finfo(dtype).eps * jnp.maximum(jnp.abs(c), 1.0))
    L = lambda Y: (apply(data, Y) - c * Y) / half  # noqa: E731  maps [a, b] to [-1, 1]

    def cheb_filter(X):
        # T_{i+1} = 2 L T_i - T_{i-1}; after each step rescale both terms by
        # the same column norms (the recurrence is linear), so no overflow.
        def step(_, pair):
            Y_prev, Y = pair
            Y_next, s = safe_normalize(2 * L(Y) - Y_prev, axis=0)
            return Y / jnp.where(s > 0, s, 1.0)[None, :], Y_next

        return lax.fori_loop(1, degree, step, (X, L(X)))[1]

    X = random_block(k_start, n, k, dtype)
    X = lax.fori_loop(0, n_iter, lambda _, X: orthonormalize(cheb_filter(X)), X)
    theta, V, _ = rayleigh_ritz(apply, data, X, k, which)
    return finish(apply, data, theta, V, n_iter, tol)


def chebyshev_filtered_subspace_iteration(
        A: Any, k: int, *, key: jax.Array, degree: int, n_iter: int,
        bounds: tuple[float, float] | None = None,
        which: Literal["largest", "smallest"] = "largest",
        n: int | None = None, tol: float | None = None) -> EighResult:
    """k extreme eigenpairs by Chebyshev-filtered subspace iteration.

    Iterates X <- qr(T_d(L(A)) X), L(t) = (t - c) / e, c = (a + b) / 2,
    e = (b - a) / 2, for ``n_iter`` outer steps, then one Rayleigh–Ritz
    step. [a, b] is the unwanted part of the spectrum: below the wanted
    eigenvalues for ``which="largest"``, above them for ``"smallest"``.
    It always runs ``n_iter`` outer steps; a :class:`eigenbook.ConvergenceWarning`
    says when some pair is then not converged.

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, or callable
        Symmetric operator; a callable maps X (n, b) to A @ X and needs ``n``.
    k : int
        Number of pairs, ``1 <= k <= n - 1``.
    key : PRNG key
        Draws the starting block (and the Lanczos start vector).
    degree : int
        Polynomial degree d >= 1 (d matrix products per outer iteration).
    n_iter : int
        Outer iterations, ``>= 1``.
    bounds : (float, float), optional
        The unwanted interval (a, b), a < b. Default: estimated by a short
        Lanczos run of ``min(n, max(2 k + 10, 30))`` steps
        (see :func:`lanczos_decomposition`).
    which : {"largest", "smallest"}
        Which end of the spectrum is wanted.
    n : int, optional
        Size of the operator; required for a callable.
    tol : float, optional
        Relative residual tolerance of ``converged``, ``> 0``; default sqrt(eps)
        of the dtype (1.5e-8 in float64).

    Returns
    -------
    EighResult
        ``eigenvalues`` (k,), ``eigenvectors`` (n, k), ``residual_norms`` (k,),
        ``n_steps`` = n_iter, ``converged`` (k,): residual <= tol max|theta|.

    Warns
    -----
    eigenbook.ConvergenceWarning
        When some pair's residual is above ``tol * max|theta|`` after ``n_iter``
        outer iterations.

    Raises
    ------
    TypeError
        ``A`` of the wrong kind or dtype, callable without ``n``, bad ``key``,
        ``bounds`` not a pair of numbers.
    ValueError
        ``A`` not square, not symmetric or not finite; ``k``, ``degree``,
        ``n_iter`` or ``tol`` out of range; ``bounds`` with a >= b; bad ``which``.

    References
    ----------
    * Zhou, Y. & Saad, Y. (2007). A Chebyshev–Davidson algorithm for
      large symmetric eigenproblems. SIAM J. Matrix Anal. Appl. 29(3).
    * Saad, Y. (2011). Numerical Methods for Large Eigenvalue Problems,
      2nd ed., 7.4.

    See Also
    --------
    subspace_iteration : the unfiltered method.
    scipy.sparse.linalg.eigsh : ARPACK.
    """
    where = "eigen.chebyshev_filtered_subspace_iteration"
    key = _checks.check_key(key, "key", where)
    _checks.check_choice(which, "which", where, WHICH)
    op = as_operator(A, "A", where, n=n)
    k = _checks.check_rank(k, "k", where, upper=op.n - 1, upper_name="n - 1")
    degree = _checks.check_int(degree, "degree", where, min_val=1)
    n_iter = _checks.check_int(n_iter, "n_iter", where, min_val=1)
    tol = _checks.check_tol(tol, op.dtype, where)
    if bounds is None:
        ab = jnp.zeros(2, op.dtype)
    else:
        if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
            raise _checks.fail(where, "bounds", "a pair (a, b)", f"{bounds!r}", exc=TypeError)
        a = _checks.check_scalar(bounds[0], "bounds[0]", where)
        b = _checks.check_scalar(bounds[1], "bounds[1]", where)
        if not a < b:
            raise _checks.fail(where, "bounds", "a < b", f"bounds=({a}, {b})")
        ab = jnp.asarray([a, b], op.dtype)
    res = _chebyshev_impl(op.data, key, ab, jnp.asarray(degree), jnp.asarray(n_iter),
                          jnp.asarray(tol, op.dtype), apply=op.apply, n=op.n, k=k,
                          which=which, estimate=bounds is None, dtype=op.dtype)
    warn_if_unconverged(res, tol, where, hint="Raise degree or n_iter, or check bounds.")
    return res
