"""Adapters to e3nn-jax's conventions: its frame, its normalisations, its path order."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import as_array, check_choice, check_int, fail
from ._equivariance import check_paths
from ._harmonics import wigner_D

__all__ = [
    "E3NN_FRAME",
    "to_e3nn",
    "from_e3nn",
    "e3nn_path_order",
    "paths_to_e3nn",
]


#: Rotation taking this package's frame to e3nn-jax's: ``Y^e3nn(v) = Y(P v)``.
E3NN_FRAME = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
E3NN_FRAME.setflags(write=False)


@cache
def _e3nn_D(L: int) -> np.ndarray:
    D = np.asarray(wigner_D(L, jnp.asarray(E3NN_FRAME)))
    D = np.where(np.abs(D) < 1e-13, 0.0, D)  # clean round-off in the exact zeros
    D.setflags(write=False)
    return D


def _e3nn_args(where, x, L, normalization):
    L = check_int(L, "L", where, min_val=0)
    check_choice(normalization, "normalization", where, ("integral", "component"))
    rule = f"an array of shape (..., (L + 1)**2 = {(L + 1) ** 2})"
    x = x if isinstance(x, jax.core.Tracer) else as_array(x, "x", where, rule=rule)
    if x.ndim < 1 or x.shape[-1] != (L + 1) ** 2:
        raise fail(where, "x", rule, f"shape {tuple(x.shape)}")
    return x, L, (math.sqrt(4 * math.pi) if normalization == "component" else 1.0)


def to_e3nn(x, L: int, *, normalization: str = "integral") -> jax.Array:
    """Convert a feature with degrees ``0..L`` from this package's basis to e3nn-jax's.

    e3nn-jax orders ``l = 1`` as ``(x, y, z)`` where this package has
    ``(y, z, x)`` (``m = -1, 0, 1``); more generally its real harmonics are ours
    composed with the cyclic rotation ``P = E3NN_FRAME``, ``Y^e3nn_l(v) = Y_l(P v)
    = D_l(P) Y_l(v)``, so coefficients map by ``x_l ↦ D_l(P) x_l``. For
    spherical-harmonic values, ``normalization="component"`` (e3nn's default,
    ``‖Y_l‖² = 2l + 1`` on unit vectors) multiplies by ``√(4π)``; ``"integral"``
    (ours) does not.

    Parameters
    ----------
    x : array_like of shape (..., (L + 1)**2)
    L : int
    normalization : {"integral", "component"}

    Returns
    -------
    x_e3nn : jax.Array of shape (..., (L + 1)**2)

    Raises
    ------
    ValueError
        Wrong last-axis length or unknown normalization.

    See Also
    --------
    from_e3nn : the inverse. e3nn_jax.spherical_harmonics : what it matches.
    """
    x, L, scale = _e3nn_args("equivariant.to_e3nn", x, L, normalization)
    return scale * (x @ jnp.asarray(_e3nn_D(L)).T)


def from_e3nn(x, L: int, *, normalization: str = "integral") -> jax.Array:
    """Inverse of :func:`to_e3nn`: e3nn-jax's basis to this package's.

    Parameters
    ----------
    x : array_like of shape (..., (L + 1)**2)
    L : int
    normalization : {"integral", "component"}

    Returns
    -------
    x_ours : jax.Array of shape (..., (L + 1)**2)

    Raises
    ------
    ValueError
        Wrong last-axis length or unknown normalization.
    """
    x, L, scale = _e3nn_args("equivariant.from_e3nn", x, L, normalization)
    return (x @ jnp.asarray(_e3nn_D(L))) / scale


def e3nn_path_order(paths: Sequence[tuple[int, int, int]]) -> list[int]:
    """Order in which ``e3nn_jax.tensor_product`` lists the paths (spherical-harmonic parities).

    It sorts outputs by degree ``l3``, then puts the natural parity
    ``(-1)**l3`` (even paths) before the other, then by ``(l1, l2)``. Returns
    indices into ``paths``.
    """
    return _path_order(check_paths(paths, "paths", "equivariant.e3nn_path_order"))


def _path_order(paths):
    return sorted(range(len(paths)),
                  key=lambda i: (paths[i][2], sum(paths[i]) % 2, paths[i][0], paths[i][1]))


def paths_to_e3nn(z, paths: Sequence[tuple[int, int, int]]) -> jax.Array:
    """Convert a per-path output (:func:`full_tensor_product`) to e3nn-jax's layout.

    Reorders the path blocks as ``e3nn_jax.tensor_product(..., regroup_output=False)``
    lists them (:func:`e3nn_path_order`) and rotates each block into e3nn's frame
    (:func:`to_e3nn`).

    Parameters
    ----------
    z : array_like of shape (..., Σ_paths (2 l3 + 1))
    paths : sequence of (l1, l2, l3)
        The paths of ``z``, in ``z``'s order.

    Returns
    -------
    z_e3nn : jax.Array of the same shape

    Raises
    ------
    ValueError
        ``z``'s last axis does not match ``paths``.
    """
    where = "equivariant.paths_to_e3nn"
    paths = check_paths(paths, "paths", where)
    z = z if isinstance(z, jax.core.Tracer) else as_array(
        z, "z", where, rule="an array of shape (..., Σ_paths (2 l3 + 1))")
    offs = np.cumsum([0] + [2 * p[2] + 1 for p in paths])
    if z.ndim < 1 or z.shape[-1] != offs[-1]:
        raise fail(where, "z", f"last axis {offs[-1]} (from paths)", f"shape {z.shape}")
    blocks = []
    for i in _path_order(paths):
        l3 = paths[i][2]
        s = slice(l3 * l3, (l3 + 1) ** 2)
        blocks.append(z[..., offs[i]:offs[i + 1]] @ jnp.asarray(_e3nn_D(l3)[s, s]).T)
    return jnp.concatenate(blocks, axis=-1)
