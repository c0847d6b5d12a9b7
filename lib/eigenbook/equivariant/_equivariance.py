"""Equivariance as a property: irreps, their representation matrices, the equivariance error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import check_int, check_key, check_rotation, fail
from ._harmonics import _wigner_D_jit, random_rotation

__all__ = [
    "as_irreps",
    "path_irreps",
    "irreps_D",
    "equivariance_error",
]

Irreps = tuple[tuple[int, int], ...]


def as_irreps(spec: Any, name: str = "irreps", where: str = "equivariant.as_irreps") -> Irreps:
    """Normalise an irreps specification to a tuple of ``(l, parity)`` pairs.

    Parameters
    ----------
    spec : int or sequence
        An int ``L`` means degrees ``0..L``, each once, with the parity
        ``(-1)**l`` of spherical harmonics; a sequence of ints lists the degrees
        (same parity rule); a sequence of ``(l, p)`` pairs with ``p = ±1`` is taken as is.
    name, where : str
        Argument and caller, for error messages.

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
    if not out:
        raise fail(where, name, "at least one degree", "an empty sequence")
    return tuple(out)


def path_irreps(paths: Sequence[tuple[int, int, int]]) -> Irreps:
    """Output irreps of a per-path product of spherical-harmonic-parity inputs.

    Path ``(l1, l2, l3)`` gives degree ``l3`` with parity ``(-1)**(l1 + l2)``.
    """
    paths = check_paths(paths, "paths", "equivariant.path_irreps")
    return tuple((l3, (-1) ** (l1 + l2)) for l1, l2, l3 in paths)


def check_paths(paths: Any, name: str, where: str) -> tuple[tuple[int, int, int], ...]:
    """Validate a sequence of tensor-product paths ``(l1, l2, l3)`` (the triangle rule)."""
    if isinstance(paths, (str, bytes)) or not hasattr(paths, "__iter__"):
        raise fail(where, name, "a sequence of (l1, l2, l3) paths", f"{type(paths).__name__}",
                   exc=TypeError)
    out = []
    for p in paths:
        if isinstance(p, (str, bytes)) or not hasattr(p, "__len__") or len(p) != 3:
            raise fail(where, name, "paths (l1, l2, l3)", f"entry {p!r}", exc=TypeError)
        l1, l2, l3 = (check_int(v, name, where, min_val=0) for v in p)
        if not abs(l1 - l2) <= l3 <= l1 + l2:
            raise fail(where, name, "|l1 - l2| <= l3 <= l1 + l2 (the triangle rule)",
                       f"path {(l1, l2, l3)}")
        out.append((l1, l2, l3))
    if not out:
        raise fail(where, name, "at least one path", "none")
    return tuple(out)


def irreps_D(irreps: Irreps, R, *, inversion: bool = False) -> jax.Array:
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
    where = "equivariant.irreps_D"
    irreps = as_irreps(irreps, "irreps", where)
    R = check_rotation(R, "R", where, batch=False)
    return _irreps_D_jit(irreps, R, bool(inversion))


@partial(jax.jit, static_argnums=(0, 2))
def _irreps_D_jit(irreps, R, inversion):
    L = max(l for l, _ in irreps)
    Dall = _wigner_D_jit(L, R)
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
    return _equivariance_error(fn, irreps_in, irreps_out, key=key, n_rotations=n_rotations,
                               batch=batch, parity=parity, where="equivariant.equivariance_error")


def _equivariance_error(fn, irreps_in, irreps_out, *, key, n_rotations, batch, parity, where):
    """:func:`equivariance_error`, validating under the public caller's name ``where``."""
    key = check_key(key, "key", where)
    if not callable(fn):
        raise fail(where, "fn", "a callable", type(fn).__name__, exc=TypeError)
    ins = [as_irreps(s, "irreps_in", where) for s in irreps_in]
    out = as_irreps(irreps_out, "irreps_out", where)
    n_rotations = check_int(n_rotations, "n_rotations", where, min_val=1)
    batch = check_int(batch, "batch", where, min_val=1)
    k_rot, k_x = jax.random.split(key)
    Rs = random_rotation((n_rotations,), key=k_rot)
    xs = [jax.random.normal(jax.random.fold_in(k_x, i), (batch, _dim(s)))
          for i, s in enumerate(ins)]
    z = jnp.asarray(fn(*xs))
    if z.shape[-1] != _dim(out):
        raise fail(where, "irreps_out", f"fn's output length {z.shape[-1]}",
                   f"irreps of dimension {_dim(out)}")
    worst = 0.0
    for r in range(n_rotations):
        for inv in ((False, True) if parity else (False,)):
            Dins = [irreps_D(s, Rs[r], inversion=inv) for s in ins]
            Dout = irreps_D(out, Rs[r], inversion=inv)
            lhs = jnp.asarray(fn(*[x @ D.T for x, D in zip(xs, Dins, strict=True)]))
            worst = max(worst, float(jnp.max(jnp.abs(lhs - z @ Dout.T))))
    return worst
