"""Orthogonalization: QR, the polar factor, Newton–Schulz and orthogonal updates.

The family behind chapter :ref:`orthogonalization`:

* QR factorizations with different round-off behaviour: classical and modified
  Gram–Schmidt (:func:`gram_schmidt`), Householder (:func:`householder_qr`) and
  CholeskyQR2 (:func:`cholesky_qr2`), measured by :func:`orthogonality_loss`;
* the polar factor :math:`UV^\\top` of :math:`A = U\\Sigma V^\\top` by the SVD
  (:func:`polar_svd`), scaled Newton (:func:`polar_newton`), the QR-based
  dynamically weighted Halley iteration (:func:`polar_qdwh`) and Newton–Schulz
  polynomials (:func:`newton_schulz`, :func:`ns_scalar_map`), with coefficients
  fitted to a matrix shape (:func:`fit_ns_coeffs`);
* orthogonalized momentum steps: Muon (:func:`muon_direction`), ROOT's outlier
  clipping (:func:`soft_threshold`, :func:`clip_outliers`) and AuON
  (:func:`auon_direction`);
* orthogonal circular convolutions (:func:`circular_conv_matrix`,
  :func:`conv_singular_values`, :func:`conv_orth_loss`);
* DCT column selection for SVD-free low-rank projection (:func:`dct_matrix`,
  :func:`dct_select`);
* rotation representations (:func:`rotation_from_6d`, :func:`quaternion_from_rotation`,
  :func:`euler_from_rotation` and their inverses, :func:`geodesic_angle`).

All arrays are JAX arrays; enable float64 (``jax.config.update("jax_enable_x64", True)``)
for the accuracy experiments.
"""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from eigenbook._checks import (
    as_matrix,
    check_choice,
    check_finite,
    check_int,
    check_key,
    check_scalar,
    fail,
)

__all__ = [
    "QRResult",
    "MUON_COEFFS",
    "CUBIC_COEFFS",
    "gram_schmidt",
    "householder_qr",
    "cholesky_qr2",
    "orthogonality_loss",
    "polar_svd",
    "polar_newton",
    "polar_qdwh",
    "newton_schulz",
    "ns_scalar_map",
    "fit_ns_coeffs",
    "soft_threshold",
    "clip_outliers",
    "muon_direction",
    "muon_step",
    "auon_direction",
    "circular_conv_matrix",
    "conv_singular_values",
    "conv_orth_loss",
    "dct_matrix",
    "dct_select",
    "rotation_from_6d",
    "rotation_to_6d",
    "quaternion_from_rotation",
    "rotation_from_quaternion",
    "euler_from_rotation",
    "rotation_from_euler",
    "geodesic_angle",
    "random_rotations",
    "rotation_autoencoder",
]

#: Muon's quintic Newton–Schulz coefficients (a, b, c) :cite:p:`jordan2024muon`.
MUON_COEFFS = (3.4445, -4.7750, 2.0315)
#: The cubic Newton–Schulz coefficients (3/2, -1/2, 0): :math:`p(s) = (3s - s^3)/2`.
CUBIC_COEFFS = (1.5, -0.5, 0.0)


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


# ---------------------------------------------------------------------------
# QR factorizations
# ---------------------------------------------------------------------------

def _tall(A: Any, where: str) -> jax.Array:
    A = as_matrix(A, "A", where)
    m, n = A.shape
    if m < n:
        raise fail(where, "A", "a tall matrix of shape (m, n) with m >= n",
                   f"shape {(m, n)}", "Pass A.T, or use polar_* for wide matrices.")
    return A


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


@jax.jit
def _cholqr2_impl(A: jax.Array) -> tuple[jax.Array, jax.Array]:
    def once(X):
        R = jnp.linalg.cholesky(X.T @ X).T  # upper: X^T X = R^T R
        Q = jax.scipy.linalg.solve_triangular(R, X.T, trans="T", lower=False).T
        return Q, R

    Q1, R1 = once(A)
    Q, R2 = once(Q1)
    return Q, R2 @ R1


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
    if not np.isfinite(Q).all():
        return float("nan")
    G = Q.T @ Q if Q.shape[0] >= Q.shape[1] else Q @ Q.T
    E = np.eye(G.shape[0]) - G
    return float(np.linalg.norm(E, 2 if ord == "2" else "fro"))


# ---------------------------------------------------------------------------
# The polar factor
# ---------------------------------------------------------------------------

@jax.jit
def _polar_svd_impl(A):
    U, _, Vt = jnp.linalg.svd(A, full_matrices=False)
    return U @ Vt


def polar_svd(A: Any) -> jax.Array:
    """Polar factor :math:`UV^\\top` of :math:`A = U\\Sigma V^\\top` from the thin SVD.

    The nearest matrix with orthonormal columns (or rows) to ``A`` in every
    unitarily invariant norm.

    Parameters
    ----------
    A : array_like of shape (m, n)

    Returns
    -------
    Q : array of shape (m, n)

    Raises
    ------
    TypeError
        ``A`` is not a numeric array.
    ValueError
        ``A`` is not a finite matrix.

    References
    ----------
    :cite:p:`higham2008functions`

    See Also
    --------
    scipy.linalg.polar : the same, returning also the symmetric factor.

    Chapter :ref:`orthogonalization`.
    """
    return _polar_svd_impl(as_matrix(A, "A", "orth.polar_svd"))


@partial(jax.jit, static_argnames=("n_iter", "scaled"))
def _polar_newton_impl(A, n_iter, scaled):
    def body(_, X):
        Xi = jnp.linalg.inv(X)
        mu = jnp.sqrt(jnp.linalg.norm(Xi) / jnp.linalg.norm(X)) if scaled else 1.0
        return 0.5 * (mu * X + Xi.T / mu)

    return jax.lax.fori_loop(0, n_iter, body, A)


