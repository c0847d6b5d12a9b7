"""Real spherical harmonics, quadrature on S², rotations and real Wigner D matrices.

Conventions (used by the whole package). A feature with all degrees
``l = 0..L`` is a vector of length ``(L + 1)**2``; degree ``l`` occupies the
slice ``l**2 : (l + 1)**2`` and, inside it, the order ``m = -l..l`` in
increasing order, so that component ``(l, m)`` sits at index ``l*l + l + m``.
The real spherical harmonics are orthonormal on the unit sphere,
``∫ Y_lm Y_l'm' dΩ = δ δ``, and built without the Condon–Shortley phase:

``Y_l0 = N_l0 P_l(cos θ)``, ``Y_lm = √2 N_lm P_l^m(cos θ) cos(mφ)`` for ``m > 0`` and
``Y_lm = √2 N_l|m| P_l^|m|(cos θ) sin(|m|φ)`` for ``m < 0``, with
``N_lm = √((2l+1)/(4π) (l-m)!/(l+m)!)``. Hence ``Y_1 = √(3/(4π)) (y, z, x)``.
"""

from __future__ import annotations

import math
from functools import cache, partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import as_array, check_int, check_key, check_rotation, fail
from ..data import haar_rotation
from ..data._random import _check_shape

__all__ = [
    "S2Quadrature",
    "irreps_dim",
    "degree_slice",
    "sph_harm",
    "legendre_table",
    "s2_quadrature",
    "random_rotation",
    "wigner_D",
    "complex_to_real",
]


class S2Quadrature(NamedTuple):
    """A product quadrature rule on S² (:func:`s2_quadrature`).

    Attributes
    ----------
    cos_t, sin_t : ndarray of shape (n_theta,)
        Gauss–Legendre nodes in ``cos θ`` and the matching ``sin θ``.
    phi : ndarray of shape (n_phi,)
        Equispaced azimuths.
    weights : ndarray of shape (n_theta, n_phi)
        Weights summing to ``4π``.
    """

    cos_t: np.ndarray
    sin_t: np.ndarray
    phi: np.ndarray
    weights: np.ndarray


def irreps_dim(L: int) -> int:
    """Length ``(L + 1)**2`` of a feature holding every degree ``l = 0..L`` once."""
    L = check_int(L, "L", "equivariant.irreps_dim", min_val=0)
    return (L + 1) ** 2


def degree_slice(l: int) -> slice:
    """The slice ``l**2 : (l + 1)**2`` of degree ``l`` in the package's layout."""
    l = check_int(l, "l", "equivariant.degree_slice", min_val=0)
    return slice(l * l, (l + 1) * (l + 1))


def legendre_table(L: int, cos_t, sin_t):
    """Normalised associated Legendre functions ``N_lm P_l^m`` (no Condon–Shortley phase).

    Written in terms of ``cos θ`` and a *signed* ``sin θ``, so that the same
    formula extends to ``θ ∈ [0, 2π)`` (the torus used by the Fourier route).

    Parameters
    ----------
    L : int
        Largest degree.
    cos_t, sin_t : array_like of shape (...)
        ``cos θ`` and ``sin θ`` (numpy or JAX).

    Returns
    -------
    table : array of shape (..., L + 1, L + 1)
        ``table[..., l, m] = N_lm P_l^m(cos θ)`` for ``0 <= m <= l``, zero above.

    Raises
    ------
    TypeError
        ``L`` is not an int; ``cos_t``/``sin_t`` not real arrays.
    ValueError
        ``L < 0``; ``cos_t``/``sin_t`` hold NaN/inf or differ in shape.
    """
    where = "equivariant.legendre_table"
    L = check_int(L, "L", where, min_val=0)
    jax_in = isinstance(cos_t, jax.Array) or isinstance(sin_t, jax.Array)
    if not (isinstance(cos_t, jax.core.Tracer) or isinstance(sin_t, jax.core.Tracer)):
        c = as_array(cos_t, "cos_t", where, allow_empty=True)
        s = as_array(sin_t, "sin_t", where, allow_empty=True)
        # numpy in, numpy out (and no float32 round trip when x64 is off)
        cos_t, sin_t = (c, s) if jax_in else (np.asarray(cos_t, float), np.asarray(sin_t, float))
    if cos_t.shape != sin_t.shape:
        raise fail(where, "sin_t", f"the shape of cos_t {tuple(cos_t.shape)}",
                   f"shape {tuple(sin_t.shape)}")
    return _legendre_table(L, cos_t, sin_t)


