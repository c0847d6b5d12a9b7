"""Learned nested bases."""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks, nn


class LearnedBasis(NamedTuple):
    """Result of :func:`learn_nested_basis`.

    Attributes
    ----------
    basis : ndarray of shape (n, K)
        Orthonormal columns, ordered (the first j span the best j-dimensional space).
    energies : ndarray of shape (K,)
        Mean probe energy :math:`E[(q_j^\\top f)^2] = \\lVert S^\\top q_j \\rVert^2`
        captured by each column (the implied spectrum of the probe covariance).
    loss_history : ndarray of shape (n_steps,)
        Nested reconstruction loss per step (relative to the probes' energy).
    """

    basis: np.ndarray
    energies: np.ndarray
    loss_history: np.ndarray


def _nested_loss(B: jax.Array, P: jax.Array) -> jax.Array:
    # QR keeps nested spans: span Q[:, :j] = span B[:, :j] for every j.
    Q, _ = jnp.linalg.qr(B)
    K = B.shape[1]
    captured = jnp.sum((Q.T @ P) ** 2, axis=1)  # (K,)
    total = jnp.sum(P**2)
    # sum_j ||P - Q_j Q_j^T P||^2 / (K ||P||^2): column i is counted K - i times.
    return 1.0 - jnp.sum(jnp.arange(K, 0, -1) * captured) / (K * total)


_PROBES_PER_STEP = 64


def _probe_loss(B: jax.Array, S: jax.Array, key: jax.Array) -> jax.Array:
    """Nested loss on a fresh batch of probes ``S z`` (the loss of :func:`nn.fit`)."""
    P = S @ jax.random.normal(key, (S.shape[0], _PROBES_PER_STEP), dtype=S.dtype)
    return _nested_loss(B, P)


def learn_nested_basis(S: Any, K: int, *, key: jax.Array, n_steps: int = 3000,
                       learning_rate: float = 0.05) -> LearnedBasis:
    """Learn an ordered basis by minimising the nested reconstruction error of probes.

    Probe functions are :math:`f = S z` with white noise :math:`z \\sim N(0, I)`
    (e.g. S a Gaussian smoothing kernel on the sample points). A free matrix
    B (n, K) is trained by Adam (optax, through :func:`eigenbook.nn.fit`), 64 fresh probes a
    step, on

    .. math::

        \\frac{1}{K}\\sum_{j=1}^{K}
        E\\,\\lVert f - Q_j Q_j^\\top f\\rVert^2 / E\\,\\lVert f\\rVert^2,

    where :math:`Q_j` is the first j columns of the QR factor of B. No operator
    is diagonalised: the minimiser is, in order, the top eigenvectors of the
    probe covariance :math:`S S^\\top`, which for a heat-like smoothing
    kernel are the Laplace–Beltrami eigenfunctions. The learning rate decays
    geometrically to ``learning_rate / 100``.

    Parameters
    ----------
    S : array of shape (n, n)
        Probe generator.
    K : int
        Basis size, ``1 <= K <= n``.
    key : PRNG key
        Initial basis and probes.
    n_steps : int
        Adam steps.
    learning_rate : float
        Initial learning rate, ``> 0``.

    Returns
    -------
    LearnedBasis

    Raises
    ------
    TypeError, ValueError
        Invalid ``S`` or ``key``; counts or ``learning_rate`` out of range.

    References
    ----------
    :cite:p:`velich2025learning`

    See Also
    --------
    sklearn.decomposition.PCA : the closed-form minimiser for the same probes.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.learn_nested_basis"
    key = _checks.check_key(key, "key", where)
    S = _checks.as_matrix(S, "S", where, square=True)
    n = S.shape[0]
    K = _checks.check_rank(K, "K", where, upper=n)
    n_steps = _checks.check_int(n_steps, "n_steps", where, min_val=1)
    lr = _checks.check_scalar(learning_rate, "learning_rate", where, min_val=0.0,
                              strict_min=True)
    k0, k1 = jax.random.split(key)
    B0 = jax.random.normal(k0, (n, K), dtype=S.dtype)
    adam = nn.adam(float(lr), eps=1e-12, decay_to=0.01, n_steps=n_steps)
    B, losses, _ = nn.fit(_probe_loss, B0, adam, n_steps=n_steps, data=S, key=k1)
    Q, _ = jnp.linalg.qr(B)
    energies = jnp.sum((S.T @ Q) ** 2, axis=0)  # E (q^T S z)^2 = ||S^T q||^2, exactly
    return LearnedBasis(np.asarray(Q), np.asarray(energies), np.asarray(losses))
