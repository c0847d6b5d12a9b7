"""Fréchet means of SPD matrices: Karcher (AIRM), Bures–Wasserstein, log-Euclidean."""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

from eigenbook import _checks
from eigenbook.display import implemented_by

from ._funcs import _as_sym, _eig_apply, _sqrt_isqrt

__all__ = ["MeanResult", "karcher_mean", "bw_mean", "log_euclidean_mean"]


class MeanResult(NamedTuple):
    """A Fréchet mean and how its iteration ended.

    Attributes
    ----------
    mean : jax.Array of shape (n, n)
        The mean (SPD).
    n_iter : int
        Fixed-point iterations done (0 for a closed form).
    residual : float
        Final step size: the Riemannian gradient norm (Karcher) or the relative change of
        the iterate (Bures–Wasserstein); 0 for a closed form.
    converged : bool
        ``residual <= tol``.
    """

    mean: jax.Array
    n_iter: int
    residual: float
    converged: bool


def _sym(X):
    return (X + jnp.swapaxes(X, -1, -2)) / 2


# The secant step of the Karcher iteration stays in [STEP_MIN, 1]: 1 is the plain fixed point.
STEP_MIN = 0.5


@jax.jit
def _karcher(X, w, M0, tol, max_iter):
    def step(state):
        M, _, k, G_prev, t_prev = state
        r, ir = _sqrt_isqrt(M)
        G = jnp.einsum("i,ijk->jk", w, _eig_apply(_sym(ir @ X @ ir), jnp.log))
        # Secant estimate of the curvature λ along the last step, G ≈ (1 − t λ) G_prev
        # (both gradients in their whitened frames), and the step t = 1/λ that cancels it.
        q = jnp.sum(G * G_prev) / jnp.maximum(jnp.sum(G_prev * G_prev), jnp.finfo(X.dtype).tiny)
        lam = (1 - q) / t_prev
        t = jnp.where(lam > 0, jnp.clip(1 / jnp.where(lam > 0, lam, 1), STEP_MIN, 1.0), STEP_MIN)
        t = jnp.where(k == 0, 1.0, t).astype(X.dtype)
        M_new = _sym(r @ _eig_apply(_sym(t * G), jnp.exp) @ r)
        return M_new, jnp.linalg.norm(G), k + 1, G, t

    def cont(state):
        _, g, k, _, _ = state
        return (g > tol) & (k < max_iter)

    init = (M0, jnp.asarray(jnp.inf, X.dtype), 0, jnp.zeros_like(M0), jnp.ones((), X.dtype))
    return jax.lax.while_loop(cont, step, init)[:3]


@jax.jit
def _bw(X, w, M0, tol, max_iter):
    def step(state):
        M, _, k = state
        r, ir = _sqrt_isqrt(M)
        R = jnp.einsum("i,ijk->jk", w, _eig_apply(_sym(r @ X @ r), jnp.sqrt))
        M_new = _sym(ir @ R @ R @ ir)
        return M_new, jnp.linalg.norm(M_new - M) / jnp.linalg.norm(M), k + 1

    def cont(state):
        _, g, k = state
        return (g > tol) & (k < max_iter)

    return jax.lax.while_loop(cont, step, (M0, jnp.asarray(jnp.inf, X.dtype), 0))


def _weights(weights: Any, N: int, where: str) -> jax.Array:
    if weights is None:
        return jnp.full((N,), 1.0 / N)
    w = _checks.as_host(weights, "weights", where, ndim=1, rule="an array of shape (N,)")
    if w.shape[0] != N:
        raise _checks.fail(where, "weights", f"shape ({N},) (one per matrix)",
                           f"shape {w.shape}")
    if float(w.min()) < 0 or float(w.sum()) <= 0:
        raise _checks.fail(where, "weights", "non-negative weights with a positive sum",
                           f"min {float(w.min()):.3g}, sum {float(w.sum()):.3g}")
    return jnp.asarray(w / w.sum())


def _common(X, weights, init, tol, max_iter, where):
    X = _as_sym(X, "X", where, ndim=(3,))
    w = _weights(weights, X.shape[0], where)
    tol = _checks.check_scalar(tol, "tol", where, min_val=0.0, strict_min=True)
    max_iter = _checks.check_int(max_iter, "max_iter", where, min_val=1)
    if init is None:
        M0 = jnp.einsum("i,ijk->jk", w, X)          # the arithmetic mean
    else:
        M0 = _as_sym(init, "init", where, ndim=(2,))
        if M0.shape != X.shape[1:]:
            raise _checks.fail(where, "init", f"shape {tuple(X.shape[1:])}",
                               f"shape {tuple(M0.shape)}")
    return X, w, M0, tol, max_iter


def _finish(out, tol, max_iter, where, what) -> MeanResult:
    M, res, k = out
    res, k = float(res), int(k)
    ok = bool(res <= tol)
    if not ok:
        _checks.warn_unconverged(where, tol=tol, reached=res, what=what, n_iter=k,
                                 hint="Raise max_iter.", stacklevel=4)
    return MeanResult(M, k, res, ok)


