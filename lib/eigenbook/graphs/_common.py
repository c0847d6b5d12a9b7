"""Shared pieces of the graph family: degrees and the Laplacian kinds."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .. import _checks

KINDS = ("combinatorial", "normalized", "random_walk")


class FourierBasis(NamedTuple):
    """All eigenpairs of a symmetric Laplacian (:func:`graph_fourier`).

    Attributes
    ----------
    eigenvalues : ndarray of shape (n,)
        The graph frequencies, ascending.
    U : ndarray of shape (n, n)
        Orthonormal eigenvectors as columns; :math:`\\hat x = U^\\top x`.
    """

    eigenvalues: np.ndarray
    U: np.ndarray


class FiedlerPair(NamedTuple):
    """The second-smallest eigenpair of a Laplacian (:func:`fiedler_vector`).

    Attributes
    ----------
    lambda2 : float
        The algebraic connectivity (of the Laplacian of the chosen kind).
    v : ndarray of shape (n,)
        The Fiedler vector, unit length.
    """

    lambda2: float
    v: np.ndarray


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
    W = _checks.as_weights(W, "W", "graphs.degrees")
    return np.asarray(W.sum(axis=1)).ravel()


def _positive_degrees(W: Any, where: str) -> np.ndarray:
    d = np.asarray(W.sum(axis=1)).ravel()
    if np.any(d <= 0):
        raise _checks.fail(where, "W", "a graph without isolated vertices (all degrees > 0)",
                           f"{int(np.sum(d <= 0))} vertices of degree 0",
                           "Drop them or add self-loops.")
    return d
