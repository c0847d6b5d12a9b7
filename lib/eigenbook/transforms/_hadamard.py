"""The fast Walsh–Hadamard transform and structured random rotations."""

from __future__ import annotations

from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import scipy.linalg

from .._checks import as_array, check_int, check_key, fail


def _power_of_two(n: int) -> bool:
    return n >= 1 and n & (n - 1) == 0


# Radix of the transform: H_N = H_16 ⊗ … ⊗ H_16 (⊗ a smaller last factor), each factor a
# small dense matmul over one sub-axis. Four passes over memory for N = 2^16 instead of the
# sixteen of the radix-2 butterfly: (65536, 201) along axis 0 in 212 ms against 473 ms, and
# (4096, 1024) along axis 1 in 81 ms against 93 ms (idle 2-core EPYC, 2026-12-02).
RADIX_BITS = 4


def _hadamard_factors(n: int) -> list[int]:
    """Sizes 2^b (b <= RADIX_BITS, as equal as possible) whose product is ``n``."""
    p = n.bit_length() - 1
    k = max(1, -(-p // RADIX_BITS))
    base, extra = divmod(p, k)
    return [1 << (base + (i < extra)) for i in range(k)]


def fwht_along(x: jax.Array, axis: int) -> jax.Array:
    """Unnormalised Walsh–Hadamard transform along ``axis`` (traceable; no checks).

    The transformed length must be a power of 2. Shared by :func:`fwht` and the SRHT of
    :mod:`eigenbook.sketch`.
    """
    shape = x.shape
    n = shape[axis]
    if n == 1:
        return x
    lead = int(np.prod(shape[:axis], dtype=np.int64))
    post = int(np.prod(shape[axis + 1:], dtype=np.int64))
    y, rest = x, n
    for s in _hadamard_factors(n):
        H = jnp.asarray(scipy.linalg.hadamard(s), dtype=x.dtype)
        rest //= s
        z = y.reshape(lead, s, rest * post)
        # H applied to the sub-axis of length s; a plain product when nothing trails it
        y = (z.reshape(lead, s) @ H.T) if rest * post == 1 else jnp.matmul(H, z)
        lead *= s
    return y.reshape(shape)


@partial(jax.jit, static_argnames=("axis", "normalized"))
def _fwht_impl(x, axis, normalized):
    y = fwht_along(x, axis)
    if normalized:
        y = y / jnp.sqrt(jnp.asarray(x.shape[axis], dtype=y.real.dtype))
    return y


def _check_hadamard_axis(x, axis, where):
    axis = check_int(axis, "axis", where, min_val=-x.ndim, max_val=x.ndim - 1) % x.ndim
    n = x.shape[axis]
    if not _power_of_two(n):
        raise fail(where, "x", "a length along the axis that is a power of 2",
                   f"shape {tuple(x.shape)} (length {n} on axis {axis})",
                   "Zero-pad to the next power of 2.")
    return axis


def fwht(x: Any, *, axis: int = -1, normalized: bool = False) -> jax.Array:
    """Fast Walsh–Hadamard transform along one axis, in natural (Sylvester) order.

    :math:`y = H_N x` with :math:`H_N[i, j] = (-1)^{\\langle i, j\\rangle}`, the inner
    product of the binary digits of ``i`` and ``j``: the matrix of
    ``scipy.linalg.hadamard(N)``. :math:`H_N = H_2^{\\otimes n}` factors into
    :math:`n = \\log_2 N` sparse butterfly passes of :math:`N` additions each, instead of
    the :math:`N^2` of the dense product; here every four of them are grouped into one
    product with the dense :math:`H_{16}` on blocks of 16 (:math:`4 N \\log_2 N`
    multiply-adds, a quarter of the passes over memory, which bound it on a CPU).
    :math:`H_N^2 = N I`: the
    transform is its own inverse up to :math:`1/N`, and ``normalized=True`` returns the
    orthogonal :math:`H_N/\\sqrt N`.

    The work is one jitted function per (shape, dtype, axis, normalized): calls with
    the same shapes reuse the compiled code.

    Parameters
    ----------
    x : array_like of shape (..., N, ...), real or complex
        ``N`` a power of 2 along ``axis``.
    axis : int
        The transformed axis.
    normalized : bool
        Divide by :math:`\\sqrt N` (orthonormal transform).

    Returns
    -------
    y : jax.Array, the shape of ``x``

    Raises
    ------
    TypeError
        ``x`` not numeric, ``axis`` not an int.
    ValueError
        ``x`` empty or not finite, ``axis`` out of range, or a length that is not a power
        of 2 along it.

    References
    ----------
    :cite:p:`fino1976unified`

    See Also
    --------
    scipy.linalg.hadamard : the dense matrix (:math:`O(N^2)` to apply).
    sympy.discrete.transforms.fwht : a pure-Python reference.
    random_hadamard_rotation, sparse_wht

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "transforms.fwht"
    x = as_array(x, "x", where, allow_complex=True)
    axis = _check_hadamard_axis(x, axis, where)
    if not isinstance(normalized, (bool, np.bool_)):
        raise fail(where, "normalized", "a bool", f"{type(normalized).__name__}",
                   exc=TypeError)
    return _fwht_impl(x, axis, bool(normalized))


@partial(jax.jit, static_argnames=("axis",))
def _rotation_impl(x, key, axis):
    n = x.shape[axis]
    signs = jax.random.rademacher(key, (n,), dtype=x.real.dtype)
    shape = [1] * x.ndim
    shape[axis] = n
    return _fwht_impl(x * signs.reshape(shape), axis, True)


def random_hadamard_rotation(x: Any, *, key: jax.Array, axis: int = 0) -> jax.Array:
    """Apply the structured random rotation :math:`HD/\\sqrt N` along one axis.

    ``D`` is a diagonal of independent random signs, ``H`` the Walsh–Hadamard matrix of
    :func:`fwht`. The product is orthogonal, costs :math:`N\\log_2 N` per column, and spreads
    the energy of any fixed vector evenly: for a unit vector ``u``, each entry of
    :math:`HDu/\\sqrt N` is sub-Gaussian with variance :math:`1/N`, so the row norms of an
    orthonormal basis ``U`` (N, d) are at most :math:`\\sqrt{d/N} + \\sqrt{8\\log(N/\\delta)/N}`
    with probability :math:`1 - \\delta` :cite:p:`tropp2011improved`. Uniform row sampling
    after this rotation is the subsampled randomized Hadamard transform
    (:func:`eigenbook.sketch.srht_sketch`).

    Parameters
    ----------
    x : array_like of shape (N, ...) (``N`` along ``axis``, a power of 2), real or complex
    key : PRNG key
        Draws the signs.
    axis : int
        The rotated axis (the rows by default).

    Returns
    -------
    y : jax.Array, the shape of ``x``

    Raises
    ------
    TypeError
        ``x`` not numeric, ``key`` not a PRNG key, ``axis`` not an int.
    ValueError
        ``x`` empty or not finite, ``axis`` out of range, length not a power of 2.

    References
    ----------
    :cite:p:`ailon2009fast,tropp2011improved`

    See Also
    --------
    eigenbook.sketch.srht_sketch : the same rotation followed by row sampling.
    fwht

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "transforms.random_hadamard_rotation"
    x = as_array(x, "x", where, allow_complex=True)
    key = check_key(key, "key", where)
    axis = _check_hadamard_axis(x, axis, where)
    return _rotation_impl(x, key, axis)
