"""Distances, geodesics, exp/log maps, metric tensors and parallel transport on SPD(n)."""

from __future__ import annotations

from functools import partial
from typing import Any, Literal, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from eigenbook import _checks
from eigenbook.display import implemented_by

from ._funcs import _as_sym, _eig_apply, _sqrt_isqrt

__all__ = ["distance", "geodesic", "exp_map", "log_map", "metric_tensor",
           "parallel_transport", "recentre", "RecentreResult", "METRICS"]

METRICS = ("airm", "log_euclidean", "bw")
Metric = Literal["airm", "log_euclidean", "bw"]


def _t(X: jax.Array) -> jax.Array:
    return jnp.swapaxes(X, -1, -2)


def _sym(X: jax.Array) -> jax.Array:
    return (X + _t(X)) / 2


# ------------------------------------------------------------------- kernels (traceable)
def _d_airm(A: jax.Array, B: jax.Array) -> jax.Array:
    """sqrt(Σ log² λ(A⁻¹B)) via the Cholesky factor of A."""
    L = jnp.linalg.cholesky(A)
    L, B = jnp.broadcast_arrays(L, B)
    Y = jax.scipy.linalg.solve_triangular(L, B, lower=True)
    C = jax.scipy.linalg.solve_triangular(L, _t(Y), lower=True)
    w = jnp.linalg.eigvalsh(_sym(C))
    return jnp.sqrt(jnp.sum(jnp.log(w) ** 2, axis=-1))


def _d_le(A: jax.Array, B: jax.Array) -> jax.Array:
    D = _eig_apply(A, jnp.log) - _eig_apply(B, jnp.log)
    return jnp.sqrt(jnp.sum(D * D, axis=(-1, -2)))


def _d_bw(A: jax.Array, B: jax.Array) -> jax.Array:
    rA = _eig_apply(A, jnp.sqrt)
    w = jnp.linalg.eigvalsh(_sym(rA @ B @ rA))
    tr = jnp.trace(A, axis1=-2, axis2=-1) + jnp.trace(B, axis1=-2, axis2=-1)
    d2 = tr - 2 * jnp.sum(jnp.sqrt(jnp.clip(w, 0.0)), axis=-1)
    return jnp.sqrt(jnp.clip(d2, 0.0))


_DIST = {"airm": _d_airm, "log_euclidean": _d_le, "bw": _d_bw}


@partial(jax.jit, static_argnames="metric")
def _distance(A: jax.Array, B: jax.Array, metric: str) -> jax.Array:
    return _DIST[metric](A, B)


def _lyap(P: jax.Array, S: jax.Array) -> jax.Array:
    """L with P L + L P = S (P SPD) by the eigendecomposition of P."""
    w, U = jnp.linalg.eigh(P)
    St = _t(U) @ S @ U
    return U @ (St / (w[..., :, None] + w[..., None, :])) @ _t(U)


def _airm_exp(P, S):
    r, ir = _sqrt_isqrt(P)
    return r @ _eig_apply(_sym(ir @ S @ ir), jnp.exp) @ r


def _airm_log(P, X):
    r, ir = _sqrt_isqrt(P)
    return r @ _eig_apply(_sym(ir @ X @ ir), jnp.log) @ r


def _bw_log(P, X):
    r, ir = _sqrt_isqrt(P)
    M = r @ _eig_apply(_sym(r @ X @ r), jnp.sqrt) @ ir      # (P X)^{1/2}
    return M + _t(M) - 2 * P


def _bw_exp(P, S):
    L = _lyap(P, S)
    return _sym(P + S + L @ P @ L)


@partial(jax.jit, static_argnames=("metric", "inverse"))
def _expl(P, Z, metric: str, inverse: bool):
    if metric == "airm":
        return _airm_log(P, Z) if inverse else _airm_exp(P, Z)
    return _bw_log(P, Z) if inverse else _bw_exp(P, Z)


