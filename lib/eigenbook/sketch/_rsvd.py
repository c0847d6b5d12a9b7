"""The randomized range finder and randomized SVD."""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks
from .._operators import _apply_array
from .._results import QRResult, SVDResult, svd_result
from ..display import implemented_by


@jax.jit
def _qr_pos(A):
    Q, R = jnp.linalg.qr(A)
    sgn = jnp.where(jnp.diagonal(R) < 0, -1.0, 1.0).astype(A.dtype)
    return QRResult(Q * sgn[None, :], R * sgn[:, None])


def qr_positive(A: Any) -> QRResult:
    """Thin QR with a non-negative diagonal of ``R`` (the unique QR of a full-rank matrix).

    Parameters
    ----------
    A : array_like of shape (m, n), m >= n

    Returns
    -------
    QRResult
        ``Q`` of shape (m, n) with orthonormal columns and ``R`` of shape (n, n),
        upper triangular with ``diag(R) >= 0``.

    Raises
    ------
    TypeError, ValueError
        ``A`` not a finite numeric 2-D array.

    See Also
    --------
    numpy.linalg.qr, sharded_tsqr
    """
    return _qr_pos(_checks.as_matrix(A, "A", "sketch.qr_positive"))


@partial(jax.jit, static_argnums=(2,))
def _range_impl(A, key, size, q):
    omega = jax.random.normal(key, (A.shape[1], size), dtype=A.dtype)

    def power(_, Q):
        return _qr_pos(A @ _qr_pos(A.T @ Q)[0])[0]

    return jax.lax.fori_loop(0, q, power, _qr_pos(A @ omega)[0])


@implemented_by(_range_impl)
def randomized_range_finder(A: Any, size: int, *, key: jax.Array,
                            n_power_iter: int = 2) -> jax.Array:
    """Orthonormal basis of :math:`(A A^\\top)^q A\\Omega` for a Gaussian :math:`\\Omega`.

    Randomized subspace iteration (HMT Algorithm 4.4): each product with
    ``A`` or ``A.T`` is followed by a QR, so that round-off does not wash out
    the small singular directions.

    Parameters
    ----------
    A : array_like of shape (m, n)
    size : int
        Number of columns :math:`\\ell = k + p` of the basis, ``1 <= size <= min(m, n)``.
    key : PRNG key
        Draws :math:`\\Omega` of shape (n, size).
    n_power_iter : int
        Power iterations :math:`q \\ge 0`.

    Returns
    -------
    Q : array of shape (m, size)
        Orthonormal columns. Cost :math:`(2q + 1)` products with ``A`` or
        ``A.T`` (:math:`2 m n \\ell` flops each) plus QRs.

    Raises
    ------
    TypeError
        Bad ``A``, ``size``, ``n_power_iter`` or ``key``.
    ValueError
        ``A`` not 2-D or not finite; ``size`` or ``n_power_iter`` out of range.

    References
    ----------
    :cite:p:`halko2011finding`

    See Also
    --------
    sklearn.utils.extmath.randomized_range_finder

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    where = "sketch.randomized_range_finder"
    A = _checks.as_matrix(A, "A", where)
    key = _checks.check_key(key, "key", where)
    size = _checks.check_rank(size, "size", where, upper=min(A.shape), upper_name="min(m, n)")
    q = _checks.check_int(n_power_iter, "n_power_iter", where, min_val=0)
    return _range_impl(A, key, size, q)


@partial(jax.jit, static_argnums=(2, 3))
def _rsvd_impl(A, key, k, size, q, tol):
    Q = _range_impl(A, key, size, q)
    B = Q.T @ A
    Ub, s, Vt = jnp.linalg.svd(B, full_matrices=False)

    def rapply(_, U):
        # A^T U for U = Q Ub: equal to B^T (Q^T U), an l-column product instead of one
        # with A (the residual report then costs one product with A, not two)
        return B.T @ (Q.T @ U)

    return svd_result(_apply_array, rapply, A, Q @ Ub[:, :k], s[:k], Vt[:k], tol)


@implemented_by(_range_impl, _rsvd_impl)
def randomized_svd(A: Any, k: int, *, key: jax.Array, oversampling: int = 10,
                   n_power_iter: int = 2, tol: float | None = None) -> SVDResult:
    """Randomized truncated SVD (Halko–Martinsson–Tropp).

    Finds an orthonormal ``Q`` of size :math:`\\ell = k + p` with
    :func:`randomized_range_finder`, takes the SVD of :math:`B = Q^\\top A`
    (size :math:`\\ell \\times n`) and returns the leading ``k`` triplets.

    Parameters
    ----------
    A : array_like of shape (m, n)
    k : int
        Rank, ``1 <= k`` and ``k + oversampling <= min(m, n)``.
    key : PRNG key
        Draws the test matrix.
    oversampling : int
        Extra columns :math:`p \\ge 0`.
    n_power_iter : int
        Power iterations :math:`q \\ge 0`.
    tol : float, optional
        Relative residual below which a triplet counts as ``converged``
        (default :math:`\\sqrt{\\varepsilon}`). The method runs a fixed number
        of products; ``converged`` reports, it does not steer.

    Returns
    -------
    SVDResult
        ``U`` (m, k), ``s`` (k,), ``Vt`` (k, n), with explicit residuals and
        the sign convention of :func:`eigenbook.lowrank.truncated_svd`. Cost
        :math:`O((2q + 2)\\, m n \\ell)` flops, plus 2 products on k columns
        for the residuals.

    Raises
    ------
    TypeError
        Bad ``A``, ``k``, ``oversampling``, ``n_power_iter`` or ``key``.
    ValueError
        ``A`` not 2-D or not finite; ``k + oversampling > min(m, n)``.

    References
    ----------
    :cite:p:`halko2011finding`

    See Also
    --------
    sklearn.utils.extmath.randomized_svd

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    where = "sketch.randomized_svd"
    A = _checks.as_matrix(A, "A", where)
    key = _checks.check_key(key, "key", where)
    p = _checks.check_int(oversampling, "oversampling", where, min_val=0)
    k = _checks.check_rank(k, "k", where, upper=min(A.shape) - p,
                           upper_name="min(m, n) - oversampling")
    q = _checks.check_int(n_power_iter, "n_power_iter", where, min_val=0)
    return _rsvd_impl(A, key, k, k + p, q, _checks.check_tol(tol, A.dtype, where))


