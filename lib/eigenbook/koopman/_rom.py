"""POD, Kolmogorov widths, and clustering snapshots into local reduced-order bases."""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import numpy as np
from scipy.spatial.distance import cdist

from eigenbook import _checks
from eigenbook.data import numpy_rng

__all__ = ["ClusterResult", "LocalBases", "PODResult", "cluster_snapshots", "dissimilarity",
           "local_pod", "pod", "projection_errors", "width_profile"]


class PODResult(NamedTuple):
    """Proper orthogonal decomposition of a snapshot matrix.

    Attributes
    ----------
    modes : array of shape (n, k)
        The first k POD modes (left singular vectors), orthonormal columns.
    singular_values : array of shape (min(n, m),)
        All singular values of the snapshot matrix, descending.
    """

    modes: np.ndarray
    singular_values: np.ndarray


class ClusterResult(NamedTuple):
    """A partition of snapshots by k-medoids.

    Attributes
    ----------
    labels : int array of shape (m,)
        Cluster of each snapshot, ``0 .. k-1``.
    medoids : int array of shape (k,)
        Index of the representative snapshot of each cluster.
    cost : float
        Sum of dissimilarities of the snapshots to their medoids.
    n_steps : int
        Assignment/update sweeps of the best restart.
    converged : bool
        Whether the best restart reached a fixed point within ``max_steps``.
    """

    labels: np.ndarray
    medoids: np.ndarray
    cost: float
    n_steps: int
    converged: bool


class LocalBases(NamedTuple):
    """One POD basis per cluster.

    Attributes
    ----------
    bases : tuple of arrays of shape (n, k_c)
        Orthonormal basis of cluster c (``k_c = min(k, size of cluster)``).
    singular_values : tuple of arrays
        Singular values of each cluster's snapshot matrix.
    """

    bases: tuple
    singular_values: tuple


def _snapshots(S: Any, where: str) -> np.ndarray:
    S = np.asarray(_checks.as_matrix(S, "S", where))
    if np.any(np.linalg.norm(S, axis=0) == 0):
        raise _checks.fail(where, "S", "non-zero snapshots (columns)",
                           f"{int(np.sum(np.linalg.norm(S, axis=0) == 0))} zero columns")
    return S


def _labels(labels: Any, m: int, where: str) -> np.ndarray:
    lab = np.asarray(labels)
    if lab.shape != (m,) or lab.dtype.kind not in "iu":
        raise _checks.fail(where, "labels", f"an int array of shape ({m},)",
                           f"{lab.dtype} array of shape {lab.shape}", exc=TypeError
                           if lab.dtype.kind not in "iu" else ValueError)
    if lab.min() < 0:
        raise _checks.fail(where, "labels", "labels >= 0", f"min {lab.min()}")
    return lab


def pod(S: Any, k: int) -> PODResult:
    """POD: the first ``k`` left singular vectors of the snapshot matrix.

    By Eckart–Young the POD basis minimises :math:`\\sum_j \\lVert s_j - VV^Ts_j\\rVert^2`
    over k-dimensional bases; the error is :math:`\\sum_{i > k}\\sigma_i^2`. One thin SVD
    (numpy/LAPACK), :math:`O(nm\\min(n, m))`.

    Parameters
    ----------
    S : array of shape (n, m)
        Snapshots as columns.
    k : int
        Basis size, ``1 <= k <= min(n, m)``.

    Returns
    -------
    PODResult
        ``modes`` (n, k), ``singular_values`` (min(n, m),).

    Raises
    ------
    TypeError, ValueError
        Non-numeric or non-finite ``S``, zero snapshots, bad ``k``.

    See Also
    --------
    numpy.linalg.svd
    """
    where = "koopman.pod"
    S = _snapshots(S, where)
    k = _checks.check_rank(k, "k", where, upper=min(S.shape), upper_name="min(n, m)")
    U, s, _ = np.linalg.svd(S, full_matrices=False)
    return PODResult(U[:, :k], s)


