"""Graph constructions: k-nearest-neighbour graphs and attributes (the SBM is in eigenbook.data)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

from .. import _checks


def knn_graph(X: Any, k: int, *, sigma: float | None = None) -> sp.csr_array:
    """Symmetrised k-nearest-neighbour graph with Gaussian weights.

    Vertex i is joined to its k nearest neighbours (``cKDTree``), with weight
    :math:`w_{ij} = \\exp(-\\lVert x_i - x_j \\rVert^2 / (2\\sigma^2))`; the
    graph is symmetrised by ``max(W, W^T)`` (an edge if either end chose it).

    Parameters
    ----------
    X : array of shape (n, d)
        Points.
    k : int
        Neighbours per point, ``1 <= k < n``.
    sigma : float, optional
        Kernel width; default the median distance to the k-th neighbour.

    Returns
    -------
    scipy.sparse.csr_array of shape (n, n)
        Symmetric weights, zero diagonal.

    Raises
    ------
    TypeError, ValueError
        ``X`` not a finite 2-D real array, ``k`` or ``sigma`` out of range.

    References
    ----------
    :cite:p:`belkin2003laplacian,vonluxburg2007tutorial`

    See Also
    --------
    sklearn.neighbors.kneighbors_graph : the same graph with 0/1 or distance weights.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.knn_graph"
    X = np.asarray(_checks.as_matrix(X, "X", where), dtype=np.float64)
    n = X.shape[0]
    k = _checks.check_int(k, "k", where, min_val=1, max_val=n - 1)
    dist, idx = cKDTree(X).query(X, k=k + 1)
    dist, idx = dist[:, 1:], idx[:, 1:]  # drop the point itself
    if sigma is None:
        sigma = float(np.median(dist[:, -1]))
        if sigma <= 0:
            raise _checks.fail(where, "X", "distinct points (positive k-NN distances)",
                               "a median k-NN distance of 0")
    else:
        sigma = _checks.check_scalar(sigma, "sigma", where, min_val=0.0, strict_min=True)
    w = np.exp(-(dist.ravel() ** 2) / (2 * sigma**2))
    rows = np.repeat(np.arange(n), k)
    A = sp.csr_array((w, (rows, idx.ravel())), shape=(n, n))
    A = A.maximum(A.T).tocsr()
    A.setdiag(0)
    A.eliminate_zeros()
    return A


def augment_with_attributes(W: Any, attributes: Any, *, weight: float = 1.0) -> sp.csr_array:
    """Attribute-augmented graph: one new vertex per attribute.

    Vertex i is joined to attribute vertex a with weight ``weight *
    attributes[i, a]``, so that vertices sharing attributes become close in
    the graph. The augmented weight matrix is

        [[W, weight * F], [weight * F^T, 0]]

    with F = ``attributes``. Cluster it and keep the first n labels.

    Parameters
    ----------
    W : array or scipy.sparse matrix of shape (n, n)
        Structure weights.
    attributes : array of shape (n, m)
        Non-negative attribute indicators or intensities.
    weight : float
        Weight of the attribute edges, ``> 0``.

    Returns
    -------
    scipy.sparse.csr_array of shape (n + m, n + m)

    Raises
    ------
    TypeError, ValueError
        Invalid ``W``; ``attributes`` of the wrong shape or negative; ``weight`` <= 0.

    References
    ----------
    :cite:p:`dambra2021bootstrap`

    See Also
    --------
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.augment_with_attributes"
    W = sp.csr_array(_checks.as_weights(W, "W", where))
    F = np.asarray(_checks.as_matrix(attributes, "attributes", where), dtype=np.float64)
    if F.shape[0] != W.shape[0]:
        raise _checks.fail(where, "attributes", f"shape ({W.shape[0]}, m)",
                           f"shape {F.shape}")
    if np.min(F) < 0:
        raise _checks.fail(where, "attributes", "non-negative entries", f"min {np.min(F):.3g}")
    weight = _checks.check_scalar(weight, "weight", where, min_val=0.0, strict_min=True)
    Fs = sp.csr_array(weight * F)
    return sp.block_array([[W, Fs], [Fs.T, None]], format="csr")
