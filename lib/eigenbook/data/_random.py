"""The random primitives every generator stands on: Haar samplers and the key bridge.

* :func:`haar_orthogonal` — Haar-distributed orthogonal matrices (or orthonormal
  frames), by the QR factorisation of a Gaussian matrix with the signs of
  ``diag(R)`` moved into ``Q`` (Mezzadri 2007); jitted, optionally batched.
* :func:`haar_rotation` — Haar-distributed rotations of SO(3), from normalised
  Gaussian quaternions, through :func:`rotation_from_quaternion`.
* :func:`rotation_from_quaternion` — the one quaternion → matrix code of the
  package (jit-safe; ``orth`` and ``equivariant`` use it).
* :func:`numpy_rng` — the one bridge from a JAX key to a ``numpy.random.Generator``,
  for generators that sample on the host (sparse patterns, graphs).
* :func:`shuffle_rows` — a uniformly random row order.
"""

from __future__ import annotations

import numbers
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from eigenbook import _checks

__all__ = ["haar_orthogonal", "haar_rotation", "rotation_from_quaternion", "numpy_rng",
           "shuffle_rows"]


def _check_shape(shape: Any, where: str) -> tuple[int, ...]:
    """A batch shape: an int or a tuple of non-negative ints."""
    if isinstance(shape, numbers.Integral) and not isinstance(shape, (bool, np.bool_)):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)):
        raise _checks.fail(where, "shape", "a tuple of ints (the batch shape)",
                           f"{type(shape).__name__} {shape!r}", exc=TypeError)
    return tuple(_checks.check_int(s, "shape", where, min_val=0) for s in shape)


def _check_float_dtype(dtype: Any, where: str) -> np.dtype:
    dt = np.dtype(jnp.result_type(float) if dtype is None else dtype)
    if dt.kind != "f":
        raise _checks.fail(where, "dtype", "a real floating dtype (float32 or float64)",
                           f"dtype {dt}", exc=TypeError)
    return np.dtype(jnp.dtype(dt))  # float64 -> float32 when x64 is off


def haar_orthogonal(n: int, p: int | None = None, *, key: jax.Array,
                    shape: int | tuple[int, ...] = (), dtype: Any = None) -> jax.Array:
    r"""Haar-random orthogonal matrices, or Haar-random orthonormal frames.

    Draw :math:`G \in \mathbb{R}^{n\times p}` with i.i.d. standard normal entries,
    factor :math:`G = QR` (reduced QR) and return :math:`Q\,\operatorname{diag}
    (\operatorname{sign} r_{ii})`. With the signs fixed, the result is exactly
    Haar-distributed: on O(n) when ``p = n`` (both signs of the determinant, each
    with probability 1/2), and uniform on the Stiefel manifold of orthonormal
    p-frames when ``p < n`` (it is distributed as the first p columns of a Haar
    O(n) matrix). Without the sign fix the distribution of Q depends on the QR
    algorithm; that is why every caller should use this function.

    Parameters
    ----------
    n : int
        Rows, ``n >= 1``.
    p : int, optional
        Columns, ``1 <= p <= n``; default ``n`` (a square orthogonal matrix).
    key : PRNG key
        The only source of randomness: the Gaussian is ``jax.random.normal(key,
        (*shape, n, p), dtype)``, so equal keys give equal matrices.
    shape : int or tuple of int, optional
        Batch shape; default ``()`` (one matrix).
    dtype : floating dtype, optional
        Default: JAX's default float (float64 when x64 is enabled).

    Returns
    -------
    array of shape (*shape, n, p)
        Orthonormal columns: ``Q^T Q = I_p`` to rounding.

    Raises
    ------
    TypeError
        ``key`` is not a PRNG key; a size is not an int; ``dtype`` not floating.
    ValueError
        ``n < 1`` or ``p`` outside ``[1, n]``, or a negative batch size.

    Notes
    -----
    Cost :math:`O(n p^2)` per matrix (one Householder QR), jitted (compiled once
    per shape and dtype). Reference: F. Mezzadri, "How to generate random matrices
    from the classical compact groups", Notices of the AMS 54 (2007).

    Examples
    --------
    >>> Q = haar_orthogonal(4, key=jax.random.key(0))              # doctest: +SKIP
    >>> U = haar_orthogonal(100, 5, key=jax.random.key(1))         # (100, 5) frame
    >>> Qs = haar_orthogonal(3, key=jax.random.key(2), shape=(8,)) # (8, 3, 3)
    """
    where = "data.haar_orthogonal"
    key = _checks.check_key(key, "key", where)
    n = _checks.check_int(n, "n", where, min_val=1)
    p = n if p is None else _checks.check_int(p, "p", where, min_val=1, max_val=n,
                                              hint="A frame has at most n columns.")
    shape = _check_shape(shape, where)
    dtype = _check_float_dtype(dtype, where)
    return _haar_orthogonal_impl(key, n=n, p=p, shape=shape, dtype=dtype)


