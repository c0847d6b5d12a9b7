"""Gaussian-process factors for continuous indices: the Matérn-3/2 GP as a state-space model.

A Matérn-3/2 GP is the first component of the linear SDE
:math:`d(f, f')^\\top = F (f, f')^\\top dt + L\\, dW`; on sorted inputs its posterior is a
Kalman filter plus a Rauch–Tung–Striebel smoother, :math:`O(N)` instead of the dense
:math:`O(N^3)` solve :cite:p:`hartikainen2010kalman`. Functional Bayesian Tucker
:cite:p:`fang2024functional` puts such priors on the factor functions of a Tucker model.
"""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

from .._checks import as_array, as_vector, check_int, check_scalar, fail


class GPPosterior(NamedTuple):
    """Posterior marginals of a GP at its inputs.

    Attributes
    ----------
    mean : jax.Array of shape (N,)
    variance : jax.Array of shape (N,)
    """

    mean: jax.Array
    variance: jax.Array


class FunctionalTucker(NamedTuple):
    """A rank-(1, ..., 1) functional Tucker model :math:`y \\approx \\prod_k u_k(t_k)`.

    Attributes
    ----------
    train_factors : jax.Array of shape (N, d)
        :math:`u_k(t_{n,k})` at the training indices.
    test_factors : jax.Array of shape (M, d)
        :math:`u_k` at the test indices (posterior means).
    train_prediction : jax.Array of shape (N,)
    test_prediction : jax.Array of shape (M,)
    n_iter : int
        Alternating sweeps.
    """

    train_factors: jax.Array
    test_factors: jax.Array
    train_prediction: jax.Array
    test_prediction: jax.Array
    n_iter: int


def _matern32_kernel(tau, lengthscale, variance):
    r = jnp.sqrt(3.0) * jnp.abs(tau) / lengthscale
    return variance * (1 + r) * jnp.exp(-r)


def _transition(dt, lam):
    # exp(F dt), F = [[0, 1], [-lam^2, -2 lam]]: closed form for the double eigenvalue -lam
    e = jnp.exp(-lam * dt)
    return e[..., None, None] * jnp.stack([
        jnp.stack([1 + lam * dt, dt], -1),
        jnp.stack([-lam**2 * dt, 1 - lam * dt], -1)], -2)


@jax.jit
def _smoother(t, y, scale, noise, lengthscale, variance):
    lam = jnp.sqrt(3.0) / lengthscale
    Pinf = jnp.diag(jnp.stack([variance, lam**2 * variance]))
    dts = jnp.diff(t, prepend=t[:1])
    As = _transition(dts, lam)
    Qs = Pinf[None] - As @ Pinf[None] @ jnp.swapaxes(As, -1, -2)

    def filt(carry, inp):
        m, P = carry
        A, Q, yk, sk, rk = inp
        m = A @ m
        P = A @ P @ A.T + Q
        Ph = sk * P[:, 0]                 # P h, h = (s, 0)
        S = sk * Ph[0] + rk
        K = Ph / S
        m = m + K * (yk - sk * m[0])
        P = P - jnp.outer(K, Ph)
        P = (P + P.T) / 2
        return (m, P), (m, P)

    init = (jnp.zeros(2, t.dtype), Pinf - Qs[0])  # first step: A = I, Q = 0 -> prior Pinf
    _, (ms, Ps) = jax.lax.scan(filt, init, (As, Qs, y, scale, noise))

    def back(carry, inp):
        ms_next, Ps_next = carry
        m, P, A_next, Q_next = inp
        Pp = A_next @ P @ A_next.T + Q_next
        G = jnp.linalg.solve(Pp, A_next @ P).T   # P A^T Pp^{-1} (Pp symmetric)
        m_s = m + G @ (ms_next - A_next @ m)
        P_s = P + G @ (Ps_next - Pp) @ G.T
        return (m_s, P_s), (m_s, P_s)

    last = (ms[-1], Ps[-1])
    _, (msb, Psb) = jax.lax.scan(back, last, (ms[:-1], Ps[:-1], As[1:], Qs[1:]), reverse=True)
    mean = jnp.concatenate([msb[:, 0], ms[-1:, 0]])
    var = jnp.concatenate([Psb[:, 0, 0], Ps[-1:, 0, 0]])
    return mean, var


def _per_point(x, name, where, t):
    """A float or an array of shape (N,), as an array of shape (N,)."""
    x = as_array(x, name, where, ndim=(0, 1), rule=f"a float or an array of shape ({t.shape[0]},)")
    if x.ndim == 1 and x.shape[0] != t.shape[0]:
        raise fail(where, name, f"a float or an array of shape ({t.shape[0]},)",
                   f"shape {tuple(x.shape)}")
    return jnp.broadcast_to(x.astype(t.dtype), t.shape)


