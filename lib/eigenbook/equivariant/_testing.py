"""Equivariance as a property: random rotations (and inversions), and e3nn's frame."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import cache, partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import check_choice, check_int, check_key, check_scalar, fail
from ._harmonics import random_rotation, wigner_D

__all__ = [
    "as_irreps",
    "path_irreps",
    "irreps_D",
    "equivariance_error",
    "assert_equivariant",
    "E3NN_FRAME",
    "to_e3nn",
    "from_e3nn",
    "e3nn_path_order",
    "paths_to_e3nn",
]

Irreps = tuple[tuple[int, int], ...]


def as_irreps(spec: Any, where: str = "equivariant.as_irreps", name: str = "irreps") -> Irreps:
    """Normalise an irreps specification to a tuple of ``(l, parity)`` pairs.

    Parameters
    ----------
    spec : int or sequence
        An int ``L`` means degrees ``0..L``, each once, with the parity
        ``(-1)**l`` of spherical harmonics; a sequence of ints lists the degrees
        (same parity rule); a sequence of ``(l, p)`` pairs with ``p = ±1`` is taken as is.
    where, name : str
        Caller and argument, for error messages.

    Returns
    -------
    irreps : tuple of (int, int)

    Raises
    ------
    TypeError, ValueError
        An entry is neither an int nor an ``(l, p)`` pair, or ``p`` is not ±1.
    """
    if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
        L = check_int(spec, name, where, min_val=0)
        return tuple((l, (-1) ** l) for l in range(L + 1))
    if not isinstance(spec, Sequence) or isinstance(spec, str):
        raise fail(where, name, "an int L or a sequence of degrees / (l, p) pairs",
                   f"{type(spec).__name__}", exc=TypeError)
    out = []
    for item in spec:
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            l = check_int(item, name, where, min_val=0)
            out.append((l, (-1) ** l))
        elif isinstance(item, Sequence) and len(item) == 2:
            l = check_int(item[0], name, where, min_val=0)
            p = int(item[1])
            if p not in (1, -1):
                raise fail(where, name, "parities p = +1 or -1", f"p={item[1]!r}")
            out.append((l, p))
        else:
            raise fail(where, name, "degrees or (l, p) pairs", f"entry {item!r}",
                       exc=TypeError)
    return tuple(out)


def path_irreps(paths: Sequence[tuple[int, int, int]]) -> Irreps:
    """Output irreps of a per-path product of spherical-harmonic-parity inputs.

    Path ``(l1, l2, l3)`` gives degree ``l3`` with parity ``(-1)**(l1 + l2)``.
    """
    return tuple((l3, (-1) ** (l1 + l2)) for l1, l2, l3 in paths)


def irreps_D(irreps: Irreps, R, inversion: bool = False) -> jax.Array:
    """Block-diagonal representation matrix of ``R`` (times ``-I`` when ``inversion``).

    Parameters
    ----------
    irreps : tuple of (l, p)
        As returned by :func:`as_irreps`.
    R : array_like of shape (3, 3)
        A rotation.
    inversion : bool
        Represent ``-R`` instead: block ``(l, p)`` is multiplied by ``p``.

    Returns
    -------
    D : jax.Array of shape (dim, dim)
    """
    irreps = tuple((int(l), int(p)) for l, p in irreps)
    return _irreps_D_jit(irreps, jnp.asarray(R), bool(inversion))


@partial(jax.jit, static_argnums=(0, 2))
def _irreps_D_jit(irreps, R, inversion):
    L = max(l for l, _ in irreps)
    Dall = wigner_D(L, R)
    n = _dim(irreps)
    D = jnp.zeros((n, n), dtype=Dall.dtype)
    off = 0
    for l, p in irreps:
        s = slice(l * l, (l + 1) ** 2)
        D = D.at[off:off + 2 * l + 1, off:off + 2 * l + 1].set(Dall[s, s] * (p if inversion else 1))
        off += 2 * l + 1
    return D


def _dim(irreps: Irreps) -> int:
    return sum(2 * l + 1 for l, _ in irreps)


def equivariance_error(fn: Callable[..., Any], irreps_in: Sequence[Any], irreps_out: Any, *,
                       key, n_rotations: int = 4, batch: int = 8,
                       parity: bool = False) -> float:
    """Largest ``|fn(D_in x) - D_out fn(x)|`` over random group elements and inputs.

    Parameters
    ----------
    fn : callable
        ``fn(x1, ..., xk) -> z`` acting on the last axis, inputs of shape
        ``(batch, dim_i)``.
    irreps_in : sequence
        One irreps specification per input (see :func:`as_irreps`).
    irreps_out : irreps specification
    key : jax.Array
        PRNG key (rotations and standard-normal inputs).
    n_rotations : int
        Haar-random rotations tried.
    batch : int
        Random inputs per rotation.
    parity : bool
        Also apply each rotation composed with the inversion ``-I`` (group O(3)).

    Returns
    -------
    error : float
        Max absolute deviation; 0 for an exactly equivariant ``fn``.

    Raises
    ------
    TypeError
        ``key`` is not a PRNG key or ``fn`` is not callable.
    ValueError
        Bad irreps, or ``fn``'s output has the wrong length.
    """
    where = "equivariant.equivariance_error"
    key = check_key(key, where)
    if not callable(fn):
        raise fail(where, "fn", "a callable", type(fn).__name__, exc=TypeError)
    ins = [as_irreps(s, where, "irreps_in") for s in irreps_in]
    out = as_irreps(irreps_out, where, "irreps_out")
    n_rotations = check_int(n_rotations, "n_rotations", where, min_val=1)
    batch = check_int(batch, "batch", where, min_val=1)
    k_rot, k_x = jax.random.split(key)
    Rs = random_rotation(k_rot, (n_rotations,))
    xs = [jax.random.normal(jax.random.fold_in(k_x, i), (batch, _dim(s)))
          for i, s in enumerate(ins)]
    z = jnp.asarray(fn(*xs))
    if z.shape[-1] != _dim(out):
        raise fail(where, "irreps_out", f"fn's output length {z.shape[-1]}",
                   f"irreps of dimension {_dim(out)}")
    worst = 0.0
    for r in range(n_rotations):
        for inv in ((False, True) if parity else (False,)):
            Dins = [irreps_D(s, Rs[r], inv) for s in ins]
            Dout = irreps_D(out, Rs[r], inv)
            lhs = jnp.asarray(fn(*[x @ D.T for x, D in zip(xs, Dins, strict=True)]))
            worst = max(worst, float(jnp.max(jnp.abs(lhs - z @ Dout.T))))
    return worst


def assert_equivariant(fn: Callable[..., Any], irreps_in: Sequence[Any], irreps_out: Any, *,
                       key, atol: float = 1e-10, n_rotations: int = 4, batch: int = 8,
                       parity: bool = False) -> float:
    """Assert that ``fn`` is equivariant: :func:`equivariance_error` ``<= atol``.

    Parameters
    ----------
    fn, irreps_in, irreps_out, key, n_rotations, batch, parity
        As in :func:`equivariance_error`.
    atol : float
        Allowed absolute error (``> 0``).

    Returns
    -------
    error : float
        The measured error (when it passes).

    Raises
    ------
    AssertionError
        The error exceeds ``atol``; the message gives both.

    See Also
    --------
    e3nn_jax.utils.assert_equivariant : the reference library's check.
        Chapter :ref:`equivariant-tensor-products` uses it on every product.
    """
    atol = check_scalar(atol, "atol", "equivariant.assert_equivariant", min_val=0.0,
                        strict_min=True)
    err = equivariance_error(fn, irreps_in, irreps_out, key=key, n_rotations=n_rotations,
                             batch=batch, parity=parity)
    if not err <= atol:
        raise AssertionError(f"equivariant.assert_equivariant: equivariance error {err:.3e} "
                             f"exceeds atol={atol:.1e} ({'O(3)' if parity else 'SO(3)'}, "
                             f"{n_rotations} rotations).")
    return err


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
    x = jnp.asarray(x)
    if x.shape[-1] != (L + 1) ** 2:
        raise fail(where, "x", f"last axis (L + 1)**2 = {(L + 1) ** 2}", f"shape {x.shape}")
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
    z = jnp.asarray(z)
    offs = np.cumsum([0] + [2 * p[2] + 1 for p in paths])
    if z.shape[-1] != offs[-1]:
        raise fail(where, "z", f"last axis {offs[-1]} (from paths)", f"shape {z.shape}")
    blocks = []
    for i in e3nn_path_order(paths):
        l3 = paths[i][2]
        s = slice(l3 * l3, (l3 + 1) ** 2)
        blocks.append(z[..., offs[i]:offs[i + 1]] @ jnp.asarray(_e3nn_D(l3)[s, s]).T)
    return jnp.concatenate(blocks, axis=-1)
