"""The polar factor: SVD, scaled Newton, QDWH and Newton–Schulz polynomials."""

from __future__ import annotations

import contextlib
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import scipy.linalg as sla

from eigenbook._checks import (
    as_matrix,
    check_choice,
    check_finite,
    check_int,
    check_key,
    check_scalar,
    check_tol,
    fail,
    warn_unconverged,
)

from .. import nn
from ..eigen._host import one_blas_thread
from ._common import MUON_COEFFS, _tall


class PolarResult(NamedTuple):
    """The polar factor from an iteration (:func:`polar_newton`, :func:`polar_qdwh`).

    Attributes
    ----------
    Q : array of shape (m, n)
        The last iterate, the approximate polar factor :math:`UV^\\top`.
    converged : bool array of shape ()
        ``residual <= tol`` (the call's ``tol``).
    residual : array of shape ()
        Orthogonality defect of the returned iterate,
        :math:`\\lVert Q^\\top Q - I\\rVert_F` (one product, :math:`2mn^2` flops). The
        iterations keep the singular vectors of ``A``, so ``Q`` is then within about
        ``residual / 2`` of the polar factor (plus rounding). The last step's
        relative change would be free but is no test for QDWH: its first steps,
        weighted for singular values near ``l0``, barely move the large ones.
    n_iter : int
        Steps taken.
    """

    Q: jax.Array
    converged: jax.Array
    residual: jax.Array
    n_iter: int


class NSCoeffsFit(NamedTuple):
    """A quintic Newton–Schulz triple fitted to a matrix shape (:func:`fit_ns_coeffs`).

    Attributes
    ----------
    coeffs : ndarray of shape (3,)
        The fitted (a, b, c).
    objective : float
        The fitted objective (mean spectral error on the quantiles) at ``coeffs``.
    initial_objective : float
        The same objective at ``init``.
    """

    coeffs: np.ndarray
    objective: float
    initial_objective: float


def _polar_result(Q, defect, n_iter: int, tol: float, where: str, hint: str) -> PolarResult:
    """PolarResult from the last iterate and its defect; the warning when it is not converged."""
    conv = defect <= tol
    if not bool(conv):
        warn_unconverged(where, tol=tol, reached=float(defect), what="||Q^T Q - I||_F",
                         n_iter=n_iter, hint=hint, stacklevel=4)
    return PolarResult(Q, conv, defect, n_iter)


def _defect(X):
    """``||X^T X - I||_F`` of X (m, n)."""
    return jnp.linalg.norm(X.T @ X - jnp.eye(X.shape[1], dtype=X.dtype))


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

    X = jax.lax.fori_loop(0, n_iter, body, A)
    return X, _defect(X)


