"""Shared pieces of the graph family: validation of weights, degrees, the key bridge."""

from __future__ import annotations

from typing import Any

import jax
import numpy as np
import scipy.sparse as sp

from .. import _checks

KINDS = ("combinatorial", "normalized", "random_walk")


def _numpy_rng(key: jax.Array) -> np.random.Generator:
    """A NumPy generator seeded from a JAX key (for host-side sampling)."""
    seed = np.asarray(jax.random.key_data(jax.random.fold_in(key, 0))).astype(np.uint64)
    return np.random.default_rng(seed.tolist())


def _as_weights(W: Any, where: str, name: str = "W") -> sp.csr_array | np.ndarray:
    """Validate a weight matrix: square, finite, symmetric, non-negative.

    Returns a ``csr_array`` for sparse input and a float64 ``ndarray`` otherwise.
    """
    if sp.issparse(W):
        if W.ndim != 2 or W.shape[0] != W.shape[1] or W.shape[0] == 0:
            raise _checks.fail(where, name, "a non-empty square matrix of shape (n, n)",
                               f"shape {tuple(W.shape)}")
        if W.dtype.kind not in "iuf":
            raise _checks.fail(where, name, "a real weight matrix", f"dtype {W.dtype}",
                               exc=TypeError)
        S = sp.csr_array(W, dtype=np.float64)
        S.sum_duplicates()
        _checks.check_finite(S.data, name, where)
        data = S.data
        asym = abs(S - S.T).max() if S.nnz else 0.0
    else:
        S = np.asarray(_checks.as_matrix(W, name, where, square=True), dtype=np.float64)
        data = S
        asym = float(np.max(np.abs(S - S.T)))
    if data.size and float(np.min(data)) < 0:
        raise _checks.fail(where, name, "non-negative weights",
                           f"min weight {float(np.min(data)):.3g}")
    scale = float(np.max(np.abs(data))) if data.size else 0.0
    if asym > 1e-12 * max(scale, 1e-300):
        raise _checks.fail(where, name, "a symmetric weight matrix",
                           f"max |W - W^T| = {asym:.2e}",
                           "Symmetrise it, e.g. (W + W.T) / 2 or W.maximum(W.T).")
    return S


def degrees(W: Any) -> np.ndarray:
    """Weighted degrees d_i = sum_j w_ij.

    Parameters
    ----------
    W : array or scipy.sparse matrix of shape (n, n)
        Symmetric non-negative weights.

    Returns
    -------
    ndarray of shape (n,)

    Raises
    ------
    TypeError, ValueError
        ``W`` not a square, symmetric, non-negative, finite real matrix.

    See Also
    --------
    scipy.sparse.csgraph.laplacian : returns the degrees with ``return_diag``.
    Explained in chapter 07_graph_spectra.
    """
    W = _as_weights(W, "graphs.degrees")
    return np.asarray(W.sum(axis=1)).ravel()


def _positive_degrees(W: Any, where: str) -> np.ndarray:
    d = np.asarray(W.sum(axis=1)).ravel()
    if np.any(d <= 0):
        raise _checks.fail(where, "W", "a graph without isolated vertices (all degrees > 0)",
                           f"{int(np.sum(d <= 0))} vertices of degree 0",
                           "Drop them or add self-loops.")
    return d
