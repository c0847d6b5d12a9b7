"""Graph signals: the graph Fourier transform, spectral filters, Dirichlet energy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp

from .. import _checks
from ._common import FourierBasis


def graph_fourier(L: Any) -> FourierBasis:
    """Graph Fourier basis: all eigenpairs of a symmetric Laplacian (dense).

    The graph Fourier transform of a signal x is :math:`\\hat x = U^\\top x`.

    Parameters
    ----------
    L : array or scipy.sparse matrix of shape (n, n)
        Symmetric Laplacian (combinatorial or normalised).

    Returns
    -------
    FourierBasis
        ``(eigenvalues, U)``: the eigenvalues, ndarray of shape (n,), ascending, and
        the eigenvectors, ndarray of shape (n, n) with orthonormal columns.

    Raises
    ------
    TypeError, ValueError
        ``L`` not a finite square symmetric real matrix.

    References
    ----------
    :cite:p:`shuman2013emerging`

    See Also
    --------
    numpy.linalg.eigh : what is called.
    Explained in chapter 07_graph_spectra.
    """
    return _fourier(L, "graphs.graph_fourier")


def _fourier(L: Any, where: str) -> FourierBasis:
    Ld = L.toarray() if sp.issparse(L) else L
    Ld = _checks.check_symmetric(_checks.as_matrix(Ld, "L", where, square=True), "L", where,
                                 rtol=1e-10)
    w, U = np.linalg.eigh(np.asarray(Ld, dtype=np.float64))
    return FourierBasis(w, U)


def spectral_filter(L: Any, X: Any, response: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Apply :math:`U\\, \\mathrm{diag}(h(\\lambda))\\, U^\\top` to signals.

    Parameters
    ----------
    L : array or scipy.sparse matrix of shape (n, n)
        Symmetric Laplacian.
    X : array of shape (n,) or (n, b)
        Signals.
    response : callable
        Vectorised frequency response h(lambda), e.g. ``lambda l: np.exp(-t * l)``
        (the heat kernel).

    Returns
    -------
    ndarray of the shape of ``X``

    Raises
    ------
    TypeError, ValueError
        Invalid ``L`` or ``X``; ``response`` not callable or of the wrong shape.

    References
    ----------
    :cite:p:`shuman2013emerging`

    See Also
    --------
    scipy.sparse.linalg.expm_multiply : the heat kernel without eigenvectors.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.spectral_filter"
    if not callable(response):
        raise _checks.fail(where, "response", "a callable h(lambda)",
                           f"{type(response).__name__}", exc=TypeError)
    w, U = _fourier(L, where)
    Xa = _checks.as_host(X, "X", where, ndim=(1, 2), rule=f"shape ({w.size},) or ({w.size}, b)")
    if Xa.shape[0] != w.size:
        raise _checks.fail(where, "X", f"shape ({w.size},) or ({w.size}, b)",
                           f"shape {Xa.shape}")
    h = _checks.as_host(response(w), "response", where, allow_empty=True,
                        rule=f"real finite values h(lambda) of shape {w.shape}")
    if h.shape != w.shape:
        raise _checks.fail(where, "response", f"an output of shape {w.shape}",
                           f"shape {h.shape}")
    coef = U.T @ Xa
    return U @ (h[:, None] * coef if Xa.ndim == 2 else h * coef)


def dirichlet_energy(W: Any, x: Any) -> float:
    """Edge form of the Laplacian quadratic form, :math:`\\tfrac12 \\sum_{ij} w_{ij}(x_i - x_j)^2`.

    Equal to :math:`x^\\top (D - W) x`; computed edge by edge, without
    forming the Laplacian, so the two sides of the identity are independent.

    Parameters
    ----------
    W : array or scipy.sparse matrix of shape (n, n)
        Symmetric non-negative weights.
    x : array of shape (n,)
        Graph signal.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        Invalid ``W`` or ``x``.

    References
    ----------
    :cite:p:`chung1997spectral,dong2024rayleigh`

    See Also
    --------
    eigenbook.eigen.rayleigh_quotient : :math:`x^\\top L x / x^\\top x` for any operator.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.dirichlet_energy"
    W = sp.coo_array(_checks.as_weights(W, "W", where))
    x = np.asarray(_checks.as_vector(x, "x", where, size=W.shape[0]))
    return float(0.5 * np.sum(W.data * (x[W.row] - x[W.col]) ** 2))
