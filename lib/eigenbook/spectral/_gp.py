"""Spectral mixture kernels (Wiener–Khinchin) and Kronecker-structured GP solves on grids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp

from .. import tensors
from .._checks import as_array, as_matrix, as_vector, check_scalar, check_symmetric, fail


def _mixture(weights, means, scales, where):
    w = as_vector(weights, "weights", where, allow_empty=False)
    m = as_vector(means, "means", where, size=w.shape[0])
    s = as_vector(scales, "scales", where, size=w.shape[0])
    if bool(jnp.any(w < 0)):
        raise fail(where, "weights", "non-negative weights", f"min {float(w.min()):.3g}")
    if bool(jnp.any(s <= 0)):
        raise fail(where, "scales", "positive scales", f"min {float(s.min()):.3g}")
    return w, m, s


@jax.jit
def _sm_kernel_impl(tau, w, m, s):
    t = tau[..., None]
    return (w * jnp.exp(-2 * jnp.pi**2 * s**2 * t**2) * jnp.cos(2 * jnp.pi * m * t)).sum(-1)


@jax.jit
def _sm_density_impl(f, w, m, s):
    x = f[..., None]
    norm = 1.0 / jnp.sqrt(2 * jnp.pi * s**2)
    g = norm * (jnp.exp(-0.5 * (x - m) ** 2 / s**2) + jnp.exp(-0.5 * (x + m) ** 2 / s**2))
    return (0.5 * w * g).sum(-1)


def spectral_mixture_kernel(tau, *, weights, means, scales) -> jax.Array:
    """The spectral mixture kernel :math:`k(\\tau) = \\sum_q w_q e^{-2\\pi^2\\sigma_q^2\\tau^2}
    \\cos(2\\pi\\mu_q\\tau)`.

    By the Wiener–Khinchin theorem a stationary covariance is the Fourier transform of its
    spectral density, :math:`k(\\tau) = \\int S(f) e^{2\\pi i f\\tau}\\,df`; for the
    symmetrised Gaussian mixture :func:`spectral_mixture_density` this is the kernel above
    :cite:p:`wilson2013gaussian`, the covariance of each input dimension in
    :cite:t:`fang2023solving`.

    Parameters
    ----------
    tau : array_like of any shape
        Lags :math:`x - x'` (real).
    weights : array_like of shape (Q,)
        Non-negative :math:`w_q` (the variance of each component).
    means : array_like of shape (Q,)
        Frequencies :math:`\\mu_q` (cycles per unit length).
    scales : array_like of shape (Q,)
        Positive spectral widths :math:`\\sigma_q`.

    Returns
    -------
    k : jax.Array of the shape of ``tau``

    Raises
    ------
    TypeError, ValueError
        Non-numeric, NaN/inf, mismatched lengths, negative weights or non-positive scales.
    """
    where = "spectral.spectral_mixture_kernel"
    t = as_array(tau, "tau", where)
    return _sm_kernel_impl(t, *_mixture(weights, means, scales, where))


def spectral_mixture_density(frequency, *, weights, means, scales) -> jax.Array:
    """Spectral density of :func:`spectral_mixture_kernel`: a symmetrised Gaussian mixture.

    :math:`S(f) = \\sum_q \\tfrac{w_q}{2}\\big[\\mathcal N(f; \\mu_q, \\sigma_q^2) +
    \\mathcal N(f; -\\mu_q, \\sigma_q^2)\\big]`, so that :math:`\\int S = k(0) = \\sum_q w_q`.

    Parameters
    ----------
    frequency : array_like of any shape
        Frequencies (cycles per unit length).
    weights, means, scales : array_like of shape (Q,)
        As :func:`spectral_mixture_kernel`.

    Returns
    -------
    S : jax.Array of the shape of ``frequency``

    Raises
    ------
    TypeError, ValueError
        As :func:`spectral_mixture_kernel`.
    """
    where = "spectral.spectral_mixture_density"
    f = as_array(frequency, "frequency", where)
    return _sm_density_impl(f, *_mixture(weights, means, scales, where))


@jax.jit
def _eigh_all(factors):
    return [jnp.linalg.eigh(K) for K in factors]


@jax.jit
def _outer_eigs(ws, noise):
    lam = jnp.ones(())
    for w in ws:
        lam = (lam[..., None] * w).reshape(-1)
    return lam + noise


def kron_gp_solve(factors: Sequence[Any], y, *, noise: float) -> jax.Array:
    """Solve :math:`(K_1 \\otimes \\cdots \\otimes K_d + \\sigma^2 I)\\,\\alpha = y` exactly.

    The covariance of a product kernel on a tensor grid is a Kronecker product
    :cite:p:`saatci2012scalable,fang2023solving`. With :math:`K_k = Q_k\\Lambda_k Q_k^\\top`,
    :math:`\\alpha = (\\otimes Q_k)\\,(\\otimes\\Lambda_k + \\sigma^2 I)^{-1}
    (\\otimes Q_k)^\\top y`:
    d small eigendecompositions and two Kronecker matrix–vector products
    (:func:`eigenbook.tensors.kron_matvec`), :math:`O(\\sum_k n_k^3 + N\\sum_k n_k)` for
    :math:`N = \\prod n_k` points, against :math:`O(N^3)` for a dense Cholesky, with no
    low-rank approximation. The posterior mean on the grid is
    ``tensors.kron_matvec(factors, alpha)``.

    Parameters
    ----------
    factors : sequence of d symmetric positive semi-definite arrays, the k-th (n_k, n_k)
        The kernel matrix of each grid axis.
    y : array_like of shape (n_1 ⋯ n_d,)
        Observations on the grid, C-order flattened (last axis fastest).
    noise : float
        The noise variance :math:`\\sigma^2 > 0`.

    Returns
    -------
    alpha : jax.Array of shape (n_1 ⋯ n_d,)

    Raises
    ------
    TypeError
        ``factors`` is not a sequence of matrices.
    ValueError
        A factor is not symmetric, ``y`` has the wrong length or NaN/inf, ``noise <= 0``.

    See Also
    --------
    scipy.linalg.cho_solve : the dense solve of ``np.kron(K_1, K_2) + noise I``.
    eigenbook.tensors.kron_sum_solve : the Kronecker-sum analogue.
    """
    where = "spectral.kron_gp_solve"
    if isinstance(factors, jax.Array) or not isinstance(factors, Sequence) or not factors:
        raise fail(where, "factors", "a non-empty sequence of matrices [K_1, ..., K_d]",
                   type(factors).__name__, exc=TypeError)
    Ks = [check_symmetric(as_matrix(K, "factors", where, square=True), "factors", where)
          for K in factors]
    N = 1
    for K in Ks:
        N *= K.shape[0]
    y = as_vector(y, "y", where, size=N)
    noise = check_scalar(noise, "noise", where, min_val=0.0, strict_min=True)
    eig = _eigh_all(Ks)
    z = tensors.kron_matvec([Q.T for _, Q in eig], y)
    z = z / _outer_eigs([w for w, _ in eig], noise)
    return tensors.kron_matvec([Q for _, Q in eig], z)
