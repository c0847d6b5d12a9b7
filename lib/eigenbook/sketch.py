"""Randomized linear algebra: sketches, randomized SVD, sampling, CUR, sharding.

The engine of the chapter :ref:`randomized`. Every random routine takes an
explicit ``key`` (``jax.random.key(seed)``); computations are float64 when x64 is
enabled (accuracy is the point of the comparisons in the chapter).

Families
--------

* Sketching operators applied to a tall matrix: :func:`gaussian_sketch`,
  :func:`srht_sketch`, :func:`countsketch`, :func:`sketch` (dispatch), and the
  subspace-embedding distortion :func:`embedding_distortion`.
* Low rank: :func:`randomized_range_finder`, :func:`randomized_svd`,
  :func:`hmt_error_bound`, :func:`cur`.
* Least squares: :func:`sketch_and_solve`, :func:`sketch_precondition_lstsq`.
* Sampling: :func:`leverage_scores`, :func:`l1_sensitivities`,
  :func:`sensitivity_sampling`, :func:`lp_distortion`,
  :func:`projection_dpp_sample`, :func:`weighted_least_squares`.
* Scale-out: :func:`sharded_tsqr`, :func:`sharded_randomized_svd` over a 1-D
  :class:`jax.sharding.Mesh` with ``jax.shard_map``; :func:`qr_positive` is
  the single-device reference.
"""

from __future__ import annotations

import contextlib
import functools
import math
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from . import _checks

__all__ = [
    "SVDResult",
    "SampleResult",
    "CURResult",
    "LstsqResult",
    "gaussian_sketch",
    "srht_sketch",
    "countsketch",
    "sketch",
    "embedding_distortion",
    "qr_positive",
    "randomized_range_finder",
    "randomized_svd",
    "hmt_error_bound",
    "sketch_and_solve",
    "sketch_precondition_lstsq",
    "leverage_scores",
    "l1_sensitivities",
    "sensitivity_sampling",
    "lp_distortion",
    "cur",
    "projection_dpp_sample",
    "weighted_least_squares",
    "sharded_tsqr",
    "sharded_randomized_svd",
]

_KINDS = ("gaussian", "srht", "countsketch")


class SVDResult(NamedTuple):
    """A truncated SVD ``A ≈ U @ diag(s) @ Vt``.

    Attributes
    ----------
    U : array of shape (m, k)
        Left singular vectors (orthonormal columns).
    s : array of shape (k,)
        Singular values, decreasing.
    Vt : array of shape (k, n)
        Right singular vectors (orthonormal rows).
    """

    U: jax.Array
    s: jax.Array
    Vt: jax.Array


class SampleResult(NamedTuple):
    """Rows drawn i.i.d. with replacement and their rescaling.

    Attributes
    ----------
    indices : array of shape (m,)
        Sampled row indices.
    weights : array of shape (m,)
        Row scaling: the sampled matrix is ``weights[:, None] * A[indices]``.
    probabilities : array of shape (n,)
        The sampling distribution.
    """

    indices: jax.Array
    weights: jax.Array
    probabilities: jax.Array


class CURResult(NamedTuple):
    """A CUR approximation ``A ≈ C @ U @ R``.

    Attributes
    ----------
    C : array of shape (m, c)
        The selected columns ``A[:, cols]``.
    U : array of shape (c, r)
        ``pinv(A[rows][:, cols])``.
    R : array of shape (r, n)
        The selected rows ``A[rows, :]``.
    rows, cols : arrays of ints
        The selected indices.
    """

    C: jax.Array
    U: jax.Array
    R: jax.Array
    rows: jax.Array
    cols: jax.Array


class LstsqResult(NamedTuple):
    """Result of an iterative least-squares solve.

    Attributes
    ----------
    x : array of shape (d,)
        The solution.
    n_iter : int
        Iterations of the inner solver (LSQR).
    residual_norm : float
        :math:`\\lVert A x - b \\rVert_2`.
    """

    x: np.ndarray
    n_iter: int
    residual_norm: float


# ---------------------------------------------------------------------------
# sketching operators
# ---------------------------------------------------------------------------
def _tall(A: Any, where: str) -> jax.Array:
    return _checks.as_matrix(A, "A", where)


def _sketch_size(m: Any, where: str, n: int) -> int:
    return _checks.check_int(m, "m", where, min_val=1,
                             hint="The sketch size m must be a positive int.")


@partial(jax.jit, static_argnums=(2,))
def _gaussian_impl(A, key, m):
    G = jax.random.normal(key, (m, A.shape[0]), dtype=A.dtype)
    return (G @ A) / jnp.sqrt(jnp.asarray(m, A.dtype))


