"""Parameter initialisation and application of MLPs and small CNNs (pytrees)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp

from .. import _checks

__all__ = ["conv", "init_conv", "init_mlp", "mlp"]

Params = list[tuple[jax.Array, jax.Array]]


def _sizes(sizes: Any, name: str, where: str, *, at_least: int) -> tuple[int, ...]:
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise _checks.fail(where, name, "a sequence of positive ints",
                           type(sizes).__name__, exc=TypeError)
    if len(sizes) < at_least:
        raise _checks.fail(where, name, f"at least {at_least} sizes", f"{len(sizes)}")
    return tuple(_checks.check_int(s, f"{name}[{i}]", where, min_val=1)
                 for i, s in enumerate(sizes))


def init_mlp(sizes: Sequence[int], *, key: jax.Array, dtype: Any = None) -> Params:
    """He-initialised weights of an MLP with layer widths ``sizes``.

    Parameters
    ----------
    sizes : sequence of int
        ``(d_in, h_1, ..., d_out)``, at least two entries.
    key : PRNG key
        Layer ``i`` draws its weights from ``jax.random.split(key, len(sizes) - 1)[i]``.
    dtype : dtype, optional
        Parameter dtype (default: JAX's default float).

    Returns
    -------
    params : list of (W, b)
        ``W`` of shape (sizes[i], sizes[i+1]) with entries N(0, 2 / sizes[i]),
        ``b`` zeros of shape (sizes[i+1],).

    Raises
    ------
    TypeError, ValueError
        ``sizes`` not a sequence of >= 2 positive ints; invalid ``key``.
    """
    where = "nn.init_mlp"
    key = _checks.check_key(key, "key", where)
    sizes = _sizes(sizes, "sizes", where, at_least=2)
    dtype = jnp.result_type(float) if dtype is None else jnp.dtype(dtype)
    keys = jax.random.split(key, len(sizes) - 1)
    return [(jax.random.normal(k, (a, b), dtype) * jnp.sqrt(2.0 / a).astype(dtype),
             jnp.zeros(b, dtype))
            for k, a, b in zip(keys, sizes[:-1], sizes[1:], strict=True)]


def mlp(params: Params, x: jax.Array, *,
        activation: Callable[[jax.Array], jax.Array] = jax.nn.relu) -> jax.Array:
    """Apply an MLP: affine layers with ``activation`` between them (none after the last).

    Parameters
    ----------
    params : list of (W, b)
        From :func:`init_mlp`.
    x : array of shape (..., d_in)
    activation : callable
        Elementwise nonlinearity.

    Returns
    -------
    array of shape (..., d_out)
    """
    h = _input(x, params, "nn.mlp", None, -2, "an array of shape (..., d_in)")
    for i, (W, b) in enumerate(params):
        h = h @ W + b
        if i < len(params) - 1:
            h = activation(h)
    return h


def init_conv(channels: Sequence[int], *, key: jax.Array, kernel_size: int = 3,
              dtype: Any = None) -> Params:
    """He-initialised kernels of a stack of 2-D convolutions.

    Parameters
    ----------
    channels : sequence of int
        ``(c_in, c_1, ..., c_out)``, at least two entries.
    key : PRNG key
    kernel_size : int
        Odd spatial size ``s`` of every kernel (``"SAME"`` padding keeps the image size).
    dtype : dtype, optional

    Returns
    -------
    params : list of (K, b)
        ``K`` of shape (s, s, c_i, c_{i+1}) (HWIO), ``b`` of shape (c_{i+1},).
    """
    where = "nn.init_conv"
    key = _checks.check_key(key, "key", where)
    channels = _sizes(channels, "channels", where, at_least=2)
    s = _checks.check_int(kernel_size, "kernel_size", where, min_val=1)
    if s % 2 == 0:
        raise _checks.fail(where, "kernel_size", "an odd size", f"kernel_size={s}")
    dtype = jnp.result_type(float) if dtype is None else jnp.dtype(dtype)
    keys = jax.random.split(key, len(channels) - 1)
    return [(jax.random.normal(k, (s, s, a, b), dtype) * jnp.sqrt(2.0 / (s * s * a)).astype(dtype),
             jnp.zeros(b, dtype))
            for k, a, b in zip(keys, channels[:-1], channels[1:], strict=True)]


def conv(params: Params, x: jax.Array, *,
         activation: Callable[[jax.Array], jax.Array] = jax.nn.relu) -> jax.Array:
    """Apply a stack of stride-1 ``"SAME"`` 2-D convolutions (NHWC).

    Parameters
    ----------
    params : list of (K, b)
        From :func:`init_conv`.
    x : array of shape (batch, height, width, c_in)

    Returns
    -------
    array of shape (batch, height, width, c_out)
    """
    h = _input(x, params, "nn.conv", 4, -2, "an array of shape (batch, height, width, c_in)")
    for i, (K, b) in enumerate(params):
        h = jax.lax.conv_general_dilated(h, K, (1, 1), "SAME",
                                         dimension_numbers=("NHWC", "HWIO", "NHWC")) + b
        if i < len(params) - 1:
            h = activation(h)
    return h


def _input(x: Any, params: Params, where: str, ndim: int | None, axis: int, rule: str):
    """The network input: used as is under ``jit``/``grad`` (a tracer, shape checked only);
    concrete input must be real, finite and non-empty. Its last axis must match the first
    layer's fan-in (``params[0][0].shape[axis]``)."""
    if not isinstance(x, jax.core.Tracer):
        x = _checks.as_array(x, "x", where, ndim=ndim, rule=rule)
    if (ndim is not None and x.ndim != ndim) or x.ndim < 1:
        raise _checks.fail(where, "x", rule, f"shape {tuple(x.shape)}")
    fan_in = jnp.shape(params[0][0])[axis] if len(params) else None
    if fan_in is not None and x.shape[-1] != fan_in:
        raise _checks.fail(where, "x", f"last axis {fan_in} (the first layer's input size)",
                           f"shape {tuple(x.shape)}")
    return x
