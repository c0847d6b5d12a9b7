"""Covariance features of multichannel signals: spatial and augmented (delay-embedded)."""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from eigenbook import _checks
from eigenbook.display import implemented_by

__all__ = ["covariances", "augmented_covariance", "yule_walker", "VARFit", "toeplitz_gap"]


def _trials(X: Any, name: str, where: str, ndim: tuple[int, ...] = (3,)) -> np.ndarray:
    rule = "an array of shape (N, c, T)" if ndim == (3,) else "an array of shape (c, T)"
    return _checks.as_host(X, name, where, ndim=ndim, rule=rule)


def _shrink(C: jax.Array, s: float) -> jax.Array:
    n = C.shape[-1]
    mu = jnp.trace(C, axis1=-2, axis2=-1)[..., None, None] / n
    return (1 - s) * C + s * mu * jnp.eye(n, dtype=C.dtype)


@partial(jax.jit, static_argnames=("order", "lag"))
def _acm(X: jax.Array, order: int, lag: int, s: jax.Array) -> jax.Array:
    X = X - X.mean(axis=-1, keepdims=True)
    T = X.shape[-1]
    m = T - (order - 1) * lag
    # block i holds x_{t - i·lag}: rows [x_t; x_{t-τ}; ...; x_{t-(p-1)τ}]
    Z = jnp.concatenate([X[..., (order - 1 - i) * lag:(order - 1 - i) * lag + m]
                         for i in range(order)], axis=-2)
    C = Z @ jnp.swapaxes(Z, -1, -2) / m
    return _shrink((C + jnp.swapaxes(C, -1, -2)) / 2, s)


def covariances(X: Any, *, shrinkage: float = 0.0) -> jax.Array:
    """Spatial covariance of each trial: ``(1/T) Σ_t x_t x_tᵀ`` after removing the mean.

    Parameters
    ----------
    X : array_like of shape (N, c, T)
        Trials (channels × samples).
    shrinkage : float
        In [0, 1]: ``(1 - s) C + s (tr C / c) I`` (0: the sample covariance).

    Returns
    -------
    jax.Array of shape (N, c, c)
    """
    where = "spd.covariances"
    a = _trials(X, "X", where)
    if a.shape[-1] < 2:
        raise _checks.fail(where, "X", "at least T = 2 samples", f"shape {a.shape}")
    s = _checks.check_scalar(shrinkage, "shrinkage", where, min_val=0.0, max_val=1.0)
    return _acm(jnp.asarray(a), 1, 1, jnp.asarray(s))


@implemented_by(_acm)
def augmented_covariance(X: Any, *, order: int, lag: int = 1,
                         shrinkage: float = 0.0) -> jax.Array:
    """The augmented covariance matrix (ACM): the covariance of the delay embedding.

    Each trial is embedded as ``z_t = [x_t; x_{t-τ}; ...; x_{t-(p-1)τ}] ∈ R^{cp}`` (Takens
    delay embedding, ``p = order``, ``τ = lag``) and the ACM is ``(1/m) Σ_t z_t z_tᵀ`` over
    the ``m = T - (p-1)τ`` complete windows. Its ``(i, j)`` block estimates the lagged
    autocovariance ``Γ((j - i)τ) = E[x_t x_{t+(j-i)τ}ᵀ]``: for a stationary signal the ACM is
    block-Toeplitz, and it is the matrix of the Yule–Walker equations of an AR model.
    ``order = 1`` gives the spatial covariance.

    Parameters
    ----------
    X : array_like of shape (N, c, T)
        Trials.
    order : int
        Embedding dimension ``p >= 1``.
    lag : int
        Delay ``τ >= 1`` in samples.
    shrinkage : float
        In [0, 1], as in :func:`covariances`.

    Returns
    -------
    jax.Array of shape (N, c·order, c·order)
    """
    where = "spd.augmented_covariance"
    a = _trials(X, "X", where)
    order = _checks.check_int(order, "order", where, min_val=1)
    lag = _checks.check_int(lag, "lag", where, min_val=1)
    if a.shape[-1] - (order - 1) * lag < 2:
        raise _checks.fail(where, "order", f"(order - 1) * lag <= T - 2 = {a.shape[-1] - 2}",
                           f"order={order}, lag={lag}", "Lower order or lag.")
    s = _checks.check_scalar(shrinkage, "shrinkage", where, min_val=0.0, max_val=1.0)
    return _acm(jnp.asarray(a), order, lag, jnp.asarray(s))


