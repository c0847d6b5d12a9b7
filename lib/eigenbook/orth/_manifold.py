"""Orthogonal parameterisations and retractions: Householder products, Cayley, QR; Procrustes."""

from __future__ import annotations

from functools import partial
from typing import Any

import jax
import jax.numpy as jnp

from eigenbook._checks import as_matrix, check_int, fail

from ._polar import _polar_svd_impl


@partial(jax.jit, static_argnames=("r",))
def _householder_impl(V, r):
    k, n = V.shape
    Q0 = jnp.eye(n, r, dtype=V.dtype)

    def body(Q, v):  # apply H(v) = I - 2 v vᵀ / vᵀv from the left, last reflector first
        u = v / jnp.linalg.norm(v)
        return Q - 2.0 * jnp.outer(u, u @ Q), None

    Q, _ = jax.lax.scan(body, Q0, V[::-1])
    return Q


def householder_orthogonal(V: Any, r: int) -> jax.Array:
    """The first ``r`` columns of a product of Householder reflections.

    :math:`Q = H(v_1)H(v_2)\\cdots H(v_k)\\,[I_r;\\ 0]` with
    :math:`H(v) = I - 2vv^\\top / v^\\top v`. Every such :math:`Q` has orthonormal
    columns exactly (up to round-off, whatever the :math:`v_i`), so an optimizer can
    move the unconstrained :math:`v_i` freely: the Householder Projector of
    :cite:t:`song2023householder`. Cost :math:`O(nkr)` (``k`` rank-one updates of an
    ``n × r`` matrix), against :math:`O(n r^2)` for a QR retraction and :math:`O(n^3)`
    for a full Cayley transform.

    Parameters
    ----------
    V : array_like of shape (k, n)
        The reflection vectors (rows), nonzero.
    r : int
        Number of columns, ``1 <= r <= n``.

    Returns
    -------
    Q : array of shape (n, r)

    Raises
    ------
    TypeError
        ``V`` is not a numeric array, or ``r`` not an int.
    ValueError
        ``V`` is not a finite matrix, has a zero row, or ``r`` is outside ``[1, n]``.

    References
    ----------
    :cite:p:`song2023householder`

    See Also
    --------
    cayley_orthogonal, qr_retraction

    Chapter :ref:`orthogonal-representations`.
    """
    where = "orth.householder_orthogonal"
    V = as_matrix(V, "V", where)
    r = check_int(r, "r", where, min_val=1, max_val=V.shape[1])
    if bool(jnp.any(jnp.linalg.norm(V, axis=1) == 0)):
        raise fail(where, "V", "nonzero reflection vectors (rows)", "a zero row")
    return _householder_impl(V, r)


@jax.jit
def _cayley_impl(W):
    A = 0.5 * (W - W.T)
    eye = jnp.eye(W.shape[0], dtype=W.dtype)
    return jnp.linalg.solve(eye - A, eye + A)


def cayley_orthogonal(W: Any) -> jax.Array:
    """Cayley transform :math:`Q = (I - A)^{-1}(I + A)` of the skew part :math:`A` of ``W``.

    :math:`A = (W - W^\\top)/2`; :math:`I - A` is always invertible (its eigenvalues
    are :math:`1 - i\\theta`), and :math:`Q` is orthogonal with no eigenvalue
    :math:`-1`. One ``n × n`` solve: :math:`O(n^3)`.

    Parameters
    ----------
    W : array_like of shape (n, n)

    Returns
    -------
    Q : array of shape (n, n)

    Raises
    ------
    TypeError
        ``W`` is not a numeric array.
    ValueError
        ``W`` is not a finite square matrix.

    References
    ----------
    :cite:p:`golub2013matrix`

    See Also
    --------
    householder_orthogonal, qr_retraction

    Chapter :ref:`orthogonal-representations`.
    """
    return _cayley_impl(as_matrix(W, "W", "orth.cayley_orthogonal", square=True))