def polar_newton(A: Any, *, n_iter: int = 10, scaled: bool = True) -> jax.Array:
    """Polar factor of a square nonsingular matrix by (scaled) Newton iteration.

    :math:`X_{k+1} = \\tfrac12(\\mu_k X_k + \\mu_k^{-1} X_k^{-\\top})`, :math:`X_0 = A`,
    with the Frobenius-norm scaling
    :math:`\\mu_k = (\\lVert X_k^{-1}\\rVert_F / \\lVert X_k\\rVert_F)^{1/2}` (or
    :math:`\\mu_k = 1`). Each singular value follows the scalar map
    :math:`\\sigma \\mapsto (\\mu\\sigma + 1/(\\mu\\sigma))/2`: global, quadratic
    convergence; the scaling brings the number of steps for :math:`\\kappa = 10^{16}`
    down to about 9. One inverse per step (:math:`2n^3` flops).

    Parameters
    ----------
    A : array_like of shape (n, n)
        Nonsingular.
    n_iter : int
        Number of steps, ``>= 1``.
    scaled : bool
        Use the Frobenius scaling.

    Returns
    -------
    Q : array of shape (n, n)

    Raises
    ------
    TypeError
        ``A`` is not a numeric array or ``n_iter`` not an int.
    ValueError
        ``A`` is not finite and square, or ``n_iter < 1``.

    References
    ----------
    :cite:p:`higham1986computing,higham2008functions`

    See Also
    --------
    scipy.linalg.polar

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.polar_newton"
    A = as_matrix(A, "A", where, square=True)
    n_iter = check_int(n_iter, "n_iter", where, min_val=1)
    return _polar_newton_impl(A, n_iter, bool(scaled))


def _qdwh_weights(l0: float, n_iter: int) -> np.ndarray:
    """Halley weights (a, b, c) for each step, from the lower bound l_k (host)."""
    out, l_k = [], l0
    for _ in range(n_iter):
        d = (4.0 * (1.0 - l_k**2) / l_k**4) ** (1.0 / 3.0)
        a = np.sqrt(1.0 + d) + 0.5 * np.sqrt(8.0 - 4.0 * d + 8.0 * (2.0 - l_k**2)
                                             / (l_k**2 * np.sqrt(1.0 + d)))
        b = (a - 1.0) ** 2 / 4.0
        c = a + b - 1.0
        out.append((a, b, c))
        l_k = min(1.0, l_k * (a + b * l_k**2) / (1.0 + c * l_k**2))
    return np.array(out)


@jax.jit
def _qdwh_impl(A, weights):
    m, n = A.shape
    X0 = A / jnp.linalg.norm(A)
    eye = jnp.eye(n, dtype=A.dtype)

    def body(X, w):
        a, b, c = w[0], w[1], w[2]
        Q, _ = jnp.linalg.qr(jnp.concatenate([jnp.sqrt(c) * X, eye]))
        X = (b / c) * X + (a - b / c) / jnp.sqrt(c) * (Q[:m] @ Q[m:].T)
        return X, None

    X, _ = jax.lax.scan(body, X0, weights)
    return X


def polar_qdwh(A: Any, *, l0: float = 1e-15, n_iter: int | None = None) -> jax.Array:
    """Polar factor by the QR-based dynamically weighted Halley iteration (QDWH).

    After :math:`X_0 = A / \\lVert A\\rVert_F` each step is the rational map
    :math:`\\sigma \\mapsto \\sigma(a + b\\sigma^2)/(1 + c\\sigma^2)`, evaluated
    inverse-free through one thin QR of the stacked matrix
    :math:`[\\sqrt{c}X;\\ I] = [Q_1; Q_2]R`:
    :math:`X \\leftarrow (b/c)X + (a - b/c)c^{-1/2}Q_1Q_2^\\top`. The weights are
    optimal for singular values in :math:`[\\ell_k, 1]`; from
    :math:`\\ell_0 = 10^{-15}` six steps reach :math:`\\ell = 1` to float64 precision.

    Parameters
    ----------
    A : array_like of shape (m, n), m >= n
    l0 : float
        A lower bound on :math:`\\sigma_{\\min}(A)/\\lVert A\\rVert_F`, in (0, 1].
        Too small only costs steps; too large loses accuracy.
    n_iter : int, optional
        Number of steps. Default: until the bound :math:`\\ell_k` reaches
        :math:`1 - 10^{-15}`.

    Returns
    -------
    Q : array of shape (m, n)

    Raises
    ------
    TypeError
        ``A`` is not a numeric array, or an argument has the wrong type.
    ValueError
        ``A`` is not a finite tall matrix, ``l0`` outside (0, 1], ``n_iter < 1``.

    References
    ----------
    :cite:p:`nakatsukasa2010optimizing`

    See Also
    --------
    scipy.linalg.polar, jax.scipy.linalg.polar : SVD- and QDWH-based.

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.polar_qdwh"
    A = _tall(A, where)
    l0 = check_scalar(l0, "l0", where, min_val=0.0, max_val=1.0, strict_min=True)
    if n_iter is None:
        n_iter, l_k = 0, l0
        while l_k < 1 - 1e-15 and n_iter < 20:
            a, b, c = _qdwh_weights(l_k, 1)[0]
            l_k = min(1.0, l_k * (a + b * l_k**2) / (1.0 + c * l_k**2))
            n_iter += 1
        n_iter = max(n_iter, 1)
    n_iter = check_int(n_iter, "n_iter", where, min_val=1)
    return _qdwh_impl(A, jnp.asarray(_qdwh_weights(l0, n_iter), A.dtype))


def _coeff_schedule(coeffs: Any, n_iter: int | None, where: str) -> np.ndarray:
    C = np.asarray(coeffs, dtype=float)
    if C.ndim == 1:
        if C.shape != (3,):
            raise fail(where, "coeffs", "3 numbers (a, b, c) or an array of shape (n_iter, 3)",
                       f"shape {C.shape}")
        n_iter = check_int(5 if n_iter is None else n_iter, "n_iter", where, min_val=0)
        C = np.tile(C, (n_iter, 1))
    elif C.ndim != 2 or C.shape[1] != 3:
        raise fail(where, "coeffs", "3 numbers (a, b, c) or an array of shape (n_iter, 3)",
                   f"shape {C.shape}")
    elif n_iter is not None and n_iter != C.shape[0]:
        raise fail(where, "n_iter", f"None or {C.shape[0]} (the rows of coeffs)",
                   f"n_iter={n_iter}")
    check_finite(C, "coeffs", where)
    return C


@jax.jit
def _ns_impl(X, C):
    def body(X, c):
        S = X @ X.T
        return c[0] * X + (c[1] * S + c[2] * (S @ S)) @ X, None

    X, _ = jax.lax.scan(body, X, C)
    return X


