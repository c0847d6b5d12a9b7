"""A physics-informed network for one eigenpair of -1/2 u'' + V u = E u on [a, b].

The trial function ``psi(x) = (x - a)(b - x) N(x)`` vanishes at both ends by
construction (N a small tanh MLP from :mod:`eigenbook.nn`), and the energy is one
more trainable parameter (or held fixed). The loss is

    mean_i r(x_i)^2 + w_norm (int psi^2 - 1)^2,   r = -1/2 psi'' + (V - E) psi,

on a fixed grid of collocation points. Without the normalisation term (``w_norm =
0``) the residual is minimised by ``psi = 0`` for every E: the scaling ambiguity of
an eigenproblem.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks, nn

__all__ = ["PINNResult", "pinn_eigenstate"]


class PINNResult(NamedTuple):
    """What :func:`pinn_eigenstate` returns.

    Attributes
    ----------
    energy : float
        The learned (or fixed) energy.
    x : jax.Array of shape (m,)
        Collocation points.
    psi : jax.Array of shape (m,)
        The trained wavefunction there.
    norm : float
        ``sqrt(int psi^2)`` (trapezoidal rule on ``x``).
    losses : jax.Array of shape (n_steps,)
        Training loss history.
    params : pytree
        ``{"net": mlp params, "E": scalar s}`` with ``E = energy + s max(1, |energy|)``.
    """

    energy: float
    x: jax.Array
    psi: jax.Array
    norm: float
    losses: jax.Array
    params: dict


def _taylor(net, x):
    """N, N' and N'' of the tanh MLP ``nn.mlp(net, x[:, None], activation=jnp.tanh)`` at a
    batch x of shape (m,): the derivatives are pushed through the layers with the network
    (for tanh t: t' = 1 - t^2, t'' = -2 t (1 - t^2)), which compiles and runs faster than
    nested automatic differentiation."""
    h = x[:, None]
    d1 = jnp.ones_like(h)
    d2 = jnp.zeros_like(h)
    for i, (W, b) in enumerate(net):
        h, d1, d2 = h @ W + b, d1 @ W, d2 @ W
        if i < len(net) - 1:
            t = jnp.tanh(h)
            s = 1 - t**2
            h, d1, d2 = t, s * d1, s * d2 - 2 * t * s * d1**2
    return h[:, 0], d1[:, 0], d2[:, 0]


def _psi_and_dd(net, x, a, b):
    """psi = (x - a)(b - x) N(x) and psi'' on a batch x of shape (m,)."""
    N, N1, N2 = _taylor(net, x)
    s0 = (x - a) * (b - x)
    s1 = a + b - 2 * x
    return s0 * N, s0 * N2 + 2 * s1 * N1 - 2 * N


def _psi(net, x, a, b):
    return (x - a) * (b - x) * nn.mlp(net, x[:, None], activation=jnp.tanh)[:, 0]


def _trapz(y, x):
    return jnp.sum((y[1:] + y[:-1]) * (x[1:] - x[:-1])) / 2


def _energy(params, E0):
    # E = E0 + s * max(1, |E0|): Adam's steps of size ~lr in s move E by ~lr * |E0|
    return E0 + params["E"] * jnp.maximum(1.0, jnp.abs(E0))


def _loss(params, data):
    x, V, a, b, E_fixed, train_E, w_norm = data
    E = jnp.where(train_E, _energy(params, E_fixed), E_fixed)
    psi, dd = _psi_and_dd(params["net"], x, a, b)
    r = -0.5 * dd + (V - E) * psi
    return jnp.mean(r**2) + w_norm * (_trapz(psi**2, x) - 1.0) ** 2


@jax.jit
def _evaluate(net, x, a, b):
    return _psi(net, x, a, b)


def pinn_eigenstate(x: jax.Array, V: jax.Array, *, key: jax.Array, energy: float,
                    train_energy: bool = True, norm_weight: float = 1.0,
                    hidden: tuple[int, ...] = (32, 32), n_steps: int = 3000,
                    learning_rate: float = 3e-3) -> PINNResult:
    """Train a PINN for an eigenpair of -1/2 u'' + V u = E u with u(x[0]) = u(x[-1]) = 0.

    Parameters
    ----------
    x : array of shape (m,)
        Increasing collocation points, ``m >= 3``; ``x[0]`` and ``x[-1]`` are the walls.
    V : array of shape (m,)
        The potential at ``x``.
    key : PRNG key
        Initialises the network (:func:`eigenbook.nn.init_mlp`).
    energy : float
        Initial energy (``train_energy=True``) or the fixed energy.
    train_energy : bool
        Learn E (finite wells) or hold it (the infinite well with known E).
    norm_weight : float
        Weight ``w_norm >= 0`` of the normalisation term; 0 removes it.
    hidden : tuple of int
        Hidden widths of the tanh MLP.
    n_steps : int
        Adam steps (:func:`eigenbook.nn.fit`, learning rate decaying to 1 %).
    learning_rate : float
        Initial Adam step size.

    Returns
    -------
    PINNResult

    Raises
    ------
    TypeError, ValueError
        Bad shapes, non-finite or non-increasing ``x``, bad scalars or key.
    """
    where = "physics.pinn_eigenstate"
    key = _checks.check_key(key, "key", where)
    x = jnp.asarray(_checks.as_vector(x, "x", where), jnp.float64)
    if x.shape[0] < 3:
        raise _checks.fail(where, "x", "at least 3 collocation points", f"shape {x.shape}")
    if not bool(jnp.all(jnp.diff(x) > 0)):
        raise _checks.fail(where, "x", "strictly increasing points", "a non-increasing x")
    V = jnp.asarray(_checks.as_vector(V, "V", where, size=x.shape[0]), jnp.float64)
    energy = _checks.check_scalar(energy, "energy", where)
    if not isinstance(train_energy, (bool, np.bool_)):
        raise _checks.fail(where, "train_energy", "a bool", type(train_energy).__name__,
                           exc=TypeError)
    norm_weight = _checks.check_scalar(norm_weight, "norm_weight", where, min_val=0.0)
    if not isinstance(hidden, (tuple, list)) or not hidden:
        raise _checks.fail(where, "hidden", "a non-empty tuple of widths", repr(hidden),
                           exc=TypeError)
    n_steps = _checks.check_int(n_steps, "n_steps", where, min_val=1)
    learning_rate = _checks.check_scalar(learning_rate, "learning_rate", where, min_val=0.0,
                                         strict_min=True)
    a, b = x[0], x[-1]
    net = nn.init_mlp((1, *[int(h) for h in hidden], 1), key=key, dtype=jnp.float64)
    params = {"net": net, "E": jnp.asarray(0.0, jnp.float64)}
    data = (x, V, a, b, jnp.asarray(energy, jnp.float64), jnp.asarray(bool(train_energy)),
            jnp.asarray(norm_weight, jnp.float64))
    opt = nn.adam(learning_rate, decay_to=0.01, n_steps=n_steps)
    res = nn.fit(_loss, params, opt, n_steps=n_steps, data=data)
    psi = _evaluate(res.params["net"], x, a, b)
    E = float(_energy(res.params, energy)) if train_energy else energy
    return PINNResult(E, x, psi, float(jnp.sqrt(_trapz(psi**2, x))), res.losses, res.params)