def hmt_error_bound(singular_values: Any, k: int, *, oversampling: int,
                    n_power_iter: int = 0) -> float:
    """The HMT bound on the expected spectral error of the range finder.

    For a Gaussian test matrix with :math:`\\ell = k + p` columns, :math:`p \\ge 2`,
    and :math:`q` power iterations,

    .. math::

        \\mathbb{E}\\,\\lVert A - QQ^\\top A \\rVert_2 \\le
        \\Big[\\big(1 + \\sqrt{\\tfrac{k}{p-1}}\\big)\\sigma_{k+1}^{2q+1}
        + \\tfrac{e\\sqrt{k+p}}{p}\\big(\\textstyle\\sum_{j>k}\\sigma_j^{2(2q+1)}\\big)^{1/2}
        \\Big]^{1/(2q+1)}.

    Parameters
    ----------
    singular_values : array_like of shape (r,)
        All singular values of ``A``, decreasing.
    k : int
        Target rank, ``1 <= k < r``.
    oversampling : int
        :math:`p \\ge 2`.
    n_power_iter : int
        :math:`q \\ge 0`.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        Bad values or ranges.

    References
    ----------
    :cite:p:`halko2011finding` (Thm 10.6 and Cor 10.10)

    See Also
    --------
    randomized_range_finder
    """
    where = "sketch.hmt_error_bound"
    s = np.asarray(_checks.as_vector(singular_values, "singular_values", where))
    k = _checks.check_rank(k, "k", where, upper=s.size - 1, upper_name="len(singular_values) - 1")
    p = _checks.check_int(oversampling, "oversampling", where, min_val=2)
    q = _checks.check_int(n_power_iter, "n_power_iter", where, min_val=0)
    e = 2 * q + 1
    tail = s[k:]
    val = ((1 + math.sqrt(k / (p - 1))) * tail[0] ** e
           + math.e * math.sqrt(k + p) / p * math.sqrt(float(np.sum(tail ** (2 * e)))))
    return float(val ** (1.0 / e))
