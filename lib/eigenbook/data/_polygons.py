"""Shapes and point sets for chapter 08 (non-uniform Fourier transforms)."""

from __future__ import annotations

import jax
import numpy as np
from scipy.spatial import ConvexHull

from eigenbook import _checks

from ._random import numpy_rng

__all__ = ["random_convex_polygon"]


def random_convex_polygon(n_points: int, *, key: jax.Array, radius: float = 0.7) -> np.ndarray:
    """A random convex polygon in the disc of radius ``radius``: the hull of random points.

    ``n_points`` points are drawn with uniform angles and radii uniform in
    ``[radius/2, radius]``; their convex hull (counter-clockwise, at least 3 vertices) is
    returned. With ``radius < 1`` the polygon lies inside [-1, 1)², the periodic cell of
    :func:`eigenbook.spectral.rasterize_polygon`.

    Parameters
    ----------
    n_points : int
        Points drawn, ``>= 3`` (the hull may keep fewer).
    key : PRNG key
    radius : float
        Outer radius, ``0 < radius <= 1``.

    Returns
    -------
    vertices : numpy.ndarray of shape (m, 2), 3 <= m <= n_points

    Raises
    ------
    TypeError, ValueError
        Bad ``n_points``, ``key`` or ``radius``.
    """
    where = "data.random_convex_polygon"
    n = _checks.check_int(n_points, "n_points", where, min_val=3)
    key = _checks.check_key(key, "key", where)
    radius = _checks.check_scalar(radius, "radius", where, min_val=0.0, max_val=1.0,
                                  strict_min=True)
    rng = numpy_rng(key)
    ang = np.sort(rng.uniform(0, 2 * np.pi, n))
    r = rng.uniform(radius / 2, radius, n)
    pts = np.stack([r * np.cos(ang), r * np.sin(ang)], axis=1)
    return pts[ConvexHull(pts).vertices]