def polar_newton(A: Any, *, n_iter: int = 10, scaled: bool = True,
                 tol: float | None = None) -> PolarResult:
    """Polar factor of a square nonsingular matrix by (scaled) Newton iteration.

    :math:`X_{k+1} = \\tfrac12(\\mu_k X_k + \\mu_k^{-1} X_k^{-\\top})`, :math:`X_0 = A`,
    with the Frobenius-norm scaling
    :math:`\\mu_k = (\\lVert X_k^{-1}\\rVert_F / \\lVert X_k\\rVert_F)^{1/2}` (or
    :math:`\\mu_k = 1`). Each singular value follows the scalar map
    :math:`\\sigma \\mapsto (\\mu\\sigma + 1/(\\mu\\sigma))/2`: global, quadratic
    convergence; the scaling brings the number of steps for :math:`\\kappa = 10^{16}`
    down to about 9. One inverse per step (:math:`2n^3` flops). It always runs
    ``n_iter`` steps; the result is converged when its orthogonality defect
    :math:`\\lVert Q^\\top Q - I\\rVert_F` is at most ``tol``, and a
    :class:`eigenbook.ConvergenceWarning` says when it is not.

    Parameters
    ----------
    A : array_like of shape (n, n)
        Nonsingular.
    n_iter : int
        Number of steps, ``>= 1``.
    scaled : bool
        Use the Frobenius scaling.
    tol : float, optional
        Tolerance on :math:`\\lVert Q^\\top Q - I\\rVert_F`, ``> 0``; default sqrt(eps)
        of the dtype (1.5e-8 in float64).

    Returns
    -------
    PolarResult
        ``Q`` (n, n), ``converged`` (), ``residual`` ()
        (:math:`\\lVert Q^\\top Q - I\\rVert_F`), ``n_iter``.

    Warns
    -----
    eigenbook.ConvergenceWarning
        When the defect is above ``tol`` (too few steps, or ``scaled=False`` on
        an ill-conditioned ``A``).

    Raises
    ------
    TypeError
        ``A`` is not a numeric array or ``n_iter`` not an int.
    ValueError
        ``A`` is not finite and square, ``n_iter < 1`` or ``tol <= 0``.

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
    tol = check_tol(tol, A.dtype, where)
    Q, defect = _polar_newton_impl(A, n_iter, bool(scaled))
    return _polar_result(Q, defect, n_iter, tol, where,
                         "Raise n_iter (about 9 scaled steps reach kappa = 1e16).")


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


def _qdwh_step_weights(l_k: float) -> tuple[float, float, float, float]:
    """One step's weights (a, b, c) for singular values in [l_k, 1], and the next bound."""
    a, b, c = (float(w) for w in _qdwh_weights(l_k, 1)[0])
    return a, b, c, min(1.0, l_k * (a + b * l_k**2) / (1.0 + c * l_k**2))


def _n_qdwh_steps(l0: float) -> int:
    """Steps until the bound l_k reaches 1 - 1e-15 (at most 20)."""
    n_iter, l_k = 0, l0
    while l_k < 1 - 1e-15 and n_iter < 20:
        l_k = _qdwh_step_weights(l_k)[3]
        n_iter += 1
    return max(n_iter, 1)


def _norm2_estimate(A: np.ndarray, n_power: int = 8) -> float:
    """A slight over-estimate of ``||A||_2``: power iteration on A^T A, times 1.01,
    capped by ``||A||_F`` (an upper bound)."""
    v = np.random.default_rng(0).standard_normal(A.shape[1]).astype(A.dtype)
    s = 0.0
    for _ in range(n_power):
        v = A.T @ (A @ v)
        s = float(np.linalg.norm(v))
        if s == 0.0:
            break
        v /= s
    return min(1.01 * np.sqrt(s), float(np.linalg.norm(A)))


def _sigma_min_estimate(A: np.ndarray, n_inverse: int = 6) -> float:
    """0.9 times an inverse-iteration estimate of sigma_min(A), QDWH's start bound.

    Inverse iteration on (A^T A)^{-1} through the LU of a square A (the R of a thin QR
    of a tall one) costs two triangular solve pairs per step; its Rayleigh quotient
    approaches sigma_min from above, hence a margin of 10 % (an estimate still too
    high is caught by the defect test of :func:`polar_qdwh`). Returns 0 when A is
    numerically singular.
    """
    m, n = A.shape
    if m == n:
        lu = sla.lu_factor(A, check_finite=False)
        if np.any(np.diag(lu[0]) == 0):
            return 0.0

        def solve(v):  # (A^T A)^{-1} v
            return sla.lu_solve(lu, sla.lu_solve(lu, v, trans=1, check_finite=False),
                                check_finite=False)
    else:
        R = sla.qr(A, mode="r", check_finite=False)[0][:n]
        if np.any(np.diag(R) == 0):
            return 0.0

        def solve(v):
            w = sla.solve_triangular(R, v, trans="T", check_finite=False)
            return sla.solve_triangular(R, w, check_finite=False)
    v = np.random.default_rng(0).standard_normal(n).astype(A.dtype)
    v /= np.linalg.norm(v)
    s = 0.0
    for _ in range(n_inverse):
        w = solve(v)
        s = float(np.linalg.norm(w))      # -> ||(A^T A)^{-1}|| = 1 / sigma_min^2
        if not np.isfinite(s) or s == 0.0:
            return 0.0
        v = w / s
    return 0.9 / np.sqrt(s)