def newton_schulz(A: Any, *, coeffs: Any = MUON_COEFFS, n_iter: int | None = None,
                  normalize: str = "fro", eps: float = 0.0) -> jax.Array:
    """Approximate polar factor by a Newton–Schulz polynomial iteration.

    :math:`X_0 = A / (\\lVert A\\rVert + \\epsilon)`, then
    :math:`X_{k+1} = aX_k + b(X_kX_k^\\top)X_k + c(X_kX_k^\\top)^2X_k`, which maps
    every singular value by :math:`p(\\sigma) = a\\sigma + b\\sigma^3 + c\\sigma^5`
    and keeps the singular vectors (:func:`ns_scalar_map`). With
    :data:`CUBIC_COEFFS` it converges to :math:`UV^\\top` for
    :math:`0 < \\sigma < \\sqrt{3}` (quadratically near 1); :data:`MUON_COEFFS`
    grows small singular values 3.4445-fold per step but only maps them into a
    band around 1, about :math:`[0.68, 1.13]`. A wide matrix is iterated as is,
    a tall one through its transpose, so the Gram matrix is the small one.

    Parameters
    ----------
    A : array_like of shape (m, n)
    coeffs : sequence of 3 floats, or array of shape (n_iter, 3)
        One triple for every step, or a schedule.
    n_iter : int, optional
        Steps for a single triple (default 5); must match a schedule.
    normalize : {"fro", "spectral"}
        Divide by the Frobenius norm (cheap, an upper bound on
        :math:`\\sigma_1`) or by the exact :math:`\\sigma_1` (costs an SVD; for study).
    eps : float
        Added to the norm, as optimizers do for a zero gradient.

    Returns
    -------
    X : array of shape (m, n)

    Raises
    ------
    TypeError
        ``A`` is not a numeric array, or an argument has the wrong type.
    ValueError
        Bad shapes of ``A`` or ``coeffs``, ``n_iter`` not matching, unknown ``normalize``.

    References
    ----------
    :cite:p:`higham2008functions,jordan2024muon,he2025root`

    See Also
    --------
    scipy.linalg.polar
    optax.contrib.orthogonalize_via_newton_schulz : the optax version (Frobenius scaling).

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.newton_schulz"
    A = as_matrix(A, "A", where)
    check_choice(normalize, "normalize", where, ("fro", "spectral"))
    eps = check_scalar(eps, "eps", where, min_val=0.0)
    C = jnp.asarray(_coeff_schedule(coeffs, n_iter, where), A.dtype)
    tall = A.shape[0] > A.shape[1]
    X = A.T if tall else A
    scale = jnp.linalg.norm(X) if normalize == "fro" else jnp.linalg.norm(X, 2)
    X = _ns_impl(X / (scale + eps), C)
    return X.T if tall else X


def ns_scalar_map(sigma: Any, *, coeffs: Any = MUON_COEFFS,
                  n_iter: int | None = None) -> jax.Array:
    """The scalar map :math:`p_K \\circ \\dots \\circ p_1` of a Newton–Schulz schedule.

    Parameters
    ----------
    sigma : array_like of any shape
        Singular values (already normalized).
    coeffs, n_iter
        As in :func:`newton_schulz`.

    Returns
    -------
    array of the shape of ``sigma``
        What :func:`newton_schulz` does to each singular value.

    Raises
    ------
    TypeError
        ``sigma`` is not numeric.
    ValueError
        Bad ``coeffs`` or ``n_iter``, or non-finite ``sigma``.

    See Also
    --------
    newton_schulz

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.ns_scalar_map"
    s = np.asarray(sigma)
    if s.dtype.kind not in "iuf":
        raise fail(where, "sigma", "a real array", f"dtype {s.dtype}", exc=TypeError)
    check_finite(s, "sigma", where)
    C = _coeff_schedule(coeffs, n_iter, where)
    return _scalar_map(jnp.asarray(s, dtype=float), jnp.asarray(C))


def _scalar_map(s, C):
    def body(s, c):
        return c[0] * s + c[1] * s**3 + c[2] * s**5, None

    s, _ = jax.lax.scan(body, s, C)
    return s


def fit_ns_coeffs(m: int, n: int, *, key: jax.Array, n_iter: int = 5, n_matrices: int = 8,
                  init: Any = MUON_COEFFS, n_steps: int = 3000,
                  learning_rate: float = 3e-3) -> np.ndarray:
    """Fit one quintic triple (a, b, c) to the singular values of a matrix shape.

    What is fitted, exactly: draw ``n_matrices`` Gaussian matrices of shape
    (m, n), divide each by its Frobenius norm (as :func:`newton_schulz` does),
    pool their singular values, summarise them by 512 quantiles :math:`\\sigma_i`
    (the mid-points of 512 equal-probability bins), and minimise
    :math:`\\frac{1}{N}\\sum_i \\lvert p^{(K)}(\\sigma_i) - 1\\rvert` over
    :math:`(a, b, c)`, where :math:`p^{(K)}` is ``n_iter`` steps of the same
    quintic. The minimiser is Adam (hand-written, ``n_steps`` steps) from
    ``init``. The objective is the mean spectral error of the iterate on
    that shape; the chapter evaluates the result on fresh matrices.

    This is the idea of ROOT's shape-specific coefficients, not their exact
    recipe (which the paper does not fully specify).

    Parameters
    ----------
    m, n : int
        Matrix shape, ``>= 1``.
    key : jax.Array
        PRNG key for the sample matrices.
    n_iter : int
        Newton–Schulz steps the triple is used for.
    n_matrices : int
        Sample matrices.
    init : sequence of 3 floats
        Starting triple.
    n_steps : int
        Adam steps.
    learning_rate : float
        Adam step size.

    Returns
    -------
    coeffs : ndarray of shape (3,)

    Raises
    ------
    TypeError
        Wrong argument types.
    ValueError
        Non-positive sizes or counts.

    References
    ----------
    :cite:p:`he2025root`

    See Also
    --------
    newton_schulz

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.fit_ns_coeffs"
    m = check_int(m, "m", where, min_val=1)
    n = check_int(n, "n", where, min_val=1)
    key = check_key(key, where)
    n_iter = check_int(n_iter, "n_iter", where, min_val=1)
    n_matrices = check_int(n_matrices, "n_matrices", where, min_val=1)
    n_steps = check_int(n_steps, "n_steps", where, min_val=1)
    lr = check_scalar(learning_rate, "learning_rate", where, min_val=0.0, strict_min=True)
    init = _coeff_schedule(init, 1, where)[0]
    G = np.asarray(jax.random.normal(key, (n_matrices, m, n)))
    G = G / np.linalg.norm(G, axis=(1, 2), keepdims=True)
    sig = np.linalg.svd(G, compute_uv=False).ravel()
    # the empirical distribution, summarised by 512 quantiles (one compilation for all shapes)
    sig = jnp.asarray(np.quantile(sig, (np.arange(_N_QUANTILES) + 0.5) / _N_QUANTILES))
    return np.asarray(_fit_impl(sig, jnp.asarray(init, sig.dtype), n_iter, n_steps, lr))


_N_QUANTILES = 512


@partial(jax.jit, static_argnames=("n_iter", "n_steps"))
def _fit_impl(sig, c0, n_iter, n_steps, lr):
    def loss(c):
        return jnp.mean(jnp.abs(_scalar_map(sig, jnp.tile(c, (n_iter, 1))) - 1.0))

    grad = jax.grad(loss)
    b1, b2, tiny = 0.9, 0.999, 1e-12

    def step(carry, t):
        c, mom, vel = carry
        g = grad(c)
        mom = b1 * mom + (1 - b1) * g
        vel = b2 * vel + (1 - b2) * g**2
        mhat = mom / (1 - b1 ** (t + 1))
        vhat = vel / (1 - b2 ** (t + 1))
        return (c - lr * mhat / (jnp.sqrt(vhat) + tiny), mom, vel), None

    (c, _, _), _ = jax.lax.scan(step, (c0, jnp.zeros(3, c0.dtype), jnp.zeros(3, c0.dtype)),
                                jnp.arange(n_steps, dtype=c0.dtype))
    return c


# ---------------------------------------------------------------------------
# Orthogonalized momentum: Muon, ROOT, AuON
# ---------------------------------------------------------------------------

def soft_threshold(M: Any, threshold: float) -> jax.Array:
    """Entrywise soft-thresholding.

    :math:`\\mathcal{T}_\\epsilon(x) = \\operatorname{sign}(x)\\max(\\lvert x\\rvert-\\epsilon, 0)`
    entrywise:
    the proximal map of :math:`\\epsilon\\lVert\\cdot\\rVert_1`. In ROOT it extracts
    the outlier part :math:`O = \\mathcal{T}_\\epsilon(M)` of the momentum.

    Parameters
    ----------
    M : array_like of shape (m, n)
    threshold : float
        :math:`\\epsilon \\ge 0`.

    Returns
    -------
    array of shape (m, n)

    Raises
    ------
    TypeError
        Wrong types.
    ValueError
        Non-finite ``M`` or negative ``threshold``.

    References
    ----------
    :cite:p:`he2025root`

    See Also
    --------
    clip_outliers

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.soft_threshold"
    M = as_matrix(M, "M", where)
    eps = check_scalar(threshold, "threshold", where, min_val=0.0)
    return jnp.sign(M) * jnp.maximum(jnp.abs(M) - eps, 0.0)


