"""Cuts: conductance, sweep cuts and the Cheeger constant."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp

from .. import _checks
from ._common import _positive_degrees


def conductance(W: Any, mask: Any) -> float:
    """Conductance of a vertex set, the cut weight over the smaller volume.

    :math:`\\phi(S) = w(S, \\bar S) / \\min(\\mathrm{vol}\\,S, \\mathrm{vol}\\,\\bar S)`
    with :math:`\\mathrm{vol}\\,S = \\sum_{i \\in S} d_i`.

    Parameters
    ----------
    W : array or scipy.sparse matrix of shape (n, n)
        Symmetric non-negative weights.
    mask : bool array of shape (n,)
        Indicator of S; both S and its complement must be non-empty.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        Invalid ``W``; ``mask`` of the wrong shape or type, or a trivial cut.

    References
    ----------
    :cite:p:`chung1997spectral`

    See Also
    --------
    networkx.conductance : reference implementation.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.conductance"
    W = _checks.as_weights(W, "W", where)
    mask = np.asarray(mask)
    if mask.dtype != bool:
        raise _checks.fail(where, "mask", "a boolean array", f"dtype {mask.dtype}",
                           exc=TypeError)
    if mask.shape != (W.shape[0],):
        raise _checks.fail(where, "mask", f"shape ({W.shape[0]},)", f"shape {mask.shape}")
    if mask.all() or not mask.any():
        raise _checks.fail(where, "mask", "a non-trivial subset", "S empty or all vertices")
    d = np.asarray(W.sum(axis=1)).ravel()
    x = mask.astype(np.float64)
    cut = float(x @ (W @ (1 - x)))
    vol = min(float(d[mask].sum()), float(d[~mask].sum()))
    return cut / vol


class SweepCut(NamedTuple):
    """Result of :func:`sweep_cut`.

    Attributes
    ----------
    conductance : float
        Smallest conductance over the n - 1 prefix sets.
    mask : bool ndarray of shape (n,)
        The best prefix set S.
    profile : ndarray of shape (n - 1,)
        Conductance of the prefix of size i + 1 in sorted order.
    """

    conductance: float
    mask: np.ndarray
    profile: np.ndarray


def sweep_cut(W: Any, x: Any) -> SweepCut:
    """Best threshold cut of a vertex ordering (the proof of Cheeger's inequality).

    Sort vertices by ``x`` and evaluate the conductance of every prefix set in
    O(nnz) total: adding vertex v changes the cut by d_v - 2 w(v, S).

    Parameters
    ----------
    W : array or scipy.sparse matrix of shape (n, n)
        Symmetric non-negative weights, no isolated vertex.
    x : array of shape (n,)
        Vertex scores (e.g. the random-walk Fiedler vector).

    Returns
    -------
    SweepCut

    Raises
    ------
    TypeError, ValueError
        Invalid ``W`` or ``x``.

    References
    ----------
    :cite:p:`chung1997spectral,spielman2019spectral`

    See Also
    --------
    fiedler_vector : the ordering that Cheeger's inequality uses.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.sweep_cut"
    W = _checks.as_weights(W, "W", where)
    n = W.shape[0]
    x = np.asarray(_checks.as_vector(x, "x", where, size=n))
    d = _positive_degrees(W, where)
    order = np.argsort(x, kind="stable")
    P = sp.csr_array(W)[order][:, order] if sp.issparse(W) else W[np.ix_(order, order)]
    lower = np.asarray((sp.tril(P, k=-1) if sp.issparse(P) else np.tril(P, -1)).sum(axis=1)).ravel()
    ds = d[order]
    cut = np.cumsum(ds - 2 * lower)[:-1]
    vol = np.cumsum(ds)[:-1]
    profile = cut / np.minimum(vol, d.sum() - vol)
    i = int(np.argmin(profile))
    mask = np.zeros(n, dtype=bool)
    mask[order[: i + 1]] = True
    return SweepCut(float(profile[i]), mask, profile)


def cheeger_constant(W: Any) -> float:
    """Exact conductance of the graph, :math:`h = \\min_S \\phi(S)`, by enumeration.

    Parameters
    ----------
    W : array or scipy.sparse matrix of shape (n, n)
        Symmetric non-negative weights, ``2 <= n <= 20`` (2^(n-1) subsets).

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        Invalid ``W``; ``n`` > 20.

    References
    ----------
    :cite:p:`chung1997spectral`

    See Also
    --------
    sweep_cut : the polynomial-time upper bound.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.cheeger_constant"
    W = _checks.as_weights(W, "W", where)
    n = W.shape[0]
    if not 2 <= n <= 20:
        raise _checks.fail(where, "W", "2 <= n <= 20 vertices (exhaustive search)", f"n={n}",
                           "Use sweep_cut for larger graphs.")
    Wd = W.toarray() if sp.issparse(W) else W
    d = Wd.sum(axis=1)
    codes = np.arange(1, 2 ** (n - 1), dtype=np.int64)  # vertex n-1 always outside S
    X = ((codes[:, None] >> np.arange(n)[None, :]) & 1).astype(np.float64)
    cut = np.einsum("si,ij,sj->s", X, Wd, 1 - X)
    volS = X @ d
    return float(np.min(cut / np.minimum(volS, d.sum() - volS)))
