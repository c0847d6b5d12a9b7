"""QR factorizations: Gram–Schmidt, Householder, CholeskyQR2, and the loss of orthogonality."""

from __future__ import annotations

from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from eigenbook._checks import (
    check_choice,
    fail,
)

from ..display import implemented_by
from ._common import QRResult, _tall


@partial(jax.jit, static_argnames="method")
def _gs_impl(A: jax.Array, method: str) -> tuple[jax.Array, jax.Array]:
    m, n = A.shape
    cols = jnp.arange(n)

    if method == "mgs":
        # right-looking MGS: once q_j is known, remove it from every later column
        def body(j, carry):
            V, R = carry
            rjj = jnp.linalg.norm(V[:, j])
            q = V[:, j] / rjj
            r = jnp.where(cols > j, q @ V, 0.0)
            V = V - jnp.outer(q, r)
            V = V.at[:, j].set(q)
            R = R.at[j].set(r.at[j].set(rjj))
            return V, R

        Q, R = jax.lax.fori_loop(0, n, body, (A, jnp.zeros((n, n), A.dtype)))
        return Q, R

    passes = 2 if method == "cgs2" else 1

    def body(j, carry):
        Q, R = carry
        v = A[:, j]
        rcol = jnp.zeros(n, A.dtype)
        for _ in range(passes):  # Q's columns >= j are still zero
            r = Q.T @ v
            v = v - Q @ r
            rcol = rcol + r
        rjj = jnp.linalg.norm(v)
        Q = Q.at[:, j].set(v / rjj)
        R = R.at[:, j].set(rcol.at[j].set(rjj))
        return Q, R

    return jax.lax.fori_loop(0, n, body, (jnp.zeros_like(A), jnp.zeros((n, n), A.dtype)))


@implemented_by(_gs_impl)
def gram_schmidt(A: Any, *, method: str = "mgs") -> QRResult:
    """Thin QR factorization by Gram–Schmidt.

    Parameters
    ----------
    A : array_like of shape (m, n), m >= n
        Full column rank.
    method : {"cgs", "mgs", "cgs2"}
        Classical Gram–Schmidt (all projections from the original column),
        modified Gram–Schmidt (projections removed one at a time) or classical
        Gram–Schmidt run twice per column ("twice is enough").

    Returns
    -------
    QRResult
        ``Q`` of shape (m, n) and upper triangular ``R`` of shape (n, n).
        The loss of orthogonality :math:`\\lVert I - Q^\\top Q\\rVert_2` grows like
        :math:`\\varepsilon\\kappa(A)^2` for CGS, :math:`\\varepsilon\\kappa(A)` for MGS,
        and stays at :math:`O(\\varepsilon)` for CGS2 when :math:`\\varepsilon\\kappa(A) < 1`.

    Raises
    ------
    TypeError
        ``A`` is not a numeric array.
    ValueError
        ``A`` is not a finite tall matrix, or ``method`` is unknown.

    References
    ----------
    :cite:p:`bjorck1967solving,giraud2005rounding,higham2002accuracy`

    See Also
    --------
    numpy.linalg.qr : Householder QR (LAPACK ``geqrf``).
    householder_qr, cholesky_qr2

    Chapter :ref:`orthogonalization` compares the variants.
    """
    where = "orth.gram_schmidt"
    check_choice(method, "method", where, ("cgs", "mgs", "cgs2"))
    A = _tall(A, where)
    return QRResult(*_gs_impl(A, method))


@jax.jit
def _householder_impl(A: jax.Array) -> tuple[jax.Array, jax.Array]:
    m, n = A.shape
    rows = jnp.arange(m)

    def reduce(j, carry):
        R, V = carry
        x = jnp.where(rows >= j, R[:, j], 0.0)
        norm_x = jnp.linalg.norm(x)
        sign = jnp.where(x[j] >= 0, 1.0, -1.0)
        v = x.at[j].add(sign * norm_x)  # v = x + sign(x_j) |x| e_j avoids cancellation
        nv = jnp.linalg.norm(v)
        v = jnp.where(nv > 0, v / jnp.where(nv > 0, nv, 1.0), 0.0)
        R = R - 2.0 * jnp.outer(v, v @ R)
        return R, V.at[:, j].set(v)

    R, V = jax.lax.fori_loop(0, n, reduce, (A, jnp.zeros_like(A)))

    def build(i, Q):  # apply H_{n-1} ... H_0 in reverse to the first n columns of I
        v = V[:, n - 1 - i]
        return Q - 2.0 * jnp.outer(v, v @ Q)

    Q = jax.lax.fori_loop(0, n, build, jnp.eye(m, n, dtype=A.dtype))
    return Q, jnp.triu(R[:n])


