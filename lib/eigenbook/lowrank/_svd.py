"""Truncated SVD (Golub–Kahan–Lanczos), PCA, Eckart–Young, principal angles.

Golub–Kahan–Lanczos bidiagonalisation builds, from a unit vector v_1,
orthonormal U = [u_1, ..., u_s] and V = [v_1, ..., v_s] with

    A V = U B,    A^T U = V B^T + beta_s v_{s+1} e_s^T,

B upper bidiagonal (diagonal ``alpha``, superdiagonal ``beta``). It is
Lanczos on [[0, A], [A^T, 0]] without forming it; the SVD of the small B
gives Ritz triplets of A.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _checks
from .._operators import as_rect_operator
from .._results import SVDResult, fix_signs
from ..display import implemented_by
from ..eigen._host import (
    fast_sparse,
    host_matmat,
    host_rmatmat,
    host_signs,
    host_start,
    one_blas_thread,
    thick_restart_gk,
)

__all__ = [
    "SVDResult",
    "Bidiagonalization",
    "PCAResult",
    "golub_kahan",
    "truncated_svd",
    "best_rank_k",
    "EckartYoungErrors",
    "eckart_young_errors",
    "principal_angles",
    "pca",
]


class EckartYoungErrors(NamedTuple):
    """Errors of the best rank-k approximation :math:`A_k` (:func:`eckart_young_errors`).

    Attributes
    ----------
    spectral : float
        :math:`\\lVert A - A_k \\rVert_2 = s_{k+1}` (0 when k = p).
    frobenius : float
        :math:`\\lVert A - A_k \\rVert_F = (\\sum_{i > k} s_i^2)^{1/2}`.
    """

    spectral: float
    frobenius: float


class Bidiagonalization(NamedTuple):
    """An s-step Golub–Kahan decomposition ``A V = U B``.

    Attributes
    ----------
    U : array of shape (m, s)
        Orthonormal left Lanczos vectors.
    V : array of shape (n, s + 1)
        Orthonormal right Lanczos vectors; ``V[:, 0]`` is the random start.
    alpha : array of shape (s,)
        Diagonal of B.
    beta : array of shape (s,)
        Superdiagonal of B (first s - 1 entries) and the residual coefficient
        ``beta_s`` (last entry).
    """

    U: jax.Array
    V: jax.Array
    alpha: jax.Array
    beta: jax.Array


class PCAResult(NamedTuple):
    """Principal components of a data matrix X (n samples, d features).

    Attributes
    ----------
    components : array of shape (k, d)
        Principal axes as rows (right singular vectors of the centred data);
        the largest-magnitude entry of each row is positive.
    explained_variance : array of shape (k,)
        Variance along each axis, :math:`s_i^2 / (n - 1)`.
    explained_variance_ratio : array of shape (k,)
        Fraction of the total variance.
    singular_values : array of shape (k,)
        Singular values of the centred data.
    mean : array of shape (d,)
        The column means that were subtracted.
    scores : array of shape (n, k)
        Coordinates of the centred samples on the axes.
    residual_norms : array of shape (k,)
        Residuals of the singular triplets of the centred data :math:`X_c`,
        :math:`(\\lVert X_c v_i - s_i u_i \\rVert^2 + \\lVert X_c^T u_i - s_i v_i
        \\rVert^2)^{1/2}`, computed explicitly (rounding-sized for the dense SVD).
    converged : bool array of shape (k,)
        ``residual_norms <= tol * s_1`` (the call's ``tol``).
    """

    components: jax.Array
    explained_variance: jax.Array
    explained_variance_ratio: jax.Array
    singular_values: jax.Array
    mean: jax.Array
    scores: jax.Array
    residual_norms: jax.Array
    converged: jax.Array


def _project_out(Bt: jax.Array, w: jax.Array) -> jax.Array:
    """Remove from w its components along the rows of Bt (two CGS passes)."""
    w = w - Bt.T @ (Bt @ w)
    return w - Bt.T @ (Bt @ w)


def _unit_or_fresh(w, Bt, norm_bound, key, j, dtype):
    """Normalise w; on breakdown, a random unit vector orthogonal to Bt (and 0)."""
    eps = jnp.finfo(dtype).eps
    nrm = jnp.linalg.norm(w)
    breakdown = nrm <= 100 * eps * norm_bound

    def fresh(_):
        r = _project_out(Bt, jax.random.normal(jax.random.fold_in(key, j), w.shape, dtype))
        return r / jnp.linalg.norm(r)

    out = lax.cond(breakdown, fresh, lambda _: w / jnp.where(nrm > 0, nrm, 1.0), None)
    return out, jnp.where(breakdown, 0.0, nrm)


def _gkl_steps(apply, rapply, data, key, m: int, n: int, s: int, dtype):
    """Run s Golub–Kahan steps with full reorthogonalisation."""
    k_start, k_u, k_v = jax.random.split(key, 3)
    v0 = jax.random.normal(k_start, (n,), dtype)
    Vt = jnp.zeros((s + 1, n), dtype).at[0].set(v0 / jnp.linalg.norm(v0))
    Ut = jnp.zeros((s, m), dtype)

    def body(j, state):
        Ut, Vt, alpha, beta, anorm = state
        v = Vt[j]
        b_prev = jnp.where(j > 0, beta[jnp.maximum(j - 1, 0)], 0.0)
        u = apply(data, v[:, None])[:, 0] - b_prev * Ut[jnp.maximum(j - 1, 0)]
        u = _project_out(Ut, u)
        anorm = jnp.maximum(anorm, jnp.linalg.norm(u) + b_prev)
        u, a = _unit_or_fresh(u, Ut, anorm, k_u, j, dtype)
        Ut = Ut.at[j].set(u)
        w = rapply(data, u[:, None])[:, 0] - a * v
        w = _project_out(Vt, w)
        anorm = jnp.maximum(anorm, jnp.linalg.norm(w) + a)
        w, b = _unit_or_fresh(w, Vt, anorm, k_v, j, dtype)
        return Ut, Vt.at[j + 1].set(w), alpha.at[j].set(a), beta.at[j].set(b), anorm

    init = (Ut, Vt, jnp.zeros(s, dtype), jnp.zeros(s, dtype), jnp.zeros((), dtype))
    Ut, Vt, alpha, beta, _ = lax.fori_loop(0, s, body, init)
    return Ut, Vt, alpha, beta


@functools.partial(jax.jit, static_argnames=("apply", "rapply", "m", "n", "s", "dtype"))
def _gk_impl(data, key, *, apply, rapply, m, n, s, dtype):
    Ut, Vt, alpha, beta = _gkl_steps(apply, rapply, data, key, m, n, s, dtype)
    return Bidiagonalization(Ut.T, Vt.T, alpha, beta)


def _validate(A, k, key, shape, where):
    key = _checks.check_key(key, "key", where)
    op = as_rect_operator(A, "A", where, shape=shape)
    p = min(op.shape)
    k = _checks.check_rank(k, "k", where, upper=p, upper_name="min(m, n)")
    return key, op, p, k


@implemented_by(_gk_impl, _gkl_steps)
def golub_kahan(A: Any, n_steps: int, *, key: jax.Array,
                shape: tuple[int, int] | None = None) -> Bidiagonalization:
    """Run ``n_steps`` steps of Golub–Kahan–Lanczos bidiagonalisation.

    Each step costs one product with A and one with :math:`A^T`, and two
    passes of classical Gram–Schmidt against the stored vectors (full
    reorthogonalisation), so U and V stay orthonormal to working precision.

    Parameters
    ----------
    A : array of shape (m, n), scipy.sparse matrix, BCOO, or (matmat, rmatmat)
        The operator; a pair of callables needs ``shape``.
    n_steps : int
        Number of steps s, ``1 <= s <= min(m, n)``.
    key : PRNG key
        Draws the start vector (and restart vectors on breakdown).
    shape : tuple of int, optional
        ``(m, n)``; required for callables.

    Returns
    -------
    Bidiagonalization
        ``U`` (m, s), ``V`` (n, s + 1), ``alpha`` (s,), ``beta`` (s,).

    Raises
    ------
    TypeError
        ``A`` of the wrong kind or dtype; callables without ``shape``; bad ``key``.
    ValueError
        ``A`` not 2-D, empty or not finite; ``n_steps`` out of range.

    References
    ----------
    :cite:p:`golub1965calculating,golub2013matrix`

    See Also
    --------
    truncated_svd : singular triplets from this decomposition.
    eigenbook.eigen.lanczos_decomposition : the symmetric analogue (chapter 01).

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    where = "lowrank.golub_kahan"
    key, op, p, _ = _validate(A, 1, key, shape, where)
    s = _checks.check_int(n_steps, "n_steps", where, min_val=1, max_val=p)
    m, n = op.shape
    return _gk_impl(op.data, key, apply=op.apply, rapply=op.rapply, m=m, n=n, s=s,
                    dtype=op.dtype)


def truncated_svd(A: Any, k: int, *, key: jax.Array, n_steps: int | None = None,
                  tol: float | None = None, max_restarts: int = 1000,
                  shape: tuple[int, int] | None = None) -> SVDResult:
    """k largest singular triplets by thick-restart Golub–Kahan–Lanczos.

    Runs s = ``n_steps`` steps of Golub–Kahan bidiagonalisation (full
    reorthogonalisation of both bases), takes the SVD
    :math:`B = P \\Sigma Q^T` of the small (s, s) matrix and, until every
    wanted triplet meets the tolerance, restarts from the
    ``k + (n_conv + s - k) // 3`` leading Ritz triplets and the residual
    vector (thick restart; Baglama & Reichel's augmented
    bidiagonalisation). Products, reorthogonalisation and the small SVD
    run on the host (SciPy CSR kernel for a scipy.sparse A, BLAS, LAPACK).

    Convergence is ``||A||``-relative: triplet i is converged when
    ``sqrt(||A v_i - s_i u_i||^2 + ||A^T u_i - s_i v_i||^2) <= tol * s_1``,
    with the residual computed explicitly at the end.
    When ``max_restarts`` run out first, ``converged`` is false where the
    residual is too large and a :class:`eigenbook.ConvergenceWarning` names
    the worst one.

    Parameters
    ----------
    A : array of shape (m, n), scipy.sparse matrix, BCOO, or (matmat, rmatmat)
        The operator; a pair of callables needs ``shape``.
    k : int
        Number of triplets, ``1 <= k <= min(m, n)``.
    key : PRNG key
        Draws the start vector (and fresh vectors on breakdown).
    n_steps : int, optional
        Basis size s per cycle, ``k < s <= min(m, n)`` (or ``s = k = min(m, n)``).
        Default ``min(min(m, n), max(2 k + 1, 20))`` (ARPACK's ``ncv``).
    tol : float, optional
        Relative residual tolerance; default :math:`\\sqrt{\\epsilon}`.
    max_restarts : int
        Cap on restarts, default 1000.
    shape : tuple of int, optional
        ``(m, n)``; required for callables.

    Returns
    -------
    SVDResult
        ``U`` (m, k), ``s`` (k,), ``Vt`` (k, n), ``residual_norms`` (k,),
        ``converged`` (k,).

    Warns
    -----
    eigenbook.ConvergenceWarning
        When ``max_restarts`` restarts did not bring every residual below tol.

    Raises
    ------
    TypeError
        ``A`` of the wrong kind or dtype; callables without ``shape``; bad
        ``key``; non-integer ``k`` or ``n_steps``.
    ValueError
        ``A`` not 2-D, empty or not finite; ``k``, ``n_steps`` or
        ``max_restarts`` out of range; ``tol <= 0``.

    References
    ----------
    :cite:p:`golub1965calculating,golub2013matrix`; Baglama, J. & Reichel, L.
    (2005). Augmented implicitly restarted Lanczos bidiagonalization methods.
    SIAM J. Sci. Comput. 27(1).

    See Also
    --------
    scipy.sparse.linalg.svds : ARPACK's implicitly restarted Lanczos on
        :math:`A^T A`.
    sklearn.decomposition.TruncatedSVD : arpack or randomized.
    eigenbook.sketch.randomized_svd : the sketching alternative (chapter 04).

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    where = "lowrank.truncated_svd"
    res, tol, n_matvec, reached = _truncated_svd(A, k, key, n_steps, tol, max_restarts, shape,
                                                 where)
    if not bool(np.all(np.asarray(res.converged))):
        _checks.warn_unconverged(where, tol=tol, reached=reached, what="relative residual",
                                 n_iter=n_matvec, hint="Raise max_restarts or n_steps.")
    return res


def _truncated_svd(A: Any, k: int, key: Any, n_steps: int | None, tol: float | None,
                   max_restarts: int, shape: Any, where: str
                   ) -> tuple[SVDResult, float, int, float]:
    """The work of :func:`truncated_svd`, validating in the caller's name, without warning.

    Returns the result, the tolerance used, the products with A and the worst relative
    residual ``max_i res_i / s_1`` (for the caller's warning).
    """
    key = _checks.check_key(key, "key", where)
    M = fast_sparse(A, symmetric=False, n=shape)
    if M is not None:
        dims, dtype = (int(M.shape[0]), int(M.shape[1])), np.dtype(M.dtype)
        MT = M.T
        matvec, rmatvec = (lambda x: M @ x), (lambda y: MT @ y)
    else:
        op = as_rect_operator(A, "A", where, shape=shape)
        dims, dtype = op.shape, np.dtype(op.dtype)
        matvec = host_matmat(A, op.data, dtype)
        rmatvec = host_rmatmat(A, op.data, dtype)
    p = min(dims)
    k = _checks.check_rank(k, "k", where, upper=p, upper_name="min(m, n)")
    s = min(p, max(2 * k + 1, 20)) if n_steps is None else n_steps
    s = _checks.check_int(s, "n_steps", where, min_val=min(k + 1, p), max_val=p,
                          hint="n_steps must be more than k and at most min(m, n).")
    tol = _checks.check_tol(tol, dtype, where)
    max_restarts = _checks.check_int(max_restarts, "max_restarts", where, min_val=0)
    v0, rng = host_start(key, dims[1], dtype)
    with one_blas_thread():
        out = thick_restart_gk(matvec, rmatvec, dims, k, s=s, tol=tol,
                               max_restarts=max_restarts, v0=v0, rng=rng, dtype=dtype)
        sgn = host_signs(out.U)
        U, V = out.U * sgn[None, :], out.V * sgn[None, :]
        r1 = np.asarray(matvec(V)) - U * out.s[None, :]
        r2 = np.asarray(rmatvec(U)) - V * out.s[None, :]
    res = np.sqrt(np.sum(r1**2, axis=0) + np.sum(r2**2, axis=0))
    scale = max(float(out.s[0]), 1e-300)
    conv = res <= tol * scale
    result = SVDResult(jnp.asarray(U), jnp.asarray(out.s), jnp.asarray(V.T), jnp.asarray(res),
                       jnp.asarray(conv))
    return result, tol, int(out.n_matvec), float(np.max(res)) / scale


def best_rank_k(A: Any, k: int) -> jax.Array:
    """The best rank-k approximation :math:`A_k = U_k \\Sigma_k V_k^T` of a dense matrix.

    By the Eckart–Young–Mirsky theorem it minimises both
    :math:`\\lVert A - B \\rVert_2` and :math:`\\lVert A - B \\rVert_F` over
    matrices B of rank at most k (see :func:`eckart_young_errors`).

    Parameters
    ----------
    A : array of shape (m, n)
    k : int
        ``1 <= k <= min(m, n)``.

    Returns
    -------
    array of shape (m, n)

    Raises
    ------
    TypeError, ValueError
        ``A`` not a finite real matrix; ``k`` out of range.

    References
    ----------
    :cite:p:`eckart1936approximation,mirsky1960symmetric`

    See Also
    --------
    numpy.linalg.svd : the full SVD used here.

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    where = "lowrank.best_rank_k"
    A = _checks.as_matrix(A, "A", where)
    k = _checks.check_rank(k, "k", where, upper=min(A.shape), upper_name="min(m, n)")
    return _best_rank_k_impl(A, k)


@jax.jit
def _best_rank_k_impl(A, k):
    # k is traced (a mask, not a slice): one compilation per shape, not per k
    U, s, Vt = jnp.linalg.svd(A, full_matrices=False)
    return (U * jnp.where(jnp.arange(s.shape[0]) < k, s, 0.0)[None, :]) @ Vt


def eckart_young_errors(s: Any, k: int) -> EckartYoungErrors:
    """Errors of the best rank-k approximation, from the singular values.

    :math:`\\lVert A - A_k \\rVert_2 = s_{k+1}` and
    :math:`\\lVert A - A_k \\rVert_F = (\\sum_{i > k} s_i^2)^{1/2}`.

    Parameters
    ----------
    s : array of shape (p,)
        All singular values of A, descending, non-negative.
    k : int
        ``0 <= k <= p``.

    Returns
    -------
    EckartYoungErrors
        ``(spectral, frobenius)``, two floats.

    Raises
    ------
    TypeError, ValueError
        ``s`` not a finite non-negative vector; ``k`` out of range.

    References
    ----------
    :cite:p:`eckart1936approximation,mirsky1960symmetric`

    See Also
    --------
    best_rank_k : the minimiser itself.

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    where = "lowrank.eckart_young_errors"
    s = _checks.as_vector(s, "s", where)
    if bool(jnp.any(s < 0)):
        raise _checks.fail(where, "s", "non-negative singular values",
                           f"min(s) = {float(jnp.min(s)):.3g}")
    k = _checks.check_int(k, "k", where, min_val=0, max_val=int(s.shape[0]))
    s = -jnp.sort(-s)
    tail = s[k:]
    spectral = float(tail[0]) if tail.size else 0.0
    return EckartYoungErrors(spectral, float(jnp.sqrt(jnp.sum(tail**2))))


def principal_angles(U: Any, V: Any) -> jax.Array:
    """Principal angles between the column spaces of U and V.

    Orthonormalises both bases (QR), then takes cosines from the singular
    values of :math:`Q_U^T Q_V` and sines from those of
    :math:`(I - Q_U Q_U^T) Q_V`, combining them with ``arctan2`` so that
    small angles are accurate (:math:`\\arccos` alone loses half the digits).

    Parameters
    ----------
    U : array of shape (n, p)
    V : array of shape (n, q)

    Returns
    -------
    array of shape (min(p, q),)
        Angles in radians, ascending, in :math:`[0, \\pi/2]`.

    Raises
    ------
    TypeError, ValueError
        Not finite real matrices, different row counts, or more columns than
        rows.

    References
    ----------
    :cite:p:`bjorck1973numerical,knyazev2002principal`

    See Also
    --------
    scipy.linalg.subspace_angles : SciPy's version (descending order).

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    where = "lowrank.principal_angles"
    U = _checks.as_matrix(U, "U", where)
    V = _checks.as_matrix(V, "V", where)
    if U.shape[0] != V.shape[0]:
        raise _checks.fail(where, "V", f"the same number of rows as U ({U.shape[0]})",
                           f"shape {tuple(V.shape)}")
    for name, M in (("U", U), ("V", V)):
        if M.shape[1] > M.shape[0]:
            raise _checks.fail(where, name, "at most as many columns as rows",
                               f"shape {tuple(M.shape)}")
    return _angles_impl(U, V)


@jax.jit
def _angles_impl(U, V):
    Qu, _ = jnp.linalg.qr(U)
    Qv, _ = jnp.linalg.qr(V)
    if Qu.shape[1] < Qv.shape[1]:
        Qu, Qv = Qv, Qu
    cos = jnp.linalg.svd(Qu.T @ Qv, compute_uv=False)  # descending
    sin = jnp.linalg.svd(Qv - Qu @ (Qu.T @ Qv), compute_uv=False)[::-1]  # ascending
    return jnp.arctan2(jnp.clip(sin, 0.0, 1.0), jnp.clip(cos, 0.0, 1.0))


def pca(X: Any, k: int, *, key: jax.Array | None = None, n_steps: int | None = None,
        tol: float | None = None) -> PCAResult:
    """Principal component analysis as the SVD of the centred data.

    With :math:`X_c = X - \\mathbf{1}\\mu^T = U \\Sigma V^T`, the principal
    axes are the rows of :math:`V^T`, the variances :math:`s_i^2/(n-1)` and
    the scores :math:`U \\Sigma`. Without ``key`` the thin SVD is dense
    (LAPACK); with ``key`` the top k triplets come from
    :func:`truncated_svd`. Either way the residuals of the k triplets are
    computed explicitly and reported; a component is converged when its
    residual is at most ``tol * s_1`` (then its angle to the true axis is at
    most about ``tol * s_1 / gap``), and a :class:`eigenbook.ConvergenceWarning`
    says when one is not.

    Parameters
    ----------
    X : array of shape (n, d)
        Samples as rows, ``n >= 2``.
    k : int
        Number of components, ``1 <= k <= min(n, d)``.
    key : PRNG key, optional
        Use Golub–Kahan–Lanczos with this start key instead of a dense SVD.
    n_steps : int, optional
        Krylov dimension when ``key`` is given (see :func:`truncated_svd`).
    tol : float, optional
        Relative residual tolerance, ``> 0``; default sqrt(eps) of the dtype.

    Returns
    -------
    PCAResult
        ``components`` (k, d), variances and ratios (k,), ``singular_values`` (k,),
        ``mean`` (d,), ``scores`` (n, k), ``residual_norms`` (k,) and
        ``converged`` (k,).

    Warns
    -----
    eigenbook.ConvergenceWarning
        When some component's residual is above ``tol * s_1`` (with ``key``:
        the restarts ran out).

    Raises
    ------
    TypeError, ValueError
        ``X`` not a finite real matrix or with one row; ``k``, ``n_steps`` or
        ``tol`` out of range; bad ``key``.

    References
    ----------
    :cite:p:`pearson1901lines,hotelling1933analysis,jolliffe2016principal`

    See Also
    --------
    sklearn.decomposition.PCA : scikit-learn's version (same sign convention
        for the components).

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    where = "lowrank.pca"
    X = _checks.as_matrix(X, "X", where)
    if X.shape[0] < 2:
        raise _checks.fail(where, "X", "at least 2 samples (rows)", f"shape {tuple(X.shape)}")
    k = _checks.check_rank(k, "k", where, upper=min(X.shape), upper_name="min(n, d)")
    mean = jnp.mean(X, axis=0)
    Xc = X - mean
    if key is None:
        tol = _checks.check_tol(tol, X.dtype, where)
        U, s, Vt = jnp.linalg.svd(Xc, full_matrices=False)
        U, s, Vt = U[:, :k], s[:k], Vt[:k]
        r1 = Xc @ Vt.T - U * s[None, :]
        r2 = Xc.T @ U - Vt.T * s[None, :]
        res = jnp.sqrt(jnp.sum(r1**2, axis=0) + jnp.sum(r2**2, axis=0))
    else:
        out, tol, _, _ = _truncated_svd(Xc, k, key, n_steps, tol, 1000, None, where)
        U, s, Vt, res = out.U, out.s, out.Vt, out.residual_norms
    scale = max(float(s[0]), 1e-300)
    conv = res <= tol * scale
    if not bool(jnp.all(conv)):
        _checks.warn_unconverged(where, tol=tol, reached=float(jnp.max(res)) / scale,
                                 what="relative residual of the components",
                                 hint="Raise n_steps, or drop key (dense SVD).")
    # sign: the largest-magnitude entry of each component is positive
    Vt_t, U_t = fix_signs(Vt.T, U.T)
    Vt, U = Vt_t.T, U_t.T
    n = X.shape[0]
    var = s**2 / (n - 1)
    total = jnp.sum(Xc**2) / (n - 1)
    return PCAResult(Vt, var, var / total, s, mean, U * s[None, :], res, conv)
