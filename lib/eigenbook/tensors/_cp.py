"""CP (canonical polyadic) decompositions of 3-tensors: CP-ALS, Khatri–Rao, the bilinear map."""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp

from .._checks import (
    as_array,
    as_matrix,
    check_int,
    check_key,
    check_rank,
    check_scalar,
    fail,
    warn_unconverged,
)


class CPDecomposition(NamedTuple):
    """Rank-R CP factors ``M ≈ Σ_r A[:, r] ⊗ B[:, r] ⊗ C[:, r]`` and the fit."""

    A: jax.Array
    B: jax.Array
    C: jax.Array
    residual: float  # Frobenius norm of M - M_R
    n_iter: int
    # from cp_decompose; a hand-built decomposition (no iteration) defaults to converged
    converged: bool = True  # the relative error changed by <= tol in the last sweep, or <= tol
    change: float = 0.0  # |e_{n-1} - e_n| of the relative error e = ||M - M_R||_F / ||M||_F


def _cp_rebuild(A, B, C):
    return jnp.einsum("ir,jr,kr->ijk", A, B, C)


def _as_tensor(M, where):
    """A real, finite, non-empty 3-tensor (integers promoted)."""
    return as_array(M, "M", where, ndim=3, rule="a 3-D array of shape (d1, d2, d3)")


def _khatri_rao(P, Q):
    return (P[:, None, :] * Q[None, :, :]).reshape(-1, P.shape[1])


def khatri_rao(P, Q) -> jax.Array:
    """Column-wise Kronecker (Khatri–Rao) product ``P ⊙ Q``.

    Column ``r`` of the result is ``kron(P[:, r], Q[:, r])``: row ``i * q + j``
    holds ``P[i, r] * Q[j, r]``. CP-ALS solves its normal equations against it.

    Parameters
    ----------
    P : array_like of shape (p, R)
    Q : array_like of shape (q, R)

    Returns
    -------
    PQ : jax.Array of shape (p * q, R)

    Raises
    ------
    ValueError
        ``P`` or ``Q`` is not 2-D, or their column counts differ.

    References
    ----------
    :cite:p:`kolda2009tensor`
    """
    where = "tensors.khatri_rao"
    P, Q = as_matrix(P, "P", where), as_matrix(Q, "Q", where)
    if Q.shape[1] != P.shape[1]:
        raise fail(where, "Q", f"a 2-D array (q, {P.shape[1]})", f"shape {tuple(Q.shape)}")
    return _khatri_rao(P, Q)


@partial(jax.jit, static_argnums=(2,))
def _als(M, init, n_iter):
    """``n_iter`` sweeps; returns the factors and the residual before the last sweep."""
    d1, d2, d3 = M.shape
    M1 = M.reshape(d1, d2 * d3)
    M2 = jnp.moveaxis(M, 1, 0).reshape(d2, d1 * d3)
    M3 = jnp.moveaxis(M, 2, 0).reshape(d3, d1 * d2)

    def solve(Mk, P, Q):
        # minimise ||Mk - X (P ⊙ Q)^T||: normal equations with Hadamard Gram
        gram = (P.T @ P) * (Q.T @ Q)
        rhs = Mk @ _khatri_rao(P, Q)
        ridge = 1e-12 * jnp.trace(gram) / gram.shape[0]
        return jnp.linalg.solve(gram + ridge * jnp.eye(gram.shape[0]), rhs.T).T

    def step(carry, _):
        A, B, C = carry
        A = solve(M1, B, C)
        B = solve(M2, A, C)
        C = solve(M3, A, B)
        return (A, B, C), None

    prev, _ = jax.lax.scan(step, init, None, length=n_iter - 1)
    (A, B, C), _ = step(prev, None)
    return A, B, C, jnp.linalg.norm(M - _cp_rebuild(*prev))


