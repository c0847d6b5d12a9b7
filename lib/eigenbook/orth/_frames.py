"""Frames in learning: the Welch bound, equiangular basis vectors, simplex ETFs, neural collapse."""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax

from eigenbook._checks import (
    as_indices,
    as_matrix,
    check_int,
    check_key,
    check_scalar,
    fail,
)


def welch_bound(N: int, d: int) -> float:
    """Welch's lower bound on the coherence of ``N`` unit vectors in :math:`\\mathbb R^d`.

    :math:`\\max_{i\\ne j}|\\langle v_i, v_j\\rangle| \\ge \\sqrt{(N-d)/(d(N-1))}` for
    :math:`N > d` (zero for :math:`N \\le d`: an orthonormal set). Equality holds
    exactly for equiangular tight frames.

    Parameters
    ----------
    N : int
        Number of vectors, ``>= 2``.
    d : int
        Dimension, ``>= 1``.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        Non-integer or too small sizes.

    References
    ----------
    :cite:p:`welch1974lower`

    Chapter :ref:`orthogonal-representations`.
    """
    where = "orth.welch_bound"
    N = check_int(N, "N", where, min_val=2)
    d = check_int(d, "d", where, min_val=1)
    return float(np.sqrt((N - d) / (d * (N - 1)))) if N > d else 0.0


@jax.jit
def _gram_unit(V):
    U = V / jnp.linalg.norm(V, axis=1, keepdims=True)
    return U @ U.T


def max_coherence(V: Any) -> float:
    """Largest :math:`|\\cos|` between two of the rows of ``V``.

    Parameters
    ----------
    V : array_like of shape (N, d)
        ``N >= 2`` nonzero vectors (rows).

    Returns
    -------
    float

    Raises
    ------
    TypeError
        ``V`` is not a numeric array.
    ValueError
        ``V`` is not a finite matrix with at least two nonzero rows.

    Notes
    -----
    Chapter :ref:`orthogonal-representations`.
    """
    where = "orth.max_coherence"
    V = as_matrix(V, "V", where)
    if V.shape[0] < 2:
        raise fail(where, "V", "at least two rows", f"shape {tuple(V.shape)}")
    if bool(jnp.any(jnp.linalg.norm(V, axis=1) == 0)):
        raise fail(where, "V", "nonzero rows", "a zero row")
    G = _gram_unit(V)
    return float(jnp.max(jnp.abs(G - jnp.diag(jnp.diag(G)))))


class EBVResult(NamedTuple):
    """What :func:`equiangular_vectors` returns.

    Attributes
    ----------
    V : array of shape (N, d)
        Unit vectors (rows).
    coherence : array of shape (n_steps,)
        The maximal :math:`|\\cos|` before each step (``V`` is the iterate of least coherence).
    """

    V: jax.Array
    coherence: jax.Array


@partial(jax.jit, static_argnames=("n_steps",))
def _ebv_impl(W0, alphas, lr, n_steps):
    opt = optax.adam(lr)
    N = W0.shape[0]
    off = 1.0 - jnp.eye(N, dtype=W0.dtype)

    def loss(W, alpha):
        return jnp.sum(off * jax.nn.relu(jnp.abs(_gram_unit(W)) - alpha))

    def step(carry, alpha):
        W, state, best, best_coh = carry
        coh = jnp.max(off * jnp.abs(_gram_unit(W)))
        better = coh < best_coh
        best = jnp.where(better, W, best)
        best_coh = jnp.where(better, coh, best_coh)
        upd, state = opt.update(jax.grad(loss)(W, alpha), state, W)
        W = optax.apply_updates(W, upd)
        W = W / jnp.linalg.norm(W, axis=1, keepdims=True)
        return (W, state, best, best_coh), coh

    init = (W0, opt.init(W0), W0, jnp.asarray(jnp.inf, W0.dtype))
    (_, _, best, _), coh = jax.lax.scan(step, init, alphas)
    return best, coh


