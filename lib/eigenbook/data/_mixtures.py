"""Labelled Gaussian mixtures (chapter 13_hessian_spectra: classes as clusters)."""

from __future__ import annotations

from typing import NamedTuple

import jax
import numpy as np

from eigenbook import _checks

from ._random import numpy_rng

__all__ = ["GaussianMixture", "gaussian_mixture"]


class GaussianMixture(NamedTuple):
    """A labelled sample of a Gaussian mixture.

    Attributes
    ----------
    x : ndarray of shape (n, dim)
        Points, ``x_i = means[y_i] + noise * N(0, I)``.
    y : ndarray of int, shape (n,)
        Class of each point, balanced (``i mod n_classes``).
    means : ndarray of shape (n_classes, dim)
        Class means, independent ``N(0, I) * separation / sqrt(dim)`` (so that two
        means are about ``separation * sqrt(2)`` apart).
    """

    x: np.ndarray
    y: np.ndarray
    means: np.ndarray


def gaussian_mixture(n: int, n_classes: int, *, dim: int, separation: float,
                     noise: float = 1.0, key: jax.Array) -> GaussianMixture:
    """Sample ``n`` labelled points of an isotropic Gaussian mixture, one cluster per class.

    Parameters
    ----------
    n : int
        Number of points, ``>= n_classes``.
    n_classes : int
        Number of classes (clusters), ``>= 2``.
    dim : int
        Dimension of the points, ``>= 1``.
    separation : float
        Scale of the class means (``>= 0``); larger is more separable.
    noise : float
        Standard deviation of each cluster, ``> 0``.
    key : PRNG key
        Seeds the host sampler, ``numpy_rng(key)``.

    Returns
    -------
    GaussianMixture

    Raises
    ------
    TypeError, ValueError
        Non-integer counts, ``n < n_classes``, negative separation, bad key.
    """
    where = "data.gaussian_mixture"
    key = _checks.check_key(key, "key", where)
    n_classes = _checks.check_int(n_classes, "n_classes", where, min_val=2)
    n = _checks.check_int(n, "n", where, min_val=n_classes)
    dim = _checks.check_int(dim, "dim", where, min_val=1)
    separation = _checks.check_scalar(separation, "separation", where, min_val=0.0)
    noise = _checks.check_scalar(noise, "noise", where, min_val=0.0, strict_min=True)
    rng = numpy_rng(key)
    means = rng.standard_normal((n_classes, dim)) * separation / np.sqrt(dim)
    y = np.arange(n) % n_classes
    x = means[y] + noise * rng.standard_normal((n, dim))
    return GaussianMixture(x, y.astype(np.int64), means)