@partial(jax.jit, static_argnames=("n", "p", "shape", "dtype"))
def _haar_orthogonal_impl(key, *, n, p, shape, dtype):
    g = jax.random.normal(key, (*shape, n, p), dtype=dtype)
    q, r = jnp.linalg.qr(g)
    d = jnp.diagonal(r, axis1=-2, axis2=-1)
    return q * jnp.where(d < 0, -1.0, 1.0).astype(dtype)[..., None, :]


def rotation_from_quaternion(q: Any) -> jax.Array:
    r"""Rotation matrix of a quaternion :math:`(w, x, y, z)`, normalised first.

    .. math::
       R = \begin{pmatrix}
       1 - 2(y^2 + z^2) & 2(xy - wz) & 2(xz + wy) \\
       2(xy + wz) & 1 - 2(x^2 + z^2) & 2(yz - wx) \\
       2(xz - wy) & 2(yz + wx) & 1 - 2(x^2 + y^2)
       \end{pmatrix}

    for the unit quaternion :math:`q / \lVert q\rVert`; ``q`` and ``-q`` give the
    same rotation. This is the package's one quaternion → matrix code. Under ``jit``
    it checks only shapes and dtypes; on concrete input also finiteness and ``q != 0``.

    Parameters
    ----------
    q : array_like of shape (..., 4)
        Nonzero quaternions, scalar part first.

    Returns
    -------
    array of shape (..., 3, 3)
        Rotation matrices (orthogonal, det +1 to rounding); float dtype of ``q``
        (integers become the default float).

    Raises
    ------
    TypeError
        ``q`` is not real numeric.
    ValueError
        The last axis of ``q`` is not of length 4.
    """
    where = "data.rotation_from_quaternion"
    if not isinstance(q, jax.core.Tracer):  # concrete: values too (finite, non-zero)
        q = _checks.as_array(q, "q", where, rule="a real array of shape (..., 4)",
                             allow_empty=True)  # an empty batch gives an empty batch
        if q.ndim >= 1 and q.shape[-1] == 4 and bool(jnp.any(jnp.all(q == 0, axis=-1))):
            raise _checks.fail(where, "q", "non-zero quaternions", "a zero quaternion")
    q = jnp.asarray(q)
    if not (jnp.issubdtype(q.dtype, jnp.floating) or jnp.issubdtype(q.dtype, jnp.integer)):
        raise _checks.fail(where, "q", "a real array of shape (..., 4)", f"dtype {q.dtype}",
                           exc=TypeError)
    if q.ndim < 1 or q.shape[-1] != 4:
        raise _checks.fail(where, "q", "an array of shape (..., 4)", f"shape {tuple(q.shape)}")
    if not jnp.issubdtype(q.dtype, jnp.floating):
        q = q.astype(jnp.result_type(float))
    return _rotation_from_quaternion_impl(q)


