"""Pieces shared by the symmetric eigensolvers.

Result type, random starting blocks, orthonormalisation, Rayleigh–Ritz,
Ritz residuals, convergence test and the sign convention live here once, so
that ``_power``, ``_lanczos``, ``_lobpcg`` and ``_chebyshev`` differ only in
how they build their subspace.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks
from .._results import fix_column_signs
from ..data import haar_orthogonal

__all__ = [
    "EighResult",
    "WHICH",
    "converged_mask",
    "orthonormalize",
    "random_block",
    "rayleigh_ritz",
    "ritz_residuals",
    "safe_normalize",
    "select",
    "warn_if_unconverged",
]

WHICH = ("largest", "smallest")


class EighResult(NamedTuple):
    """k eigenpairs of a symmetric operator, as returned by every solver here.

    Attributes
    ----------
    eigenvalues : array of shape (k,)
        Sorted descending for ``which="largest"``, ascending for ``"smallest"``.
    eigenvectors : array of shape (n, k)
        Orthonormal columns; each column's largest-magnitude entry is positive.
    residual_norms : array of shape (k,)
        ``||A v_i - lambda_i v_i||_2``, computed explicitly.
    n_steps : int array of shape ()
        Iterations (or Lanczos steps) performed.
    converged : bool array of shape (k,)
        ``residual_norms <= tol * max_i |lambda_i|``.
    """

    eigenvalues: jax.Array
    eigenvectors: jax.Array
    residual_norms: jax.Array
    n_steps: jax.Array
    converged: jax.Array


def default_tol(dtype: Any) -> float:
    """Relative residual tolerance ``sqrt(eps)`` of ``dtype`` (1.5e-8 in float64)."""
    return float(jnp.finfo(dtype).eps) ** 0.5


def random_block(key: jax.Array, n: int, b: int, dtype: Any) -> jax.Array:
    """Haar-random orthonormal starting block of shape (n, b) (:func:`data.haar_orthogonal`)."""
    return haar_orthogonal(n, b, key=key, dtype=dtype)


def orthonormalize(X: jax.Array) -> jax.Array:
    """Orthonormal basis of shape (n, b) of the columns of ``X`` (Householder QR).

    Householder QR returns orthonormal columns even when ``X`` is rank
    deficient (the missing directions are filled in), so the result is
    always a valid basis of a subspace containing ``span(X)``.
    """
    Q, _ = jnp.linalg.qr(X)
    return Q


def safe_normalize(x: jax.Array, axis: int = 0) -> tuple[jax.Array, jax.Array]:
    """Return ``(x / ||x||, ||x||)``, leaving zero vectors as they are (no NaN)."""
    nrm = jnp.linalg.norm(x, axis=axis, keepdims=True)
    safe = jnp.where(nrm > 0, nrm, jnp.ones_like(nrm))
    return x / safe, jnp.squeeze(nrm, axis=axis)


def select(w: jax.Array, k: int, which: str) -> jax.Array:
    """Indices of the k wanted values of ascending ``w``, in output order."""
    m = w.shape[0]
    if which == "largest":
        return jnp.arange(m - 1, m - 1 - k, -1)
    return jnp.arange(k)


def rayleigh_ritz(apply: Callable, data: Any, Q: jax.Array, k: int, which: str,
                  AQ: jax.Array | None = None) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Rayleigh–Ritz on the orthonormal basis ``Q`` of shape (n, b).

    Returns ``theta`` (k,), Ritz vectors ``V = Q C`` (n, k) and the block
    coefficients ``C`` (b, k) of the k wanted pairs of ``Q^T A Q``.
    """
    if AQ is None:
        AQ = apply(data, Q)
    H = Q.T @ AQ
    H = (H + H.T) / 2
    w, S = jnp.linalg.eigh(H)
    idx = select(w, k, which)
    C = S[:, idx]
    return w[idx], Q @ C, C


def ritz_residuals(apply: Callable, data: Any, V: jax.Array, theta: jax.Array,
                   AV: jax.Array | None = None) -> jax.Array:
    """``||A v_i - theta_i v_i||_2`` for each column, shape (k,)."""
    if AV is None:
        AV = apply(data, V)
    return jnp.linalg.norm(AV - V * theta[None, :], axis=0)


def converged_mask(res: jax.Array, theta: jax.Array, tol: float | jax.Array) -> jax.Array:
    """``res_i <= tol * max(max_j |theta_j|, tiny)``, shape (k,)."""
    scale = jnp.maximum(jnp.max(jnp.abs(theta)), jnp.finfo(theta.dtype).tiny)
    return res <= tol * scale


def finish(apply: Callable, data: Any, theta: jax.Array, V: jax.Array, n_steps: Any,
           tol: float | jax.Array) -> EighResult:
    """Residuals, convergence flags and signs for Ritz pairs ``(theta, V)``."""
    V = fix_column_signs(V)
    res = ritz_residuals(apply, data, V, theta)
    conv = converged_mask(res, theta, tol)
    return EighResult(theta, V, res, jnp.asarray(n_steps, dtype=jnp.int32), conv)


def warn_if_unconverged(res: EighResult, tol: float, where: str, *, hint: str = "") -> None:
    """One :class:`eigenbook.ConvergenceWarning` (host side) if some pair of ``res`` is not
    converged, naming the worst relative residual ``max_i res_i / max_j |theta_j|``.

    Call it from the public function (outside ``jit``), after its implementation.
    """
    conv = np.asarray(res.converged)
    if conv.all():
        return
    theta = np.asarray(res.eigenvalues)
    scale = max(float(np.max(np.abs(theta))), float(np.finfo(theta.dtype).tiny))
    _checks.warn_unconverged(where, tol=tol,
                             reached=float(np.max(np.asarray(res.residual_norms))) / scale,
                             what="relative residual", n_iter=int(res.n_steps), hint=hint,
                             stacklevel=4)