def dissimilarity(S: Any, *, metric: str = "sine") -> np.ndarray:
    """Pairwise dissimilarities of snapshots.

    ``"sine"``: :math:`d(u, v) = \\sqrt{1 - \\cos^2\\angle(u, v)}`, the sine of the angle
    between the lines spanned by u and v (blind to amplitude and sign); ``"euclidean"``:
    :math:`\\lVert u - v\\rVert`.

    Parameters
    ----------
    S : array of shape (n, m)
        Snapshots as columns.
    metric : {"sine", "euclidean"}

    Returns
    -------
    array of shape (m, m)

    Raises
    ------
    TypeError, ValueError
        Bad ``S`` (zero snapshots included) or unknown ``metric``.
    """
    return _dissimilarity(S, metric, "koopman.dissimilarity")


def _dissimilarity(S: Any, metric: str, where: str) -> np.ndarray:
    """:func:`dissimilarity`, with messages naming the public caller ``where``."""
    metric = _checks.check_choice(metric, "metric", where, ("sine", "euclidean"))
    S = _snapshots(S, where)
    if metric == "sine":
        U = S / np.linalg.norm(S, axis=0)
        c = U.T @ U
        D = np.sqrt(np.clip(1.0 - c * c, 0.0, None))
        np.fill_diagonal(D, 0.0)
        return D
    return cdist(S.T, S.T)


def cluster_snapshots(S: Any, k: int, *, key: jax.Array, metric: str = "sine",
                      n_init: int = 5, max_steps: int = 100) -> ClusterResult:
    """Cluster snapshots by k-medoids under a dissimilarity.

    Alternates assignment to the nearest medoid and the update of each medoid to the
    member with the least total dissimilarity to its cluster, from ``n_init``
    k-medoids++ seeds; keeps the restart of least cost. With ``metric="sine"`` this is
    the angle-based (physics-informed) clustering of local reduced-order bases
    :cite:p:`daniel2021physics`: snapshots that differ by a scale share a cluster. Cost
    :math:`O(nm^2)` for the dissimilarities, then :math:`O(m^2)` per sweep.

    Parameters
    ----------
    S : array of shape (n, m)
        Snapshots as columns.
    k : int
        Number of clusters, ``1 <= k <= m``.
    key : PRNG key
        Seeds the k-medoids++ initialisations.
    metric : {"sine", "euclidean"}
        See :func:`dissimilarity`.
    n_init : int
        Restarts, ``>= 1``.
    max_steps : int
        Cap on the sweeps of one restart; a restart that hits it warns
        (:class:`~eigenbook.ConvergenceWarning`) if it is the one returned.

    Returns
    -------
    ClusterResult
        ``labels`` (m,), ``medoids`` (k,), ``cost``, ``n_steps``, ``converged``.

    Raises
    ------
    TypeError, ValueError
        Bad ``S``, ``k``, ``key``, ``metric``, ``n_init`` or ``max_steps``.

    See Also
    --------
    sklearn.cluster.KMeans : Euclidean k-means (the usual baseline).
    """
    where = "koopman.cluster_snapshots"
    key = _checks.check_key(key, "key", where)
    D = _dissimilarity(S, metric, where)
    m = D.shape[0]
    k = _checks.check_rank(k, "k", where, upper=m, upper_name="m")
    n_init = _checks.check_int(n_init, "n_init", where, min_val=1)
    max_steps = _checks.check_int(max_steps, "max_steps", where, min_val=1)
    rng = numpy_rng(key)
    best = None
    for _ in range(n_init):
        med = [int(rng.integers(m))]
        for _ in range(k - 1):
            d2 = D[:, med].min(axis=1) ** 2
            med.append(int(rng.choice(m, p=d2 / d2.sum())) if d2.sum() > 0
                       else int(rng.integers(m)))
        med = np.array(med)
        converged, n_steps = False, 0
        for step in range(1, max_steps + 1):
            n_steps = step
            lab = np.argmin(D[:, med], axis=1)
            new = med.copy()
            for c in range(k):
                members = np.flatnonzero(lab == c)
                if members.size:
                    new[c] = members[np.argmin(D[np.ix_(members, members)].sum(axis=0))]
            if np.array_equal(new, med):
                converged = True
                break
            med = new
        lab = np.argmin(D[:, med], axis=1)
        cost = float(D[np.arange(m), med[lab]].sum())
        if best is None or cost < best.cost:
            best = ClusterResult(lab, med, cost, n_steps, converged)
    if not best.converged:
        _checks.warn_unconverged(where, tol=0.0, reached=1.0, what="fraction of sweeps",
                                 n_iter=best.n_steps, hint="Raise max_steps.")
    return best