def equiangular_vectors(N: int, d: int, *, key: jax.Array, n_steps: int = 2000,
                        lr: float = 1e-3, alpha: float | None = None) -> EBVResult:
    """Equiangular basis vectors: ``N`` unit vectors in :math:`\\mathbb R^d` with small coherence.

    The generation loop of :cite:t:`shen2023equiangular`: minimise
    :math:`\\sum_{i\\ne j}\\operatorname{relu}(|\\cos(v_i, v_j)| - \\alpha)` by
    gradient steps (Adam), renormalising the rows after each. Only pairs above the
    threshold :math:`\\alpha` are pushed apart. The threshold is lowered
    geometrically from 0.5 to ``alpha`` over the run (a continuation: a fixed small
    threshold pushes all pairs at once and the vectors collapse), and the iterate of
    least coherence is returned (below the reachable coherence the loop degrades).

    Parameters
    ----------
    N : int
        Number of vectors, ``>= 2``.
    d : int
        Dimension, ``>= 2``.
    key : PRNG key
        Draws the Gaussian initial vectors.
    n_steps : int
        Number of gradient steps.
    lr : float
        Adam step size.
    alpha : float, optional
        Final threshold, in [0, 1). Default: the Welch bound (:func:`welch_bound`),
        or 0.002 when ``N <= d`` (the paper's default).

    Returns
    -------
    EBVResult

    Raises
    ------
    TypeError, ValueError
        Bad sizes, ``lr <= 0``, ``alpha`` outside [0, 1), bad ``key``.

    References
    ----------
    :cite:p:`shen2023equiangular`

    Chapter :ref:`orthogonal-representations`.
    """
    where = "orth.equiangular_vectors"
    N = check_int(N, "N", where, min_val=2)
    d = check_int(d, "d", where, min_val=2)
    key = check_key(key, "key", where)
    n_steps = check_int(n_steps, "n_steps", where, min_val=1)
    lr = check_scalar(lr, "lr", where, min_val=0.0, strict_min=True)
    if alpha is None:
        alpha = max(welch_bound(N, d), 0.002)
    alpha = check_scalar(alpha, "alpha", where, min_val=0.0, max_val=1.0)
    if alpha >= 1.0:
        raise fail(where, "alpha", "a threshold in [0, 1)", repr(alpha))
    W0 = jax.random.normal(key, (N, d))
    W0 = W0 / jnp.linalg.norm(W0, axis=1, keepdims=True)
    start = max(0.5, alpha)
    alphas = start * (max(alpha, 1e-6) / start) ** (np.arange(n_steps) / max(n_steps - 1, 1))
    return EBVResult(*_ebv_impl(W0, jnp.asarray(np.maximum(alphas, alpha), W0.dtype), lr,
                                n_steps))


def simplex_etf(K: int, *, d: int | None = None) -> jax.Array:
    """The simplex equiangular tight frame: ``K`` unit vectors with cosines :math:`-1/(K-1)`.

    Rows of :math:`\\sqrt{K/(K-1)}\\,(I_K - \\tfrac1K\\mathbf 1\\mathbf 1^\\top)`, embedded in
    the first ``K`` coordinates of :math:`\\mathbb R^d` (zero-padded).

    Parameters
    ----------
    K : int
        Number of vectors, ``>= 2``.
    d : int, optional
        Dimension, ``>= K`` (default ``K``).

    Returns
    -------
    M : array of shape (K, d)

    Raises
    ------
    TypeError, ValueError
        Bad sizes.

    References
    ----------
    :cite:p:`papyan2020prevalence`

    Chapter :ref:`orthogonal-representations`.
    """
    where = "orth.simplex_etf"
    K = check_int(K, "K", where, min_val=2)
    d = K if d is None else check_int(d, "d", where, min_val=K)
    M = np.sqrt(K / (K - 1)) * (np.eye(K) - 1.0 / K)
    return jnp.asarray(np.hstack([M, np.zeros((K, d - K))]))


