"""Graph spectra: Laplacians, spectral embedding and clustering, filters, encodings.

Graphs are weighted, undirected and given by a symmetric non-negative weight
matrix ``W`` of shape (n, n), either a ``scipy.sparse`` array (the scalable
path, solved by the iterative eigensolvers of :mod:`eigenbook.eigen`) or a
dense array (small graphs, solved by ``eigh``). Randomness is explicit
(``key=jax.random.key(seed)``).

Example
-------
>>> W, labels = graphs.stochastic_block_model([50, 50], 0.3, 0.02, key=key)  # doctest: +SKIP
>>> pred = graphs.spectral_clustering(W, 2, key=key)  # doctest: +SKIP

Explained in chapter 07_graph_spectra.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

from . import _checks, eigen

__all__ = [
    "knn_graph",
    "stochastic_block_model",
    "augment_with_attributes",
    "degrees",
    "laplacian",
    "spectral_embedding",
    "fiedler_vector",
    "conductance",
    "SweepCut",
    "sweep_cut",
    "cheeger_constant",
    "graph_fourier",
    "spectral_filter",
    "dirichlet_energy",
    "KMeansResult",
    "kmeans",
    "spectral_clustering",
    "spe_encoding",
    "align_signs",
    "smooth_vectors",
    "LearnedBasis",
    "learn_nested_basis",
]

KINDS = ("combinatorial", "normalized", "random_walk")


# ---------------------------------------------------------------- validation
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


# ---------------------------------------------------------------- graphs
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


def stochastic_block_model(sizes: Sequence[int], p_in: float, p_out: float, *,
                           key: jax.Array) -> tuple[sp.csr_array, np.ndarray]:
    """Sample a stochastic block model with 0/1 weights.

    Vertices in the same block are joined with probability ``p_in``, in
    different blocks with ``p_out``, independently. Sampling is sparse: for each
    block pair the number of edges is drawn from its binomial law and the
    endpoints uniformly (repeated pairs are merged, a negligible loss when
    p is small).

    Parameters
    ----------
    sizes : sequence of int
        Block sizes, each ``>= 2``.
    p_in, p_out : float
        Edge probabilities in [0, 1].
    key : PRNG key
        Seeds the sampler.

    Returns
    -------
    W : scipy.sparse.csr_array of shape (n, n)
        Symmetric 0/1 adjacency, n = sum(sizes).
    labels : ndarray of int, shape (n,)
        Block of each vertex.

    Raises
    ------
    TypeError, ValueError
        Bad ``sizes``, probabilities outside [0, 1], bad ``key``.

    References
    ----------
    :cite:p:`abbe2018community`

    See Also
    --------
    networkx.stochastic_block_model : dense-loop reference generator.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.stochastic_block_model"
    key = _checks.check_key(key, where)
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or not sizes:
        raise _checks.fail(where, "sizes", "a non-empty sequence of ints",
                           f"{type(sizes).__name__}", exc=TypeError)
    sizes = [_checks.check_int(s, "sizes", where, min_val=2) for s in sizes]
    p_in = _checks.check_scalar(p_in, "p_in", where, min_val=0.0, max_val=1.0)
    p_out = _checks.check_scalar(p_out, "p_out", where, min_val=0.0, max_val=1.0)
    rng = _numpy_rng(key)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    n = int(starts[-1])
    rows, cols = [], []
    for a, na in enumerate(sizes):
        for b in range(a, len(sizes)):
            nb = sizes[b]
            if a == b:
                m = rng.binomial(na * (na - 1) // 2, p_in)
                i = rng.integers(0, na, m)
                j = rng.integers(0, na - 1, m)
                j = j + (j >= i)  # uniform over j != i
            else:
                m = rng.binomial(na * nb, p_out)
                i = rng.integers(0, na, m)
                j = rng.integers(0, nb, m)
            rows.append(starts[a] + i)
            cols.append(starts[b] + j)
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    A = sp.csr_array((np.ones(r.size), (r, c)), shape=(n, n))
    A = (A + A.T).tocsr()
    A.data[:] = 1.0  # merge repeats and both orientations
    labels = np.repeat(np.arange(len(sizes)), sizes)
    return A, labels


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
    W = sp.csr_array(_as_weights(W, where))
    F = np.asarray(_checks.as_matrix(attributes, "attributes", where), dtype=np.float64)
    if F.shape[0] != W.shape[0]:
        raise _checks.fail(where, "attributes", f"shape ({W.shape[0]}, m)",
                           f"shape {F.shape}")
    if np.min(F) < 0:
        raise _checks.fail(where, "attributes", "non-negative entries", f"min {np.min(F):.3g}")
    weight = _checks.check_scalar(weight, "weight", where, min_val=0.0, strict_min=True)
    Fs = sp.csr_array(weight * F)
    return sp.block_array([[W, Fs], [Fs.T, None]], format="csr")


# ---------------------------------------------------------------- Laplacians
def laplacian(W: Any, kind: Literal["combinatorial", "normalized", "random_walk"] =
              "combinatorial") -> Any:
    """Graph Laplacian of a symmetric weight matrix.

    * ``"combinatorial"``: L = D - W,
    * ``"normalized"``: :math:`L_{sym} = I - D^{-1/2} W D^{-1/2}` (symmetric, spectrum in [0, 2]),
    * ``"random_walk"``: :math:`L_{rw} = I - D^{-1} W` (not symmetric; same spectrum as
      :math:`L_{sym}`).

    Parameters
    ----------
    W : array or scipy.sparse matrix of shape (n, n)
        Symmetric non-negative weights.
    kind : {"combinatorial", "normalized", "random_walk"}
        Which Laplacian.

    Returns
    -------
    scipy.sparse.csr_array or ndarray of shape (n, n)
        Sparse for sparse ``W``, dense otherwise.

    Raises
    ------
    TypeError, ValueError
        Invalid ``W``; bad ``kind``; a vertex of degree 0 for the normalised kinds.

    References
    ----------
    :cite:p:`chung1997spectral,vonluxburg2007tutorial`

    See Also
    --------
    scipy.sparse.csgraph.laplacian : the reference (``normed=True`` for L_sym).
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.laplacian"
    _checks.check_choice(kind, "kind", where, KINDS)
    W = _as_weights(W, where)
    if kind == "combinatorial":
        d = np.asarray(W.sum(axis=1)).ravel()
        if sp.issparse(W):
            return (sp.diags_array(d) - W).tocsr()
        return np.diag(d) - W
    d = _positive_degrees(W, where)
    if kind == "normalized":
        s = 1 / np.sqrt(d)
        if sp.issparse(W):
            return (sp.eye_array(W.shape[0]) - sp.diags_array(s) @ W @ sp.diags_array(s)).tocsr()
        return np.eye(W.shape[0]) - s[:, None] * W * s[None, :]
    if sp.issparse(W):
        return (sp.eye_array(W.shape[0]) - sp.diags_array(1 / d) @ W).tocsr()
    return np.eye(W.shape[0]) - W / d[:, None]


def spectral_embedding(W: Any, k: int, *, key: jax.Array,
                       method: Literal["lobpcg", "lanczos"] = "lobpcg",
                       preconditioner: Callable[[jax.Array], jax.Array] | None = None,
                       tol: float | None = None, n_iter: int = 500) -> eigen.EighResult:
    """The k smallest eigenpairs of the normalised Laplacian :math:`L_{sym}`.

    Dense ``W`` is solved by ``eigh``. For sparse ``W`` without a
    preconditioner, the k *largest* eigenpairs of the shifted normalised
    adjacency :math:`2I - L_{sym} = I + D^{-1/2} W D^{-1/2}` (spectrum in
    [0, 2]) are computed by :func:`eigenbook.eigen.lobpcg` or
    :func:`eigenbook.eigen.lanczos` and mapped back, lambda = 2 - mu. With a
    preconditioner M (approximately :math:`L_{sym}^{-1}`, e.g. an AMG cycle),
    LOBPCG is run on the smallest end of :math:`L_{sym}` itself.

    The random-walk eigenvectors (Laplacian eigenmaps) are
    :math:`D^{-1/2} u`; multiply the returned columns by ``1 / sqrt(degrees(W))``.

    Parameters
    ----------
    W : array or scipy.sparse matrix of shape (n, n)
        Symmetric non-negative weights, no isolated vertex.
    k : int
        Number of pairs (the first is the trivial :math:`\\sqrt{d}` vector of
        eigenvalue 0 on a connected graph).
    key : PRNG key
        Starting block of the iterative solver.
    method : {"lobpcg", "lanczos"}
        Solver for sparse ``W``.
    preconditioner : callable, optional
        JAX-traceable ``M(R)`` for R (n, k), LOBPCG only.
    tol : float, optional
        Relative residual tolerance (default: the solver's).
    n_iter : int
        LOBPCG iteration cap, or Lanczos steps (``max(n_iter, 4 k)``, at most n).

    Returns
    -------
    EighResult
        ``eigenvalues`` (k,) ascending, ``eigenvectors`` (n, k) orthonormal,
        ``residual_norms`` (k,) for :math:`L_{sym}`, ``n_steps``, ``converged``.

    Raises
    ------
    TypeError, ValueError
        Invalid ``W`` or ``key``; isolated vertices; ``k`` out of range; bad
        ``method``; a preconditioner with ``method="lanczos"``.

    References
    ----------
    :cite:p:`belkin2003laplacian,ng2001spectral`

    See Also
    --------
    sklearn.manifold.SpectralEmbedding : the reference (arpack, lobpcg or amg).
    eigenbook.eigen.lobpcg : the solver used here.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.spectral_embedding"
    key = _checks.check_key(key, where)
    _checks.check_choice(method, "method", where, ("lobpcg", "lanczos"))
    W = _as_weights(W, where)
    n = W.shape[0]
    n_iter = _checks.check_int(n_iter, "n_iter", where, min_val=1)
    if preconditioner is not None and method != "lobpcg":
        raise _checks.fail(where, "preconditioner", "None with method='lanczos'",
                           "a preconditioner", "Preconditioning needs method='lobpcg'.")
    Ls = laplacian(W, "normalized")
    if not sp.issparse(W):
        k = _checks.check_rank(k, "k", where, upper=n)
        w, V = np.linalg.eigh((Ls + Ls.T) / 2)
        w, V = jnp.asarray(w[:k]), eigen._common.fix_signs(jnp.asarray(V[:, :k]))
        res = jnp.linalg.norm(jnp.asarray(Ls) @ V - V * w[None, :], axis=0)
        return eigen.EighResult(w, V, res, jnp.asarray(0, jnp.int32),
                                jnp.ones(k, dtype=bool))
    Ls = ((Ls + Ls.T) / 2).tocsr()
    if preconditioner is not None:
        r = eigen.lobpcg(Ls, k, key=key, n_iter=n_iter, tol=tol, which="smallest",
                         preconditioner=preconditioner)
        return r
    shifted = (2 * sp.eye_array(n) - Ls).tocsr()
    if method == "lobpcg":
        r = eigen.lobpcg(shifted, k, key=key, n_iter=n_iter, tol=tol, which="largest")
    else:
        k = _checks.check_rank(k, "k", where, upper=n)
        r = eigen.lanczos(shifted, k, key=key, n_steps=min(n, max(n_iter, 4 * k)),
                          which="largest")
    return eigen.EighResult(2 - r.eigenvalues, r.eigenvectors, r.residual_norms,
                            r.n_steps, r.converged)


def fiedler_vector(W: Any, *, key: jax.Array,
                   kind: Literal["combinatorial", "normalized"] = "normalized"
                   ) -> tuple[float, np.ndarray]:
    """Second-smallest eigenpair of a Laplacian (the algebraic connectivity).

    Parameters
    ----------
    W : array or scipy.sparse matrix of shape (n, n)
        Symmetric non-negative weights of a connected graph, n >= 6.
    key : PRNG key
        Starting block of the iterative solver (sparse ``W``).
    kind : {"combinatorial", "normalized"}
        For ``"normalized"`` the returned vector is the random-walk vector
        :math:`D^{-1/2} u_2` (the one to sweep for Cheeger's inequality),
        normalised to unit length.

    Returns
    -------
    lambda2 : float
    v : ndarray of shape (n,)

    Raises
    ------
    TypeError, ValueError
        Invalid ``W``, ``key`` or ``kind``; too small a graph.

    References
    ----------
    :cite:p:`fiedler1973algebraic,chung1997spectral`

    See Also
    --------
    networkx.fiedler_vector : reference implementation.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.fiedler_vector"
    _checks.check_choice(kind, "kind", where, ("combinatorial", "normalized"))
    key = _checks.check_key(key, where)
    Wv = _as_weights(W, where)
    n = Wv.shape[0]
    if n < 6:
        raise _checks.fail(where, "W", "a graph with n >= 6 vertices", f"n={n}")
    if kind == "normalized":
        r = spectral_embedding(Wv, 2, key=key)
        v = np.asarray(r.eigenvectors[:, 1]) / np.sqrt(_positive_degrees(Wv, where))
        return float(r.eigenvalues[1]), v / np.linalg.norm(v)
    L = laplacian(Wv, "combinatorial")
    if sp.issparse(L):
        r = eigen.lobpcg(L, 2, key=key, which="smallest", n_iter=1000)
        return float(r.eigenvalues[1]), np.asarray(r.eigenvectors[:, 1])
    w, V = np.linalg.eigh(L)
    return float(w[1]), V[:, 1]


# ---------------------------------------------------------------- cuts
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
    W = _as_weights(W, where)
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
    W = _as_weights(W, where)
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
    W = _as_weights(W, where)
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


# ---------------------------------------------------------------- signals
def graph_fourier(L: Any) -> tuple[np.ndarray, np.ndarray]:
    """Graph Fourier basis: all eigenpairs of a symmetric Laplacian (dense).

    The graph Fourier transform of a signal x is :math:`\\hat x = U^\\top x`.

    Parameters
    ----------
    L : array or scipy.sparse matrix of shape (n, n)
        Symmetric Laplacian (combinatorial or normalised).

    Returns
    -------
    eigenvalues : ndarray of shape (n,), ascending
    U : ndarray of shape (n, n), orthonormal columns

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
    where = "graphs.graph_fourier"
    Ld = L.toarray() if sp.issparse(L) else L
    Ld = _checks.check_symmetric(_checks.as_matrix(Ld, "L", where, square=True), "L", where,
                                 rtol=1e-10)
    w, U = np.linalg.eigh(np.asarray(Ld, dtype=np.float64))
    return w, U


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
    w, U = graph_fourier(L)
    Xa = np.asarray(X, dtype=np.float64)
    if Xa.ndim not in (1, 2) or Xa.shape[0] != w.size:
        raise _checks.fail(where, "X", f"shape ({w.size},) or ({w.size}, b)",
                           f"shape {Xa.shape}")
    _checks.check_finite(Xa, "X", where)
    h = np.asarray(response(w), dtype=np.float64)
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
    W = sp.coo_array(_as_weights(W, where))
    x = np.asarray(_checks.as_vector(x, "x", where, size=W.shape[0]))
    return float(0.5 * np.sum(W.data * (x[W.row] - x[W.col]) ** 2))


# ---------------------------------------------------------------- clustering
class KMeansResult(NamedTuple):
    """Result of :func:`kmeans`.

    Attributes
    ----------
    labels : ndarray of int, shape (n,)
    centers : ndarray of shape (k, d)
    inertia : float
        Sum of squared distances to the assigned centre.
    """

    labels: np.ndarray
    centers: np.ndarray
    inertia: float


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
def _lloyd(X: jax.Array, C: jax.Array, n_iter: jax.Array) -> tuple[jax.Array, jax.Array]:
    k = C.shape[0]

    def body(_, C):
        lab = jnp.argmin(_sqdist(X, C), axis=1)
        onehot = jax.nn.one_hot(lab, k, dtype=X.dtype)
        cnt = onehot.sum(0)
        new = (onehot.T @ X) / jnp.maximum(cnt, 1)[:, None]
        return jnp.where(cnt[:, None] > 0, new, C)  # keep an empty cluster's centre

    C = jax.lax.fori_loop(0, n_iter, body, C)
    d2 = _sqdist(X, C)
    return C, d2


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
        Lloyd iterations per restart (fixed count, jitted).

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
    key = _checks.check_key(key, where)
    X = _checks.as_matrix(X, "X", where)
    k = _checks.check_rank(k, "k", where, upper=X.shape[0])
    n_init = _checks.check_int(n_init, "n_init", where, min_val=1)
    n_iter = _checks.check_int(n_iter, "n_iter", where, min_val=1)
    best = None
    C0 = jnp.zeros((k, X.shape[1]), X.dtype)
    for r in range(n_init):
        C = _kmeanspp(X, jax.random.fold_in(key, r), C0)
        C, d2 = _lloyd(X, C, jnp.asarray(n_iter))
        lab = jnp.argmin(d2, axis=1)
        inertia = float(jnp.sum(jnp.min(d2, axis=1)))
        if best is None or inertia < best.inertia:
            best = KMeansResult(np.asarray(lab), np.asarray(C), inertia)
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
    key = _checks.check_key(key, where)
    W = _as_weights(W, where)
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


# ---------------------------------------------------------------- encodings
def spe_encoding(eigenvalues: Any, eigenvectors: Any,
                 phis: Sequence[Callable[[jax.Array], jax.Array]]) -> jax.Array:
    """Eigenvalue-weighted projections :math:`V\\,\\mathrm{diag}(\\phi_m(\\lambda))\\,V^\\top`.

    The linear core of stable and expressive positional encodings (SPE): each
    :math:`\\phi_m` acts on the eigenvalues, so vectors of equal eigenvalue are
    weighted equally and the output does not depend on the basis chosen inside
    an eigenspace (nor on signs). SPE then feeds these (n, n) channels to a
    permutation-equivariant network.

    Parameters
    ----------
    eigenvalues : array of shape (d,)
    eigenvectors : array of shape (n, d)
        Orthonormal columns.
    phis : sequence of callables
        Smooth maps :math:`\\phi_m`, applied elementwise to ``eigenvalues``.

    Returns
    -------
    jax.Array of shape (len(phis), n, n)

    Raises
    ------
    TypeError, ValueError
        Shapes that do not match; ``phis`` empty or not callables.

    References
    ----------
    :cite:p:`huang2024stability`

    See Also
    --------
    align_signs : the raw-eigenvector alternative (sign fixing only).
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.spe_encoding"
    V = _checks.as_matrix(eigenvectors, "eigenvectors", where)
    lam = _checks.as_vector(eigenvalues, "eigenvalues", where, size=V.shape[1])
    if not phis or not all(callable(f) for f in phis):
        raise _checks.fail(where, "phis", "a non-empty sequence of callables",
                           f"{phis!r}", exc=TypeError)
    return jnp.stack([(V * f(lam)[None, :]) @ V.T for f in phis])


def align_signs(V: Any, V_ref: Any) -> jax.Array:
    """Flip each column of ``V`` to best match the same column of ``V_ref``.

    The usual way to compare raw Laplacian eigenvectors: fixes the sign
    ambiguity, not the basis ambiguity of repeated eigenvalues.

    Parameters
    ----------
    V, V_ref : arrays of shape (n, d)

    Returns
    -------
    jax.Array of shape (n, d)

    Raises
    ------
    TypeError, ValueError
        Shapes that differ.

    See Also
    --------
    spe_encoding : a sign- and basis-invariant encoding.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.align_signs"
    V = _checks.as_matrix(V, "V", where)
    R = _checks.as_matrix(V_ref, "V_ref", where)
    if V.shape != R.shape:
        raise _checks.fail(where, "V_ref", f"shape {tuple(V.shape)}", f"shape {tuple(R.shape)}")
    s = jnp.where(jnp.sum(V * R, axis=0) < 0, -1.0, 1.0)
    return V * s[None, :]


# ---------------------------------------------------------------- smooth vectors
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
    key = _checks.check_key(key, where)
    W = _as_weights(W, where)
    n = W.shape[0]
    k = _checks.check_rank(k, "k", where, upper=n)
    m = 2 * k if n_vectors is None else _checks.check_int(n_vectors, "n_vectors", where,
                                                          min_val=k, max_val=n)
    m = min(m, n)
    n_sweeps = _checks.check_int(n_sweeps, "n_sweeps", where, min_val=0)
    omega = _checks.check_scalar(omega, "omega", where, min_val=0.0, max_val=1.0,
                                 strict_min=True)
    Ls = laplacian(W, "normalized")
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
    V = eigen._common.fix_signs(jnp.asarray(V))
    tol = float(np.finfo(np.float64).eps) ** 0.5
    return eigen.EighResult(jnp.asarray(w), V, jnp.asarray(res),
                            jnp.asarray(n_sweeps, jnp.int32),
                            jnp.asarray(res <= tol * max(float(np.max(np.abs(w))), 1e-300)))


# ---------------------------------------------------------------- learned bases
class LearnedBasis(NamedTuple):
    """Result of :func:`learn_nested_basis`.

    Attributes
    ----------
    basis : ndarray of shape (n, K)
        Orthonormal columns, ordered (the first j span the best j-dimensional space).
    energies : ndarray of shape (K,)
        Mean probe energy :math:`E[(q_j^\\top f)^2] = \\lVert S^\\top q_j \\rVert^2`
        captured by each column (the implied spectrum of the probe covariance).
    loss_history : ndarray of shape (n_steps,)
        Nested reconstruction loss per step (relative to the probes' energy).
    """

    basis: np.ndarray
    energies: np.ndarray
    loss_history: np.ndarray


def _nested_loss(B: jax.Array, P: jax.Array) -> jax.Array:
    # QR keeps nested spans: span Q[:, :j] = span B[:, :j] for every j.
    Q, _ = jnp.linalg.qr(B)
    K = B.shape[1]
    captured = jnp.sum((Q.T @ P) ** 2, axis=1)  # (K,)
    total = jnp.sum(P**2)
    # sum_j ||P - Q_j Q_j^T P||^2 / (K ||P||^2): column i is counted K - i times.
    return 1.0 - jnp.sum(jnp.arange(K, 0, -1) * captured) / (K * total)


@jax.jit
def _adam_nested(S, B0, key, lrs):
    n, K = B0.shape
    batch = 64
    b1, b2 = 0.9, 0.999

    def step(state, inp):
        B, m, v, t = state
        lr, k = inp
        P = S @ jax.random.normal(k, (n, batch), dtype=S.dtype)
        loss, g = jax.value_and_grad(_nested_loss)(B, P)
        t = t + 1
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        mh, vh = m / (1 - b1**t), v / (1 - b2**t)
        B = B - lr * mh / (jnp.sqrt(vh) + 1e-12)
        return (B, m, v, t), loss

    keys = jax.random.split(key, lrs.shape[0])
    init = (B0, jnp.zeros_like(B0), jnp.zeros_like(B0), jnp.zeros((), S.dtype))
    (B, _, _, _), losses = jax.lax.scan(step, init, (lrs, keys))
    return B, losses


def learn_nested_basis(S: Any, K: int, *, key: jax.Array, n_steps: int = 3000,
                       lr: float = 0.05) -> LearnedBasis:
    """Learn an ordered basis by minimising the nested reconstruction error of probes.

    Probe functions are :math:`f = S z` with white noise :math:`z \\sim N(0, I)`
    (e.g. S a Gaussian smoothing kernel on the sample points). A free matrix
    B (n, K) is trained by Adam, 64 fresh probes a step, on

    .. math::

        \\frac{1}{K}\\sum_{j=1}^{K}
        E\\,\\lVert f - Q_j Q_j^\\top f\\rVert^2 / E\\,\\lVert f\\rVert^2,

    where :math:`Q_j` is the first j columns of the QR factor of B. No operator
    is diagonalised: the minimiser is, in order, the top eigenvectors of the
    probe covariance :math:`S S^\\top`, which for a heat-like smoothing
    kernel are the Laplace–Beltrami eigenfunctions. The learning rate decays
    geometrically to ``lr / 100``.

    Parameters
    ----------
    S : array of shape (n, n)
        Probe generator.
    K : int
        Basis size, ``1 <= K <= n``.
    key : PRNG key
        Initial basis and probes.
    n_steps : int
        Adam steps.
    lr : float
        Initial learning rate, ``> 0``.

    Returns
    -------
    LearnedBasis

    Raises
    ------
    TypeError, ValueError
        Invalid ``S`` or ``key``; counts or ``lr`` out of range.

    References
    ----------
    :cite:p:`velich2025learning`

    See Also
    --------
    sklearn.decomposition.PCA : the closed-form minimiser for the same probes.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.learn_nested_basis"
    key = _checks.check_key(key, where)
    S = _checks.as_matrix(S, "S", where, square=True)
    n = S.shape[0]
    K = _checks.check_rank(K, "K", where, upper=n)
    n_steps = _checks.check_int(n_steps, "n_steps", where, min_val=1)
    lr = _checks.check_scalar(lr, "lr", where, min_val=0.0, strict_min=True)
    k0, k1 = jax.random.split(key)
    B0 = jax.random.normal(k0, (n, K), dtype=S.dtype)
    lrs = lr * 0.01 ** (jnp.arange(n_steps, dtype=S.dtype) / n_steps)
    B, losses = _adam_nested(S, B0, k1, lrs)
    Q, _ = jnp.linalg.qr(B)
    energies = jnp.sum((S.T @ Q) ** 2, axis=0)  # E (q^T S z)^2 = ||S^T q||^2, exactly
    return LearnedBasis(np.asarray(Q), np.asarray(energies), np.asarray(losses))