@jax.jit
def _rotation_from_quaternion_impl(q):
    q = q / jnp.linalg.norm(q, axis=-1, keepdims=True)
    w, x, y, z = q[..., 0], q[..., 1], q[..., 2], q[..., 3]
    rows = [
        [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
        [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
        [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
    ]
    return jnp.stack([jnp.stack(row, -1) for row in rows], -2)


def haar_rotation(shape: int | tuple[int, ...] = (), *, key: jax.Array,
                  dtype: Any = None) -> jax.Array:
    """Haar-random rotations of SO(3), from normalised Gaussian quaternions.

    A standard normal vector of :math:`\\mathbb{R}^4`, normalised, is uniform on
    the unit sphere :math:`S^3`; its rotation (:func:`rotation_from_quaternion`)
    is Haar-distributed on SO(3), because :math:`S^3 \\to SO(3)` is a double
    cover that carries the uniform measure to the Haar measure.

    Parameters
    ----------
    shape : int or tuple of int, optional
        Batch shape; default ``()`` (one rotation). An int ``n`` means ``(n,)``.
    key : PRNG key
        The quaternions are ``jax.random.normal(key, (*shape, 4), dtype)``.
    dtype : floating dtype, optional
        Default: JAX's default float.

    Returns
    -------
    array of shape (*shape, 3, 3)
        Rotations: orthogonal with ``det R = +1`` (to rounding).

    Raises
    ------
    TypeError
        ``key`` is not a PRNG key, ``shape`` not ints, ``dtype`` not floating.
    ValueError
        A negative batch size.

    See Also
    --------
    haar_orthogonal : Haar O(n) (both determinant signs).
    scipy.spatial.transform.Rotation.random : the same law, on the host.
    """
    where = "data.haar_rotation"
    key = _checks.check_key(key, "key", where)
    shape = _check_shape(shape, where)
    dtype = _check_float_dtype(dtype, where)
    return _haar_rotation_impl(key, shape=shape, dtype=dtype)


@partial(jax.jit, static_argnames=("shape", "dtype"))
def _haar_rotation_impl(key, *, shape, dtype):
    q = jax.random.normal(key, (*shape, 4), dtype=dtype)
    # normalised here and again in the conversion: the draws of the former
    # orth.random_rotations, kept bit for bit
    return _rotation_from_quaternion_impl(q / jnp.linalg.norm(q, axis=-1, keepdims=True))


def numpy_rng(key: jax.Array) -> np.random.Generator:
    """A NumPy ``Generator`` seeded from a JAX key, for sampling on the host.

    The seed is the key's raw data (``jax.random.key_data(key)``, two uint32
    words for the default threefry key) passed to ``numpy.random.default_rng``
    as a list of ints, so equal keys give equal streams and distinct keys
    distinct ones. To draw several independent host streams from one key,
    derive keys first (``jax.random.fold_in(key, i)``), then bridge each.

    Parameters
    ----------
    key : PRNG key
        Typed (``jax.random.key``) or raw uint32[2] (``jax.random.PRNGKey``).

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    TypeError
        ``key`` is not a PRNG key.
    """
    key = _checks.check_key(key, "key", "data.numpy_rng")
    raw = jax.random.key_data(key) if jnp.issubdtype(key.dtype, jax.dtypes.prng_key) else key
    return np.random.default_rng(np.asarray(raw).ravel().tolist())


def shuffle_rows(rows: jax.Array, *, key: jax.Array) -> jax.Array:
    """Return the rows in a uniformly random order (a permutation drawn from ``key``).

    Parameters
    ----------
    rows : array of shape (n, d)
    key : PRNG key

    Returns
    -------
    array of shape (n, d)
        ``rows[perm]`` for a uniform random permutation ``perm``; dtype kept.

    Raises
    ------
    TypeError
        ``key`` is not a PRNG key, or ``rows`` is not numeric.
    ValueError
        ``rows`` is not a finite 2-D array.

    Explained in chapter 01_eigensolvers.
    """
    where = "data.shuffle_rows"
    key = _checks.check_key(key, "key", where)
    rows = _checks.as_matrix(rows, "rows", where)
    return jax.random.permutation(key, rows, axis=0, independent=False)
