"""Orthogonalized momentum: Muon, ROOT's outlier clipping, AuON."""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax

from eigenbook._checks import (
    as_matrix,
    check_int,
    check_pytree_finite,
    check_scalar,
    fail,
)

from ._common import MUON_COEFFS
from ._polar import _coeff_schedule, newton_schulz


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
    return _soft(M, eps)


def _soft(M: jax.Array, eps: float) -> jax.Array:
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
    where = "orth.clip_outliers"
    M = as_matrix(M, "M", where)
    eps = check_scalar(threshold, "threshold", where, min_val=0.0)
    return M - _soft(M, eps)


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
    where = "orth.muon_direction"
    M = as_matrix(M, "M", where)
    eps = check_scalar(eps, "eps", where, min_val=0.0)
    n_iter = check_int(n_iter, "n_iter", where, min_val=1)
    C = _coeff_schedule(coeffs, n_iter, where)  # validated here, so errors name this function
    X = newton_schulz(M, coeffs=C, eps=eps)
    m, n = X.shape
    return np.sqrt(max(1.0, n / m)) * X


class MuonStep(NamedTuple):
    """The state after one :func:`muon_step`.

    Attributes
    ----------
    params : dict of str to array
        The updated parameters (same keys and shapes as the input).
    mu : dict of str to array
        Momenta of the 2-D parameters, each of its parameter's shape (m, n).
    adam_state : optax.ScaleByAdamState
        The optax state of ``optax.scale_by_adam`` on the sub-dict of the other
        (non-2-D) parameters: ``count`` and moments ``mu``, ``nu`` of their shapes.
    """

    params: dict
    mu: dict
    adam_state: Any


def muon_step(params: dict, grads: dict, mu: dict | None, count: int, *,
              learning_rate: float, beta: float = 0.95, nesterov: bool = True,
              eps: float = 1e-8, adam_b1: float = 0.9, adam_b2: float = 0.999,
              adam_state: Any = None) -> MuonStep:
    """One step of Muon on a flat dict of parameters, in optax's convention.

    2-D parameters get the orthogonalized momentum: ``mu <- beta mu + (1 - beta) g``,
    the bias-corrected Nesterov mix
    ``beta mu / (1 - beta^(t+1)) + (1 - beta) g / (1 - beta^t)``, then
    :func:`muon_direction` and ``-learning_rate``. Every other parameter (biases)
    gets Adam without weight decay, ``optax.scale_by_adam(adam_b1, adam_b2, eps,
    nesterov=nesterov)`` times ``-learning_rate``, as ``optax.contrib.muon``
    0.2.8 does by default.

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
    adam_state : optax.ScaleByAdamState or None
        The ``adam_state`` of the previous step (None: fresh moments, with the
        step count set to ``count``).

    Returns
    -------
    MuonStep
        ``(params, mu, adam_state)``: the new parameters, the new momenta of the
        2-D parameters and the new optax state of the others.

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
    check_pytree_finite(params, "params", where)
    check_pytree_finite(grads, "grads", where)
    if mu is not None:
        check_pytree_finite(mu, "mu", where)
    lr = check_scalar(learning_rate, "learning_rate", where, min_val=0.0, strict_min=True)
    beta = check_scalar(beta, "beta", where, min_val=0.0, max_val=1.0)
    count = check_int(count, "count", where, min_val=0)
    t = count + 1
    mu = {} if mu is None else dict(mu)
    new, rest, rest_grads = {}, {}, {}
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
            rest[name], rest_grads[name] = p, g
    # the other parameters: optax's Adam (optax passes Muon's nesterov flag on to its AdamW)
    adam = optax.scale_by_adam(adam_b1, adam_b2, eps, nesterov=nesterov)
    if adam_state is None:
        adam_state = adam.init(rest)._replace(count=jnp.asarray(count, dtype=jnp.int32))
    updates, adam_state = adam.update(rest_grads, adam_state, rest)
    for name, u in updates.items():
        new[name] = rest[name] - lr * u
    return MuonStep({name: new[name] for name in params}, mu, adam_state)


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
