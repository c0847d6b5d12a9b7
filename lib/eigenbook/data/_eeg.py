"""Synthetic multichannel "EEG" (chapter 16_spd_geometry).

Two generators with a known answer:

* :func:`ar_eeg_trials`: labelled trials whose sources are AR(2) oscillators with
  class-dependent resonant frequencies, normalised to unit variance and mixed by one
  shared matrix, so that the two classes have the same spatial covariance and differ
  only in their temporal structure. The exact VAR(2) coefficients of the mixed signal
  are returned.
* :func:`hemisphere_eeg`: electrodes on a unit hemisphere recording smooth dipole-like
  sources, with the electrodes' positions and geodesic distances.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import numpy as np
import scipy.signal as signal

from eigenbook import _checks

from ._random import numpy_rng

__all__ = ["EEGTrials", "ChannelSignals", "ar_eeg_trials", "hemisphere_eeg"]


class EEGTrials(NamedTuple):
    """Labelled multichannel AR trials.

    Attributes
    ----------
    X : ndarray of shape (n_trials, n_channels, n_times)
        The trials (float64).
    y : ndarray of int, shape (n_trials,)
        Class of each trial (0 or 1), alternating, so any prefix is balanced.
    mixing : ndarray of shape (n_channels, n_channels)
        The mixing matrix ``A`` shared by both classes (``x = A s + noise``).
    var_coefs : ndarray of shape (2, 2, n_channels, n_channels)
        ``var_coefs[k, j]`` is the lag-``j+1`` coefficient ``A D_j A^{-1}`` of the exact
        VAR(2) model of class ``k`` (exact when ``noise = 0``).
    freqs : ndarray of shape (2, n_channels)
        Resonant frequency (Hz) of each source in each class.
    fs : float
        Sampling rate (Hz).
    """

    X: np.ndarray
    y: np.ndarray
    mixing: np.ndarray
    var_coefs: np.ndarray
    freqs: np.ndarray
    fs: float


def _ar2_unit(f: float, r: float, fs: float) -> tuple[float, float, float]:
    """AR(2) x_t = a1 x_{t-1} + a2 x_{t-2} + g e_t with a pole pair r e^{±2πif/fs}, Var x = 1."""
    a1, a2 = 2 * r * np.cos(2 * np.pi * f / fs), -r * r
    gamma0 = (1 - a2) / ((1 + a2) * ((1 - a2) ** 2 - a1 ** 2))
    return a1, a2, 1.0 / np.sqrt(gamma0)


def ar_eeg_trials(n_trials: int, *, key: jax.Array, n_channels: int = 8, n_times: int = 256,
                  fs: float = 128.0, shift: float = 3.0, radius: float = 0.95,
                  noise: float = 0.1) -> EEGTrials:
    """Two-class multichannel AR(2) trials with identical spatial covariance.

    Source ``i`` of class 0 resonates at ``f_i``, evenly spaced in [6, 30] Hz; in class 1
    at ``f_i + shift``. Each source is an AR(2) process with pole radius ``radius``,
    normalised to unit stationary variance (started from 200 burn-in samples), so both
    classes have source covariance ``I`` and signal covariance ``A Aᵀ + noise² I``: a
    spatial covariance does not tell them apart, their autocovariances do. ``A`` is
    ``Q diag(s) Qᵀ`` with Haar ``Q`` and ``s`` evenly spaced in [1, 2].

    Parameters
    ----------
    n_trials : int
        Number of trials (>= 2); classes alternate 0, 1, 0, ...
    key : PRNG key
    n_channels : int
        Channels (= sources), >= 1.
    n_times : int
        Samples per trial, >= 8.
    fs : float
        Sampling rate in Hz (> 0).
    shift : float
        Frequency shift of class 1 in Hz (>= 0; 0 makes the classes identical).
    radius : float
        AR(2) pole radius, in (0, 1).
    noise : float
        Standard deviation of white sensor noise (>= 0).

    Returns
    -------
    EEGTrials
        ``X`` (n_trials, n_channels, n_times), ``y``, ``mixing``, ``var_coefs``,
        ``freqs``, ``fs``.
    """
    where = "data.ar_eeg_trials"
    n_trials = _checks.check_int(n_trials, "n_trials", where, min_val=2)
    key = _checks.check_key(key, "key", where)
    c = _checks.check_int(n_channels, "n_channels", where, min_val=1)
    T = _checks.check_int(n_times, "n_times", where, min_val=8)
    fs = _checks.check_scalar(fs, "fs", where, min_val=0.0, strict_min=True)
    shift = _checks.check_scalar(shift, "shift", where, min_val=0.0)
    radius = _checks.check_scalar(radius, "radius", where, min_val=0.0, strict_min=True)
    if radius >= 1:
        raise _checks.fail(where, "radius", "0 < radius < 1 (a stable AR(2))",
                           f"radius={radius}")
    noise = _checks.check_scalar(noise, "noise", where, min_val=0.0)
    base = np.linspace(6.0, 30.0, c) if c > 1 else np.array([10.0])
    freqs = np.stack([base, base + shift])
    if float(freqs.max()) >= fs / 2:
        raise _checks.fail(where, "fs", f"fs > 2 max f = {2 * float(freqs.max()):.3g}",
                           f"fs={fs}", "Lower shift or raise fs.")
    rng = numpy_rng(key)
    Q = np.linalg.qr(rng.standard_normal((c, c)))[0]
    A = (Q * np.linspace(1.0, 2.0, c)) @ Q.T
    A_inv = np.linalg.inv(A)
    y = np.arange(n_trials) % 2
    burn = 200
    E = rng.standard_normal((n_trials, c, T + burn))
    S = np.empty((n_trials, c, T))
    var_coefs = np.zeros((2, 2, c, c))
    for k in range(2):
        rows = y == k
        D = np.zeros((2, c))
        for i in range(c):
            a1, a2, g = _ar2_unit(float(freqs[k, i]), radius, fs)
            D[:, i] = a1, a2
            S[rows, i] = signal.lfilter([g], [1.0, -a1, -a2], E[rows, i], axis=-1)[:, burn:]
        for j in range(2):
            var_coefs[k, j] = (A * D[j]) @ A_inv
    X = np.einsum("ij,njt->nit", A, S) + noise * rng.standard_normal((n_trials, c, T))
    return EEGTrials(X, y, A, var_coefs, freqs, float(fs))


class ChannelSignals(NamedTuple):
    """Signals recorded by electrodes on a hemisphere.

    Attributes
    ----------
    X : ndarray of shape (n_channels, n_times)
        The recordings.
    positions : ndarray of shape (n_channels, 3)
        Electrode positions on the unit upper hemisphere (z >= 0).
    geodesic : ndarray of shape (n_channels, n_channels)
        Great-circle distances between the electrodes.
    sources : ndarray of shape (n_sources, 3)
        Source positions (inside the sphere, radius ``depth``).
    """

    X: np.ndarray
    positions: np.ndarray
    geodesic: np.ndarray
    sources: np.ndarray


def hemisphere_eeg(n_channels: int, n_times: int, *, key: jax.Array, n_sources: int = 200,
                   width: float = 0.7, depth: float = 0.9, noise: float = 0.05) -> ChannelSignals:
    """Electrodes on a hemisphere recording smooth dipole-like sources.

    Electrodes lie on a Fibonacci spiral over the upper unit hemisphere; sources sit at
    random directions of the upper hemisphere at radius ``depth``. Electrode ``e`` sees
    source ``s`` with gain ``exp(-|r_e - r_s|² / (2 width²))`` (a smooth, local lead
    field); sources are independent unit AR(1) processes (coefficient 0.9); white sensor
    noise of standard deviation ``noise`` is added.

    Parameters
    ----------
    n_channels : int
        Electrodes (>= 3).
    n_times : int
        Samples (>= 2).
    key : PRNG key
    n_sources : int
        Sources (>= 1).
    width : float
        Lead-field width (> 0).
    depth : float
        Source radius, in (0, 1].
    noise : float
        Sensor noise standard deviation (>= 0).

    Returns
    -------
    ChannelSignals
        ``X`` (n_channels, n_times), ``positions`` (n_channels, 3), ``geodesic``
        (n_channels, n_channels), ``sources`` (n_sources, 3).
    """
    where = "data.hemisphere_eeg"
    c = _checks.check_int(n_channels, "n_channels", where, min_val=3)
    T = _checks.check_int(n_times, "n_times", where, min_val=2)
    key = _checks.check_key(key, "key", where)
    m = _checks.check_int(n_sources, "n_sources", where, min_val=1)
    width = _checks.check_scalar(width, "width", where, min_val=0.0, strict_min=True)
    depth = _checks.check_scalar(depth, "depth", where, min_val=0.0, strict_min=True,
                                 max_val=1.0)
    noise = _checks.check_scalar(noise, "noise", where, min_val=0.0)
    rng = numpy_rng(key)
    i = np.arange(c) + 0.5
    z = 1.0 - i / c                                  # uniform in z on (0, 1): equal areas
    phi = np.pi * (1 + 5 ** 0.5) * i
    rho = np.sqrt(1 - z * z)
    P = np.stack([rho * np.cos(phi), rho * np.sin(phi), z], axis=1)
    G = np.arccos(np.clip(P @ P.T, -1.0, 1.0))
    np.fill_diagonal(G, 0.0)
    u = rng.standard_normal((m, 3))
    u[:, 2] = np.abs(u[:, 2])
    src = depth * u / np.linalg.norm(u, axis=1, keepdims=True)
    d2 = ((P[:, None, :] - src[None]) ** 2).sum(-1)
    L = np.exp(-d2 / (2 * width ** 2))
    e = rng.standard_normal((m, T + 100))
    s = signal.lfilter([np.sqrt(1 - 0.81)], [1.0, -0.9], e, axis=-1)[:, 100:]
    X = L @ s + noise * rng.standard_normal((c, T))
    return ChannelSignals(X, P, G, src)
