"""The one training loop: optax steps inside a jitted ``lax.scan``."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from .. import _checks

__all__ = ["TrainResult", "adam", "fit"]


@functools.lru_cache(maxsize=64)
def adam(learning_rate: float, *, eps: float = 1e-8, decay_to: float | None = None,
         n_steps: int | None = None) -> optax.GradientTransformation:
    """``optax.adam``, one object per setting (so repeated calls reuse :func:`fit`'s compiled loop).

    Parameters
    ----------
    learning_rate : float
        The (initial) step size.
    eps : float
        Added to the root of the second moment.
    decay_to : float, optional
        Decay the step size geometrically to ``decay_to * learning_rate`` over
        ``n_steps`` steps (``optax.exponential_decay``).
    n_steps : int, optional
        Length of the decay (required with ``decay_to``).

    Returns
    -------
    optax.GradientTransformation
    """
    where = "nn.adam"
    learning_rate = _checks.check_scalar(learning_rate, "learning_rate", where, min_val=0.0,
                                         strict_min=True)
    eps = _checks.check_scalar(eps, "eps", where, min_val=0.0)
    if decay_to is None:
        return optax.adam(learning_rate, eps=eps)
    if n_steps is None:
        raise _checks.fail("nn.adam", "n_steps", "the decay length when decay_to is given",
                           "n_steps=None", exc=TypeError)
    return optax.adam(optax.exponential_decay(learning_rate, transition_steps=n_steps,
                                              decay_rate=decay_to), eps=eps)


class TrainResult(NamedTuple):
    """What :func:`fit` returns.

    Attributes
    ----------
    params : pytree
        The parameters after the last step.
    losses : array of shape (n_steps,)
        The loss at each step, evaluated before that step's update.
    opt_state : pytree
        The optimizer state after the last step (to continue training).
    """

    params: Any
    losses: jax.Array
    opt_state: Any


def fit(loss: Callable[..., jax.Array], params: Any, optimizer: optax.GradientTransformation,
        *, n_steps: int, data: Any = None, key: jax.Array | None = None,
        opt_state: Any = None) -> TrainResult:
    """Minimise ``loss`` by ``n_steps`` steps of an optax ``optimizer``.

    The whole loop is one ``lax.scan`` under ``jax.jit``: it compiles once per
    (loss, optimizer, n_steps, parameter shapes) and never per step. Pass the
    *same* ``loss`` and ``optimizer`` objects between calls to reuse the compiled
    loop (a module-level loss function, with arrays passed as ``data`` rather
    than closed over).

    Parameters
    ----------
    loss : callable
        Returns a scalar. Called as ``loss(params)``, ``loss(params, data)``
        when ``data`` is given, and with a last argument ``step_key =
        jax.random.fold_in(key, t)`` at step ``t`` when ``key`` is given (fresh
        mini-batches or probes every step).
    params : pytree
        Initial parameters.
    optimizer : optax.GradientTransformation
        E.g. ``optax.adam(1e-3)``, or one with a schedule.
    n_steps : int
        Number of optimizer steps, ``>= 1``.
    data : pytree, optional
        Arrays the loss needs (traced, so new values do not recompile).
    key : PRNG key, optional
        Root key of the per-step keys.
    opt_state : pytree, optional
        A state to continue from (default: ``optimizer.init(params)``).

    Returns
    -------
    TrainResult

    Raises
    ------
    TypeError
        ``loss`` not callable, ``optimizer`` not an optax transformation, bad ``key``.
    ValueError
        ``n_steps < 1``; empty or non-finite ``params``.

    Warns
    -----
    RuntimeWarning
        When the loss becomes non-finite during training.

    See Also
    --------
    optax.GradientTransformation : the optimizer interface.
    """
    where = "nn.fit"
    if not callable(loss):
        raise _checks.fail(where, "loss", "a callable loss(params[, key])",
                           type(loss).__name__, exc=TypeError)
    if not isinstance(optimizer, optax.GradientTransformation):
        raise _checks.fail(where, "optimizer", "an optax.GradientTransformation "
                           "(e.g. optax.adam(1e-3))", type(optimizer).__name__, exc=TypeError)
    n_steps = _checks.check_int(n_steps, "n_steps", where, min_val=1)
    if key is not None:
        key = _checks.check_key(key, "key", where)
    leaves = jax.tree.leaves(params)
    if not leaves:
        raise _checks.fail(where, "params", "a pytree with at least one array", "no leaves")
    for i, leaf in enumerate(leaves):
        if not bool(jnp.all(jnp.isfinite(leaf))):
            raise _checks.fail(where, "params", "finite parameters",
                               f"NaN or inf in leaf {i} of shape {jnp.shape(leaf)}")
    if opt_state is None:
        opt_state = optimizer.init(params)
    params, losses, opt_state = _fit_impl(loss, optimizer, n_steps, data is not None,
                                          key is not None, params, opt_state, data, key)
    if not bool(jnp.all(jnp.isfinite(losses))):
        bad = int(jnp.argmin(jnp.isfinite(losses)))
        warnings.warn(f"{where}: the loss became non-finite at step {bad} of {n_steps}; "
                      "lower the learning rate.", RuntimeWarning, stacklevel=2)
    return TrainResult(params, losses, opt_state)


@functools.partial(jax.jit, static_argnums=(0, 1, 2, 3, 4))
def _fit_impl(loss, optimizer, n_steps, with_data, keyed, params, opt_state, data, key):
    value_and_grad = jax.value_and_grad(loss)

    def step(carry, t):
        p, state = carry
        args = ((data,) if with_data else ()) + ((jax.random.fold_in(key, t),) if keyed else ())
        value, grad = value_and_grad(p, *args)
        updates, state = optimizer.update(grad, state, p)
        return (optax.apply_updates(p, updates), state), value

    (params, opt_state), losses = jax.lax.scan(step, (params, opt_state), jnp.arange(n_steps))
    return params, losses, opt_state