def clip_outliers(M: Any, threshold: float) -> jax.Array:
    """ROOT's robust part :math:`B = M - \\mathcal{T}_\\epsilon(M)`.

    The entries of ``M`` clipped to :math:`[-\\epsilon, \\epsilon]`.

    Parameters
    ----------
    M : array_like of shape (m, n)
    threshold : float
        :math:`\\epsilon \\ge 0`.

    Returns
    -------
    array of shape (m, n)

    Raises
    ------
    TypeError
        Wrong types.
    ValueError
        Non-finite ``M`` or negative ``threshold``.

    References
    ----------
    :cite:p:`he2025root`

    See Also
    --------
    soft_threshold, numpy.clip

    Chapter :ref:`orthogonalization`.
    """
    M = as_matrix(M, "M", "orth.clip_outliers")
    return M - soft_threshold(M, threshold)


def muon_direction(M: Any, *, coeffs: Any = MUON_COEFFS, n_iter: int = 5,
                   eps: float = 1e-8) -> jax.Array:
    """Muon's orthogonalized direction for one weight matrix, with its shape scaling.

    :math:`\\sqrt{\\max(1, n/m)}\\,\\mathrm{NS}_5(M)` for a weight of shape (m, n)
    used as ``x @ W`` (m = fan-in, n = fan-out): :func:`newton_schulz` with
    Frobenius normalization plus ``eps``, followed by the width scaling that
    ``optax.contrib.muon`` applies by default.

    Parameters
    ----------
    M : array_like of shape (m, n)
        The (Nesterov) momentum.
    coeffs, n_iter
        As in :func:`newton_schulz`.
    eps : float
        Added to the Frobenius norm.

    Returns
    -------
    array of shape (m, n)

    Raises
    ------
    TypeError
        Wrong types.
    ValueError
        Bad shapes or values.

    References
    ----------
    :cite:p:`jordan2024muon`

    See Also
    --------
    optax.contrib.muon, muon_step

    Chapter :ref:`orthogonalization`.
    """
    X = newton_schulz(M, coeffs=coeffs, n_iter=n_iter, eps=eps)
    m, n = X.shape
    return np.sqrt(max(1.0, n / m)) * X