@partial(jax.jit, static_argnames="metric")
def _geodesic(A, B, t, metric: str):
    if metric == "airm":
        r, ir = _sqrt_isqrt(A)
        return _sym(r @ _eig_apply(_sym(ir @ B @ ir), lambda w: w ** t) @ r)
    if metric == "log_euclidean":
        return _eig_apply((1 - t) * _eig_apply(A, jnp.log) + t * _eig_apply(B, jnp.log),
                          jnp.exp)
    r, ir = _sqrt_isqrt(A)
    T = ir @ _eig_apply(_sym(r @ B @ r), jnp.sqrt) @ ir        # optimal map A -> B
    n = A.shape[-1]
    G = (1 - t) * jnp.eye(n, dtype=A.dtype) + t * T
    return _sym(G @ A @ G)


# ------------------------------------------------------------------------- public API
def _pair(A: Any, B: Any, where: str, names: tuple[str, str] = ("A", "B"),
          spd_b: bool = True) -> tuple[jax.Array, jax.Array]:
    A = _as_sym(A, names[0], where)
    B = _as_sym(B, names[1], where, spd=spd_b)
    if A.shape[-1] != B.shape[-1]:
        raise _checks.fail(where, names[1], f"matrices of size n = {A.shape[-1]} (as "
                           f"{names[0]})", f"shape {tuple(B.shape)}")
    if A.ndim == 3 and B.ndim == 3 and A.shape[0] != B.shape[0]:
        raise _checks.fail(where, names[1], f"a batch of N = {A.shape[0]} (as {names[0]}) "
                           "or one matrix", f"shape {tuple(B.shape)}")
    return A, B


@implemented_by(_d_airm, _d_le, _d_bw)
def distance(A: Any, B: Any, *, metric: Metric = "airm") -> jax.Array:
    """Geodesic distance between SPD matrices under one of three metrics.

    * ``"airm"`` (affine-invariant): ``‖log(A^{-1/2} B A^{-1/2})‖_F``, computed as
      ``sqrt(Σ log² λᵢ)`` of the generalised eigenvalues of ``(B, A)`` (Cholesky of A).
    * ``"log_euclidean"``: ``‖log A - log B‖_F``.
    * ``"bw"`` (Bures–Wasserstein): ``sqrt(tr A + tr B - 2 tr (A^{1/2} B A^{1/2})^{1/2})``,
      the 2-Wasserstein distance between ``N(0, A)`` and ``N(0, B)``.

    Parameters
    ----------
    A, B : array_like of shape (n, n) or (N, n, n)
        SPD matrices; a single matrix is broadcast against a batch.
    metric : {"airm", "log_euclidean", "bw"}

    Returns
    -------
    jax.Array of shape () or (N,)

    Raises
    ------
    TypeError, ValueError
        Bad arrays (see :func:`sqrtm`), mismatched sizes, unknown ``metric``.
    """
    where = "spd.distance"
    metric = _checks.check_choice(metric, "metric", where, METRICS)
    A, B = _pair(A, B, where)
    return _distance(A, B, metric)


def geodesic(A: Any, B: Any, t: float, *, metric: Metric = "airm") -> jax.Array:
    """The point at parameter ``t`` of the geodesic from ``A`` (t = 0) to ``B`` (t = 1).

    * ``"airm"``: ``A^{1/2} (A^{-1/2} B A^{-1/2})^t A^{1/2}``.
    * ``"log_euclidean"``: ``exp((1 - t) log A + t log B)``.
    * ``"bw"``: ``((1 - t) I + t T) A ((1 - t) I + t T)`` with ``T`` the optimal transport
      map ``A^{-1/2} (A^{1/2} B A^{1/2})^{1/2} A^{-1/2}`` (McCann interpolation).

    Parameters
    ----------
    A, B : array_like of shape (n, n) or (N, n, n)
        SPD end points.
    t : float
        In [0, 1].
    metric : {"airm", "log_euclidean", "bw"}

    Returns
    -------
    jax.Array of the broadcast shape of ``A`` and ``B``
    """
    where = "spd.geodesic"
    metric = _checks.check_choice(metric, "metric", where, METRICS)
    A, B = _pair(A, B, where)
    t = _checks.check_scalar(t, "t", where, min_val=0.0, max_val=1.0)
    return _geodesic(A, B, jnp.asarray(t, A.dtype), metric)