def gaussian_sketch(A: Any, m: int, *, key: jax.Array) -> jax.Array:
    """Apply a Gaussian sketch :math:`S = G / \\sqrt{m}`, :math:`G_{ij} \\sim N(0, 1)`.

    Parameters
    ----------
    A : array_like of shape (n, d)
        The matrix to sketch (rows are compressed).
    m : int
        Sketch size (rows of ``S``), ``m >= 1``.
    key : PRNG key
        Draws ``G``.

    Returns
    -------
    SA : array of shape (m, d)
        Costs :math:`O(m n d)` flops (one dense product).

    Raises
    ------
    TypeError
        ``A`` not numeric, ``m`` not an int, ``key`` not a PRNG key.
    ValueError
        ``A`` not 2-D or not finite, ``m < 1``.

    References
    ----------
    :cite:p:`woodruff2014sketching`

    See Also
    --------
    srht_sketch, countsketch : faster structured sketches.

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    where = "sketch.gaussian_sketch"
    A = _tall(A, where)
    key = _checks.check_key(key, where)
    return _gaussian_impl(A, key, _sketch_size(m, where, A.shape[0]))


def _fwht(X: jax.Array) -> jax.Array:
    """Orthonormal fast Walsh–Hadamard transform along axis 0 (length a power of 2)."""
    n, d = X.shape
    h = 1
    while h < n:
        Y = X.reshape(n // (2 * h), 2, h, d)
        X = jnp.concatenate([Y[:, :1] + Y[:, 1:], Y[:, :1] - Y[:, 1:]], axis=1).reshape(n, d)
        h *= 2
    return X / jnp.sqrt(jnp.asarray(n, X.dtype))


@jax.jit
def _srht_transform(A, key):
    """H D A (zero-padded) and a random order of its rows; independent of m (one compile)."""
    n, d = A.shape
    n2 = 1 << max(0, (n - 1).bit_length())
    k_sign, k_rows = jax.random.split(key)
    signs = jax.random.rademacher(k_sign, (n,), dtype=A.dtype)
    X = jnp.zeros((n2, d), A.dtype).at[:n].set(signs[:, None] * A)
    return _fwht(X), jax.random.permutation(k_rows, n2)


def _srht_impl(A, key, m):
    H, order = _srht_transform(A, key)
    return H[order[:m]] * jnp.sqrt(jnp.asarray(H.shape[0] / m, A.dtype))


def srht_sketch(A: Any, m: int, *, key: jax.Array) -> jax.Array:
    """Apply a subsampled randomized Hadamard transform (SRHT).

    :math:`S = \\sqrt{n'/m}\\, P H D`: random signs ``D``, the orthonormal
    Walsh–Hadamard transform ``H`` of size :math:`n' = 2^{\\lceil \\log_2 n \\rceil}`
    (``A`` is zero-padded), and ``m`` rows ``P`` drawn without replacement.

    Parameters
    ----------
    A : array_like of shape (n, d)
        The matrix to sketch.
    m : int
        Sketch size, ``1 <= m <= n'``.
    key : PRNG key
        Draws the signs and the rows.

    Returns
    -------
    SA : array of shape (m, d)
        Costs :math:`O(n' d \\log n')` flops.

    Raises
    ------
    TypeError
        ``A`` not numeric, ``m`` not an int, ``key`` not a PRNG key.
    ValueError
        ``A`` not 2-D or not finite, ``m`` out of range.

    References
    ----------
    :cite:p:`tropp2011improved,avron2010blendenpik`

    See Also
    --------
    gaussian_sketch, countsketch

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    where = "sketch.srht_sketch"
    A = _tall(A, where)
    key = _checks.check_key(key, where)
    n2 = 1 << max(0, (A.shape[0] - 1).bit_length())
    m = _checks.check_int(m, "m", where, min_val=1, max_val=n2)
    return _srht_impl(A, key, m)


def _countsketch_impl(A, key, m):
    """Hash and signs from ``key``; the product is a sparse matrix times ``A`` on the host.

    Building ``S`` as a CSR matrix keeps the cost at :math:`O(\\mathrm{nnz}(A))` and needs
    no compilation per sketch size.
    """
    import scipy.sparse as sp

    n = A.shape[0]
    k_h, k_s = jax.random.split(key)
    h = np.asarray(jax.random.randint(k_h, (n,), 0, m))
    sgn = np.asarray(jax.random.rademacher(k_s, (n,), dtype=A.dtype))
    S = sp.csr_array((sgn, (h, np.arange(n))), shape=(m, n))
    return jnp.asarray(S @ np.asarray(A))


