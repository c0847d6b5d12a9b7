"""Data for neural operators (chapter 09): Gaussian random fields, viscous Burgers, antiderivatives.

* :func:`periodic_grf`: samples of a periodic Gaussian random field on [0, 1) with covariance
  :math:`\\sigma^2(-\\Delta + \\tau^2 I)^{-\\alpha}` (the input law of the FNO Burgers benchmark),
  drawn mode by mode in the Fourier basis.
* :func:`grf_samples`: samples of a squared-exponential Gaussian process at given points (the
  DeepONet input law), through the eigendecomposition of the kernel matrix (robust to its
  numerical rank deficiency).
* :func:`burgers_1d`: the periodic viscous Burgers equation
  :math:`u_t + (u^2/2)_x = \\nu u_{xx}` on [0, 1), solved pseudo-spectrally (2/3 dealiasing)
  by exponential time differencing (ETDRK4, Cox–Matthews with the contour-integral
  coefficients of Kassam and Trefethen), jitted and vectorised over samples.
* :func:`burgers_rhs`: the right-hand side of the same semi-discrete system, for checking the
  solver against a general ODE integrator (``scipy.integrate.solve_ivp``).
* :func:`antiderivative_data`: input functions at sensors and their antiderivatives
  :math:`s(y) = \\int_0^y u` on a grid (the DeepONet antiderivative operator).
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from eigenbook import _checks

from ._random import numpy_rng

__all__ = ["periodic_grf", "grf_samples", "BurgersSolution", "burgers_1d", "burgers_rhs",
           "AntiderivativeData", "antiderivative_data"]


def periodic_grf(n_samples: int, n: int, *, key: jax.Array, alpha: float = 2.0,
                 tau: float = 5.0, sigma: float | None = None) -> np.ndarray:
    """Samples of a periodic Gaussian random field on the grid :math:`x_j = j/n` of [0, 1).

    The covariance operator is :math:`\\sigma^2(-\\Delta + \\tau^2 I)^{-\\alpha}`: the Fourier
    mode :math:`e^{2\\pi i k x}` has variance
    :math:`\\lambda_k = \\sigma^2 (4\\pi^2 k^2 + \\tau^2)^{-\\alpha}`; modes
    :math:`|k| < n/2` are drawn (the Nyquist mode is left out, so the samples are exactly
    resolved on the grid). The default :math:`\\sigma = \\tau^{\\alpha}` gives the mean mode
    unit variance. :math:`\\alpha = 2`, :math:`\\tau = 5` (with :math:`\\sigma = 25`) is the
    initial-condition law of the Burgers benchmark of :cite:p:`li2021fourier`.

    Parameters
    ----------
    n_samples : int
        Number of independent samples, ``>= 1``.
    n : int
        Grid size, ``>= 4``.
    key : PRNG key
    alpha, tau : float
        Smoothness (``> 1/2`` for a continuous field) and inverse length scale (``> 0``).
    sigma : float, optional
        Amplitude (default :math:`\\tau^{\\alpha}`).

    Returns
    -------
    ndarray of shape (n_samples, n), float64

    Raises
    ------
    TypeError, ValueError
        Non-integer or too small sizes; ``alpha <= 1/2``, ``tau <= 0``, ``sigma <= 0``; bad key.

    References
    ----------
    :cite:p:`li2021fourier`

    See Also
    --------
    grf_samples : a squared-exponential process on arbitrary points.
    """
    where = "data.periodic_grf"
    n_samples = _checks.check_int(n_samples, "n_samples", where, min_val=1)
    n = _checks.check_int(n, "n", where, min_val=4)
    key = _checks.check_key(key, "key", where)
    alpha = _checks.check_scalar(alpha, "alpha", where, min_val=0.5, strict_min=True)
    tau = _checks.check_scalar(tau, "tau", where, min_val=0.0, strict_min=True)
    sigma = tau ** alpha if sigma is None else _checks.check_scalar(
        sigma, "sigma", where, min_val=0.0, strict_min=True)
    rng = numpy_rng(key)
    k = np.arange((n + 1) // 2)  # 0 .. ceil(n/2) - 1: no Nyquist mode
    lam = sigma**2 * (4 * np.pi**2 * k**2 + tau**2) ** (-alpha)
    z = rng.standard_normal((n_samples, k.size)) + 1j * rng.standard_normal((n_samples, k.size))
    z[:, 0] = np.sqrt(2.0) * z[:, 0].real  # the mean mode is real, variance lam_0
    coef = np.zeros((n_samples, n // 2 + 1), complex)
    coef[:, :k.size] = z * np.sqrt(lam / 2.0)
    # u(x) = sum_k c_k e^{2 pi i k x} over |k| < n/2 with c_{-k} = conj(c_k); irfft(norm=forward)
    return np.fft.irfft(coef, n, axis=-1, norm="forward")


def grf_samples(x: Any, n_samples: int, *, length_scale: float, key: jax.Array,
                variance: float = 1.0) -> np.ndarray:
    """Samples of a zero-mean Gaussian process with kernel :math:`v\\,e^{-|x-x'|^2/(2l^2)}`.

    Drawn as :math:`V\\sqrt{\\max(\\Lambda, 0)}\\,\\xi` from the eigendecomposition
    :math:`K = V\\Lambda V^T` of the kernel matrix on the points (a Cholesky factor does not
    exist numerically: the squared-exponential kernel matrix has rapidly decaying eigenvalues).
    This is the input law of the DeepONet experiments :cite:p:`lu2019deeponet`.

    Parameters
    ----------
    x : array_like of shape (n,)
        The points.
    n_samples : int
        Number of samples, ``>= 1``.
    length_scale : float
        :math:`l > 0`.
    key : PRNG key
    variance : float
        :math:`v > 0`.

    Returns
    -------
    ndarray of shape (n_samples, n), float64

    Raises
    ------
    TypeError, ValueError
        ``x`` not a finite real vector; bad sizes, scales or key.

    References
    ----------
    :cite:p:`lu2019deeponet`

    See Also
    --------
    sklearn.gaussian_process.GaussianProcessRegressor.sample_y : the same law.
    """
    where = "data.grf_samples"
    x = _checks.as_host(x, "x", where, ndim=1)
    n_samples = _checks.check_int(n_samples, "n_samples", where, min_val=1)
    length_scale = _checks.check_scalar(length_scale, "length_scale", where, min_val=0.0,
                                        strict_min=True)
    key = _checks.check_key(key, "key", where)
    variance = _checks.check_scalar(variance, "variance", where, min_val=0.0, strict_min=True)
    K = variance * np.exp(-0.5 * (x[:, None] - x[None, :]) ** 2 / length_scale**2)
    lam, V = np.linalg.eigh(K)
    F = V * np.sqrt(np.maximum(lam, 0.0))
    return numpy_rng(key).standard_normal((n_samples, x.size)) @ F.T


class BurgersSolution(NamedTuple):
    """What :func:`burgers_1d` returns.

    Attributes
    ----------
    x : ndarray of shape (n,)
        The grid :math:`x_j = j/n` of [0, 1).
    t : ndarray of shape (n_save,)
        The save times :math:`t_j = j\\,t_{\\rm final}/n_{\\rm save}`, ``j = 1..n_save``.
    u : jax.Array of shape (n_samples, n_save, n)
        The solution at the save times (dtype of the initial data).
    """

    x: np.ndarray
    t: np.ndarray
    u: jax.Array


def _wavenumbers(n: int):
    k = 2 * np.pi * np.arange(n // 2 + 1)
    mask = (np.arange(n // 2 + 1) < n / 3).astype(float)  # 2/3 rule
    return k, mask


@functools.lru_cache(maxsize=32)
def _etdrk4_coefficients(n: int, nu: float, h: float, n_contour: int = 32):
    """E, E2, Q, f1, f2, f3 of ETDRK4 for L = -nu k^2 (Kassam & Trefethen's contour means)."""
    k, _ = _wavenumbers(n)
    L = -nu * k**2
    r = np.exp(1j * np.pi * (np.arange(1, n_contour + 1) - 0.5) / n_contour)
    LR = h * L[:, None] + r[None, :]
    Q = h * np.mean((np.exp(LR / 2) - 1) / LR, axis=1).real
    f1 = h * np.mean((-4 - LR + np.exp(LR) * (4 - 3 * LR + LR**2)) / LR**3, axis=1).real
    f2 = h * np.mean((2 + LR + np.exp(LR) * (-2 + LR)) / LR**3, axis=1).real
    f3 = h * np.mean((-4 - 3 * LR - LR**2 + np.exp(LR) * (4 - LR)) / LR**3, axis=1).real
    return np.exp(h * L), np.exp(h * L / 2), Q, f1, f2, f3


@functools.partial(jax.jit, static_argnums=(2,))
def _burgers_impl(u0, coefs, n_save, steps_per_save):
    # steps_per_save is traced (a while loop): one compilation serves every step count
    n = u0.shape[-1]
    E, E2, Q, f1, f2, f3, g = coefs

    def nonlin(v):
        u = jnp.fft.irfft(v, n, axis=-1)
        return g * jnp.fft.rfft(u * u, axis=-1)

    def step(_, v):
        Nv = nonlin(v)
        a = E2 * v + Q * Nv
        Na = nonlin(a)
        b = E2 * v + Q * Na
        Nb = nonlin(b)
        c = E2 * a + Q * (2 * Nb - Nv)
        Nc = nonlin(c)
        return E * v + Nv * f1 + 2 * (Na + Nb) * f2 + Nc * f3

    def save(v, _):
        v = jax.lax.fori_loop(0, steps_per_save, step, v)
        return v, jnp.fft.irfft(v, n, axis=-1)

    _, us = jax.lax.scan(save, jnp.fft.rfft(u0, axis=-1), None, length=n_save)
    return jnp.moveaxis(us, 0, -2)


def burgers_1d(u0: Any, *, nu: float, t_final: float = 1.0, n_steps: int = 200,
               n_save: int = 1) -> BurgersSolution:
    """Solve :math:`u_t + (u^2/2)_x = \\nu u_{xx}` on the periodic interval [0, 1).

    Pseudo-spectral in space: :math:`\\hat u_k` for the wavenumbers :math:`2\\pi k`,
    :math:`0 \\le k \\le n/2`, the quadratic term evaluated on the grid and dealiased by the
    2/3 rule. In time the stiff linear part :math:`-\\nu (2\\pi k)^2` is integrated exactly
    and the nonlinear part by the fourth-order exponential Runge–Kutta scheme ETDRK4 of Cox
    and Matthews, with the :math:`\\varphi`-function coefficients computed by contour
    means, stable for every :math:`k` :cite:p:`cox2002exponential,kassam2005fourth`. One
    jitted loop; all samples advance together (one batched FFT per stage). Cost
    :math:`O(n_{\\rm samples}\\, n\\log n)` per step, 8 real FFTs per step. The nonlinear
    stages are explicit: steps much longer than :math:`\\Delta x / \\max_x \\lvert u \\rvert`
    are unstable.

    Parameters
    ----------
    u0 : array_like of shape (n_samples, n) or (n,)
        Initial data on the grid :math:`x_j = j/n`; ``n >= 8``.
    nu : float
        Viscosity, ``> 0``.
    t_final : float
        Final time, ``> 0``.
    n_steps : int
        Time steps in total (a multiple of ``n_save``); the step is ``t_final / n_steps``.
    n_save : int
        Number of equally spaced save times (the last is ``t_final``).

    Returns
    -------
    BurgersSolution
        ``u`` of shape (n_samples, n_save, n) (``(n_save, n)`` for a 1-D ``u0``).

    Raises
    ------
    TypeError, ValueError
        ``u0`` not a finite real 1-D/2-D array with ``n >= 8``; non-positive ``nu`` or
        ``t_final``; ``n_steps`` not a positive multiple of ``n_save``.

    References
    ----------
    :cite:p:`cox2002exponential,kassam2005fourth`

    See Also
    --------
    burgers_rhs : the same semi-discrete system, for ``scipy.integrate.solve_ivp``.
    """
    where = "data.burgers_1d"
    u0 = _checks.as_array(u0, "u0", where, ndim=(1, 2),
                          rule="an array of shape (n_samples, n) or (n,)")
    if u0.shape[-1] < 8:
        raise _checks.fail(where, "u0", "n >= 8 grid points", f"shape {tuple(u0.shape)}")
    nu = _checks.check_scalar(nu, "nu", where, min_val=0.0, strict_min=True)
    t_final = _checks.check_scalar(t_final, "t_final", where, min_val=0.0, strict_min=True)
    n_save = _checks.check_int(n_save, "n_save", where, min_val=1)
    n_steps = _checks.check_int(n_steps, "n_steps", where, min_val=1)
    if n_steps % n_save:
        raise _checks.fail(where, "n_steps", f"a multiple of n_save = {n_save}",
                           f"n_steps={n_steps}")
    n = u0.shape[-1]
    k, mask = _wavenumbers(n)
    g = -0.5j * k * mask
    cdtype = jnp.result_type(u0.dtype, jnp.complex64)
    coefs = tuple(jnp.asarray(c, dtype=u0.dtype) for c in
                  _etdrk4_coefficients(n, nu, t_final / n_steps)) + (jnp.asarray(g, cdtype),)
    u = _burgers_impl(u0, coefs, n_save, jnp.int32(n_steps // n_save))
    t = t_final * np.arange(1, n_save + 1) / n_save
    return BurgersSolution(np.arange(n) / n, t, u)


def burgers_rhs(u: Any, *, nu: float) -> np.ndarray:
    """:math:`du/dt` of the semi-discrete system that :func:`burgers_1d` integrates (host, NumPy).

    :math:`-\\mathcal F^{-1}[\\tfrac12 i k\\, m_k \\mathcal F(u^2)] + \\nu\\,\\mathcal
    F^{-1}[-k^2 \\hat u]`, with the 2/3 dealiasing mask :math:`m_k`: pass it to
    ``scipy.integrate.solve_ivp`` to check the time integrator.

    Parameters
    ----------
    u : array_like of shape (n,)
        Grid values, ``n >= 8``.
    nu : float
        Viscosity, ``> 0``.

    Returns
    -------
    ndarray of shape (n,), float64

    Raises
    ------
    TypeError, ValueError
        ``u`` not a finite real vector of length ``>= 8``; ``nu <= 0``.

    References
    ----------
    :cite:p:`kassam2005fourth`

    See Also
    --------
    scipy.integrate.solve_ivp : the reference integrator.
    """
    where = "data.burgers_rhs"
    u = _checks.as_host(u, "u", where, ndim=1)
    if u.size < 8:
        raise _checks.fail(where, "u", "n >= 8 grid points", f"shape {u.shape}")
    nu = _checks.check_scalar(nu, "nu", where, min_val=0.0, strict_min=True)
    n = u.size
    k, mask = _wavenumbers(n)
    v = np.fft.rfft(u)
    return np.fft.irfft(-nu * k**2 * v - 0.5j * k * mask * np.fft.rfft(u * u), n)


class AntiderivativeData(NamedTuple):
    """What :func:`antiderivative_data` returns.

    Attributes
    ----------
    sensors : ndarray of shape (m,)
        Sensor locations :math:`x_i` in [0, 1] (equispaced, both ends included).
    u : ndarray of shape (n_functions, m)
        Input functions at the sensors.
    y : ndarray of shape (n_points,)
        Output locations (equispaced in [0, 1]).
    s : ndarray of shape (n_functions, n_points)
        :math:`s(y) = \\int_0^y u(x)\\,dx` at ``y``.
    """

    sensors: np.ndarray
    u: np.ndarray
    y: np.ndarray
    s: np.ndarray


def antiderivative_data(n_functions: int, *, key: jax.Array, n_sensors: int = 100,
                        n_points: int = 100, length_scale: float = 0.2,
                        refine: int = 8) -> AntiderivativeData:
    """The antiderivative operator :math:`G(u)(y) = \\int_0^y u` on Gaussian-process inputs.

    The setting of the first DeepONet experiment :cite:p:`lu2019deeponet`: inputs are samples
    of a squared-exponential process (:func:`grf_samples`, length scale ``length_scale``) on
    [0, 1], observed at ``n_sensors`` equispaced sensors; outputs are the antiderivatives at
    ``n_points`` equispaced locations. The functions are drawn on a grid ``refine`` times finer
    than the sensors and integrated there by the composite trapezoidal rule (error
    :math:`O(h^2 \\max|u''|)`, about :math:`10^{-6}` at the defaults).

    Parameters
    ----------
    n_functions : int
        Number of input functions, ``>= 1``.
    key : PRNG key
    n_sensors, n_points : int
        Numbers of sensors and output locations, ``>= 2``.
    length_scale : float
        Correlation length :math:`l > 0` of the inputs.
    refine : int
        Fine grid: ``refine * (max(n_sensors, n_points) - 1) + 1`` points, ``refine >= 1``.

    Returns
    -------
    AntiderivativeData

    Raises
    ------
    TypeError, ValueError
        Bad sizes, length scale or key.

    References
    ----------
    :cite:p:`lu2019deeponet`

    See Also
    --------
    grf_samples : the input law.
    """
    where = "data.antiderivative_data"
    n_functions = _checks.check_int(n_functions, "n_functions", where, min_val=1)
    key = _checks.check_key(key, "key", where)
    m = _checks.check_int(n_sensors, "n_sensors", where, min_val=2)
    p = _checks.check_int(n_points, "n_points", where, min_val=2)
    length_scale = _checks.check_scalar(length_scale, "length_scale", where, min_val=0.0,
                                        strict_min=True)
    refine = _checks.check_int(refine, "refine", where, min_val=1)
    # the fine grid contains both the sensors and the output points when (m-1) | (n_fine - 1)
    n_fine = refine * (m - 1) * (p - 1) // np.gcd(m - 1, p - 1) + 1
    if n_fine > 4000:
        n_fine = refine * (max(m, p) - 1) + 1
    xf = np.linspace(0.0, 1.0, n_fine)
    uf = grf_samples(xf, n_functions, length_scale=length_scale, key=key)
    h = xf[1] - xf[0]
    sf = np.concatenate([np.zeros((n_functions, 1)),
                         np.cumsum(0.5 * h * (uf[:, 1:] + uf[:, :-1]), axis=1)], axis=1)
    sensors = np.linspace(0.0, 1.0, m)
    y = np.linspace(0.0, 1.0, p)
    u = np.stack([np.interp(sensors, xf, row) for row in uf])
    s = np.stack([np.interp(y, xf, row) for row in sf])
    return AntiderivativeData(sensors, u, y, s)
