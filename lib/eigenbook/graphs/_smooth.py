"""Smooth vectors: low-frequency bases by filtered random vectors."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks, eigen
from .._results import fix_column_signs
from ._laplacians import laplacian


def smooth_vectors(W: Any, k: int, *, key: jax.Array, n_vectors: int | None = None,
                   n_sweeps: int = 30, omega: float = 2 / 3) -> eigen.EighResult:
    """Algebraically smooth vectors by relaxation, then Rayleigh–Ritz.

    Start from ``n_vectors`` random vectors and apply ``n_sweeps`` damped
    Jacobi sweeps to :math:`L_{sym} x = 0`,
    :math:`x \\leftarrow x - \\omega L_{sym} x`, which damp each eigencomponent
    by :math:`(1 - \\omega\\lambda)` per sweep. No orthogonalisation is done
    between sweeps (this is relaxation, not subspace iteration); a single
    Rayleigh–Ritz step on the final block returns k approximate lowest
    eigenpairs. This is the single-level core of bootstrap AMG's smooth
    vectors (the multilevel hierarchy is not built here). Too many sweeps
    lose the information: once every non-constant component has decayed below
    round-off relative to the constant one, the block has numerical rank 1.

    Parameters
    ----------
    W : array or scipy.sparse matrix of shape (n, n)
        Symmetric non-negative weights, no isolated vertex.
    k : int
        Ritz pairs returned.
    key : PRNG key
        Random starting vectors.
    n_vectors : int, optional
        Relaxed vectors, ``>= k``; default ``2 k``.
    n_sweeps : int
        Relaxation sweeps.
    omega : float
        Damping in (0, 1].

    Returns
    -------
    EighResult
        Ritz values (k,) ascending and vectors (n, k) of :math:`L_{sym}`, their
        residual norms, ``n_steps = n_sweeps``, ``converged`` (sqrt(eps) test).

    Raises
    ------
    TypeError, ValueError
        Invalid ``W`` or ``key``; counts or ``omega`` out of range.

    References
    ----------
    :cite:p:`dambra2021bootstrap,brandt2011bootstrap`

    See Also
    --------
    pyamg.aggregation.adaptive_sa_solver : adaptive AMG that builds smooth vectors.
    spectral_embedding : exact eigenvectors.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.smooth_vectors"
    key = _checks.check_key(key, "key", where)
    W = _checks.as_weights(W, "W", where)
    n = W.shape[0]
    k = _checks.check_rank(k, "k", where, upper=n)
    m = 2 * k if n_vectors is None else _checks.check_int(n_vectors, "n_vectors", where,
                                                          min_val=k, max_val=n)
    m = min(m, n)
    n_sweeps = _checks.check_int(n_sweeps, "n_sweeps", where, min_val=0)
    omega = _checks.check_scalar(omega, "omega", where, min_val=0.0, max_val=1.0,
                                 strict_min=True)
    Ls = laplacian(W, kind="normalized")
    Ls = (Ls + Ls.T) / 2
    X = np.asarray(jax.random.normal(key, (n, m), dtype=jnp.float64))
    for _ in range(n_sweeps):
        X = X - omega * (Ls @ X)
        X = X / np.linalg.norm(X, axis=0, keepdims=True)  # scaling only, no mixing
    Q, _ = np.linalg.qr(X)
    H = Q.T @ (Ls @ Q)
    w, S = np.linalg.eigh((H + H.T) / 2)
    V = Q @ S[:, :k]
    w = w[:k]
    res = np.linalg.norm(Ls @ V - V * w[None, :], axis=0)
    V = fix_column_signs(jnp.asarray(V))
    tol = float(np.finfo(np.float64).eps) ** 0.5
    return eigen.EighResult(jnp.asarray(w), V, jnp.asarray(res),
                            jnp.asarray(n_sweeps, jnp.int32),
                            jnp.asarray(res <= tol * max(float(np.max(np.abs(w))), 1e-300)))