def countsketch(A: Any, m: int, *, key: jax.Array) -> jax.Array:
    """Apply a CountSketch: each row of ``A`` is added, with a random sign, to one random bucket.

    ``S`` has one non-zero :math:`\\pm 1` per column, so ``SA`` costs
    :math:`O(\\mathrm{nnz}(A))` :cite:p:`clarkson2017low`.

    Parameters
    ----------
    A : array_like of shape (n, d)
        The matrix to sketch.
    m : int
        Number of buckets, ``m >= 1``.
    key : PRNG key
        Draws the hash and the signs.

    Returns
    -------
    SA : array of shape (m, d)

    Raises
    ------
    TypeError
        ``A`` not numeric, ``m`` not an int, ``key`` not a PRNG key.
    ValueError
        ``A`` not 2-D or not finite, ``m < 1``.

    References
    ----------
    :cite:p:`clarkson2017low`

    See Also
    --------
    scipy.linalg.clarkson_woodruff_transform : SciPy's CountSketch.

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    where = "sketch.countsketch"
    A = _tall(A, where)
    key = _checks.check_key(key, where)
    return _countsketch_impl(A, key, _sketch_size(m, where, A.shape[0]))


def sketch(A: Any, m: int, *, key: jax.Array, kind: str = "gaussian") -> jax.Array:
    """Apply a sketch of the given ``kind`` to ``A``.

    Parameters
    ----------
    A : array_like of shape (n, d)
        The matrix to sketch.
    m : int
        Sketch size.
    key : PRNG key
        Randomness of the sketch.
    kind : {"gaussian", "srht", "countsketch"}
        Which operator (:func:`gaussian_sketch`, :func:`srht_sketch`, :func:`countsketch`).

    Returns
    -------
    SA : array of shape (m, d)

    Raises
    ------
    TypeError, ValueError
        As the chosen operator; ``ValueError`` for an unknown ``kind``.

    See Also
    --------
    scipy.linalg.clarkson_woodruff_transform
    """
    _checks.check_choice(kind, "kind", "sketch.sketch", _KINDS)
    fn = {"gaussian": gaussian_sketch, "srht": srht_sketch, "countsketch": countsketch}[kind]
    return fn(A, m, key=key)


def embedding_distortion(A: Any, SA: Any) -> float:
    """Subspace-embedding distortion of a sketch on the column space of ``A``.

    The distortion is
    :math:`\\varepsilon = \\max_x \\lvert \\lVert S A x \\rVert / \\lVert A x \\rVert - 1 \\rvert`,
    computed exactly as the largest deviation from 1 of the singular values of
    :math:`S A R^{-1}`, where :math:`A = QR`.

    Parameters
    ----------
    A : array_like of shape (n, d)
        Full column rank.
    SA : array_like of shape (m, d)
        Its sketch.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        Bad arrays or mismatched column counts.

    See Also
    --------
    numpy.linalg.svd
    """
    where = "sketch.embedding_distortion"
    A = _tall(A, where)
    SA = _checks.as_matrix(SA, "SA", where)
    if SA.shape[1] != A.shape[1]:
        raise _checks.fail(where, "SA", f"{A.shape[1]} columns like A",
                           f"shape {tuple(SA.shape)}")
    import scipy.linalg as sla

    # small dense work on the host: no compilation per sketch size
    R = np.linalg.qr(np.asarray(A), mode="r")
    M = sla.solve_triangular(R, np.asarray(SA).T, trans="T").T
    sv = np.linalg.svd(M, compute_uv=False)
    return float(np.max(np.abs(sv - 1.0)))


# ---------------------------------------------------------------------------
# range finder and randomized SVD
# ---------------------------------------------------------------------------
@jax.jit
def _qr_pos(A):
    Q, R = jnp.linalg.qr(A)
    sgn = jnp.where(jnp.diagonal(R) < 0, -1.0, 1.0).astype(A.dtype)
    return Q * sgn[None, :], R * sgn[:, None]


def qr_positive(A: Any) -> tuple[jax.Array, jax.Array]:
    """Thin QR with a non-negative diagonal of ``R`` (the unique QR of a full-rank matrix).

    Parameters
    ----------
    A : array_like of shape (m, n), m >= n

    Returns
    -------
    Q : array of shape (m, n)
    R : array of shape (n, n)

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
    key = _checks.check_key(key, where)
    size = _checks.check_rank(size, "size", where, upper=min(A.shape), upper_name="min(m, n)")
    q = _checks.check_int(n_power_iter, "n_power_iter", where, min_val=0)
    return _range_impl(A, key, size, q)


@partial(jax.jit, static_argnums=(2, 3))
def _rsvd_impl(A, key, k, size, q):
    Q = _range_impl(A, key, size, q)
    B = Q.T @ A
    Ub, s, Vt = jnp.linalg.svd(B, full_matrices=False)
    return SVDResult(Q @ Ub[:, :k], s[:k], Vt[:k])


def randomized_svd(A: Any, k: int, *, key: jax.Array, oversampling: int = 10,
                   n_power_iter: int = 2) -> SVDResult:
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

    Returns
    -------
    SVDResult
        ``U`` (m, k), ``s`` (k,), ``Vt`` (k, n). Cost
        :math:`O((2q + 2)\\, m n \\ell)` flops.

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
    key = _checks.check_key(key, where)
    p = _checks.check_int(oversampling, "oversampling", where, min_val=0)
    k = _checks.check_rank(k, "k", where, upper=min(A.shape) - p,
                           upper_name="min(m, n) - oversampling")
    q = _checks.check_int(n_power_iter, "n_power_iter", where, min_val=0)
    return _rsvd_impl(A, key, k, k + p, q)