def local_pod(S: Any, labels: Any, k: int) -> LocalBases:
    """One POD basis of size ``k`` per cluster of snapshots.

    Parameters
    ----------
    S : array of shape (n, m)
        Snapshots as columns.
    labels : int array of shape (m,)
        Cluster of each snapshot (e.g. ``ClusterResult.labels``); clusters
        ``0 .. max(labels)``, none empty.
    k : int
        Basis size per cluster, ``1 <= k <= n`` (clipped to the cluster size).

    Returns
    -------
    LocalBases

    Raises
    ------
    TypeError, ValueError
        Bad ``S``, ``labels`` (wrong shape, negative, an empty cluster) or ``k``.
    """
    where = "koopman.local_pod"
    S = _snapshots(S, where)
    lab = _labels(labels, S.shape[1], where)
    k = _checks.check_rank(k, "k", where, upper=S.shape[0])
    bases, svals = [], []
    for c in range(int(lab.max()) + 1):
        Sc = S[:, lab == c]
        if Sc.shape[1] == 0:
            raise _checks.fail(where, "labels", "no empty cluster", f"cluster {c} is empty")
        U, s, _ = np.linalg.svd(Sc, full_matrices=False)
        bases.append(U[:, :min(k, U.shape[1])])
        svals.append(s)
    return LocalBases(tuple(bases), tuple(svals))


def projection_errors(S: Any, bases: LocalBases, labels: Any) -> np.ndarray:
    """Relative projection error of each snapshot onto its cluster's basis.

    :math:`e_j = \\lVert s_j - V_c V_c^T s_j\\rVert / \\lVert s_j\\rVert` with ``c = labels[j]``.

    Parameters
    ----------
    S : array of shape (n, m)
        Snapshots as columns.
    bases : LocalBases
        From :func:`local_pod` (a single global basis: ``LocalBases((V,), ...)`` with all
        labels 0).
    labels : int array of shape (m,)

    Returns
    -------
    array of shape (m,)

    Raises
    ------
    TypeError, ValueError
        Bad ``S``, ``bases`` or ``labels`` (a label without a basis).
    """
    where = "koopman.projection_errors"
    S = _snapshots(S, where)
    if not isinstance(bases, LocalBases):
        raise _checks.fail(where, "bases", "a LocalBases (from koopman.local_pod)",
                           type(bases).__name__, exc=TypeError)
    lab = _labels(labels, S.shape[1], where)
    if lab.max() >= len(bases.bases):
        raise _checks.fail(where, "labels", f"labels < number of bases = {len(bases.bases)}",
                           f"max {lab.max()}")
    err = np.empty(S.shape[1])
    for c, V in enumerate(bases.bases):
        j = lab == c
        R = S[:, j] - V @ (V.T @ S[:, j])
        err[j] = np.linalg.norm(R, axis=0) / np.linalg.norm(S[:, j], axis=0)
    return err


def width_profile(singular_values: Any, n_max: int) -> np.ndarray:
    """Normalised POD tail, N = 1 .. n_max.

    :math:`\\sqrt{\\sum_{i > N}\\sigma_i^2 / \\sum_i \\sigma_i^2}`.

    The discrete proxy of the Kolmogorov N-width of a snapshot set (relative to its
    size): the relative Frobenius error of the best N-dimensional basis.

    Parameters
    ----------
    singular_values : array of shape (r,)
        Singular values of the snapshot matrix.
    n_max : int
        Largest N, ``>= 1`` (tails past r are 0).

    Returns
    -------
    array of shape (n_max,)

    Raises
    ------
    TypeError, ValueError
        Non-finite or negative singular values, bad ``n_max``.
    """
    where = "koopman.width_profile"
    s = np.asarray(_checks.as_vector(singular_values, "singular_values", where,
                                     allow_empty=False))
    if np.any(s < 0) or s.max() == 0:
        raise _checks.fail(where, "singular_values", "non-negative values, not all 0",
                           f"min {s.min():.3g}")
    n_max = _checks.check_int(n_max, "n_max", where, min_val=1)
    e = np.r_[s**2, np.zeros(n_max)]
    tail = np.sqrt(np.cumsum(e[::-1])[::-1] / e.sum())
    return tail[1:n_max + 1]