class CollapseMetrics(NamedTuple):
    """What :func:`neural_collapse_metrics` returns.

    Attributes
    ----------
    nc1 : float
        :math:`\\operatorname{tr}(\\Sigma_W\\Sigma_B^\\dagger)/K`: within-class variability
        relative to the between-class one (0 at collapse).
    means : array of shape (K, d)
        Class means, centred by the global mean when ``centre`` (with bias), raw otherwise.
    cosines : array of shape (K, K)
        Pairwise cosines of ``means``.
    norms : array of shape (K,)
        Lengths of ``means``.
    nc3 : float
        :math:`\\lVert W/\\lVert W\\rVert_F - M/\\lVert M\\rVert_F\\rVert_F` between the
        classifier rows and the means (``nan`` when no classifier is given).
    """

    nc1: float
    means: jax.Array
    cosines: jax.Array
    norms: jax.Array
    nc3: float


def neural_collapse_metrics(H: Any, labels: Any, *, W: Any = None,
                            centre: bool = True) -> CollapseMetrics:
    """Neural-collapse statistics of last-layer features (NC1, the geometry of the means, NC3).

    Parameters
    ----------
    H : array_like of shape (N, d)
        Features, one row per sample.
    labels : array_like of int, shape (N,)
        Classes ``0 .. K-1``, each present.
    W : array_like of shape (K, d), optional
        The last-layer classifier (rows per class).
    centre : bool
        Centre the class means by the global mean (the model with a bias). For a
        bias-free model, the raw means are the geometry of interest.

    Returns
    -------
    CollapseMetrics

    Raises
    ------
    TypeError, ValueError
        Bad arrays, labels outside ``0 .. K-1`` or a missing class, a shape mismatch.

    References
    ----------
    :cite:p:`papyan2020prevalence,dang2023neural`

    Chapter :ref:`orthogonal-representations`.
    """
    where = "orth.neural_collapse_metrics"
    H = np.asarray(as_matrix(H, "H", where))
    y = as_indices(labels, "labels", where, ndim=1)
    if y.shape[0] != H.shape[0]:
        raise fail(where, "labels", f"one label per row of H ({H.shape[0]})", f"{y.shape[0]}")
    K = int(y.max()) + 1
    if K < 2 or len(np.unique(y)) != K:
        raise fail(where, "labels", "classes 0 .. K-1, each present, K >= 2",
                   f"classes {np.unique(y).tolist()}")
    mu_g = H.mean(0)
    means = np.stack([H[y == k].mean(0) for k in range(K)])
    Mc = means - mu_g
    Sw = sum((H[y == k] - means[k]).T @ (H[y == k] - means[k]) for k in range(K)) / H.shape[0]
    Sb = Mc.T @ Mc / K
    nc1 = float(np.trace(Sw @ np.linalg.pinv(Sb, rcond=1e-10)) / K)
    M = Mc if centre else means
    norms = np.linalg.norm(M, axis=1)
    cos = (M @ M.T) / np.outer(norms, norms)
    nc3 = float("nan")
    if W is not None:
        W = np.asarray(as_matrix(W, "W", where))
        if W.shape != M.shape:
            raise fail(where, "W", f"shape {M.shape} (K, d)", f"shape {W.shape}")
        nc3 = float(np.linalg.norm(W / np.linalg.norm(W) - M / np.linalg.norm(M)))
    return CollapseMetrics(nc1, jnp.asarray(M), jnp.asarray(cos), jnp.asarray(norms), nc3)


class DeepLinearUFM(NamedTuple):
    """What :func:`train_deep_linear_ufm` returns.

    Attributes
    ----------
    H : array of shape (N, d)
        The learned (unconstrained) features, one row per sample.
    Ws : tuple of arrays
        The linear layers, applied as ``H @ Ws[0] @ ... @ Ws[-1]``; the last maps to ``K``.
    b : array of shape (K,)
        The bias (zeros when ``bias=False``).
    losses : array of shape (n_steps,)
    """

    H: jax.Array
    Ws: tuple
    b: jax.Array
    losses: jax.Array


def _ufm_loss(params, Y, wd_w, wd_h, use_bias):
    H, Ws, b = params
    out = H
    for W in Ws:
        out = out @ W
    out = out + (b if use_bias else 0.0)
    N = Y.shape[0]
    fit = 0.5 * jnp.sum((out - Y) ** 2) / N
    return fit + 0.5 * wd_w * sum(jnp.sum(W**2) for W in Ws) + 0.5 * wd_h * jnp.sum(H**2) / N