def hmt_error_bound(singular_values: Any, k: int, oversampling: int,
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


# ---------------------------------------------------------------------------
# least squares
# ---------------------------------------------------------------------------
def _lstsq_inputs(A, b, where):
    A = _tall(A, where)
    b = _checks.as_vector(b, "b", where, size=A.shape[0])
    if A.shape[0] < A.shape[1]:
        raise _checks.fail(where, "A", "a tall matrix (n >= d)", f"shape {tuple(A.shape)}")
    return A, b


def sketch_and_solve(A: Any, b: Any, m: int, *, key: jax.Array,
                     kind: str = "srht") -> jax.Array:
    """Solve the sketched problem :math:`\\min_x \\lVert S A x - S b \\rVert_2`.

    With a subspace embedding of distortion :math:`\\varepsilon` the residual is
    within a factor :math:`(1 + \\varepsilon)/(1 - \\varepsilon)` of optimal.

    Parameters
    ----------
    A : array_like of shape (n, d), n >= d
    b : array_like of shape (n,)
    m : int
        Sketch size, ``m >= d``.
    key : PRNG key
    kind : {"gaussian", "srht", "countsketch"}

    Returns
    -------
    x : ndarray of shape (d,)

    Raises
    ------
    TypeError, ValueError
        Bad inputs, ``m < d``, unknown ``kind``.

    References
    ----------
    :cite:p:`woodruff2014sketching`

    See Also
    --------
    scipy.linalg.lstsq, sketch_precondition_lstsq

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    where = "sketch.sketch_and_solve"
    A, b = _lstsq_inputs(A, b, where)
    m = _checks.check_int(m, "m", where, min_val=A.shape[1],
                          hint="The sketch needs at least d rows.")
    Ab = jnp.concatenate([A, b[:, None]], axis=1)
    SAb = np.asarray(sketch(Ab, m, key=key, kind=kind))
    return np.linalg.lstsq(SAb[:, :-1], SAb[:, -1], rcond=None)[0]  # small: on the host


def sketch_precondition_lstsq(A: Any, b: Any, *, key: jax.Array, m: int | None = None,
                              kind: str = "srht", tol: float = 1e-14,
                              max_iter: int = 200) -> LstsqResult:
    """Least squares by sketch-to-precondition (Blendenpik / LSRN style).

    Sketch :math:`SA = QR`; then :math:`AR^{-1}` has condition number at most
    :math:`(1+\\varepsilon)/(1-\\varepsilon)`, and LSQR on
    :math:`\\min_y \\lVert A R^{-1} y - b \\rVert` converges in
    :math:`O(\\log(1/\\mathrm{tol}))` iterations independently of
    :math:`\\kappa(A)`; :math:`x = R^{-1} y`.

    Parameters
    ----------
    A : array_like of shape (n, d), n >= d, full column rank
    b : array_like of shape (n,)
    key : PRNG key
    m : int, optional
        Sketch size, default ``4 d``.
    kind : {"gaussian", "srht", "countsketch"}
    tol : float
        LSQR's ``atol = btol``.
    max_iter : int
        LSQR iteration limit.

    Returns
    -------
    LstsqResult
        ``x`` (d,), LSQR iterations, residual norm.

    Raises
    ------
    TypeError, ValueError
        Bad inputs; ``m < d``.

    References
    ----------
    :cite:p:`avron2010blendenpik,meng2014lsrn`

    See Also
    --------
    scipy.linalg.lstsq, scipy.sparse.linalg.lsqr

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    import scipy.linalg as sla
    import scipy.sparse.linalg as spla

    where = "sketch.sketch_precondition_lstsq"
    A, b = _lstsq_inputs(A, b, where)
    d = A.shape[1]
    m = 4 * d if m is None else _checks.check_int(m, "m", where, min_val=d)
    tol = _checks.check_scalar(tol, "tol", where, min_val=0.0, strict_min=True)
    max_iter = _checks.check_int(max_iter, "max_iter", where, min_val=1)
    R = np.asarray(jnp.linalg.qr(sketch(A, m, key=key, kind=kind), mode="r"))
    An, bn = np.asarray(A), np.asarray(b)
    op = spla.LinearOperator(
        (An.shape[0], d), dtype=An.dtype,
        matvec=lambda y: An @ sla.solve_triangular(R, np.ravel(y)),
        rmatvec=lambda z: sla.solve_triangular(R, An.T @ np.ravel(z), trans="T"))
    out = spla.lsqr(op, bn, atol=tol, btol=tol, iter_lim=max_iter)
    x = sla.solve_triangular(R, out[0])
    return LstsqResult(x, int(out[2]), float(np.linalg.norm(An @ x - bn)))


# ---------------------------------------------------------------------------
# leverage scores, sensitivities, sampling
# ---------------------------------------------------------------------------
def leverage_scores(A: Any) -> np.ndarray:
    """Leverage scores :math:`\\ell_i = \\lVert Q_{i,:} \\rVert^2`, where :math:`A = QR`.

    They are the :math:`\\ell_2` sensitivities
    :math:`\\sup_x (a_i^\\top x)^2 / \\lVert A x \\rVert^2` and sum to
    :math:`\\mathrm{rank}(A) = d`.

    Parameters
    ----------
    A : array_like of shape (n, d), full column rank

    Returns
    -------
    ndarray of shape (n,)

    Raises
    ------
    TypeError, ValueError
        ``A`` not a finite numeric 2-D array.

    References
    ----------
    :cite:p:`drineas2012fast`

    See Also
    --------
    l1_sensitivities

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    A = _checks.as_matrix(A, "A", "sketch.leverage_scores")
    Q = np.linalg.qr(np.asarray(A))[0]  # one O(n d^2) factorisation: host LAPACK
    return np.sum(Q * Q, axis=1)


def l1_sensitivities(A: Any) -> np.ndarray:
    """Exact :math:`\\ell_1` sensitivities of the rows of ``A``.

    :math:`s_i = \\sup_x \\lvert a_i^\\top x \\rvert / \\lVert A x \\rVert_1`.

    Equivalently :math:`1 / s_i = \\min\\{\\lVert A x \\rVert_1 : a_i^\\top x = 1\\}`, one
    linear program per row (HiGHS through ``scipy.optimize.linprog``):
    variables :math:`(x, t)`, minimise :math:`\\sum t` subject to
    :math:`-t \\le A x \\le t`.

    Parameters
    ----------
    A : array_like of shape (n, d)
        Rows with :math:`a_i \\neq 0`.

    Returns
    -------
    s : ndarray of shape (n,)
        Each in :math:`(0, 1]`; their sum (the total sensitivity) is at most ``d``.
        Cost: ``n`` LPs with ``n + d`` variables.

    Raises
    ------
    TypeError, ValueError
        ``A`` not a finite numeric 2-D array, or an LP failed.

    References
    ----------
    :cite:p:`woodruff2023sharper`

    See Also
    --------
    scipy.optimize.linprog, leverage_scores

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    from scipy.optimize import linprog
    from scipy.sparse import csr_array, eye_array, hstack, vstack

    where = "sketch.l1_sensitivities"
    A = np.asarray(_checks.as_matrix(A, "A", where))
    n, d = A.shape
    c = np.concatenate([np.zeros(d), np.ones(n)])
    As, I = csr_array(A), eye_array(n, format="csr")
    A_ub = vstack([hstack([As, -I]), hstack([-As, -I])]).tocsr()
    b_ub = np.zeros(2 * n)
    bounds = [(None, None)] * d + [(0, None)] * n
    s = np.empty(n)
    for i in range(n):
        A_eq = np.concatenate([A[i], np.zeros(n)])[None, :]
        res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0], bounds=bounds,
                      method="highs")
        if res.status != 0:
            raise ValueError(f"{where}: the LP for row {i} failed ({res.message}).")
        s[i] = 1.0 / res.fun
    return s


