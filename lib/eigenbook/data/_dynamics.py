"""Dynamical systems with known Koopman spectra, and parametric snapshot families (chapter 14)."""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import numpy as np

from eigenbook import _checks

from ._random import numpy_rng

__all__ = ["LinearSnapshots", "MapSamples", "bump_snapshots", "cat_map_samples",
           "linear_system_snapshots", "travelling_waves"]


class LinearSnapshots(NamedTuple):
    """Snapshots of a linear map :math:`x_{k+1} = A x_k` with a known spectrum.

    Attributes
    ----------
    X : array of shape (n, n_snapshots)
        The sequence :math:`x_0, \\dots`, one snapshot a column.
    A : array of shape (n, n)
        The (real, non-normal) map.
    eigenvalues : complex array of shape (n,)
        Its eigenvalues (the prescribed ones).
    """

    X: np.ndarray
    A: np.ndarray
    eigenvalues: np.ndarray


class MapSamples(NamedTuple):
    """Points of the 2-torus on a uniform grid and their images under a map.

    Attributes
    ----------
    x : array of shape (M, 2)
        Grid points in ``[0, 1)^2``.
    y : array of shape (M, 2)
        Their images.
    weights : array of shape (M,)
        Quadrature weights ``1/M``.
    """

    x: np.ndarray
    y: np.ndarray
    weights: np.ndarray


def linear_system_snapshots(eigenvalues: Any, n_snapshots: int, *, key: jax.Array,
                            n: int | None = None, conditioning: float = 1.0) -> LinearSnapshots:
    """Snapshots of a real linear system with prescribed eigenvalues.

    :math:`A = T\\,\\mathrm{blockdiag}(\\cdot)\\,T^{-1}` with 2×2 rotation-scaling blocks for
    complex pairs (pass one member of each pair with positive imaginary part) and
    1×1 blocks for real eigenvalues; :math:`T = Q_1 \\mathrm{diag}(c) Q_2` with Haar
    :math:`Q_i` and singular values c log-spaced in ``[1, conditioning]``. Then
    :math:`x_0` is Gaussian and :math:`x_{k+1} = A x_k`.

    Parameters
    ----------
    eigenvalues : complex array of shape (p,)
        Real eigenvalues, and the upper member of each conjugate pair.
    n_snapshots : int
        Number of snapshots, ``>= 2``.
    key : PRNG key
    n : int, optional
        Dimension (default: the number of eigenvalues counted with conjugates).
        ``n`` larger embeds the system by a random orthonormal frame (rank-deficient
        data).
    conditioning : float
        :math:`\\kappa(T) \\ge 1` (1: a normal map).

    Returns
    -------
    LinearSnapshots

    Raises
    ------
    TypeError, ValueError
        Non-finite eigenvalues, bad sizes, ``conditioning < 1``.
    """
    where = "data.linear_system_snapshots"
    lam = np.asarray(_checks.as_vector(eigenvalues, "eigenvalues", where, allow_complex=True,
                                       allow_empty=False)).astype(complex)
    n_snapshots = _checks.check_int(n_snapshots, "n_snapshots", where, min_val=2)
    cond = _checks.check_scalar(conditioning, "conditioning", where, min_val=1.0)
    key = _checks.check_key(key, "key", where)
    blocks, spec = [], []
    for z in lam:
        if z.imag > 0:
            blocks.append(np.array([[z.real, z.imag], [-z.imag, z.real]]))
            spec += [z, np.conj(z)]
        elif z.imag == 0:
            blocks.append(np.array([[z.real]]))
            spec.append(complex(z.real))
        else:
            raise _checks.fail(where, "eigenvalues", "real values or Im > 0 (one member per "
                               "conjugate pair)", f"{z}")
    d = len(spec)
    n = d if n is None else _checks.check_int(n, "n", where, min_val=d)
    rng = numpy_rng(key)
    D = np.zeros((d, d))
    i = 0
    for b in blocks:
        D[i:i + len(b), i:i + len(b)] = b
        i += len(b)
    Q1, _ = np.linalg.qr(rng.standard_normal((d, d)))
    Q2, _ = np.linalg.qr(rng.standard_normal((d, d)))
    T = Q1 @ np.diag(np.logspace(0, np.log10(cond), d)) @ Q2
    A_d = T @ D @ np.linalg.inv(T)
    E, _ = np.linalg.qr(rng.standard_normal((n, d)))
    A = E @ A_d @ E.T
    z = rng.standard_normal(d)
    Z = np.empty((d, n_snapshots))
    for k in range(n_snapshots):
        Z[:, k] = z
        z = A_d @ z
    return LinearSnapshots(E @ Z, A, np.array(spec))


