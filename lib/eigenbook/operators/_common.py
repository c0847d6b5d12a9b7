"""Validation shared by the operator-learning networks (inputs that may be traced)."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks

__all__ = ["fields", "params_dict", "count_parameters"]


def fields(x: Any, where: str, channels: int | None, name: str = "x") -> jax.Array:
    """``x`` of shape (batch, n, channels): used as is when traced (shape checked only);
    concrete input must be real, finite and non-empty."""
    rule = "an array of shape (batch, n, channels)"
    if not isinstance(x, jax.core.Tracer):
        x = _checks.as_array(x, name, where, ndim=3, rule=rule)
    if x.ndim != 3:
        raise _checks.fail(where, name, rule, f"shape {tuple(x.shape)}")
    if channels is not None and x.shape[-1] != channels:
        raise _checks.fail(where, name, f"{channels} channels on the last axis (the model's "
                           "input channels)", f"shape {tuple(x.shape)}")
    return x


def params_dict(params: Any, where: str, keys: tuple[str, ...], what: str) -> dict:
    """A parameter pytree made by the matching ``init_*`` (a dict with ``keys``)."""
    if not isinstance(params, dict) or not set(keys) <= set(params):
        raise _checks.fail(where, "params", f"the parameters of {what} (a dict with keys "
                           f"{list(keys)})", f"{type(params).__name__}", exc=TypeError)
    return params


def count_parameters(params: Any) -> int:
    """Number of real scalars in a parameter pytree (a complex weight stored as two reals).

    Parameters
    ----------
    params : pytree of arrays
        Any parameter pytree of this package or of :mod:`eigenbook.nn`.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        A leaf is not an array.
    """
    total = 0
    for path, leaf in jax.tree_util.tree_leaves_with_path(params):
        if not isinstance(leaf, (jax.Array, np.ndarray)):
            raise _checks.fail("operators.count_parameters", "params" + jax.tree_util.keystr(path),
                               "an array leaf", type(leaf).__name__, exc=TypeError)
        total += int(np.prod(jnp.shape(leaf))) * (2 if jnp.iscomplexobj(leaf) else 1)
    return total