def exp_map(P: Any, S: Any, *, metric: Literal["airm", "bw"] = "airm") -> jax.Array:
    """Riemannian exponential: the end point of the geodesic from ``P`` with velocity ``S``.

    * ``"airm"``: ``P^{1/2} exp(P^{-1/2} S P^{-1/2}) P^{1/2}`` (defined for every ``S``).
    * ``"bw"``: ``P + S + L P L`` with ``P L + L P = S`` (the Lyapunov operator), valid while
      ``I + L`` stays positive definite.

    Parameters
    ----------
    P : array_like of shape (n, n) or (N, n, n)
        SPD base points.
    S : array_like of shape (n, n) or (N, n, n)
        Symmetric tangent vectors.
    metric : {"airm", "bw"}

    Returns
    -------
    jax.Array of the broadcast shape
    """
    where = "spd.exp_map"
    metric = _checks.check_choice(metric, "metric", where, ("airm", "bw"))
    P, S = _pair(P, S, where, ("P", "S"), spd_b=False)
    return _expl(P, S, metric, False)


def log_map(P: Any, X: Any, *, metric: Literal["airm", "bw"] = "airm") -> jax.Array:
    """Riemannian logarithm: the tangent vector at ``P`` pointing to ``X`` (inverse of exp_map).

    * ``"airm"``: ``P^{1/2} log(P^{-1/2} X P^{-1/2}) P^{1/2}``.
    * ``"bw"``: ``(P X)^{1/2} + (X P)^{1/2} - 2P``.

    Parameters
    ----------
    P, X : array_like of shape (n, n) or (N, n, n)
        SPD base points and targets.
    metric : {"airm", "bw"}

    Returns
    -------
    jax.Array of the broadcast shape (symmetric)
    """
    where = "spd.log_map"
    metric = _checks.check_choice(metric, "metric", where, ("airm", "bw"))
    P, X = _pair(P, X, where, ("P", "X"))
    return _expl(P, X, metric, True)


def _sym_basis(n: int) -> np.ndarray:
    """Frobenius-orthonormal basis of Sym(n): (n(n+1)/2, n, n)."""
    out = []
    for i in range(n):
        for j in range(i, n):
            E = np.zeros((n, n))
            if i == j:
                E[i, i] = 1.0
            else:
                E[i, j] = E[j, i] = 2 ** -0.5
            out.append(E)
    return np.stack(out)


@partial(jax.jit, static_argnames="metric")
def _gram(P, E, metric: str):
    if metric == "airm":
        Pi = jnp.linalg.inv(P)
        F = Pi @ E                                   # P⁻¹ E_a
        return jnp.einsum("aij,bji->ab", F, F)       # tr(P⁻¹E_a P⁻¹E_b)
    if metric == "bw":
        L = jax.vmap(lambda S: _lyap(P, S))(E)
        return 0.5 * jnp.einsum("aij,bji->ab", L, E)  # ½ tr(L_P(E_a) E_b)
    w, U = jnp.linalg.eigh(P)                        # Daleckii–Krein: d log_P
    lw = jnp.log(w)
    dw = w[:, None] - w[None, :]
    close = jnp.abs(dw) <= 1e-12 * jnp.max(w)
    div = jnp.where(close, 1 / w[:, None], (lw[:, None] - lw[None, :]) / jnp.where(close, 1,
                                                                                    dw))
    D = jax.vmap(lambda S: U @ ((U.T @ S @ U) * div) @ U.T)(E)
    return jnp.einsum("aij,bij->ab", D, D)


def metric_tensor(P: Any, *, metric: Metric = "airm") -> jax.Array:
    """The metric tensor at ``P`` in a Frobenius-orthonormal basis of Sym(n).

    Entry ``(a, b)`` is ``g_P(E_a, E_b)`` for the basis ``E_a`` of symmetric matrices
    (``e_i e_iᵀ`` and ``(e_i e_jᵀ + e_j e_iᵀ)/√2``, i < j):

    * ``"airm"``: ``tr(P⁻¹ S P⁻¹ T)``;
    * ``"bw"``: ``½ tr(L_P(S) T)`` with ``P L + L P = S``;
    * ``"log_euclidean"``: ``⟨D log_P(S), D log_P(T)⟩_F`` (Daleckii–Krein).

    Its largest eigenvalue is how much a unit Euclidean perturbation can be magnified at
    ``P``; for ``P = diag(1, ε, ...)`` it grows like ``ε⁻²`` (AIRM, LE) and ``ε⁻¹`` (BW).

    Parameters
    ----------
    P : array_like of shape (n, n)
        One SPD matrix.
    metric : {"airm", "log_euclidean", "bw"}

    Returns
    -------
    jax.Array of shape (n(n+1)/2, n(n+1)/2), symmetric positive definite
    """
    where = "spd.metric_tensor"
    metric = _checks.check_choice(metric, "metric", where, METRICS)
    P = _as_sym(P, "P", where, ndim=(2,))
    return _gram(P, jnp.asarray(_sym_basis(P.shape[0])), metric)


