"""Synthetic series and sparse spectra for chapter 18 (fast and sparse transforms).

* :func:`ar_process`: stationary autoregressive AR(p) series (several independent
  variates), started in their stationary regime by a burn-in.
* :func:`seasonal_series`: a sum of seasonal sinusoids (random phases per variate) plus
  AR(1) noise: the multi-seasonal series on which a data-adaptive basis differs from a
  fixed cosine basis.
* :func:`sparse_walsh_spectrum`: a K-sparse Walsh–Hadamard spectrum (uniform random support,
  random-sign coefficients) for the sparse transform.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import numpy as np
import scipy.signal as signal

from eigenbook import _checks

from ._random import numpy_rng

__all__ = ["ARSeries", "SparseWalshSpectrum", "ar_process", "seasonal_series",
           "sparse_walsh_spectrum"]


class ARSeries(NamedTuple):
    """Independent variates of one autoregressive process.

    Attributes
    ----------
    values : ndarray of shape (n_steps, n_series)
        The series, time first (float64).
    coefficients : ndarray of shape (p,)
        ``x_t = sum_j coefficients[j] x_{t-1-j} + noise_std e_t``.
    noise_std : float
        Standard deviation of the innovations ``e_t ~ N(0, 1)``.
    """

    values: np.ndarray
    coefficients: np.ndarray
    noise_std: float


class SparseWalshSpectrum(NamedTuple):
    """A K-sparse Walsh–Hadamard spectrum of length ``2**n_bits``.

    Attributes
    ----------
    support : ndarray of int64, shape (K,)
        Sorted distinct frequencies in ``[0, 2**n_bits)``.
    coefficients : ndarray of shape (K,)
        The non-zero coefficients, in the order of ``support``.
    n_bits : int
        ``log2`` of the length.
    """

    support: np.ndarray
    coefficients: np.ndarray
    n_bits: int


def ar_process(n_steps: int, coefficients, *, key: jax.Array, n_series: int = 1,
               noise_std: float = 1.0, burn_in: int = 500) -> ARSeries:
    """Stationary AR(p) series: :math:`x_t = \\sum_{j=1}^{p} a_j x_{t-j} + \\sigma e_t`.

    ``n_series`` independent variates share the coefficients; each runs ``burn_in`` steps
    from zero before the ``n_steps`` that are returned, so that the returned series is in its
    stationary regime to within :math:`\\max|{\\rm pole}|^{\\rm burn\\_in}`. AR(1) with
    coefficient :math:`\\rho` has autocorrelation :math:`\\rho^{|i-j|}`, the matrix whose
    eigenvectors tend to the DCT-II basis as :math:`\\rho \\to 1`.

    Parameters
    ----------
    n_steps : int
        Length of each series, ``>= 2``.
    coefficients : array_like of shape (p,)
        AR coefficients :math:`a_1, \\dots, a_p`; the process must be stable (all roots of
        :math:`z^p - a_1 z^{p-1} - \\dots - a_p` inside the unit circle).
    key : PRNG key
    n_series : int
        Independent variates, ``>= 1``.
    noise_std : float
        Innovation standard deviation, ``> 0``.
    burn_in : int
        Discarded initial steps, ``>= 0``.

    Returns
    -------
    ARSeries
        ``values`` (n_steps, n_series), ``coefficients`` (p,), ``noise_std``.

    Raises
    ------
    TypeError
        Non-integer sizes, non-numeric coefficients, or ``key`` not a PRNG key.
    ValueError
        Sizes out of range, empty or non-finite coefficients, or an unstable process.

    See Also
    --------
    scipy.signal.lfilter : the recursion used here.

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "data.ar_process"
    n_steps = _checks.check_int(n_steps, "n_steps", where, min_val=2)
    a = np.asarray(_checks.as_vector(coefficients, "coefficients", where, allow_empty=False),
                   dtype=np.float64)
    key = _checks.check_key(key, "key", where)
    n_series = _checks.check_int(n_series, "n_series", where, min_val=1)
    noise_std = _checks.check_scalar(noise_std, "noise_std", where, min_val=0.0,
                                     strict_min=True)
    burn_in = _checks.check_int(burn_in, "burn_in", where, min_val=0)
    poles = np.roots(np.concatenate([[1.0], -a]))
    if poles.size and float(np.max(np.abs(poles))) >= 1.0:
        raise _checks.fail(where, "coefficients", "a stable AR process (all poles inside the "
                           "unit circle)", f"max |pole| = {float(np.max(np.abs(poles))):.4g}")
    rng = numpy_rng(key)
    e = rng.standard_normal((burn_in + n_steps, n_series)) * noise_std
    x = signal.lfilter([1.0], np.concatenate([[1.0], -a]), e, axis=0)
    return ARSeries(x[burn_in:], a, noise_std)


