"""Non-uniform FFTs (types 1 and 2) by Gaussian gridding + FFT, and the direct sums."""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import as_array, as_vector, check_int, check_scalar, fail

_R = 2.0          # oversampling factor of the fine grid
_CHUNK = 4096     # points spread (or interpolated) per step of the scan


def _n_spread(eps: float) -> int:
    """Half-width (in fine-grid cells) of the Gaussian for relative accuracy ``eps``.

    Truncating the Gaussian at ``msp`` cells and aliasing on a grid oversampled by R = 2
    cost about exp(-pi msp (R - 1)/(R - 1/2)) each (Greengard & Lee 2004, Sec. 2).
    """
    return int(min(16, max(2, math.ceil(math.log(1.0 / eps) / (math.pi * (_R - 1) / (_R - 0.5))))))


def _plan(n_modes: tuple[int, ...], msp: int):
    fine = tuple(max(int(2 * math.ceil(_R * n / 2)), 2 * msp + 2) for n in n_modes)
    taus = tuple(math.pi * msp / (n * n * (M / n) * (M / n - 0.5))
                 for n, M in zip(n_modes, fine, strict=True))
    return fine, taus


def _taps(x, fine, taus, msp):
    """Flat fine-grid indices (P, w^d) and Gaussian weights (P, w^d) of points x (P, d)."""
    offs = jnp.arange(-msp + 1, msp + 1)
    idx, val, stride = 0, 1.0, 1
    d = x.shape[1]
    for k in reversed(range(d)):
        M, tau = fine[k], taus[k]
        h = 2 * jnp.pi / M
        t = jnp.mod(x[:, k], 2 * jnp.pi)
        i = jnp.floor(t / h).astype(jnp.int32)[:, None] + offs          # (P, w)
        g = jnp.exp(-((t[:, None] - i * h) ** 2) / (4 * tau))
        shape = (x.shape[0],) + (1,) * k + (offs.size,) + (1,) * (d - 1 - k)
        idx = idx + (jnp.mod(i, M) * stride).reshape(shape)
        val = val * g.reshape(shape)
        stride *= M
    return idx.reshape(x.shape[0], -1), val.reshape(x.shape[0], -1)