def _karcher_checked(X, weights, init, tol, max_iter, where) -> MeanResult:
    X, w, M0, tol, max_iter = _common(X, weights, init, tol, max_iter, where)
    out = _karcher(X, w, M0, jnp.asarray(tol, X.dtype), max_iter)
    return _finish(out, tol, max_iter, where, "Riemannian gradient norm")


@implemented_by(_karcher)
def karcher_mean(X: Any, *, weights: Any = None, init: Any = None, tol: float = 1e-10,
                 max_iter: int = 100) -> MeanResult:
    """The affine-invariant (Karcher) mean of SPD matrices by fixed-point iteration.

    Minimises ``Σ wᵢ d²_AIRM(M, Xᵢ)``. Each step whitens the batch by the current
    ``M``, averages the logarithms (the Riemannian gradient ``G``) and moves along the
    geodesic: ``M ← M^{1/2} exp(t Σ wᵢ log(M^{-1/2} Xᵢ M^{-1/2})) M^{1/2}``. The first
    step has ``t = 1`` (the plain fixed point); later ones ``t = 1/λ`` in ``[0.5, 1]``,
    with ``λ`` the curvature along the last step estimated from two successive
    gradients (a secant step): where step 1 overshoots, as on spread batches, this cuts
    the iterations (11 → 7 to ``‖G‖ ≤ 1e-8`` on the benchmark's 200 matrices 32 × 32).
    It stops when
    ``‖G‖_F <= tol``; otherwise it warns (:class:`eigenbook.ConvergenceWarning`). Cost per
    step: ``N + 2`` eigendecompositions of size ``n``. Jitted (``lax.while_loop``): one
    compilation per shape.

    Parameters
    ----------
    X : array_like of shape (N, n, n)
        SPD matrices.
    weights : array_like of shape (N,), optional
        Non-negative weights (normalised to sum 1); default uniform.
    init : array_like of shape (n, n), optional
        Starting point (default: the weighted arithmetic mean).
    tol : float
        Tolerance on the gradient norm (> 0).
    max_iter : int
        Iteration cap (>= 1).

    Returns
    -------
    MeanResult
        ``mean`` (n, n), ``n_iter``, ``residual``, ``converged``.
    """
    return _karcher_checked(X, weights, init, tol, max_iter, "spd.karcher_mean")


@implemented_by(_bw)
def bw_mean(X: Any, *, weights: Any = None, init: Any = None, tol: float = 1e-10,
            max_iter: int = 200) -> MeanResult:
    """The Bures–Wasserstein barycenter of SPD matrices by fixed-point iteration.

    The barycenter of ``N(0, Xᵢ)`` in 2-Wasserstein distance is the fixed point of
    ``M ← M^{-1/2} (Σ wᵢ (M^{1/2} Xᵢ M^{1/2})^{1/2})² M^{-1/2}`` (Álvarez-Esteban et al.,
    2016), which converges from any SPD start. It stops when the relative change
    ``‖M_new - M‖_F / ‖M‖_F <= tol``; otherwise it warns.

    Parameters
    ----------
    X : array_like of shape (N, n, n)
        SPD matrices.
    weights : array_like of shape (N,), optional
        Non-negative weights; default uniform.
    init : array_like of shape (n, n), optional
        Starting point (default: the weighted arithmetic mean).
    tol : float
        Tolerance on the relative step (> 0).
    max_iter : int
        Iteration cap (>= 1).

    Returns
    -------
    MeanResult
    """
    where = "spd.bw_mean"
    X, w, M0, tol, max_iter = _common(X, weights, init, tol, max_iter, where)
    out = _bw(X, w, M0, jnp.asarray(tol, X.dtype), max_iter)
    return _finish(out, tol, max_iter, where, "relative step")


@jax.jit
def _le_mean(X, w):
    return _eig_apply(_sym(jnp.einsum("i,ijk->jk", w, _eig_apply(X, jnp.log))), jnp.exp)


def log_euclidean_mean(X: Any, *, weights: Any = None) -> MeanResult:
    """The log-Euclidean mean ``exp(Σ wᵢ log Xᵢ)`` (closed form).

    Parameters
    ----------
    X : array_like of shape (N, n, n)
        SPD matrices.
    weights : array_like of shape (N,), optional
        Non-negative weights; default uniform.

    Returns
    -------
    MeanResult
        ``n_iter = 0``, ``residual = 0``, ``converged = True``.
    """
    where = "spd.log_euclidean_mean"
    X = _as_sym(X, "X", where, ndim=(3,))
    w = _weights(weights, X.shape[0], where)
    return MeanResult(_le_mean(X, w), 0, 0.0, True)


def _mean(X: jax.Array, metric: str, tol: float, max_iter: int, where: str) -> MeanResult:
    """Dispatch on ``metric`` for already-validated ``X`` (used by MDM)."""
    if metric == "log_euclidean":
        return MeanResult(_le_mean(X, jnp.full((X.shape[0],), 1.0 / X.shape[0])), 0, 0.0, True)
    w = jnp.full((X.shape[0],), 1.0 / X.shape[0])
    M0 = jnp.mean(X, axis=0)
    kern, what = (_karcher, "Riemannian gradient norm") if metric == "airm" else (
        _bw, "relative step")
    out = kern(X, w, M0, jnp.asarray(tol, X.dtype), max_iter)
    return _finish(out, tol, max_iter, where, what)