@jax.jit
def _qr_retraction_impl(X, xi):
    Q, R = jnp.linalg.qr(X + xi)
    s = jnp.where(jnp.diagonal(R) < 0, -1.0, 1.0).astype(Q.dtype)
    return Q * s


def qr_retraction(X: Any, xi: Any) -> jax.Array:
    """QR retraction on the Stiefel manifold: the Q factor of :math:`X + \\xi`.

    The sign of each column is fixed so that :math:`R` has a positive diagonal
    (the retraction is then a smooth map). Cost :math:`O(nr^2)`.

    Parameters
    ----------
    X : array_like of shape (n, r), n >= r
        A point (orthonormal columns; not checked).
    xi : array_like of shape (n, r)
        The step.

    Returns
    -------
    Q : array of shape (n, r)

    Raises
    ------
    TypeError
        An argument is not a numeric array.
    ValueError
        Not finite matrices of the same tall shape.

    References
    ----------
    :cite:p:`absil2008optimization`

    See Also
    --------
    householder_orthogonal, cayley_orthogonal

    Chapter :ref:`orthogonal-representations`.
    """
    where = "orth.qr_retraction"
    X = as_matrix(X, "X", where)
    xi = as_matrix(xi, "xi", where)
    if X.shape[0] < X.shape[1]:
        raise fail(where, "X", "a tall matrix (n >= r)", f"shape {tuple(X.shape)}")
    if xi.shape != X.shape:
        raise fail(where, "xi", f"shape {tuple(X.shape)} (that of X)", f"shape {tuple(xi.shape)}")
    return _qr_retraction_impl(X, xi)


def procrustes(A: Any, B: Any) -> jax.Array:
    """Orthogonal Procrustes: the orthogonal :math:`R` minimising :math:`\\lVert AR - B\\rVert_F`.

    :math:`R` is the polar factor of :math:`A^\\top B` (Schönemann's solution), the
    same convention as ``scipy.linalg.orthogonal_procrustes``.

    Parameters
    ----------
    A : array_like of shape (m, n)
    B : array_like of shape (m, n)

    Returns
    -------
    R : array of shape (n, n)

    Raises
    ------
    TypeError
        An argument is not a numeric array.
    ValueError
        Not finite matrices of the same shape.

    References
    ----------
    :cite:p:`schonemann1966generalized`

    See Also
    --------
    scipy.linalg.orthogonal_procrustes

    Chapter :ref:`orthogonal-representations`.
    """
    where = "orth.procrustes"
    A = as_matrix(A, "A", where)
    B = as_matrix(B, "B", where)
    if A.shape != B.shape:
        raise fail(where, "B", f"shape {tuple(A.shape)} (that of A)", f"shape {tuple(B.shape)}")
    return _polar_svd_impl(A.T @ B)


def spectral_lmo(G: Any) -> jax.Array:
    """Linear minimisation oracle of the spectral-norm ball: the polar factor of ``G``.

    :math:`\\arg\\max_{\\lVert S\\rVert_2\\le 1}\\langle G, S\\rangle`.

    The maximiser is the polar factor :math:`UV^\\top` of :math:`G = U\\Sigma V^\\top`
    (value: the nuclear norm :math:`\\lVert G\\rVert_*`). The ball is the convex hull
    of the matrices with orthonormal columns, which is why Frank–Wolfe over it is
    a relaxation of orthogonality constraints (:func:`online_odl`).

    Parameters
    ----------
    G : array_like of shape (m, n)

    Returns
    -------
    S : array of shape (m, n)

    Raises
    ------
    TypeError
        ``G`` is not a numeric array.
    ValueError
        ``G`` is not a finite matrix.

    References
    ----------
    :cite:p:`jaggi2013revisiting`

    See Also
    --------
    polar_svd

    Chapter :ref:`orthogonal-representations`.
    """
    return _polar_svd_impl(as_matrix(G, "G", "orth.spectral_lmo"))
