"""Clustering: k-means and spectral clustering."""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks
from ._laplacians import spectral_embedding


class KMeansResult(NamedTuple):
    """Result of :func:`kmeans`.

    Attributes
    ----------
    labels : ndarray of int, shape (n,)
    centers : ndarray of shape (k, d)
    inertia : float
        Sum of squared distances to the assigned centre.
    converged : bool
        Lloyd's iterations reached a fixed point (no point changed cluster) in the kept run.
    n_iter : int
        Lloyd iterations of the kept run.
    n_changed : int
        Points that changed cluster in its last iteration (0 when converged).
    """

    labels: np.ndarray
    centers: np.ndarray
    inertia: float
    converged: bool
    n_iter: int
    n_changed: int


def _sqdist(X: jax.Array, C: jax.Array) -> jax.Array:
    return (jnp.sum(X**2, 1)[:, None] - 2 * X @ C.T + jnp.sum(C**2, 1)[None, :]).clip(0)


@jax.jit
def _kmeanspp(X: jax.Array, key: jax.Array, C0: jax.Array) -> jax.Array:
    n, k = X.shape[0], C0.shape[0]
    key, sub = jax.random.split(key)
    C = C0.at[0].set(X[jax.random.randint(sub, (), 0, n)])

    def body(j, state):
        C, key = state
        key, sub = jax.random.split(key)
        d2 = jnp.min(jnp.where(jnp.arange(k)[None, :] < j, _sqdist(X, C), jnp.inf), axis=1)
        p = d2 / jnp.maximum(d2.sum(), jnp.finfo(X.dtype).tiny)
        i = jax.random.choice(sub, n, p=p)
        return C.at[j].set(X[i]), key

    C, _ = jax.lax.fori_loop(1, k, body, (C, key))
    return C


@jax.jit
def _lloyd(X: jax.Array, C: jax.Array, n_iter: jax.Array):
    """Lloyd's iterations until no point changes cluster, or ``n_iter`` of them.

    Returns the centres, the squared distances to them, the iterations run and the number
    of points whose cluster changed in the last one.
    """
    k = C.shape[0]
    lab0 = jnp.argmin(_sqdist(X, C), axis=1)

    def body(state):
        C, lab, it, _ = state
        onehot = jax.nn.one_hot(lab, k, dtype=X.dtype)
        cnt = onehot.sum(0)
        new = (onehot.T @ X) / jnp.maximum(cnt, 1)[:, None]
        C = jnp.where(cnt[:, None] > 0, new, C)  # keep an empty cluster's centre
        new_lab = jnp.argmin(_sqdist(X, C), axis=1)
        return C, new_lab, it + 1, jnp.sum(new_lab != lab)

    def cond(state):
        return (state[2] < n_iter) & (state[3] > 0)

    C, _, it, changed = jax.lax.while_loop(cond, body, (C, lab0, 0, jnp.asarray(X.shape[0])))
    return C, _sqdist(X, C), it, changed


def kmeans(X: Any, k: int, *, key: jax.Array, n_init: int = 4, n_iter: int = 100) -> KMeansResult:
    """k-means (Lloyd's iterations) from k-means++ seeds; best of ``n_init`` restarts.

    Parameters
    ----------
    X : array of shape (n, d)
        Points.
    k : int
        Number of clusters, ``1 <= k <= n``.
    key : PRNG key
        Seeds the k-means++ draws.
    n_init : int
        Restarts; the lowest inertia wins.
    n_iter : int
        Most Lloyd iterations per restart; each stops early at a fixed point. A
        :class:`eigenbook.ConvergenceWarning` is emitted when the kept run did not reach one.

    Returns
    -------
    KMeansResult

    Raises
    ------
    TypeError, ValueError
        Invalid ``X`` or ``key``; ``k``, ``n_init`` or ``n_iter`` out of range.

    References
    ----------
    :cite:p:`arthur2007kmeans`

    See Also
    --------
    sklearn.cluster.KMeans : the reference.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.kmeans"
    key = _checks.check_key(key, "key", where)
    X = _checks.as_matrix(X, "X", where)
    k = _checks.check_rank(k, "k", where, upper=X.shape[0])
    n_init = _checks.check_int(n_init, "n_init", where, min_val=1)
    n_iter = _checks.check_int(n_iter, "n_iter", where, min_val=1)
    best = None
    C0 = jnp.zeros((k, X.shape[1]), X.dtype)
    for r in range(n_init):
        C = _kmeanspp(X, jax.random.fold_in(key, r), C0)
        C, d2, it, changed = _lloyd(X, C, jnp.asarray(n_iter))
        lab = jnp.argmin(d2, axis=1)
        inertia = float(jnp.sum(jnp.min(d2, axis=1)))
        if best is None or inertia < best.inertia:
            best = KMeansResult(np.asarray(lab), np.asarray(C), inertia, int(changed) == 0,
                                int(it), int(changed))
    if not best.converged:
        _checks.warn_unconverged(where, tol=0, reached=best.n_changed, n_iter=best.n_iter,
                                 what="points changing cluster in the last iteration",
                                 hint="Raise n_iter.")
    return best


def spectral_clustering(W: Any, k: int, *, key: jax.Array, n_vectors: int | None = None,
                        embedding: Any = None) -> np.ndarray:
    """Normalised spectral clustering (Ng–Jordan–Weiss).

    Embed with the first ``n_vectors`` eigenvectors of :math:`L_{sym}`, scale
    rows to unit length, and run :func:`kmeans`.

    Parameters
    ----------
    W : array or scipy.sparse matrix of shape (n, n)
        Symmetric non-negative weights.
    k : int
        Number of clusters.
    key : PRNG key
        Used for the eigensolver and k-means.
    n_vectors : int, optional
        Eigenvectors used, default ``k``.
    embedding : array of shape (n, m), optional
        Precomputed vectors (e.g. :func:`smooth_vectors`) used instead of eigenvectors.

    Returns
    -------
    ndarray of int, shape (n,)

    Raises
    ------
    TypeError, ValueError
        Invalid ``W``, ``key``, ``k`` or ``embedding``.

    References
    ----------
    :cite:p:`ng2001spectral,vonluxburg2007tutorial`

    See Also
    --------
    sklearn.cluster.SpectralClustering : the reference.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.spectral_clustering"
    key = _checks.check_key(key, "key", where)
    W = _checks.as_weights(W, "W", where)
    k = _checks.check_rank(k, "k", where, upper=W.shape[0])
    if embedding is None:
        m = k if n_vectors is None else _checks.check_int(n_vectors, "n_vectors", where,
                                                          min_val=1)
        V = np.asarray(spectral_embedding(W, m, key=jax.random.fold_in(key, 1)).eigenvectors)
    else:
        V = np.asarray(_checks.as_matrix(embedding, "embedding", where))
        if V.shape[0] != W.shape[0]:
            raise _checks.fail(where, "embedding", f"shape ({W.shape[0]}, m)",
                               f"shape {V.shape}")
    V = V / np.maximum(np.linalg.norm(V, axis=1, keepdims=True), 1e-300)
    return kmeans(V, k, key=jax.random.fold_in(key, 2)).labels