def _deconv(n_modes, fine, taus):
    """Outer product over dimensions of sqrt(pi/tau) exp(k^2 tau) / M (modes in centred order)."""
    out = jnp.ones(())
    for n, M, tau in zip(n_modes, fine, taus, strict=True):
        k = jnp.arange(-(n // 2), (n - 1) // 2 + 1)
        out = out[..., None] * (math.sqrt(math.pi / tau) * jnp.exp(k**2 * tau) / M)
    return out


def _mode_index(n_modes, fine):
    return tuple(jnp.mod(jnp.arange(-(n // 2), (n - 1) // 2 + 1), M)
                 for n, M in zip(n_modes, fine, strict=True))


def _chunks(x, c):
    P = x.shape[0]
    n_chunk = -(-P // _CHUNK)
    pad = n_chunk * _CHUNK - P
    x = jnp.concatenate([x, jnp.zeros((pad, x.shape[1]), x.dtype)]).reshape(n_chunk, _CHUNK, -1)
    c = jnp.concatenate([c, jnp.zeros((pad,), c.dtype)]).reshape(n_chunk, _CHUNK)
    return x, c


@partial(jax.jit, static_argnames=("n_modes", "msp", "isign"))
def _type1_impl(x, c, n_modes, msp, isign):
    fine, taus = _plan(n_modes, msp)
    xs, cs = _chunks(x, c)

    def spread(grid, xc):
        xi, ci = xc
        idx, val = _taps(xi, fine, taus, msp)
        return grid.at[idx.reshape(-1)].add((ci[:, None] * val).reshape(-1)), None

    grid0 = jnp.zeros(math.prod(fine), jnp.result_type(c, jnp.complex64))
    grid, _ = jax.lax.scan(spread, grid0, (xs, cs))
    grid = grid.reshape(fine)
    G = jnp.fft.ifftn(grid) * math.prod(fine) if isign > 0 else jnp.fft.fftn(grid)
    G = G[jnp.ix_(*_mode_index(n_modes, fine))]
    return G * _deconv(n_modes, fine, taus)


@partial(jax.jit, static_argnames=("msp", "isign"))
def _type2_impl(x, f, msp, isign):
    n_modes = f.shape
    fine, taus = _plan(n_modes, msp)
    grid = jnp.zeros(fine, jnp.result_type(f, jnp.complex64))
    grid = grid.at[jnp.ix_(*_mode_index(n_modes, fine))].set(f * _deconv(n_modes, fine, taus))
    v = (jnp.fft.ifftn(grid) * math.prod(fine) if isign > 0 else jnp.fft.fftn(grid)).reshape(-1)
    xs, _ = _chunks(x, jnp.zeros(x.shape[0]))

    def interp(xi):
        idx, val = _taps(xi, fine, taus, msp)
        return (v[idx] * val).sum(axis=1)

    return jax.lax.map(interp, xs).reshape(-1)[: x.shape[0]]


def _points(points, where):
    x = as_array(points, "points", where, ndim=2, rule="an array of shape (M, d), d in {1, 2, 3}")
    if x.shape[1] not in (1, 2, 3):
        raise fail(where, "points", "an array of shape (M, d) with d in {1, 2, 3}",
                   f"shape {tuple(x.shape)}")
    return x


def _modes(n_modes, d, where):
    if isinstance(n_modes, (int, np.integer)) and not isinstance(n_modes, bool):
        n_modes = (int(n_modes),) * d
    if not isinstance(n_modes, (tuple, list)) or len(n_modes) != d:
        raise fail(where, "n_modes", f"an int or a tuple of {d} ints (one per dimension)",
                   repr(n_modes), exc=TypeError if not isinstance(n_modes, (tuple, list))
                   else ValueError)
    return tuple(check_int(n, "n_modes", where, min_val=1) for n in n_modes)


def _isign(isign, where):
    isign = check_int(isign, "isign", where)
    if isign not in (-1, 1):
        raise fail(where, "isign", "+1 or -1", f"isign={isign}")
    return isign


def _eps(eps, where):
    return check_scalar(eps, "eps", where, min_val=1e-14, max_val=1e-1)


def nufft_type1(points, strengths, n_modes: Any, *, eps: float = 1e-9,
                isign: int = 1) -> jax.Array:
    """Type-1 (non-uniform to uniform) NUFFT by Gaussian gridding and an FFT.

    Computes :math:`f_k = \\sum_{j=1}^{M} c_j\\, e^{\\,i s\\, k\\cdot x_j}` for the integer
    modes ``k`` of :func:`fft_modes` in each dimension (:math:`s` = ``isign``), the
    convention of ``finufft.nufft{1,2,3}d1``. The strengths are spread onto a grid
    oversampled twice with a truncated Gaussian, the grid is FFT'd, and the Gaussian's
    Fourier transform is divided out :cite:p:`dutt1993fast,greengard2004accelerating`.
    Cost :math:`O(M w^d + N\\log N)` for :math:`N` modes and a kernel :math:`w \\approx
    \\tfrac{2}{2.1}\\ln(1/\\varepsilon)` cells wide, against :math:`O(MN)` for the direct sum
    :func:`nudft_type1`.

    Parameters
    ----------
    points : array_like of shape (M, d), d in {1, 2, 3}
        Real coordinates (periodic with period :math:`2\\pi`; usually in
        :math:`[-\\pi, \\pi)`).
    strengths : array_like of shape (M,), real or complex
    n_modes : int or tuple of d ints
        Number of modes per dimension.
    eps : float
        Requested relative accuracy, in ``[1e-14, 0.1]``; sets the kernel width.
    isign : {1, -1}
        Sign of the exponent.

    Returns
    -------
    f : jax.Array, complex, of shape n_modes
        Axis ``k`` holds the modes of coordinate ``k`` in increasing order.

    Raises
    ------
    TypeError
        Non-numeric input, or ``n_modes`` not an int/tuple.
    ValueError
        Wrong shapes, NaN/inf, ``eps`` or ``isign`` out of range.

    See Also
    --------
    finufft.nufft2d1 : the reference (exponential-of-semicircle kernel, multithreaded).
    nudft_type1 : the direct sum.
    """
    where = "spectral.nufft_type1"
    x = _points(points, where)
    c = as_vector(strengths, "strengths", where, size=x.shape[0], allow_complex=True)
    n_modes = _modes(n_modes, x.shape[1], where)
    msp = _n_spread(_eps(eps, where))
    return _type1_impl(x, c.astype(jnp.result_type(c, jnp.complex64)), n_modes, msp,
                       _isign(isign, where))


def nufft_type2(points, coefficients, *, eps: float = 1e-9, isign: int = -1) -> jax.Array:
    """Type-2 (uniform to non-uniform) NUFFT: the adjoint pattern of :func:`nufft_type1`.

    Computes :math:`u_j = \\sum_k f_k\\, e^{\\,i s\\, k\\cdot x_j}` (the convention of
    ``finufft.nufft{1,2,3}d2``): the coefficients are divided by the Gaussian's transform,
    zero-padded onto the twice-oversampled grid, FFT'd, and the grid values are
    interpolated at the points with the same truncated Gaussian.

    Parameters
    ----------
    points : array_like of shape (M, d), d in {1, 2, 3}
    coefficients : array_like of shape (N_1, ..., N_d), real or complex
        Modes in the order of :func:`fft_modes` along each axis.
    eps : float
        Requested relative accuracy, in ``[1e-14, 0.1]``.
    isign : {1, -1}

    Returns
    -------
    u : jax.Array, complex, of shape (M,)

    Raises
    ------
    TypeError
        Non-numeric input.
    ValueError
        ``coefficients.ndim != d``, NaN/inf, ``eps`` or ``isign`` out of range.

    See Also
    --------
    finufft.nufft2d2 : the reference.
    nudft_type2 : the direct sum.
    """
    where = "spectral.nufft_type2"
    x = _points(points, where)
    f = as_array(coefficients, "coefficients", where, ndim=x.shape[1], allow_complex=True,
                 rule=f"an array with d = {x.shape[1]} axes (one per coordinate)")
    msp = _n_spread(_eps(eps, where))
    return _type2_impl(x, f.astype(jnp.result_type(f, jnp.complex64)), msp,
                       _isign(isign, where))


def _exps(x, n_modes, isign):
    return [jnp.exp(1j * isign * jnp.arange(-(n // 2), (n - 1) // 2 + 1)[:, None] * x[:, k])
            for k, n in enumerate(n_modes)]


@partial(jax.jit, static_argnames=("n_modes", "isign"))
def _direct1_impl(x, c, n_modes, isign):
    E = _exps(x, n_modes, isign)
    if len(E) == 1:
        return E[0] @ c
    if len(E) == 2:
        return (E[0] * c) @ E[1].T
    return jnp.einsum("aj,bj,cj,j->abc", *E, c)


@partial(jax.jit, static_argnames=("isign",))
def _direct2_impl(x, f, isign):
    E = _exps(x, f.shape, isign)
    if len(E) == 1:
        return f @ E[0]
    if len(E) == 2:
        return ((f @ E[1]) * E[0]).sum(axis=0)
    return jnp.einsum("abc,aj,bj,cj->j", f, *E)


def nudft_type1(points, strengths, n_modes: Any, *, isign: int = 1) -> jax.Array:
    """The type-1 sum :math:`f_k = \\sum_j c_j e^{\\,i s\\,k\\cdot x_j}` evaluated directly.

    Separable in the dimensions: in 2-D it is one matrix product
    :math:`(E_1 \\operatorname{diag}(c)) E_2^\\top` with
    :math:`(E_k)_{mj} = e^{\\,i s\\, m x_{jk}}`,
    :math:`O(M N)` work and :math:`O(M \\sum_k N_k)` memory. The reference for
    :func:`nufft_type1`; arguments and output as there.

    Parameters
    ----------
    points : array_like of shape (M, d), d in {1, 2, 3}
    strengths : array_like of shape (M,), real or complex
    n_modes : int or tuple of d ints
    isign : {1, -1}

    Returns
    -------
    f : jax.Array, complex, of shape n_modes

    Raises
    ------
    TypeError, ValueError
        As :func:`nufft_type1`.
    """
    where = "spectral.nudft_type1"
    x = _points(points, where)
    c = as_vector(strengths, "strengths", where, size=x.shape[0], allow_complex=True)
    return _direct1_impl(x, c.astype(jnp.result_type(c, jnp.complex64)),
                         _modes(n_modes, x.shape[1], where), _isign(isign, where))


def nudft_type2(points, coefficients, *, isign: int = -1) -> jax.Array:
    """The type-2 sum :math:`u_j = \\sum_k f_k e^{\\,i s\\,k\\cdot x_j}` evaluated directly.

    The reference for :func:`nufft_type2`; arguments and output as there (separable,
    :math:`O(MN)`).

    Parameters
    ----------
    points : array_like of shape (M, d), d in {1, 2, 3}
    coefficients : array_like of shape (N_1, ..., N_d), real or complex
    isign : {1, -1}

    Returns
    -------
    u : jax.Array, complex, of shape (M,)

    Raises
    ------
    TypeError, ValueError
        As :func:`nufft_type2`.
    """
    where = "spectral.nudft_type2"
    x = _points(points, where)
    f = as_array(coefficients, "coefficients", where, ndim=x.shape[1], allow_complex=True,
                 rule=f"an array with d = {x.shape[1]} axes (one per coordinate)")
    return _direct2_impl(x, f.astype(jnp.result_type(f, jnp.complex64)), _isign(isign, where))