def _legendre_table(L: int, cos_t, sin_t):
    xp = jnp if isinstance(cos_t, jax.Array) or isinstance(sin_t, jax.Array) else np
    c, s = cos_t, sin_t
    zero = xp.zeros_like(c)
    q = [[zero] * (L + 1) for _ in range(L + 1)]
    q[0][0] = zero + 1.0 / math.sqrt(4 * math.pi)
    for m in range(1, L + 1):
        q[m][m] = math.sqrt((2 * m + 1) / (2 * m)) * s * q[m - 1][m - 1]
    for m in range(L):
        q[m + 1][m] = math.sqrt(2 * m + 3) * c * q[m][m]
    for m in range(L + 1):
        for l in range(m + 2, L + 1):
            a = math.sqrt((4 * l * l - 1) / (l * l - m * m))
            b = math.sqrt(((l - 1) ** 2 - m * m) / (4 * (l - 1) ** 2 - 1))
            q[l][m] = a * (c * q[l - 1][m] - b * q[l - 2][m])
    return xp.stack([xp.stack(row, axis=-1) for row in q], axis=-2)


def _trig_table(L: int, phi):
    """``T[..., l? no: m + L]``: √2 cos(mφ) (m > 0), 1 (m = 0), √2 sin(|m|φ) (m < 0)."""
    xp = jnp if isinstance(phi, jax.Array) else np
    cols = []
    for m in range(-L, L + 1):
        if m < 0:
            cols.append(math.sqrt(2) * xp.sin(-m * phi))
        elif m == 0:
            cols.append(xp.ones_like(phi))
        else:
            cols.append(math.sqrt(2) * xp.cos(m * phi))
    return xp.stack(cols, axis=-1)


@cache
def _lm_index(L: int) -> tuple[np.ndarray, np.ndarray]:
    ls = np.concatenate([np.full(2 * l + 1, l) for l in range(L + 1)])
    ms = np.concatenate([np.arange(-l, l + 1) for l in range(L + 1)])
    return ls, ms


def sph_harm_angles(L: int, cos_t, sin_t, phi):
    """Real spherical harmonics at angles: ``(...,)`` → ``(..., (L+1)**2)`` (see module doc)."""
    P = _legendre_table(L, cos_t, sin_t)
    T = _trig_table(L, phi)
    ls, ms = _lm_index(L)
    return P[..., ls, np.abs(ms)] * T[..., ms + L]


def sph_harm(L: int, vectors) -> jax.Array:
    """Real orthonormal spherical harmonics ``Y_lm`` for ``l = 0..L`` at directions.

    Parameters
    ----------
    L : int
        Largest degree, ``>= 0``.
    vectors : array_like of shape (..., 3)
        Non-zero vectors; only their direction matters (they are normalised).

    Returns
    -------
    Y : jax.Array of shape (..., (L + 1)**2)
        In the package's layout (degree blocks, ``m = -l..l``), normalised so that
        ``∫ Y_lm Y_l'm' dΩ = δ_ll' δ_mm'``; ``Y_1 = √(3/(4π)) (y, z, x)``.

    Raises
    ------
    ValueError
        ``L < 0``; ``vectors`` does not end in an axis of length 3, is empty, holds
        NaN/inf or a zero vector.

    See Also
    --------
    e3nn_jax.spherical_harmonics : the reference; it uses another frame (see
        :func:`to_e3nn`). Chapter :ref:`equivariant-tensor-products` explains the layout.

    References
    ----------
    :cite:p:`luo2024gaunt`
    """
    where = "equivariant.sph_harm"
    L = check_int(L, "L", where, min_val=0)
    rule = "an array of shape (..., 3)"
    if isinstance(vectors, jax.core.Tracer):
        v = vectors
    else:
        v = as_array(vectors, "vectors", where, rule=rule)
    if v.ndim < 1 or v.shape[-1] != 3:
        raise fail(where, "vectors", rule, f"shape {tuple(v.shape)}")
    if not isinstance(v, jax.core.Tracer) and bool(jnp.any(jnp.all(v == 0, axis=-1))):
        raise fail(where, "vectors", "non-zero vectors (only the direction is used)",
                   "a zero vector")
    return _sph_harm_jit(L, v)


@partial(jax.jit, static_argnums=0)
def _sph_harm_jit(L, v):
    v = v / jnp.linalg.norm(v, axis=-1, keepdims=True)
    x, y, z = v[..., 0], v[..., 1], v[..., 2]
    rho = jnp.sqrt(x * x + y * y)
    return sph_harm_angles(L, z, rho, jnp.arctan2(y, x))