def _gp_args(t, y, where, lengthscale, variance, noise, scale):
    t = as_vector(t, "t", where)
    y = as_vector(y, "y", where, size=t.shape[0])
    lengthscale = check_scalar(lengthscale, "lengthscale", where, min_val=0.0, strict_min=True)
    variance = check_scalar(variance, "variance", where, min_val=0.0, strict_min=True)
    noise = _per_point(noise, "noise", where, t)
    if bool(jnp.any(noise <= 0)):
        raise fail(where, "noise", "noise variances > 0", f"min {float(noise.min()):.3g}")
    scale = jnp.ones_like(t) if scale is None else _per_point(scale, "scale", where, t)
    return t, y, lengthscale, variance, noise, scale


def gp_state_space(t, y, *, lengthscale: float, variance: float = 1.0, noise: Any = 1e-2,
                   scale: Any = None) -> GPPosterior:
    """Posterior of a Matérn-3/2 GP by Kalman filtering and RTS smoothing, :math:`O(N)`.

    Model: :math:`y_n = s_n f(t_n) + \\varepsilon_n`, :math:`\\varepsilon_n \\sim
    N(0, \\sigma_n^2)`, :math:`f \\sim GP(0, k)` with
    :math:`k(\\tau) = v (1 + \\sqrt3|\\tau|/\\ell) e^{-\\sqrt3|\\tau|/\\ell}`. The Matérn-3/2
    GP is the SDE with state :math:`(f, f')`, drift :math:`F = [[0, 1], [-\\lambda^2,
    -2\\lambda]]`, :math:`\\lambda = \\sqrt3/\\ell`; between sorted inputs it moves by
    :math:`A = e^{F\\Delta t}` with noise :math:`P_\\infty - A P_\\infty A^\\top`
    :cite:p:`hartikainen2010kalman,sarkka2019applied`. One ``lax.scan`` filters forward,
    one smooths backward. A point with ``scale = 0`` carries no data: the smoother returns
    the prediction there (how test points are handled).

    Parameters
    ----------
    t : array_like of shape (N,)
        Inputs, any order (sorted inside; ties allowed).
    y : array_like of shape (N,)
    lengthscale, variance : float
        Kernel parameters ``> 0``.
    noise : float or array_like of shape (N,)
        Noise variances ``> 0``.
    scale : float or array_like of shape (N,), optional
        Known multipliers :math:`s_n` (default 1).

    Returns
    -------
    GPPosterior
        ``mean`` and ``variance`` of :math:`f(t_n)`, shape (N,), in the input order.

    Raises
    ------
    ValueError
        Shapes differ, NaN/inf, non-positive parameters.

    See Also
    --------
    gp_dense : the same posterior by a Cholesky solve, :math:`O(N^3)`.
    sklearn.gaussian_process.GaussianProcessRegressor : the dense reference.
    """
    where = "tensors.gp_state_space"
    t, y, ell, v, noise, scale = _gp_args(t, y, where, lengthscale, variance, noise, scale)
    order = jnp.argsort(t)
    mean, var = _smoother(t[order], y[order], scale[order], noise[order], ell, v)
    inv = jnp.argsort(order)
    return GPPosterior(mean[inv], var[inv])


@jax.jit
def _dense(t, y, scale, noise, lengthscale, variance):
    K = _matern32_kernel(t[:, None] - t[None, :], lengthscale, variance)
    Ks = K * scale[None, :]
    C = scale[:, None] * Ks + jnp.diag(noise)
    L = jnp.linalg.cholesky(C)
    alpha = jax.scipy.linalg.cho_solve((L, True), y)
    mean = Ks @ alpha
    W = jax.scipy.linalg.solve_triangular(L, Ks.T, lower=True)
    var = variance - jnp.sum(W**2, axis=0)
    return mean, var


def gp_dense(t, y, *, lengthscale: float, variance: float = 1.0, noise: Any = 1e-2,
             scale: Any = None) -> GPPosterior:
    """The posterior of :func:`gp_state_space` by the dense Cholesky solve, :math:`O(N^3)`.

    :math:`\\mu = K S (S K S + \\Sigma)^{-1} y`, :math:`\\operatorname{var} =
    \\operatorname{diag}(K - K S (S K S + \\Sigma)^{-1} S K)` with :math:`S =
    \\operatorname{diag}(s)`, :math:`\\Sigma = \\operatorname{diag}(\\sigma^2)`
    :cite:p:`rasmussen2006gaussian`.

    Parameters
    ----------
    t, y, lengthscale, variance, noise, scale
        As in :func:`gp_state_space`.

    Returns
    -------
    GPPosterior
        ``mean`` and ``variance``, shape (N,).

    Raises
    ------
    ValueError
        As in :func:`gp_state_space`.
    """
    where = "tensors.gp_dense"
    t, y, ell, v, noise, scale = _gp_args(t, y, where, lengthscale, variance, noise, scale)
    return GPPosterior(*_dense(t, y, scale, noise, ell, v))


