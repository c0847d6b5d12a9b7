"""CP (canonical polyadic) decompositions of 3-tensors: CP-ALS, Khatri–Rao, the bilinear map."""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp

from .._checks import check_int, check_key, check_rank, fail


class CPDecomposition(NamedTuple):
    """Rank-R CP factors ``M ≈ Σ_r A[:, r] ⊗ B[:, r] ⊗ C[:, r]`` and the fit."""

    A: jax.Array
    B: jax.Array
    C: jax.Array
    residual: float  # Frobenius norm of M - M_R
    n_iter: int


def _cp_rebuild(A, B, C):
    return jnp.einsum("ir,jr,kr->ijk", A, B, C)


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
    P, Q = jnp.asarray(P), jnp.asarray(Q)
    if P.ndim != 2:
        raise fail(where, "P", "a 2-D array (p, R)", f"shape {tuple(P.shape)}")
    if Q.ndim != 2 or Q.shape[1] != P.shape[1]:
        raise fail(where, "Q", f"a 2-D array (q, {P.shape[1]})", f"shape {tuple(Q.shape)}")
    return _khatri_rao(P, Q)


@partial(jax.jit, static_argnums=(2,))
def _als(M, init, n_iter):
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

    (A, B, C), _ = jax.lax.scan(step, init, None, length=n_iter)
    return A, B, C


def cp_decompose(M, rank: int, *, key, n_iter: int = 300, init=None) -> CPDecomposition:
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
    init : tuple of 3 arrays of shapes (d1, R), (d2, R), (d3, R), optional
        Initial factors (e.g. the HOSVD factors, TensorLy's ``init="svd"``); default
        Gaussian factors drawn from ``key``.

    Returns
    -------
    CPDecomposition
        Factors ``A (d1, R)``, ``B (d2, R)``, ``C (d3, R)``, the residual
        ``ε_R = ‖M - M_R‖_F`` and ``n_iter``.

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
    M = jnp.asarray(M)
    if M.ndim != 3:
        raise fail(where, "M", "a 3-D array (d1, d2, d3)", f"shape {tuple(M.shape)}")
    d1, d2, d3 = M.shape
    rank = check_rank(rank, "rank", where, upper=d1 * d2, upper_name="d1 * d2")
    n_iter = check_int(n_iter, "n_iter", where, min_val=1)
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
    A, B, C = _als(M, init, n_iter)
    res = float(jnp.linalg.norm(M - _cp_rebuild(A, B, C)))
    return CPDecomposition(A, B, C, res, n_iter)


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
    x, y = jnp.asarray(x), jnp.asarray(y)
    if x.shape[-1] != cp.A.shape[0]:
        raise fail(where, "x", f"last axis {cp.A.shape[0]}", f"shape {tuple(x.shape)}")
    if y.shape[-1] != cp.B.shape[0]:
        raise fail(where, "y", f"last axis {cp.B.shape[0]}", f"shape {tuple(y.shape)}")
    return _cp_product_impl(x, y, cp.A, cp.B, cp.C)


def cp_exact(M) -> CPDecomposition:
    """The trivial exact CP decomposition of rank ``d1 d2``: one term per pair ``(i, j)``."""
    M = jnp.asarray(M)
    d1, d2, d3 = M.shape
    A = jnp.repeat(jnp.eye(d1), d2, axis=1)
    B = jnp.tile(jnp.eye(d2), (1, d1))
    return CPDecomposition(A, B, M.reshape(d1 * d2, d3).T, 0.0, 0)
