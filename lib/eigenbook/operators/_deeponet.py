"""DeepONet: branch and trunk networks whose inner product approximates an operator."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp

from .. import _checks, nn
from ._common import params_dict

__all__ = ["init_deeponet", "deeponet"]

_KEYS = ("branch", "trunk", "bias")


def _hidden(h: Any, name: str, where: str) -> tuple[int, ...]:
    if isinstance(h, (str, bytes)) or not isinstance(h, Sequence):
        raise _checks.fail(where, name, "a sequence of positive ints (hidden widths)",
                           type(h).__name__, exc=TypeError)
    return tuple(_checks.check_int(s, f"{name}[{i}]", where, min_val=1) for i, s in enumerate(h))


def init_deeponet(n_sensors: int, n_basis: int, *, key: jax.Array,
                  branch_hidden: Sequence[int] = (40,), trunk_hidden: Sequence[int] = (40,),
                  coordinate_dim: int = 1) -> dict:
    """Parameters of an unstacked DeepONet :cite:p:`lu2019deeponet`.

    :math:`G(u)(y) \\approx \\sum_{k=1}^{p} b_k(u(x_1), \\dots, u(x_m))\\, t_k(y) + b_0`:
    one *branch* MLP maps the input function at the ``n_sensors`` sensors to ``p`` coefficients,
    one *trunk* MLP maps a location ``y`` to ``p`` basis values (with the activation also on its
    last layer, as in the paper's trunk). Both are :func:`eigenbook.nn.init_mlp` networks.

    Parameters
    ----------
    n_sensors : int
        :math:`m`, the number of sensors.
    n_basis : int
        :math:`p`, the number of branch/trunk outputs.
    key : PRNG key
    branch_hidden, trunk_hidden : sequence of int
        Hidden widths of the two MLPs.
    coordinate_dim : int
        Dimension of the output locations ``y``.

    Returns
    -------
    dict
        ``branch`` and ``trunk`` (lists of ``(W, b)``), ``bias`` of shape ().

    Raises
    ------
    TypeError, ValueError
        Sizes not positive ints; bad key.

    References
    ----------
    :cite:p:`lu2019deeponet`

    See Also
    --------
    deeponet : the forward pass.
    """
    where = "operators.init_deeponet"
    m = _checks.check_int(n_sensors, "n_sensors", where, min_val=1)
    p = _checks.check_int(n_basis, "n_basis", where, min_val=1)
    key = _checks.check_key(key, "key", where)
    bh = _hidden(branch_hidden, "branch_hidden", where)
    th = _hidden(trunk_hidden, "trunk_hidden", where)
    d = _checks.check_int(coordinate_dim, "coordinate_dim", where, min_val=1)
    kb, kt = jax.random.split(key)
    return {"branch": nn.init_mlp((m, *bh, p), key=kb), "trunk": nn.init_mlp((d, *th, p), key=kt),
            "bias": jnp.zeros(())}


@jax.jit
def _deeponet_impl(branch, trunk, bias, u, y):
    b = nn.mlp(branch, u, activation=jnp.tanh)
    t = jnp.tanh(nn.mlp(trunk, y, activation=jnp.tanh))
    return b @ t.T + bias


def deeponet(params: dict, u: Any, y: Any) -> jax.Array:
    """Evaluate a DeepONet: :math:`G(u)(y_j)` for every input function and location.

    Pure and jitted; ``tanh`` activations. Cost :math:`O(B(m + p)h + P(d + p)h + BPp)` for
    ``B`` functions, ``P`` locations and hidden width ``h``.

    Parameters
    ----------
    params : dict
        From :func:`init_deeponet`.
    u : array_like of shape (batch, n_sensors)
        The input functions at the sensors.
    y : array_like of shape (n_points, coordinate_dim)
        The output locations (shared by all functions).

    Returns
    -------
    jax.Array of shape (batch, n_points)

    Raises
    ------
    TypeError, ValueError
        ``params`` not a DeepONet dict; wrong shapes, NaN/inf in ``u`` or ``y``.

    References
    ----------
    :cite:p:`lu2019deeponet`

    See Also
    --------
    init_deeponet : the parameters.
    """
    where = "operators.deeponet"
    params = params_dict(params, where, _KEYS, "init_deeponet")
    m = jnp.shape(params["branch"][0][0])[0]
    d = jnp.shape(params["trunk"][0][0])[0]
    if not isinstance(u, jax.core.Tracer):
        u = _checks.as_array(u, "u", where, ndim=2, rule="an array of shape (batch, n_sensors)")
    if not isinstance(y, jax.core.Tracer):
        y = _checks.as_array(y, "y", where, ndim=2,
                             rule="an array of shape (n_points, coordinate_dim)")
    if u.ndim != 2 or u.shape[1] != m:
        raise _checks.fail(where, "u", f"shape (batch, {m}) (n_sensors = {m})",
                           f"shape {tuple(u.shape)}")
    if y.ndim != 2 or y.shape[1] != d:
        raise _checks.fail(where, "y", f"shape (n_points, {d}) (coordinate_dim = {d})",
                           f"shape {tuple(y.shape)}")
    return _deeponet_impl(params["branch"], params["trunk"], params["bias"], u, y)