class VARFit(NamedTuple):
    """A vector autoregressive fit by Yule–Walker.

    Attributes
    ----------
    coefs : ndarray of shape (order, c, c)
        ``coefs[k]`` multiplies ``x_{t-(k+1)τ}``.
    noise_cov : ndarray of shape (c, c)
        Innovation covariance ``Γ(0) - Σ_k A_k Γ((k+1)τ)ᵀ``.
    acm : ndarray of shape (c(order+1), c(order+1))
        The augmented covariance the equations were read from.
    """

    coefs: np.ndarray
    noise_cov: np.ndarray
    acm: np.ndarray


def yule_walker(x: Any, *, order: int, lag: int = 1) -> VARFit:
    """Fit a VAR(order) model ``x_t = Σ_k A_k x_{t-kτ} + e_t`` from the ACM blocks.

    With ``G`` the ACM of embedding dimension ``order + 1``, the Yule–Walker equations
    ``Γ(jτ) = Σ_k A_k Γ((j - k)τ)``, ``j = 1..order``, read ``R = [A_1 ... A_p] G₁₁`` where
    ``R`` is the first block row of ``G`` without its first block and ``G₁₁`` is ``G``
    without its first block row and column (itself an ACM): one ``cp × cp`` solve.

    Parameters
    ----------
    x : array_like of shape (c, T)
        One multichannel series.
    order : int
        Model order ``p >= 1``.
    lag : int
        Delay ``τ >= 1``.

    Returns
    -------
    VARFit
        ``coefs`` (order, c, c), ``noise_cov`` (c, c), ``acm``.
    """
    where = "spd.yule_walker"
    a = _trials(x, "x", where, ndim=(2,))
    order = _checks.check_int(order, "order", where, min_val=1)
    lag = _checks.check_int(lag, "lag", where, min_val=1)
    c, T = a.shape
    if T - order * lag < c * (order + 1) + 1:
        raise _checks.fail(where, "order", f"order * lag + c (order + 1) < T = {T}",
                           f"order={order}, lag={lag}, c={c}", "Lower order or use more samples.")
    G = np.asarray(_acm(jnp.asarray(a[None]), order + 1, lag, jnp.asarray(0.0)))[0]
    R = G[:c, c:]
    G11 = G[c:, c:]
    A = np.linalg.solve(G11, R.T).T                   # R = A G11 (G11 symmetric)
    coefs = A.reshape(c, order, c).transpose(1, 0, 2)
    noise = G[:c, :c] - A @ R.T
    return VARFit(coefs, (noise + noise.T) / 2, G)


def toeplitz_gap(C: Any, *, n_blocks: int) -> float:
    """Relative distance of a block matrix from block-Toeplitz structure.

    ``max_{i,j} ‖C_{ij} - C_{0,j-i}‖_F / ‖C‖_F`` over the blocks (``C_{0,k}`` for ``k >= 0``,
    ``C_{-k,0}`` for ``k < 0``): 0 for an exactly block-Toeplitz ``C``; ``O(p τ / T)`` for a
    sample ACM of a stationary signal (the windows of the blocks differ by their ends).

    Parameters
    ----------
    C : array_like of shape (cp, cp)
        A square matrix of ``n_blocks × n_blocks`` blocks.
    n_blocks : int
        Number of blocks per side (divides the size).

    Returns
    -------
    float
    """
    where = "spd.toeplitz_gap"
    a = _checks.as_host(C, "C", where, ndim=2, rule="an array of shape (cp, cp)")
    if a.shape[0] != a.shape[1]:
        raise _checks.fail(where, "C", "a square matrix", f"shape {a.shape}")
    p = _checks.check_int(n_blocks, "n_blocks", where, min_val=1, max_val=a.shape[0])
    if a.shape[0] % p:
        raise _checks.fail(where, "n_blocks", f"a divisor of the size {a.shape[0]}",
                           f"n_blocks={p}")
    c = a.shape[0] // p
    B = a.reshape(p, c, p, c).transpose(0, 2, 1, 3)
    gap = 0.0
    for i in range(p):
        for j in range(p):
            ref = B[0, j - i] if j >= i else B[i - j, 0]
            gap = max(gap, float(np.linalg.norm(B[i, j] - ref)))
    return gap / max(float(np.linalg.norm(a)), 1e-300)