def sensitivity_sampling(scores: Any, m: int, *, key: jax.Array, p: float = 2.0) -> SampleResult:
    """Sample ``m`` rows i.i.d. with probabilities proportional to ``scores``.

    Row ``i`` drawn with probability :math:`\\pi_i` is rescaled by
    :math:`(m \\pi_i)^{-1/p}`, so that :math:`\\mathbb{E}\\lVert S A x \\rVert_p^p =
    \\lVert A x \\rVert_p^p`. Uniform sampling is ``scores = ones(n)``.

    Parameters
    ----------
    scores : array_like of shape (n,)
        Non-negative, not all zero (sensitivities, leverage scores, ...).
    m : int
        Number of samples, ``m >= 1``.
    key : PRNG key
    p : float
        The norm, ``p >= 1``.

    Returns
    -------
    SampleResult

    Raises
    ------
    TypeError, ValueError
        Bad ``scores`` (negative, all zero), ``m`` or ``p``.

    References
    ----------
    :cite:p:`woodruff2023sharper`

    See Also
    --------
    numpy.random.Generator.choice

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    where = "sketch.sensitivity_sampling"
    sc = _checks.as_vector(scores, "scores", where)
    if bool(jnp.any(sc < 0)) or float(jnp.sum(sc)) <= 0:
        raise _checks.fail(where, "scores", "non-negative scores with a positive sum",
                           f"min {float(jnp.min(sc)):.3g}, sum {float(jnp.sum(sc)):.3g}")
    m = _checks.check_int(m, "m", where, min_val=1)
    p = _checks.check_scalar(p, "p", where, min_val=1.0)
    key = _checks.check_key(key, where)
    prob = sc / jnp.sum(sc)
    idx = jax.random.choice(key, sc.shape[0], (m,), replace=True, p=prob)
    w = (m * prob[idx]) ** (-1.0 / p)
    return SampleResult(idx, w, prob)


def lp_distortion(A: Any, sample: SampleResult, directions: Any, p: float = 2.0) -> float:
    """Largest relative error of :math:`\\lVert S A x \\rVert_p` over given directions ``x``.

    The value is
    :math:`\\max_x \\lvert \\lVert S A x \\rVert_p / \\lVert A x \\rVert_p - 1 \\rvert`.

    A lower estimate of the true distortion (a supremum over all ``x``); for
    ``p = 2`` use :func:`embedding_distortion` for the exact value.

    Parameters
    ----------
    A : array_like of shape (n, d)
    sample : SampleResult
        From :func:`sensitivity_sampling`.
    directions : array_like of shape (d, r)
        The vectors ``x`` (columns).
    p : float
        ``p >= 1``.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        Bad arrays or shapes.

    See Also
    --------
    embedding_distortion
    """
    where = "sketch.lp_distortion"
    A = _checks.as_matrix(A, "A", where)
    X = _checks.as_matrix(directions, "directions", where)
    if X.shape[0] != A.shape[1]:
        raise _checks.fail(where, "directions", f"shape ({A.shape[1]}, r)",
                           f"shape {tuple(X.shape)}")
    p = _checks.check_scalar(p, "p", where, min_val=1.0)
    AX = np.asarray(A) @ np.asarray(X)
    SAX = np.asarray(sample.weights)[:, None] * AX[np.asarray(sample.indices)]
    full = np.sum(np.abs(AX) ** p, axis=0) ** (1 / p)
    sk = np.sum(np.abs(SAX) ** p, axis=0) ** (1 / p)
    return float(np.max(np.abs(sk / full - 1.0)))


def cur(A: Any, rows: Any, cols: Any) -> CURResult:
    """CUR decomposition from chosen rows and columns: :math:`A \\approx C\\, W^{+} R`.

    ``C = A[:, cols]``, ``R = A[rows, :]``, ``W = A[rows][:, cols]``. When
    :math:`\\mathrm{rank}(W) = \\mathrm{rank}(A)` the approximation is exact.

    Parameters
    ----------
    A : array_like of shape (m, n)
    rows : array_like of ints, shape (r,)
    cols : array_like of ints, shape (c,)

    Returns
    -------
    CURResult
        ``C @ U @ R`` is the approximation.

    Raises
    ------
    TypeError, ValueError
        Bad ``A``; indices out of range or empty.

    References
    ----------
    :cite:p:`mahoney2009cur,yadav2022efficient`

    See Also
    --------
    numpy.linalg.pinv

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    where = "sketch.cur"
    A = _checks.as_matrix(A, "A", where)
    out = []
    for name, ix, size in (("rows", rows, A.shape[0]), ("cols", cols, A.shape[1])):
        ix = np.asarray(ix)
        if ix.ndim != 1 or ix.size == 0 or ix.dtype.kind not in "iu":
            raise _checks.fail(where, name, "a non-empty 1-D array of ints",
                               f"{ix.dtype} array of shape {ix.shape}", exc=TypeError)
        if ix.min() < 0 or ix.max() >= size:
            raise _checks.fail(where, name, f"indices in [0, {size})",
                               f"range [{ix.min()}, {ix.max()}]")
        out.append(jnp.asarray(ix))
    r, c = out
    C, R = A[:, c], A[r, :]
    return CURResult(C, jnp.linalg.pinv(A[r][:, c]), R, r, c)


