"""Laplacians, spectral embeddings and the Fiedler vector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import jax
import jax.numpy as jnp
import numpy as np
import scipy.sparse as sp

from .. import _checks, eigen
from .._results import fix_column_signs
from ._common import KINDS, FiedlerPair, _positive_degrees


def laplacian(W: Any, *, kind: Literal["combinatorial", "normalized", "random_walk"] =
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
    W = _checks.as_weights(W, "W", where)
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
        Solver for sparse ``W``. LOBPCG (the default) is a block method and returns
        repeated eigenvalues with their multiplicity: a graph with c connected
        components has eigenvalue 0 c times, and symmetric graphs (cycles, grids,
        products) repeat others. Thick-restart Lanczos is faster on a connected graph
        without repeated eigenvalues, but starts from one vector, so a repeated
        eigenvalue comes back once and the next one takes its place (a 10-NN graph of
        2000 two-moons points with 2 components: 0 once).
    preconditioner : callable, optional
        JAX-traceable ``M(R)`` for R (n, k), LOBPCG only.
    tol : float, optional
        Relative residual tolerance (default: the solver's).
    n_iter : int
        LOBPCG iteration cap, or the cap on thick restarts of Lanczos.

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
    key = _checks.check_key(key, "key", where)
    _checks.check_choice(method, "method", where, ("lobpcg", "lanczos"))
    W = _checks.as_weights(W, "W", where)
    n = W.shape[0]
    n_iter = _checks.check_int(n_iter, "n_iter", where, min_val=1)
    if preconditioner is not None and method != "lobpcg":
        raise _checks.fail(where, "preconditioner", "None with method='lanczos'",
                           "a preconditioner", "Preconditioning needs method='lobpcg'.")
    Ls = laplacian(W, kind="normalized")
    if not sp.issparse(W):
        k = _checks.check_rank(k, "k", where, upper=n)
        w, V = np.linalg.eigh((Ls + Ls.T) / 2)
        w, V = jnp.asarray(w[:k]), fix_column_signs(jnp.asarray(V[:, :k]))
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
        r = eigen.lanczos(shifted, k, key=key, tol=tol, max_restarts=n_iter,
                          which="largest")
    return eigen.EighResult(2 - r.eigenvalues, r.eigenvectors, r.residual_norms,
                            r.n_steps, r.converged)


def fiedler_vector(W: Any, *, key: jax.Array,
                   kind: Literal["combinatorial", "normalized"] = "normalized"
                   ) -> FiedlerPair:
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
    FiedlerPair
        ``(lambda2, v)``: the eigenvalue, a float, and the vector, ndarray of shape (n,).

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
    key = _checks.check_key(key, "key", where)
    Wv = _checks.as_weights(W, "W", where)
    n = Wv.shape[0]
    if n < 6:
        raise _checks.fail(where, "W", "a graph with n >= 6 vertices", f"n={n}")
    if kind == "normalized":
        r = spectral_embedding(Wv, 2, key=key)
        v = np.asarray(r.eigenvectors[:, 1]) / np.sqrt(_positive_degrees(Wv, where))
        return FiedlerPair(float(r.eigenvalues[1]), v / np.linalg.norm(v))
    L = laplacian(Wv, kind="combinatorial")
    if sp.issparse(L):
        r = eigen.lobpcg(L, 2, key=key, which="smallest", n_iter=1000)
        return FiedlerPair(float(r.eigenvalues[1]), np.asarray(r.eigenvectors[:, 1]))
    w, V = np.linalg.eigh(L)
    return FiedlerPair(float(w[1]), V[:, 1])
