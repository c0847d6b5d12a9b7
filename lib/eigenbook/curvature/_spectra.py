"""Spectral density by stochastic Lanczos quadrature, and Hutchinson's trace estimator."""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import scipy.linalg as sla

from .. import _checks, eigen
from .._operators import as_operator

__all__ = ["SpectralDensity", "TraceEstimate", "hutchinson_trace", "slq", "spectral_density"]


class SpectralDensity(NamedTuple):
    """Gauss quadrature rules of the spectral measure, one per random probe.

    Attributes
    ----------
    nodes : ndarray of shape (n_probes, m)
        Ritz values of each probe's Lanczos tridiagonal matrix (ascending).
    weights : ndarray of shape (n_probes, m)
        Squared first components of the Ritz vectors; each row sums to 1.
    n : int
        Size of the operator (``n * mean(weights * f(nodes)).sum(1)`` estimates
        ``tr f(A)``).
    """

    nodes: np.ndarray
    weights: np.ndarray
    n: int


class TraceEstimate(NamedTuple):
    """What :func:`hutchinson_trace` returns.

    Attributes
    ----------
    estimate : float
        Mean of the probe values ``z^T A z``.
    std_error : float
        Standard error of that mean (sample std / sqrt(n_probes)).
    samples : ndarray of shape (n_probes,)
        The probe values.
    """

    estimate: float
    std_error: float
    samples: np.ndarray


def slq(A: Any, *, n_steps: int, n_probes: int, key: jax.Array,
        n: int | None = None) -> SpectralDensity:
    """Stochastic Lanczos quadrature of the spectral density of a symmetric operator.

    For a unit probe ``v`` uniform on the sphere, ``E[v^T f(A) v] = tr f(A) / n``;
    m steps of Lanczos from ``v`` give ``T = S diag(theta) S^T`` and the m-point
    Gauss rule ``v^T f(A) v ~ sum_j S_{0j}^2 f(theta_j)``, exact for polynomials of
    degree up to 2m - 1. Averaging over ``n_probes`` probes estimates the spectral
    measure ``(1/n) sum_i delta(x - lambda_i)``. Each probe runs
    :func:`eigenbook.eigen.lanczos_decomposition` (full reorthogonalisation),
    so a callable ``A`` costs ``n_steps`` products per probe, compiled once.

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, or callable
        Symmetric operator; a callable maps X (n, b) to A @ X and needs ``n``
        (e.g. ``op.matmat`` of :func:`hessian_operator`).
    n_steps : int
        Lanczos steps m per probe, ``1 <= m <= n``.
    n_probes : int
        Number of random probes, ``>= 1``.
    key : PRNG key
        Probe ``i`` uses ``jax.random.split(key, n_probes)[i]``.
    n : int, optional
        Size of the operator; required for a callable.

    Returns
    -------
    SpectralDensity

    Raises
    ------
    TypeError, ValueError
        Bad operator, counts or key (named ``curvature.slq``).

    References
    ----------
    * Golub, G. H. & Meurant, G. (2010). Matrices, Moments and Quadrature.
    * Ghorbani, B., Krishnan, S. & Xiao, Y. (2019). An investigation into neural
      net optimization via Hessian eigenvalue density.
    """
    where = "curvature.slq"
    key = _checks.check_key(key, "key", where)
    op = as_operator(A, "A", where, n=n)
    m = _checks.check_int(n_steps, "n_steps", where, min_val=1, max_val=op.n)
    n_probes = _checks.check_int(n_probes, "n_probes", where, min_val=1)
    A_ = A if callable(A) and not hasattr(A, "shape") else op.data
    nodes, weights = [], []
    for k in jax.random.split(key, n_probes):
        dec = eigen.lanczos_decomposition(A_, m, key=k, n=op.n if callable(A_) else None)
        alpha, beta = np.asarray(dec.alpha, float), np.asarray(dec.beta, float)
        if m == 1:
            theta, S = alpha.copy(), np.ones((1, 1))
        else:
            theta, S = sla.eigh_tridiagonal(alpha, beta)
        nodes.append(theta)
        weights.append(S[0] ** 2)
    return SpectralDensity(np.array(nodes), np.array(weights), op.n)


def spectral_density(density: SpectralDensity, grid: Any, *, sigma: float) -> np.ndarray:
    """The SLQ spectral measure smoothed by a Gaussian of width ``sigma`` on a grid.

    Parameters
    ----------
    density : SpectralDensity
        From :func:`slq`.
    grid : array of shape (g,)
        Points x at which to evaluate.
    sigma : float
        Kernel width, ``> 0``.

    Returns
    -------
    ndarray of shape (g,)
        ``mean_probes sum_j w_j N(x; theta_j, sigma^2)``: a density that integrates
        to 1 over the real line.
    """
    where = "curvature.spectral_density"
    if not isinstance(density, SpectralDensity):
        raise _checks.fail(where, "density", "a SpectralDensity (from curvature.slq)",
                           type(density).__name__, exc=TypeError)
    x = _checks.as_host(grid, "grid", where, ndim=1)
    sigma = _checks.check_scalar(sigma, "sigma", where, min_val=0.0, strict_min=True)
    t = density.nodes.ravel()
    wts = density.weights.ravel() / density.nodes.shape[0]
    z = (x[:, None] - t[None, :]) / sigma
    return (np.exp(-0.5 * z * z) / (sigma * np.sqrt(2 * np.pi))) @ wts


@functools.partial(jax.jit, static_argnames=("apply", "n", "n_probes", "dtype"))
def _hutchinson_impl(data, key, *, apply, n, n_probes, dtype):
    Z = jax.random.rademacher(key, (n, n_probes), dtype=dtype)
    return jnp.sum(Z * apply(data, Z), axis=0)


def hutchinson_trace(A: Any, *, n_probes: int, key: jax.Array,
                     n: int | None = None) -> TraceEstimate:
    """Hutchinson's unbiased trace estimate ``tr A ~ mean_i z_i^T A z_i`` (Rademacher z).

    The variance of one probe is ``2 (||A||_F^2 - sum_i A_ii^2)``; all probes go
    through the operator as one block of ``n_probes`` columns.

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, or callable
        Square operator (symmetry not required); a callable needs ``n``.
    n_probes : int
        Number of probes, ``>= 2`` (for the standard error).
    key : PRNG key
    n : int, optional
        Size; required for a callable.

    Returns
    -------
    TraceEstimate

    Raises
    ------
    TypeError, ValueError
        Bad operator, ``n_probes < 2`` or bad key.

    References
    ----------
    * Hutchinson, M. F. (1989). A stochastic estimator of the trace of the influence
      matrix for Laplacian smoothing splines.
    """
    where = "curvature.hutchinson_trace"
    key = _checks.check_key(key, "key", where)
    op = as_operator(A, "A", where, n=n, symmetric=False)
    n_probes = _checks.check_int(n_probes, "n_probes", where, min_val=2)
    s = np.asarray(_hutchinson_impl(op.data, key, apply=op.apply, n=op.n, n_probes=n_probes,
                                    dtype=op.dtype), dtype=float)
    return TraceEstimate(float(s.mean()), float(s.std(ddof=1) / np.sqrt(n_probes)), s)