def projection_dpp_sample(Q: Any, *, key: jax.Array, n_draws: int | None = None) -> jax.Array:
    """One draw of the projection DPP with kernel :math:`K = Q Q^\\top` (sequential algorithm).

    Draws ``m`` distinct indices: at step ``j`` an index ``i`` is chosen with
    probability proportional to the squared norm of row ``i`` of the current
    basis, then the basis is restricted to the orthogonal complement of that
    row's direction (the chain rule of the HKPV sampler). Cost :math:`O(N m^2)`.

    Parameters
    ----------
    Q : array_like of shape (N, m)
        Orthonormal columns (``Q.T @ Q = I``).
    key : PRNG key
    n_draws : int, optional
        Number of independent draws (vectorised); default one.

    Returns
    -------
    indices : array of shape (m,), or (n_draws, m)
        Distinct within a draw, in the order drawn. Marginals:
        :math:`P(i \\in X) = K_{ii}`.

    Raises
    ------
    TypeError, ValueError
        Bad ``Q`` (not 2-D, more columns than rows, columns not orthonormal).

    References
    ----------
    :cite:p:`hough2006determinantal,nouy2023weighted`

    See Also
    --------
    sensitivity_sampling : i.i.d. sampling from the same marginals.

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    where = "sketch.projection_dpp_sample"
    Q = _checks.as_matrix(Q, "Q", where)
    N, m = Q.shape
    if m > N:
        raise _checks.fail(where, "Q", "N >= m (a tall matrix)", f"shape {(N, m)}")
    dev = float(jnp.max(jnp.abs(Q.T @ Q - jnp.eye(m, dtype=Q.dtype))))
    if dev > 1e-8:
        raise _checks.fail(where, "Q", "orthonormal columns", f"max |QᵀQ - I| = {dev:.2e}",
                           "Orthonormalise with a QR first.")
    key = _checks.check_key(key, where)
    if n_draws is None:
        return _dpp_impl(Q, key)
    r = _checks.check_int(n_draws, "n_draws", where, min_val=1)
    return _dpp_batch(Q, jax.random.split(key, r))


@jax.jit
def _dpp_impl(Q, key):
    N, m = Q.shape
    keys = jax.random.split(key, m)

    def step(V, j):
        norms = jnp.sum(V * V, axis=1)
        i = jax.random.choice(keys[j], N, p=jnp.maximum(norms, 0) / jnp.sum(norms))
        v = V[i]
        # Householder-free projection: remove the direction of row i from the basis
        u = v / jnp.linalg.norm(v)
        V = V - (V @ u)[:, None] * u[None, :]
        return V, i

    _, idx = jax.lax.scan(step, Q, jnp.arange(m))
    return idx


_dpp_batch = jax.jit(jax.vmap(_dpp_impl, in_axes=(None, 0)))


def weighted_least_squares(Phi: Any, y: Any, weights: Any) -> tuple[jax.Array, float]:
    """Weighted least squares :math:`\\min_c \\sum_i w_i (y_i - \\varphi(x_i)^\\top c)^2`.

    Parameters
    ----------
    Phi : array_like of shape (n, m)
        Features :math:`\\varphi(x_i)` at the samples, in an orthonormal basis.
    y : array_like of shape (n,)
        Values :math:`f(x_i)`.
    weights : array_like of shape (n,)
        :math:`w_i > 0`.

    Returns
    -------
    c : ndarray of shape (m,)
        Coefficients.
    lambda_min : float
        Smallest eigenvalue of the weighted Gram matrix
        :math:`G = \\sum_i w_i \\varphi(x_i)\\varphi(x_i)^\\top` (stability needs
        it away from 0; the theory asks :math:`\\lambda_{\\min} \\ge 1/2`).

    Raises
    ------
    TypeError, ValueError
        Bad arrays, mismatched sizes, non-positive weights.

    References
    ----------
    :cite:p:`cohen2017optimal,nouy2023weighted`

    See Also
    --------
    numpy.linalg.lstsq

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    where = "sketch.weighted_least_squares"
    # host LAPACK and host validation: called thousands of times with changing n
    Phi = np.asarray(Phi, dtype=float)
    if Phi.ndim != 2:
        raise _checks.fail(where, "Phi", "a 2-D array of shape (n, m)", f"shape {Phi.shape}")
    y, w = np.asarray(y, dtype=float), np.asarray(weights, dtype=float)
    for name, v in (("y", y), ("weights", w)):
        if v.shape != (Phi.shape[0],):
            raise _checks.fail(where, name, f"shape ({Phi.shape[0]},)", f"shape {v.shape}")
    for name, v in (("Phi", Phi), ("y", y), ("weights", w)):
        _checks.check_finite(v, name, where)
    if np.any(w <= 0):
        raise _checks.fail(where, "weights", "positive weights", f"min {w.min():.3g}")
    sw = np.sqrt(w)
    M = sw[:, None] * Phi
    c = np.linalg.lstsq(M, sw * y, rcond=None)[0]
    lam = float(np.linalg.eigvalsh(M.T @ M)[0])
    return c, lam


