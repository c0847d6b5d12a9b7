"""Orthogonality in learning: Barlow Twins, λ-orthogonality, Householder steps."""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from eigenbook._checks import (
    as_array,
    as_matrix,
    check_int,
    check_key,
    check_scalar,
    fail,
)

from .. import nn
from ._manifold import _householder_impl


def _standardise(Z, eps=1e-6):
    return (Z - Z.mean(0)) / (Z.std(0) + eps)


def cross_correlation(Z1: Any, Z2: Any) -> jax.Array:
    """Cross-correlation matrix of two batches of embeddings, feature by feature.

    :math:`C_{ij} = \\frac1B\\sum_b \\tilde z^{(1)}_{bi}\\tilde z^{(2)}_{bj}` with each
    feature standardised over the batch (mean 0, standard deviation 1).

    Parameters
    ----------
    Z1, Z2 : array_like of shape (B, D)

    Returns
    -------
    C : array of shape (D, D)

    Raises
    ------
    TypeError, ValueError
        Not finite matrices of the same shape.

    References
    ----------
    :cite:p:`zbontar2021barlow`

    Chapter :ref:`orthogonal-representations`.
    """
    return _cross_correlation(Z1, Z2, "orth.cross_correlation")


def _cross_correlation(Z1, Z2, where):
    Z1 = as_matrix(Z1, "Z1", where)
    Z2 = as_matrix(Z2, "Z2", where)
    if Z1.shape != Z2.shape:
        raise fail(where, "Z2", f"shape {tuple(Z1.shape)} (that of Z1)", f"shape {tuple(Z2.shape)}")
    return _standardise(Z1).T @ _standardise(Z2) / Z1.shape[0]


def _bt_loss(C, lam):
    on = jnp.sum((1.0 - jnp.diagonal(C)) ** 2)
    off = jnp.sum(C**2) - jnp.sum(jnp.diagonal(C) ** 2)
    return on + lam * off


def barlow_twins_loss(Z1: Any, Z2: Any, *, lam: float = 5e-3) -> jax.Array:
    """The Barlow Twins objective :math:`\\sum_i(1 - C_{ii})^2 + \\lambda\\sum_{i\\ne j}C_{ij}^2`.

    The first term makes the two views' features agree (invariance), the second
    decorrelates different features (redundancy reduction); :math:`C` is
    :func:`cross_correlation`.

    Parameters
    ----------
    Z1, Z2 : array_like of shape (B, D)
        Embeddings of two distortions of the same batch.
    lam : float
        Weight of the off-diagonal term, ``>= 0`` (paper: 5e-3).

    Returns
    -------
    scalar array

    Raises
    ------
    TypeError, ValueError
        Bad arrays or ``lam < 0``.

    References
    ----------
    :cite:p:`zbontar2021barlow`

    Chapter :ref:`orthogonal-representations`.
    """
    where = "orth.barlow_twins_loss"
    lam = check_scalar(lam, "lam", where, min_val=0.0)
    return _bt_loss(_cross_correlation(Z1, Z2, where), lam)


def _shifted(X):
    """The nine circular shifts by (-1, 0, 1) pixels of each image: shape (N, 9, h·w)."""
    return jnp.stack([jnp.roll(X, (a, b), axis=(1, 2)).reshape(X.shape[0], -1)
                      for a in (-1, 0, 1) for b in (-1, 0, 1)], axis=1)


def _augment(X9, idx, key, noise):
    """A random one-pixel shift and Gaussian pixel noise for the images ``idx``."""
    kn, ks = jax.random.split(key)
    s = jax.random.randint(ks, idx.shape, 0, 9)
    V = X9[idx, s]
    return V + noise * jax.random.normal(kn, V.shape, V.dtype)


def _bt_train_loss(params, data, step_key):
    X9, lam, noise = data
    k1, k2, kb = jax.random.split(step_key, 3)
    idx = jax.random.choice(kb, X9.shape[0], (256,), replace=False)
    z1 = nn.mlp(params, _augment(X9, idx, k1, noise))
    z2 = nn.mlp(params, _augment(X9, idx, k2, noise))
    C = _standardise(z1).T @ _standardise(z2) / idx.shape[0]
    return _bt_loss(C, lam)


class BarlowResult(NamedTuple):
    """What :func:`barlow_twins_train` returns.

    Attributes
    ----------
    params : list of (W, b)
        The encoder (an :func:`eigenbook.nn.mlp`).
    losses : array of shape (n_steps,)
    """

    params: Any
    losses: jax.Array