def muon_step(params: dict, grads: dict, mu: dict | None, count: int, *,
              learning_rate: float, beta: float = 0.95, nesterov: bool = True,
              eps: float = 1e-8, adam_b1: float = 0.9, adam_b2: float = 0.999,
              adam_state: dict | None = None) -> tuple[dict, dict, dict]:
    """One step of Muon on a flat dict of parameters, in optax's convention.

    2-D parameters get the orthogonalized momentum: ``mu <- beta mu + (1 - beta) g``,
    the bias-corrected Nesterov mix
    ``beta mu / (1 - beta^(t+1)) + (1 - beta) g / (1 - beta^t)``, then
    :func:`muon_direction` and ``-learning_rate``. Every other parameter (biases)
    gets AdamW without weight decay (``adam_b1``, ``adam_b2``, ``eps``, and the
    same Nesterov mix when ``nesterov``), as ``optax.contrib.muon`` 0.2.8 does
    by default.

    Parameters
    ----------
    params, grads : dict of str to array
        Same keys and shapes.
    mu : dict or None
        Momenta of the 2-D parameters (None: zeros, first step).
    count : int
        Steps taken before this one (0 for the first).
    learning_rate : float
    beta : float
        Momentum decay.
    nesterov : bool
    eps : float
    adam_b1, adam_b2 : float
        Adam decays for the non-matrix parameters.
    adam_state : dict or None
        Adam moments ``{name: (m, v)}`` (None: zeros).

    Returns
    -------
    new_params : dict
    mu : dict
    adam_state : dict

    Raises
    ------
    TypeError
        ``params`` or ``grads`` not dicts.
    ValueError
        Keys or shapes differ, or bad scalars.

    References
    ----------
    :cite:p:`jordan2024muon`

    See Also
    --------
    optax.contrib.muon

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.muon_step"
    if not isinstance(params, dict) or not isinstance(grads, dict):
        raise fail(where, "params", "dicts of arrays for params and grads",
                   f"{type(params).__name__} and {type(grads).__name__}", exc=TypeError)
    if params.keys() != grads.keys():
        raise fail(where, "grads", f"the keys of params {sorted(params)}", f"{sorted(grads)}")
    lr = check_scalar(learning_rate, "learning_rate", where)
    beta = check_scalar(beta, "beta", where, min_val=0.0, max_val=1.0)
    count = check_int(count, "count", where, min_val=0)
    t = count + 1
    mu = {} if mu is None else dict(mu)
    adam_state = {} if adam_state is None else dict(adam_state)
    new = {}
    for name, p in params.items():
        g = jnp.asarray(grads[name])
        if g.shape != jnp.shape(p):
            raise fail(where, "grads", f"{name} of shape {jnp.shape(p)}", f"shape {g.shape}")
        if g.ndim == 2:
            m = beta * mu.get(name, jnp.zeros_like(g)) + (1 - beta) * g
            mu[name] = m
            if nesterov:
                mhat = beta * m / (1 - beta ** (t + 1)) + (1 - beta) * g / (1 - beta ** t)
            else:
                mhat = m / (1 - beta ** t)
            new[name] = p - lr * muon_direction(mhat, eps=eps)
        else:
            m1, v1 = adam_state.get(name, (jnp.zeros_like(g), jnp.zeros_like(g)))
            m1 = adam_b1 * m1 + (1 - adam_b1) * g
            v1 = adam_b2 * v1 + (1 - adam_b2) * g**2
            adam_state[name] = (m1, v1)
            if nesterov:  # optax passes Muon's nesterov flag on to its AdamW
                mh = (adam_b1 * m1 / (1 - adam_b1 ** (t + 1))
                      + (1 - adam_b1) * g / (1 - adam_b1 ** t))
            else:
                mh = m1 / (1 - adam_b1 ** t)
            vh = v1 / (1 - adam_b2 ** t)
            new[name] = p - lr * mh / (jnp.sqrt(vh) + eps)
    return new, mu, adam_state


def auon_direction(M: Any, *, eps_norm: float = 1e-7, eps_rms: float = 1e-8) -> jax.Array:
    """AuON's update direction: a Frobenius normalization and a cosh-RMS rescaling.

    :math:`G = M / (\\lVert M\\rVert_F + \\epsilon_1)`,
    :math:`U = G / (\\sqrt{\\operatorname{mean}(\\cosh^2 G_{ij})} + \\epsilon_2)`.
    Linear time in the number of entries. Since :math:`\\cosh \\ge 1`,
    :math:`\\lVert U\\rVert_2 \\le \\lVert U\\rVert_F \\le \\lVert G\\rVert_F \\le 1`.
    Both steps divide by a positive scalar, so ``U`` is a positive multiple of
    ``M``: same singular vectors, same condition number.

    Parameters
    ----------
    M : array_like of shape (m, n)
        The momentum.
    eps_norm, eps_rms : float
        The two stabilisers (the paper's :math:`10^{-7}` and :math:`10^{-8}`).

    Returns
    -------
    array of shape (m, n)

    Raises
    ------
    TypeError
        Wrong types.
    ValueError
        Non-finite ``M`` or negative stabilisers.

    References
    ----------
    :cite:p:`maity2025auon`

    See Also
    --------
    muon_direction

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.auon_direction"
    M = as_matrix(M, "M", where)
    e1 = check_scalar(eps_norm, "eps_norm", where, min_val=0.0)
    e2 = check_scalar(eps_rms, "eps_rms", where, min_val=0.0)
    G = M / (jnp.linalg.norm(M) + e1)
    return G / (jnp.sqrt(jnp.mean(jnp.cosh(G) ** 2)) + e2)


# ---------------------------------------------------------------------------
# Orthogonal circular convolutions (1-D, stride 1)
# ---------------------------------------------------------------------------

def _kernel(K: Any, where: str) -> jax.Array:
    arr = np.asarray(K)
    if arr.ndim != 3 or arr.dtype.kind not in "iuf" or arr.size == 0:
        exc = TypeError if arr.dtype.kind not in "iuf" else ValueError
        raise fail(where, "K", "a real kernel of shape (M, C, k)",
                   f"shape {arr.shape}, dtype {arr.dtype}", exc=exc)
    check_finite(arr, "K", where)
    return jnp.asarray(arr, dtype=jnp.result_type(float))


def circular_conv_matrix(K: Any, N: int) -> jax.Array:
    """The matrix of a 1-D multi-channel circular convolution (stride 1).

    :math:`y_m[t] = \\sum_c \\sum_{s=0}^{k-1} K[m, c, s]\\, x_c[(t + s) \\bmod N]`,
    with channels stacked: row ``m * N + t``, column ``c * N + u``.

    Parameters
    ----------
    K : array_like of shape (M, C, k)
        Output channels, input channels, kernel width.
    N : int
        Signal length, ``>= k``.

    Returns
    -------
    array of shape (M * N, C * N)

    Raises
    ------
    TypeError
        ``K`` not a real array or ``N`` not an int.
    ValueError
        Bad kernel shape or ``N < k``.

    References
    ----------
    :cite:p:`achour2022existence`

    See Also
    --------
    scipy.linalg.circulant : the single-channel case.

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.circular_conv_matrix"
    K = np.asarray(_kernel(K, where))
    M, C, k = K.shape
    N = check_int(N, "N", where, min_val=k)
    t = np.arange(N)
    shifts = (t[None, :] - t[:, None]) % N  # column u = t + s  ->  s = u - t
    blocks = np.where(shifts < k, K[:, :, np.minimum(shifts, k - 1)], 0.0)
    return jnp.asarray(blocks.transpose(0, 2, 1, 3).reshape(M * N, C * N))


def conv_singular_values(K: Any, N: int) -> jax.Array:
    """Singular values of a circular convolution from its per-frequency channel matrices.

    The DFT block-diagonalises the layer: for each frequency :math:`\\omega`,
    :math:`\\hat K(\\omega) = \\sum_s K[:, :, s]\\, e^{2\\pi i \\omega s / N}` is an
    (M, C) matrix and the singular values of the layer are the union of theirs.
    Cost :math:`O(N\\,MC\\min(M, C))` instead of :math:`O(N^3 MC\\min(M,C))`.

    Parameters
    ----------
    K : array_like of shape (M, C, k)
    N : int
        Signal length, ``>= k``.

    Returns
    -------
    array of shape (N, min(M, C))
        Row :math:`\\omega` holds the singular values of :math:`\\hat K(\\omega)`.

    Raises
    ------
    TypeError
        ``K`` not a real array or ``N`` not an int.
    ValueError
        Bad kernel shape or ``N < k``.

    References
    ----------
    :cite:p:`sedghi2019singular,achour2022existence`

    See Also
    --------
    circular_conv_matrix, numpy.fft.fft

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.conv_singular_values"
    K = _kernel(K, where)
    N = check_int(N, "N", where, min_val=K.shape[2])
    Khat = np.conj(np.fft.fft(np.asarray(K), n=N, axis=2)).transpose(2, 0, 1)  # e^{+2 pi i w s/N}
    return jnp.asarray(np.linalg.svd(Khat, compute_uv=False))  # N small SVDs (LAPACK, batched)


def conv_orth_loss(K: Any) -> float:
    """The orthogonality regulariser :math:`L_{\\mathrm{orth}}(K)` for row orthogonality.

    :math:`L_{\\mathrm{orth}} = \\sum_{d=-(k-1)}^{k-1} \\lVert C_d - \\delta_{d0} I_M\\rVert_F^2`,
    :math:`C_d[m, m'] = \\sum_c \\sum_s K[m, c, s]\\, K[m', c, s - d]`: the
    squared distance of the full self-convolution of the kernel to the identity
    kernel :cite:p:`wang2020orthogonal`. It does not depend on ``N``.

    Parameters
    ----------
    K : array_like of shape (M, C, k)

    Returns
    -------
    float

    Raises
    ------
    TypeError
        ``K`` not a real array.
    ValueError
        Bad kernel shape.

    References
    ----------
    :cite:p:`achour2022existence,wang2020orthogonal`

    See Also
    --------
    conv_singular_values

    Chapter :ref:`orthogonalization`.
    """
    K = np.asarray(_kernel(K, "orth.conv_orth_loss"))
    M, C, k = K.shape
    total = 0.0
    for d in range(-(k - 1), k):
        Cd = np.zeros((M, M))
        for s in range(k):
            if 0 <= s - d < k:
                Cd += K[:, :, s] @ K[:, :, s - d].T
        if d == 0:
            Cd -= np.eye(M)
        total += float(np.sum(Cd**2))
    return total


# ---------------------------------------------------------------------------
# DCT column selection (SVD-free low-rank projection)
# ---------------------------------------------------------------------------

def dct_matrix(n: int) -> jax.Array:
    """The orthonormal DCT-II basis as columns: ``x @ D`` is ``dct(x, norm="ortho")``.

    :math:`D[t, j] = s_j \\cos(\\pi (2t + 1) j / (2n))`, :math:`s_0 = \\sqrt{1/n}`,
    :math:`s_j = \\sqrt{2/n}`.

    Parameters
    ----------
    n : int
        Size, ``>= 1``.

    Returns
    -------
    D : array of shape (n, n)
        Orthogonal.

    Raises
    ------
    TypeError
        ``n`` not an int.
    ValueError
        ``n < 1``.

    References
    ----------
    :cite:p:`ahmed1974discrete,modoranu2025svdfree`

    See Also
    --------
    scipy.fft.dct

    Chapter :ref:`orthogonalization`.
    """
    n = check_int(n, "n", "orth.dct_matrix", min_val=1)
    t = jnp.arange(n)[:, None]
    j = jnp.arange(n)[None, :]
    scale = jnp.where(j == 0, jnp.sqrt(1.0 / n), jnp.sqrt(2.0 / n))
    return scale * jnp.cos(jnp.pi * (2 * t + 1) * j / (2 * n))


@jax.jit
def _dct_scores(G):
    Y = jax.scipy.fft.dct(G, type=2, axis=1, norm="ortho")  # = G @ D, O(mn log n)
    return jnp.sum(Y**2, axis=0)


def dct_select(G: Any, r: int) -> jax.Array:
    """Indices of the ``r`` DCT basis columns best aligned with the rows of ``G``.

    Computes :math:`Y = GD` with a fast DCT along the rows (:math:`O(mn\\log n)`,
    no dependence on ``r``), scores column ``j`` by :math:`\\lVert Y_{:, j}\\rVert^2`
    (the energy of ``G`` along :math:`d_j`) and keeps the ``r`` largest. The
    projection :math:`G D_S D_S^\\top` then keeps the energy
    :math:`\\sum_{j\\in S}\\lVert Y_{:,j}\\rVert^2`, the best any ``r`` columns of
    this fixed basis can keep; only the ``r`` integers need storing.

    Parameters
    ----------
    G : array_like of shape (m, n)
        A gradient.
    r : int
        ``1 <= r <= n``.

    Returns
    -------
    array of int, shape (r,)

    Raises
    ------
    TypeError
        Wrong types.
    ValueError
        Non-finite ``G`` or ``r`` out of range.

    References
    ----------
    :cite:p:`modoranu2025svdfree`

    See Also
    --------
    dct_matrix, scipy.fft.dct, numpy.linalg.svd : the optimal (SVD) projection.

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.dct_select"
    G = as_matrix(G, "G", where)
    r = check_int(r, "r", where, min_val=1, max_val=G.shape[1])
    scores = np.asarray(_dct_scores(G))
    return jnp.asarray(np.argsort(-scores, kind="stable")[:r])


# ---------------------------------------------------------------------------
# Rotation representations
# ---------------------------------------------------------------------------

def _batch(x: Any, tail: tuple[int, ...], name: str, where: str) -> jax.Array:
    arr = np.asarray(x)
    if arr.dtype.kind not in "iuf" or arr.shape[arr.ndim - len(tail):] != tail:
        exc = TypeError if arr.dtype.kind not in "iuf" else ValueError
        raise fail(where, name, f"a real array of shape (..., {', '.join(map(str, tail))})",
                   f"shape {arr.shape}, dtype {arr.dtype}", exc=exc)
    check_finite(arr, name, where)
    return jnp.asarray(arr, dtype=jnp.result_type(float))


def rotation_from_6d(x: Any) -> jax.Array:
    """Rotation matrix from the 6D representation by Gram–Schmidt.

    The two 3-vectors :math:`a_1, a_2` are orthonormalised to :math:`b_1, b_2` and
    completed by :math:`b_3 = b_1 \\times b_2`; the rotation has columns
    :math:`(b_1, b_2, b_3)`. Continuous wherever :math:`a_1, a_2` are independent.

    Parameters
    ----------
    x : array_like of shape (..., 6)
        :math:`(a_1, a_2)` concatenated.

    Returns
    -------
    array of shape (..., 3, 3)

    Raises
    ------
    TypeError
        Not a real array.
    ValueError
        Last axis not of size 6, or non-finite.

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    rotation_to_6d, scipy.spatial.transform.Rotation

    Chapter :ref:`orthogonalization`.
    """
    x = _batch(x, (6,), "x", "orth.rotation_from_6d")
    return _rotation_from_6d_impl(x)


@jax.jit
def _rotation_from_6d_impl(x):
    a1, a2 = x[..., :3], x[..., 3:]
    b1 = a1 / jnp.linalg.norm(a1, axis=-1, keepdims=True)
    v = a2 - jnp.sum(b1 * a2, axis=-1, keepdims=True) * b1
    b2 = v / jnp.linalg.norm(v, axis=-1, keepdims=True)
    return jnp.stack([b1, b2, jnp.cross(b1, b2)], axis=-1)


def rotation_to_6d(R: Any) -> jax.Array:
    """The 6D representation of a rotation: its first two columns.

    Parameters
    ----------
    R : array_like of shape (..., 3, 3)

    Returns
    -------
    array of shape (..., 6)

    Raises
    ------
    TypeError
        Not a real array.
    ValueError
        Bad shape or non-finite.

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    rotation_from_6d

    Chapter :ref:`orthogonalization`.
    """
    R = _batch(R, (3, 3), "R", "orth.rotation_to_6d")
    return _rotation_to_6d_impl(R)


@jax.jit
def _rotation_to_6d_impl(R):
    return jnp.concatenate([R[..., :, 0], R[..., :, 1]], axis=-1)


def quaternion_from_rotation(R: Any) -> jax.Array:
    """Unit quaternion :math:`(w, x, y, z)` with :math:`w \\ge 0` of a rotation matrix.

    Uses the numerically safe branch on the largest of
    :math:`(w^2, x^2, y^2, z^2)`, then fixes the sign so that :math:`w \\ge 0`
    (the usual half-sphere convention). That convention is discontinuous at
    rotations by :math:`\\pi`, where :math:`w = 0`.

    Parameters
    ----------
    R : array_like of shape (..., 3, 3)

    Returns
    -------
    array of shape (..., 4)

    Raises
    ------
    TypeError
        Not a real array.
    ValueError
        Bad shape or non-finite.

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    scipy.spatial.transform.Rotation.as_quat : scalar-last order (x, y, z, w).

    Chapter :ref:`orthogonalization`.
    """
    R = _batch(R, (3, 3), "R", "orth.quaternion_from_rotation")
    return _quaternion_from_rotation_impl(R)


@jax.jit
def _quaternion_from_rotation_impl(R):
    r = lambda i, j: R[..., i, j]  # noqa: E731
    tr = r(0, 0) + r(1, 1) + r(2, 2)
    cands = jnp.stack([
        jnp.stack([1 + tr, r(2, 1) - r(1, 2), r(0, 2) - r(2, 0), r(1, 0) - r(0, 1)], -1),
        jnp.stack([r(2, 1) - r(1, 2), 1 + r(0, 0) - r(1, 1) - r(2, 2), r(0, 1) + r(1, 0),
                   r(0, 2) + r(2, 0)], -1),
        jnp.stack([r(0, 2) - r(2, 0), r(0, 1) + r(1, 0), 1 - r(0, 0) + r(1, 1) - r(2, 2),
                   r(1, 2) + r(2, 1)], -1),
        jnp.stack([r(1, 0) - r(0, 1), r(0, 2) + r(2, 0), r(1, 2) + r(2, 1),
                   1 - r(0, 0) - r(1, 1) + r(2, 2)], -1),
    ], -2)  # row i = 4 q_i q
    diag = jnp.stack([1 + tr, 1 + r(0, 0) - r(1, 1) - r(2, 2), 1 - r(0, 0) + r(1, 1) - r(2, 2),
                      1 - r(0, 0) - r(1, 1) + r(2, 2)], -1)
    best = jnp.argmax(diag, axis=-1)
    q = jnp.take_along_axis(cands, best[..., None, None], axis=-2)[..., 0, :]
    q = q / jnp.linalg.norm(q, axis=-1, keepdims=True)
    return jnp.where(q[..., :1] < 0, -q, q)


def rotation_from_quaternion(q: Any) -> jax.Array:
    """Rotation matrix of a quaternion :math:`(w, x, y, z)` (normalised first).

    Parameters
    ----------
    q : array_like of shape (..., 4)

    Returns
    -------
    array of shape (..., 3, 3)

    Raises
    ------
    TypeError
        Not a real array.
    ValueError
        Bad shape or non-finite.

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    scipy.spatial.transform.Rotation.from_quat

    Chapter :ref:`orthogonalization`.
    """
    q = _batch(q, (4,), "q", "orth.rotation_from_quaternion")
    return _rotation_from_quaternion_impl(q)


@jax.jit
def _rotation_from_quaternion_impl(q):
    q = q / jnp.linalg.norm(q, axis=-1, keepdims=True)
    w, x, y, z = q[..., 0], q[..., 1], q[..., 2], q[..., 3]
    rows = [
        [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
        [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
        [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
    ]
    return jnp.stack([jnp.stack(row, -1) for row in rows], -2)


def euler_from_rotation(R: Any) -> jax.Array:
    """Intrinsic z-y-x Euler angles (yaw, pitch, roll) of a rotation: :math:`R = R_z R_y R_x`.

    Pitch is in :math:`[-\\pi/2, \\pi/2]`, yaw and roll in :math:`(-\\pi, \\pi]`;
    the map jumps where an angle wraps around and is singular at pitch
    :math:`\\pm\\pi/2` (gimbal lock).

    Parameters
    ----------
    R : array_like of shape (..., 3, 3)

    Returns
    -------
    array of shape (..., 3)

    Raises
    ------
    TypeError
        Not a real array.
    ValueError
        Bad shape or non-finite.

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    scipy.spatial.transform.Rotation.as_euler : ``as_euler("ZYX")``.

    Chapter :ref:`orthogonalization`.
    """
    R = _batch(R, (3, 3), "R", "orth.euler_from_rotation")
    return _euler_from_rotation_impl(R)


@jax.jit
def _euler_from_rotation_impl(R):
    yaw = jnp.arctan2(R[..., 1, 0], R[..., 0, 0])
    pitch = jnp.arcsin(jnp.clip(-R[..., 2, 0], -1.0, 1.0))
    roll = jnp.arctan2(R[..., 2, 1], R[..., 2, 2])
    return jnp.stack([yaw, pitch, roll], -1)


def rotation_from_euler(angles: Any) -> jax.Array:
    """Rotation :math:`R_z(\\text{yaw}) R_y(\\text{pitch}) R_x(\\text{roll})`.

    Parameters
    ----------
    angles : array_like of shape (..., 3)
        (yaw, pitch, roll) in radians.

    Returns
    -------
    array of shape (..., 3, 3)

    Raises
    ------
    TypeError
        Not a real array.
    ValueError
        Bad shape or non-finite.

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    scipy.spatial.transform.Rotation.from_euler : ``from_euler("ZYX", angles)``.

    Chapter :ref:`orthogonalization`.
    """
    a = _batch(angles, (3,), "angles", "orth.rotation_from_euler")
    return _rotation_from_euler_impl(a)


@jax.jit
def _rotation_from_euler_impl(a):
    cz, sz = jnp.cos(a[..., 0]), jnp.sin(a[..., 0])
    cy, sy = jnp.cos(a[..., 1]), jnp.sin(a[..., 1])
    cx, sx = jnp.cos(a[..., 2]), jnp.sin(a[..., 2])
    rows = [
        [cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx],
        [sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx],
        [-sy, cy * sx, cy * cx],
    ]
    return jnp.stack([jnp.stack(row, -1) for row in rows], -2)


def geodesic_angle(R1: Any, R2: Any) -> jax.Array:
    """Geodesic distance on SO(3): the angle of :math:`R_1^\\top R_2`, in radians.

    :math:`\\theta = \\operatorname{atan2}(\\sin\\theta, \\cos\\theta)` with
    :math:`\\cos\\theta = (\\operatorname{tr}(R) - 1)/2` and :math:`\\sin\\theta` from the
    skew part of :math:`R = R_1^\\top R_2`; in :math:`[0, \\pi]`.

    Parameters
    ----------
    R1, R2 : array_like of shape (..., 3, 3)
        Broadcastable batches.

    Returns
    -------
    array of shape (...)

    Raises
    ------
    TypeError
        Not real arrays.
    ValueError
        Bad shapes or non-finite.

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    scipy.spatial.transform.Rotation.magnitude : of ``R1.inv() * R2``.

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.geodesic_angle"
    R1 = _batch(R1, (3, 3), "R1", where)
    R2 = _batch(R2, (3, 3), "R2", where)
    return _geodesic_impl(R1, R2)


@jax.jit
def _geodesic_impl(R1, R2):
    R = jnp.swapaxes(R1, -1, -2) @ R2
    cos = (jnp.trace(R, axis1=-2, axis2=-1) - 1.0) / 2.0
    w = jnp.stack([R[..., 2, 1] - R[..., 1, 2], R[..., 0, 2] - R[..., 2, 0],
                   R[..., 1, 0] - R[..., 0, 1]], -1)
    sin = jnp.linalg.norm(w, axis=-1) / 2.0  # atan2 stays accurate near 0 and near pi
    return jnp.arctan2(sin, cos)


# ---------------------------------------------------------------------------
# The autoencoder sanity test of Zhou et al.
# ---------------------------------------------------------------------------

_DECODERS = {
    "6d": (6, lambda y: _rotation_from_6d_impl(y)),
    "quaternion": (4, lambda y: _rotation_from_quaternion_impl(
        y / jnp.linalg.norm(y, axis=-1, keepdims=True))),
    "euler": (3, lambda y: _rotation_from_euler_impl(y)),
}


def random_rotations(n: int, *, key: jax.Array) -> jax.Array:
    """Haar-distributed rotation matrices (from normalised Gaussian quaternions).

    Parameters
    ----------
    n : int
        How many, ``>= 1``.
    key : jax.Array
        PRNG key.

    Returns
    -------
    array of shape (n, 3, 3)

    Raises
    ------
    TypeError
        Wrong types.
    ValueError
        ``n < 1``.

    See Also
    --------
    scipy.spatial.transform.Rotation.random

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.random_rotations"
    n = check_int(n, "n", where, min_val=1)
    return _haar(check_key(key, where), n)


def rotation_autoencoder(reps: tuple[str, ...] = ("6d", "quaternion", "euler"), *,
                         key: jax.Array, n_steps: int = 2000, width: int = 64,
                         batch: int = 64, learning_rate: float = 1e-3,
                         n_test: int = 2000) -> dict[str, jax.Array]:
    """Train small MLP autoencoders through rotation representations; test geodesic errors.

    The sanity test of :cite:t:`zhou2019continuity`, scaled down: for each
    representation an MLP :math:`9 \\to` ``width`` :math:`\\to` ``width``
    :math:`\\to d` (ReLU) reads a rotation matrix, its output is decoded to a
    rotation (6D by Gram–Schmidt, quaternion by normalisation, Euler angles), and
    it is trained with Adam on :math:`\\lVert \\hat R - R\\rVert_F^2` over fresh
    Haar-random batches. The encoder must learn the map from matrices to the
    representation; for a discontinuous representation no continuous network can.
    The networks are independent (separate weights, the same batches) and are
    trained in one compiled program.

    Parameters
    ----------
    reps : tuple of {"6d", "quaternion", "euler"}
    key : jax.Array
        PRNG key (initialisation, batches, test set).
    n_steps, width, batch : int
        Training steps, hidden width, batch size.
    learning_rate : float
        Adam step size.
    n_test : int
        Test rotations.

    Returns
    -------
    dict of str to array of shape (n_test,)
        Geodesic errors in radians on the test rotations, per representation.

    Raises
    ------
    TypeError
        Wrong types.
    ValueError
        Unknown representation or non-positive sizes.

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    rotation_from_6d, quaternion_from_rotation, euler_from_rotation

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.rotation_autoencoder"
    reps = tuple(reps)
    if not reps:
        raise fail(where, "reps", "a non-empty tuple of representations", "()")
    for rep in reps:
        check_choice(rep, "reps", where, tuple(_DECODERS))
    key = check_key(key, where)
    n_steps = check_int(n_steps, "n_steps", where, min_val=1)
    width = check_int(width, "width", where, min_val=1)
    batch = check_int(batch, "batch", where, min_val=1)
    n_test = check_int(n_test, "n_test", where, min_val=1)
    lr = check_scalar(learning_rate, "learning_rate", where, min_val=0.0, strict_min=True)
    errors = _autoencoder_impl(key, reps, n_steps, width, batch, lr, n_test)
    return dict(zip(reps, errors, strict=True))


def _haar(key, n):
    q = jax.random.normal(key, (n, 4))
    return _rotation_from_quaternion_impl(q / jnp.linalg.norm(q, axis=-1, keepdims=True))


@partial(jax.jit, static_argnames=("reps", "n_steps", "width", "batch", "n_test"))
def _autoencoder_impl(key, reps, n_steps, width, batch, lr, n_test):
    k_init, k_train, k_test = jax.random.split(key, 3)

    def init(k, d):
        sizes = [9, width, width, d]
        ks = jax.random.split(k, len(sizes) - 1)
        return [(jax.random.normal(kk, (a, b)) * jnp.sqrt(2.0 / a), jnp.zeros(b))
                for kk, a, b in zip(ks, sizes[:-1], sizes[1:], strict=True)]

    params = tuple(init(jax.random.fold_in(k_init, i), _DECODERS[r][0])
                   for i, r in enumerate(reps))

    def net(p, rep, R):
        h = R.reshape(R.shape[0], 9)
        for i, (W, b) in enumerate(p):
            h = h @ W + b
            if i < len(p) - 1:
                h = jax.nn.relu(h)
        return _DECODERS[rep][1](h)

    def loss(ps, R):  # a sum of independent losses: separate gradients
        return sum(jnp.mean(jnp.sum((net(p, r, R) - R) ** 2, axis=(-2, -1)))
                   for p, r in zip(ps, reps, strict=True))

    grad = jax.grad(loss)
    b1, b2, tiny = 0.9, 0.999, 1e-8

    def step(carry, t):
        p, m, v = carry
        g = grad(p, _haar(jax.random.fold_in(k_train, t), batch))
        m = jax.tree.map(lambda a, b: b1 * a + (1 - b1) * b, m, g)
        v = jax.tree.map(lambda a, b: b2 * a + (1 - b2) * b**2, v, g)
        c1, c2 = 1 - b1 ** (t + 1.0), 1 - b2 ** (t + 1.0)
        p = jax.tree.map(lambda w, a, b: w - lr * (a / c1) / (jnp.sqrt(b / c2) + tiny), p, m, v)
        return (p, m, v), None

    zeros = jax.tree.map(jnp.zeros_like, params)
    (params, _, _), _ = jax.lax.scan(step, (params, zeros, zeros), jnp.arange(n_steps))
    R = _haar(k_test, n_test)
    return tuple(_geodesic_impl(net(p, r, R), R) for p, r in zip(params, reps, strict=True))