def seasonal_series(n_steps: int, *, key: jax.Array, periods=(24.0, 7.0),
                    amplitudes=(1.0, 0.6), rho: float = 0.5, noise_std: float = 0.3,
                    n_series: int = 1) -> ARSeries:
    """Multi-seasonal series: sinusoids of the given periods plus AR(1) noise.

    :math:`x_t = \\sum_i A_i \\cos(2\\pi t/P_i + \\phi_i) + \\eta_t`, with phases
    :math:`\\phi_i` uniform per variate and :math:`\\eta` an AR(1) process of coefficient
    ``rho`` and innovation standard deviation ``noise_std``. The lag correlation of such a
    series is no longer a function of :math:`\\rho^{|i-j|}` alone, so its eigenvectors
    (the data-adaptive basis) differ from the DCT.

    Parameters
    ----------
    n_steps : int
        Length, ``>= 2``.
    key : PRNG key
    periods : array_like of shape (s,)
        Seasonal periods in steps, each ``> 1``.
    amplitudes : array_like of shape (s,)
        Amplitudes, ``>= 0``.
    rho : float
        AR(1) coefficient of the noise, ``|rho| < 1``.
    noise_std : float
        Innovation standard deviation of the noise, ``> 0``.
    n_series : int
        Independent variates (phases and noise drawn per variate), ``>= 1``.

    Returns
    -------
    ARSeries
        ``values`` (n_steps, n_series); ``coefficients = [rho]`` and ``noise_std`` of the
        noise.

    Raises
    ------
    TypeError
        Non-integer sizes, non-numeric periods/amplitudes, ``key`` not a PRNG key.
    ValueError
        Mismatched lengths of ``periods`` and ``amplitudes``, periods ``<= 1``, negative
        amplitudes, ``|rho| >= 1``, ``noise_std <= 0``.

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "data.seasonal_series"
    n_steps = _checks.check_int(n_steps, "n_steps", where, min_val=2)
    key = _checks.check_key(key, "key", where)
    P = np.asarray(_checks.as_vector(periods, "periods", where, allow_empty=False), np.float64)
    A = np.asarray(_checks.as_vector(amplitudes, "amplitudes", where, size=P.size),
                   np.float64)
    if np.any(P <= 1):
        raise _checks.fail(where, "periods", "periods > 1 (in steps)", f"min {P.min():.4g}")
    if np.any(A < 0):
        raise _checks.fail(where, "amplitudes", "amplitudes >= 0", f"min {A.min():.4g}")
    rho = _checks.check_scalar(rho, "rho", where, min_val=-1.0, max_val=1.0)
    if abs(rho) >= 1:
        raise _checks.fail(where, "rho", "|rho| < 1 (a stationary AR(1))", f"rho={rho}")
    noise_std = _checks.check_scalar(noise_std, "noise_std", where, min_val=0.0,
                                     strict_min=True)
    n_series = _checks.check_int(n_series, "n_series", where, min_val=1)
    k_phase, k_noise = jax.random.split(key)
    phases = numpy_rng(k_phase).uniform(0.0, 2 * np.pi, (P.size, n_series))
    t = np.arange(n_steps, dtype=np.float64)[:, None, None]
    season = np.sum(A[:, None] * np.cos(2 * np.pi * t / P[:, None] + phases), axis=1)
    noise = ar_process(n_steps, [rho], key=k_noise, n_series=n_series,
                       noise_std=noise_std).values
    return ARSeries(season + noise, np.array([rho]), noise_std)


def sparse_walsh_spectrum(n_bits: int, n_nonzero: int, *, key: jax.Array,
                          magnitude: str = "unit") -> SparseWalshSpectrum:
    """A random K-sparse Walsh–Hadamard spectrum of length :math:`N = 2^{n}`.

    The support is ``n_nonzero`` distinct frequencies drawn uniformly from ``[0, N)``; the
    coefficients have random signs and magnitude 1 (``magnitude="unit"``, the finite
    alphabet of the SPRIGHT analysis) or uniform in [1, 2] (``"uniform"``).

    Parameters
    ----------
    n_bits : int
        :math:`n = \\log_2 N`, ``1 <= n_bits <= 40``.
    n_nonzero : int
        :math:`K`, ``1 <= K <= N``.
    key : PRNG key
    magnitude : {"unit", "uniform"}

    Returns
    -------
    SparseWalshSpectrum
        ``support`` (K,) sorted, ``coefficients`` (K,), ``n_bits``.

    Raises
    ------
    TypeError
        Non-integer sizes, ``key`` not a PRNG key.
    ValueError
        Sizes out of range, unknown ``magnitude``.

    See Also
    --------
    eigenbook.transforms.walsh_synthesis : the signal of such a spectrum at given indices.

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "data.sparse_walsh_spectrum"
    n_bits = _checks.check_int(n_bits, "n_bits", where, min_val=1, max_val=40)
    N = 1 << n_bits
    K = _checks.check_int(n_nonzero, "n_nonzero", where, min_val=1, max_val=N)
    key = _checks.check_key(key, "key", where)
    magnitude = _checks.check_choice(magnitude, "magnitude", where, ("unit", "uniform"))
    rng = numpy_rng(key)
    if N <= 4 * K or N <= 1 << 20:
        support = np.sort(rng.choice(N, size=K, replace=False)).astype(np.int64)
    else:  # rejection of repeats: N is too large for a permutation
        seen: set[int] = set()
        while len(seen) < K:
            seen.update(int(v) for v in rng.integers(0, N, size=K - len(seen)))
        support = np.array(sorted(seen), dtype=np.int64)
    signs = rng.choice([-1.0, 1.0], size=K)
    mags = np.ones(K) if magnitude == "unit" else rng.uniform(1.0, 2.0, K)
    return SparseWalshSpectrum(support, signs * mags, n_bits)