def cat_map_samples(m: int) -> MapSamples:
    """Arnold's cat map :math:`(x, y) \\mapsto (2x + y, x + y) \\bmod 1` on an m×m grid.

    The map preserves Lebesgue measure, so its Koopman operator on
    :math:`L^2(\\mathbb T^2)` is unitary; it is mixing, so the spectrum is the whole
    unit circle, with the constants as the only eigenfunctions (:math:`\\lambda = 1`).
    The grid ``(i/m, j/m)`` is mapped onto itself, so the uniform quadrature is exactly
    invariant.

    Parameters
    ----------
    m : int
        Grid points per axis, ``>= 2``.

    Returns
    -------
    MapSamples
        ``x``, ``y`` of shape (m², 2), ``weights`` (m²,).

    Raises
    ------
    TypeError, ValueError
        A bad ``m``.
    """
    m = _checks.check_int(m, "m", "data.cat_map_samples", min_val=2)
    g = np.arange(m) / m
    x = np.stack(np.meshgrid(g, g, indexing="ij"), axis=-1).reshape(-1, 2)
    y = np.stack([(2 * x[:, 0] + x[:, 1]) % 1.0, (x[:, 0] + x[:, 1]) % 1.0], axis=-1)
    return MapSamples(x, y, np.full(m * m, 1.0 / (m * m)))


def travelling_waves(n_x: int, n_t: int, *, speeds: Any, wavenumbers: Any, dt: float = 0.05,
                     decay: Any = None) -> np.ndarray:
    """A field of travelling waves on the periodic interval ``[0, 2π)``.

    :math:`u(x, t) = \\sum_i e^{-\\delta_i t} \\cos(k_i(x - c_i t))`: each wave is a pair
    of Koopman/DMD eigenvalues :math:`e^{(-\\delta_i \\pm i k_i c_i)\\Delta t}`, and a
    travelling (not standing) structure needs both modes of the pair.

    Parameters
    ----------
    n_x, n_t : int
        Grid points in space and number of snapshots, ``>= 2``.
    speeds, wavenumbers : arrays of shape (w,)
        Speeds :math:`c_i` and integer wavenumbers :math:`k_i \\ge 1`.
    dt : float
        Time step, ``> 0``.
    decay : array of shape (w,), optional
        Damping rates :math:`\\delta_i \\ge 0` (default 0).

    Returns
    -------
    array of shape (n_x, n_t)

    Raises
    ------
    TypeError, ValueError
        Bad sizes or mismatched wave parameters.
    """
    where = "data.travelling_waves"
    n_x = _checks.check_int(n_x, "n_x", where, min_val=2)
    n_t = _checks.check_int(n_t, "n_t", where, min_val=2)
    c = np.asarray(_checks.as_vector(speeds, "speeds", where, allow_empty=False))
    k = np.asarray(_checks.as_vector(wavenumbers, "wavenumbers", where, size=c.shape[0]))
    if np.any(k < 1) or np.any(k != np.round(k)):
        raise _checks.fail(where, "wavenumbers", "integers >= 1", f"{k}")
    delta = (np.zeros_like(c) if decay is None
             else np.asarray(_checks.as_vector(decay, "decay", where, size=c.shape[0])))
    if np.any(delta < 0):
        raise _checks.fail(where, "decay", "damping rates >= 0", f"min {delta.min():.3g}")
    dt = _checks.check_scalar(dt, "dt", where, min_val=0.0, strict_min=True)
    x = 2 * np.pi * np.arange(n_x) / n_x
    t = dt * np.arange(n_t)
    return sum(np.exp(-delta[i] * t)[None, :] * np.cos(k[i] * (x[:, None] - c[i] * t[None, :]))
               for i in range(c.shape[0]))


def bump_snapshots(m: int, *, key: jax.Array, n_x: int = 512, width: float = 0.05,
                   amplitude_range: tuple[float, float] = (0.1, 10.0)) -> np.ndarray:
    """Parametric snapshots with strong scale variation (local-basis experiments).

    :math:`u(x; a, c) = a\\,e^{-(x - c)^2/w^2} + 0.1\\sin(2\\pi x / c)` on ``n_x`` points
    of ``[0, 1]``, with the amplitude ``a`` log-uniform on ``amplitude_range`` and the
    centre ``c`` uniform on ``[0.2, 0.8]``. ``amplitude_range=(1, 1)`` removes the scale
    variation.

    Parameters
    ----------
    m : int
        Number of snapshots, ``>= 1``.
    key : PRNG key
    n_x : int
        Grid points, ``>= 2``.
    width : float
        Bump width ``w > 0``.
    amplitude_range : (float, float)
        ``0 < lo <= hi``.

    Returns
    -------
    array of shape (n_x, m)
        Snapshots as columns.

    Raises
    ------
    TypeError, ValueError
        Bad sizes, ``width`` or ``amplitude_range``.
    """
    where = "data.bump_snapshots"
    m = _checks.check_int(m, "m", where, min_val=1)
    n_x = _checks.check_int(n_x, "n_x", where, min_val=2)
    w = _checks.check_scalar(width, "width", where, min_val=0.0, strict_min=True)
    _checks.as_vector(amplitude_range, "amplitude_range", where, size=2)  # shape, dtype, finite
    lo, hi = (_checks.check_scalar(v, "amplitude_range", where) for v in amplitude_range)
    if not 0 < lo <= hi:
        raise _checks.fail(where, "amplitude_range", "(lo, hi) with 0 < lo <= hi",
                           f"({lo}, {hi})")
    key = _checks.check_key(key, "key", where)
    rng = numpy_rng(key)
    a = np.exp(rng.uniform(np.log(lo), np.log(hi), m))
    c = rng.uniform(0.2, 0.8, m)
    x = np.linspace(0.0, 1.0, n_x)[:, None]
    return a * np.exp(-((x - c) ** 2) / w**2) + 0.1 * np.sin(2 * np.pi * x / c)
