"""Synthetic pedestrian trajectories (the EigenTrajectory experiments of chapter 02)."""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp

from eigenbook import _checks

__all__ = ["synthetic_trajectories"]


@functools.partial(jax.jit, static_argnames=("n", "n_obs", "n_pred"))
def _synthetic_impl(key, dt, jitter, *, n, n_obs, n_pred):
    T = n_obs + n_pred
    ks = jax.random.split(key, 7)
    speed = jax.random.uniform(ks[0], (n, 1), minval=0.8, maxval=1.6)
    heading0 = jax.random.uniform(ks[1], (n, 1), minval=-math.pi, maxval=math.pi)
    turn_obs = 0.03 * jax.random.normal(ks[2], (n, 1))
    mode = jax.random.randint(ks[3], (n,), 0, 5)
    turn_pred = jnp.array([0.0, 0.12, -0.12, 0.0, 0.0])[mode][:, None] \
        + 0.02 * jax.random.normal(ks[4], (n, 1))
    factor = jnp.array([1.0, 1.0, 1.0, 0.4, 1.4])[mode][:, None]
    frames = jnp.arange(T - 1)[None, :]
    future = frames >= n_obs - 1
    # speed ramps to its new value over the first 4 future frames
    ramp = jnp.clip((frames - (n_obs - 2)) / 4.0, 0.0, 1.0)
    v = speed * (1 + (factor - 1) * ramp)
    turn = jnp.where(future, turn_pred, turn_obs)
    heading = heading0 + jnp.cumsum(turn, axis=1)
    steps = jnp.stack([v * jnp.cos(heading), v * jnp.sin(heading)], axis=-1) * dt
    pos = jnp.concatenate([jnp.zeros((n, 1, 2)), jnp.cumsum(steps, axis=1)], axis=1)
    pos = pos + jitter * jax.random.normal(ks[5], pos.shape)
    pos = pos - pos[:, n_obs - 1: n_obs, :]
    d = pos[:, n_obs - 1] - pos[:, n_obs - 2]
    ang = jnp.arctan2(d[:, 1], d[:, 0])
    c, s = jnp.cos(-ang)[:, None], jnp.sin(-ang)[:, None]
    return jnp.stack([c * pos[..., 0] - s * pos[..., 1], s * pos[..., 0] + c * pos[..., 1]],
                     axis=-1)


def synthetic_trajectories(n: int, *, key: jax.Array, n_obs: int = 8, n_pred: int = 12,
                           dt: float = 0.4, jitter: float = 0.03) -> jax.Array:
    """Synthetic multi-modal pedestrian trajectories, normalised.

    Each walker moves at a speed drawn from U(0.8, 1.6) m/s with a small random
    turn rate during the ``n_obs`` observed frames; at the last observed frame
    it picks one of five future modes with equal probability: straight on,
    turn left, turn right (turn rate :math:`\\pm 0.12` rad per frame plus
    noise), slow down to 40 % of its speed, or speed up by 40 %. Positions get
    Gaussian jitter (std ``jitter`` metres). Every trajectory is translated so
    that its last observed position is the origin and rotated so that its last
    observed heading points along +x.

    Parameters
    ----------
    n : int
        Number of trajectories, ``>= 1``.
    key : PRNG key
    n_obs, n_pred : int
        Observed and predicted frames, each ``>= 2``.
    dt : float
        Seconds per frame, ``> 0``.
    jitter : float
        Position noise in metres, ``>= 0``.

    Returns
    -------
    array of shape (n, n_obs + n_pred, 2)

    Raises
    ------
    TypeError, ValueError
        Bad sizes, ``dt <= 0``, ``jitter < 0`` or bad ``key``.

    Notes
    -----
    Used in chapter :ref:`svd-pca`.
    """
    where = "data.synthetic_trajectories"
    key = _checks.check_key(key, "key", where)
    n = _checks.check_int(n, "n", where, min_val=1)
    n_obs = _checks.check_int(n_obs, "n_obs", where, min_val=2)
    n_pred = _checks.check_int(n_pred, "n_pred", where, min_val=2)
    dt = _checks.check_scalar(dt, "dt", where, min_val=0.0, strict_min=True)
    jitter = _checks.check_scalar(jitter, "jitter", where, min_val=0.0)
    return _synthetic_impl(key, dt, jitter, n=n, n_obs=n_obs, n_pred=n_pred)
