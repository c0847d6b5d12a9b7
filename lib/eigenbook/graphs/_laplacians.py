"""Laplacians, spectral embeddings and the Fiedler vector."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, Literal

import jax
import jax.numpy as jnp
import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from .. import _checks, eigen
from .._checks import ConvergenceWarning
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
                       method: Literal["shift-invert", "lobpcg", "lanczos"] | None = None,
                       preconditioner: Callable[[jax.Array], jax.Array] | None = None,
                       tol: float | None = None, n_iter: int = 500) -> eigen.EighResult:
    """The k smallest eigenpairs of the normalised Laplacian :math:`L_{sym}`.

    Dense ``W`` is solved by ``eigh``. For sparse ``W`` the default is
    shift-invert, as scikit-learn's ``SpectralEmbedding`` does with ARPACK:
    :math:`L_{sym} + \\sigma I` (``sigma = SHIFT = 1e-3``) is factorised once by
    ``scipy.sparse.linalg.splu``, :func:`eigenbook.eigen.lobpcg` finds the k
    largest eigenpairs of its inverse, :math:`1 / (\\lambda + \\sigma)`, and a
    Rayleigh–Ritz step with :math:`L_{sym}` on that basis gives the pairs, whose
    residuals are tested against ``tol``. Without the factorisation
    (``method="lobpcg"`` or ``"lanczos"``), the k *largest* eigenpairs of the
    shifted normalised adjacency :math:`2I - L_{sym} = I + D^{-1/2} W D^{-1/2}`
    (spectrum in [0, 2]) are computed and mapped back, lambda = 2 - mu; the
    wanted eigenvalues are tiny against the width 2, so this converges slowly.
    With a preconditioner M (approximately :math:`L_{sym}^{-1}`, e.g. an AMG
    cycle), LOBPCG is run on the smallest end of :math:`L_{sym}` itself.

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
    method : {"shift-invert", "lobpcg", "lanczos"}, optional
        Solver for sparse ``W``; default ``"shift-invert"``, or ``"lobpcg"`` with a
        preconditioner. Both LOBPCG-based methods are block methods and return
        repeated eigenvalues with their multiplicity: a graph with c connected
        components has eigenvalue 0 c times, and symmetric graphs (cycles, grids,
        products) repeat others. Thick-restart Lanczos starts from one vector, so a
        repeated eigenvalue comes back once and the next one takes its place (a
        10-NN graph of 2000 two-moons points with 2 components: 0 once).
        Shift-invert needs the sparse LU's memory (its fill-in); ``"lobpcg"`` with
        an AMG preconditioner needs only products with ``W``.
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
    eigenbook.eigen.lobpcg : the solver used here (on the factorised inverse by default).
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.spectral_embedding"
    key = _checks.check_key(key, "key", where)
    if method is None:
        method = "shift-invert" if preconditioner is None else "lobpcg"
    _checks.check_choice(method, "method", where, ("shift-invert", "lobpcg", "lanczos"))
    W = _checks.as_weights(W, "W", where)
    n = W.shape[0]
    n_iter = _checks.check_int(n_iter, "n_iter", where, min_val=1)
    if preconditioner is not None and method != "lobpcg":
        raise _checks.fail(where, "preconditioner", f"None with method={method!r}",
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
    if method == "shift-invert":
        return _shift_invert(Ls, k, key=key, tol=tol, n_iter=n_iter, where=where)
    shifted = (2 * sp.eye_array(n) - Ls).tocsr()
    if method == "lobpcg":
        r = eigen.lobpcg(shifted, k, key=key, n_iter=n_iter, tol=tol, which="largest")
    else:
        k = _checks.check_rank(k, "k", where, upper=n)
        r = eigen.lanczos(shifted, k, key=key, tol=tol, max_restarts=n_iter,
                          which="largest")
    return eigen.EighResult(2 - r.eigenvalues, r.eigenvectors, r.residual_norms,
                            r.n_steps, r.converged)


SHIFT = 1e-3
"""The shift of ``method="shift-invert"``: L_sym + SHIFT I is factorised (L_sym is
singular, its spectrum lies in [0, 2]); the wanted eigenvalues lambda become the largest
1 / (lambda + SHIFT) of the inverse."""
_INNER = 0.1
"""The inverse's first tolerance over ``tol``. A residual of the inverse comes back on
L_sym multiplied by about (lambda + SHIFT) / SHIFT: a few units for the smallest
eigenvalues of a k-NN graph (measured: L_sym residuals 1e-9 to 1.5e-8 at tol = 1.5e-8).
Where the wanted eigenvalues are larger, one more solve uses the tolerance that factor
asks for."""


def _shift_invert(Ls: sp.csr_array, k: int, *, key: jax.Array, tol: float | None,
                  n_iter: int, where: str) -> eigen.EighResult:
    """Block LOBPCG on (L_sym + SHIFT I)^-1 through a sparse LU, then Rayleigh–Ritz with
    L_sym on the basis found; the residuals and the convergence test are L_sym's."""
    n = Ls.shape[0]
    tol = _checks.check_tol(tol, np.float64, where)
    lu = spla.splu(sp.csc_matrix(Ls + SHIFT * sp.eye_array(n)))
    inverse = spla.LinearOperator((n, n), matvec=lu.solve, matmat=lu.solve, dtype=np.float64)
    inner = tol * _INNER
    for _attempt in range(2):  # a second solve only if the first falls short
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # judged on L_sym below
            r = eigen.lobpcg(inverse, k, key=key, n_iter=n_iter, tol=inner, which="largest")
        X = np.asarray(r.eigenvectors)
        H = X.T @ (Ls @ X)
        w, S = np.linalg.eigh((H + H.T) / 2)
        V = X @ S
        res = np.linalg.norm(Ls @ V - V * w[None, :], axis=0)
        conv = res <= tol * 2.0  # |L_sym| <= 2
        if conv.all():
            break
        # the factor between the two residuals, from the eigenvalues now known
        inner = max(tol * _INNER * SHIFT / (float(w.max()) + SHIFT), 100 * np.finfo(float).eps)
    if not conv.all():
        _checks.warn_unconverged(where, tol=tol, reached=float(res.max()) / 2.0,
                                 what="relative residual", n_iter=int(r.n_steps),
                                 hint="Raise n_iter, or use method='lobpcg' (wanted "
                                      "eigenvalues far from 0).")
    V = fix_column_signs(jnp.asarray(V))
    return eigen.EighResult(jnp.asarray(w), V, jnp.asarray(res), r.n_steps,
                            jnp.asarray(conv))


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
