"""FFT/DCT conventions, Chebyshev interpolation and Clenshaw–Curtis quadrature."""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import as_array, as_vector, check_int, fail


class QuadratureRule(NamedTuple):
    """Nodes and weights of a quadrature rule.

    Attributes
    ----------
    nodes : jax.Array of shape (n,) (on [-1, 1]) or (S, n, d) (n points on each of S simplices)
    weights : jax.Array of shape (n,) or (S, n)
        ``(weights * f(nodes)).sum(-1)`` approximates the integral of ``f`` over the domain.
    """

    nodes: jax.Array
    weights: jax.Array


def fft_modes(n: int) -> np.ndarray:
    """The integer Fourier modes of length-``n`` transforms, in increasing (centred) order.

    ``k = -(n // 2), ..., (n - 1) // 2``: the order of ``numpy.fft.fftshift(fftfreq(n) * n)``
    and of finufft's default ``modeord=0``. Every transform of this module that takes or
    returns Fourier coefficients uses this order along each axis.

    Parameters
    ----------
    n : int
        Number of modes, ``>= 1``.

    Returns
    -------
    k : numpy.ndarray of int, shape (n,)

    Raises
    ------
    TypeError, ValueError
        ``n`` is not an int ``>= 1``.
    """
    n = check_int(n, "n", "spectral.fft_modes", min_val=1)
    return np.arange(-(n // 2), (n - 1) // 2 + 1)


@partial(jax.jit, static_argnames=("type_", "axis"))
def _dct_impl(x, type_, axis):
    x = jnp.moveaxis(x, axis, -1)
    n = x.shape[-1]
    if type_ == 2:
        y = jax.scipy.fft.dct(x, type=2, axis=-1)
    elif n == 1:
        y = x
    else:  # DCT-I through the FFT of the even extension (length 2n - 2)
        ext = jnp.concatenate([x, x[..., -2:0:-1]], axis=-1)
        y = jnp.fft.fft(ext, axis=-1)[..., :n]
        y = y.real if not jnp.iscomplexobj(x) else y
    return jnp.moveaxis(y, -1, axis)


def dct(x, *, type: int = 2, axis: int = -1) -> jax.Array:  # noqa: A002 (scipy's name)
    """Discrete cosine transform, unnormalised, in SciPy's convention.

    Type 1 (``n >= 2``): :math:`y_k = x_0 + (-1)^k x_{n-1} + 2\\sum_{j=1}^{n-2} x_j
    \\cos\\frac{\\pi jk}{n-1}`, the transform behind Chebyshev interpolation at the points
    :func:`chebyshev_points`, computed as an FFT of the even extension (length
    :math:`2n-2`). Type 2: :math:`y_k = 2\\sum_{j=0}^{n-1} x_j \\cos\\frac{\\pi k(2j+1)}{2n}`.
    Both equal ``scipy.fft.dct(x, type=type, norm=None, axis=axis)``. Cost
    :math:`O(n \\log n)` per transformed line.

    Parameters
    ----------
    x : array_like of shape (..., n, ...), real or complex
    type : {1, 2}
    axis : int
        The axis transformed.

    Returns
    -------
    y : jax.Array, the shape of ``x``

    Raises
    ------
    TypeError
        ``x`` is not numeric, or ``type``/``axis`` are not ints.
    ValueError
        ``type`` not in {1, 2}, ``axis`` out of range, NaN/inf, or ``n < 2`` for type 1.

    See Also
    --------
    scipy.fft.dct : the reference.
    """
    where = "spectral.dct"
    x = as_array(x, "x", where, allow_complex=True)
    type_ = check_int(type, "type", where)
    if type_ not in (1, 2):
        raise fail(where, "type", "1 or 2", f"type={type_}")
    axis = check_int(axis, "axis", where, min_val=-x.ndim, max_val=x.ndim - 1)
    if type_ == 1 and x.shape[axis] < 2:
        raise fail(where, "x", "length >= 2 along the axis for the type-1 DCT",
                   f"shape {tuple(x.shape)}")
    return _dct_impl(x, type_, axis % x.ndim)


def chebyshev_points(n: int) -> jax.Array:
    """Chebyshev points of the second kind :math:`x_j = \\cos(\\pi j/(n-1))`, ``j = 0..n-1``.

    The extrema of :math:`T_{n-1}` on [-1, 1], from +1 down to -1 (chebfun's points, in
    reverse). ``n = 1`` gives the single point 0.

    Parameters
    ----------
    n : int
        Number of points, ``>= 1``.

    Returns
    -------
    x : jax.Array of shape (n,)

    Raises
    ------
    TypeError, ValueError
        ``n`` is not an int ``>= 1``.
    """
    n = check_int(n, "n", "spectral.chebyshev_points", min_val=1)
    if n == 1:
        return jnp.zeros(1)
    return jnp.asarray(np.cos(np.pi * np.arange(n) / (n - 1)))  # host: no compile per n


@jax.jit
def _cheb_coef_impl(values):
    n = values.shape[0]
    c = _dct_impl(values, 1, 0) / (n - 1)
    return c.at[0].multiply(0.5).at[-1].multiply(0.5)


def chebyshev_coefficients(values) -> jax.Array:
    """Chebyshev coefficients of the polynomial interpolant through values at the points.

    The interpolant :math:`p(x) = \\sum_{k=0}^{n-1} c_k T_k(x)` with
    :math:`p(x_j) = v_j` at :func:`chebyshev_points` is found by one type-1 DCT:
    :math:`c = \\mathrm{DCT_I}(v)/(n-1)` with the first and last coefficient halved
    (:math:`O(n\\log n)`). For ``f`` analytic inside the Bernstein ellipse
    :math:`E_\\rho` the coefficients and the interpolation error decay like
    :math:`\\rho^{-n}` :cite:p:`trefethen2019approximation`.

    Parameters
    ----------
    values : array_like of shape (n,) or (n, m), real or complex
        Values at the ``n >= 2`` Chebyshev points; the columns of a 2-D array are
        interpolated independently.

    Returns
    -------
    c : jax.Array of the shape of ``values``

    Raises
    ------
    TypeError
        Not numeric.
    ValueError
        Not 1-D or 2-D, fewer than 2 values, NaN/inf.

    See Also
    --------
    numpy.polynomial.chebyshev.chebinterpolate : the same interpolant (first-kind points).
    """
    where = "spectral.chebyshev_coefficients"
    v = as_array(values, "values", where, ndim=(1, 2), allow_complex=True,
                 rule="an array of shape (n,) or (n, m)")
    if v.shape[0] < 2:
        raise fail(where, "values", "at least 2 values (n >= 2)", f"shape {tuple(v.shape)}")
    return _cheb_coef_impl(v)


@jax.jit
def _clenshaw_impl(c, x):
    def step(carry, ck):
        b1, b2 = carry
        return (ck + 2 * x * b1 - b2, b1), None

    zero = jnp.zeros(x.shape, jnp.result_type(c, x))
    (b1, b2), _ = jax.lax.scan(step, (zero, zero), c[:0:-1])
    return c[0] + x * b1 - b2


def chebyshev_evaluate(coefficients, x) -> jax.Array:
    """Evaluate :math:`\\sum_k c_k T_k(x)` by Clenshaw's recurrence.

    :math:`b_k = c_k + 2x b_{k+1} - b_{k+2}`, then :math:`p(x) = c_0 + x b_1 - b_2`:
    backward stable, :math:`O(n)` per point, no :math:`T_k` formed.

    Parameters
    ----------
    coefficients : array_like of shape (n,), real or complex
    x : array_like of any shape, real (points in [-1, 1] for the usual bounds)

    Returns
    -------
    p : jax.Array of the shape of ``x``

    Raises
    ------
    TypeError
        Not numeric, or complex ``x``.
    ValueError
        Empty ``coefficients``, NaN/inf.

    See Also
    --------
    numpy.polynomial.chebyshev.chebval : the reference.
    """
    where = "spectral.chebyshev_evaluate"
    c = as_vector(coefficients, "coefficients", where, allow_complex=True, allow_empty=False)
    x = as_array(x, "x", where)
    return _clenshaw_impl(c, x)


def clenshaw_curtis(n: int) -> QuadratureRule:
    """Clenshaw–Curtis quadrature on [-1, 1] at ``n`` Chebyshev points.

    Integrates the degree-``n - 1`` Chebyshev interpolant exactly; for analytic
    integrands it converges geometrically, essentially as fast as Gauss quadrature
    :cite:p:`trefethen2019approximation`. Weights
    :math:`w_j = \\frac{c_j}{N}\\big(1 - \\sum_{k=1}^{\\lfloor N/2\\rfloor}
    \\frac{b_k}{4k^2-1}\\cos\\frac{2\\pi jk}{N}\\big)`, :math:`N = n - 1`,
    :math:`c_j = 1` at the ends and 2 inside, :math:`b_k = 1` for :math:`k = N/2` and 2
    otherwise (:math:`O(n^2)`, fine for the few hundred points it needs).

    Parameters
    ----------
    n : int
        Number of points, ``>= 2``.

    Returns
    -------
    QuadratureRule
        ``(nodes, weights)``, nodes = :func:`chebyshev_points` ``(n)``.

    Raises
    ------
    TypeError, ValueError
        ``n`` is not an int ``>= 2``.

    See Also
    --------
    numpy.polynomial.legendre.leggauss : Gauss–Legendre, the usual comparison.
    """
    n = check_int(n, "n", "spectral.clenshaw_curtis", min_val=2)
    N = n - 1
    j = np.arange(n)
    k = np.arange(1, N // 2 + 1)
    b = np.where(2 * k == N, 1.0, 2.0)
    w = 1.0 - (b / (4.0 * k**2 - 1.0) * np.cos(2 * np.pi * np.outer(j, k) / N)).sum(axis=1)
    w *= np.where((j == 0) | (j == N), 1.0, 2.0) / N
    return QuadratureRule(chebyshev_points(n), jnp.asarray(w))
