"""Synthetic tensors: known CP rank, and continuous-indexed rank-one data (chapter 10)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import jax
import jax.numpy as jnp

from eigenbook import _checks

from ._random import _haar_orthogonal_impl

__all__ = ["LowRankTensor", "ContinuousTensorData", "cp_tensor", "continuous_rank1_data",
           "long_range_potential"]


class LowRankTensor(NamedTuple):
    """A tensor of known CP rank plus Gaussian noise.

    Attributes
    ----------
    T : array of shape (n_1, ..., n_d)
        ``clean + noise``.
    clean : array of shape (n_1, ..., n_d)
        :math:`\\sum_r a^{(1)}_r \\otimes \\cdots \\otimes a^{(d)}_r`: CP rank ``rank`` and
        multilinear ranks ``(rank, ..., rank)`` (almost surely).
    factors : tuple of d arrays, the k-th of shape (n_k, rank)
    noise_level : float
        :math:`\\lVert T - \\text{clean}\\rVert_F / \\lVert \\text{clean}\\rVert_F` as drawn.
    """

    T: jax.Array
    clean: jax.Array
    factors: tuple[jax.Array, ...]
    noise_level: float


def cp_tensor(shape: Sequence[int], rank: int, *, key: jax.Array,
              noise: float = 0.0) -> LowRankTensor:
    """A random tensor of known CP rank with Haar-orthonormal factor columns and relative noise.

    Factor columns are orthonormal (:func:`haar_orthogonal`) and the terms are weighted
    :math:`w_r = 1 + r/\\text{rank}`, so the problem is well conditioned; the Gaussian noise is
    scaled to ``noise`` times the clean tensor's Frobenius norm.

    Parameters
    ----------
    shape : sequence of int
        ``(n_1, ..., n_d)``, each ``>= rank``.
    rank : int
        ``>= 1``.
    key : PRNG key
    noise : float
        Relative noise level ``>= 0``.

    Returns
    -------
    LowRankTensor

    Raises
    ------
    TypeError, ValueError
        Bad key, shape, rank or noise.

    Notes
    -----
    Used in chapter :ref:`tensor-decompositions` (the 100³ reference problem).
    """
    where = "data.cp_tensor"
    key = _checks.check_key(key, "key", where)
    shape = tuple(_checks.check_int(n, "shape", where, min_val=1) for n in shape)
    rank = _checks.check_int(rank, "rank", where, min_val=1, max_val=min(shape))
    noise = _checks.check_scalar(noise, "noise", where, min_val=0.0)
    keys = jax.random.split(key, len(shape) + 1)
    dt = jnp.result_type(float)
    factors = tuple(_haar_orthogonal_impl(k, n=n, p=rank, shape=(), dtype=dt)
                    for k, n in zip(keys[:-1], shape, strict=True))
    w = 1.0 + jnp.arange(rank, dtype=dt) / rank
    letters = "abcdefghijklmnopqrstuvwxyz"[:len(shape)]
    spec = ",".join(f"{c}r" for c in letters) + ",r->" + letters
    clean = jnp.einsum(spec, *factors, w)
    E = jax.random.normal(keys[-1], shape, dtype=dt)
    E = E * (noise * jnp.linalg.norm(clean) / jnp.linalg.norm(E))
    return LowRankTensor(clean + E, clean, factors, float(noise))


class ContinuousTensorData(NamedTuple):
    """Continuous-indexed observations of :math:`y = u_1(t_1) u_2(t_2) + \\varepsilon`.

    Attributes
    ----------
    train_indices : array of shape (N, 2)
        Uniform in :math:`[0, 1]^2`.
    train_y : array of shape (N,)
    test_indices : array of shape (M, 2)
    test_y : array of shape (M,)
        Noise-free values at the test indices.
    noise : float
        The noise standard deviation.
    """

    train_indices: jax.Array
    train_y: jax.Array
    test_indices: jax.Array
    test_y: jax.Array
    noise: float


def _u1(t):
    return jnp.sin(2 * jnp.pi * t) ** 2 * jnp.cos(2 * jnp.pi * t) + 0.5


def _u2(t):
    return (1 - jnp.sin(jnp.pi * t / 2) ** 3) * jnp.sin(4 * jnp.pi * t) + 0.5


def continuous_rank1_data(n_train: int, n_test: int, *, key: jax.Array,
                          noise: float = 0.05) -> ContinuousTensorData:
    """Rank-one continuous-indexed data in the style of the FunBaT synthetic experiment.

    :math:`u_1(t) = \\sin^2(2\\pi t)\\cos(2\\pi t) + 1/2` and
    :math:`u_2(t) = (1 - \\sin^3(\\pi t/2))\\sin(4\\pi t) + 1/2`
    (the latent functions of the authors' simulation, shifted by 1/2 so that the product
    does not vanish on whole lines), at uniform random indices, plus
    Gaussian noise of standard deviation ``noise`` on the training values
    :cite:p:`fang2024functional`.

    Parameters
    ----------
    n_train, n_test : int
        ``>= 1``.
    key : PRNG key
    noise : float
        ``>= 0``.

    Returns
    -------
    ContinuousTensorData

    Raises
    ------
    TypeError, ValueError
        Bad sizes, key or noise.
    """
    where = "data.continuous_rank1_data"
    key = _checks.check_key(key, "key", where)
    n_train = _checks.check_int(n_train, "n_train", where, min_val=1)
    n_test = _checks.check_int(n_test, "n_test", where, min_val=1)
    noise = _checks.check_scalar(noise, "noise", where, min_val=0.0)
    k1, k2, k3 = jax.random.split(key, 3)
    X = jax.random.uniform(k1, (n_train, 2))
    Xt = jax.random.uniform(k2, (n_test, 2))
    f = lambda Z: _u1(Z[:, 0]) * _u2(Z[:, 1])  # noqa: E731
    y = f(X) + noise * jax.random.normal(k3, (n_train,))
    return ContinuousTensorData(X, y, Xt, f(Xt), noise)


def _long_range_impl(X, centers, charges, sigma):
    def body(i, acc):
        r = jnp.sqrt(jnp.sum((X - centers[i]) ** 2, axis=-1))
        rs = jnp.maximum(r, 1e-300)
        # erf(r/σ)/r, with its limit 2/(σ√π) at r = 0 (the long-range part is smooth)
        g = jnp.where(r > 1e-8 * sigma, jax.scipy.special.erf(rs / sigma) / rs,
                      2.0 / (sigma * jnp.sqrt(jnp.pi)))
        return acc + charges[i] * g

    return jax.lax.fori_loop(0, centers.shape[0], body, jnp.zeros(X.shape[:-1], X.dtype))


_long_range_jit = jax.jit(_long_range_impl)


def long_range_potential(centers, charges, *, sigma: float):
    """The long-range part of the Coulomb potential of point charges, as a function.

    :math:`f(x) = \\sum_i q_i \\operatorname{erf}(\\lvert x - x_i\\rvert/\\sigma) /
    \\lvert x - x_i\\rvert`: the Newton kernel :math:`1/r` minus its short-range part
    :math:`\\operatorname{erfc}(r/\\sigma)/r`, smooth everywhere (range separation,
    :cite:p:`benner2025meshfree`).

    Parameters
    ----------
    centers : array_like of shape (N_p, 3)
    charges : array_like of shape (N_p,)
    sigma : float
        Splitting radius ``> 0``.

    Returns
    -------
    f : callable
        ``f(x, y, z)`` on broadcast coordinate arrays (the form
        :func:`eigenbook.tensors.chebyshev_tensor` takes), jitted.

    Raises
    ------
    ValueError
        Bad shapes, NaN/inf or ``sigma <= 0``.
    """
    where = "data.long_range_potential"
    centers = _checks.as_array(centers, "centers", where, ndim=2, rule="an array of shape (N_p, 3)")
    if centers.shape[1] != 3:
        raise _checks.fail(where, "centers", "an array of shape (N_p, 3)",
                           f"shape {tuple(centers.shape)}")
    charges = _checks.as_vector(charges, "charges", where, size=centers.shape[0])
    sigma = _checks.check_scalar(sigma, "sigma", where, min_val=0.0, strict_min=True)

    def f(x, y, z):
        X = jnp.stack(jnp.broadcast_arrays(x, y, z), axis=-1)
        return _long_range_jit(X, centers, charges, sigma)

    return f