# ---------------------------------------------------------------------------
# sharded TSQR and randomized SVD
# ---------------------------------------------------------------------------
def _mesh_axis(mesh: Any, A: jax.Array, where: str) -> tuple[str, int]:
    if not isinstance(mesh, jax.sharding.Mesh) or len(mesh.axis_names) != 1:
        raise _checks.fail(where, "mesh", "a 1-D jax.sharding.Mesh",
                           f"{type(mesh).__name__}", exc=TypeError)
    name = mesh.axis_names[0]
    n_dev = mesh.devices.size
    if A.shape[0] % n_dev:
        raise _checks.fail(where, "A", f"a row count divisible by the {n_dev} devices",
                           f"{A.shape[0]} rows", "Pad A with zero rows.")
    return name, n_dev


def _tsqr_local(Y, axis):
    """TSQR body (inside shard_map): local QR, gather the R factors, QR of the stack."""
    Q1, R1 = _qr_pos(Y)
    Rs = jax.lax.all_gather(R1, axis, tiled=True)  # (p * l, l), replicated
    Q2, R = _qr_pos(Rs)
    ell = Y.shape[1]
    blk = jax.lax.dynamic_slice_in_dim(Q2, jax.lax.axis_index(axis) * ell, ell, axis=0)
    return Q1 @ blk, R


def sharded_tsqr(A: Any, mesh: jax.sharding.Mesh) -> tuple[jax.Array, jax.Array]:
    """Tall-skinny QR of a row-sharded matrix over a 1-D device mesh (one reduction step).

    Each device factors its block :math:`A_i = Q_i R_i`; the small factors are
    all-gathered, :math:`[R_1; \\dots; R_P] = \\tilde Q R`, and device ``i``
    forms :math:`Q_i \\tilde Q_i`. Communication: :math:`P d^2` numbers, once.
    Both factors are normalised to a non-negative diagonal of ``R``, so the
    result equals :func:`qr_positive` up to round-off.

    Parameters
    ----------
    A : array_like of shape (n, d)
        Full column rank; ``n`` divisible by the number of devices and
        ``n / P >= d``.
    mesh : jax.sharding.Mesh
        A 1-D mesh; rows of ``A`` are split over its axis.

    Returns
    -------
    Q : array of shape (n, d)
        Row-sharded over the mesh.
    R : array of shape (d, d)
        Replicated.

    Raises
    ------
    TypeError
        ``mesh`` not a 1-D mesh; bad ``A``.
    ValueError
        ``n`` not divisible by the device count, or blocks shorter than ``d``.

    References
    ----------
    :cite:p:`demmel2012communication`

    See Also
    --------
    numpy.linalg.qr, qr_positive

    Notes
    -----
    Explained in the chapter :ref:`randomized` (scale-out section).
    """
    where = "sketch.sharded_tsqr"
    A = _checks.as_matrix(A, "A", where)
    axis, n_dev = _mesh_axis(mesh, A, where)
    if A.shape[0] // n_dev < A.shape[1]:
        raise _checks.fail(where, "A", f"blocks of at least d = {A.shape[1]} rows",
                           f"{A.shape[0] // n_dev} rows per device")
    with _blas_threads_for(mesh):
        return jax.block_until_ready(_sharded_tsqr_fn(mesh, axis)(_shard_rows(A, mesh, axis)))