@cache
def s2_quadrature(degree: int) -> S2Quadrature:
    """Gauss–Legendre × uniform-φ product rule, exact for polynomials of ``degree`` on S².

    Parameters
    ----------
    degree : int
        Total polynomial degree to integrate exactly (``>= 0``).

    Returns
    -------
    S2Quadrature
        ``(cos_t, sin_t, phi, weights)``: ``cos_t`` and ``sin_t`` of shape (n_theta,),
        the Gauss–Legendre nodes in ``cos θ``, ``n_theta = ⌊degree/2⌋ + 1``; ``phi`` of
        shape (n_phi,), ``n_phi = degree + 1`` equispaced angles; ``weights`` of shape
        (n_theta, n_phi), summing to ``4π``.
    """
    degree = check_int(degree, "degree", "equivariant.s2_quadrature", min_val=0)
    n_t = degree // 2 + 1
    n_p = degree + 1
    c, w = np.polynomial.legendre.leggauss(n_t)
    phi = 2 * np.pi * np.arange(n_p) / n_p
    return S2Quadrature(c, np.sqrt(1 - c * c), phi, np.outer(w, np.full(n_p, 2 * np.pi / n_p)))


@cache
def _wigner_grid(L: int) -> tuple[np.ndarray, np.ndarray]:
    c, s, phi, w = s2_quadrature(2 * L)
    C, P = np.meshgrid(c, phi, indexing="ij")
    S = np.sqrt(1 - C * C)
    pts = np.stack([S * np.cos(P), S * np.sin(P), C], axis=-1).reshape(-1, 3)
    return pts, w.reshape(-1)


def wigner_D(L: int, R) -> jax.Array:
    """Real Wigner D matrix of all degrees ``0..L``: ``Y(R v) = D(R) Y(v)``.

    Computed by projection, ``D = Σ_q w_q Y(R v_q) Y(v_q)ᵀ`` on a quadrature
    rule exact to degree ``2L`` (so the result is exact to round-off and
    block-diagonal). Differentiable and ``jit``/``vmap``-able in ``R``.

    Parameters
    ----------
    L : int
        Largest degree.
    R : array_like of shape (3, 3)
        A rotation matrix.

    Returns
    -------
    D : jax.Array of shape ((L + 1)**2, (L + 1)**2)
        Block-diagonal and orthogonal; block ``l`` is ``D[degree_slice(l), degree_slice(l)]``.

    Raises
    ------
    ValueError
        ``L < 0``, or ``R`` not a rotation of shape (3, 3) (orthogonal, det +1, finite).

    See Also
    --------
    e3nn_jax.Irreps.D_from_matrix : the reference (in e3nn's frame).
    """
    where = "equivariant.wigner_D"
    L = check_int(L, "L", where, min_val=0)
    R = check_rotation(R, "R", where, batch=False)
    return _wigner_D_jit(L, R)


@partial(jax.jit, static_argnums=0)
def _wigner_D_jit(L, R):
    pts, w = _wigner_grid(L)
    Y = _sph_harm_jit(L, jnp.asarray(pts))
    YR = _sph_harm_jit(L, jnp.asarray(pts) @ R.T)
    return (YR * w[:, None]).T @ Y


def random_rotation(shape: tuple[int, ...] = (), *, key: jax.Array) -> jax.Array:
    """Haar-random rotation matrices: :func:`eigenbook.data.haar_rotation` under this name.

    Parameters
    ----------
    shape : tuple of int
        Batch shape.
    key : jax.Array
        PRNG key.

    Returns
    -------
    R : jax.Array of shape (*shape, 3, 3)
        Orthogonal, ``det R = +1``; the same draws as ``data.haar_rotation(shape, key=key)``.

    Raises
    ------
    TypeError
        ``key`` is not a PRNG key.
    """
    where = "equivariant.random_rotation"
    key = check_key(key, "key", where)
    shape = _check_shape(shape, where)
    return haar_rotation(shape, key=key)


@cache
def _complex_to_real(l: int) -> np.ndarray:
    U = np.zeros((2 * l + 1, 2 * l + 1), dtype=complex)
    U[l, l] = 1.0
    for k in range(1, l + 1):
        sgn = (-1) ** k
        U[l + k, l + k] = sgn / math.sqrt(2)
        U[l + k, l - k] = 1 / math.sqrt(2)
        U[l - k, l + k] = -1j * sgn / math.sqrt(2)
        U[l - k, l - k] = 1j / math.sqrt(2)
    U.setflags(write=False)
    return U


def complex_to_real(l: int) -> np.ndarray:
    """Unitary ``U`` with ``Y_real = U Y_complex`` for one degree ``l``.

    ``Y_complex`` are the standard complex harmonics with the Condon–Shortley
    phase (those of ``sympy.physics.wigner`` and ``scipy.special.sph_harm_y``),
    indexed ``m = -l..l``; ``Y_real`` are this package's real harmonics.

    Parameters
    ----------
    l : int
        Degree, ``>= 0``.

    Returns
    -------
    U : ndarray of shape (2l + 1, 2l + 1), complex, read-only
    """
    l = check_int(l, "l", "equivariant.complex_to_real", min_val=0)
    return _complex_to_real(l)
