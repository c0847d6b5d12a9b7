"""Seeded input generators and accuracy measures shared by the benchmark files.

The inputs are made here, with numpy and scipy only, so that no case measures the
book on data the book itself produced (the chapters use ``eigenbook.data``).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def rng(seed: int, salt: int) -> np.random.Generator:
    return np.random.default_rng([seed, salt])


def sparse_symmetric(n: int, seed: int, *, nnz_per_row: int = 8, noise: float = 0.05):
    """A sparse symmetric matrix: the diagonal (1 + i)^(-1/2) plus symmetric sparse noise
    (about ``2 * nnz_per_row`` off-diagonal entries per row, standard deviation
    ``noise / sqrt(nnz_per_row)``), as a CSR array."""
    g = rng(seed, 1)
    rows = np.repeat(np.arange(n), nnz_per_row)
    cols = g.integers(0, n, n * nnz_per_row)
    vals = g.standard_normal(n * nnz_per_row) * noise / np.sqrt(nnz_per_row)
    E = sp.coo_array((vals, (rows, cols)), shape=(n, n)).tocsr()
    A = sp.diags_array((1.0 + np.arange(n)) ** -0.5) + (E + E.T) / 2
    return sp.csr_array(A)


def sparse_rectangular(m: int, n: int, seed: int, *, density: float = 1e-3):
    """A sparse m×n matrix with Gaussian entries at random positions, its columns scaled by
    (1 + j)^(-1/2): a spread-out top of the spectrum, like a tf-idf matrix."""
    g = rng(seed, 2)
    S = sp.random_array((m, n), density=density, format="csr", rng=g,
                        data_sampler=g.standard_normal)
    return sp.csr_array(S @ sp.diags_array((1.0 + np.arange(n)) ** -0.5))


def haar(m: int, n: int, g: np.random.Generator) -> np.ndarray:
    """An m×n matrix with orthonormal columns, Haar distributed (QR with signs fixed)."""
    Q, R = np.linalg.qr(g.standard_normal((m, n)))
    return Q * np.sign(np.diag(R))


def with_singular_values(m: int, n: int, s: np.ndarray, seed: int, salt: int):
    """``(A, U, V)`` with ``A = U diag(s) V^T``, U and V Haar-distributed."""
    g = rng(seed, salt)
    U, V = haar(m, len(s), g), haar(n, len(s), g)
    return (U * s) @ V.T, U, V


def descending(w, V):
    w, V = np.asarray(w), np.asarray(V)
    order = np.argsort(-w)
    return w[order], V[:, order]


def largest_angle(X, Y) -> float:
    """Largest principal angle (radians) between the column spans of X and Y."""
    Qx, Qy = np.linalg.qr(np.asarray(X))[0], np.linalg.qr(np.asarray(Y))[0]
    c = np.linalg.svd(Qx.T @ Qy, compute_uv=False)
    return float(np.arccos(np.clip(c.min(), -1.0, 1.0)))


def converged(out) -> dict:
    """``{"converged": ...}`` for a result that reports it (the book's), else ``{}``."""
    if hasattr(out, "converged"):
        return {"converged": bool(np.all(np.asarray(out.converged)))}
    return {}