def barlow_twins_train(images: Any, *, key: jax.Array, lam: float = 5e-3, dim: int = 32,
                       hidden: int = 128, n_steps: int = 1000, lr: float = 1e-3,
                       noise: float = 0.1) -> BarlowResult:
    """Train an MLP encoder on images with the Barlow Twins objective.

    Two views of a random batch of 256 images: Gaussian noise of standard deviation
    ``noise`` plus a random circular shift by up to one pixel each way. The encoder is
    :func:`eigenbook.nn.mlp` of widths ``(h·w, hidden, hidden, dim)``; training is
    :func:`eigenbook.nn.fit` with Adam.

    Parameters
    ----------
    images : array_like of shape (N, h, w)
        ``N >= 256`` images.
    key : PRNG key
    lam : float
        Off-diagonal weight (``0`` keeps only the invariance term).
    dim, hidden : int
        Embedding and hidden widths.
    n_steps : int
    lr : float
    noise : float

    Returns
    -------
    BarlowResult

    Raises
    ------
    TypeError, ValueError
        Bad images, sizes, rates or key.

    References
    ----------
    :cite:p:`zbontar2021barlow`

    Chapter :ref:`orthogonal-representations`.
    """
    where = "orth.barlow_twins_train"
    X = as_array(images, "images", where, ndim=3, rule="an array of shape (N, h, w)")
    if X.shape[0] < 256:
        raise fail(where, "images", "at least 256 images", f"{X.shape[0]}")
    key = check_key(key, "key", where)
    lam = check_scalar(lam, "lam", where, min_val=0.0)
    dim = check_int(dim, "dim", where, min_val=1)
    hidden = check_int(hidden, "hidden", where, min_val=1)
    n_steps = check_int(n_steps, "n_steps", where, min_val=1)
    lr = check_scalar(lr, "lr", where, min_val=0.0, strict_min=True)
    noise = check_scalar(noise, "noise", where, min_val=0.0)
    ki, kt = jax.random.split(key)
    params = nn.init_mlp((X.shape[1] * X.shape[2], hidden, hidden, dim), key=ki, dtype=X.dtype)
    res = nn.fit(_bt_train_loss, params, nn.adam(lr), n_steps=n_steps,
                 data=(_shifted(X), jnp.asarray(lam, X.dtype), jnp.asarray(noise, X.dtype)),
                 key=kt)
    return BarlowResult(res.params, res.losses)


def _lam_orth_loss(W, data):
    A, B, lam = data  # the fit (1/N)‖X_new W − X_old‖² up to a constant, from the Gram matrices
    eye = jnp.eye(W.shape[1], dtype=W.dtype)
    return jnp.trace(W.T @ A @ W) - 2.0 * jnp.trace(W.T @ B) + lam * jnp.sum((W.T @ W - eye) ** 2)


def lambda_orthogonal_map(X_new: Any, X_old: Any, *, lam: float, n_steps: int = 10000,
                          lr: float = 1e-2) -> jax.Array:
    """Affine map between representations with a λ-orthogonality penalty.

    Minimises :math:`\\frac1N\\lVert X_{\\text{new}}W - X_{\\text{old}}\\rVert_F^2
    + \\lambda\\lVert W^\\top W - I\\rVert_F^2` from the least-squares solution, by Adam
    (:func:`eigenbook.nn.fit`, step size decaying by :math:`10^2`) on the form of the
    loss that needs only the Gram matrices :math:`X_{\\text{new}}^\\top X_{\\text{new}}/N`
    and :math:`X_{\\text{new}}^\\top X_{\\text{old}}/N` (each step costs :math:`O(D^3)`,
    not :math:`O(ND^2)`). Scale the data to unit mean squared norm per sample. ``lam = 0`` is the
    affine (least-squares) map; as :math:`\\lambda\\to\\infty` the minimiser tends to the
    orthogonal Procrustes solution (:func:`procrustes`) :cite:p:`ricci2025lambda`.

    Parameters
    ----------
    X_new, X_old : array_like of shape (N, D)
        The two representations of the same samples.
    lam : float
        Penalty weight, ``>= 0``.
    n_steps : int
    lr : float

    Returns
    -------
    W : array of shape (D, D)

    Raises
    ------
    TypeError, ValueError
        Bad arrays, shapes, ``lam < 0``.

    References
    ----------
    :cite:p:`ricci2025lambda`

    Chapter :ref:`orthogonal-representations`.
    """
    where = "orth.lambda_orthogonal_map"
    Xn = as_matrix(X_new, "X_new", where)
    Xo = as_matrix(X_old, "X_old", where)
    if Xn.shape != Xo.shape:
        raise fail(where, "X_old", f"shape {tuple(Xn.shape)} (that of X_new)",
                   f"shape {tuple(Xo.shape)}")
    lam = check_scalar(lam, "lam", where, min_val=0.0)
    n_steps = check_int(n_steps, "n_steps", where, min_val=1)
    lr = check_scalar(lr, "lr", where, min_val=0.0, strict_min=True)
    N = Xn.shape[0]
    A, B = Xn.T @ Xn / N, Xn.T @ Xo / N
    W0 = jnp.linalg.lstsq(Xn, Xo)[0]
    opt = nn.adam(lr, decay_to=1e-2, n_steps=n_steps)
    res = nn.fit(_lam_orth_loss, W0, opt, n_steps=n_steps, data=(A, B, jnp.asarray(lam, Xn.dtype)))
    return res.params