@jax.jit
def _transport(S, A, B):
    r, ir = _sqrt_isqrt(A)
    E = r @ _eig_apply(_sym(ir @ B @ ir), jnp.sqrt) @ ir   # (B A⁻¹)^{1/2}
    return _sym(E @ S @ _t(E))


def parallel_transport(S: Any, A: Any, B: Any) -> jax.Array:
    """AIRM parallel transport of tangent vectors from ``A`` to ``B`` along their geodesic.

    ``Γ(S) = E S Eᵀ`` with ``E = (B A⁻¹)^{1/2} = A^{1/2} (A^{-1/2} B A^{-1/2})^{1/2} A^{-1/2}``
    (Sra & Hosseini). Transport preserves the AIRM inner product:
    ``g_B(Γ S, Γ T) = g_A(S, T)``.

    Parameters
    ----------
    S : array_like of shape (n, n) or (N, n, n)
        Symmetric tangent vectors at ``A``.
    A, B : array_like of shape (n, n)
        SPD start and end points.

    Returns
    -------
    jax.Array of the shape of ``S``
    """
    where = "spd.parallel_transport"
    S = _as_sym(S, "S", where, spd=False)
    A = _as_sym(A, "A", where, ndim=(2,))
    B = _as_sym(B, "B", where, ndim=(2,))
    n = S.shape[-1]
    for nm, M in (("A", A), ("B", B)):
        if M.shape[-1] != n:
            raise _checks.fail(where, nm, f"a matrix of size n = {n} (as S)",
                               f"shape {tuple(M.shape)}")
    return _transport(S, A, B)


class RecentreResult(NamedTuple):
    """Result of :func:`recentre`.

    Attributes
    ----------
    X : jax.Array of shape (N, n, n)
        The recentred batch.
    mean : jax.Array of shape (n, n)
        The AIRM (Karcher) mean of the input batch that was moved to the target.
    n_iter : int
        Fixed-point iterations of the mean.
    """

    X: jax.Array
    mean: jax.Array
    n_iter: int


def recentre(X: Any, *, target: Any = None, tol: float = 1e-10,
             max_iter: int = 100) -> RecentreResult:
    """Riemannian batch centring: move the batch's Karcher mean to ``target`` by transport.

    Each ``X_i`` is mapped by ``E X_i Eᵀ`` with ``E = (T M⁻¹)^{1/2}``, ``M`` the Karcher
    mean of the batch and ``T`` the target (default ``I``, then ``E = M^{-1/2}``). This
    congruence is an AIRM isometry that carries ``M`` to ``T``; it is the centring step of
    Riemannian batch normalisation and of transfer learning by re-centring.

    Parameters
    ----------
    X : array_like of shape (N, n, n)
        SPD batch.
    target : array_like of shape (n, n), optional
        SPD target mean (default identity).
    tol, max_iter
        Passed to :func:`karcher_mean`.

    Returns
    -------
    RecentreResult
        ``X`` (N, n, n), ``mean`` (n, n), ``n_iter``.
    """
    from ._means import _karcher_checked

    where = "spd.recentre"
    X = _as_sym(X, "X", where, ndim=(3,))
    n = X.shape[-1]
    if target is None:
        T = jnp.eye(n, dtype=X.dtype)
    else:
        T = _as_sym(target, "target", where, ndim=(2,))
        if T.shape[-1] != n:
            raise _checks.fail(where, "target", f"a matrix of size n = {n} (as X)",
                               f"shape {tuple(T.shape)}")
    res = _karcher_checked(X, None, None, tol, max_iter, where)
    E_S = _transport(X, res.mean, T)
    return RecentreResult(E_S, res.mean, res.n_iter)