def householder_qr(A: Any) -> QRResult:
    """Thin QR factorization by Householder reflections.

    Column ``j`` is reflected onto :math:`\\mp\\lVert x\\rVert e_j` by
    :math:`H_j = I - 2 v_j v_j^\\top`; ``Q`` is the product of the reflectors
    applied to the first ``n`` columns of the identity. Backward stable:
    :math:`\\lVert I - Q^\\top Q\\rVert_2 = O(\\varepsilon)` whatever
    :math:`\\kappa(A)`. Cost :math:`4mn^2 - 4n^3/3` flops for ``Q`` and ``R``.

    Parameters
    ----------
    A : array_like of shape (m, n), m >= n

    Returns
    -------
    QRResult
        ``Q`` of shape (m, n), ``R`` of shape (n, n) (diagonal of either sign).

    Raises
    ------
    TypeError
        ``A`` is not a numeric array.
    ValueError
        ``A`` is not a finite tall matrix.

    References
    ----------
    :cite:p:`golub2013matrix,higham2002accuracy`

    See Also
    --------
    numpy.linalg.qr : the LAPACK (blocked Householder) version.

    Chapter :ref:`orthogonalization`.
    """
    A = _tall(A, "orth.householder_qr")
    return QRResult(*_householder_impl(A))


def _cholqr_pass(X: jax.Array) -> tuple[jax.Array, jax.Array]:
    R = jnp.linalg.cholesky(X.T @ X).T  # upper: X^T X = R^T R
    Q = jax.scipy.linalg.solve_triangular(R, X.T, trans="T", lower=False).T
    return Q, R


@jax.jit
def _cholqr_impl(A: jax.Array) -> tuple[jax.Array, jax.Array]:
    return _cholqr_pass(A)


@jax.jit
def _cholqr2_impl(A: jax.Array) -> tuple[jax.Array, jax.Array]:
    Q1, R1 = _cholqr_pass(A)
    Q, R2 = _cholqr_pass(Q1)
    return Q, R2 @ R1


def cholesky_qr(A: Any) -> QRResult:
    """Thin QR by one CholeskyQR pass: :math:`A^\\top A = R^\\top R`, :math:`Q = A R^{-1}`.

    Its loss of orthogonality grows like :math:`O(\\varepsilon\\kappa^2)`; the
    second pass of :func:`cholesky_qr2` repairs it. One Gram product and one
    triangular solve.

    Parameters
    ----------
    A : array_like of shape (m, n), m >= n

    Returns
    -------
    QRResult
        NaN entries when the Gram matrix is not numerically positive definite.

    Raises
    ------
    TypeError
        ``A`` is not a numeric array.
    ValueError
        ``A`` is not a finite tall matrix.

    References
    ----------
    :cite:p:`yamamoto2015roundoff`

    See Also
    --------
    cholesky_qr2, numpy.linalg.qr

    Chapter :ref:`orthogonalization`.
    """
    A = _tall(A, "orth.cholesky_qr")
    return QRResult(*_cholqr_impl(A))


def cholesky_qr2(A: Any) -> QRResult:
    """Thin QR by CholeskyQR run twice.

    One pass forms :math:`A^\\top A = R^\\top R` (Cholesky) and
    :math:`Q = A R^{-1}`; its loss of orthogonality is :math:`O(\\varepsilon\\kappa^2)`.
    A second pass on ``Q`` repairs it to :math:`O(\\varepsilon)` provided the
    first Cholesky succeeds, roughly when :math:`\\kappa(A) \\lesssim \\varepsilon^{-1/2}`
    (about :math:`10^8` in float64); beyond that the Gram matrix is not
    numerically positive definite and the result holds NaN. Two Gram products
    and two triangular solves: matrix-matrix work only.

    Parameters
    ----------
    A : array_like of shape (m, n), m >= n

    Returns
    -------
    QRResult

    Raises
    ------
    TypeError
        ``A`` is not a numeric array.
    ValueError
        ``A`` is not a finite tall matrix.

    References
    ----------
    :cite:p:`fukaya2014choleskyqr2,yamamoto2015roundoff`

    See Also
    --------
    numpy.linalg.qr, householder_qr

    Chapter :ref:`orthogonalization`.
    """
    A = _tall(A, "orth.cholesky_qr2")
    return QRResult(*_cholqr2_impl(A))


def orthogonality_loss(Q: Any, *, ord: str = "2") -> float:
    """Loss of orthogonality :math:`\\lVert I - Q^\\top Q\\rVert` of ``Q``.

    Parameters
    ----------
    Q : array_like of shape (m, n)
        For a wide ``Q`` (m < n) the rows are measured: :math:`\\lVert I - QQ^\\top\\rVert`.
    ord : {"2", "fro"}
        Spectral or Frobenius norm.

    Returns
    -------
    float
        NaN when ``Q`` holds NaN (a failed factorization), rather than an error.

    Raises
    ------
    TypeError
        ``Q`` is not a numeric array.
    ValueError
        ``Q`` is not 2-D, or ``ord`` is unknown.

    See Also
    --------
    numpy.linalg.norm

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.orthogonality_loss"
    check_choice(ord, "ord", where, ("2", "fro"))
    Q = np.asarray(Q)
    if Q.ndim != 2 or Q.dtype.kind not in "iuf":
        exc = TypeError if Q.dtype.kind not in "iuf" else ValueError
        raise fail(where, "Q", "a real 2-D array", f"shape {Q.shape}, dtype {Q.dtype}", exc=exc)
    if Q.size == 0:
        raise fail(where, "Q", "a non-empty matrix", f"shape {Q.shape}")
    if not np.isfinite(Q).all():
        return float("nan")
    G = Q.T @ Q if Q.shape[0] >= Q.shape[1] else Q @ Q.T
    E = np.eye(G.shape[0]) - G
    return float(np.linalg.norm(E, 2 if ord == "2" else "fro"))
