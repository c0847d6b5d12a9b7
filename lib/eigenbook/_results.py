"""Result types shared by more than one family, and how they are finished.

* :class:`SVDResult` — returned by ``lowrank.truncated_svd``,
  ``sketch.randomized_svd`` and ``sketch.sharded_randomized_svd``; every one is
  built by :func:`svd_result`, so all of them carry explicit residuals and the
  same sign convention.
* :class:`QRResult` — every thin QR in the book (``orth.*_qr``,
  ``sketch.qr_positive``, ``sketch.sharded_tsqr``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

__all__ = ["QRResult", "SVDResult", "SignedFactors", "column_signs", "fix_column_signs",
           "fix_signs", "svd_result"]


class SVDResult(NamedTuple):
    """k singular triplets ``A ~= U diag(s) Vt``.

    Attributes
    ----------
    U : array of shape (m, k)
        Orthonormal left singular vectors; the largest-magnitude entry of each
        column is positive (the matching row of ``Vt`` carries the sign).
    s : array of shape (k,)
        Singular values, descending.
    Vt : array of shape (k, n)
        Orthonormal right singular vectors, as rows.
    residual_norms : array of shape (k,)
        :math:`(\\lVert A v_i - s_i u_i \\rVert^2 + \\lVert A^T u_i - s_i v_i \\rVert^2)^{1/2}`,
        computed explicitly.
    converged : bool array of shape (k,)
        ``residual_norms <= tol * s[0]`` (the routine's ``tol``).
    """

    U: jax.Array
    s: jax.Array
    Vt: jax.Array
    residual_norms: jax.Array
    converged: jax.Array


class QRResult(NamedTuple):
    """A thin QR factorization ``A = Q R``.

    Attributes
    ----------
    Q : array of shape (m, n)
        Orthonormal columns (up to round-off).
    R : array of shape (n, n)
        Upper triangular.
    """

    Q: jax.Array
    R: jax.Array


class SignedFactors(NamedTuple):
    """``U`` and ``Vt`` after :func:`fix_signs` (``U diag(s) Vt`` unchanged).

    Attributes
    ----------
    U : array of shape (m, k)
        Largest-magnitude entry of each column positive.
    Vt : array of shape (k, n)
        Rows flipped with the matching columns of ``U``.
    """

    U: jax.Array
    Vt: jax.Array


def column_signs(V: jax.Array) -> jax.Array:
    """The book's one sign convention: +1 or -1 per column, so that ``V * signs`` has
    the largest-magnitude entry of each column positive (ties: the first such row).

    Parameters
    ----------
    V : array of shape (n, k)

    Returns
    -------
    signs : array of shape (k,)
    """
    idx = jnp.argmax(jnp.abs(V), axis=0)
    # the entry V[idx_j, j] by a masked sum, not a gather (works on row-sharded V)
    picked = jnp.sum(jnp.where(jnp.arange(V.shape[0])[:, None] == idx[None, :], V, 0), axis=0)
    return jnp.where(picked < 0, -1.0, 1.0).astype(V.dtype)


def fix_column_signs(V: jax.Array) -> jax.Array:
    """``V`` with :func:`column_signs` applied (eigenvectors, graph Fourier bases)."""
    return V * column_signs(V)[None, :]


def fix_signs(U: jax.Array, Vt: jax.Array) -> SignedFactors:
    """Apply :func:`column_signs` of ``U`` to ``U`` and to the rows of ``Vt``
    (``U diag(s) Vt`` unchanged).

    Parameters
    ----------
    U : array of shape (m, k)
    Vt : array of shape (k, n)

    Returns
    -------
    SignedFactors
        ``(U, Vt)``, arrays of shapes (m, k) and (k, n).
    """
    sgn = column_signs(U)
    return SignedFactors(U * sgn[None, :], Vt * sgn[:, None])


def svd_result(apply: Callable[[Any, jax.Array], jax.Array],
               rapply: Callable[[Any, jax.Array], jax.Array], data: Any, U: jax.Array,
               s: jax.Array, Vt: jax.Array, tol: float | jax.Array) -> SVDResult:
    """Fix the signs of ``(U, Vt)``, compute residuals with ``A`` and finish an :class:`SVDResult`.

    Traceable (call it inside the routine's jitted implementation).

    Parameters
    ----------
    apply, rapply : callable
        ``apply(data, X) = A @ X`` and ``rapply(data, Y) = A^T @ Y`` (as in
        :class:`eigenbook._operators.RectOperator`).
    data : pytree
        The operator's data.
    U : array of shape (m, k)
    s : array of shape (k,)
    Vt : array of shape (k, n)
    tol : float
        Relative tolerance of ``converged``.

    Returns
    -------
    SVDResult
        Costs one product with ``A`` and one with ``A^T`` on k columns.
    """
    U, Vt = fix_signs(U, Vt)
    r1 = apply(data, Vt.T) - U * s[None, :]
    r2 = rapply(data, U) - Vt.T * s[None, :]
    res = jnp.sqrt(jnp.sum(r1**2, axis=0) + jnp.sum(r2**2, axis=0))
    return SVDResult(U, s, Vt, res, res <= tol * jnp.maximum(s[0], 1e-300))
