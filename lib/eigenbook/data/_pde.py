"""Discretised elliptic PDEs (2-D diffusion, Darcy sequences) and degenerate registration Jacobians.

diffusion_2d
    The 5-point finite-volume matrix of ``-div(a grad u)`` on the unit square with zero
    Dirichlet data, for a coefficient ``a`` given at the grid nodes (``a = 1``: Poisson).
darcy_systems
    A sequence of Darcy systems ``-div(a_i grad u) = f`` whose log-coefficients are smooth
    random fields ``log a_i = sum_k theta_ik phi_k``: the data-generation workload of
    neural-operator training, used by chapter 12 (Krylov recycling).
corridor_registration, tunnel_registration
    Point-to-plane registration Jacobians in scenes with an unobservable motion (chapter 12,
    Schur complements).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import numpy as np
import scipy.sparse as sp

from eigenbook import _checks

from ._random import numpy_rng

__all__ = ["diffusion_2d", "DarcySystems", "darcy_systems", "RegistrationProblem",
           "corridor_registration", "tunnel_registration"]


def diffusion_2d(a: Any) -> sp.csr_array:
    """Matrix of ``-div(a grad u)`` on the unit square, 5-point stencil, zero Dirichlet data.

    The unknowns are the values at the ``N x N`` interior nodes of a uniform grid with
    spacing ``h = 1 / (N + 1)``, ordered row-major (index ``i * N + j`` for node
    ``(x_j, y_i)``). The flux between two neighbouring nodes uses the harmonic mean of
    their coefficients; a boundary flux uses the node's own value. The matrix is
    symmetric positive definite; with ``a = 1`` it is the standard Poisson matrix
    ``(4 u_ij - u_{i±1,j} - u_{i,j±1}) / h^2``.

    Parameters
    ----------
    a : array of shape (N, N) or int
        Positive coefficient at the interior nodes, or the grid size ``N`` for ``a = 1``.

    Returns
    -------
    scipy.sparse.csr_array of shape (N*N, N*N), float64

    Raises
    ------
    TypeError, ValueError
        ``a`` not a square 2-D array of positive finite values, or ``N < 2``.
    """
    where = "data.diffusion_2d"
    if isinstance(a, (int, np.integer)) and not isinstance(a, bool):
        N = _checks.check_int(a, "a", where, min_val=2)
        a = np.ones((N, N))
    a = np.asarray(_checks.as_matrix(a, "a", where, square=True), dtype=np.float64)
    N = a.shape[0]
    if N < 2:
        raise _checks.fail(where, "a", "a grid of at least 2 x 2 nodes", f"shape {a.shape}")
    if not (a > 0).all():
        raise _checks.fail(where, "a", "a positive coefficient", f"min a = {a.min():.2e}")
    h2 = 1.0 / (N + 1) ** 2
    idx = np.arange(N * N).reshape(N, N)
    # harmonic means on the interior faces (x- and y-direction)
    fx = 2 * a[:, :-1] * a[:, 1:] / (a[:, :-1] + a[:, 1:])
    fy = 2 * a[:-1, :] * a[1:, :] / (a[:-1, :] + a[1:, :])
    diag = np.zeros((N, N))
    diag[:, :-1] += fx
    diag[:, 1:] += fx
    diag[:-1, :] += fy
    diag[1:, :] += fy
    # boundary faces: the node's own coefficient
    diag[:, 0] += a[:, 0]
    diag[:, -1] += a[:, -1]
    diag[0, :] += a[0, :]
    diag[-1, :] += a[-1, :]
    rows = np.concatenate([idx.ravel(), idx[:, :-1].ravel(), idx[:, 1:].ravel(),
                           idx[:-1, :].ravel(), idx[1:, :].ravel()])
    cols = np.concatenate([idx.ravel(), idx[:, 1:].ravel(), idx[:, :-1].ravel(),
                           idx[1:, :].ravel(), idx[:-1, :].ravel()])
    vals = np.concatenate([diag.ravel(), -fx.ravel(), -fx.ravel(), -fy.ravel(), -fy.ravel()])
    return sp.csr_array(sp.coo_array((vals / h2, (rows, cols)), shape=(N * N, N * N)))


class DarcySystems(NamedTuple):
    """A sequence of Darcy systems ``A_i u_i = f``.

    Attributes
    ----------
    matrices : tuple of scipy.sparse.csr_array of shape (N*N, N*N)
        ``A_i = diffusion_2d(exp(log_coefficients[i]))``, symmetric positive definite.
    rhs : array of shape (n_systems, N*N)
        The right-hand sides (the same source ``f = 1`` for every system).
    theta : array of shape (n_systems, n_modes)
        The random parameters of the log-coefficients.
    log_coefficients : array of shape (n_systems, N, N)
        ``log a_i`` at the interior nodes.
    """

    matrices: tuple
    rhs: np.ndarray
    theta: np.ndarray
    log_coefficients: np.ndarray


def darcy_systems(n_grid: int, n_systems: int, *, key: jax.Array, n_modes: int = 6,
                  amplitude: float = 0.5) -> DarcySystems:
    """Darcy systems ``-div(a_i grad u) = 1`` with smooth random coefficients.

    ``log a_i(x, y) = amplitude * sum_k theta_ik phi_k(x, y)`` with ``theta_ik`` standard
    normal and ``phi_k`` the first ``n_modes`` products ``cos(pi p x) cos(pi q y)``
    (``(p, q) != (0, 0)``, ordered by ``p + q``) scaled by ``1 / (p + q)``, so that
    nearby parameters give nearby matrices. Each matrix is :func:`diffusion_2d` of
    ``a_i``; the systems differ only through ``theta``.

    Parameters
    ----------
    n_grid : int
        Interior nodes per side ``N >= 2``; the systems have ``N * N`` unknowns.
    n_systems : int
        Number of systems, ``>= 1``.
    key : PRNG key
        Draws ``theta``.
    n_modes : int
        Number of smooth modes, ``1 <= n_modes <= 20``.
    amplitude : float
        Scale of the log-coefficient, ``>= 0`` (the default keeps the contrast
        ``max a / min a`` around 10-100, where unpreconditioned restarted GMRES converges).

    Returns
    -------
    DarcySystems

    Raises
    ------
    TypeError, ValueError
        Bad sizes, a negative ``amplitude`` or a bad ``key``.
    """
    where = "data.darcy_systems"
    key = _checks.check_key(key, "key", where)
    N = _checks.check_int(n_grid, "n_grid", where, min_val=2)
    n_systems = _checks.check_int(n_systems, "n_systems", where, min_val=1)
    n_modes = _checks.check_int(n_modes, "n_modes", where, min_val=1, max_val=20)
    amplitude = _checks.check_scalar(amplitude, "amplitude", where, min_val=0.0)
    pq = sorted(((p, q) for p in range(8) for q in range(8) if p + q > 0),
                key=lambda t: (t[0] + t[1], t[0]))[:n_modes]
    x = np.arange(1, N + 1) / (N + 1)
    phi = np.stack([np.outer(np.cos(np.pi * q * x), np.cos(np.pi * p * x)) / (p + q)
                    for p, q in pq])                                # (n_modes, N, N)
    theta = numpy_rng(key).standard_normal((n_systems, n_modes))
    log_a = amplitude * np.einsum("sk,kij->sij", theta, phi)
    mats = tuple(diffusion_2d(np.exp(la)) for la in log_a)
    rhs = np.ones((n_systems, N * N))
    return DarcySystems(mats, rhs, theta, log_a)


class RegistrationProblem(NamedTuple):
    """A point-to-plane registration problem, linearised at the identity.

    Attributes
    ----------
    J : array of shape (m, 6)
        Jacobian of the point-to-plane residuals with respect to a small motion
        ``(omega, t)`` (rotation vector first, then translation): row ``i`` is
        ``[(p_i x n_i)^T, n_i^T]``.
    points : array of shape (m, 3)
        The source points ``p_i`` (metres).
    normals : array of shape (m, 3)
        Unit normals ``n_i`` of the planes they lie on.
    """

    J: np.ndarray
    points: np.ndarray
    normals: np.ndarray


def _range(offset: Any, where: str) -> tuple[float, float]:
    lo = _checks.check_scalar(offset[0], "offset", where)
    return lo, _checks.check_scalar(offset[1], "offset", where, min_val=lo, strict_min=True)


def corridor_registration(n_points: int, *, key: jax.Array, tilt: float = 0.0,
                          offset: tuple = (5.0, 20.0), width: float = 2.0,
                          height: float = 1.5) -> RegistrationProblem:
    """Point-to-plane registration in a corridor along x: the textbook degenerate scene.

    Two walls (``y = ±width``), a floor and a ceiling (``z = ±height``), all parallel to
    the x-axis, with points at ``x`` uniform in ``offset`` (away from the origin, which
    couples rotation and translation). Translation along the corridor is then
    unobservable; ``tilt`` (radians) turns the two walls about z in opposite senses (the
    corridor narrows along x), giving both normals an x-component ``sin(tilt)`` that makes
    it weakly observable.

    Parameters
    ----------
    n_points : int
        Points per plane, ``>= 2``.
    key : PRNG key
        Draws the points.
    tilt : float
        Wall tilt in radians, ``0 <= tilt < pi/2``.
    offset : tuple of float
        Range ``(lo, hi)`` of the points' x-coordinate, ``lo < hi``.
    width, height : float
        Half-width and half-height of the corridor, ``> 0``.

    Returns
    -------
    RegistrationProblem

    Raises
    ------
    TypeError, ValueError
        Bad sizes, ranges or ``key``.
    """
    where = "data.corridor_registration"
    key = _checks.check_key(key, "key", where)
    m = _checks.check_int(n_points, "n_points", where, min_val=2)
    tilt = _checks.check_scalar(tilt, "tilt", where, min_val=0.0, max_val=1.5)
    lo, hi = _range(offset, where)
    width = _checks.check_scalar(width, "width", where, min_val=0.0, strict_min=True)
    height = _checks.check_scalar(height, "height", where, min_val=0.0, strict_min=True)
    rng = numpy_rng(key)
    pts, nrm = [], []
    for side in (-1.0, 1.0):  # walls, converging along x by the angle tilt
        x = rng.uniform(lo, hi, m)
        z = rng.uniform(-height, height, m)
        nx, ny = np.sin(tilt), side * np.cos(tilt)
        y = side * width - side * np.tan(tilt) * (x - (lo + hi) / 2)  # on the tilted plane
        pts.append(np.column_stack([x, y, z]))
        nrm.append(np.tile([nx, ny, 0.0], (m, 1)))
    for side in (-1.0, 1.0):  # floor and ceiling
        x = rng.uniform(lo, hi, m)
        y = rng.uniform(-width, width, m)
        pts.append(np.column_stack([x, y, np.full(m, side * height)]))
        nrm.append(np.tile([0.0, 0.0, side], (m, 1)))
    P, Nn = np.concatenate(pts), np.concatenate(nrm)
    J = np.concatenate([np.cross(P, Nn), Nn], axis=1)
    return RegistrationProblem(J, P, Nn)


def tunnel_registration(n_points: int, *, key: jax.Array, axis: tuple = (0.0, -1.0),
                        radius: float = 2.0, ellipticity: float = 0.0, taper: float = 0.0,
                        offset: tuple = (5.0, 20.0)) -> RegistrationProblem:
    """Point-to-plane registration in a tunnel along x whose axis misses the sensor origin.

    Points on the surface ``((y - y0) / a(x))^2 + ((z - z0) / b(x))^2 = 1`` with
    ``a = radius (1 + ellipticity) s(x)``, ``b = radius (1 - ellipticity) s(x)`` and
    ``s(x) = 1 + taper (x - x_mid) / (hi - lo)``, ``x`` uniform in ``offset``. A round,
    straight tunnel (``ellipticity = taper = 0``) leaves two motions unobservable: the
    translation along x, and the roll about the tunnel's own axis, which, seen from an
    origin off that axis, is a rotation about x *plus* a translation. ``ellipticity`` and
    ``taper`` make them weakly observable.

    Parameters
    ----------
    n_points : int
        Number of points, ``>= 6``.
    key : PRNG key
        Draws the points.
    axis : tuple of float
        ``(y0, z0)``, where the tunnel axis crosses the y-z plane.
    radius : float
        Mean radius, ``> 0``.
    ellipticity, taper : float
        Shape perturbations, ``0 <= . < 1``.
    offset : tuple of float
        Range ``(lo, hi)`` of the x-coordinate, ``lo < hi``.

    Returns
    -------
    RegistrationProblem

    Raises
    ------
    TypeError, ValueError
        Bad sizes, ranges or ``key``.
    """
    where = "data.tunnel_registration"
    key = _checks.check_key(key, "key", where)
    m = _checks.check_int(n_points, "n_points", where, min_val=6)
    y0 = _checks.check_scalar(axis[0], "axis", where)
    z0 = _checks.check_scalar(axis[1], "axis", where)
    radius = _checks.check_scalar(radius, "radius", where, min_val=0.0, strict_min=True)
    ell = _checks.check_scalar(ellipticity, "ellipticity", where, min_val=0.0, max_val=0.99)
    taper = _checks.check_scalar(taper, "taper", where, min_val=0.0, max_val=0.99)
    lo, hi = _range(offset, where)
    rng = numpy_rng(key)
    x = rng.uniform(lo, hi, m)
    phi = rng.uniform(0.0, 2 * np.pi, m)
    sc = 1 + taper * (x - (lo + hi) / 2) / (hi - lo)
    a, b = radius * (1 + ell) * sc, radius * (1 - ell) * sc
    dy, dz = a * np.cos(phi), b * np.sin(phi)
    ds = taper / (hi - lo)  # d s / d x
    grad = np.column_stack([-2 * (dy**2 / a**2 + dz**2 / b**2) * ds / sc,
                            2 * dy / a**2, 2 * dz / b**2])
    Nn = grad / np.linalg.norm(grad, axis=1, keepdims=True)
    P = np.column_stack([x, y0 + dy, z0 + dz])
    J = np.concatenate([np.cross(P, Nn), Nn], axis=1)
    return RegistrationProblem(J, P, Nn)