def _blas_threads_for(mesh):
    """One BLAS thread per simulated CPU device.

    Several CPU "devices" in one process run their LAPACK calls (QR) concurrently;
    if each also starts a multi-threaded BLAS, the threads oversubscribe the cores
    and a millisecond QR can take seconds. Limit BLAS to one thread while the
    sharded program runs (``threadpoolctl``, when installed).
    """
    if mesh.devices.size > 1 and mesh.devices.flat[0].platform == "cpu":
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # pragma: no cover - threadpoolctl ships with scikit-learn
            return contextlib.nullcontext()
        return threadpool_limits(1)
    return contextlib.nullcontext()


def _specs():
    from jax.sharding import PartitionSpec as P
    return P


def _shard_rows(A, mesh, axis):
    """Place ``A`` on the mesh, rows split over ``axis`` (a no-op if already there)."""
    P = _specs()
    return jax.device_put(A, jax.sharding.NamedSharding(mesh, P(axis, None)))


@functools.lru_cache(maxsize=32)
def _sharded_tsqr_fn(mesh, axis):
    P = _specs()
    fn = jax.shard_map(partial(_tsqr_local, axis=axis), mesh=mesh,
                       in_specs=P(axis, None), out_specs=(P(axis, None), P()),
                       check_vma=False)  # R is replicated: all devices factor the same stack
    return jax.jit(fn)


def _rsvd_local(A, omega, *, axis, k, q):
    Q, _ = _tsqr_local(A @ omega, axis)
    for _ in range(q):
        Z = _qr_pos(jax.lax.psum(A.T @ Q, axis))[0]
        Q, _ = _tsqr_local(A @ Z, axis)
    Bt = jax.lax.psum(A.T @ Q, axis)  # (n, l) = (Q^T A)^T, replicated
    Ub, s, Vt = jnp.linalg.svd(Bt.T, full_matrices=False)
    return Q @ Ub[:, :k], s[:k], Vt[:k]


@functools.lru_cache(maxsize=32)
def _sharded_rsvd_fn(mesh, axis, k, q):
    """The jitted shard_map program, built once per (mesh, k, q) so that calls hit the cache."""
    P = _specs()
    return jax.jit(jax.shard_map(partial(_rsvd_local, axis=axis, k=k, q=q), mesh=mesh,
                                 in_specs=(P(axis, None), P()),
                                 out_specs=(P(axis, None), P(), P()), check_vma=False))


def sharded_randomized_svd(A: Any, k: int, *, key: jax.Array, mesh: jax.sharding.Mesh,
                           oversampling: int = 10, n_power_iter: int = 2) -> SVDResult:
    """Randomized SVD of a row-sharded matrix over a 1-D device mesh.

    The same algorithm and test matrix as :func:`randomized_svd` (so the same
    ``key`` gives the same result up to round-off): products :math:`A\\Omega`
    are local, products :math:`A^\\top Q` are local followed by a ``psum``,
    orthonormalisation of the tall factors is :func:`sharded_tsqr`, and the small
    SVD of :math:`Q^\\top A` is replicated.

    Parameters
    ----------
    A : array_like of shape (m, n)
        ``m`` divisible by the device count, blocks of at least ``k + oversampling`` rows.
    k : int
        Rank.
    key : PRNG key
    mesh : jax.sharding.Mesh
        A 1-D mesh.
    oversampling, n_power_iter : int
        As in :func:`randomized_svd`.

    Returns
    -------
    SVDResult
        ``U`` row-sharded, ``s`` and ``Vt`` replicated.

    Raises
    ------
    TypeError, ValueError
        As :func:`randomized_svd` and :func:`sharded_tsqr`.

    References
    ----------
    :cite:p:`halko2011finding,demmel2012communication`

    See Also
    --------
    sklearn.utils.extmath.randomized_svd, randomized_svd

    Notes
    -----
    Explained in the chapter :ref:`randomized` (scale-out section).
    """
    where = "sketch.sharded_randomized_svd"
    A = _checks.as_matrix(A, "A", where)
    key = _checks.check_key(key, where)
    axis, n_dev = _mesh_axis(mesh, A, where)
    p = _checks.check_int(oversampling, "oversampling", where, min_val=0)
    k = _checks.check_rank(k, "k", where, upper=min(A.shape) - p,
                           upper_name="min(m, n) - oversampling")
    q = _checks.check_int(n_power_iter, "n_power_iter", where, min_val=0)
    if A.shape[0] // n_dev < k + p:
        raise _checks.fail(where, "A", f"blocks of at least k + oversampling = {k + p} rows",
                           f"{A.shape[0] // n_dev} rows per device")
    omega = jax.random.normal(key, (A.shape[1], k + p), dtype=A.dtype)
    P = _specs()
    fn = _sharded_rsvd_fn(mesh, axis, k, q)
    omega = jax.device_put(omega, jax.sharding.NamedSharding(mesh, P()))
    with _blas_threads_for(mesh):
        return SVDResult(*jax.block_until_ready(fn(_shard_rows(A, mesh, axis), omega)))
