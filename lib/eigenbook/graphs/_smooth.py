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
                   n_sweeps: int = 30, omega: float = 2 / 3,
                   tol: float | None = None) -> eigen.EighResult:
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
    Smooth vectors are approximations by design: the residual test (``tol``)
    reports how far the Ritz pairs are from eigenpairs, and a
    :class:`eigenbook.ConvergenceWarning` says when some pair misses it. Zero
    sweeps is the Rayleigh–Ritz of the random start (the baseline the sweeps
    improve on).

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
        Relaxation sweeps, ``>= 0``.
    omega : float
        Damping in (0, 1].
    tol : float, optional
        Residual tolerance of ``converged``, ``> 0``: pair i is converged when
        ``||L_sym v_i - theta_i v_i|| <= tol``. As ``||L_sym||_2`` lies in [1, 2]
        for every graph with an edge, this is the eigensolvers' ``||A||``-relative
        test to within a factor 2 (a test relative to ``theta`` would be
        meaningless for the eigenvalue 0). Default sqrt(eps) (1.5e-8); a looser
        tol states how smooth is smooth enough.

    Returns
    -------
    EighResult
        Ritz values (k,) ascending and vectors (n, k) of :math:`L_{sym}`, their
        residual norms (k,), ``n_steps = n_sweeps``, ``converged`` (k,) (the
        ``tol`` test above).

    Warns
    -----
    eigenbook.ConvergenceWarning
        When some Ritz pair's relative residual is above ``tol``.

    Raises
    ------
    TypeError, ValueError
        Invalid ``W`` or ``key``; counts, ``omega`` or ``tol`` out of range.

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
    tol = _checks.check_tol(tol, np.float64, where)
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
    conv = res <= tol  # ||L_sym|| is in [1, 2]: absolute = norm-relative within 2
    if not np.all(conv):
        _checks.warn_unconverged(where, tol=tol, reached=float(np.max(res)),
                                 what="residual",
                                 hint=f"(n_sweeps={n_sweeps}) Smooth vectors are approximate "
                                      "by design: pass a looser tol, or more sweeps / "
                                      "n_vectors.")
    return eigen.EighResult(jnp.asarray(w), V, jnp.asarray(res),
                            jnp.asarray(n_sweeps, jnp.int32), jnp.asarray(conv))
