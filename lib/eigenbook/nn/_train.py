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

__all__ = ["TrainResult", "fit"]


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
        *, n_steps: int, key: jax.Array | None = None, opt_state: Any = None) -> TrainResult:
    """Minimise ``loss`` by ``n_steps`` steps of an optax ``optimizer``.

    The whole loop is one ``lax.scan`` under ``jax.jit``: it compiles once per
    (loss, optimizer, n_steps, parameter shapes) and never per step. Pass the
    *same* ``loss`` and ``optimizer`` objects between calls to reuse the compiled
    loop.

    Parameters
    ----------
    loss : callable
        ``loss(params)`` or, when ``key`` is given, ``loss(params, step_key)``
        with ``step_key = jax.random.fold_in(key, t)`` at step ``t`` (fresh
        mini-batches or probes every step). Returns a scalar.
    params : pytree
        Initial parameters.
    optimizer : optax.GradientTransformation
        E.g. ``optax.adam(1e-3)``, or one with a schedule.
    n_steps : int
        Number of optimizer steps, ``>= 1``.
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
        key = _checks.check_key(key, where)
    leaves = jax.tree.leaves(params)
    if not leaves:
        raise _checks.fail(where, "params", "a pytree with at least one array", "no leaves")
    for i, leaf in enumerate(leaves):
        if not bool(jnp.all(jnp.isfinite(leaf))):
            raise _checks.fail(where, "params", "finite parameters",
                               f"NaN or inf in leaf {i} of shape {jnp.shape(leaf)}")
    if opt_state is None:
        opt_state = optimizer.init(params)
    params, losses, opt_state = _fit_impl(loss, optimizer, n_steps, key is not None,
                                          params, opt_state, key)
    if not bool(jnp.all(jnp.isfinite(losses))):
        bad = int(jnp.argmin(jnp.isfinite(losses)))
        warnings.warn(f"{where}: the loss became non-finite at step {bad} of {n_steps}; "
                      "lower the learning rate.", RuntimeWarning, stacklevel=2)
    return TrainResult(params, losses, opt_state)


@functools.partial(jax.jit, static_argnums=(0, 1, 2, 3))
def _fit_impl(loss, optimizer, n_steps, keyed, params, opt_state, key):
    value_and_grad = jax.value_and_grad(loss)

    def step(carry, t):
        p, state = carry
        value, grad = value_and_grad(p, jax.random.fold_in(key, t)) if keyed \
            else value_and_grad(p)
        updates, state = optimizer.update(grad, state, p)
        return (optax.apply_updates(p, updates), state), value

    (params, opt_state), losses = jax.lax.scan(step, (params, opt_state), jnp.arange(n_steps))
    return params, losses, opt_state