def _qr_step(X: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
    """``(b/c) X + (a - b/c) c^{-1/2} Q_1 Q_2^T`` for the thin QR of ``[sqrt(c) X; I]``.

    LAPACK's triangular-pentagonal QR (``tpqrt``: the identity block is already
    triangular, 2 m n^2 flops instead of 2 (m + n) n^2 - 2 n^3 / 3) gives the
    reflectors, ``tpmqrt`` the two blocks of Q, and one GEMM with beta = b/c the update.
    X (m, n) is Fortran-ordered, as LAPACK wants, and so is the result.
    """
    n = X.shape[1]
    tpqrt, tpmqrt = sla.lapack.get_lapack_funcs(("tpqrt", "tpmqrt"), (X,))
    gemm, = sla.blas.get_blas_funcs(("gemm",), (X,))
    _, V, T, _ = tpqrt(0, min(64, n), np.eye(n, dtype=X.dtype, order="F"),
                       np.sqrt(c) * X, overwrite_a=1, overwrite_b=1)
    Q2, Q1, _ = tpmqrt(0, V, T, np.eye(n, dtype=X.dtype, order="F"),
                       np.zeros(X.shape, X.dtype, order="F"), overwrite_a=1, overwrite_b=1)
    return gemm((a - b / c) / np.sqrt(c), Q1, Q2, beta=b / c, c=X, trans_b=1)


def _cholesky_step(X: np.ndarray, a: float, b: float, c: float) -> np.ndarray | None:
    """``X [(b/c) I + (a - b/c) (I + c X^T X)^{-1}]``: Cholesky (``potrf``), the
    inverse from it (``potri``) and one symmetric product (``symm``); None when
    ``I + c X^T X`` is not numerically positive definite."""
    n = X.shape[1]
    potrf, potri = sla.lapack.get_lapack_funcs(("potrf", "potri"), (X,))
    symm, = sla.blas.get_blas_funcs(("symm",), (X,))
    Z = X.T @ X                       # symmetric: its transpose is the F-ordered copy
    Z *= c
    Z.flat[:: n + 1] += 1.0
    U, info = potrf(Z.T, lower=0, overwrite_a=1)
    if info != 0:
        return None
    Zi, info = potri(U, lower=0, overwrite_c=1)
    if info != 0:
        return None
    Zi *= a - b / c
    Zi.flat[:: n + 1] += b / c
    return symm(1.0, Zi, X, side=1, lower=0)


def _qdwh_host(A: np.ndarray, alpha: float, weights: list[tuple[float, float, float]],
               ) -> np.ndarray:
    """The QDWH steps on the host (LAPACK): X_0 = A / alpha, then per step (a, b, c)
    the QR form while c > 100 and the Cholesky form ``X (I + c X^T X)^{-1}`` after it
    (Nakatsukasa & Higham 2013: I + c X^T X then has condition at most 1 + c).
    Returns X (m, n), Fortran-ordered."""
    X = np.asfortranarray(A / alpha)
    for a, b, c in weights:
        Y = _cholesky_step(X, a, b, c) if c <= 100.0 else None
        X = _qr_step(X, a, b, c) if Y is None else Y
    return X


def _qdwh_run(An: np.ndarray, l0: float | None, n_iter: int | None,
              ) -> tuple[np.ndarray, float, int]:
    """QDWH on a numpy array: ``(X, ||X^T X - I||_F, steps)`` (see :func:`polar_qdwh`)."""
    if l0 is None:  # estimated: ||A||_2 from above, sigma_min from below
        alpha = _norm2_estimate(An)
        l_start = float(np.clip(_sigma_min_estimate(An) / max(alpha, np.finfo(An.dtype).tiny),
                                1e-15, 1.0))
    else:
        alpha, l_start = float(np.linalg.norm(An)), l0
    if alpha == 0.0:
        alpha = 1.0
    steps = _n_qdwh_steps(l_start) if n_iter is None else n_iter
    weights, l_k = [], l_start
    for _ in range(steps):
        a, b, c, l_k = _qdwh_step_weights(l_k)
        weights.append((a, b, c))
    X = _qdwh_host(An, alpha, weights)
    eye = np.eye(X.shape[1], dtype=X.dtype)
    defect = float(np.linalg.norm(X.T @ X - eye))
    if l0 is None and n_iter is None:
        # an estimated bound that was too high leaves sigma_min short of 1: Halley steps
        # (a, b, c) = (3, 1, 3), cubic near 1, until the defect is at rounding level
        # (100 sqrt(n) eps) or stops falling
        level = 100.0 * np.sqrt(X.shape[1]) * float(np.finfo(X.dtype).eps)
        while defect > level and steps < 20:
            X_new = _qdwh_host(X, 1.0, [(3.0, 1.0, 3.0)])
            d_new = float(np.linalg.norm(X_new.T @ X_new - eye))
            if d_new > 0.5 * defect:
                break
            X, defect, steps = X_new, d_new, steps + 1
    return X, defect, steps


def polar_qdwh(A: Any, *, l0: float | None = None, n_iter: int | None = None,
               tol: float | None = None) -> PolarResult:
    """Polar factor by the QR-based dynamically weighted Halley iteration (QDWH).

    After :math:`X_0 = A / \\alpha` each step is the rational map
    :math:`\\sigma \\mapsto \\sigma(a + b\\sigma^2)/(1 + c\\sigma^2)`, evaluated
    inverse-free through one thin QR of the stacked matrix
    :math:`[\\sqrt{c}X;\\ I] = [Q_1; Q_2]R`:
    :math:`X \\leftarrow (b/c)X + (a - b/c)c^{-1/2}Q_1Q_2^\\top`, while
    :math:`c > 100`, and through a Cholesky factorisation of
    :math:`I + cX^\\top X` (condition at most :math:`1 + c`) after:
    :math:`X \\leftarrow (b/c)X + (a - b/c)X(I + cX^\\top X)^{-1}`. The weights are
    optimal for singular values in :math:`[\\ell_k, 1]`; from
    :math:`\\ell_0 = 10^{-15}` six steps reach :math:`\\ell = 1` to float64 precision,
    two of them in QR form. The steps run in host LAPACK (numpy / SciPy).

    Parameters
    ----------
    A : array_like of shape (m, n), m >= n
    l0 : float, optional
        A lower bound on :math:`\\sigma_{\\min}(A)/\\lVert A\\rVert_F`, in (0, 1], with
        :math:`\\alpha = \\lVert A\\rVert_F`. Too small only costs steps; too large loses
        accuracy. Default: estimated, with :math:`\\alpha` a power-iteration estimate
        of :math:`\\lVert A\\rVert_2` (times 1.01) and :math:`\\ell_0` 0.9 times an
        inverse-iteration estimate of :math:`\\sigma_{\\min}` (through the LU of A, or
        the R of its QR); should that be too high, Halley steps are added until the
        defect is at rounding level, :math:`100\\sqrt{n}\\,\\epsilon` (at most 20 steps).
    n_iter : int, optional
        Number of steps. Default: until the bound :math:`\\ell_k` reaches
        :math:`1 - 10^{-15}`.
    tol : float, optional
        Tolerance on :math:`\\lVert Q^\\top Q - I\\rVert_F`, ``> 0``; default sqrt(eps)
        of the dtype (1.5e-8 in float64).

    Returns
    -------
    PolarResult
        ``Q`` (m, n), ``converged`` (), ``residual`` ()
        (:math:`\\lVert Q^\\top Q - I\\rVert_F`), ``n_iter``.

    Warns
    -----
    eigenbook.ConvergenceWarning
        When the defect is above ``tol``: too few steps, or an ``l0`` above the
        true :math:`\\sigma_{\\min}/\\lVert A\\rVert_F`.

    Raises
    ------
    TypeError
        ``A`` is not a numeric array, or an argument has the wrong type.
    ValueError
        ``A`` is not a finite tall matrix, ``l0`` outside (0, 1], ``n_iter < 1``,
        ``tol <= 0``.

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
    if l0 is not None:
        l0 = check_scalar(l0, "l0", where, min_val=0.0, max_val=1.0, strict_min=True)
    if n_iter is not None:
        n_iter = check_int(n_iter, "n_iter", where, min_val=1)
    tol = check_tol(tol, A.dtype, where)
    An = np.asarray(A)
    # below n = 512 a step's LAPACK calls are too short to pay for the BLAS threads'
    # synchronisation (on a loaded 2-core machine it cost up to 10x); above, keep them
    with one_blas_thread() if min(An.shape) < 512 else contextlib.nullcontext():
        X, defect, steps = _qdwh_run(An, l0, n_iter)
    return _polar_result(jnp.asarray(X), jnp.asarray(defect), steps, tol, where,
                         "Raise n_iter, or lower l0 below sigma_min(A) / ||A||_F.")


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
    ``CUBIC_COEFFS`` it converges to :math:`UV^\\top` for
    :math:`0 < \\sigma < \\sqrt{3}` (quadratically near 1); ``MUON_COEFFS``
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
                  learning_rate: float = 3e-3) -> NSCoeffsFit:
    """Fit one quintic triple (a, b, c) to the singular values of a matrix shape.

    What is fitted, exactly: draw ``n_matrices`` Gaussian matrices of shape
    (m, n), divide each by its Frobenius norm (as :func:`newton_schulz` does),
    pool their singular values, summarise them by 512 quantiles :math:`\\sigma_i`
    (the mid-points of 512 equal-probability bins), and minimise
    :math:`\\frac{1}{N}\\sum_i \\lvert p^{(K)}(\\sigma_i) - 1\\rvert` over
    :math:`(a, b, c)`, where :math:`p^{(K)}` is ``n_iter`` steps of the same
    quintic. The minimiser is Adam (optax via :func:`eigenbook.nn.fit`, ``n_steps`` steps) from
    ``init``. The objective is the mean spectral error of the iterate on
    that shape; the chapter evaluates the result on fresh matrices. The
    minimum of this objective is not known (it is not zero: a fixed quintic
    cannot map every singular value to 1), so there is no tolerance to meet
    and no convergence warning: the result reports the objective reached, and
    at ``init`` for comparison.

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
    NSCoeffsFit
        ``coeffs`` (3,), the final ``objective`` and the ``initial_objective``.

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
    key = check_key(key, "key", where)
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
    # n_iter travels as the length of a dummy array: one compiled loop per n_iter, any shape
    data = (sig, jnp.zeros(n_iter))
    fitted = nn.fit(_ns_fit_loss, jnp.asarray(init, sig.dtype), nn.adam(float(lr), eps=1e-12),
                    n_steps=n_steps, data=data)
    return NSCoeffsFit(np.asarray(fitted.params), float(_ns_fit_loss(fitted.params, data)),
                       float(fitted.losses[0]))


_N_QUANTILES = 512


def _ns_fit_loss(c, data):
    """Mean spectral error of ``n_iter`` steps of the quintic ``c`` on the quantiles."""
    sig, steps = data
    return jnp.mean(jnp.abs(_scalar_map(sig, jnp.tile(c, (steps.shape[0], 1))) - 1.0))