@partial(jax.jit, static_argnames=("n_iter",))
def _funtucker_impl(T_all, y, noise, lengthscale, variance, n_iter):
    N = y.shape[0]
    d = T_all.shape[1]
    M = T_all.shape[0] - N
    scale_mask = jnp.concatenate([jnp.ones(N), jnp.zeros(M)])
    y_all = jnp.concatenate([y, jnp.zeros(M)])
    U = jnp.ones((T_all.shape[0], d))

    def sweep(U, _):
        for k in range(d):
            others = jnp.prod(jnp.where(jnp.arange(d)[None, :] == k, 1.0, U), axis=1)
            s = others * scale_mask
            order = jnp.argsort(T_all[:, k])
            inv = jnp.argsort(order)
            mean, _ = _smoother(T_all[order, k], y_all[order], s[order],
                                jnp.full_like(s, noise), lengthscale, variance)
            U = U.at[:, k].set(mean[inv])
        # balance the scales of the factors (the model only sees their product)
        norms = jnp.sqrt(jnp.mean(U[:N] ** 2, axis=0)) + 1e-300
        g = jnp.prod(norms) ** (1.0 / d)
        return U * (g / norms)[None, :], None

    U, _ = jax.lax.scan(sweep, U, None, length=n_iter)
    return U


def functional_tucker(indices, y, test_indices, *, lengthscale: float, noise: float,
                      variance: float = 1.0, n_iter: int = 30) -> FunctionalTucker:
    """Rank-(1, ..., 1) functional Tucker with state-space GP factors, fitted by alternation.

    The model of :cite:t:`fang2024functional` with Tucker rank one: :math:`y_n = \\prod_k
    u_k(t_{n,k}) + \\varepsilon_n` with a Matérn-3/2 GP prior on every factor function
    :math:`u_k`. With the other factors fixed, :math:`u_k` is a GP observed through the known
    multipliers :math:`s_n = \\prod_{j\\ne k} u_j(t_{n,j})`, whose posterior mean
    :func:`gp_state_space` computes in :math:`O(N)` (test indices ride along with
    :math:`s = 0`). Each sweep updates every factor once (block-coordinate MAP). This is a
    simplification of the paper, which uses higher Tucker ranks and conditional expectation
    propagation for full posteriors.

    Parameters
    ----------
    indices : array_like of shape (N, d)
        Continuous training indices.
    y : array_like of shape (N,)
    test_indices : array_like of shape (M, d)
    lengthscale, noise, variance : float
        Matérn-3/2 lengthscale, observation-noise variance and prior variance, ``> 0``.
    n_iter : int
        Alternating sweeps, ``>= 1``.

    Returns
    -------
    FunctionalTucker

    Raises
    ------
    ValueError
        Shapes disagree, NaN/inf, non-positive parameters.
    """
    where = "tensors.functional_tucker"
    X = as_array(indices, "indices", where, ndim=2, rule="an array of shape (N, d)")
    Xt = as_array(test_indices, "test_indices", where, ndim=2, rule="an array of shape (M, d)")
    if Xt.shape[1] != X.shape[1]:
        raise fail(where, "test_indices", f"shape (M, {X.shape[1]})", f"shape {tuple(Xt.shape)}")
    y = as_vector(y, "y", where, size=X.shape[0])
    ell = check_scalar(lengthscale, "lengthscale", where, min_val=0.0, strict_min=True)
    noise = check_scalar(noise, "noise", where, min_val=0.0, strict_min=True)
    var = check_scalar(variance, "variance", where, min_val=0.0, strict_min=True)
    n_iter = check_int(n_iter, "n_iter", where, min_val=1)
    T_all = jnp.concatenate([X, Xt])
    U = _funtucker_impl(T_all, y, noise, ell, var, n_iter)
    N = X.shape[0]
    pred = jnp.prod(U, axis=1)
    return FunctionalTucker(U[:N], U[N:], pred[:N], pred[N:], n_iter)


def matern32_kernel(tau, *, lengthscale: float, variance: float = 1.0) -> jax.Array:
    """The Matérn-3/2 covariance :math:`v (1 + \\sqrt3|\\tau|/\\ell) e^{-\\sqrt3|\\tau|/\\ell}`.

    Parameters
    ----------
    tau : array_like of any shape
        Lags.
    lengthscale, variance : float
        ``> 0``.

    Returns
    -------
    jax.Array of the shape of ``tau``

    Raises
    ------
    ValueError
        Non-positive parameters or NaN/inf lags.
    """
    where = "tensors.matern32_kernel"
    tau = as_array(tau, "tau", where)
    ell = check_scalar(lengthscale, "lengthscale", where, min_val=0.0, strict_min=True)
    v = check_scalar(variance, "variance", where, min_val=0.0, strict_min=True)
    return _matern32_kernel(tau, ell, v)