class HouseholderFit(NamedTuple):
    """What :func:`householder_pca` returns.

    Attributes
    ----------
    Q : array of shape (n, r)
        The final frame.
    defect : array of shape (n_steps,)
        :math:`\\lVert Q_t^\\top Q_t - I\\rVert_2` after each step.
    objective : array of shape (n_steps,)
        :math:`\\operatorname{tr}(Q_t^\\top M Q_t)` after each step.
    """

    Q: jax.Array
    defect: jax.Array
    objective: jax.Array


@partial(jax.jit, static_argnames=("r", "n_steps", "penalised"))
def _hh_pca_impl(M, V0, r, lr, n_steps, penalised, mu):
    opt = optax.adam(lr)
    eye = jnp.eye(r, dtype=M.dtype)

    def frame(p):
        return p if penalised else _householder_impl(p, r)

    def loss(p):
        Q = frame(p)
        val = -jnp.trace(Q.T @ M @ Q)
        return val + (mu * jnp.sum((Q.T @ Q - eye) ** 2) if penalised else 0.0)

    def step(carry, _):
        p, s = carry
        u, s = opt.update(jax.grad(loss)(p), s, p)
        p = optax.apply_updates(p, u)
        Q = frame(p)
        return (p, s), (jnp.linalg.norm(Q.T @ Q - eye, 2), jnp.trace(Q.T @ M @ Q))

    (p, _), (defect, obj) = jax.lax.scan(step, (V0, opt.init(V0)), None, length=n_steps)
    return frame(p), defect, obj


def householder_pca(M: Any, r: int, *, key: jax.Array, k: int | None = None,
                    n_steps: int = 200, lr: float = 1e-2,
                    penalty: float | None = None) -> HouseholderFit:
    """Maximise :math:`\\operatorname{tr}(Q^\\top MQ)` by Adam over frames that are orthogonal.

    With ``penalty=None``, :math:`Q` is the Householder product of ``k`` free vectors
    (:func:`householder_orthogonal`) and every iterate has orthonormal columns. With a
    ``penalty`` :math:`\\mu`, :math:`Q` is a free ``n × r`` matrix and the loss adds the
    soft constraint :math:`\\mu\\lVert Q^\\top Q - I\\rVert_F^2` (the alternative the
    parameterisation replaces).

    Parameters
    ----------
    M : array_like of shape (n, n)
        Symmetric.
    r : int
        Frame size, ``1 <= r <= n``.
    key : PRNG key
        Draws the initial vectors (or, penalised, an initial orthonormal frame).
    k : int, optional
        Number of reflections, ``r <= k <= n`` (default ``r``).
    n_steps : int
    lr : float
    penalty : float, optional
        ``> 0``: train the penalised free matrix instead.

    Returns
    -------
    HouseholderFit

    Raises
    ------
    TypeError, ValueError
        Bad ``M``, sizes, rates or key.

    References
    ----------
    :cite:p:`song2023householder`

    Chapter :ref:`orthogonal-representations`.
    """
    where = "orth.householder_pca"
    M = as_matrix(M, "M", where, square=True)
    n = M.shape[0]
    r = check_int(r, "r", where, min_val=1, max_val=n)
    k = r if k is None else check_int(k, "k", where, min_val=r, max_val=n)
    key = check_key(key, "key", where)
    n_steps = check_int(n_steps, "n_steps", where, min_val=1)
    lr = check_scalar(lr, "lr", where, min_val=0.0, strict_min=True)
    if penalty is not None:
        penalty = check_scalar(penalty, "penalty", where, min_val=0.0, strict_min=True)
        P0, _ = jnp.linalg.qr(jax.random.normal(key, (n, r), M.dtype))
        return HouseholderFit(*_hh_pca_impl(M, P0, r, lr, n_steps, True, penalty))
    V0 = jax.random.normal(key, (k, n), M.dtype)
    return HouseholderFit(*_hh_pca_impl(M, V0, r, lr, n_steps, False, 0.0))