def cp_decompose(M, rank: int, *, key, n_iter: int = 300, tol: float = 1e-8,
                 init=None) -> CPDecomposition:
    """Rank-R CP decomposition of a 3-tensor by alternating least squares.

    Parameters
    ----------
    M : array_like of shape (d1, d2, d3)
        E.g. :func:`eigenbook.equivariant.coupling_tensor`.
    rank : int
        ``1 <= rank <= d1 * d2`` (rank ``d1 * d2`` is always exact).
    key : jax.Array
        PRNG key for the Gaussian initial factors.
    n_iter : int
        ALS sweeps (each solves for A, then B, then C).
    tol : float
        Convergence test (tensorly's): the relative error ``e = ‖M - M_R‖_F / ‖M‖_F``
        changed by at most ``tol`` over the last sweep, or ``e <= tol``.
    init : tuple of 3 arrays of shapes (d1, R), (d2, R), (d3, R), optional
        Initial factors (e.g. the HOSVD factors, TensorLy's ``init="svd"``); default
        Gaussian factors drawn from ``key``.

    Returns
    -------
    CPDecomposition
        Factors ``A (d1, R)``, ``B (d2, R)``, ``C (d3, R)``, the residual
        ``ε_R = ‖M - M_R‖_F``, ``n_iter``, ``converged`` and the last ``change`` of ``e``.
        When not converged, a :class:`eigenbook.ConvergenceWarning` is emitted.

    Raises
    ------
    ValueError
        ``M`` not 3-D, or ``rank``/``n_iter`` out of range.
    TypeError
        ``key`` is not a PRNG key.

    See Also
    --------
    tensorly.decomposition.parafac : the usual reference CP-ALS.

    References
    ----------
    :cite:p:`kolda2009tensor,lin2025tensor`
    """
    where = "tensors.cp_decompose"
    key = check_key(key, "key", where)
    M = _as_tensor(M, where)
    d1, d2, d3 = M.shape
    rank = check_rank(rank, "rank", where, upper=d1 * d2, upper_name="d1 * d2")
    n_iter = check_int(n_iter, "n_iter", where, min_val=1)
    tol = check_scalar(tol, "tol", where, min_val=0.0, strict_min=True)
    k1, k2, k3 = jax.random.split(key, 3)
    if init is None:
        init = tuple(jax.random.normal(k, (d, rank), dtype=M.dtype)
                     for k, d in ((k1, d1), (k2, d2), (k3, d3)))
    else:
        init = tuple(jnp.asarray(F, dtype=M.dtype) for F in init)
        if len(init) != 3 or any(F.shape != (d, rank) for F, d in zip(init, (d1, d2, d3),
                                                                        strict=False)):
            raise fail(where, "init", f"three factors of shapes ({d1}, {rank}), ({d2}, {rank}), "
                       f"({d3}, {rank})", f"shapes {[tuple(jnp.shape(F)) for F in init]}")
    A, B, C, res_prev = _als(M, init, n_iter)
    res = float(jnp.linalg.norm(M - _cp_rebuild(A, B, C)))
    norm = max(float(jnp.linalg.norm(M)), 1e-300)
    change = abs(float(res_prev) - res) / norm
    converged = change <= tol or res / norm <= tol
    if not converged:
        warn_unconverged(where, tol=tol, reached=change, n_iter=n_iter,
                         what="change of the relative error in the last sweep",
                         hint="Raise n_iter (ALS can stall in swamps), or try another key.")
    return CPDecomposition(A, B, C, res, n_iter, converged, change)


@jax.jit
def _cp_product_impl(x, y, A, B, C):
    return ((x @ A) * (y @ B)) @ C.T


def cp_product(x, y, cp: CPDecomposition) -> jax.Array:
    """Bilinear map of a CP decomposition: ``z = ((x A) ∘ (y B)) Cᵀ``, ``R(d1 + d2 + d3)`` flops.

    Parameters
    ----------
    x : array_like of shape (..., d1)
    y : array_like of shape (..., d2)
    cp : CPDecomposition

    Returns
    -------
    z : jax.Array of shape (..., d3)

    Raises
    ------
    ValueError
        Input lengths do not match the factors.

    References
    ----------
    :cite:p:`lin2025tensor`
    """
    where = "tensors.cp_product"
    if not isinstance(cp, CPDecomposition):
        raise fail(where, "cp", "a CPDecomposition (tensors.cp_decompose or cp_exact)",
                   f"{type(cp).__name__}", exc=TypeError)
    rank = cp.A.shape[1] if getattr(cp.A, "ndim", 0) == 2 else None
    if rank is None or any(getattr(F, "ndim", 0) != 2 or F.shape[1] != rank
                           for F in (cp.B, cp.C)):
        raise fail(where, "cp", "factors A (d1, R), B (d2, R), C (d3, R)",
                   f"shapes {[tuple(jnp.shape(F)) for F in (cp.A, cp.B, cp.C)]}")
    rule = "an array of shape (..., d)"
    if not isinstance(x, jax.core.Tracer):
        x = as_array(x, "x", where, rule=rule)
    if not isinstance(y, jax.core.Tracer):
        y = as_array(y, "y", where, rule=rule)
    if x.ndim < 1 or x.shape[-1] != cp.A.shape[0]:
        raise fail(where, "x", f"last axis {cp.A.shape[0]}", f"shape {tuple(x.shape)}")
    if y.ndim < 1 or y.shape[-1] != cp.B.shape[0]:
        raise fail(where, "y", f"last axis {cp.B.shape[0]}", f"shape {tuple(y.shape)}")
    return _cp_product_impl(x, y, cp.A, cp.B, cp.C)


def cp_exact(M) -> CPDecomposition:
    """The trivial exact CP decomposition of rank ``d1 d2``: one term per pair ``(i, j)``.

    Parameters
    ----------
    M : array_like of shape (d1, d2, d3)

    Returns
    -------
    CPDecomposition
        ``A (d1, d1 d2)``, ``B (d2, d1 d2)``, ``C (d3, d1 d2)``, residual 0.

    Raises
    ------
    TypeError, ValueError
        ``M`` is not a real, finite, non-empty 3-D array.
    """
    M = _as_tensor(M, "tensors.cp_exact")
    d1, d2, d3 = M.shape
    A = jnp.repeat(jnp.eye(d1), d2, axis=1)
    B = jnp.tile(jnp.eye(d2), (1, d1))
    return CPDecomposition(A, B, M.reshape(d1 * d2, d3).T, 0.0, 0, True, 0.0)