@partial(jax.jit, static_argnames=("n_steps", "use_bias"))
def _ufm_impl(params, Y, wd_w, wd_h, lr, n_steps, use_bias):
    opt = optax.adam(optax.exponential_decay(lr, n_steps, 1e-3))

    def step(carry, _):
        p, s = carry
        val, g = jax.value_and_grad(_ufm_loss)(p, Y, wd_w, wd_h, use_bias)
        if not use_bias:
            g = (g[0], g[1], jnp.zeros_like(g[2]))
        u, s = opt.update(g, s, p)
        return (optax.apply_updates(p, u), s), val

    (p, _), losses = jax.lax.scan(step, (params, opt.init(params)), None, length=n_steps)
    return p, losses


def train_deep_linear_ufm(counts: Any, *, d: int, depth: int = 1, bias: bool = True,
                          weight_decay: float = 1e-3, feature_decay: float = 1e-3,
                          n_steps: int = 20000, lr: float = 1e-2,
                          key: jax.Array) -> DeepLinearUFM:
    """Train the unconstrained-features model with ``depth`` linear layers (MSE, weight decay).

    Minimises :math:`\\frac1{2N}\\lVert H W_1\\cdots W_L + \\mathbf 1b^\\top - Y\\rVert_F^2
    + \\frac{\\lambda_W}2\\sum_l\\lVert W_l\\rVert_F^2 + \\frac{\\lambda_H}{2N}\\lVert H\\rVert_F^2`
    over the features :math:`H` (free), the layers and the bias, with one-hot targets
    :math:`Y`: the deep linear model of :cite:t:`dang2023neural`. Full batch, Adam with a
    step size decaying by :math:`10^3` over the run.

    Parameters
    ----------
    counts : array_like of int, shape (K,)
        Samples per class (``>= 1`` each, ``K >= 2``).
    d : int
        Width of the features and hidden layers, ``>= K``.
    depth : int
        Number of linear layers ``L >= 1``.
    bias : bool
        Learn the bias :math:`b` (otherwise fixed at 0).
    weight_decay, feature_decay : float
        :math:`\\lambda_W, \\lambda_H > 0`.
    n_steps : int
    lr : float
    key : PRNG key

    Returns
    -------
    DeepLinearUFM

    Raises
    ------
    TypeError, ValueError
        Bad counts, sizes, rates or key.

    References
    ----------
    :cite:p:`dang2023neural`

    Chapter :ref:`orthogonal-representations`.
    """
    where = "orth.train_deep_linear_ufm"
    counts = as_indices(counts, "counts", where, ndim=1)
    if counts.shape[0] < 2 or np.any(counts < 1):
        raise fail(where, "counts", "at least two classes with >= 1 sample each",
                   repr(counts.tolist()))
    K = counts.shape[0]
    d = check_int(d, "d", where, min_val=K)
    depth = check_int(depth, "depth", where, min_val=1)
    key = check_key(key, "key", where)
    wd_w = check_scalar(weight_decay, "weight_decay", where, min_val=0.0, strict_min=True)
    wd_h = check_scalar(feature_decay, "feature_decay", where, min_val=0.0, strict_min=True)
    n_steps = check_int(n_steps, "n_steps", where, min_val=1)
    lr = check_scalar(lr, "lr", where, min_val=0.0, strict_min=True)
    y = np.repeat(np.arange(K), counts)
    Y = jnp.asarray(np.eye(K)[y])
    ks = jax.random.split(key, depth + 1)
    H = 0.1 * jax.random.normal(ks[0], (y.shape[0], d))
    Ws = tuple(0.1 * jax.random.normal(k, (d, d if i < depth - 1 else K))
               for i, k in enumerate(ks[1:]))
    p, losses = _ufm_impl((H, Ws, jnp.zeros(K)), Y, wd_w, wd_h, lr, n_steps, bool(bias))
    return DeepLinearUFM(p[0], tuple(p[1]), p[2], losses)
